package io.persistentdict.boot.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.persistentdict.DictStats;
import io.persistentdict.DictStore;
import io.persistentdict.StatsRecorder;
import io.persistentdict.StoreStats;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of persistentdict stores, under {@code persistentdict.*}, each tagged
 * with the store's name:
 * <ul>
 * <li>{@code persistentdict.store.size}, {@code persistentdict.store.wal.size},
 * {@code persistentdict.store.free.disk} (bytes);</li>
 * <li>{@code persistentdict.entries} per dict (tag {@code dict}, such as
 * {@code map:sessions} or {@code cache:books}): exact, from the counts the engine keeps
 * in each write transaction;</li>
 * <li>{@code persistentdict.sweep} (timer) and {@code persistentdict.sweep.expired}
 * (counter) per dict;</li>
 * <li>{@code persistentdict.vacuum} (timer, tag {@code type=incremental|full});</li>
 * <li>{@code persistentdict.commit} (timer) and {@code persistentdict.commit.operations}
 * (operations per group commit).</li>
 * </ul>
 *
 * @author persistentdict
 */
public class PersistentDictMetrics implements MeterBinder {

	private final Supplier<Map<String, DictStore>> stores;

	private volatile @Nullable MeterRegistry registry;

	private final java.util.Set<String> boundDicts = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/**
	 * Create the metrics.
	 * @param stores the stores by name, asked for when the metrics are bound
	 */
	public PersistentDictMetrics(Supplier<Map<String, DictStore>> stores) {
		this.stores = Objects.requireNonNull(stores, "stores must not be null");
	}

	/**
	 * Return a recorder that feeds this store's timers and counters.
	 * @param storeName the store's name
	 * @param registry the registry
	 * @return the recorder
	 */
	public StatsRecorder recorder(String storeName, MeterRegistry registry) {
		return new Recorder(storeName, registry);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		this.stores.get().forEach((name, store) -> bindStore(registry, name, store));
	}

	private void bindStore(MeterRegistry registry, String name, DictStore store) {
		StoreStats stats = stats(store);
		// an engine reports -1 for a figure it does not have (no WAL, no disk of its
		// own): such a gauge is left out instead of showing -1
		gauge(registry, "persistentdict.store.size", "Size of the store file", name, store, stats,
				StoreStats::fileSize);
		gauge(registry, "persistentdict.store.wal.size", "Size of the store's write-ahead log", name, store, stats,
				StoreStats::walSize);
		gauge(registry, "persistentdict.store.free.disk", "Usable space on the store's disk", name, store, stats,
				StoreStats::freeDiskSpace);
		if (stats != null) {
			stats.dicts().keySet().forEach((dict) -> bindDict(registry, name, store, dict));
		}
	}

	private void gauge(MeterRegistry registry, String meter, String description, String name, DictStore store,
			@Nullable StoreStats first, ToLongFunction<StoreStats> value) {
		if (first != null && value.applyAsLong(first) < 0) {
			return;
		}
		Gauge.builder(meter, store, (s) -> {
			StoreStats stats = stats(s);
			return (stats != null) ? value.applyAsLong(stats) : Double.NaN;
		}).description(description).baseUnit(BaseUnits.BYTES).tag("store", name).register(registry);
	}

	private void bindDict(MeterRegistry registry, String storeName, DictStore store, String dict) {
		if (!this.boundDicts.add(storeName + "/" + dict)) {
			// already bound: a sweep only reports dicts that appeared after startup
			return;
		}
		Gauge.builder("persistentdict.entries", store, (s) -> dictStat(s, dict, DictStats::entries))
			.description("Live entries, exact (expired entries leave it at once)")
			.tags("store", storeName, "dict", dict)
			.register(registry);
		FunctionCounter.builder("persistentdict.near.hits", store, (s) -> dictStat(s, dict, DictStats::nearHits))
			.description("Reads answered by the dict's near cache without reading the database")
			.tags("store", storeName, "dict", dict)
			.register(registry);
		FunctionCounter.builder("persistentdict.evictions", store, (s) -> dictStat(s, dict, DictStats::evictions))
			.description("Entries this JVM evicted to keep the dict within its maximum size or bytes")
			.tags("store", storeName, "dict", dict)
			.register(registry);
		Gauge.builder("persistentdict.bytes", store, (s) -> dictStat(s, dict, DictStats::bytes))
			.description("Keys and values of the dict as stored")
			.baseUnit(BaseUnits.BYTES)
			.tags("store", storeName, "dict", dict)
			.register(registry);
	}

	private void dictSwept(String storeName, String dict) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		DictStore store = this.stores.get().get(storeName);
		if (store != null) {
			bindDict(registry, storeName, store, dict);
		}
	}

	/**
	 * One figure of a dict's stats, or {@code NaN} while there is none (a closed store,
	 * or entries not yet counted).
	 */
	private static double dictStat(DictStore store, String dict, java.util.function.ToLongFunction<DictStats> value) {
		StoreStats stats = stats(store);
		DictStats dictStats = (stats != null) ? stats.dicts().get(dict) : null;
		long figure = (dictStats != null) ? value.applyAsLong(dictStats) : -1;
		return (figure >= 0) ? figure : Double.NaN;
	}

	private static @Nullable StoreStats stats(DictStore store) {
		try {
			return store.isOpen() ? store.stats() : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Feeds one store's timers and counters.
	 */
	private final class Recorder implements StatsRecorder {

		private final String storeName;

		private final MeterRegistry registry;

		private final Timer commits;

		private final DistributionSummary commitOperations;

		Recorder(String storeName, MeterRegistry registry) {
			this.storeName = storeName;
			this.registry = registry;
			this.commits = Timer.builder("persistentdict.commit")
				.description("Group commits of the write path")
				.tag("store", storeName)
				.register(registry);
			this.commitOperations = DistributionSummary.builder("persistentdict.commit.operations")
				.description("Operations that shared one commit")
				.tag("store", storeName)
				.register(registry);
		}

		@Override
		public void recordSweep(String dict, long deleted, long nanos) {
			Timer.builder("persistentdict.sweep")
				.description("Sweeps of expired entries")
				.tags("store", this.storeName, "dict", dict)
				.register(this.registry)
				.record(nanos, TimeUnit.NANOSECONDS);
			Counter.builder("persistentdict.sweep.expired")
				.description("Expired entries deleted by sweeps")
				.tags("store", this.storeName, "dict", dict)
				.register(this.registry)
				.increment(deleted);
			dictSwept(this.storeName, dict);
		}

		@Override
		public void recordVacuum(boolean full, long nanos) {
			Timer.builder("persistentdict.vacuum")
				.description("Vacuums of the store file")
				.tags("store", this.storeName, "type", full ? "full" : "incremental")
				.register(this.registry)
				.record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void recordCommit(int operations, long nanos) {
			this.commits.record(nanos, TimeUnit.NANOSECONDS);
			this.commitOperations.record(operations);
		}

	}

}
