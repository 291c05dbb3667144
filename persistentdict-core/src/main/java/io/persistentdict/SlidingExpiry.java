package io.persistentdict;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.persistentdict.engine.Session;
import io.persistentdict.engine.TableStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sliding expiry's refreshes: a read of an entry past half its TTL queues a refresh, and
 * the store writes the queued refreshes inside its next write transaction, or within half
 * a second through an empty one. Reads never write.
 */
final class SlidingExpiry {

	private static final Logger logger = LoggerFactory.getLogger(SlidingExpiry.class);

	private static final long FLUSH_DELAY_MILLIS = 500;

	/**
	 * Dicts with queued refreshes, by identity: a dict's own hashCode reads the table.
	 */
	private final ConcurrentHashMap<Object, Dict> queued = new ConcurrentHashMap<>();

	private final AtomicBoolean flushScheduled = new AtomicBoolean();

	private final EngineStore store;

	SlidingExpiry(EngineStore store) {
		this.store = store;
	}

	/**
	 * Return the refreshes of one dict handle.
	 * @param table the dict's table
	 * @param ttlMillis the dict's TTL
	 * @return the dict's queue
	 */
	Dict forDict(TableStore table, long ttlMillis) {
		return new Dict(table, ttlMillis);
	}

	/** Whether no refresh is queued, so that a transaction has none to write. */
	boolean isEmpty() {
		return this.queued.isEmpty();
	}

	/**
	 * Write every queued refresh; runs inside a write transaction, before its commit.
	 * @param writer the write session
	 */
	void flush(Session writer) {
		if (this.queued.isEmpty()) {
			return;
		}
		long now = this.store.now();
		for (Dict dict : this.queued.values()) {
			this.queued.remove(dict);
			dict.flush(writer, now);
		}
	}

	private void queued(Dict dict) {
		this.queued.put(dict, dict);
		if (this.flushScheduled.compareAndSet(false, true)) {
			CompletableFuture.delayedExecutor(FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
				this.flushScheduled.set(false);
				if (this.store.isOpen() && !this.queued.isEmpty()) {
					try {
						this.store.flushRefreshes();
					}
					catch (RuntimeException ex) {
						logger.debug("Could not flush sliding expiry refreshes of {}", this.store, ex);
					}
				}
			});
		}
	}

	/**
	 * The refreshes queued by one dict handle, by encoded key. Equal only to itself.
	 */
	final class Dict {

		private final ConcurrentHashMap<Object, Touch> touches = new ConcurrentHashMap<>();

		private final TableStore table;

		private final long ttlMillis;

		private Dict(TableStore table, long ttlMillis) {
			this.table = table;
			this.ttlMillis = ttlMillis;
		}

		/**
		 * Note a read of a live entry: past half its TTL, queue a refresh.
		 * @param key the encoded key
		 * @param expiresAt the expiry the read saw
		 * @param now the current time
		 */
		void read(Object key, long expiresAt, long now) {
			if (expiresAt != 0 && expiresAt - now < this.ttlMillis / 2) {
				this.touches.put(key, new Touch(expiresAt, now + this.ttlMillis));
				queued(this);
			}
		}

		private void flush(Session writer, long now) {
			for (Map.Entry<Object, Touch> entry : this.touches.entrySet()) {
				Touch touch = entry.getValue();
				if (this.touches.remove(entry.getKey(), touch)) {
					try {
						this.table.refresh(writer, entry.getKey(), touch.seen(), touch.next(), now);
					}
					catch (SQLException ex) {
						logger.debug("Sliding refresh of a key in dict '{}' failed; it keeps its old expiry",
								this.table.name(), ex);
					}
				}
			}
		}

	}

	/**
	 * A sliding refresh: the expiry a read saw, and the one to move it to.
	 *
	 * @param seen the expiry the read saw
	 * @param next the new expiry
	 */
	private record Touch(long seen, long next) {
	}

}
