package io.persistentdict.boot.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.persistentdict.DictStats;
import io.persistentdict.DictStore;
import io.persistentdict.StoreStats;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows persistentdict stores, their dicts and stats, and
 * runs maintenance on demand. Read-only unless
 * {@code management.endpoint.persistentdict.access=unrestricted}.
 *
 * @author persistentdict
 */
@Endpoint(id = "persistentdict", defaultAccess = Access.READ_ONLY)
public class PersistentDictEndpoint {

	private final Supplier<Map<String, DictStore>> stores;

	public PersistentDictEndpoint(Supplier<Map<String, DictStore>> stores) {
		this.stores = stores;
	}

	@ReadOperation
	public StoresDescriptor stores() {
		Map<String, StoreDescriptor> descriptors = new LinkedHashMap<>();
		this.stores.get().forEach((name, store) -> descriptors.put(name, describe(store)));
		return new StoresDescriptor(descriptors);
	}

	@ReadOperation
	public @Nullable StoreDescriptor store(@Selector String name) {
		DictStore store = this.stores.get().get(name);
		return (store != null) ? describe(store) : null;
	}

	/**
	 * Run maintenance on a store now.
	 * @param name the store
	 * @param action {@code sweep}, {@code vacuum} (a full {@code VACUUM}),
	 * {@code checkpoint}, {@code optimize} or {@code integrity-check}; on an engine that
	 * does one of them by itself (PostgreSQL vacuums and analyzes with autovacuum, and
	 * has no log of the store's own), the result says that nothing was done and why
	 * @return what was done, or {@code null} if there is no such store
	 */
	@WriteOperation
	public @Nullable MaintenanceDescriptor maintain(@Selector String name, String action) {
		DictStore store = this.stores.get().get(name);
		if (store == null) {
			return null;
		}
		long started = System.nanoTime();
		String result = switch (action.toLowerCase(Locale.ROOT)) {
			case "sweep" -> store.sweep() + " expired entries deleted";
			case "vacuum" -> store.vacuum() ? "vacuumed"
					: nothingToDo(store, "reclaims the space of deleted rows by itself (autovacuum)");
			case "checkpoint" -> store.checkpoint() ? "checkpointed"
					: nothingToDo(store, "has no write-ahead log of the store's own to checkpoint");
			case "optimize" -> store.optimize() ? "optimized"
					: nothingToDo(store, "keeps its planner statistics by itself (autovacuum analyzes)");
			case "integrity-check" -> store.checkIntegrity();
			default -> throw new IllegalArgumentException(
					"Unknown action '" + action + "': use sweep, vacuum, checkpoint, optimize or integrity-check");
		};
		return new MaintenanceDescriptor(name, action, result, (System.nanoTime() - started) / 1_000_000);
	}

	/** Why an action did nothing; the stats are read only then, for the engine's name. */
	private static String nothingToDo(DictStore store, String why) {
		return "nothing to do: " + store.stats().engine() + " " + why;
	}

	private static StoreDescriptor describe(DictStore store) {
		StoreStats stats = store.stats();
		return new StoreDescriptor(stats.engine(), stats.location(), (store.path() != null) ? stats.location() : null,
				known(stats.fileSize()), known(stats.walSize()), known(stats.freeDiskSpace()), stats.dicts(),
				stats.lastMaintenance());
	}

	/** An engine reports -1 for a figure it does not have: left out. */
	private static @Nullable Long known(long figure) {
		return (figure >= 0) ? figure : null;
	}

	/**
	 * Every store, by name.
	 *
	 * @param stores the stores
	 */
	public record StoresDescriptor(Map<String, StoreDescriptor> stores) implements OperationResponseBody {
	}

	/**
	 * One store. A figure the store's engine does not have is {@code null} and left out:
	 * a store on PostgreSQL has no file, write-ahead log or disk of its own, and its
	 * {@code fileSize} is the size of its tables.
	 *
	 * @param engine the engine that holds the store: {@code SQLite} or {@code PostgreSQL}
	 * @param location the file, or the database's URL and schema
	 * @param path the file, or {@code null} for a store without one
	 * @param fileSize the file's (or the tables') size in bytes
	 * @param walSize the write-ahead log's size in bytes
	 * @param freeDiskSpace usable bytes on the disk
	 * @param dicts the dicts and their counters, by qualified name
	 * @param lastMaintenance what the last maintenance did
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record StoreDescriptor(String engine, String location, @Nullable String path, @Nullable Long fileSize,
			@Nullable Long walSize, @Nullable Long freeDiskSpace, Map<String, DictStats> dicts,
			StoreStats.@Nullable MaintenanceReport lastMaintenance) implements OperationResponseBody {
	}

	/**
	 * The result of a maintenance action.
	 *
	 * @param store the store
	 * @param action the action
	 * @param result what it did
	 * @param millis how long it took
	 */
	public record MaintenanceDescriptor(String store, String action, String result,
			long millis) implements OperationResponseBody {
	}

}
