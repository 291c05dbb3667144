package io.persistentdict.benchmarks;

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
 * Point gets of present keys, uniform or Zipf-skewed, on one and two threads. Sample time
 * gives the latency percentiles; throughput is threads over the mean latency.
 */
@BenchmarkMode({ Mode.Throughput, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GetBenchmark {

	/**
	 * A loaded store and an access sequence.
	 */
	@State(Scope.Benchmark)
	public static class Store extends LoadedStore {

		/** {@code uniform} or {@code zipf}. */
		@Param({ "uniform", "zipf" })
		public String distribution;

		int[] samples;

		@Override
		protected void loaded() {
			this.samples = "zipf".equals(this.distribution) ? Data.zipf(this.entries) : Data.uniform(this.entries);
			if (this.peer.nearCached()) {
				// measure a warm near cache, as Caffeine is measured full: three passes
				// over the access sequence admit the keys read more than once
				for (int pass = 0; pass < 3; pass++) {
					for (int sample : this.samples) {
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
	@Threads(2)
	public byte[] get2(Store store, Cursor cursor) {
		return store.kv.get(store.keys[store.samples[cursor.next()]]);
	}

}
