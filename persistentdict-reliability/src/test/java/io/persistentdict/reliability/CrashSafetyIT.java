package io.persistentdict.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.Synchronous;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety: a child JVM ({@link CrashWriter}) writes to one store with several
 * threads while sweeps and vacuums run, and is killed with SIGKILL at random moments. On
 * a SQLite file, at least 50 times, half of them at {@code synchronous=FULL} and half at
 * {@code NORMAL}; on PostgreSQL, at least 20 times, half with durable commits and half
 * with {@code Synchronous.OFF} ({@code synchronous_commit = off}). After every kill the
 * store must open, pass its integrity check, and hold every acknowledged write; an
 * operation in flight at the kill, a {@code putAll} or a {@code batch} as much as a
 * {@code put}, is either wholly there or wholly absent.
 *
 * <p>
 * A killed process, unlike a power cut or a crash of the database server, loses no
 * committed transaction at any of these settings: this test makes no claim about power
 * loss (nor, on PostgreSQL, about a server crash with {@code synchronous_commit} off).
 *
 * <p>
 * Knobs: {@code reliability.kills} (50 on SQLite, 20 on PostgreSQL; heavy 300 and 100),
 * {@code reliability.crash.seed}.
 */
class CrashSafetyIT {

	private static final int BULK = 10_000;

	private static final int THREADS = 3;

	private static final int MIN_ACKS = 30;

	@TempDir
	Path dir;

	/** Kills after which the server still ran a session of the dead child. */
	private final AtomicInteger outlived = new AtomicInteger();

	@Test
	void sqliteKilledWriterShouldLoseNoAcknowledgedWrite() throws Exception {
		try (Backend backend = Backend.sqlite(this.dir.resolve("crash.db"))) {
			killRepeatedly(backend, Scale.get("reliability.kills", 50, 300), "crash-safety");
		}
	}

	@Test
	void postgresKilledWriterShouldLoseNoAcknowledgedWrite() throws Exception {
		try (Backend backend = Backend.postgres("crash", 2, true)) {
			killRepeatedly(backend, Scale.get("reliability.kills", 20, 100), "crash-safety-postgres");
		}
	}

	private void killRepeatedly(Backend backend, int kills, String section) throws Exception {
		int maintenanceTarget = Math.min(kills / 3, Math.max(10, kills / 5));
		long seed = Scale.seed("reliability.crash.seed");
		Random random = new Random(seed);
		List<Synchronous> modes = backend.commitModes();
		preload(backend);
		Model model = new Model();
		List<Integer> acksPerKill = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		int duringSweep = 0;
		int duringVacuum = 0;
		int[] bySync = new int[2];
		long started = System.nanoTime();
		for (int cycle = 0; cycle < kills; cycle++) {
			Synchronous synchronous = modes.get(cycle % 2);
			bySync[cycle % 2]++;
			int landed = duringSweep + duringVacuum;
			boolean aimAtMaintenance = (landed < maintenanceTarget)
					&& (cycle % 2 == 1 || kills - cycle <= maintenanceTarget - landed);
			String aim = aimAtMaintenance
					? ((backend.vacuums() && duringVacuum <= duringSweep) ? "VACUUM-START" : "SWEEP-START") : null;
			List<String> lines = runAndKill(backend, synchronous, cycle, random.nextLong(), aim, random);
			String landedIn = maintenanceAt(lines);
			if ("SWEEP".equals(landedIn)) {
				duringSweep++;
			}
			else if ("VACUUM".equals(landedIn)) {
				duringVacuum++;
			}
			int acks = model.apply(lines, problems, cycle);
			acksPerKill.add(acks);
			verify(backend, model, problems, cycle, seed);
			if (problems.size() > 20) {
				break;
			}
		}
		long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
		List<Integer> sorted = acksPerKill.stream().sorted().toList();
		long totalAcks = acksPerKill.stream().mapToLong(Integer::longValue).sum();
		List<String> figures = new ArrayList<>(List.of(
				backend.engine() + ", seed: " + seed + " (replay with -Dreliability.crash.seed=" + seed + ")",
				"kills (SIGKILL): " + acksPerKill.size() + " (" + bySync[0] + " at synchronous=" + modes.get(0) + ", "
						+ bySync[1] + " at " + modes.get(1) + "), " + THREADS + " writer threads, one store reused",
				"kills during a sweep: " + duringSweep + ", during a vacuum: " + duringVacuum,
				"acknowledged operations verified: " + totalAcks + " (per kill: min " + sorted.get(0) + ", median "
						+ sorted.get(sorted.size() / 2) + ", max " + sorted.get(sorted.size() - 1) + ")",
				"operations in flight at a kill, found all-or-nothing: " + model.inFlight + " (of which "
						+ model.inFlightCommitted + " had committed)",
				"acknowledged writes lost: " + model.lost + ", torn operations: " + model.torn
						+ ", integrity failures: " + model.integrityFailures + ", child errors: " + model.errors,
				"time: " + seconds + " s"));
		if (backend instanceof Backend.Postgres) {
			figures.add("kills after which the server still had a session of the dead child, waited for: "
					+ this.outlived.get());
		}
		Report.section(section, figures);
		assertThat(problems).as("seed %d", seed).isEmpty();
		assertThat(acksPerKill).hasSize(kills);
		assertThat(sorted.get(0)).as("acknowledged operations of the poorest kill").isGreaterThanOrEqualTo(MIN_ACKS);
		assertThat(duringSweep + duringVacuum).as("kills during a sweep or vacuum")
			.isGreaterThanOrEqualTo(Math.min(10, maintenanceTarget));
		assertThat(model.lost).isZero();
	}

