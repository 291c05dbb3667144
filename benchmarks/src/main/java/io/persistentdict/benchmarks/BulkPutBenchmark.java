package io.persistentdict.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code putAll} of every entry into an empty store, in one transaction where the peer
 * has them. Each iteration gets a new, empty store. {@link #putAll} hands over the
 * entries in key order (a {@code LinkedHashMap}, the best case for a B-tree);
 * {@link #putAllUnordered} hands over a {@code HashMap}, whose order is the hash's, as an
 * application's map usually is.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BulkPutBenchmark {

	/**
	 * The entries, and an empty store per iteration.
	 */
	@State(Scope.Benchmark)
	public static class Empty extends Params {

		Map<String, byte[]> all;

		Map<String, byte[]> unordered;

		@Setup(Level.Trial)
		public void data() {
			prepareData();
			this.all = Data.entries(this.keys, this.values, 0, this.entries, -1);
			this.unordered = new java.util.HashMap<>(this.all);
		}

		@Setup(Level.Iteration)
		public void setUp() {
			openFresh();
		}

		@TearDown(Level.Iteration)
		public void tearDown() {
			closeAndDelete();
		}

	}

	@Benchmark
	public Object putAll(Empty store) {
		store.kv.putAll(store.all);
		return store;
	}

	@Benchmark
	public Object putAllUnordered(Empty store) {
		store.kv.putAll(store.unordered);
		return store;
	}

}
