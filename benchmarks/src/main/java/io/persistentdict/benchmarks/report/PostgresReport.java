package io.persistentdict.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.persistentdict.Synchronous;
import io.persistentdict.benchmarks.peers.Peer;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL section of {@code BENCHMARKS.md}: issue 14's performance targets, each a
 * ratio to raw pgjdbc measured in the same job of the same round, every job's figures
 * with the load average it ran under, and one table that puts a SQLite file, PostgreSQL
 * and Redis side by side.
 */
final class PostgresReport {

	private static final String GETS = "PostgresBenchmark.";

	private static final String BULK = "PostgresBulkBenchmark.putAll";

	/** Raw first, then PersistentDict on PostgreSQL, then the SQLite file and Redis. */
	private static final List<Peer> ORDER = List.of(Peer.PG_RAW, Peer.PG_RAW_COPY, Peer.PG_DICT, Peer.PG_DICT_NO_GROUP,
			Peer.PG_DICT_NEAR, Peer.DICT, Peer.DICT_NEAR_QUARTER, Peer.REDIS_ALWAYS, Peer.REDIS_EVERYSEC);

	private final List<Measurement> measurements;

	/** The load averages at each job's start and end, by job name. */
	private final Map<String, String[]> loads = new HashMap<>();

	private final List<Integer> rounds;

	private final StringBuilder md = new StringBuilder();

	PostgresReport(List<Measurement> measurements, Path out) {
		this.measurements = measurements;
		TreeSet<Integer> seen = new TreeSet<>();
		measurements.forEach((m) -> seen.add(round(m)));
		this.rounds = new ArrayList<>(seen);
		try {
			Path tsv = out.resolve("runs.tsv");
			if (Files.exists(tsv)) {
				for (String line : Files.readAllLines(tsv)) {
					String[] fields = line.split("\t");
					if (fields.length >= 5) {
						this.loads.put(fields[0], fields);
					}
				}
			}
		}
		catch (IOException ex) {
			// the figures stand without their load averages, which then read "?"
		}
	}

	/**
	 * Return whether a measurement belongs to this section rather than to the SQLite
	 * tables.
	 * @param m the measurement
	 * @return whether it comes from a PostgreSQL job
	 */
	static boolean covers(Measurement m) {
		return m.benchmark().startsWith(GETS) || m.benchmark().startsWith("PostgresBulkBenchmark.");
	}

	private static int round(Measurement m) {
		String round = m.param("round");
		return round.isEmpty() ? 1 : Integer.parseInt(round);
	}

	private @Nullable Measurement find(String benchmark, Peer peer, int round) {
		for (Measurement m : this.measurements) {
			if (m.benchmark().equals(benchmark) && m.peer().equals(peer.name()) && round(m) == round) {
				return m;
			}
		}
		return null;
	}

	private double rate(String benchmark, Peer peer, int round) {
		Measurement m = find(benchmark, peer, round);
		return (m != null) ? m.opsPerSecond() : Double.NaN;
	}

	/** The job a benchmark runs in, as Suite names it. */
	private static String job(String benchmark) {
		if (benchmark.equals(BULK)) {
			return "pg-bulk";
		}
		return switch (benchmark.substring(GETS.length())) {
			case "get1", "get4" -> "pg-get";
			case "set", "put" -> "pg-write";
			case "hot1" -> "pg-hot";
			default -> "pg-concurrent";
		};
	}

	/** The 1-minute load average at a job's start and end, as {@code 1.6–2.4}. */
	private String load(String benchmark, int round) {
		String[] run = this.loads.get(job(benchmark) + "-r" + round);
		if (run == null) {
			return "?";
		}
		String start = run[3].split(" ")[0];
		String end = run[4].split(" ")[0];
		return start.equals(end) ? start : start + "–" + end;
	}

