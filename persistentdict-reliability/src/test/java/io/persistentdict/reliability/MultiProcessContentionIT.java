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
 * each, merge counters on shared keys of one file and race for {@code putIfAbsent}.
 * Totals must be exact, each raced key must have exactly one winner, the processes'
 * working windows must overlap, and no "database is locked" may reach a caller within the
 * default busy timeout (5 s).
 *
 * <p>
 * Knobs: {@code reliability.processes} (3; heavy 4), {@code reliability.merges} per
 * thread (1000; heavy 5000).
 */
class MultiProcessContentionIT {

	private static final int THREADS = 4;

	private static final int KEYS = 16;

	@TempDir
	Path dir;

	@Test
	void mergesFromSeveralProcessesShouldAddUpExactly() throws Exception {
		int processes = Scale.get("reliability.processes", 3, 4);
		int merges = Scale.get("reliability.merges", 1000, 5000);
		int races = Scale.get("reliability.races", 200, 1000);
		Path file = this.dir.resolve("contention.db");
		try (DictStore store = DictStore.open(file)) {
			store.dict("counts", String.class, Integer.class);
			store.dict("winners", String.class, String.class);
		}
		List<ChildJvm> children = new ArrayList<>();
		long started = System.nanoTime();
		try {
			for (int p = 0; p < processes; p++) {
				children.add(ChildJvm.start(ContentionWorker.class, ChildJvm.LEAN,
						this.dir.resolve("worker-" + p + ".err"), (line) -> {
						}, file.toString(), Integer.toString(p), Integer.toString(THREADS), Integer.toString(merges),
						Integer.toString(KEYS), Integer.toString(races)));
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
		try (DictStore store = DictStore.open(file)) {
			counts.putAll(store.dict("counts", String.class, Integer.class));
			stored.putAll(store.dict("winners", String.class, String.class));
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
		long total = counts.values().stream().mapToLong(Integer::longValue).sum();
		long multipleWinners = winners.values().stream().filter((w) -> w.size() != 1).count();
		Report.section("contention", List.of(
				processes + " JVMs x " + THREADS + " threads, merge(k, 1, Integer::sum) on " + KEYS + " shared keys, "
						+ merges + " merges per thread, putIfAbsent races on " + races + " keys",
				String.format(
						"merges: %d expected, %d acknowledged, %d stored in total (%.0f merges/s"
								+ " across processes, %.1f s)",
						(long) processes * THREADS * merges, done, total, done / seconds, seconds),
				"operation windows overlapped for " + overlapMillis + " ms",
				"putIfAbsent keys with exactly one winner: " + (winners.size() - multipleWinners) + " of " + races,
				"errors reaching a caller (e.g. database is locked): " + errors.size()
						+ (errors.isEmpty() ? "" : " first: " + errors.get(0))));
		assertThat(errors).as("errors reaching callers").isEmpty();
		assertThat(counts).isEqualTo(expected);
		assertThat(total).isEqualTo((long) processes * THREADS * merges);
		assertThat(overlapMillis).as("all processes were working at the same time").isPositive();
		assertThat(winners).hasSize(races);
		winners.forEach((key, who) -> {
			assertThat(who).as("winners of %s", key).hasSize(1);
			assertThat(stored).containsEntry(key, who.get(0));
		});
	}

}
