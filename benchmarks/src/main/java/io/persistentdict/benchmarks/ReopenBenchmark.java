package io.persistentdict.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.persistentdict.benchmarks.peers.Kv;
import org.jspecify.annotations.Nullable;
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
 * Open an existing store and get one key: the time to first get after a restart (the OS
 * page cache is warm). It must not grow with the number of entries.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReopenBenchmark {

	/**
	 * A store written and closed once per trial; each iteration opens it.
	 */
	@State(Scope.Benchmark)
	public static class Closed extends Params {

		@Nullable Kv reopened;

		@Setup(Level.Trial)
		public void setUp() {
			prepareData();
			openFresh();
			Data.load(this.kv, this.keys, this.values);
			this.kv.close();
		}

		@TearDown(Level.Iteration)
		public void closeReopened() {
			if (this.reopened != null) {
				this.reopened.close();
				this.reopened = null;
			}
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			Data.delete(this.dir);
		}

	}

	@Benchmark
	public byte[] reopenAndGet(Closed store) {
		Kv kv = store.open();
		store.reopened = kv;
		byte[] value = kv.get(store.keys[ThreadLocalRandom.current().nextInt(store.entries)]);
		if (value == null) {
			throw new IllegalStateException(store.peer + " lost its entries across a reopen");
		}
		return value;
	}

}