	String section() {
		if (this.measurements.isEmpty()) {
			return "";
		}
		this.md.append("\n## PostgreSQL\n\n");
		this.md.append("PersistentDict on PostgreSQL (`DictStore.connect` on a HikariCP pool of ")
			.append("10 connections) against raw pgjdbc on the same server, in the same job: the same table")
			.append(" (`k text COLLATE \"C\" PRIMARY KEY, v bytea, x bigint`), `SELECT v, x FROM t WHERE k = ?`,")
			.append(" `INSERT ... ON CONFLICT (k) DO UPDATE` in autocommit for `set`, `put` returning the previous")
			.append(" value as one transaction of that read and that write at `REPEATABLE READ` (set once on a")
			.append(" connection of its own, so three round trips; PersistentDict takes four), `putAll` as multi-row `unnest` upserts of 10,000 rows or")
			.append(" `COPY` into a temporary table and one upsert from it, all in one transaction; raw holds one")
			.append(" connection per thread with its statements prepared. The server is a local PostgreSQL 17")
			.append(" that the suite starts (`persistentdict-test-postgres`, no Docker) on 127.0.0.1 with")
			.append(" `fsync=on`, `synchronous_commit=on` (both peers keep it), `shared_buffers=128MB`, PostgreSQL's")
			.append(" default (runs before 2026-12-08 had the tests' 32MB: `results/manual/pg-shared-buffers.md`); every store")
			.append(" gets a database of its own. The SQLite file (PersistentDict, `synchronous=FULL`) and Redis")
			.append(" (AOF `always` for writes, `everysec` for reads, loopback) run in the same jobs.")
			.append(" The whole set of jobs ran ")
			.append(this.rounds.size())
			.append(this.rounds.size() == 1 ? " time" : " times, one round after the other")
			.append("; each ratio divides figures of one job of one round. **The machine was loaded**: 2 cores")
			.append(" shared by several builds; the load average (1 min, at the job's start–end, as `uptime` shows")
			.append(" it) stands next to every figure.\n");
		targets();
		figures();
		choosing();
		return this.md.toString();
	}

	// ---- targets

	private void targets() {
		this.md.append("\n### Targets on PostgreSQL (issue 14, Performance)\n\n| target |");
		for (int round : this.rounds) {
			this.md.append(" round ").append(round).append(" (load) |");
		}
		this.md.append(" goal | met |\n|---|");
		this.rounds.forEach((r) -> this.md.append("---:|"));
		this.md.append("---|---|\n");
		ratioTarget("get, 1 thread (uniform)", GETS + "get1", Peer.PG_DICT, Peer.PG_RAW, 0.9);
		ratioTarget("get, 4 threads (uniform)", GETS + "get4", Peer.PG_DICT, Peer.PG_RAW, 0.9);
		ratioTarget("void set", GETS + "set", Peer.PG_DICT, Peer.PG_RAW, 0.9);
		ratioTarget("put returning previous", GETS + "put", Peer.PG_DICT, Peer.PG_RAW, 0.8);
		ratioTarget("putAll of 100k entries, vs raw's best (unnest or COPY)", BULK, Peer.PG_DICT, null, 0.9);
		ratioTarget("8 durable writers: group commit vs one commit per write", GETS + "put8", Peer.PG_DICT,
				Peer.PG_DICT_NO_GROUP, 2);
		ratioTarget("8 durable writers: group commit vs raw, one commit per write on 8 connections", GETS + "put8",
				Peer.PG_DICT, Peer.PG_RAW, Double.NaN);
		if (this.measurements.stream().anyMatch((m) -> m.benchmark().equals(GETS + "hot1"))) {
			ratioTarget("hot-key gets (Zipf), 1 thread, through the near cache (25% of entries), vs Redis GET on"
					+ " loopback", GETS + "hot1", Peer.PG_DICT_NEAR, Peer.REDIS_EVERYSEC, 1);
		}
		else {
			this.md.append("| hot-key gets through the near cache, vs Redis GET on loopback |");
			this.rounds.forEach((r) -> this.md.append(" not measured |"));
			this.md.append(" > 1× | not measured |\n");
		}
	}

