package io.persistentdict.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Four threads putting at once: where group commit earns its keep. Compare {@code DICT}
 * with {@code DICT_NO_GROUP} (one commit per put) at each synchronous level.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
public class ConcurrentPutBenchmark {

	@Benchmark
	public void put4(LoadedStore store) {
		int i = ThreadLocalRandom.current().nextInt(store.entries);
		store.kv.put(store.keys[i], Data.value(store.values, i + 1));
	}

}
