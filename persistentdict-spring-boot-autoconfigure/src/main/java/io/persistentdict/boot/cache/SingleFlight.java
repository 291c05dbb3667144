package io.persistentdict.boot.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Runs at most one load per key at a time in this JVM; threads that miss the same key
 * meanwhile wait for that load instead of running their own. Loads run outside any
 * database transaction, so a slow loader blocks only the callers of its own key.
 *
 * @author persistentdict
 */
final class SingleFlight {

	private final String cacheName;

	private final ConcurrentMap<String, Flight> flights = new ConcurrentHashMap<>();

	SingleFlight(String cacheName) {
		this.cacheName = cacheName;
	}

	/**
	 * Run {@code load} for {@code key} unless another thread is loading it, in which case
	 * wait for that thread's result. If that load fails, this thread tries its own.
	 * @param key the key
	 * @param load looks up, loads and stores; returns the stored value
	 * @return the stored value
	 */
	Object load(String key, Supplier<Object> load) {
		while (true) {
			Flight flight = new Flight(Thread.currentThread());
			Flight running = this.flights.putIfAbsent(key, flight);
			if (running == null) {
				return fly(key, flight, load);
			}
			if (running.owner == Thread.currentThread()) {
				throw new IllegalStateException("Cache '" + this.cacheName + "': the loader of key '" + key
						+ "' asked for the same key; loaders must not be recursive");
			}
			try {
				Object stored = running.result.join();
				if (stored != null) {
					return stored;
				}
			}
			catch (CompletionException ex) {
				// that load failed: try our own
			}
		}
	}

	private Object fly(String key, Flight flight, Supplier<Object> load) {
		try {
			Object stored = load.get();
			this.flights.remove(key, flight);
			flight.result.complete(stored);
			return stored;
		}
		catch (RuntimeException | Error ex) {
			this.flights.remove(key, flight);
			flight.result.completeExceptionally(ex);
			throw ex;
		}
	}

	/**
	 * Load {@code key} asynchronously unless a load of it is already under way, in which
	 * case share that load's result.
	 * @param <T> the loaded type
	 * @param key the key
	 * @param loader starts the load
	 * @param store stores a loaded value and returns the stored form, or {@code null}
	 * @param executor where the store step runs
	 * @return the stored value, when the load completes
	 */
	<T> CompletableFuture<@Nullable Object> loadAsync(String key, Supplier<CompletableFuture<T>> loader,
			Function<@Nullable Object, @Nullable Object> store, Executor executor) {
		Flight flight = new Flight(null);
		Flight running = this.flights.putIfAbsent(key, flight);
		if (running != null) {
			return running.result;
		}
		try {
			loader.get().whenCompleteAsync((value, failure) -> {
				try {
					Object stored = (failure == null) ? store.apply(value) : null;
					this.flights.remove(key, flight);
					if (failure != null) {
						flight.result.completeExceptionally(failure);
					}
					else {
						flight.result.complete(stored);
					}
				}
				catch (RuntimeException ex) {
					this.flights.remove(key, flight);
					flight.result.completeExceptionally(ex);
				}
			}, executor);
		}
		catch (RuntimeException ex) {
			this.flights.remove(key, flight);
			flight.result.completeExceptionally(ex);
		}
		return flight.result;
	}

	/**
	 * A load in progress for one key.
	 */
	private static final class Flight {

		private final @Nullable Thread owner;

		private final CompletableFuture<@Nullable Object> result = new CompletableFuture<>();

		Flight(@Nullable Thread owner) {
			this.owner = owner;
		}

	}

}