	private void ratioTarget(String name, String benchmark, Peer ours, @Nullable Peer theirs, double goal) {
		this.md.append("| ").append(name).append(" |");
		int met = 0;
		int measured = 0;
		for (int round : this.rounds) {
			double ratio = rate(benchmark, ours, round) / baseline(benchmark, theirs, round);
			if (!Double.isNaN(ratio)) {
				measured++;
				met += (ratio >= goal) ? 1 : 0;
			}
			this.md.append(" ").append(Formats.fmt(ratio)).append("× (").append(load(benchmark, round)).append(") |");
		}
		this.md.append(" ").append(Double.isNaN(goal) ? "(no goal)" : "≥ " + Formats.fmt(goal) + "×").append(" | ");
		if (Double.isNaN(goal)) {
			this.md.append("—");
		}
		else if (measured == 0) {
			this.md.append("not run");
		}
		else if (met == measured) {
			this.md.append(measured == 1 ? "yes" : "yes, every round");
		}
		else {
			this.md.append(met == 0 ? "**no**" : "**no** in " + (measured - met) + " of " + measured + " rounds");
		}
		this.md.append(" |\n");
	}

	/** The raw figure a ratio divides by: for putAll the better of unnest and COPY. */
	private double baseline(String benchmark, @Nullable Peer theirs, int round) {
		if (theirs != null) {
			return rate(benchmark, theirs, round);
		}
		double unnest = rate(benchmark, Peer.PG_RAW, round);
		double copy = rate(benchmark, Peer.PG_RAW_COPY, round);
		return Double.isNaN(copy) ? unnest : Double.isNaN(unnest) ? copy : Math.max(unnest, copy);
	}

	// ---- every figure

	private void figures() {
		String[][] workloads = { { GETS + "get1", "Point get, 1 thread, uniform" },
				{ GETS + "get4", "Point get, 4 threads, uniform" },
				{ GETS + "set", "Single put, no previous value (`set`), 1 thread" },
				{ GETS + "put", "Single put returning the previous value (`put`), 1 thread" },
				{ GETS + "put8", "8 writer threads, each write durable on return" },
				{ GETS + "hot1", "Hot-key get, 1 thread, Zipf (the near cache, warm)" },
				{ BULK, "Bulk put (`putAll`, one transaction) into an empty store" } };
		for (String[] workload : workloads) {
			String benchmark = workload[0];
			Measurement any = this.measurements.stream()
				.filter((m) -> m.benchmark().equals(benchmark))
				.findFirst()
				.orElse(null);
			if (any == null) {
				continue;
			}
			boolean time = benchmark.equals(BULK);
			this.md.append("\n### ")
				.append(workload[1])
				.append(" — ")
				.append(String.format(Locale.ROOT, "%,d entries, ", Long.parseLong(any.param("entries"))))
				.append(any.param("valueSize"))
				.append("-byte values\n\n| peer | durability |");
			for (int round : this.rounds) {
				this.md.append(" round ").append(round).append(time ? " time" : " ops/s").append(" | vs raw |");
			}
			this.md.append("\n|---|---|");
			this.rounds.forEach((r) -> this.md.append("---:|---:|"));
			this.md.append('\n');
			for (Peer peer : ORDER) {
				if (this.rounds.stream().allMatch((r) -> find(benchmark, peer, r) == null)) {
					continue;
				}
				this.md.append("| ")
					.append(peer.label())
					.append(" | ")
					.append(durability(peer, benchmark))
					.append(" |");
				for (int round : this.rounds) {
					Measurement m = find(benchmark, peer, round);
					double ratio = (m != null)
							? m.opsPerSecond() / baseline(benchmark, time ? null : Peer.PG_RAW, round) : Double.NaN;
					this.md.append(" ")
						.append((m == null) ? "—"
								: time ? Formats.time(m.secondsPerOp()) : Formats.rate(m.opsPerSecond()))
						.append(" | ")
						.append(Formats.fmt(ratio))
						.append("× |");
				}
				this.md.append('\n');
			}
			this.md.append("\nLoad average (1 min, start–end of the job):");
			for (int round : this.rounds) {
				this.md.append(" round ").append(round).append(" ").append(load(benchmark, round)).append(";");
			}
			this.md.setLength(this.md.length() - 1);
			this.md.append(".")
				.append(time ? " Ratios are rates (entries a second), to the better raw variant." : "")
				.append('\n');
		}
	}

