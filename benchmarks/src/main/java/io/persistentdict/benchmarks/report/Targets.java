package io.persistentdict.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.persistentdict.benchmarks.peers.Peer;

import static io.persistentdict.benchmarks.report.Formats.fmt;
import static io.persistentdict.benchmarks.report.Lookups.base;

/**
 * The rows of the report's targets table, each a figure of this run against its goal:
 * ratios to raw sqlite-jdbc, leads over Redis measured in the same job, group commit's
 * gain, the near cache against Caffeine and {@code @Cacheable} against Redis. A target
 * whose measurements are missing reads NaN ("not run"); one against Redis is left out.
 */
final class Targets {

	/** A target: {@code measured} is a rate ratio (higher is better) unless timeRatio. */
	record Target(String name, double measured, String goal, boolean met, String how) {
	}

	private final Lookups lookups;

	Targets(Lookups lookups) {
		this.lookups = lookups;
	}

	private Target rateTarget(String name, String benchmark, Predicate<Measurement> filter, double goal) {
		double r = this.lookups.ratio(this.lookups.find(benchmark, "DICT", filter));
		return new Target(name, r, "≥ " + goal + "×", r >= goal, "rate ratio to raw");
	}

	/**
	 * Add a target against a Redis peer measured in the same job: ahead means more
	 * operations a second (or less time). Left out when Redis did not run (quick mode).
	 */
	private void redisTarget(List<Target> targets, String name, String benchmark, Predicate<Measurement> filter,
			Peer redis) {
		Measurement ours = this.lookups.find(benchmark, "DICT", filter);
		Measurement theirs = this.lookups.find(benchmark, redis.name(), filter);
		if (ours == null || theirs == null) {
			return;
		}
		double lead = ours.opsPerSecond() / theirs.opsPerSecond();
		targets.add(new Target(name, lead, "> 1× (ahead)", lead > 1, "PersistentDict ÷ Redis, same job"));
	}

	/**
	 * The targets in the table's order.
	 * @return the targets, Redis ones only where Redis ran
	 */
	List<Target> all() {
		List<Target> targets = new ArrayList<>();
		targets.add(rateTarget("put returning previous", "PutBenchmark.put", base(), 0.8));
		targets.add(rateTarget("void set", "PutBenchmark.set", base(), 0.9));
		targets.add(rateTarget("get, 1 thread (uniform)", "GetBenchmark.get1", base("distribution", "uniform"), 0.9));
		targets.add(rateTarget("get, 2 threads (uniform)", "GetBenchmark.get2", base("distribution", "uniform"), 0.9));
		targets.add(rateTarget("putAll of all entries", "BulkPutBenchmark.putAll", base(), 0.9));
		Measurement small = this.lookups.find("ReopenBenchmark.reopenAndGet", "DICT", base("entries", "1000"));
		Measurement large = this.lookups.find("ReopenBenchmark.reopenAndGet", "DICT",
				base().and((m) -> !m.param("entries").equals("1000")));
		double reopen = (large != null) ? 1 / this.lookups.ratio(large) : Double.NaN;
		targets.add(new Target("reopen + first get (time vs raw)", reopen, "≤ 2×", reopen <= 2, "time ratio to raw"));
		double growth = (small != null && large != null) ? large.secondsPerOp() / small.secondsPerOp() : Double.NaN;
		targets.add(new Target("reopen + first get, large / 1k entries", growth, "≈ 1× (size-independent)",
				growth <= 1.5, "time ratio, ≤ 1.5× counts as independent"));
		targets.add(rateTarget("iterate all", "IterateBenchmark.iterate", base(), 0.8));
		double purge = 1 / this.lookups.ratio(this.lookups.find("PurgeBenchmark.purge", "DICT", base()));
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
			Measurement group = this.lookups.find("ConcurrentPutBenchmark.put4", "DICT", base("sync", sync));
			Measurement single = this.lookups.find("ConcurrentPutBenchmark.put4", "DICT_NO_GROUP", base("sync", sync));
			double gain = (group != null && single != null) ? group.opsPerSecond() / single.opsPerSecond() : Double.NaN;
			double goal = sync.equals("FULL") ? 3 : 1.5;
			Measurement one = this.lookups.find("CommitCeilingBenchmark.onePerCommit", "RAW", base("sync", sync));
			Measurement four = this.lookups.find("CommitCeilingBenchmark.fourPerCommit", "RAW", base("sync", sync));
			double ceiling = (one != null && four != null) ? four.opsPerSecond() / one.opsPerSecond() : Double.NaN;
			targets.add(new Target("group commit, 4 writers, " + sync, gain, "≥ " + goal + "×", gain >= goal,
					"vs one commit per put" + (Double.isNaN(ceiling) ? ""
							: "; ceiling " + fmt(ceiling) + "× (one thread, 4 statements a commit, no hand-off)")));
			Measurement group8 = this.lookups.find("ConcurrentPutBenchmark.put8", "DICT", base("sync", sync));
			Measurement single8 = this.lookups.find("ConcurrentPutBenchmark.put8", "DICT_NO_GROUP", base("sync", sync));
			if (group8 != null && single8 != null) {
				double gain8 = group8.opsPerSecond() / single8.opsPerSecond();
				targets.add(new Target("group commit, 8 writers, " + sync, gain8, "(no goal)", true,
						"vs one commit per put"));
			}
		}
		for (Peer near : List.of(Peer.DICT_NEAR_QUARTER, Peer.DICT_NEAR)) {
			Measurement cached = this.lookups.find("GetBenchmark.get1", near.name(), base("distribution", "zipf"));
			Measurement caffeine = this.lookups.find("GetBenchmark.get1", "CAFFEINE", base("distribution", "zipf"));
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
		double proxy = this.lookups.cacheable("directGet", "PERSISTENTDICT")
				/ this.lookups.cacheable("hit", "PERSISTENTDICT");
		targets.add(new Target("@Cacheable hit / direct dict.get (time)", proxy, "≤ 1.3×", proxy <= 1.3,
				"time ratio, java codec, same run (see @Cacheable below)"));
		double redis = this.lookups.cacheable("hit", "PERSISTENTDICT") / this.lookups.cacheable("hit", "REDIS");
		targets.add(new Target("@Cacheable hit vs RedisCacheManager hit", redis, "≥ 1.5×", redis >= 1.5,
				"rate ratio, both Java serialization"));
		return targets;
	}

}
