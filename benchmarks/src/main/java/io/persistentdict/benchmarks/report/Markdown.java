package io.persistentdict.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

import io.persistentdict.Synchronous;
import io.persistentdict.benchmarks.cacheable.Item;
import io.persistentdict.benchmarks.cacheable.Manager;
import io.persistentdict.benchmarks.peers.Peer;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@code BENCHMARKS.md}: the targets, a chart, one table per workload with every
 * figure as a ratio to raw sqlite-jdbc measured in the same run, and the machine.
 */
public final class Markdown {

	private final List<Measurement> measurements;

	private final List<Probe> probes;

	private final boolean quick;

	private final List<String> jvmArgs;

	private final StringBuilder md = new StringBuilder();

	/** The PostgreSQL jobs' measurements, which have a section of their own. */
	private final List<Measurement> postgres;

	public Markdown(List<Measurement> measurements, List<Probe> probes, boolean quick, List<String> jvmArgs) {
		this.measurements = measurements.stream().filter((m) -> !PostgresReport.covers(m)).toList();
		this.postgres = measurements.stream().filter(PostgresReport::covers).toList();
		this.probes = probes;
		this.quick = quick;
		this.jvmArgs = jvmArgs;
	}

	public void write(Path markdown, Path svg) throws IOException {
		List<Target> targets = targets();
		header();
		targetsSection(targets);
		Files.createDirectories(svg.toAbsolutePath().getParent());
		Files.writeString(svg, Chart.svg(chartBars()));
		Path relative = markdown.toAbsolutePath().getParent().relativize(svg.toAbsolutePath());
		this.md.append("\n![PersistentDict / raw sqlite-jdbc, 100-byte values](").append(relative).append(")\n");
		workloads();
		this.md.append(new PostgresReport(this.postgres, svg.toAbsolutePath().getParent()).section());
		behindSection();
		cacheableSection();
		probesSection();
		runsSection(svg.toAbsolutePath().getParent());
		notes();
		Files.writeString(markdown, this.md.toString());
	}

	// ---- lookups

	private static final String CACHEABLE = "CacheableBenchmark.";

	private @Nullable Measurement cacheableMeasurement(String benchmark, String manager) {
		return find(CACHEABLE + benchmark, manager, (m) -> true);
	}

	private double cacheable(String benchmark, String manager) {
		Measurement m = cacheableMeasurement(benchmark, manager);
		return (m != null) ? m.opsPerSecond() : Double.NaN;
	}

	private @Nullable Measurement find(String benchmark, String peer, Predicate<Measurement> filter) {
		for (Measurement m : this.measurements) {
			if (m.benchmark().equals(benchmark) && m.peer().equals(peer) && filter.test(m)) {
				return m;
			}
		}
		return null;
	}

	private static Predicate<Measurement> base(String... pairs) {
		Map<String, String> wanted = new LinkedHashMap<>();
		wanted.put("valueSize", "100");
		wanted.put("sync", "NORMAL");
		wanted.put("layout", "AUTO");
		for (int i = 0; i < pairs.length; i += 2) {
			wanted.put(pairs[i], pairs[i + 1]);
		}
		return (m) -> wanted.entrySet()
			.stream()
			.allMatch((e) -> !m.params().containsKey(e.getKey()) || m.param(e.getKey()).equals(e.getValue()));
	}

	private @Nullable Measurement raw(Measurement m) {
		for (Measurement other : this.measurements) {
			if (other.peer().equals("RAW") && other.benchmark().equals(m.benchmark())
					&& other.params().equals(m.params())) {
				return other;
			}
		}
		return null;
	}

	private double ratio(@Nullable Measurement m) {
		if (m == null) {
			return Double.NaN;
		}
		Measurement raw = raw(m);
		return (raw != null) ? m.opsPerSecond() / raw.opsPerSecond() : Double.NaN;
	}

	private double probe(String what, String peer) {
		for (Probe p : this.probes) {
			if (p.what().equals(what) && p.peer().equals(peer)) {
				return p.value();
			}
		}
		return Double.NaN;
	}

	// ---- targets

	/** A target: {@code measured} is a rate ratio (higher is better) unless timeRatio. */
	record Target(String name, double measured, String goal, boolean met, String how) {
	}

	private Target rateTarget(String name, String benchmark, Predicate<Measurement> filter, double goal) {
		double r = ratio(find(benchmark, "DICT", filter));
		return new Target(name, r, "≥ " + goal + "×", r >= goal, "rate ratio to raw");
	}

	/**
	 * Add a target against a Redis peer measured in the same job: ahead means more
	 * operations a second (or less time). Left out when Redis did not run (quick mode).
	 */
	private void redisTarget(List<Target> targets, String name, String benchmark, Predicate<Measurement> filter,
			Peer redis) {
		Measurement ours = find(benchmark, "DICT", filter);
		Measurement theirs = find(benchmark, redis.name(), filter);
		if (ours == null || theirs == null) {
			return;
		}
		double lead = ours.opsPerSecond() / theirs.opsPerSecond();
		targets.add(new Target(name, lead, "> 1× (ahead)", lead > 1, "PersistentDict ÷ Redis, same job"));
	}

