package io.persistentdict.engine;

import java.nio.file.Path;
import java.time.Duration;

import io.persistentdict.Layout;
import io.persistentdict.StoreOptions;
import org.jspecify.annotations.Nullable;

/**
 * One store's storage engine: its connections, its tables, its catalog and its
 * maintenance. The neutral layer ({@code io.persistentdict}) builds the dicts, their
 * codecs, TTLs, near caches and stats over it.
 *
 * <p>
 * The maintenance operations that mean nothing on an engine keep the meaning their
 * defaults give them: {@link #incrementalVacuum} frees nothing, {@link #vacuumIfDue}
 * never runs, {@link #checkpoint} and {@link #optimize} do nothing, and {@link #backupTo}
 * refuses with a message that names the engine.
 */
public interface Engine {

	/**
	 * Return the engine's name, for messages: {@code SQLite}, {@code PostgreSQL}.
	 * @return the name
	 */
	String name();

	/**
	 * Return the options the store was opened with, as the engine applies them.
	 * @return the options
	 */
	StoreOptions options();

	/**
	 * Return the engine's errors, which also know the store's location.
	 * @return the errors
	 */
	EngineErrors errors();

	/**
	 * Return whether the store was opened read-only.
	 * @return whether it is read-only
	 */
	boolean readOnly();

	/**
	 * Run read work on a pooled session.
	 * @param <T> the result type
	 * @param op the work
	 * @param dict the dict's qualified name for messages, or {@code null}
	 * @return its result
	 */
	<T> @Nullable T read(Op<T> op, @Nullable String dict);

	/**
	 * Return the write scheduler.
	 * @return the scheduler
	 * @throws io.persistentdict.ReadOnlyStoreException if the store is read-only
	 */
	WriteScheduler writes();

	/**
	 * Return whether the calling thread is inside a write operation of this engine, such
	 * as a {@code compute} function: then it must not call the store again.
	 * @return whether it is
	 */
	boolean heldByCurrentThread();

	/**
	 * Set what every write transaction runs; called once, when the store opens.
	 * @param hooks the hooks
	 */
	void install(TransactionHooks hooks);

	/**
	 * Return the storage of one dict.
	 * @param qualifiedName the dict's qualified name
	 * @param layout the layout it was created with (never {@code AUTO})
	 * @param keys what its stored keys are
	 * @param stamped whether the dict is bounded, so that its rows carry order stamps for
	 * {@link TableStore#evict}; its catalog entry must say so too
	 * ({@link CatalogEntry#bounded()}), which is what gave the table its stamps
	 * @return the table
	 * @throws IllegalArgumentException if the engine cannot bound a dict, naming it
	 */
	TableStore table(String qualifiedName, Layout layout, KeyKind keys, boolean stamped);

	/**
	 * Return the catalog.
	 * @return the catalog
	 */
	CatalogStore catalog();

	/**
	 * Return the feed of other connections' commits.
	 * @return the feed
	 */
	ChangeFeed changes();

	/**
	 * Return the file the store lives in, or {@code null} for a store that has none.
	 * @return the path
	 */
	default @Nullable Path path() {
		return null;
	}

	/**
	 * Return what the engine knows of the space the store takes.
	 * @return the figures
	 */
	Storage storage();

	/**
	 * Give free space back to the file system.
	 * @param maxPages the most pages to free, or 0 for all
	 * @return how many pages were freed
	 */
	default long incrementalVacuum(int maxPages) {
		return 0;
	}

	/**
	 * Rebuild the database to reclaim all free space.
	 * @return whether the engine did anything: {@code false} for one that reclaims space
	 * by itself
	 */
	default boolean vacuum() {
		return false;
	}

	/**
	 * Run the scheduled vacuum if it is due, claiming the slot in the catalog's
	 * bookkeeping so that several processes sharing the store do not all vacuum.
	 * @param interval the time between vacuums
	 * @param now the current time, in epoch milliseconds
	 * @return whether a vacuum ran
	 */
	default boolean vacuumIfDue(Duration interval, long now) {
		return false;
	}

	/**
	 * Move the write-ahead log into the database.
	 * @return whether the engine did anything: {@code false} for one without a log of its
	 * own to move
	 */
	default boolean checkpoint() {
		return false;
	}

	/**
	 * Let the engine refresh its query planner's statistics.
	 * @return whether the engine did anything: {@code false} for one that keeps them by
	 * itself
	 */
	default boolean optimize() {
		return false;
	}

	/**
	 * Check what the engine can check of the stored data.
	 * @return {@code ok}, or what is wrong
	 */
	String checkIntegrity();

	/**
	 * Copy the store, while it is in use, to a new file.
	 * @param target the new file; it must not exist
	 */
	default void backupTo(Path target) {
		throw new UnsupportedOperationException("Store " + errors().location() + " is on " + name()
				+ ", which backupTo(Path) cannot copy to a file; back the database up with its own tools");
	}

	/**
	 * Finish pending engine work (such as a final checkpoint) and release every
	 * connection. Called once, after the last write.
	 */
	void close();

}
