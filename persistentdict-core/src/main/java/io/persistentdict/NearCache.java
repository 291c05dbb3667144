package io.persistentdict;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.persistentdict.Table.Row;
import org.jspecify.annotations.Nullable;

/**
 * Hot entries of one dict kept in this JVM as their stored bytes, so a hit costs a hash
 * lookup and a decode, and callers still get copies. Shared by every handle on the dict
 * in one store.
 *
 * <p>
 * Correctness: writes through this store invalidate their key once they have committed. A
 * read that raced with such a write cannot leave a stale entry behind: it notes the
 * invalidation epoch before reading the database, and takes its entry back out if the
 * epoch moved while it was inserting. Writes by other processes, or other stores on the
 * same file, are noticed through {@code PRAGMA data_version}, checked at most every few
 * milliseconds, and clear the whole cache.
 */
final class NearCache {

	private final ConcurrentHashMap<Object, Row> entries = new ConcurrentHashMap<>();

	private final AtomicLong epoch = new AtomicLong();

	private final int maxEntries;

	NearCache(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	@Nullable Row get(Object key) {
		return this.entries.get(key);
	}

	long epoch() {
		return this.epoch.get();
	}

	/**
	 * Cache a row read from the database, unless a write invalidated anything since
	 * {@code epochBeforeRead}.
	 */
	void offer(Object key, Row row, long epochBeforeRead) {
		if (this.epoch.get() != epochBeforeRead) {
			return;
		}
		if (this.entries.size() >= this.maxEntries) {
			evictSome();
		}
		this.entries.put(key, row);
		if (this.epoch.get() != epochBeforeRead) {
			this.entries.remove(key, row);
		}
	}

	void invalidate(Object key) {
		this.epoch.incrementAndGet();
		this.entries.remove(key);
	}

	void clear() {
		this.epoch.incrementAndGet();
		this.entries.clear();
	}

	int size() {
		return this.entries.size();
	}

	/**
	 * Drop about a sixteenth of the entries; hash order makes the choice close to random.
	 */
	private void evictSome() {
		int toEvict = Math.max(1, this.maxEntries / 16);
		Iterator<Object> keys = this.entries.keySet().iterator();
		while (toEvict-- > 0 && keys.hasNext()) {
			keys.next();
			keys.remove();
		}
	}

}