	private static String durability(Peer peer, String benchmark) {
		if (peer.postgres()) {
			return peer.durability(Synchronous.FULL);
		}
		if (peer == Peer.DICT) {
			return "durable per operation (SQLite WAL, synchronous=FULL)";
		}
		return peer.durability(Synchronous.FULL);
	}

	// ---- SQLite file, PostgreSQL or Redis

	private void choosing() {
		String[][] columns = { { GETS + "get1", "get, 1 thread" }, { GETS + "get4", "get, 4 threads" },
				{ GETS + "set", "set" }, { GETS + "put", "put (returns previous)" },
				{ GETS + "put8", "8 writer threads" }, { BULK, "putAll of 100k" },
				{ GETS + "hot1", "hot-key get (Zipf), near cache" } };
		this.md.append("\n### A SQLite file, PostgreSQL or Redis\n\n");
		this.md.append("The same jobs' figures, as operations a second (putAll: entries a second), the median of ")
			.append("the rounds; the last row gives each column's load average. Every write below is durable on return")
			.append(" except Redis's reads, which ran on AOF `everysec` (a read does not depend on it).\n\n");
		this.md.append("| store |");
		for (String[] column : columns) {
			this.md.append(" ").append(column[1]).append(" |");
		}
		this.md.append(" a write that returned survives | hosts that can share it |\n|---|");
		for (int i = 0; i < columns.length; i++) {
			this.md.append("---:|");
		}
		this.md.append("---|---|\n");
		choice("SQLite file (PersistentDict)", columns, Peer.DICT, Peer.DICT,
				"a crash of the process or the machine (WAL, synchronous=FULL)",
				"one: processes on one host share the file (not over a network file system)");
		choice("PostgreSQL (PersistentDict)", columns, Peer.PG_DICT, Peer.PG_DICT,
				"a crash of the server or its machine (synchronous_commit=on, fsync=on)",
				"any number that reach the server; each instance's near cache is its own");
		choice("PostgreSQL (raw pgjdbc)", columns, Peer.PG_RAW, Peer.PG_RAW, "as above", "as above");
		choice("Redis 7 over loopback", columns, Peer.REDIS_EVERYSEC, Peer.REDIS_ALWAYS,
				"writes: a crash (AOF always, fsync each write)",
				"any number that reach the server; no expiry per map, no transactions across keys here");
		this.md.append("| load average (1 min) |");
		for (String[] column : columns) {
			List<String> cells = new ArrayList<>();
			for (int round : this.rounds) {
				cells.add(load(column[0], round));
			}
			this.md.append(" ").append(String.join(", ", cells)).append(" |");
		}
		this.md.append(" | |\n");
	}

	private void choice(String name, String[][] columns, Peer reader, Peer writer, String durability, String hosts) {
		this.md.append("| ").append(name).append(" |");
		for (String[] column : columns) {
			boolean read = column[0].endsWith(".get1") || column[0].endsWith(".get4");
			Peer peer = read ? reader : writer;
			if (column[0].endsWith(".hot1")) {
				// the near cache where the store has one; Redis and raw read the server
				peer = (reader == Peer.PG_DICT) ? Peer.PG_DICT_NEAR
						: (reader == Peer.DICT) ? Peer.DICT_NEAR_QUARTER : reader;
			}
			List<Double> values = new ArrayList<>();
			for (int round : this.rounds) {
				Measurement m = find(column[0], peer, round);
				if (m != null) {
					// putAll: one operation is every entry
					values.add(m.opsPerSecond() * (column[0].equals(BULK) ? Long.parseLong(m.param("entries")) : 1));
				}
			}
			String cell = "—";
			if (!values.isEmpty()) {
				double median = Results.median(values);
				cell = Formats.rate(median) + (column[0].equals(BULK) ? "/s" : "");
			}
			this.md.append(" ").append(cell).append(" |");
		}
		this.md.append(" ").append(durability).append(" | ").append(hosts).append(" |\n");
	}

}
