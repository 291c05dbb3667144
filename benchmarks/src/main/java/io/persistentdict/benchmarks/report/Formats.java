package io.persistentdict.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the report writes its figures (ratios, rates, times, probe values) and names its
 * workloads: {@code fmt(0.8512)} is {@code 0.85}, {@code rate(1234567)} is {@code 1.23M},
 * {@code time(6.1e-6)} is {@code 6.1 µs}; NaN is a dash.
 */
final class Formats {

	private Formats() {
	}

	static String fmt(double value) {
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			return "—";
		}
		return String.format(Locale.ROOT, (value >= 10) ? "%.0f" : "%.2f", value);
	}

	static String rate(double opsPerSecond) {
		if (opsPerSecond >= 1e6) {
			return String.format(Locale.ROOT, "%.2fM", opsPerSecond / 1e6);
		}
		if (opsPerSecond >= 1e3) {
			return String.format(Locale.ROOT, "%.1fk", opsPerSecond / 1e3);
		}
		return String.format(Locale.ROOT, "%.1f", opsPerSecond);
	}

	static String time(double seconds) {
		if (Double.isNaN(seconds)) {
			return "—";
		}
		if (seconds >= 1) {
			return String.format(Locale.ROOT, "%.2f s", seconds);
		}
		if (seconds >= 1e-3) {
			return String.format(Locale.ROOT, "%.1f ms", seconds * 1e3);
		}
		if (seconds >= 1e-6) {
			return String.format(Locale.ROOT, "%.1f µs", seconds * 1e6);
		}
		return String.format(Locale.ROOT, "%.0f ns", seconds * 1e9);
	}

	static String value(double value, String unit) {
		if (unit.equals("bytes")) {
			return String.format(Locale.ROOT, "%.1f MB", value / 1e6);
		}
		return unit.equals("s") ? time(value) : fmt(value) + " " + unit;
	}

	static String title(String benchmark) {
		return switch (benchmark) {
			case "GetBenchmark.get1" -> "Point get, 1 thread";
			case "GetBenchmark.get2" -> "Point get, 2 threads";
			case "PutBenchmark.set" -> "Single put, no previous value (`set`), 1 thread";
			case "PutBenchmark.put" -> "Single put returning the previous value (`put`), 1 thread";
			case "ConcurrentPutBenchmark.put4" -> "Concurrent writers, 4 threads";
			case "ConcurrentPutBenchmark.put8" -> "Concurrent writers, 8 threads";
			case "CommitCeilingBenchmark.onePerCommit" -> "Commit ceiling: 1 thread, one write a commit";
			case "CommitCeilingBenchmark.fourPerCommit" -> "Commit ceiling: 1 thread, four writes a commit";
			case "MixedBenchmark.mixed" -> "90/10 get/put, 2 threads";
			case "BulkPutBenchmark.putAll" -> "Bulk put (`putAll`, one transaction)";
			case "BulkPutBenchmark.putAllUnordered" -> "Bulk put of a `HashMap` (`putAll`, hash order)";
			case "ReopenBenchmark.reopenAndGet" -> "Reopen and first get";
			case "IterateBenchmark.iterate" -> "Full iteration";
			case "PurgeBenchmark.purge" -> "Purge of the expired half";
			case "SizeBenchmark.size" -> "size()";
			default -> benchmark;
		};
	}

	static String describe(Measurement m) {
		List<String> parts = new ArrayList<>();
		parts.add(String.format(Locale.ROOT, "%,d entries", Long.parseLong(m.param("entries"))));
		parts.add(m.param("valueSize").equals("4096") ? "4 KiB values" : m.param("valueSize") + "-byte values");
		if (!m.param("distribution").isEmpty()) {
			parts.add(m.param("distribution"));
		}
		parts.add("synchronous=" + m.param("sync"));
		parts.add("layout " + m.param("layout") + (m.param("layout").equals("AUTO") ? " (ROWID for byte[])" : ""));
		return String.join(", ", parts);
	}

}
