package io.persistentdict.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contention between processes: several JVMs ({@link ContentionWorker}), several threads
 * each, merge counters on shared keys of one store, race for {@code putIfAbsent}, and
 * count shared counters up by compare-and-set ({@code replace(k, old, new)}), on a SQLite
 * file and on PostgreSQL. Totals must be exact, each raced key must have exactly one
 * winner, the processes' working windows must overlap, and no error may reach a caller:
 * no "database is locked" within SQLite's default busy timeout (5 s), no serialization
 * failure or deadlock from PostgreSQL, which the store retries.
 *
 * <p>
 * Knobs: {@code reliability.processes} (3; heavy 4), {@code reliability.merges} per
 * thread (1000; heavy 5000), {@code reliability.races} (200; heavy 1000),
 * {@code reliability.cas} increments per thread (100; heavy 500).
 */
class MultiProcessContentionIT {

	private static final int THREADS = 4;

	private static final int KEYS = 16;

	@TempDir
	Path dir;

	@Test
	void sqliteMergesFromSeveralProcessesShouldAddUpExactly() throws Exception {
		try (Backend backend = Backend.sqlite(this.dir.resolve("contention.db"))) {
			contend(backend, "contention");
		}
	}

	@Test
	void postgresMergesFromSeveralProcessesShouldAddUpExactly() throws Exception {
		try (Backend backend = Backend.postgres("contention", 2, false)) {
			contend(backend, "contention-postgres");
		}
	}

	private void contend(Backend backend, String section) throws Exception {
		int processes = Scale.get("reliability.processes", 3, 4);
		int merges = Scale.get("reliability.merges", 1000, 5000);
		int races = Scale.get("reliability.races", 200, 1000);
		int increments = Scale.get("reliability.cas", 100, 500);
		try (DictStore store = backend.open()) {
			store.dict("counts", String.class, Integer.class);
			store.dict("winners", String.class, String.class);
			PersistentDict<String, Integer> cas = store.dict("cas", String.class, Integer.class);
			for (int c = 0; c < ContentionWorker.CAS_KEYS; c++) {
				cas.put("c" + c, 0);
			}
		}
		List<ChildJvm> children = new ArrayList<>();
		long started = System.nanoTime();
		try {
			for (int p = 0; p < processes; p++) {
				children.add(ChildJvm.start(ContentionWorker.class, ChildJvm.LEAN, backend.childEnvironment(),
						this.dir.resolve("worker-" + p + ".err"), (line) -> {
						}, backend.argument(), Integer.toString(p), Integer.toString(THREADS), Integer.toString(merges),
						Integer.toString(KEYS), Integer.toString(races), Integer.toString(increments)));
			}
			for (ChildJvm child : children) {
				CrashSafetyIT.awaitLine(child, "READY", 60_000);
			}
			children.forEach((child) -> child.send("GO"));
			for (ChildJvm child : children) {
				assertThat(child.awaitExit(300)).as("exit code; %s", child.stderrTail()).isZero();
			}
		}
		finally {
			children.forEach(ChildJvm::close);
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		List<Long> firsts = new ArrayList<>();
		List<Long> lasts = new ArrayList<>();
		List<String> errors = new ArrayList<>();
		Map<String, List<String>> winners = new HashMap<>();
		long done = 0;
		long casDone = 0;
		long casTries = 0;
		for (ChildJvm child : children) {
			assertThat(child.lines()).as(child.stderrTail()).contains("DONE");
			for (String line : child.lines()) {
				if (line.startsWith("FIRST ")) {
					firsts.add(Long.parseLong(line.substring(6)));
				}
				else if (line.startsWith("LAST ")) {
					lasts.add(Long.parseLong(line.substring(5)));
				}
				else if (line.startsWith("MERGES ")) {
					done += Long.parseLong(line.substring(7));
				}
				else if (line.startsWith("CAS ")) {
					String[] parts = line.split(" ");
					casDone += Long.parseLong(parts[1]);
					casTries += Long.parseLong(parts[2]);
				}
				else if (line.startsWith("ERROR ")) {
					errors.add(line);
				}
				else if (line.startsWith("WINS ")) {
					for (String win : line.substring(5).trim().split(" ")) {
						if (!win.isEmpty()) {
							String[] parts = win.split("=");
							winners.computeIfAbsent(parts[0], (k) -> new ArrayList<>()).add(parts[1]);
						}
					}
				}
			}
		}
		long overlapMillis = lasts.stream().mapToLong(Long::longValue).min().orElse(0)
				- firsts.stream().mapToLong(Long::longValue).max().orElse(0);
		Map<String, Integer> expected = new HashMap<>();
		for (int p = 0; p < processes; p++) {
			for (int t = 0; t < THREADS; t++) {
				for (int i = 0; i < merges; i++) {
					expected.merge("k" + ContentionWorker.keyOf(p, t, i, KEYS), 1, Integer::sum);
				}
			}
		}
		Map<String, Integer> counts = new HashMap<>();
		Map<String, String> stored = new HashMap<>();
		Map<String, Integer> counters = new HashMap<>();
		try (DictStore store = backend.open()) {
			counts.putAll(store.dict("counts", String.class, Integer.class));
			stored.putAll(store.dict("winners", String.class, String.class));
			counters.putAll(store.dict("cas", String.class, Integer.class));
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
		long casTotal = counters.values().stream().mapToLong(Integer::longValue).sum();
		long casExpected = (long) processes * THREADS * increments;
		long total = counts.values().stream().mapToLong(Integer::longValue).sum();
		long multipleWinners = winners.values().stream().filter((w) -> w.size() != 1).count();
		Report.section(section, List
			.of(backend.engine() + ": " + processes + " JVMs x " + THREADS + " threads, merge(k, 1, Integer::sum) on "
					+ KEYS + " shared keys, " + merges + " merges per thread, putIfAbsent races on " + races + " keys",
					String.format(
							"merges: %d expected, %d acknowledged, %d stored in total (%.0f merges/s"
									+ " across processes, %.1f s)",
							(long) processes * THREADS * merges, done, total, done / seconds, seconds),
					"operation windows overlapped for " + overlapMillis + " ms",
					"putIfAbsent keys with exactly one winner: " + (winners.size() - multipleWinners) + " of " + races,
					String.format(
							"replace(k, seen, seen + 1) on %d shared counters: %d increments expected, %d acknowledged,"
									+ " %d stored, %d tries (%.2f a success)",
							ContentionWorker.CAS_KEYS, casExpected, casDone, casTotal, casTries,
							(double) casTries / Math.max(1, casDone)),
					"errors reaching a caller (e.g. database is locked, serialization failure): " + errors.size()
							+ (errors.isEmpty() ? "" : " first: " + errors.get(0))));
		assertThat(errors).as("errors reaching callers").isEmpty();
		assertThat(counts).isEqualTo(expected);
		assertThat(total).isEqualTo((long) processes * THREADS * merges);
		assertThat(casDone).as("acknowledged compare-and-set increments").isEqualTo(casExpected);
		assertThat(casTotal).as("stored compare-and-set counters").isEqualTo(casExpected);
		assertThat(overlapMillis).as("all processes were working at the same time").isPositive();
		assertThat(winners).hasSize(races);
		winners.forEach((key, who) -> {
			assertThat(who).as("winners of %s", key).hasSize(1);
			assertThat(stored).containsEntry(key, who.get(0));
		});
	}

}