	private void preload(Backend backend) {
		try (DictStore store = backend.open()) {
			PersistentDict<Integer, String> bulk = store.dict("bulk", Integer.class, String.class);
			Map<Integer, String> entries = new HashMap<>();
			for (int i = 0; i < BULK; i++) {
				entries.put(i, bulkValue(i));
			}
			bulk.putAll(entries);
		}
	}

	private static String bulkValue(int i) {
		return ("bulk-" + i + "-").repeat(20);
	}

	private List<String> runAndKill(Backend backend, Synchronous synchronous, int cycle, long childSeed,
			@Nullable String aim, Random random) throws InterruptedException {
		int delay = random.nextInt(12);
		AtomicBoolean armed = new AtomicBoolean();
		AtomicInteger acks = new AtomicInteger();
		AtomicReference<ChildJvm> self = new AtomicReference<>();
		ChildJvm child = ChildJvm.start(CrashWriter.class, ChildJvm.LEAN, backend.childEnvironment(),
				this.dir.resolve("child-" + cycle + ".err"), (line) -> {
					if (line.startsWith("A ")) {
						acks.incrementAndGet();
					}
					if (armed.get() && line.equals(aim) && armed.compareAndSet(true, false)) {
						sleepQuietly(delay);
						ChildJvm c = self.get();
						if (c != null) {
							c.signalKill();
						}
					}
				}, backend.argument(), synchronous.name(), Integer.toString(cycle), Long.toString(childSeed),
				Integer.toString(THREADS));
		self.set(child);
		try {
			awaitLine(child, "READY", 60_000);
			// a kill only counts once the writers are well under way, however loaded the
			// machine
			long deadline = System.currentTimeMillis() + 20_000;
			while (acks.get() < MIN_ACKS && child.isAlive() && System.currentTimeMillis() < deadline) {
				Thread.sleep(1);
			}
			if (aim != null) {
				armed.set(true);
				deadline = System.currentTimeMillis() + 3000;
				while (child.isAlive() && System.currentTimeMillis() < deadline) {
					Thread.sleep(2);
				}
			}
			else {
				Thread.sleep(random.nextInt(250));
			}
			child.kill();
			if (backend.awaitSessionsOf(child.pid()) > 0) {
				this.outlived.incrementAndGet();
			}
			return new ArrayList<>(child.lines());
		}
		finally {
			child.close();
		}
	}

