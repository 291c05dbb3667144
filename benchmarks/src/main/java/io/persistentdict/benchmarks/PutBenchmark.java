package io.persistentdict.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Single puts on one thread, each durable (in the peer's mode) on return, overwriting a
 * random key of a loaded store. {@code set} reads nothing back; {@code put} returns the
 * previous value where the peer can (raw SQL's {@code INSERT OR REPLACE} cannot, and does
 * the same as {@code set}).
 */
@BenchmarkMode({ Mode.Throughput, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class PutBenchmark {

	@Benchmark
	public void set(LoadedStore store) {
		store.putRandom();
	}

	@Benchmark
	public byte[] put(LoadedStore store) {
		int i = ThreadLocalRandom.current().nextInt(store.entries);
		return store.kv.putReturning(store.keys[i], Data.value(store.values, i + 1));
	}

}
