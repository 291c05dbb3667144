package io.persistentdict.benchmarks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import io.persistentdict.PersistentDict;

/**
 * The row work of a bound done by hand on an unbounded dict, for the {@code CHURN} rows
 * of {@link BoundsBenchmark} and {@link PostgresBoundsBenchmark}: once a bound's slack of
 * keys (1% of the bound, at most 1,000, as a bounded dict's) were added beyond the bound,
 * one {@code removeAll} of the oldest added ones down to the bound. The ratio of a
 * bounded dict's {@code set} to it prices the bound's own machinery apart from the
 * inserts and deletes that any bound costs. {@link #wroteNew} does the same for writes of
 * keys never written before.
 */
final class Churn {

	private final int bound;

	/** Which keys the dict holds, and the order they came in. */
	private final BitSet stored = new BitSet();

	private final ArrayDeque<Integer> added = new ArrayDeque<>();

	/** The new keys written ({@link #wroteNew}), oldest first. */
	private final ArrayDeque<String> fresh = new ArrayDeque<>();

	private final int slack;

	Churn(int bound) {
		this.bound = bound;
		this.slack = Math.min(1000, bound / 100);
	}

	/**
	 * Note a key the dict was loaded with.
	 * @param i the key's index
	 */
	void loaded(int i) {
		this.stored.set(i);
		this.added.add(i);
	}

	/**
	 * After a write of a key, delete the oldest keys when the dict went past the slack.
	 * @param i the key's index
	 * @param keys the keys
	 * @param dict the dict
	 */
	void wrote(int i, String[] keys, PersistentDict<String, byte[]> dict) {
		if (this.stored.get(i)) {
			return;
		}
		this.stored.set(i);
		this.added.add(i);
		if (this.added.size() > this.bound + this.slack) {
			List<String> oldest = new ArrayList<>(this.slack + 1);
			while (this.added.size() > this.bound) {
				int old = this.added.poll();
				this.stored.clear(old);
				oldest.add(keys[old]);
			}
			dict.removeAll(oldest);
		}
	}

	/**
	 * After a write of a key never written before ({@link Data#freshKey}), delete the
	 * oldest keys when the dict went past the slack: the keys it was loaded with first.
	 * @param key the key
	 * @param keys the keys the dict was loaded from
	 * @param dict the dict
	 */
	void wroteNew(String key, String[] keys, PersistentDict<String, byte[]> dict) {
		this.fresh.add(key);
		if (this.added.size() + this.fresh.size() > this.bound + this.slack) {
			List<String> oldest = new ArrayList<>(this.slack + 1);
			while (this.added.size() + this.fresh.size() > this.bound) {
				oldest.add(this.added.isEmpty() ? this.fresh.poll() : keys[this.added.poll()]);
			}
			dict.removeAll(oldest);
		}
	}

}
