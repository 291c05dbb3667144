package io.persistentdict.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak: a child JVM ({@link SoakWorker}) with a 128 MB heap runs mixed load from four
 * threads, with TTL churn, while sweeps, vacuums and checkpoints run. No operation may
 * fail; the post-GC heap at the end must be within 10% of the heap after the first phase;
 * the file (db, -wal and -shm) must level off; the p99 latency is reported.
 *
 * <p>
 * Knob: {@code reliability.soak.seconds} (50; heavy 300).
 */
class SoakIT {

	@TempDir
	Path dir;

	@Test
	void mixedLoadShouldRunWithoutErrorsInBoundedHeapAndFile() {
		int seconds = Scale.get("reliability.soak.seconds", 50, 300);
		Path file = this.dir.resolve("soak.db");
		ChildJvm child = ChildJvm.start(SoakWorker.class, List.of("-Xmx128m", "-XX:+UseSerialGC", "-Xshare:auto"),
				this.dir.resolve("soak.err"), (line) -> {
				}, file.toString(), Integer.toString(seconds), "4");
		try {
			assertThat(child.awaitExit(seconds + 180L)).as(child.stderrTail()).isZero();
		}
		finally {
			child.close();
		}
		List<long[]> samples = new ArrayList<>();
		long heapFirst = -1;
		long heapEnd = -1;
		long ops = -1;
		long errors = -1;
		long maintenance = -1;
		long[] latency = null;
		String integrity = null;
		String entries = null;
		List<String> errorLines = new ArrayList<>();
		for (String line : child.lines()) {
			String[] parts = line.split(" ");
			switch (parts[0]) {
				case "SAMPLE" -> samples.add(new long[] { Long.parseLong(parts[1]), Long.parseLong(parts[2]),
						Long.parseLong(parts[3]), Long.parseLong(parts[4]), Long.parseLong(parts[6]) });
				case "HEAP-FIRST" -> heapFirst = Long.parseLong(parts[1]);
				case "HEAP-END" -> heapEnd = Long.parseLong(parts[1]);
				case "OPS" -> ops = Long.parseLong(parts[1]);
				case "ERRORS" -> errors = Long.parseLong(parts[1]);
				case "MAINTENANCE" -> maintenance = Long.parseLong(parts[1]);
				case "LATENCY" -> latency = new long[] { Long.parseLong(parts[1]), Long.parseLong(parts[2]),
						Long.parseLong(parts[3]), Long.parseLong(parts[4]), Long.parseLong(parts[5]) };
				case "INTEGRITY" -> integrity = line.substring(10);
				case "ENTRIES" -> entries = parts[1] + " entries, " + parts[2] + " counters";
				case "ERROR" -> errorLines.add(line);
				default -> {
				}
			}
		}
		assertThat(child.lines()).as(child.stderrTail()).contains("DONE");
		assertThat(latency).isNotNull();
		long duration = samples.get(samples.size() - 1)[0];
		long[] quarters = new long[4];
		List<List<Long>> byQuarter = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
				new ArrayList<>());
		// the file against what it stores: on a slow machine the live set is still
		// growing
		// towards its level at the end, and the file with it, which is no leak
		List<List<Double>> perStored = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
				new ArrayList<>());
		for (long[] sample : samples) {
			int quarter = (int) Math.min(3, sample[0] * 4 / (duration + 1));
			quarters[quarter] = Math.max(quarters[quarter], sample[1]);
			byQuarter.get(quarter).add(sample[1]);
			perStored.get(quarter).add((double) sample[1] / Math.max(1, sample[4]));
		}
		double[] overhead = new double[4];
		for (int q = 0; q < 4; q++) {
			List<Double> sorted = new ArrayList<>(perStored.get(q));
			sorted.sort(null);
			overhead[q] = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
		}
		// the level is the median: a full VACUUM (every 10 s) writes the whole file into
		// the
		// WAL until the next checkpoint, a spike that one sample in ten may catch
		long[] medians = new long[4];
		for (int q = 0; q < 4; q++) {
			List<Long> sorted = new ArrayList<>(byQuarter.get(q));
			sorted.sort(null);
			medians[q] = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
		}
		List<String> sizes = new ArrayList<>();
		List<String> levels = new ArrayList<>();
		for (int q = 0; q < 4; q++) {
			sizes.add(String.format("%.1f", quarters[q] / 1048576.0));
			levels.add(String.format("%.1f", medians[q] / 1048576.0));
		}
		Report.section("soak", List.of(
				String.format("duration: %d s in a child JVM with -Xmx128m, 4 threads of mixed load (get, put"
						+ " with TTL, put, remove, merge, putAll, putIfAbsent, prefix scans), sweep every 250 ms,"
						+ " checkpoint every 1 s, vacuumIfDue every 2 s, VACUUM every 10 s", duration / 1000),
				String.format("operations: %d (%.0f/s), errors: %d, maintenance rounds: %d", ops,
						ops * 1000.0 / duration, errors, maintenance),
				String.format("latency: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f ms", latency[1] / 1e3,
						latency[2] / 1e3, latency[3] / 1e3, latency[4] / 1e6),
				String.format("heap after GC: %.1f MB after the first quarter, %.1f MB at the end (%+.1f%%)",
						heapFirst / 1048576.0, heapEnd / 1048576.0, (heapEnd - heapFirst) * 100.0 / heapFirst),
				"file size (db + -wal + -shm) per quarter, MB: median " + String.join(" / ", levels) + "; largest "
						+ String.join(" / ", sizes),
				String.format(
						"file size per byte stored (keys and values), median per quarter: %.1f / %.1f / %.1f / %.1f",
						overhead[0], overhead[1], overhead[2], overhead[3]),
				"live at the end: " + entries + "; integrity: " + integrity));
		assertThat(errorLines).isEmpty();
		assertThat(errors).isZero();
		assertThat(integrity).isEqualTo("ok");
		assertThat(ops).isGreaterThan(1000);
		assertThat(heapEnd).as("post-GC heap at the end vs after the first phase")
			.isLessThanOrEqualTo(heapFirst + heapFirst / 10);
		assertThat(overhead[3]).as("file size per byte stored levels off: median in the last quarter vs the second")
			.isLessThanOrEqualTo(overhead[1] * 1.25);
	}

}
