package io.persistentdict;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one dict, shared by every handle on it in this JVM.
 */
final class DictCounters {

	final LongAdder hits = new LongAdder();

	final LongAdder misses = new LongAdder();

	final LongAdder puts = new LongAdder();

	final LongAdder removals = new LongAdder();

	final LongAdder expirations = new LongAdder();

	final LongAdder nearHits = new LongAdder();

	final LongAdder evictions = new LongAdder();

	/** Live entries at the last count, or -1 before the first. */
	volatile long entries = -1;

	DictStats snapshot(String name, long entries, long bytes) {
		return new DictStats(name, entries, this.hits.sum(), this.misses.sum(), this.puts.sum(), this.removals.sum(),
				this.expirations.sum(), this.nearHits.sum(), this.evictions.sum(), bytes);
	}

}
