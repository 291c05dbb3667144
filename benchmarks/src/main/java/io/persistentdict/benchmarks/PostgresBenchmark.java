package io.persistentdict.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The PostgreSQL workloads of issue 14, run for raw pgjdbc and PersistentDict on the same
 * server in the same job, beside a SQLite file and Redis: point gets of present keys
 * (uniform) on 1 and 4 threads, {@code set}, {@code put} returning the previous value, 8
 * writer threads, and hot-key gets (Zipf) through the near cache beside Redis. Separate
 * from the SQLite benchmarks so that no table divides a PostgreSQL figure by raw
 * sqlite-jdbc's. {@code round} only tells the suite's repeated runs apart.
 */
@BenchmarkMode({ Mode.Throughput, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PostgresBenchmark {

	/**
	 * A loaded store and a uniform access sequence.
	 */
	@State(Scope.Benchmark)
	public static class Store extends LoadedStore {

		/** Which of the suite's rounds this is. */
		@Param("1")
		public int round;

		int[] samples;

		/** A Zipf sequence, for the hot-key gets. */
		int[] hot;

		@Override
		protected void loaded() {
			this.samples = Data.uniform(this.entries);
			this.hot = Data.zipf(this.entries);
			if (this.peer.nearCached()) {
				// a warm near cache, as GetBenchmark measures one: three passes over the
				// sequence admit the keys read more than once
				for (int pass = 0; pass < 3; pass++) {
					for (int sample : this.hot) {
						this.kv.get(this.keys[sample]);
					}
				}
			}
		}

	}

	@Benchmark
	@Threads(1)
	public byte[] get1(Store store, Cursor cursor) {
		return store.kv.get(store.keys[store.samples[cursor.next()]]);
	}

	@Benchmark
	@Threads(4)
	public byte[] get4(Store store, Cursor cursor) {
		return store.kv.get(store.keys[store.samples[cursor.next()]]);
	}

	@Benchmark
	@Threads(1)
	public byte[] hot1(Store store, Cursor cursor) {
		return store.kv.get(store.keys[store.hot[cursor.next()]]);
	}

	@Benchmark
	@Threads(1)
	public void set(Store store) {
		store.putRandom();
	}

	@Benchmark
	@Threads(1)
	public byte[] put(Store store) {
		int i = ThreadLocalRandom.current().nextInt(store.entries);
		return store.kv.putReturning(store.keys[i], Data.value(store.values, i + 1));
	}

	@Benchmark
	@Threads(8)
	@BenchmarkMode(Mode.Throughput)
	@OutputTimeUnit(TimeUnit.SECONDS)
	public void put8(Store store) {
		store.putRandom();
	}

}