	private static void sleepQuietly(int millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void awaitLine(ChildJvm child, String prefix, long millis) throws InterruptedException {
		long deadline = System.currentTimeMillis() + millis;
		while (child.lines().stream().noneMatch((line) -> line.startsWith(prefix))) {
			if (!child.isAlive() || System.currentTimeMillis() > deadline) {
				child.close();
				throw new AssertionError("child did not print " + prefix + "; " + child.stderrTail());
			}
			Thread.sleep(5);
		}
	}

	/**
	 * Return SWEEP or VACUUM when the last marker before the kill opened one, else null.
	 */
	private static @Nullable String maintenanceAt(List<String> lines) {
		String open = null;
		for (String line : lines) {
			if (line.equals("SWEEP-START")) {
				open = "SWEEP";
			}
			else if (line.equals("VACUUM-START")) {
				open = "VACUUM";
			}
			else if (line.startsWith("SWEEP-END") || line.startsWith("VACUUM-END")) {
				open = null;
			}
		}
		return open;
	}

	private void verify(Backend backend, Model model, List<String> problems, int cycle, long seed) {
		try (DictStore store = backend.open()) {
			String integrity = store.checkIntegrity();
			if (!"ok".equals(integrity)) {
				model.integrityFailures++;
				problems.add("cycle " + cycle + ": integrity_check: " + integrity);
			}
			PersistentDict<String, String> kv = store.dict(CrashWriter.KV, String.class, String.class);
			PersistentDict<String, Integer> counters = store.dict(CrashWriter.COUNTERS, String.class, Integer.class);
			Map<String, String> actual = new TreeMap<>();
			kv.forEach((k, v) -> actual.put(CrashWriter.KV + "/" + k, v));
			counters.forEach((k, v) -> actual.put(CrashWriter.COUNTERS + "/" + k, String.valueOf(v)));
			model.resolve(actual, problems, cycle);
			PersistentDict<Integer, String> bulk = store.dict("bulk", Integer.class, String.class);
			if (bulk.mappingCount() != BULK) {
				problems.add("cycle " + cycle + ": bulk has " + bulk.mappingCount() + " entries");
			}
			Random random = new Random(seed + cycle);
			for (int i = 0; i < 50; i++) {
				int k = random.nextInt(BULK);
				if (!bulkValue(k).equals(bulk.get(k))) {
					problems.add("cycle " + cycle + ": bulk key " + k + " reads " + bulk.get(k));
				}
			}
		}
		catch (RuntimeException ex) {
			model.integrityFailures++;
			problems.add("cycle " + cycle + ": reopening failed: " + ex);
		}
	}

	/**
	 * What the store must hold: every acknowledged operation applied in order per writer
	 * thread (threads own disjoint keys), plus, for each thread, at most one operation in
	 * flight at the kill that may or may not have committed, but never in part. A thread
	 * of {@link RestartWriter} may leave several operations in flight, each on keys it
	 * does not write again; one that failed saying that nothing of it was committed
	 * ({@code F}) must not have committed.
	 */
	static final class Model {

		final Map<String, String> expected = new HashMap<>();

		final List<List<String>> pending = new ArrayList<>();

		/** Operations in flight that failed saying that nothing of them was committed. */
		private final Set<List<String>> refused = Collections.newSetFromMap(new IdentityHashMap<>());

		/**
		 * Operations in flight that failed saying that they may or may not have happened.
		 */
		private final Set<List<String>> unknown = Collections.newSetFromMap(new IdentityHashMap<>());

		/** Operations that failed saying nothing was committed, and had committed. */
		long refusedCommitted;

		/** Operations that failed with an unknown outcome, and had committed. */
		long unknownCommitted;

		long lost;

		long torn;

		long inFlight;

		long inFlightCommitted;

		long integrityFailures;

		long errors;

		/** Apply the acknowledged operations of one run; return how many there were. */
		int apply(List<String> lines, List<String> problems, int cycle) {
			Map<String, List<String>> intents = new LinkedHashMap<>();
			Map<String, String> acks = new HashMap<>();
			Set<String> refusedIds = new HashSet<>();
			Set<String> unknownIds = new HashSet<>();
			for (String line : lines) {
				String[] parts = line.split(" ", 4);
				if (line.startsWith("I ")) {
					intents.put(parts[1] + " " + parts[2], List.of(parts[3].split(" ")));
				}
				else if (line.startsWith("A ")) {
					acks.put(parts[1] + " " + parts[2], (parts.length > 3) ? parts[3] : "");
				}
				else if (line.startsWith("F ")) {
					refusedIds.add(parts[1] + " " + parts[2]);
				}
				else if (line.startsWith("U ")) {
					unknownIds.add(parts[1] + " " + parts[2]);
				}
				else if (line.startsWith("ERROR")) {
					this.errors++;
					problems.add("cycle " + cycle + ": child error: " + line);
				}
			}
			int acked = 0;
			for (Map.Entry<String, List<String>> intent : intents.entrySet()) {
				String ack = acks.get(intent.getKey());
				if (ack != null) {
					acked++;
					apply(intent.getValue(), ack, this.expected);
				}
				else {
					this.pending.add(intent.getValue());
					if (refusedIds.contains(intent.getKey())) {
						this.refused.add(intent.getValue());
					}
					if (unknownIds.contains(intent.getKey())) {
						this.unknown.add(intent.getValue());
					}
				}
			}
			return acked;
		}

		/** Check the store's content; settle the operations that were in flight. */
		void resolve(Map<String, String> actual, List<String> problems, int cycle) {
			for (List<String> op : this.pending) {
				this.inFlight++;
				Map<String, String> after = new HashMap<>();
				List<String> keys = keys(op);
				keys.forEach((k) -> {
					if (this.expected.containsKey(k)) {
						after.put(k, this.expected.get(k));
					}
				});
				apply(op, null, after);
				boolean before = keys.stream().allMatch((k) -> same(this.expected.get(k), actual.get(k)));
				boolean committed = keys.stream().allMatch((k) -> same(after.get(k), actual.get(k)));
				if (committed && !before) {
					this.inFlightCommitted++;
					keys.forEach((k) -> put(this.expected, k, after.get(k)));
					if (this.unknown.contains(op)) {
						this.unknownCommitted++;
					}
					if (this.refused.contains(op)) {
						this.refusedCommitted++;
						problems.add("cycle " + cycle
								+ ": operation that failed saying that nothing of it was committed had committed: "
								+ op);
					}
				}
				else if (!before) {
					this.torn++;
					problems.add("cycle " + cycle + ": operation in flight at the kill was applied in part: " + op);
					keys.forEach((k) -> put(this.expected, k, actual.get(k)));
				}
			}
			this.pending.clear();
			this.refused.clear();
			this.unknown.clear();
			Map<String, String> missing = new TreeMap<>();
			this.expected.forEach((k, v) -> {
				if (!v.equals(actual.get(k))) {
					missing.put(k, v + " -> " + actual.get(k));
				}
			});
			Map<String, String> extra = new TreeMap<>();
			actual.forEach((k, v) -> {
				if (!this.expected.containsKey(k)) {
					extra.put(k, v);
				}
			});
			if (!missing.isEmpty() || !extra.isEmpty()) {
				this.lost += missing.size() + extra.size();
				problems.add("cycle " + cycle + ": acknowledged state differs: expected -> actual " + first(missing)
						+ "; unexpected " + first(extra));
				this.expected.clear();
				this.expected.putAll(actual);
			}
		}

		private static String first(Map<String, String> map) {
			return map.entrySet().stream().limit(10).toList() + ((map.size() > 10) ? " (" + map.size() + ")" : "");
		}

		private static boolean same(@Nullable String a, @Nullable String b) {
			return (a == null) ? b == null : a.equals(b);
		}

		private static void put(Map<String, String> map, String key, @Nullable String value) {
			if (value == null) {
				map.remove(key);
			}
			else {
				map.put(key, value);
			}
		}

		private static List<String> keys(List<String> op) {
			String kv = CrashWriter.KV + "/";
			return switch (op.get(0)) {
				case "PUT", "PUTTTL", "SET", "PUTSHORT", "REMOVE" -> List.of(kv + op.get(1));
				case "MERGE" -> List.of(CrashWriter.COUNTERS + "/" + op.get(1));
				case "PUTALL" -> prefixed(kv, op.get(2).split(","));
				case "BATCH" -> {
					List<String> keys = new ArrayList<>(prefixed(kv, op.get(2).split(",")));
					keys.add(kv + op.get(3));
					yield keys;
				}
				case "REMOVEALL" -> prefixed(kv, op.get(1).split(","));
				default -> throw new IllegalStateException("unknown operation " + op);
			};
		}

		private static List<String> prefixed(String prefix, String[] keys) {
			List<String> list = new ArrayList<>();
			for (String key : keys) {
				list.add(prefix + key);
			}
			return list;
		}

		/**
		 * Apply one operation to a state.
		 * @param op the operation
		 * @param ack what the child printed after it returned, or {@code null} when in
		 * flight
		 * @param state the state
		 */
		private static void apply(List<String> op, @Nullable String ack, Map<String, String> state) {
			String kv = CrashWriter.KV + "/";
			switch (op.get(0)) {
				case "PUT", "PUTTTL", "SET" -> state.put(kv + op.get(1), op.get(2));
				case "PUTSHORT" -> state.remove(kv + op.get(1));
				case "REMOVE" -> state.remove(kv + op.get(1));
				case "MERGE" -> {
					String key = CrashWriter.COUNTERS + "/" + op.get(1);
					String old = state.get(key);
					int next = (old != null) ? Integer.parseInt(old) + 1 : 1;
					if (ack != null && Integer.parseInt(ack.trim()) != next) {
						throw new AssertionError("merge of " + key + " returned " + ack + ", expected " + next);
					}
					state.put(key, Integer.toString(next));
				}
				case "PUTALL" -> {
					for (String key : op.get(2).split(",")) {
						state.put(kv + key, op.get(1));
					}
				}
				case "BATCH" -> {
					for (String key : op.get(2).split(",")) {
						state.put(kv + key, op.get(1));
					}
					state.remove(kv + op.get(3));
				}
				case "REMOVEALL" -> {
					for (String key : op.get(1).split(",")) {
						state.remove(kv + key);
					}
				}
				default -> throw new IllegalStateException("unknown operation " + op);
			}
		}

	}

}
