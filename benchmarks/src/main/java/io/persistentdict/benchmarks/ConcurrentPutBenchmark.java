package io.persistentdict.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Four and eight threads putting at once: where group commit earns its keep. Compare
 * {@code DICT} with {@code DICT_NO_GROUP} (one commit per put) at each synchronous level,
 * and see {@link CommitCeilingBenchmark} for the most that sharing commits could give.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConcurrentPutBenchmark {

	@Benchmark
	@Threads(4)
	public void put4(LoadedStore store) {
		store.putRandom();
	}

	@Benchmark
	@Threads(8)
	public void put8(LoadedStore store) {
		store.putRandom();
	}

}
