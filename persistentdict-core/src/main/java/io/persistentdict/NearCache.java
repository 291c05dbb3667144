package io.persistentdict;

import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.persistentdict.engine.Row;
import org.jspecify.annotations.Nullable;

/**
 * Hot entries of one dict kept in this JVM as their stored bytes, so a hit costs a hash
 * lookup and a decode, and callers still get copies. Shared by every handle on the dict
 * in one store.
 *
 * <p>
 * Correctness: {@link Coherence} holds the rules. Here, a read that raced with a write
 * cannot leave a stale entry behind: it notes the invalidation epoch before reading the
 * database, and takes its entry back out if the epoch moved while it was inserting.
 *
 * <p>
 * Policy: Caffeine's W-TinyLFU, bounded to the dict's near-cache size. It admits a new
 * key only when its estimated frequency beats the entry it would push out, so a scan of
 * one-off reads does not flush the hot entries. On a Zipf trace and on one with scans
 * mixed in, it kept more hits than the CLOCK cache with a doorkeeper it replaced (the
 * benchmarks' {@code HitRatio}); its maintenance runs on the calling threads.
 */
final class NearCache {

	private final Cache<Object, Row> entries;

	private final AtomicLong epoch = new AtomicLong();

	NearCache(int maxEntries) {
		this.entries = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
	}

	@Nullable Row get(Object key) {
		return this.entries.getIfPresent(key);
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
		this.entries.put(key, row);
		if (this.epoch.get() != epochBeforeRead) {
			// a write raced with this read: its invalidation may have run before the put
			this.entries.asMap().remove(key, row);
		}
	}

	void invalidate(Object key) {
		this.epoch.incrementAndGet();
		this.entries.invalidate(key);
	}

	void clear() {
		this.epoch.incrementAndGet();
		this.entries.invalidateAll();
	}

	long size() {
		return this.entries.estimatedSize();
	}

}
