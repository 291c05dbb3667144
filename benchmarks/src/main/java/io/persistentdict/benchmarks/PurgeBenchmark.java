package io.persistentdict.benchmarks;

import java.time.Duration;
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
 * Delete the expired half of a store: every other key was written with a 1 ms TTL. Each
 * iteration gets a new store.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PurgeBenchmark {

	/**
	 * A store per iteration, half of it expired.
	 */
	@State(Scope.Benchmark)
	public static class HalfExpired extends Params {

		@Setup(Level.Trial)
		public void data() {
			prepareData();
		}

		@Setup(Level.Iteration)
		public void setUp() throws InterruptedException {
			openFresh();
			loadHalfExpired(this);
		}

		@TearDown(Level.Iteration)
		public void tearDown() {
			closeAndDelete();
		}

	}

	/**
	 * Load the even keys without expiry and the odd keys with a 1 ms TTL, then wait for
	 * those to expire.
	 * @param store the store
	 * @throws InterruptedException if interrupted
	 */
	static void loadHalfExpired(Params store) throws InterruptedException {
		for (int from = 0; from < store.entries; from += 100_000) {
			int to = Math.min(store.entries, from + 100_000);
			store.kv.putAll(Data.entries(store.keys, store.values, from, to, 0));
			store.kv.putAll(Data.entries(store.keys, store.values, from, to, 1), Duration.ofMillis(1));
		}
		Thread.sleep(20);
	}

	@Benchmark
	public long purge(HalfExpired store) {
		long deleted = store.kv.purgeExpired();
		if (deleted != store.entries / 2) {
			throw new IllegalStateException(store.peer + " purged " + deleted + " of " + store.entries / 2);
		}
		return deleted;
	}

}