	private List<Target> targets() {
		List<Target> targets = new ArrayList<>();
		targets.add(rateTarget("put returning previous", "PutBenchmark.put", base(), 0.8));
		targets.add(rateTarget("void set", "PutBenchmark.set", base(), 0.9));
		targets.add(rateTarget("get, 1 thread (uniform)", "GetBenchmark.get1", base("distribution", "uniform"), 0.9));
		targets.add(rateTarget("get, 2 threads (uniform)", "GetBenchmark.get2", base("distribution", "uniform"), 0.9));
		targets.add(rateTarget("putAll of all entries", "BulkPutBenchmark.putAll", base(), 0.9));
		Measurement small = find("ReopenBenchmark.reopenAndGet", "DICT", base("entries", "1000"));
		Measurement large = find("ReopenBenchmark.reopenAndGet", "DICT",
				base().and((m) -> !m.param("entries").equals("1000")));
		double reopen = (large != null) ? 1 / ratio(large) : Double.NaN;
		targets.add(new Target("reopen + first get (time vs raw)", reopen, "≤ 2×", reopen <= 2, "time ratio to raw"));
		double growth = (small != null && large != null) ? large.secondsPerOp() / small.secondsPerOp() : Double.NaN;
		targets.add(new Target("reopen + first get, large / 1k entries", growth, "≈ 1× (size-independent)",
				growth <= 1.5, "time ratio, ≤ 1.5× counts as independent"));
		targets.add(rateTarget("iterate all", "IterateBenchmark.iterate", base(), 0.8));
		double purge = 1 / ratio(find("PurgeBenchmark.purge", "DICT", base()));
		targets.add(new Target("purge half expired (time vs raw)", purge, "≤ 1.2×", purge <= 1.2, "time ratio to raw"));
		targets.add(rateTarget("size() vs COUNT(*)", "SizeBenchmark.size", base(), 1.0));
		// the bar against Redis, at equal durability where it is a write
		Predicate<Measurement> millionEntries = base().and((m) -> !m.param("entries").equals("1000"));
		redisTarget(targets, "get, 1 thread (uniform), vs Redis (AOF everysec)", "GetBenchmark.get1",
				base("distribution", "uniform"), Peer.REDIS_EVERYSEC);
		redisTarget(targets, "90/10 mixed, 2 threads, vs Redis (AOF everysec)", "MixedBenchmark.mixed", base(),
				Peer.REDIS_EVERYSEC);
		redisTarget(targets, "iterate all, vs Redis (AOF everysec)", "IterateBenchmark.iterate", base(),
				Peer.REDIS_EVERYSEC);
		redisTarget(targets, "reopen + first get, vs a Redis restart (AOF everysec)", "ReopenBenchmark.reopenAndGet",
				millionEntries, Peer.REDIS_RESTART);
		redisTarget(targets, "4 writers at FULL, vs Redis (AOF always)", "ConcurrentPutBenchmark.put4",
				base("sync", "FULL"), Peer.REDIS_ALWAYS);
		redisTarget(targets, "4 writers at NORMAL, vs Redis (AOF everysec)", "ConcurrentPutBenchmark.put4",
				base("sync", "NORMAL"), Peer.REDIS_EVERYSEC);
		for (String sync : List.of("FULL", "NORMAL")) {
			Measurement group = find("ConcurrentPutBenchmark.put4", "DICT", base("sync", sync));
			Measurement single = find("ConcurrentPutBenchmark.put4", "DICT_NO_GROUP", base("sync", sync));
			double gain = (group != null && single != null) ? group.opsPerSecond() / single.opsPerSecond() : Double.NaN;
			double goal = sync.equals("FULL") ? 3 : 1.5;
			Measurement one = find("CommitCeilingBenchmark.onePerCommit", "RAW", base("sync", sync));
			Measurement four = find("CommitCeilingBenchmark.fourPerCommit", "RAW", base("sync", sync));
			double ceiling = (one != null && four != null) ? four.opsPerSecond() / one.opsPerSecond() : Double.NaN;
			targets.add(new Target("group commit, 4 writers, " + sync, gain, "≥ " + goal + "×", gain >= goal,
					"vs one commit per put" + (Double.isNaN(ceiling) ? ""
							: "; ceiling " + fmt(ceiling) + "× (one thread, 4 statements a commit, no hand-off)")));
			Measurement group8 = find("ConcurrentPutBenchmark.put8", "DICT", base("sync", sync));
			Measurement single8 = find("ConcurrentPutBenchmark.put8", "DICT_NO_GROUP", base("sync", sync));
			if (group8 != null && single8 != null) {
				double gain8 = group8.opsPerSecond() / single8.opsPerSecond();
				targets.add(new Target("group commit, 8 writers, " + sync, gain8, "(no goal)", true,
						"vs one commit per put"));
			}
		}
		for (Peer near : List.of(Peer.DICT_NEAR_QUARTER, Peer.DICT_NEAR)) {
			Measurement cached = find("GetBenchmark.get1", near.name(), base("distribution", "zipf"));
			Measurement caffeine = find("GetBenchmark.get1", "CAFFEINE", base("distribution", "zipf"));
			double share = (cached != null && caffeine != null) ? cached.opsPerSecond() / caffeine.opsPerSecond()
					: Double.NaN;
			if (near == Peer.DICT_NEAR_QUARTER) {
				// the bar: a near cache of the hot entries within 2x of Caffeine
				targets
					.add(new Target("Zipf get, 1 thread, near cache holding the hot set (25% of entries), vs Caffeine",
							share, "≥ 0.5×", share >= 0.5, "rate ratio to Caffeine (within 2×), warm near cache"));
			}
			else {
				// smaller than the hot set: bounded by its hit ratio (see the notes)
				targets.add(new Target("Zipf get, 1 thread, near cache for 10% of entries, vs Caffeine", share,
						"(no goal)", true, "smaller than the hot set: 12.5% of reads go to SQLite (see notes)"));
			}
		}
		double proxy = cacheable("directGet", "PERSISTENTDICT") / cacheable("hit", "PERSISTENTDICT");
		targets.add(new Target("@Cacheable hit / direct dict.get (time)", proxy, "≤ 1.3×", proxy <= 1.3,
				"time ratio, java codec, same run (see @Cacheable below)"));
		double redis = cacheable("hit", "PERSISTENTDICT") / cacheable("hit", "REDIS");
		targets.add(new Target("@Cacheable hit vs RedisCacheManager hit", redis, "≥ 1.5×", redis >= 1.5,
				"rate ratio, both Java serialization"));
		return targets;
	}

