package io.persistentdict.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.persistentdict.benchmarks.peers.Peer;
import io.persistentdict.benchmarks.report.Markdown;
import io.persistentdict.benchmarks.report.Measurement;
import io.persistentdict.benchmarks.report.Probe;
import io.persistentdict.benchmarks.report.Results;
import io.persistentdict.testing.postgres.TestPostgres;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark (each in its own forked JVM, as JMH does), the probes, and writes
 * {@code BENCHMARKS.md}.
 *
 * <pre>
 * java -jar benchmarks.jar [--quick] [--out DIR] [--markdown FILE] [--only REGEX] [--report-only]
 * </pre>
 * <p>
 * {@code --only pg} runs the PostgreSQL jobs alone (see {@link #runPostgres}), and
 * {@code --only pg-hot} (or {@code pg-get}, {@code pg-write}, {@code pg-concurrent},
 * {@code pg-bulk}) one of them.
 */
public final class Suite {

	/** The JVM flags of every fork. */
	public static final List<String> JVM_ARGS = List.of("-Xms1g", "-Xmx3g", "-XX:+UseG1GC");

	private final boolean quick;

	private final Path out;

	private final boolean redis;

	private final List<Measurement> measurements = new ArrayList<>();

	/** The probes' figures, kept in results.tsv beside the measurements. */
	private final List<Probe> probes = new ArrayList<>();

	private Suite(boolean quick, Path out) {
		this.quick = quick;
		this.out = out;
		this.redis = System.getProperty("bench.redis.port") != null;
	}

	public static void main(String[] args) throws Exception {
		List<String> list = Arrays.asList(args);
		boolean quick = list.contains("--quick");
		Path out = Path.of(option(list, "--out", "benchmarks/results"));
		Path markdown = Path.of(option(list, "--markdown", "BENCHMARKS.md"));
		String only = option(list, "--only", ".*");
		Files.createDirectories(out);
		Suite suite = new Suite(quick, out);
		Path tsv = out.resolve("results.tsv");
		List<Probe> probes = suite.probes;
		if (list.contains("--report-only")) {
			for (String line : Files.readAllLines(tsv)) {
				if (line.startsWith("probe\t")) {
					probes.add(Probe.fromTsv(line));
				}
				else {
					suite.measurements.add(Measurement.fromTsv(line));
				}
			}
		}
		else {
			if (!list.contains("--only")) {
				Files.deleteIfExists(tsv);
			}
			else if (Files.exists(tsv)) {
				// a partial run replaces the jobs it runs and keeps the others
				for (String line : Files.readAllLines(tsv)) {
					if (line.startsWith("probe\t")) {
						if (!"probes".matches(only)) {
							probes.add(Probe.fromTsv(line));
						}
					}
					else {
						suite.measurements.add(Measurement.fromTsv(line));
					}
				}
			}
			for (Job job : suite.jobs()) {
				if (job.name().matches(only)) {
					suite.run(job);
				}
			}
			suite.runPostgres(only);
			if ("probes".matches(only)) {
				probes.addAll(Probes.run(quick ? 20_000 : 1_000_000, quick));
				suite.writeResults();
			}
		}
		List<Measurement> merged = new ArrayList<>(suite.measurements);
		Results.merge(merged);
		new Markdown(merged, probes, quick, JVM_ARGS).write(markdown, out.resolve("ratios.svg"));
		System.out.println("Wrote " + markdown.toAbsolutePath());
	}

	private static String option(List<String> args, String name, String otherwise) {
		// the last occurrence wins, so that run.sh's own --out and --markdown can be
		// overridden from its command line
		int i = args.lastIndexOf(name);
		return (i >= 0 && i + 1 < args.size()) ? args.get(i + 1) : otherwise;
	}

	/**
	 * One JMH run: a benchmark pattern, the parameter values to cross, and the modes.
	 *
	 * @param name the job's name
	 * @param pattern the benchmarks to include
	 * @param params the parameter values
	 * @param modes the modes, or none for the benchmarks' own
	 */
	record Job(String name, String pattern, Map<String, List<String>> params, List<Mode> modes, int forks) {

		Job(String name, String pattern, Map<String, List<String>> params) {
			this(name, pattern, params, List.of());
		}

		Job(String name, String pattern, Map<String, List<String>> params, List<Mode> modes) {
			this(name, pattern, params, modes, 1);
		}

		Job withForks(int forks) {
			return new Job(this.name, this.pattern, this.params, this.modes, forks);
		}

	}

	private static List<String> names(Peer... peers) {
		return Arrays.stream(peers).map(Peer::name).toList();
	}

	private List<Job> jobs() {
		String big = Integer.toString(this.quick ? 20_000 : 1_000_000);
		String big4k = Integer.toString(this.quick ? 5_000 : 100_000);
		List<String> core = names(Peer.RAW, Peer.DICT);
		List<String> readers = this.quick ? core : names(Peer.RAW, Peer.DICT, Peer.DICT_STRING, Peer.MAPDB,
				Peer.MVSTORE, Peer.EHCACHE, Peer.CAFFEINE, Peer.REDIS_EVERYSEC);
		List<String> writers = this.quick ? core
				: names(Peer.RAW, Peer.DICT, Peer.DICT_STRING, Peer.MAPDB_TX, Peer.MAPDB, Peer.MVSTORE_COMMIT,
						Peer.MVSTORE, Peer.EHCACHE, Peer.CAFFEINE, Peer.REDIS_ALWAYS, Peer.REDIS_EVERYSEC);
		List<String> bulk = this.quick ? core : names(Peer.RAW, Peer.DICT, Peer.DICT_STRING, Peer.MAPDB_TX, Peer.MAPDB,
				Peer.MVSTORE, Peer.EHCACHE, Peer.CAFFEINE, Peer.REDIS_EVERYSEC);
		List<String> persistent = this.quick ? core
				: names(Peer.RAW, Peer.DICT, Peer.MAPDB_TX, Peer.MAPDB, Peer.MVSTORE, Peer.EHCACHE);
		List<String> sizers = this.quick ? core
				: names(Peer.RAW, Peer.DICT, Peer.MAPDB, Peer.MVSTORE, Peer.CAFFEINE, Peer.REDIS_EVERYSEC);
		List<String> mixed = this.quick ? core : names(Peer.RAW, Peer.DICT, Peer.MAPDB, Peer.MVSTORE, Peer.EHCACHE,
				Peer.CAFFEINE, Peer.REDIS_EVERYSEC);
		List<String> groupCommit = new ArrayList<>(names(Peer.RAW, Peer.DICT, Peer.DICT_NO_GROUP));
		if (!this.quick) {
			groupCommit.addAll(names(Peer.REDIS_ALWAYS, Peer.REDIS_EVERYSEC));
		}
		List<String> distributions = this.quick ? List.of("uniform") : List.of("uniform", "zipf");
		List<Mode> both = List.of(Mode.Throughput, Mode.SampleTime);
		List<Mode> rate = List.of(Mode.Throughput);
		List<Job> jobs = new ArrayList<>();
		jobs.add(new Job("get", "GetBenchmark",
				Map.of("peer", readers, "entries", List.of(big), "distribution", distributions),
				this.quick ? both : rate));
		if (!this.quick) {
			jobs.add(new Job("get-latency", "GetBenchmark",
					Map.of("peer", readers, "entries", List.of(big), "distribution", List.of("uniform")),
					List.of(Mode.SampleTime)));
			jobs.add(new Job("get-latency-zipf", "GetBenchmark",
					Map.of("peer", core, "entries", List.of(big), "distribution", List.of("zipf")),
					List.of(Mode.SampleTime)));
			// the near cache, warm, on hot keys, beside Caffeine in the same job (whose
			// rows replace the get job's); they join the Zipf get tables
			jobs.add(new Job("get-near", "GetBenchmark",
					Map.of("peer", names(Peer.DICT_NEAR, Peer.DICT_NEAR_QUARTER, Peer.CAFFEINE), "entries",
							List.of(big), "distribution", List.of("zipf")),
					both));
		}
		jobs.add(new Job("set", "\\.PutBenchmark\\.set", Map.of("peer", writers, "entries", List.of(big)), both));
		jobs.add(new Job("put", "\\.PutBenchmark\\.put$", Map.of("peer", core, "entries", List.of(big)), both));
		jobs.add(new Job("put-full", this.quick ? "\\.PutBenchmark\\.set" : "\\.PutBenchmark\\.",
				Map.of("peer", core, "entries", List.of(big), "sync", List.of("FULL")), both));
		jobs.add(new Job("mixed", "MixedBenchmark", Map.of("peer", mixed, "entries", List.of(big))));
		// fsync times swing widely on a shared disk: two forks each, and the median of
		// their iterations
		jobs.add(new Job("concurrent", this.quick ? "ConcurrentPutBenchmark\\.put4" : "ConcurrentPutBenchmark",
				Map.of("peer", groupCommit, "entries", List.of(this.quick ? big : "100000"), "sync",
						List.of("NORMAL", "FULL")))
			.withForks(this.quick ? 1 : 2));
		if (!this.quick) {
			jobs.add(new Job("commit-ceiling", "CommitCeilingBenchmark",
					Map.of("peer", names(Peer.RAW), "entries", List.of("100000"), "sync", List.of("NORMAL", "FULL")))
				.withForks(2));
		}
		jobs.add(new Job("bulk", "BulkPutBenchmark\\.putAll$", Map.of("peer", bulk, "entries", List.of(big))));
		if (!this.quick) {
			jobs.add(new Job("bulk-unordered", "BulkPutBenchmark\\.putAllUnordered",
					Map.of("peer", core, "entries", List.of(big))));
		}
		// Redis restarts a server of its own on its AOF (full mode: run.sh installs it)
		List<String> reopeners = new ArrayList<>(persistent);
		if (!this.quick) {
			reopeners.addAll(names(Peer.REDIS_RESTART));
		}
		jobs.add(new Job("reopen", "ReopenBenchmark", Map.of("peer", reopeners, "entries", List.of("1000", big))));
		jobs.add(new Job("iterate", "IterateBenchmark", Map.of("peer", readers, "entries", List.of(big))));
		jobs.add(new Job("purge", "PurgeBenchmark", Map.of("peer", core, "entries", List.of(big))));
		jobs.add(new Job("size", "SizeBenchmark", Map.of("peer", sizers, "entries", List.of(big))));
		// @Cacheable through a Spring context (Redis is left out where there is no
		// server)
		jobs.add(new Job("cacheable", "CacheableBenchmark", Map.of("manager",
				List.of("PERSISTENTDICT", "REDIS", "CAFFEINE"), "keys", List.of(this.quick ? "2000" : "10000")), both));
		// the default DictSpec (layout AUTO: SPLIT for byte[]) against raw on its best
		// table for the value size: WITHOUT ROWID at 100 bytes, rowid at 4 KiB. DICT is
		// the bytes-codec dict on raw's table, so these jobs also hold the layout rows
		// of COMPACT at 100 B and ROWID at 4 KiB: no other job measures those
		// workloads, so that each ratio divides figures of one run
		List<String> defaults = names(Peer.RAW, Peer.DICT, Peer.DICT_DEFAULT);
		jobs.add(new Job("default-100", "GetBenchmark\\.get1|\\.PutBenchmark\\.set", Map.of("peer", defaults, "entries",
				List.of(big), "layout", List.of("COMPACT"), "distribution", List.of("uniform")), rate));
		jobs.add(new Job("default-4k", "GetBenchmark\\.get1|\\.PutBenchmark\\.set",
				Map.of("peer", defaults, "entries", List.of(big4k), "valueSize", List.of("4096"), "layout",
						List.of("ROWID"), "distribution", List.of("uniform")),
				rate));
		if (!this.quick) {
			// the other layout at 4 KiB: AUTO resolves to ROWID in the other jobs
			jobs.add(new Job("layout-4k", "GetBenchmark\\.get1|\\.PutBenchmark\\.set",
					Map.of("peer", core, "entries", List.of(big4k), "valueSize", List.of("4096"), "layout",
							List.of("COMPACT"), "distribution", List.of("uniform")),
					rate));
			// single-shot, so no mode override
			jobs.add(new Job("layout-bulk-100", "BulkPutBenchmark\\.putAll$",
					Map.of("peer", core, "entries", List.of(big), "layout", List.of("COMPACT"))));
			jobs.add(new Job("layout-bulk-4k", "BulkPutBenchmark\\.putAll$", Map.of("peer", core, "entries",
					List.of(big4k), "valueSize", List.of("4096"), "layout", List.of("COMPACT", "ROWID"))));
		}
		return jobs;
	}

	/**
	 * Run the PostgreSQL jobs ({@code --only pg}) on a server of the run's own: an
	 * embedded PostgreSQL 17 on 127.0.0.1 with PostgreSQL's default
	 * {@code shared_buffers}, 128MB, where the tests' servers take 32MB
	 * ({@link TestPostgres}; a server given by
	 * {@value TestPostgres#URL_ENVIRONMENT_VARIABLE} instead, if set), whose URL every
	 * fork gets. Each job runs raw pgjdbc and PersistentDict in the same run, and the
	 * whole set runs {@link #postgresRounds()} times over, one round after the other, so
	 * that a ratio can be checked against the next round's on a machine whose load moves.
	 * @param only the pattern of jobs to run
	 * @throws RunnerException if JMH fails
	 * @throws IOException if the results cannot be written
	 */
	private void runPostgres(String only) throws RunnerException, IOException {
		// "pg" runs them all; "pg-get" and the like one of them, in every round
		boolean all = "pg".matches(only);
		if (!all && postgresJobs(1).stream().noneMatch((job) -> baseName(job).matches(only))) {
			return;
		}
		// PostgreSQL's own default, where the tests' servers take 32MB: on 32MB a dict's
		// putAll of 100,000 rows ran at 0.68-0.79x of raw's best, on 128MB 0.87-0.89x
		// (benchmarks/results/manual/pg-shared-buffers.md)
		if (System.getProperty(TestPostgres.SHARED_BUFFERS_SYSTEM_PROPERTY) == null) {
			System.setProperty(TestPostgres.SHARED_BUFFERS_SYSTEM_PROPERTY, "128MB");
		}
		TestPostgres server = TestPostgres.server();
		System.setProperty(TestPostgres.URL_SYSTEM_PROPERTY, server.jdbcUrl());
		System.out.println("PostgreSQL for the benchmarks: " + server + ", shared_buffers " + sharedBuffers(server));
		for (int round = 1; round <= postgresRounds(); round++) {
			for (Job job : postgresJobs(round)) {
				if (all || baseName(job).matches(only)) {
					run(job);
				}
			}
		}
	}

	private static String sharedBuffers(TestPostgres server) throws IOException {
		try (java.sql.Connection connection = server.dataSource().getConnection();
				java.sql.Statement statement = connection.createStatement();
				java.sql.ResultSet rs = statement.executeQuery("SHOW shared_buffers")) {
			return rs.next() ? rs.getString(1) : "unknown";
		}
		catch (java.sql.SQLException ex) {
			throw new IOException("Could not read the benchmark server's shared_buffers", ex);
		}
	}

	private static String baseName(Job job) {
		return job.name().replaceFirst("-r[0-9]+$", "");
	}

	private int postgresRounds() {
		return this.quick ? 1 : 2;
	}

	private List<Job> postgresJobs(int round) {
		String entries = Integer.toString(this.quick ? 20_000 : 100_000);
		List<String> rounds = List.of(Integer.toString(round));
		List<String> sync = List.of("FULL");
		List<String> readers = this.quick ? names(Peer.PG_RAW, Peer.PG_DICT)
				: names(Peer.PG_RAW, Peer.PG_DICT, Peer.DICT, Peer.REDIS_EVERYSEC);
		List<String> writers = this.quick ? names(Peer.PG_RAW, Peer.PG_DICT)
				: names(Peer.PG_RAW, Peer.PG_DICT, Peer.DICT, Peer.REDIS_ALWAYS);
		List<String> concurrent = this.quick ? names(Peer.PG_RAW, Peer.PG_DICT, Peer.PG_DICT_NO_GROUP)
				: names(Peer.PG_RAW, Peer.PG_DICT, Peer.PG_DICT_NO_GROUP, Peer.DICT, Peer.REDIS_ALWAYS);
		List<String> bulk = this.quick ? names(Peer.PG_RAW, Peer.PG_RAW_COPY, Peer.PG_DICT)
				: names(Peer.PG_RAW, Peer.PG_RAW_COPY, Peer.PG_DICT, Peer.DICT, Peer.REDIS_ALWAYS);
		List<String> hot = this.quick ? names(Peer.PG_DICT_NEAR, Peer.PG_DICT)
				: names(Peer.PG_DICT_NEAR, Peer.PG_DICT, Peer.PG_RAW, Peer.DICT_NEAR_QUARTER, Peer.REDIS_EVERYSEC);
		List<Mode> rate = List.of(Mode.Throughput);
		String suffix = "-r" + round;
		return List.of(
				new Job("pg-get" + suffix, "PostgresBenchmark\\.get[14]$",
						Map.of("peer", readers, "entries", List.of(entries), "sync", sync, "round", rounds), rate),
				new Job("pg-write" + suffix, "PostgresBenchmark\\.(set|put)$",
						Map.of("peer", writers, "entries", List.of(entries), "sync", sync, "round", rounds), rate),
				new Job("pg-concurrent" + suffix, "PostgresBenchmark\\.put8$",
						Map.of("peer", concurrent, "entries", List.of(entries), "sync", sync, "round", rounds)),
				new Job("pg-hot" + suffix, "PostgresBenchmark\\.hot1$",
						Map.of("peer", hot, "entries", List.of(entries), "sync", sync, "round", rounds), rate),
				new Job("pg-bulk" + suffix, "PostgresBulkBenchmark\\.putAll$",
						Map.of("peer", bulk, "entries", List.of(entries), "sync", sync, "round", rounds)));
	}

	private void run(Job job) throws RunnerException, IOException {
		ChainedOptionsBuilder options = new OptionsBuilder().include(job.pattern())
			.forks(job.forks())
			.shouldFailOnError(false)
			.jvmArgs(JVM_ARGS.toArray(new String[0]))
			.jvmArgsAppend(systemProperties())
			.result(this.out.resolve(job.name() + ".json").toString())
			.resultFormat(ResultFormatType.JSON);
		job.params().forEach((name, values) -> options.param(name, values.toArray(new String[0])));
		if (job.name().startsWith("default-")) {
			// CPU time per operation beside the rate: the ratio that holds on a loaded
			// machine
			options.addProfiler(CpuTimeProfiler.class);
		}
		if (!this.redis) {
			for (String key : List.of("peer", "manager")) {
				List<String> values = job.params().get(key);
				if (values != null && values.stream().anyMatch((p) -> p.startsWith("REDIS"))) {
					options.param(key, values.stream().filter((p) -> !p.startsWith("REDIS")).toArray(String[]::new));
				}
			}
		}
		// single-shot benchmarks count iterations and ignore the times
		options.warmupIterations(this.quick ? 1 : 2)
			.warmupTime(TimeValue.milliseconds(this.quick ? 400 : 1000))
			.measurementIterations(this.quick ? 2 : 4)
			.measurementTime(TimeValue.milliseconds(this.quick ? 400 : 1000));
		if (job.name().equals("iterate")) {
			// one iteration is one pass: give the JIT enough passes to compile it
			options.warmupIterations(this.quick ? 8 : 3);
		}
		if (!this.quick && (job.name().equals("concurrent") || job.name().equals("commit-ceiling"))) {
			// writers' throughput still rises over the first 4 s of a fork (JIT, WAL
			// growth): measure after it levels off
			options.warmupIterations(5).measurementIterations(5);
		}
		if (!this.quick && job.name().startsWith("pg-bulk")) {
			// one iteration is one putAll of about 0.4 s into a new store: four of them
			// gave ratios that moved by 10% from run to run
			options.warmupIterations(5).measurementIterations(10);
		}
		if (job.name().equals("reopen")) {
			options.warmupIterations(this.quick ? 3 : 5).measurementIterations(this.quick ? 5 : 15);
		}
		if (!job.modes().isEmpty()) {
			options.mode(job.modes().get(0));
			for (Mode mode : job.modes().subList(1, job.modes().size())) {
				options.mode(mode);
			}
		}
		Instant start = Instant.now();
		String loadAtStart = loadAverage();
		List<Measurement> results = Results.of(new Runner(options.build()).run());
		recordRun(job.name(), start, loadAtStart);
		// a job replaces every earlier result of the same benchmarks and peers, so that
		// each ratio divides figures of one run
		this.measurements.removeIf((m) -> results.stream()
			.anyMatch((r) -> r.benchmark().equals(m.benchmark()) && r.peer().equals(m.peer())
					&& r.params().equals(m.params()) && r.mode().equals(m.mode())));
		this.measurements.addAll(results);
		writeResults();
	}

	/**
	 * Write results.tsv: every measurement and every probe kept so far, so that a partial
	 * run keeps the figures of the jobs it did not run.
	 * @throws IOException if the file cannot be written
	 */
	private void writeResults() throws IOException {
		Files.writeString(this.out.resolve("results.tsv"),
				Stream
					.concat(this.measurements.stream().map(Measurement::toTsv), this.probes.stream().map(Probe::toTsv))
					.map((line) -> line + "\n")
					.collect(Collectors.joining()));
	}

	/**
	 * Record when a job ran and the machine's load average at its start and end in
	 * {@code runs.tsv}, replacing the job's earlier line, so that the report can say
	 * which figures come from which run.
	 * @param job the job's name
	 * @param start when it started
	 * @param loadAtStart the load average when it started
	 * @throws IOException if the file cannot be written
	 */
	private void recordRun(String job, Instant start, String loadAtStart) throws IOException {
		Path runs = this.out.resolve("runs.tsv");
		List<String> lines = new ArrayList<>();
		if (Files.exists(runs)) {
			for (String line : Files.readAllLines(runs)) {
				if (!line.startsWith(job + "\t")) {
					lines.add(line);
				}
			}
		}
		lines.add(String.join("\t", job, start.truncatedTo(ChronoUnit.SECONDS).toString(),
				Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), loadAtStart, loadAverage(),
				this.quick ? "quick" : "full"));
		Files.write(runs, lines);
	}

	/**
	 * Return the 1, 5 and 15 minute load averages, as {@code uptime} shows them.
	 * @return the load averages, or {@code ?} where they cannot be read
	 */
	static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "?";
		}
	}

	private static String[] systemProperties() {
		List<String> properties = new ArrayList<>();
		for (String name : List.of("bench.redis.port", "bench.dir", TestPostgres.URL_SYSTEM_PROPERTY)) {
			String value = System.getProperty(name);
			if (value != null) {
				properties.add("-D" + name + "=" + value);
			}
		}
		return properties.toArray(new String[0]);
	}

}
