package io.persistentdict;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.persistentdict.engine.Session;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Totals;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bounded dict's bounds: after each write, in the same transaction, it reads the
 * dict's totals (one row, no count) and, once the dict is over its bound by more than the
 * {@linkplain #slack(long) slack}, deletes the expired rows and then the oldest rows by
 * stamp (sampled: see the engine) down to the bound exactly, the whole excess at once. So
 * a write pays for a delete only once in {@code slack + 1} writes, and the dict never
 * goes below its bound for it. A {@code set} within the room this JVM has left since its
 * last check ({@link #reserve}, at most a slack) skips the check and takes the plain
 * write path.
 *
 * <p>
 * A bound lowered at reopen leaves the dict over it: the dict drains in the background in
 * {@link #BATCH}-row transactions, each write evicts a few rows more than it adds, and
 * {@link DictStore#sweep()} finishes the job; stats show the dict over its bound until
 * then.
 *
 * <p>
 * For {@link EvictionPolicy#LEAST_RECENTLY_USED}, reads note their keys in memory when
 * the stamp they saw is older than an eighth of the dict's turnover (in writes of its
 * logical clock); the notes are written as new stamps inside the next write transaction,
 * or within half a second through one of their own, and before any eviction.
 */
final class Bounds {

	private static final Logger logger = LoggerFactory.getLogger(Bounds.class);

	/** The most rows one eviction statement deletes: a few milliseconds. */
	static final int BATCH = 1000;

	/** Rows a write evicts beyond its own while a lowered bound drains. */
	static final int EXTRA = 4;

	/** The most keys an LRU dict remembers between flushes: reads past it go unnoted. */
	private static final int MAX_NOTED = 65_536;

	private static final long FLUSH_DELAY_MILLIS = 500;

	private final EngineStore store;

	private final TableStore table;

	private final DictCounters counters;

	private final String name;

	private final long maximumSize;

	private final long maximumBytes;

	private final long sizeSlack;

	private final long bytesSlack;

	private final boolean lru;

	/** Keys read with a stale stamp, to stamp at the next write transaction. */
	private final ConcurrentHashMap<Object, Boolean> noted = new ConcurrentHashMap<>();

	/** Keys stamped since their row was read into a near cache: the clock then. */
	private final ConcurrentHashMap<Object, Long> stamped = new ConcurrentHashMap<>();

	private final AtomicBoolean flushScheduled = new AtomicBoolean();

	private final AtomicBoolean draining = new AtomicBoolean();

	/** The dict's clock and rows at the last totals this JVM read. */
	private volatile long clock;

	private volatile long rows;

	/**
	 * How many more rows and bytes this JVM may write without a check: what is left of
	 * the bound and its slack at the last totals, less the writes since. A write within
	 * it cannot take the dict past its bound and slack (by this JVM's writes), so it
	 * skips the check and goes down the plain write path, which group commit merges.
	 */
	private final AtomicLong headroomRows = new AtomicLong();

	private final AtomicLong headroomBytes = new AtomicLong();

	/** Writes this JVM made since the last mark. */
	private long writesSinceMark;

	/** Writes that took the room of {@link #reserve} since the last check. */
	private final AtomicLong unchecked = new AtomicLong();

	/** The clock at the last mark, and at the one before: an eighth of a turnover ago. */
	private volatile long lastMark;

	private volatile long eighthAgo;

	/** Keys evicted since the near cache was last told. */
	private final java.util.concurrent.ConcurrentLinkedQueue<Object> evictedKeys = new java.util.concurrent.ConcurrentLinkedQueue<>();

	/** Whether expired rows were swept since the near cache was last told. */
	private volatile boolean sweptSinceWrite;

	Bounds(EngineStore store, TableStore table, DictCounters counters, long maximumSize, long maximumBytes,
			boolean lru) {
		this.store = store;
		this.table = table;
		this.counters = counters;
		this.name = table.name();
		this.maximumSize = maximumSize;
		this.maximumBytes = maximumBytes;
		this.sizeSlack = slack(maximumSize);
		this.bytesSlack = (maximumBytes == Long.MAX_VALUE) ? 0 : maximumBytes / 100;
		this.lru = lru;
	}

	/**
	 * Return how many entries a dict may hold above its maximum size when a write
	 * returns: 1% of the bound, at most one eviction statement's {@link #BATCH} (none
	 * below 100 entries). The write that finds the dict past it pays for a transaction of
	 * totals and eviction, once per slack's worth of writes. On a bound of 20,000, JMH
	 * {@code PostgresBoundsBenchmark.setNew} (writes of new keys) ran at 0.62-0.80x of an
	 * unbounded dict with a slack of 64, and at 0.79-0.85x with 1%, 200.
	 * @param maximumSize the bound
	 * @return the slack
	 */
	static long slack(long maximumSize) {
		return (maximumSize == Long.MAX_VALUE) ? 0 : Math.min(BATCH, maximumSize / 100);
	}

	boolean lru() {
		return this.lru;
	}

	/**
	 * Refuse a value that could never fit, before anything is written.
	 * @param key the encoded key
	 * @param value the stored value
	 */
	void checkFits(Object key, byte[] value) {
		long bytes = Totals.keyBytes(key) + value.length;
		if (bytes > this.maximumBytes) {
			throw new IllegalArgumentException("Entry of " + bytes + " bytes (key and value as stored) is larger than"
					+ " dict '" + this.name + "' in store " + this.store.location() + " may hold (maximumBytes "
					+ this.maximumBytes + "); nothing was written. Store a smaller value, or raise withMaximumBytes");
		}
	}

	/**
	 * Reserve room for one entry: whether its write may skip the check, because this
	 * JVM's writes since the last totals cannot have taken the dict past its bound and
	 * slack. Never while a lowered bound drains. An LRU dict's next check counts them
	 * towards its marks.
	 * @param key the encoded key
	 * @param value the stored value
	 * @return whether the write may go unchecked
	 */
	boolean reserve(Object key, byte[] value) {
		if (this.draining.get()) {
			return false;
		}
		if (this.headroomRows.decrementAndGet() < 0) {
			this.headroomRows.incrementAndGet();
			return false;
		}
		long bytes = Totals.keyBytes(key) + value.length;
		if (this.headroomBytes.addAndGet(-bytes) < 0) {
			this.headroomBytes.addAndGet(bytes);
			this.headroomRows.incrementAndGet();
			return false;
		}
		if (this.lru) {
			this.unchecked.incrementAndGet();
		}
		return true;
	}

	/**
	 * After a write of this dict, inside its transaction: bring the dict within its
	 * bound.
	 * @param writer the write session
	 * @param written how many rows the write wrote
	 * @throws SQLException on failure
	 */
	void afterWrite(Session writer, int written) throws SQLException {
		Totals totals = this.table.totals(writer);
		remember(totals);
		if (this.lru) {
			mark(written + this.unchecked.getAndSet(0), totals.clock());
		}
		if (totals.rows() <= this.maximumSize + this.sizeSlack
				&& totals.bytes() <= this.maximumBytes + this.bytesSlack) {
			return;
		}
		if (this.lru) {
			flush(writer);
		}
		long budget = this.draining.get() ? (long) written + EXTRA : Long.MAX_VALUE;
		evict(writer, totals, budget);
	}

	/**
	 * Evict down to the bound (expired rows first), at most {@code budget} live rows.
	 * @return how many rows were evicted
	 */
	private long evict(Session writer, Totals totals, long budget) throws SQLException {
		long evicted = 0;
		long now = this.store.now();
		boolean swept = false;
		while (budget > 0 && (totals.rows() > this.maximumSize || totals.bytes() > this.maximumBytes)) {
			long excessRows = Math.max(0, totals.rows() - this.maximumSize);
			long excessBytes = Math.max(0, totals.bytes() - this.maximumBytes);
			if (!swept) {
				// expired rows go first, and count as expirations
				swept = true;
				int expired = this.table.sweepBatch(writer, now, BATCH);
				if (expired > 0) {
					this.counters.expirations.add(expired);
					this.sweptSinceWrite = true;
					totals = this.table.totals(writer);
					continue;
				}
			}
			int limit = (int) Math.min(BATCH, budget);
			long olderThan = (this.lru && this.eighthAgo > 0) ? this.eighthAgo : Long.MAX_VALUE;
			List<Object> keys = this.table.evict(writer, Math.min(excessRows, limit), excessBytes, olderThan, limit);
			int n = keys.size();
			if (n == 0) {
				break;
			}
			evicted += n;
			budget -= n;
			this.evictedKeys.addAll(keys);
			totals = this.table.totals(writer);
		}
		remember(totals);
		this.counters.evictions.add(evicted);
		return evicted;
	}

	/**
	 * Count writes (on the writer thread): every eighth of the bound's worth of them,
	 * move the marks on, so that a stamp older than {@code eighthAgo} is one that an
	 * eighth of a turnover of writes has passed.
	 */
	private void mark(long written, long clock) {
		this.writesSinceMark += written;
		if (this.writesSinceMark >= Math.max(1, Math.min(this.rows, this.maximumSize) / 8)) {
			this.writesSinceMark = 0;
			this.eighthAgo = this.lastMark;
			this.lastMark = clock;
		}
	}

	private void remember(Totals totals) {
		this.clock = totals.clock();
		this.rows = totals.rows();
		// at most a slack's worth between checks, whatever the room: other stores write
		// the dict too, and each of them may use its own slack unchecked
		this.headroomRows.set((this.maximumSize == Long.MAX_VALUE) ? Long.MAX_VALUE / 2
				: Math.min(this.sizeSlack, this.maximumSize + this.sizeSlack - totals.rows()));
		this.headroomBytes.set((this.maximumBytes == Long.MAX_VALUE) ? Long.MAX_VALUE / 2
				: Math.min(this.bytesSlack, this.maximumBytes + this.bytesSlack - totals.bytes()));
	}

	/**
	 * After a write: drop what eviction deleted from the dict's near cache, key by key,
	 * or all of it after a sweep or a very large eviction.
	 * @param near the near cache, or {@code null}
	 */
	void evicted(@Nullable NearCache near) {
		if (this.sweptSinceWrite || this.evictedKeys.size() > MAX_NOTED) {
			this.sweptSinceWrite = false;
			this.evictedKeys.clear();
			this.store.coherence().writtenAll(this.name, near);
			return;
		}
		Object key;
		while ((key = this.evictedKeys.poll()) != null) {
			this.store.coherence().written(this.name, near, key);
		}
	}

	/**
	 * Check, when the dict opens, whether it is over its bound (a bound lowered since it
	 * was filled); if so, drain it in the background.
	 */
	void checkOnOpen() {
		Totals totals = this.store.read(this.table::totals, this.name);
		if (totals == null) {
			return;
		}
		remember(totals);
		if (totals.rows() > this.maximumSize + this.sizeSlack || totals.bytes() > this.maximumBytes + this.bytesSlack) {
			this.draining.set(true);
			CompletableFuture.runAsync(this::drain);
		}
	}

	/** Drain now, in batches of their own transactions, until within the bound. */
	void drainAll() {
		// a batch can evict nothing while another transaction evicts the dict (its
		// background drain, another instance: on PostgreSQL one transaction at a time
		// evicts a dict), so an empty batch ends the drain only once the totals are
		// within
		// the bound, or after DRAIN_ATTEMPTS empty batches in a row
		for (int idle = 0; idle < DRAIN_ATTEMPTS;) {
			if (drainBatch() > 0) {
				idle = 0;
				continue;
			}
			Totals totals = this.store.read(this.table::totals, this.name);
			if (totals == null || (totals.rows() <= this.maximumSize && totals.bytes() <= this.maximumBytes)) {
				return;
			}
			idle++;
			Thread.yield();
		}
	}

	/** Empty drain batches in a row after which a sweep leaves a dict over its bound. */
	private static final int DRAIN_ATTEMPTS = 200;

	/** Drain in batches of their own transactions, until within the bound. */
	private void drain() {
		try {
			while (this.store.isOpen() && drainBatch() > 0) {
				Thread.yield();
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Draining dict '{}' to its lowered bound stopped; writes and the next sweep go on", this.name,
					ex);
		}
	}

	/**
	 * Evict one batch in a transaction of its own.
	 * @return how many rows were evicted, 0 once within the bound
	 */
	long drainBatch() {
		Long n = this.store.writes().submit((w) -> {
			Totals totals = this.table.totals(w);
			if (this.lru) {
				flush(w);
			}
			return evict(w, totals, BATCH);
		}, false);
		long evicted = (n != null) ? n : 0;
		if (evicted == 0) {
			this.draining.set(false);
		}
		evicted(null);
		return evicted;
	}

	// ---- least recently used

	/**
	 * Note a read of a live row: if its stamp is older than an eighth of the dict's
	 * turnover (in writes), queue the key for a new stamp.
	 * @param key the encoded key
	 * @param stamp the stamp the read saw
	 */
	void read(Object key, long stamp) {
		long threshold = this.eighthAgo;
		if (stamp >= threshold && stamp != 0) {
			return;
		}
		Long since = this.stamped.get(key);
		if (since != null && since >= threshold) {
			// a near cache's copy carries the stamp it was read with
			return;
		}
		if (this.noted.size() < MAX_NOTED && this.noted.putIfAbsent(key, Boolean.TRUE) == null) {
			this.store.accessNoted(this);
			if (this.flushScheduled.compareAndSet(false, true)) {
				CompletableFuture.delayedExecutor(FLUSH_DELAY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
					.execute(this::flushSoon);
			}
		}
	}

	private void flushSoon() {
		this.flushScheduled.set(false);
		if (this.store.isOpen() && !this.noted.isEmpty()) {
			try {
				this.store.writes().submit((w) -> null, false);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not write the access stamps of dict '{}'", this.name, ex);
			}
		}
	}

	boolean hasNoted() {
		return !this.noted.isEmpty();
	}

	/**
	 * Write the noted accesses as new stamps, inside a write transaction.
	 * @param writer the write session
	 */
	void flush(Session writer) {
		if (this.noted.isEmpty()) {
			return;
		}
		if (this.stamped.size() > MAX_NOTED) {
			this.stamped.clear();
		}
		List<Object> batch = new ArrayList<>(Math.min(this.noted.size(), TableStore.STAMP_BATCH));
		long clock = this.clock;
		for (Object key : this.noted.keySet()) {
			if (this.noted.remove(key) != null) {
				batch.add(key);
				this.stamped.put(key, clock);
				if (batch.size() == TableStore.STAMP_BATCH) {
					stamp(writer, batch);
					batch.clear();
				}
			}
		}
		stamp(writer, batch);
	}

	private void stamp(Session writer, List<Object> keys) {
		if (keys.isEmpty()) {
			return;
		}
		try {
			this.table.stamp(writer, keys);
		}
		catch (SQLException ex) {
			logger.debug("Access stamps of dict '{}' were not written; those keys look older", this.name, ex);
		}
	}

	@Override
	public String toString() {
		return "Bounds[" + this.name + "]";
	}

	/**
	 * A store's LRU dicts with accesses noted and not yet stamped, by identity: written
	 * before every commit of the store.
	 */
	static final class Noted {

		private final ConcurrentHashMap<Bounds, Bounds> dicts = new ConcurrentHashMap<>();

		void add(Bounds bounds) {
			this.dicts.put(bounds, bounds);
		}

		boolean isEmpty() {
			return this.dicts.isEmpty();
		}

		void flush(Session writer) {
			if (this.dicts.isEmpty()) {
				return;
			}
			for (Bounds bounds : this.dicts.values()) {
				this.dicts.remove(bounds);
				bounds.flush(writer);
			}
		}

	}

	static @Nullable Bounds of(EngineStore store, TableStore table, DictCounters counters, DictSpec<?, ?> spec) {
		return spec.bounded() ? new Bounds(store, table, counters, spec.maximumSize(), spec.maximumBytes(),
				spec.eviction() == EvictionPolicy.LEAST_RECENTLY_USED) : null;
	}

}
