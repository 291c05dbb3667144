package io.persistentdict.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * 90% gets and 10% puts (without reading the previous value), uniform keys, two threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class MixedBenchmark {

	@Benchmark
	public Object mixed(LoadedStore store) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int i = random.nextInt(store.entries);
		if (random.nextInt(10) == 0) {
			store.kv.put(store.keys[i], Data.value(store.values, i + 1));
			return store;
		}
		return store.kv.get(store.keys[i]);
	}

}
