package io.persistentdict.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What group commit could reach at best, on this disk, if it ran each write as a
 * statement of its own: one thread, no hand-off between threads at all, putting random
 * keys one a commit and four a commit. Four writer threads, each waiting for its own
 * write, can share at most four writes a commit, so {@code fourPerCommit / onePerCommit}
 * bounds what such a group commit can show in {@link ConcurrentPutBenchmark}. Run with
 * the raw peer: its {@code putAll} is exactly one transaction of a statement a row.
 * persistentdict writes the plain puts of a batch in one multi-row statement, so it can
 * pass this bound where statements cost as much as the rows they write
 * ({@code synchronous=NORMAL}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class CommitCeilingBenchmark {

	@Benchmark
	public void onePerCommit(LoadedStore store) {
		store.putRandom();
	}

	@Benchmark
	@OperationsPerInvocation(4)
	public void fourPerCommit(LoadedStore store, Batch batch) {
		batch.entries.clear();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		while (batch.entries.size() < 4) {
			int i = random.nextInt(store.entries);
			batch.entries.put(store.keys[i], Data.value(store.values, i + 1));
		}
		store.kv.putAll(batch.entries);
	}

	/**
	 * The map a batch is put from, reused.
	 */
	@State(Scope.Thread)
	public static class Batch {

		final Map<String, byte[]> entries = new LinkedHashMap<>();

	}

}