	// ---- sections

	private void header() {
		this.md.append("# Benchmarks\n\n");
		this.md.append("Generated by `benchmarks/run.sh")
			.append(this.quick ? " --quick" : "")
			.append("` on ")
			.append(LocalDate.now())
			.append(". Every figure is a ratio to raw sqlite-jdbc measured in the same run")
			.append(" (the same file settings, table layout and synchronous level; see the notes at the end).")
			.append(" Ratios above 1 are faster than raw for rates, and slower than raw for times.\n\n");
		if (this.quick) {
			this.md.append("**Quick mode**: 20,000 entries (5,000 at 4 KiB) instead of 1,000,000 (100,000),")
				.append(" raw and PersistentDict only, short iterations. Use the full run for decisions.\n\n");
		}
		this.md.append("## Machine\n\n");
		this.md.append("| | |\n|---|---|\n");
		row("CPU", cpu());
		row("cores (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()));
		row("memory", memory());
		row("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		row("JVM flags of each fork", "`" + String.join(" ", this.jvmArgs) + "`");
		row("suite JVM flags", "`" + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()) + "`");
		row("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
		row("versions", versions());
		row("shared machine",
				"yes: a 2-core virtual machine whose disk and CPU are shared with other tenants, so absolute figures"
						+ " are noisy (fsync times swing by 2× within minutes); ratios within one job are what to read");
		this.md.append('\n');
	}

	private void row(String name, String value) {
		this.md.append("| ").append(name).append(" | ").append(value).append(" |\n");
	}

	private void targetsSection(List<Target> targets) {
		this.md.append("## Targets (PersistentDict, bytes codec, 100-byte values; `@Cacheable` rows: java codec)\n\n");
		this.md.append("| target | measured | goal | met | what |\n|---|---:|---|---|---|\n");
		for (Target t : targets) {
			this.md.append("| ")
				.append(t.name())
				.append(" | ")
				.append(fmt(t.measured()))
				.append("× | ")
				.append(t.goal())
				.append(" | ")
				.append(Double.isNaN(t.measured()) ? "not run"
						: t.goal().startsWith("(") ? "—" : (t.met() ? "yes" : "**no**"))
				.append(" | ")
				.append(t.how())
				.append(" |\n");
		}
	}

	private List<Chart.Bar> chartBars() {
		List<Chart.Bar> bars = new ArrayList<>();
		String[][] rows = { { "put (returns previous)", "PutBenchmark.put", "" },
				{ "set (void)", "PutBenchmark.set", "" }, { "get 1 thread", "GetBenchmark.get1", "uniform" },
				{ "get 2 threads", "GetBenchmark.get2", "uniform" },
				{ "get 1 thread, zipf", "GetBenchmark.get1", "zipf" },
				{ "get 2 threads, zipf", "GetBenchmark.get2", "zipf" }, { "90/10 mixed", "MixedBenchmark.mixed", "" },
				{ "putAll", "BulkPutBenchmark.putAll", "" }, { "iterate", "IterateBenchmark.iterate", "" },
				{ "purge half", "PurgeBenchmark.purge", "" }, { "size()", "SizeBenchmark.size", "" } };
		for (String[] r : rows) {
			Predicate<Measurement> filter = r[2].isEmpty() ? base() : base("distribution", r[2]);
			double value = ratio(find(r[1], "DICT", filter));
			if (!Double.isNaN(value)) {
				bars.add(new Chart.Bar(r[0], value));
			}
		}
		Measurement large = find("ReopenBenchmark.reopenAndGet", "DICT",
				base().and((m) -> !m.param("entries").equals("1000")));
		if (large != null && !Double.isNaN(ratio(large))) {
			bars.add(new Chart.Bar("reopen + first get", ratio(large)));
		}
		return bars;
	}

	private void workloads() {
		this.md.append("\n## Results by workload\n\n");
		this.md.append("Medians over the measurement iterations. Rates are operations a second over all threads;")
			.append(" Rates come from JMH's throughput mode; p50 and p99 from a separate sample-time run of the same")
			.append(" workload (where only sample time ran, the rate is threads / the median iteration's mean latency).\n");
		Map<String, List<Measurement>> byWorkload = new LinkedHashMap<>();
		for (Measurement m : this.measurements) {
			byWorkload.computeIfAbsent(m.workload(), (k) -> new ArrayList<>()).add(m);
		}
		for (Map.Entry<String, List<Measurement>> workload : byWorkload.entrySet()) {
			List<Measurement> rows = workload.getValue();
			Measurement first = rows.get(0);
			if (first.benchmark().startsWith(CACHEABLE)) {
				// its own section, by cache manager
				continue;
			}
			// peers in their declared order, whichever job measured them
			rows.sort(Comparator.comparingInt((m) -> Peer.valueOf(m.peer()).ordinal()));
			first = rows.get(0);
			this.md.append("\n### ")
				.append(title(first.benchmark()))
				.append(" — ")
				.append(describe(first))
				.append(rows.stream().anyMatch((m) -> m.peer().equals(Peer.DICT_DEFAULT.name()))
						? " (raw's and the bytes-codec dict's; the default DictSpec's dict picks its own)" : "")
				.append("\n\n");
			boolean singleShot = first.mode().equals("ss") || first.mode().equals("avgt");
			boolean sampled = rows.stream().anyMatch((m) -> !Double.isNaN(m.p50()));
			this.md.append("| peer | durability | ")
				.append(singleShot ? "time" : "ops/s")
				.append(sampled ? " | p50 | p99" : "")
				.append(" | vs raw |\n|---|---|---:|")
				.append(sampled ? "---:|---:|" : "")
				.append("---:|\n");
			for (Measurement m : rows) {
				Peer peer = Peer.valueOf(m.peer());
				this.md.append("| ")
					.append(peer.label())
					.append(" | ")
					.append(peer.durability(Synchronous.valueOf(m.param("sync"))))
					.append(" | ")
					.append(singleShot ? time(m.secondsPerOp()) : rate(m.opsPerSecond()));
				if (sampled) {
					this.md.append(" | ").append(time(m.p50())).append(" | ").append(time(m.p99()));
				}
				double r = ratio(m);
				this.md.append(" | ").append(Double.isNaN(r) ? "—" : fmt(r) + "×");
				this.md.append(" |\n");
			}
		}
	}

	private static String title(String benchmark) {
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

	private static String describe(Measurement m) {
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

	private void cacheableSection() {
		if (this.measurements.stream().noneMatch((m) -> m.benchmark().startsWith(CACHEABLE))) {
			return;
		}
		Measurement any = this.measurements.stream()
			.filter((m) -> m.benchmark().startsWith(CACHEABLE))
			.findFirst()
			.orElseThrow();
		this.md.append("\n## `@Cacheable` through a Spring context\n\n");
		this.md.append(
				"One Spring Boot application per cache manager (`SpringApplication`, web off, auto-configuration on,")
			.append(" `@EnableCaching`), a service bean whose `@Cacheable(\"bench\")` method returns a small `Serializable`")
			.append(" record (a 13-character key, a `long` and a 64-character string; ")
			.append(Item.serializedSize())
			.append(" bytes in Java serialization) at once, called through its proxy on one thread.")
			.append(" **hit**: keys loaded beforehand, uniform over ")
			.append(String.format(Locale.ROOT, "%,d", Long.parseLong(any.param("keys"))))
			.append(" keys. **miss then put**: a fresh key each call (lookup, the method, put).")
			.append(" **direct read**: the cache's own read of a present key, no proxy: `PersistentDict.get` on the")
			.append(" cache's native dict (which decodes the value), Caffeine's `getIfPresent`, and for Redis the cache")
			.append(" writer's `GET` of the prefixed key plus deserialization.")
			.append(" persistentdict's cache manager is the starter's auto-configured one (default `java` codec, store")
			.append(" in the bench directory); `RedisCacheManager` uses `JdkSerializationRedisSerializer` for values")
			.append(" (the same Java serialization) and `StringRedisSerializer` for keys; `CaffeineCacheManager`")
			.append(" keeps references, so it neither serializes nor copies. The miss benchmark clears the cache")
			.append(" (between iterations) after every 500,000 misses, to bound Caffeine's memory.\n\n");
		this.md.append("| cache manager | storage | hit ops/s | hit p50 | hit p99 | miss then put ops/s | miss p50 |")
			.append(" miss p99 | direct read ops/s | direct p50 | hit / direct (time) |\n")
			.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (Manager manager : Manager.values()) {
			Measurement hit = cacheableMeasurement("hit", manager.name());
			Measurement miss = cacheableMeasurement("miss", manager.name());
			Measurement direct = cacheableMeasurement("directGet", manager.name());
			if (hit == null && miss == null && direct == null) {
				continue;
			}
			this.md.append("| ")
				.append(manager.label())
				.append(" | ")
				.append(manager.storage())
				.append(" | ")
				.append(cells(hit, true))
				.append(" | ")
				.append(cells(miss, true))
				.append(" | ")
				.append(cells(direct, false))
				.append(" | ")
				.append(fmt(cacheable("directGet", manager.name()) / cacheable("hit", manager.name())))
				.append("× |\n");
		}
		this.md.append("\n| persistentdict compared | hit | miss then put |\n|---|---:|---:|\n");
		this.md.append("| hit / direct `dict.get` (time; goal ≤ 1.3×) | ")
			.append(fmt(cacheable("directGet", "PERSISTENTDICT") / cacheable("hit", "PERSISTENTDICT")))
			.append("× | |\n");
		for (Manager other : List.of(Manager.REDIS, Manager.CAFFEINE)) {
			this.md.append("| rate vs ")
				.append(other == Manager.REDIS ? "`RedisCacheManager` (goal for hits ≥ 1.5×)"
						: "`CaffeineCacheManager`")
				.append(" | ")
				.append(fmt(cacheable("hit", "PERSISTENTDICT") / cacheable("hit", other.name())))
				.append("× | ")
				.append(fmt(cacheable("miss", "PERSISTENTDICT") / cacheable("miss", other.name())))
				.append("× |\n");
		}
	}

	private static String rateOf(@Nullable Measurement m) {
		return (m != null) ? rate(m.opsPerSecond()) : "—";
	}

	/**
	 * Say which run each job's figures come from: the time its JMH results were written
	 * and, where the suite recorded it ({@code runs.tsv}), when it started and the load
	 * average at its start and end.
	 * @param out the results directory
	 */
	private void runsSection(Path out) {
		Map<String, String[]> runs = new LinkedHashMap<>();
		List<Path> jsons = new ArrayList<>();
		try {
			Path tsv = out.resolve("runs.tsv");
			if (Files.exists(tsv)) {
				for (String line : Files.readAllLines(tsv)) {
					String[] fields = line.split("\t");
					if (fields.length >= 5) {
						runs.put(fields[0], fields);
					}
				}
			}
			try (var files = Files.list(out)) {
				files.filter((f) -> f.getFileName().toString().endsWith(".json")).forEach(jsons::add);
			}
			jsons.sort(Comparator.comparing(Markdown::modified));
		}
		catch (IOException ex) {
			return;
		}
		if (jsons.isEmpty()) {
			return;
		}
		this.md.append("\n## Which run each figure comes from\n\n");
		this.md
			.append("Partial runs (`run.sh --only`) replace the jobs they run and keep the rest, so the tables above")
			.append(" can mix runs; each ratio still divides figures of one job. Load averages (1, 5, 15 min, as")
			.append(" `uptime` shows them) are the machine's at the job's start and end; the benchmarks' own threads")
			.append(" count in them.\n\n");
		this.md.append("| job | started (UTC) | finished (UTC) | load at start | load at end | note |\n")
			.append("|---|---|---|---|---|---|\n");
		for (Path json : jsons) {
			String job = json.getFileName().toString().replaceFirst("\\.json$", "");
			String[] run = runs.get(job);
			this.md.append("| ").append(job).append(" | ");
			if (run != null) {
				this.md.append(run[1].replace('T', ' ').replace("Z", ""))
					.append(" | ")
					.append(run[2].replace('T', ' ').replace("Z", ""))
					.append(" | ")
					.append(run[3])
					.append(" | ")
					.append(run[4])
					.append(" | ")
					.append((run.length > 5) ? run[5] : "")
					.append(" |\n");
			}
			else {
				this.md.append("— | ")
					.append(modified(json).truncatedTo(ChronoUnit.SECONDS)
						.toString()
						.replace('T', ' ')
						.replace("Z", ""))
					.append(" | not recorded | not recorded | an earlier run, before runs were recorded |\n");
			}
		}
	}

	private static Instant modified(Path file) {
		try {
			return Files.getLastModifiedTime(file).toInstant();
		}
		catch (IOException ex) {
			return Instant.EPOCH;
		}
	}

	/**
	 * Where a peer beat PersistentDict in a workload, with the reason: what the peer
	 * gives up for it, or what it does that an SQLite-backed map cannot.
	 */
	private void behindSection() {
		Map<String, List<Measurement>> byWorkload = new LinkedHashMap<>();
		for (Measurement m : this.measurements) {
			if (!m.benchmark().startsWith(CACHEABLE) && !m.benchmark().startsWith("CommitCeiling")) {
				byWorkload.computeIfAbsent(m.workload(), (k) -> new ArrayList<>()).add(m);
			}
		}
		List<String> rows = new ArrayList<>();
		Set<Peer> seen = new LinkedHashSet<>();
		Set<String> benchmarks = new LinkedHashSet<>();
		for (List<Measurement> rowsOfWorkload : byWorkload.values()) {
			Measurement dict = rowsOfWorkload.stream().filter((m) -> m.peer().equals("DICT")).findFirst().orElse(null);
			if (dict == null) {
				continue;
			}
			for (Measurement m : rowsOfWorkload) {
				Peer peer = Peer.valueOf(m.peer());
				if (peer == Peer.RAW || peer.name().startsWith("DICT") || m.opsPerSecond() <= dict.opsPerSecond()) {
					continue;
				}
				if (m.param("sync").equals("FULL") && peer != Peer.REDIS_ALWAYS && peer != Peer.MAPDB_TX) {
					// at FULL every PersistentDict write is on disk when it returns:
					// compare
					// only with peers that promise the same
					continue;
				}
				seen.add(peer);
				benchmarks.add(m.benchmark());
				double ahead = m.opsPerSecond() / dict.opsPerSecond();
				rows.add("| " + title(m.benchmark()) + " — " + describe(m) + " | " + peer.label() + " | "
						+ peer.durability(Synchronous.valueOf(m.param("sync"))) + " | "
						+ ((ahead > 1000) ? "> 1,000" : fmt(ahead)) + "× |");
			}
		}
		if (rows.isEmpty()) {
			return;
		}
		this.md.append("\n## Where PersistentDict is behind, and why\n\n");
		this.md.append("Every workload above where a peer did more work a second than PersistentDict (bytes codec),")
			.append(" computed from the tables: the plain map, without its near cache (the Zipf rows show what")
			.append(" the near cache changes). At `synchronous=FULL`, where every PersistentDict write is on disk")
			.append(" when it returns, only peers that promise the same are compared.\n\n");
		this.md.append("| workload | peer | its durability | peer / PersistentDict |\n|---|---|---|---:|\n");
		rows.forEach((row) -> this.md.append(row).append('\n'));
		this.md.append("\nWhy:\n\n");
		for (Peer peer : seen) {
			this.md.append("- **").append(peer.label()).append("**: ").append(whyAhead(peer)).append('\n');
		}
		for (String benchmark : benchmarks) {
			String why = whyBehindIn(benchmark);
			if (why != null) {
				this.md.append("- **").append(title(benchmark)).append("**: ").append(why).append('\n');
			}
		}
	}

	private static @Nullable String whyBehindIn(String benchmark) {
		return switch (benchmark) {
			case "ReopenBenchmark.reopenAndGet" -> "before its first get, opening a store checks the file (its"
					+ " application id and schema version, and the catalog of dicts) and starts the read pool: about"
					+ " 1.0-1.8 ms here against raw's 0.7-0.9 ms, most of the difference HikariCP's pool start (about"
					+ " 0.3 ms with its first connection, against 0.2 ms for a bare sqlite-jdbc connection). It does"
					+ " not grow with the number of entries (≤ 1.5× between 1,000 and 1,000,000 counts as independent"
					+ " on a millisecond measured one open at a time).";
			case "SizeBenchmark.size" -> "MVStore, Caffeine and Redis keep a running count. `size()` counts the live"
					+ " rows in one statement, as raw's `COUNT(*)` does: a maintained counter would cost every write"
					+ " and could not leave out the expired rows that no sweep has deleted yet.";
			case "BulkPutBenchmark.putAll" -> "PersistentDict writes every row through SQLite's B-tree in one"
					+ " transaction, 32 rows a statement, about as fast as raw sqlite-jdbc (one row a statement):"
					+ " the limit for any SQLite-backed map. The peers ahead append to memory or to a log.";
			default -> null;
		};
	}

	private static String whyAhead(Peer peer) {
		return switch (peer) {
			case MAPDB -> "without transactions it writes into memory-mapped pages with no log and no commit, so a"
					+ " crash can leave a corrupt file: not the durability PersistentDict offers. Its reads are Java"
					+ " B-tree lookups in mapped memory, with no JNI crossing.";
			case MAPDB_TX -> "with transactions it commits each write to its own log and is far behind on writes"
					+ " (see `set`); it is ahead only at reopening a small store, explained below.";
			case MVSTORE, MVSTORE_COMMIT -> "an in-process Java B-tree. Reads come from a heap cache of deserialized"
					+ " pages: no JNI crossing, no SQL statement, no copy of the value. A PersistentDict read crosses into"
					+ " SQLite through sqlite-jdbc (bind, step, read the column, reset), which is most of its ~6 µs;"
					+ " the near cache removes that for hot keys (see the Zipf rows). With background commit it writes"
					+ " a chunk about once a second, so a crash of the process loses up to a second of writes, where"
					+ " PersistentDict at NORMAL loses none (only a power loss can drop the last commits).";
			case EHCACHE -> "writes land in its heap tier and reach disk only when the cache manager is closed"
					+ " cleanly: a crash loses them.";
			case CAFFEINE ->
				"in memory only, holding references: nothing is serialized, copied or kept across a" + " restart.";
			case REDIS_ALWAYS, REDIS_EVERYSEC, REDIS_RESTART ->
				"a server holding everything in memory; bulk loads are pipelined"
						+ " and, with `everysec`, fsynced once a second. Each single call pays a loopback round trip (~60-70 µs"
						+ " here), which is why it is behind on every single-key workload.";
			default -> "see its durability.";
		};
	}

	/** A measurement's rate and p50 cells, and its p99 cell if asked, or dashes. */
	private String cells(@Nullable Measurement m, boolean withP99) {
		String rate = rateOf(m);
		String p50 = (m != null) ? time(m.p50()) : "—";
		String p99 = (m != null) ? time(m.p99()) : "—";
		return rate + " | " + p50 + (withP99 ? " | " + p99 : "");
	}

	private void probesSection() {
		if (this.probes.isEmpty()) {
			return;
		}
		this.md.append("\n## File size, vacuum, and a reader during a purge\n\n");
		this.md.append("Measured outside JMH (`Probes`), 100-byte values, half of the entries written with a 1 ms TTL;")
			.append(" sizes are of the closed files.\n\n");
		this.md.append("| figure | raw sqlite-jdbc | PersistentDict | PersistentDict / raw |\n|---|---:|---:|---:|\n");
		List<String> seen = new ArrayList<>();
		for (Probe p : this.probes) {
			if (seen.contains(p.what())) {
				continue;
			}
			seen.add(p.what());
			double raw = probe(p.what(), "RAW");
			double dict = probe(p.what(), "DICT");
			this.md.append("| ")
				.append(p.what())
				.append(" | ")
				.append(value(raw, p.unit()))
				.append(" | ")
				.append(value(dict, p.unit()))
				.append(" | ")
				.append(fmt(dict / raw))
				.append("× |\n");
		}
	}

	private void notes() {
		this.md.append("\n## How to read this\n\n");
		this.md
			.append("""
					- **Baseline.** Raw sqlite-jdbc with the core's file settings (WAL, the same `synchronous`, busy_timeout 5 s, \
					`auto_vacuum=INCREMENTAL`, `jdbc.get_generated_keys=false`), the same table (`"map:bench"` with `k`, `v`, \
					`x` and the partial index on `x`) in the same layout, cached prepared statements, `INSERT OR REPLACE` in \
					autocommit with no read of the previous value, one writer connection, one reader connection per thread. \
					Raw's get also checks expiry (`AND (x IS NULL OR x > ?)`); raw's iteration is one unordered scan; raw's \
					purge deletes in batches of 10,000 through the partial index, by rowid where there is one.
					- **PersistentDict** is measured with `Codec.bytes()` so that the figures show the map's own cost; the \
					`default codec` row stores `String` values (UTF-8). Layout `AUTO` resolves to `ROWID` for both here \
					(what `AUTO` picked for `byte[]` and `String` before `SPLIT`, kept so that these figures compare from \
					run to run). The `default DictSpec` row is the dict a user gets without picking a layout \
					(`SPLIT` for `byte[]`), beside raw on its best table for the value size: `WITHOUT ROWID` at \
					100 bytes, rowid at 4 KiB.
					- **Durability** is labelled on every row. Compare like with like: SQLite `synchronous=FULL` with Redis \
					`appendfsync always` and MapDB with transactions; `NORMAL` with Redis `everysec` and MVStore's commits.
					- **Keys** are `user:%08d`; values come from a pool of 1,024 random (incompressible) arrays; the Zipf \
					sequence is YCSB's (theta 0.99), scrambled over the key space.
					- **Iterations.** Full mode: one fork per benchmark (two for the concurrent writers and the commit \
					ceiling, whose fsync times swing widely on a shared disk; the median is over both forks' iterations, \
					after 5 warm-up iterations, and of 5 measured ones), 2 warm-up and 4 measured iterations of 1 s \
					(single-shot workloads: 2 warm-up and 4 measured passes, 3 warm-up for iteration, 5 and 15 for reopen). \
					Quick mode: 1 warm-up and 2 measured iterations of 0.4 s. One fork on a shared 2-core machine is noisy: \
					treat differences under about 15% as noise.
					- **Near cache** rows are measured warm: before the first iteration, three passes over the access \
					sequence admit every key read more than once (the near cache is Caffeine's W-TinyLFU, which admits a key over a colder one), as \
					Caffeine is measured holding every entry. The Zipf sequence is 2^20 samples over 1M keys, of which \
					about 231,000 are distinct: that is the hot set. A near cache for 25% of the entries holds all of it; \
					one for 10% holds at most 87.5% of the reads (the most frequent 100,000 keys), and every other read \
					is a SQLite read of about 5-6 µs (2.5-3 µs even when SQLite has the page cached: the JNI crossing and \
					statement). Within 2× of Caffeine needs about 8.5% misses or fewer, so size the near cache to the hot \
					set: the `persistentdict.near.hits` metric shows the share it serves. Each near-cache fork prints \
					its measured hit share (`near cache: …% of … reads hit`).
					- **Group commit.** `DICT` and `DICT_NO_GROUP` (`groupCommitLimit(1)`) run the same code with four or \
					eight writer threads; the commit ceiling is raw sqlite-jdbc on one thread putting one key a commit and \
					four keys a commit (a statement each), with no thread hand-off at all. Four writers, each waiting for \
					its own write, cannot share more than four writes a commit, so the ceiling's ratio bounds a group \
					commit that runs each write as a statement of its own. persistentdict writes a run of plain puts in \
					one multi-row statement, which saves three statements, a `BEGIN` and a `COMMIT` a batch, so at \
					`NORMAL` it can pass that ceiling.
					- **`@Cacheable`** figures are rates and latencies, not ratios to raw: the comparison there is between \
					cache managers behind the same Spring proxy (see its section).
					- Each benchmark runs in its own forked JVM; JMH's own JSON for each run is in \
					`benchmarks/results/`, and `results.tsv` holds the reduced figures this page is made from \
					(`java -jar benchmarks/target/benchmarks.jar --report-only` rewrites this page from it).
					""");
	}

	// ---- formatting

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

	private static String value(double value, String unit) {
		if (unit.equals("bytes")) {
			return String.format(Locale.ROOT, "%.1f MB", value / 1e6);
		}
		return unit.equals("s") ? time(value) : fmt(value) + " " + unit;
	}

	private static String cpu() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return System.getProperty("os.arch");
	}

	private static String memory() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal")) {
					long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
					return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return "?";
	}

	private static String versions() {
		List<String> parts = new ArrayList<>();
		String[][] artifacts = { { "io.persistentdict", "persistentdict-core" }, { "org.xerial", "sqlite-jdbc" },
				{ "com.zaxxer", "HikariCP" }, { "org.openjdk.jmh", "jmh-core" }, { "org.mapdb", "mapdb" },
				{ "com.h2database", "h2-mvstore" }, { "org.ehcache", "ehcache" },
				{ "com.github.ben-manes.caffeine", "caffeine" }, { "io.lettuce", "lettuce-core" } };
		for (String[] a : artifacts) {
			parts.add(a[1] + " " + version(a[0], a[1]));
		}
		parts.add("Spring Boot " + org.springframework.boot.SpringBootVersion.getVersion());
		parts.add("Spring Framework "
				+ java.util.Objects.requireNonNullElse(org.springframework.core.SpringVersion.getVersion(), "?"));
		parts.add("SQLite " + sqliteVersion());
		String redis = System.getProperty("bench.redis.version");
		if (redis != null) {
			parts.add("redis-server " + redis);
		}
		return String.join(", ", parts);
	}

	private static String version(String group, String artifact) {
		String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
		try (InputStream in = Markdown.class.getResourceAsStream(resource)) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				return properties.getProperty("version", "?");
			}
		}
		catch (IOException ex) {
			// fall through
		}
		return "?";
	}

	private static String sqliteVersion() {
		try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:");
				var statement = connection.createStatement();
				var rs = statement.executeQuery("SELECT sqlite_version()")) {
			return rs.next() ? rs.getString(1) : "?";
		}
		catch (java.sql.SQLException ex) {
			return "?";
		}
	}

}
