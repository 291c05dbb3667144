package io.persistentdict.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

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

/**
 * {@code putAll} of every entry (in key order) into an empty store, one transaction, for
 * the PostgreSQL peers beside a SQLite file and Redis. Each iteration gets a new, empty
 * store: on PostgreSQL a database of its own.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PostgresBulkBenchmark {

	/**
	 * The entries, and an empty store per iteration.
	 */
	@State(Scope.Benchmark)
	public static class Empty extends Params {

		/** Which of the suite's rounds this is. */
		@Param("1")
		public int round;

		Map<String, byte[]> all;

		@Setup(Level.Trial)
		public void data() {
			prepareData();
			this.all = Data.entries(this.keys, this.values, 0, this.entries, -1);
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

}
