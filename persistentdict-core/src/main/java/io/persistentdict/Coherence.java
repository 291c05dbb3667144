package io.persistentdict;

import java.sql.SQLException;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.persistentdict.engine.ChangeFeed;
import io.persistentdict.engine.ChangeListener;
import io.persistentdict.engine.Row;
import io.persistentdict.engine.Session;
import org.jspecify.annotations.Nullable;

/**
 * The near caches of one store, and every rule that keeps them coherent. A near cache
 * never serves a value it cannot prove fresh:
 * <ol>
 * <li><strong>Local writes.</strong> A committed write through this store invalidates its
 * key ({@link #written}), or the whole dict's cache for a write of many keys
 * ({@link #writtenAll}), after the commit and whether or not the write succeeded. Every
 * handle on a dict in one store shares one cache, so a write through a handle without a
 * near cache still invalidates it.</li>
 * <li><strong>Racing reads.</strong> A read notes the cache's invalidation epoch before
 * it reads the database, and its row is cached only if no invalidation happened meanwhile
 * ({@link NearCache#offer}).</li>
 * <li><strong>Other writers.</strong> Other processes and other stores on the same
 * database are heard through the engine's {@link ChangeFeed}: polled by reads at most
 * once per check interval, and at the start of every write transaction while any cache
 * exists. Whatever it reports is dropped ({@link ChangeListener}). Until the feed is
 * {@linkplain ChangeFeed#ready() ready} (it could miss a change), caches take no
 * entries.</li>
 * <li><strong>Hits.</strong> A hit fails as a read would (closed store, call from inside
 * a compute function), looks for other writers first, and is never an expired entry.</li>
 * <li><strong>Transactions.</strong> Reads inside a write transaction (a compute
 * function, a batch, a transaction across dicts) bypass the caches, so that its
 * uncommitted values never reach them; its writes clear their dicts' caches after it
 * committed or rolled back ({@link #defer}).</li>
 * <li><strong>Whole-dict events.</strong> Clearing a dict on open and dropping it clear
 * its cache.</li>
 * </ol>
 * The store never hands a cached row to a caller: the dict decodes a copy.
 */
final class Coherence implements ChangeListener {

	private final ConcurrentHashMap<String, NearCache> caches = new ConcurrentHashMap<>();

	private final ChangeFeed feed;

	private final InstantSource clock;

	/** The feed's poll interval, in nanoseconds. */
	private final long checkNanos;

	private volatile long lastCheck;

	/**
	 * Dicts written inside the calling thread's open transaction: their caches are
	 * cleared once it has committed or rolled back, so that no reader caches a value the
	 * transaction is about to replace.
	 */
	private final ThreadLocal<Set<String>> deferred = ThreadLocal.withInitial(HashSet::new);

	/**
	 * Loads a row from the database.
	 */
	@FunctionalInterface
	interface Loader {

		@Nullable Row load();

	}

	Coherence(ChangeFeed feed, long checkNanos, InstantSource clock) {
		this.feed = feed;
		this.clock = clock;
		this.checkNanos = checkNanos;
		feed.listen(this);
	}

	/**
	 * Return the near cache of a dict, creating it with the given room.
	 * @param dict the dict's qualified name
	 * @param maxEntries the room, if it is created
	 * @return the cache
	 */
	NearCache cache(String dict, int maxEntries) {
		return this.caches.computeIfAbsent(dict, (name) -> new NearCache(maxEntries));
	}

	/** Whether any near cache exists, so that write transactions must look for others. */
	boolean active() {
		return !this.caches.isEmpty();
	}

	/**
	 * Read a key through a dict's near cache.
	 * @param cache the cache
	 * @param key the encoded key
	 * @param counters the dict's counters, which count a hit
	 * @param loader reads the row from the database
	 * @return the row, or {@code null}
	 */
	@Nullable Row read(NearCache cache, Object key, DictCounters counters, Loader loader) {
		checkOthers();
		Row cached = cache.get(key);
		// the clock is read only for rows that can expire
		if (cached != null && (cached.expiresAt() == 0 || cached.isLive(this.clock.millis()))) {
			counters.nearHits.increment();
			return cached;
		}
		long epoch = cache.epoch();
		Row row = loader.load();
		if (row != null && this.feed.ready()) {
			cache.offer(key, row, epoch);
		}
		return row;
	}

	/** Poll the feed, at most once per check interval once it is ready. */
	private void checkOthers() {
		long now = System.nanoTime();
		if (this.feed.ready() && now - this.lastCheck < this.checkNanos) {
			return;
		}
		this.lastCheck = now;
		this.feed.poll();
	}

	/**
	 * At the start of a write transaction: hear of other writers, on the writer.
	 * @param writer the write session
	 * @throws SQLException on failure
	 */
	void inTransaction(Session writer) throws SQLException {
		if (active()) {
			this.feed.inTransaction(writer);
			this.lastCheck = System.nanoTime();
		}
	}

	/**
	 * After a write of one key.
	 * @param dict the dict's qualified name
	 * @param own the writing handle's cache, or {@code null}
	 * @param key the encoded key
	 */
	void written(String dict, @Nullable NearCache own, Object key) {
		NearCache cache = (own != null) ? own : existing(dict);
		if (cache != null) {
			cache.invalidate(key);
		}
	}

	/**
	 * After a write of many keys, or of the whole dict.
	 * @param dict the dict's qualified name
	 * @param own the writing handle's cache, or {@code null}
	 */
	void writtenAll(String dict, @Nullable NearCache own) {
		NearCache cache = (own != null) ? own : existing(dict);
		if (cache != null) {
			cache.clear();
		}
	}

	/**
	 * After a write that joined the calling thread's open transaction: its dict's cache
	 * is cleared when the transaction ends ({@link #flushDeferred}).
	 * @param dict the dict's qualified name
	 */
	void defer(String dict) {
		this.deferred.get().add(dict);
	}

	/**
	 * After the calling thread's outermost write ended, committed or rolled back: clear
	 * the caches of the dicts it wrote inside it.
	 */
	void flushDeferred() {
		Set<String> dicts = this.deferred.get();
		if (!dicts.isEmpty()) {
			dicts.forEach((dict) -> writtenAll(dict, null));
			dicts.clear();
		}
	}

	/**
	 * After a dict was dropped: its cache goes.
	 * @param dict the dict's qualified name
	 */
	void dropped(String dict) {
		NearCache cache = this.caches.remove(dict);
		if (cache != null) {
			cache.clear();
		}
	}

	private @Nullable NearCache existing(String dict) {
		return this.caches.isEmpty() ? null : this.caches.get(dict);
	}

	@Override
	public void clearAll() {
		this.caches.values().forEach(NearCache::clear);
	}

	@Override
	public void clear(String dict) {
		writtenAll(dict, null);
	}

	@Override
	public void invalidate(String dict, Object key) {
		written(dict, null, key);
	}

}
