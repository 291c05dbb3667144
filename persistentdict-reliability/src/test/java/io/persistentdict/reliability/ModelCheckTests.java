package io.persistentdict.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-based model check: random sequences of map operations with TTLs, on a fake
 * clock, run against a {@link io.persistentdict.PersistentDict} and a plain in-memory
 * model, which must agree after every step; closing and reopening the store is one of the
 * steps ({@link ModelRun}). The same sequences run on a SQLite file and on a PostgreSQL
 * schema. Each sequence is seeded, and a failure prints its seed: replay it with
 * {@code -Dreliability.model.seed=<seed>}.
 *
 * <p>
 * Knobs: {@code reliability.model.sequences} per engine (40; heavy 400),
 * {@code reliability.model.steps} (250; heavy 1500).
 */
class ModelCheckTests {

	private static final Map<String, long[]> done = new ConcurrentHashMap<>();

	private static final AtomicLong schemas = new AtomicLong();

	@TempDir
	Path dir;

	@AfterAll
	static void report() {
		List<String> lines = new ArrayList<>();
		done.forEach((engine, counts) -> lines.add(engine + ": sequences: " + counts[0] + ", steps: " + counts[1] + ", "
				+ (counts[2] / 1_000_000) + " ms"));
		lines.add("against an in-memory model on a fake clock, with close and reopen");
		Report.section("model-check", lines.stream().sorted().toList());
	}

	@TestFactory
	Stream<DynamicTest> sqliteDictShouldAgreeWithAnInMemoryModel() {
		return sequences(Scale.get("reliability.model.sequences", 40, 400),
				(seed) -> Backend.sqlite(this.dir.resolve("model-" + seed + ".db")));
	}

	/**
	 * The same sequences on PostgreSQL, each in a schema of its own; every dict there
	 * iterates in key order, and no key holds NUL.
	 */
	@TestFactory
	Stream<DynamicTest> postgresDictShouldAgreeWithAnInMemoryModel() {
		return sequences(Scale.get("reliability.model.sequences", 40, 400),
				(seed) -> Backend.postgres("model_" + schemas.incrementAndGet(), 2, false));
	}

	private static Stream<DynamicTest> sequences(int count, LongFunction<Backend> backends) {
		int length = Scale.get("reliability.model.steps", 250, 1500);
		String replay = System.getProperty("reliability.model.seed");
		long base = new Random().nextLong();
		List<Long> seeds = new ArrayList<>();
		if (replay != null && !replay.isBlank()) {
			seeds.add(Long.parseLong(replay.trim()));
		}
		else {
			for (int i = 0; i < count; i++) {
				seeds.add(base + i);
			}
		}
		return seeds.stream().map((seed) -> DynamicTest.dynamicTest("seed " + seed, () -> {
			long started = System.nanoTime();
			try (Backend backend = backends.apply(seed)) {
				new ModelRun(seed, backend).run(length);
				long[] counts = done.computeIfAbsent(backend.engine(), (k) -> new long[3]);
				synchronized (counts) {
					counts[0]++;
					counts[1] += length;
					counts[2] += System.nanoTime() - started;
				}
			}
		}));
	}

}
