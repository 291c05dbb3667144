package io.persistentdict;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.persistentdict.sqlite.SqliteEngine;
import org.jspecify.annotations.Nullable;

/**
 * A database holding any number of named dicts: a SQLite file (or in-memory database),
 * opened with {@link #open(Path)}, {@link #inMemory()} or {@link #temporary()}. The
 * storage engine behind a store is not part of this API; what each engine does with the
 * operations that only mean something to SQLite is said on each of them.
 *
 * <p>
 * A store owns its connections: reads run in parallel on a pool, and concurrent writes
 * share commits. On SQLite, writes are serialized (one writer at a time per file, across
 * processes too). Open one store per database and share it; it is thread-safe. Close it
 * when done: on SQLite, closing checkpoints the WAL.
 *
 * <pre class="code">
 * try (DictStore store = DictStore.open(Path.of("data/app.db"))) {
 *     PersistentDict&lt;String, User&gt; users = store.dict("users", String.class, User.class);
 *     users.put("u1", alice);
 * }
 * </pre>
 *
 * <p>
 * Limits: WAL needs shared memory, so a store file must not live on a network file
 * system. One process writes at a time; others wait up to the busy timeout.
 */
public interface DictStore extends AutoCloseable {

	/**
	 * Open (or create) a store file with the default options. {@code ~} is expanded and
	 * missing parent directories are created; a new file is readable by its owner only.
	 * @param path the file
	 * @return the store
	 * @throws StoreOpenException if the file is not a persistentdict file, is corrupt, or
	 * cannot be accessed
	 */
	static DictStore open(Path path) {
		return open(path, StoreOptions.defaults());
	}

	/**
	 * Open (or create) a store file.
	 * @param path the file
	 * @param options the options
	 * @return the store
	 */
	static DictStore open(Path path, StoreOptions options) {
		Objects.requireNonNull(path, "path must not be null");
		Objects.requireNonNull(options, "options must not be null");
		return new EngineStore(SqliteEngine.openFile(path, options));
	}

	/**
	 * Connect a store to the database behind an application's pool, on the engine found
	 * for it (PostgreSQL, with {@code io.persistentdict:persistentdict-postgres} on the
	 * class path), with the default options. The store borrows connections for each read
	 * and each commit and gives them back; closing the store never closes the data
	 * source.
	 * @param dataSource the data source
	 * @return the store
	 * @throws StoreOpenException if the engine's module is missing, the database is one
	 * no engine serves, or it cannot be reached
	 */
	static DictStore connect(DataSource dataSource) {
		return connect(dataSource, StoreOptions.defaults());
	}

	/**
	 * Connect a store to the database behind a data source.
	 * @param dataSource the data source
	 * @param options the options; an option the engine does not support is refused
	 * @return the store
	 * @throws StoreOpenException if the engine's module is missing, the database is one
	 * no engine serves, or it cannot be reached
	 * @throws IllegalArgumentException for an option the engine does not support
	 */
	static DictStore connect(DataSource dataSource, StoreOptions options) {
		Objects.requireNonNull(dataSource, "dataSource must not be null");
		Objects.requireNonNull(options, "options must not be null");
		return Engines.connect(dataSource, options);
	}

	/**
	 * Open a new in-memory store, shared by all its connections. It lives until it is
	 * closed.
	 * @return the store
	 */
	static DictStore inMemory() {
		return inMemory(StoreOptions.defaults());
	}

	/**
	 * Open a new in-memory store.
	 * @param options the options
	 * @return the store
	 */
	static DictStore inMemory(StoreOptions options) {
		Objects.requireNonNull(options, "options must not be null");
		return new EngineStore(SqliteEngine.openMemory(options));
	}

	/**
	 * Open a store in a new temporary file, deleted when the store is closed.
	 * @return the store
	 */
	static DictStore temporary() {
		return temporary(StoreOptions.defaults());
	}

	/**
	 * Open a store in a new temporary file, deleted when the store is closed.
	 * @param options the options
	 * @return the store
	 */
	static DictStore temporary(StoreOptions options) {
		Objects.requireNonNull(options, "options must not be null");
		return new EngineStore(SqliteEngine.openTemporary(options));
	}

	/**
	 * Return the dict with the given name, creating it if needed, with the default codecs
	 * and no expiry. Handles on the same name, in this JVM or another, see the same data.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param name the name
	 * @param keyType the key type
	 * @param valueType the value type
	 * @return the dict
	 * @throws IncompatibleDictException if the dict exists with other types
	 */
	default <K, V> PersistentDict<K, V> dict(String name, Class<K> keyType, Class<V> valueType) {
		return dict(DictSpec.of(name, keyType, valueType));
	}

	/**
	 * Return the dict described by a spec, creating it if needed.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param spec the spec
	 * @return the dict
	 * @throws IncompatibleDictException if the dict exists with other types or codecs
	 */
	<K, V> PersistentDict<K, V> dict(DictSpec<K, V> spec);

	/**
	 * Return the names of the dicts in the store (sqlitedict's {@code get_tablenames}).
	 * @return the names
	 */
	default Set<String> dictNames() {
		return dictNames(DictSpec.MAP_NAMESPACE);
	}

