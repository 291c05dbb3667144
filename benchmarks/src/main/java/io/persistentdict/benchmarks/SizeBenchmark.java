package io.persistentdict.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * {@code size()}: for the SQLite peers, a count of the table (raw: one {@code COUNT(*)}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SizeBenchmark {

	@Benchmark
	public long size(LoadedStore store) {
		return store.kv.size();
	}

}
