package io.persistentdict.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.EvictionPolicy;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of a bound, in one run: a dict bounded to {@code entries} entries with each
 * policy beside an unbounded one. {@code set} writes random keys of a key space twice the
 * bound, so a bounded dict evicts all the time (one write in two is of an evicted key);
 * {@code get} reads random keys of the bound's key space from a full dict. {@code CHURN}
 * is an unbounded dict that does the bounded dicts' row work by hand: the same writes,
 * and once the bound's slack of keys (200) were added beyond the bound, one
 * {@code removeAll} of the oldest added ones down to the bound, so that {@code set}'s
 * ratio to it prices the bound's own machinery apart from the inserts and deletes that
 * any bound costs. {@code setNew} writes keys never written before, so that the unbounded
 * dict inserts as often as the bounded ones, which evict one entry a write. Compare the
 * {@code policy} rows of each benchmark: the targets are {@code get} at least
 * 0.95 of {@code NONE} with {@code LEAST_RECENTLY_STORED} and 0.85 with
 * {@code LEAST_RECENTLY_USED}, and {@code set} at least 0.8 while evicting.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class BoundsBenchmark {

	/** A store with one dict, bounded or not. */
	@State(Scope.Benchmark)
	public static class Bounded {

		/**
		 * {@code NONE} for an unbounded dict, {@code CHURN} for one that deletes by hand,
		 * or the bounded dict's policy.
		 */
		@Param({ "NONE", "CHURN", "LEAST_RECENTLY_STORED", "LEAST_RECENTLY_USED" })
		public String policy;

		/** The bound, and the entries the dict holds. */
		@Param("20000")
		public int entries;

		/** The size of each value, in bytes. */
		@Param("100")
		public int valueSize;

		String[] keys;

		byte[][] values;

		Path dir;

		DictStore store;

		PersistentDict<String, byte[]> dict;

		/** Writes so far, which pick each write's value from the pool. */
		int written;

		/** For {@code CHURN}: the deletes by hand. */
		@Nullable Churn churn;

		@Setup(Level.Trial)
		public void setUp() {
			this.keys = Data.keys(this.entries * 2);
			this.values = Data.values(this.valueSize);
			this.dir = Data.newDirectory("bounds");
			this.store = DictStore.open(this.dir.resolve("bounds.db"), StoreOptions.builder().build());
			DictSpec<String, byte[]> spec = DictSpec.of("bounded", String.class, byte[].class);
			if (!"NONE".equals(this.policy) && !"CHURN".equals(this.policy)) {
				spec = spec.withMaximumSize(this.entries).withEviction(EvictionPolicy.valueOf(this.policy));
			}
			this.dict = this.store.dict(spec);
			this.churn = "CHURN".equals(this.policy) ? new Churn(this.entries) : null;
			for (int i = 0; i < this.entries; i++) {
				this.dict.set(this.keys[i], Data.value(this.values, i));
				if (this.churn != null) {
					this.churn.loaded(i);
				}
			}
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.store.close();
			Data.delete(this.dir);
		}

	}

	/**
	 * A write of a new value each time: SQLite skips rewriting a row whose bytes do not
	 * change, so a key written again with the value it holds would cost an unbounded dict
	 * no page, while a bounded one always writes its new stamp.
	 */
	@Benchmark
	public void set(Bounded state) {
		int i = ThreadLocalRandom.current().nextInt(state.keys.length);
		state.dict.set(state.keys[i], Data.value(state.values, state.written++));
		if (state.churn != null) {
			state.churn.wrote(i, state.keys, state.dict);
		}
	}

	/**
	 * A write of a key never written before, as a cache that keeps missing sees: the
	 * unbounded dict grows, and a bounded one evicts one entry for each. This prices the
	 * eviction alone: both insert the same new rows, where in {@link #set} half of the
	 * bounded dict's writes insert a key that the unbounded dict only overwrites.
	 */
	@Benchmark
	public void setNew(Bounded state) {
		String key = Data.freshKey(state.written);
		state.dict.set(key, Data.value(state.values, state.written++));
		if (state.churn != null) {
			state.churn.wroteNew(key, state.keys, state.dict);
		}
	}

	@Benchmark
	public byte[] get(Bounded state) {
		int i = ThreadLocalRandom.current().nextInt(state.entries);
		return state.dict.get(state.keys[i]);
	}

}