	/**
	 * Return the names of the dicts in a namespace.
	 * @param namespace the namespace
	 * @return the names
	 */
	Set<String> dictNames(String namespace);

	/**
	 * Drop a dict and all its entries.
	 * @param name the name
	 * @return whether it existed
	 */
	default boolean drop(String name) {
		return drop(DictSpec.MAP_NAMESPACE, name);
	}

	/**
	 * Drop a dict of a namespace and all its entries.
	 * @param namespace the namespace
	 * @param name the name
	 * @return whether it existed
	 */
	boolean drop(String namespace, String name);

	/**
	 * Run work in one transaction across the dicts of this store: it commits when the
	 * work returns, and rolls back when it throws; the work's own exception is rethrown
	 * as it is.
	 *
	 * <pre class="code">
	 * store.inTransaction(() -&gt; {
	 *     Order o = pending.remove(id);
	 *     done.put(id, o.shipped());
	 * });
	 * </pre>
	 *
	 * <p>
	 * Inside it, every read and write on any dict of this store from this thread joins
	 * the transaction and sees its own uncommitted writes; so do the functions of
	 * {@code compute} and {@code merge}, which may read and write other dicts of the
	 * store atomically with their own. A store failure inside the work, even one the work
	 * catches, rolls the whole transaction back, and this method then throws.
	 * Transactions nest: an inner one joins the outer. Other threads wait for the write
	 * path as they do for any write, and never see half of the transaction; so work that
	 * itself waits for another thread that writes to this store deadlocks: do not.
	 * Uncommitted values never reach the near cache. Maintenance ({@link #sweep()},
	 * vacuums, {@link #checkpoint()}, {@link #backupTo}) and {@link #close()} inside it
	 * throw {@link IllegalStateException}. It is atomic across processes, as every write
	 * is.
	 * @param <T> the result type
	 * @param work the work
	 * @return what the work returned
	 */
	<T> @Nullable T inTransaction(Supplier<T> work);

	/**
	 * Run work in one transaction across the dicts of this store, as
	 * {@link #inTransaction(Supplier)} does.
	 * @param work the work
	 */
	default void inTransaction(Runnable work) {
		Objects.requireNonNull(work, "work must not be null");
		inTransaction(() -> {
			work.run();
			return null;
		});
	}

	/**
	 * Delete the expired entries of every dict in the store, in small batches, so readers
	 * and writers are never stalled behind one long transaction.
	 * @return how many were deleted
	 */
	long sweep();

	/**
	 * Give free pages back to the file system, at most {@code maxPages} of them; cheap
	 * and safe to run often. On SQLite this is {@code incremental_vacuum}; an engine
	 * without it frees nothing and returns 0.
	 * @param maxPages the most pages to free, or 0 for all
	 * @return how many pages the file shrank by
	 */
	long incrementalVacuum(int maxPages);

	/**
	 * Rebuild the file with {@code VACUUM}. It takes an exclusive lock and up to twice
	 * the disk space, so run it only on demand. An engine that reclaims space by itself
	 * (PostgreSQL, with autovacuum) does nothing.
	 * @return whether a vacuum ran
	 */
	boolean vacuum();

	/**
	 * Run the scheduled vacuum if it is due: a bounded incremental vacuum and a WAL
	 * checkpoint. The next due time is kept in the store, so several processes sharing it
	 * do not all vacuum. An engine without an incremental vacuum never runs one, and
	 * returns {@code false}.
	 * @param interval the time between vacuums
	 * @return whether a vacuum ran
	 */
	boolean vacuumIfDue(Duration interval);

	/**
	 * Checkpoint SQLite's WAL into the database file and truncate it; on an engine
	 * without one, do nothing.
	 * @return whether a checkpoint ran
	 */
	boolean checkpoint();

	/**
	 * Let the engine refresh its query planner's statistics (SQLite's {@code optimize});
	 * on an engine that does so by itself (PostgreSQL's autovacuum analyzes), do nothing.
	 * @return whether the engine did anything
	 */
	boolean optimize();

	/**
	 * Check what the engine can check of the stored data: on SQLite, its
	 * {@code integrity_check}, which reads the whole file.
	 * @return {@code ok}, or what is wrong
	 */
	String checkIntegrity();

	/**
	 * Copy the store, while it is in use, to a new file ({@code VACUUM INTO}), readable
	 * by its owner only.
	 * @param target the new file; it must not exist
	 * @throws UnsupportedOperationException on an engine that cannot copy itself to a
	 * file; the message names the engine and what to use instead
	 */
	void backupTo(Path target);

	/**
	 * Return a cheap snapshot of the store's state.
	 * @return the stats
	 */
	StoreStats stats();

	/**
	 * Return the file, or {@code null} for an in-memory store or a store with no file
	 * (another engine's database).
	 * @return the path
	 */
	@Nullable Path path();

	/**
	 * Return the options the store was opened with.
	 * @return the options
	 */
	StoreOptions options();

	/**
	 * Return whether the store is open.
	 * @return whether it is open
	 */
	boolean isOpen();

	/**
	 * Finish the engine's work (on SQLite, checkpoint the WAL) and close every
	 * connection. Later calls fail with an {@link IllegalStateException}. Closing twice
	 * does nothing.
	 */
	@Override
	void close();

}
