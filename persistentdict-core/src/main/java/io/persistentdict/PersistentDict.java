package io.persistentdict;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ConcurrentMap} that lives in a {@link DictStore} (a SQLite file, or another
 * engine's database), survives restarts and expires its entries.
 *
 * <pre class="code">
 * try (DictStore store = DictStore.open(Path.of("data/app.db"))) {
 *     PersistentDict&lt;String, User&gt; users = store.dict("users", String.class, User.class);
 *     users.put("u1", alice);
 *     users.put("s1", bob, Duration.ofMinutes(30)); // this entry expires in 30 minutes
 * }
 * </pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 * <li>Every write is committed when the call returns. Concurrent writers share commits
 * (group commit), but each caller returns only after the commit that holds its own write.
 * On SQLite at the default {@link Synchronous#NORMAL} a commit survives a crash of the
 * process but may be lost, with the last few before it, if the machine loses power; at
 * {@link Synchronous#FULL} it is durable on return.</li>
 * <li>{@code putIfAbsent}, {@code replace}, {@code remove(k, v)}, {@code compute*} and
 * {@code merge} are atomic across threads and across processes: each runs in one write
 * transaction that holds the key from its read to its commit. Their functions run inside
 * that transaction: keep them quick. A function may read and write other dicts of the
 * same store: those calls join its transaction and commit or roll back with it (see
 * {@link DictStore#inTransaction(java.util.function.Supplier)}). The same holds for a
 * dict of the same store given to {@link #putAll} or {@link #removeAll}, for a view's
 * bulk methods, and for the work of {@link #batch}. A retried transaction (an engine with
 * several writers retries conflicts) may apply a function more than once.</li>
 * <li>Stored values are copies: mutating a returned object changes nothing until it is
 * put back.</li>
 * <li>Every write without a TTL of its own sets the entry's expiry from the dict's TTL,
 * or clears it if the dict has none: {@code put(k, v)}, {@code replace}, {@code compute*}
 * and {@code merge} all do, as Redis's {@code SET} does. To keep an entry's own TTL, put
 * it again with {@link #put(Object, Object, Duration)}.</li>
 * <li>An expired entry is invisible to every read and conditional write from the instant
 * it expires, whether or not a sweep has deleted it.</li>
 * <li>Views ({@link #keySet()}, {@link #values()}, {@link #entrySet()}) are live and
 * write through. Their iterators page through the dict, hold no database cursor between
 * calls, never throw {@code ConcurrentModificationException}, and are weakly consistent,
 * like {@code ConcurrentHashMap}'s. Order: a {@link Layout#COMPACT} or
 * {@link Layout#SPLIT} dict (the default) iterates in key order; on SQLite a
 * {@link Layout#ROWID} dict iterates in insertion order, as a sequential scan (an update
 * keeps an entry's place; a key removed and put again moves to the end, and so may be
 * seen twice by an iteration that was under way). {@link #prefix} and {@link #range} are
 * always in key order.</li>
 * <li>{@link #size()} is exact and cheap: the engine keeps each dict's count of rows (and
 * bytes) in the same transaction as every write, whoever writes (another process, the
 * command-line tool), so {@code size()} reads that count and subtracts the expired
 * entries not yet swept, which it counts through the expiry index: its cost grows with
 * those, not with the dict. {@link #isEmpty()} is cheap too.</li>
 * <li>Null keys and values are rejected, as {@code ConcurrentHashMap} rejects them.</li>
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface PersistentDict<K, V> extends ConcurrentMap<K, V> {

	/**
	 * Return the dict's name.
	 * @return the name
	 */
	String name();

	/**
	 * Return the spec the dict was opened with.
	 * @return the spec
	 */
	DictSpec<K, V> spec();

	/**
	 * Put an entry that expires after {@code ttl}, whatever the dict's default TTL.
	 * @param key the key
	 * @param value the value
	 * @param ttl a positive duration
	 * @return the previous live value, or {@code null}
	 */
	@Nullable V put(K key, V value, Duration ttl);

	/**
	 * Put an entry without reading the previous value: the fast path, for callers (such
	 * as Spring's {@code Cache.put}) that do not need it.
	 * @param key the key
	 * @param value the value
	 */
	void set(K key, V value);

	/**
	 * Put an entry that expires after {@code ttl}, without reading the previous value.
	 * @param key the key
	 * @param value the value
	 * @param ttl a positive duration
	 */
	void set(K key, V value, Duration ttl);

	/**
	 * Put an entry that expires after {@code ttl} if no live entry has the key.
	 * @param key the key
	 * @param value the value
	 * @param ttl a positive duration
	 * @return the existing live value, or {@code null} if this value was put
	 */
	@Nullable V putIfAbsent(K key, V value, Duration ttl);

	/**
	 * Put every entry in one transaction, each expiring after {@code ttl}.
	 * <p>
	 * A map without an order of its own ({@code HashMap}, {@code ConcurrentHashMap},
	 * {@code Map.of}) of 64 entries or more is written in key order, which keeps SQLite's
	 * key index in cache: a million random UUID keys, in maps of 100,000, went in 2.2
	 * times as fast. A {@code SortedMap} or {@code LinkedHashMap} is written in its own
	 * order. A {@link Layout#ROWID} dict iterates in the order rows were written.
	 * @param entries the entries
	 * @param ttl a positive duration, or {@code null} for the dict's default
	 */
	void putAll(Map<? extends K, ? extends V> entries, @Nullable Duration ttl);

	/**
	 * Remove every given key in one transaction.
	 * @param keys the keys
	 * @return how many live entries were removed
	 */
	int removeAll(Iterable<? extends K> keys);

	/**
	 * Apply several operations atomically, in one transaction: either all of them are
	 * committed or none is. The batch runs while the write lock is held; keep it quick.
	 * @param operations what to do
	 */
	void batch(Consumer<Batch<K, V>> operations);

	/**
	 * Return when the entry expires.
	 * @param key the key
	 * @return the expiry; empty when the key is absent, expired, or never expires
	 */
	Optional<Instant> expiresAt(K key);

	/**
	 * Make a live entry expire {@code ttl} from now, without rewriting its value
	 * (expiringsqlitedict's {@code postpone}).
	 * @param key the key
	 * @param ttl a positive duration
	 * @return {@code true} if the entry was live and its expiry was changed
	 */
	boolean expire(K key, Duration ttl);

	/**
	 * Make a live entry never expire.
	 * @param key the key
	 * @return {@code true} if the entry was live
	 */
	boolean persist(K key);

	/**
	 * Re-stamp every live entry with the dict's current default TTL, counted from now (or
	 * make them never expire if the dict has no TTL). Use it after changing the default
	 * TTL, which otherwise applies to later writes only.
	 * @return how many entries were re-stamped
	 */
	long restampAll();

	/**
	 * Stream the live entries whose {@code String} key starts with {@code prefix}, in key
	 * order, from the key index. The stream pages through the table; close it, or consume
	 * it to the end, to release nothing more than a page of memory.
	 * @param prefix the prefix
	 * @return the entries; none if the dict's keys are not stored as text (numbers never
	 * start with a string)
	 * @throws IllegalArgumentException if the prefix has an unpaired surrogate, which
	 * UTF-8 text cannot hold
	 */
	Stream<Map.Entry<K, V>> prefix(String prefix);

	/**
	 * Stream the live entries with {@code from <= key < to}, in key order.
	 * @param from the lowest key, inclusive, or {@code null} for the first
	 * @param to the highest key, exclusive, or {@code null} for the last
	 * @return the entries
	 */
	Stream<Map.Entry<K, V>> range(@Nullable K from, @Nullable K to);

	/**
	 * Return the number of live entries as a {@code long}.
	 * @return the count
	 */
	long mappingCount();

	/**
	 * Delete this dict's expired entries now, in small batches.
	 * @return how many were deleted
	 */
	long sweep();

	/**
	 * Return this dict's counters, its exact entry count (like {@link #size()}) and its
	 * stored bytes, from the counts the engine keeps.
	 * @return the stats
	 */
	DictStats stats();

	/**
	 * Write every live entry to a file of JSON lines, one object an entry, through a
	 * temporary file that is then renamed, so that a crash never leaves half a file; a
	 * new file is readable by its owner only. Each value is in the most readable form its
	 * codec allows, and an entry that expires says when as an ISO-8601 instant:
	 *
	 * <pre>
	 * {"key":"u1","value":"alice","expiresAt":"2026-12-03T10:15:30Z"}
	 * {"key":42,"value":{"id":42,"total":19.99}}
	 * {"key":"blob","valueBase64":"AAEC/w=="}
	 * {"key":"o1","stored":"B6ztAAVzcgAU..."}
	 * </pre>
	 *
	 * Strings, numbers and booleans are themselves ({@code "NaN"}, {@code "Infinity"} and
	 * {@code "-Infinity"} as strings), a {@code json}-codec value is its JSON document,
	 * {@code byte[]} values are base64 in {@code valueBase64}, and values of the
	 * {@code java} codec and custom codecs are the base64 of their stored bytes in
	 * {@code stored}. Keys are JSON strings or integers as they are stored
	 * ({@code keyBase64} for binary keys). Numbers are written exactly.
	 * @param file the target
	 * @return how many entries were written
	 */
	long exportTo(Path file);

	/**
	 * Read a file of entries as {@link #exportTo(Path)} writes them and put them, all in
	 * one transaction, keeping their expiry; entries already expired are skipped, and a
	 * later entry for a key wins over an earlier one. The file is any sequence of JSON
	 * objects: one a line, or pretty-printed over several lines (as {@code jq} prints
	 * them), or the elements of a top-level array; files of the first export format
	 * ({@code k}, {@code v}, {@code x}) import too. A {@code value} is stored with this
	 * dict's codec when that is built in, else with the built-in codec of its value type.
	 * <p>
	 * All or nothing: an entry that is not valid JSON, not an entry, or not a key and
	 * value this dict could have written fails the import with a message that names its
	 * line, and nothing in the dict changes.
	 * @param file the source
	 * @return how many entries were put
	 * @throws PersistentDictException if an entry is refused, naming its line, or the
	 * file cannot be read
	 */
	long importFrom(Path file);

	/**
	 * Return the store this dict lives in.
	 * @return the store
	 */
	DictStore store();

	/**
	 * Operations that {@link PersistentDict#batch} applies in one transaction.
	 *
	 * @param <K> the key type
	 * @param <V> the value type
	 */
	interface Batch<K, V> {

		/**
		 * Read a key, seeing the batch's own earlier writes.
		 * @param key the key
		 * @return the live value, or {@code null}
		 */
		@Nullable V get(K key);

		/**
		 * Put an entry with the dict's default TTL.
		 * @param key the key
		 * @param value the value
		 */
		void put(K key, V value);

		/**
		 * Put an entry that expires after {@code ttl}.
		 * @param key the key
		 * @param value the value
		 * @param ttl a positive duration
		 */
		void put(K key, V value, Duration ttl);

		/**
		 * Remove a key.
		 * @param key the key
		 * @return whether a live entry was removed
		 */
		boolean remove(K key);

	}

}
