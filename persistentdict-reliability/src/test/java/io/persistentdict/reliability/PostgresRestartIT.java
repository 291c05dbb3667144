package io.persistentdict.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away under writers, and comes back: child JVMs
 * ({@link RestartWriter}) run {@code set}, {@code put}, {@code merge} and {@code batch}
 * through a PostgreSQL store with durable commits ({@code synchronous_commit} on), while
 * this test stops the server as a crash would ({@code pg_ctl stop -m immediate}), keeps
 * it down for {@value #DOWN_MILLIS} ms, and starts it again, several times.
 *
 * <p>
 * It checks, from what the children printed and what the database holds afterwards:
 * <ul>
 * <li>no acknowledged write is lost, a batch is all or nothing, and every {@code merge}
 * counter is exact: each acknowledged merge counted once, each that failed with
 * {@code WriteOutcomeUnknownException} at most once, and each that failed saying that
 * nothing of it was committed not at all ({@link CrashSafetyIT.Model});</li>
 * <li>while the server is down, writers fail (every child, every restart) with a message
 * that names the store's database and the dict, says what to check, and never shows the
 * password;</li>
 * <li>they recover by themselves: every writer thread succeeds again within
 * {@value #RECOVERY_SECONDS} s of the server's return, and after its first success no
 * call of it fails until the next stop (a broken connection handed out again would fail
 * one);</li>
 * <li>after the last restart, {@value RestartWriter#CHECKS} pairs of operations in a row
 * succeed, no connection is left borrowed, no thread waits for one, and the server holds
 * no more sessions of a child than its pool's maximum.</li>
 * </ul>
 *
 * <p>
 * <strong>The fault.</strong> Only the embedded server can be stopped and started. When
 * the tests run on a server given by {@value TestPostgres#URL_ENVIRONMENT_VARIABLE}, or
 * with {@code -Dreliability.restart.fault=terminate}, the fault is instead
 * {@code pg_terminate_backend} of every session of the children, again and again for as
 * long as the server would be down: every connection breaks and new ones are cut off as
 * they come, though the server itself stays up. The test runs either way; the report says
 * which fault it used.
 *
 * <p>
 * Knobs: {@code reliability.restarts} (3; heavy 15),
 * {@code reliability.restart.processes} (2; heavy 3), {@code reliability.restart.fault}
 * ({@code restart} or {@code terminate}).
 */
class PostgresRestartIT {

	static final long DOWN_MILLIS = 2500;

	static final long RECOVERY_SECONDS = 20;

	private static final int THREADS = 2;

	private static final int ACKS_BEFORE_FAULT = 40;

	@TempDir
	Path dir;

	@Test
	void writersShouldFailClearlyWhileTheServerIsDownAndRecoverWithNoAcknowledgedWriteLost() throws Exception {
		int restarts = Scale.get("reliability.restarts", 3, 15);
		int processes = Scale.get("reliability.restart.processes", 2, 3);
		TestPostgres server = TestPostgres.server();
		boolean restart = server.isEmbedded()
				&& !"terminate".equals(System.getProperty("reliability.restart.fault", "restart"));
		String secret = "pd-secret-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
		String password = server.password().isEmpty() ? secret : server.password();
		List<Child> children = new ArrayList<>();
		List<long[]> faults = new ArrayList<>();
		long started = System.nanoTime();
		try (Backend.Postgres backend = Backend.postgresWithPassword("restart", 2, true, secret)) {
			try (DictStore store = backend.open()) {
				store.dict(CrashWriter.KV, String.class, String.class);
				store.dict(CrashWriter.COUNTERS, String.class, Integer.class);
			}
			List<String> options = new ArrayList<>(ChildJvm.LEAN);
			options.add("-Dreliability.pool.connectionTimeout=1000");
			try {
				for (int p = 0; p < processes; p++) {
					children.add(new Child(p, options, backend));
				}
				for (Child child : children) {
					CrashSafetyIT.awaitLine(child.jvm, "READY", 60_000);
				}
				for (int r = 0; r < restarts; r++) {
					for (Child child : children) {
						child.awaitAcks(ACKS_BEFORE_FAULT, 30);
					}
					long down = System.nanoTime();
					if (restart) {
						server.stopImmediately();
						TimeUnit.MILLISECONDS.sleep(DOWN_MILLIS);
						server.start();
					}
					else {
						terminateChildrenFor(backend, DOWN_MILLIS);
					}
					faults.add(new long[] { down, System.nanoTime() });
				}
				for (Child child : children) {
					child.awaitAcks(ACKS_BEFORE_FAULT, RECOVERY_SECONDS);
				}
				children.forEach((child) -> child.jvm.send("STOP"));
				for (Child child : children) {
					assertThat(child.jvm.awaitExit(120)).as("exit code; %s", child.jvm.stderrTail()).isZero();
				}
			}
			finally {
				children.forEach((child) -> child.jvm.close());
				if (restart) {
					server.start();
				}
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			Findings findings = new Findings(faults, password);
			children.forEach(findings::read);
			try (DictStore store = backend.open()) {
				Map<String, String> actual = new TreeMap<>();
				PersistentDict<String, String> kv = store.dict(CrashWriter.KV, String.class, String.class);
				PersistentDict<String, Integer> counters = store.dict(CrashWriter.COUNTERS, String.class,
						Integer.class);
				kv.forEach((k, v) -> actual.put(CrashWriter.KV + "/" + k, v));
				counters.forEach((k, v) -> {
					actual.put(CrashWriter.COUNTERS + "/" + k, String.valueOf(v));
					findings.storedMerges += v;
				});
				findings.model.resolve(actual, findings.problems, 0);
			}
			report(findings, restart, restarts, processes, seconds);
			assertThat(findings.problems).isEmpty();
			assertThat(findings.model.lost).as("acknowledged writes lost").isZero();
			assertThat(findings.model.torn).as("operations applied in part").isZero();
			assertThat(findings.storedMerges)
				.as("stored merge counts: each acknowledged once, each unknown at most once")
				.isBetween(findings.ackedMerges, findings.ackedMerges + findings.unknownMerges);
			assertThat(findings.failures).as("failures while the database was away").isNotEmpty();
		}
	}

	private static void terminateChildrenFor(Backend.Postgres backend, long millis) throws Exception {
		long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		try (Connection connection = backend.pool().getConnection();
				Statement statement = connection.createStatement()) {
			while (System.nanoTime() < until) {
				try (ResultSet rs = statement
					.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname ="
							+ " current_database() AND application_name LIKE 'pd-reliability-child-%'")) {
					rs.next();
				}
				TimeUnit.MILLISECONDS.sleep(20);
			}
		}
	}

	private static void report(Findings findings, boolean restart, int restarts, int processes, double seconds) {
		List<String> lines = new ArrayList<>();
		lines.add("PostgreSQL, durable commits (synchronous_commit " + String.join(",", findings.synchronous) + "): "
				+ processes + " JVMs x " + THREADS + " writer threads (set, put, merge, batch), " + restarts
				+ (restart ? " restarts (pg_ctl stop -m immediate, down "
						: " faults (pg_terminate_backend of every" + " session of the children, again and again for ")
				+ DOWN_MILLIS + " ms)");
		lines.add("acknowledged operations: " + findings.acked + " (" + findings.ackedByOp + "), all there afterwards;"
				+ " lost: " + findings.model.lost + ", torn: " + findings.model.torn);
		lines.add(String.format(
				"failed calls: %d with an unknown outcome (%d had committed), %d saying nothing was committed"
						+ " (%d had), %d other errors",
				findings.unknown, findings.model.unknownCommitted, findings.refused, findings.model.refusedCommitted,
				findings.errors));
		lines.add("merges: " + findings.ackedMerges + " acknowledged, " + findings.unknownMerges
				+ " with an unknown outcome; " + findings.storedMerges + " counted in the stored counters");
		lines.add("failure messages naming the store: all " + findings.failures.size() + "; naming the dict too: "
				+ findings.namingDict + " (the others failed before their first statement: no connection, BEGIN)");
		lines.add("recovery, from the server's return to every writer thread's next success: max "
				+ findings.maxRecoveryMillis + " ms; failures after a thread's first success: "
				+ findings.failuresAfterRecovery);
		lines.add("after the last restart: " + findings.checks + " operations in a row, " + findings.checkFailures
				+ " failed; pools (active idle total waiting): " + findings.pools + "; sessions per child on the"
				+ " server (of the pool's maximum): " + findings.sessions);
		lines.add("what writers saw while it was down (" + findings.shapes.size() + " kinds):");
		findings.shapes.stream().limit(6).forEach((shape) -> lines.add("- " + shape));
		lines.add(String.format("time: %.1f s", seconds));
		Report.section("restart-postgres", lines);
	}

	/** A child JVM, with when it printed each line. */
	private final class Child {

		final int index;

		final ChildJvm jvm;

		final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();

		Child(int index, List<String> options, Backend backend) {
			this.index = index;
			this.jvm = ChildJvm.start(RestartWriter.class, options, backend.childEnvironment(),
					PostgresRestartIT.this.dir.resolve("writer-" + index + ".err"),
					(line) -> this.lines.add(new Line(System.nanoTime(), line)), backend.argument(),
					Integer.toString(index), Integer.toString(THREADS));
		}

		/** Wait for acknowledgements printed from now on. */
		void awaitAcks(int count, long seconds) throws InterruptedException {
			long from = System.nanoTime();
			long deadline = from + TimeUnit.SECONDS.toNanos(seconds);
			while (this.lines.stream().filter((l) -> l.nanos >= from && l.text.startsWith("A ")).count() < count) {
				if (!this.jvm.isAlive() || System.nanoTime() > deadline) {
					throw new AssertionError("writer " + this.index + " did not acknowledge " + count
							+ " operations within " + seconds + " s; " + this.jvm.stderrTail());
				}
				TimeUnit.MILLISECONDS.sleep(5);
			}
		}

	}

	private record Line(long nanos, String text) {
	}

	/** What the children's lines say. */
	private static final class Findings {

		final CrashSafetyIT.Model model = new CrashSafetyIT.Model();

		final List<String> problems = new ArrayList<>();

		final List<long[]> faults;

		final String password;

		final List<String> failures = new ArrayList<>();

		final TreeSet<String> shapes = new TreeSet<>();

		final TreeSet<String> synchronous = new TreeSet<>();

		final Map<String, Integer> ackedByOp = new TreeMap<>();

		final List<String> pools = new ArrayList<>();

		final List<String> sessions = new ArrayList<>();

		long acked;

		long ackedMerges;

		long storedMerges;

		long unknown;

		long unknownMerges;

		long namingDict;

		long refused;

		long errors;

		long maxRecoveryMillis;

		long failuresAfterRecovery;

		long checks;

		long checkFailures;

		Findings(List<long[]> faults, String password) {
			this.faults = faults;
			this.password = password;
		}

		void read(Child child) {
			List<Line> lines = new ArrayList<>(child.lines);
			List<String> texts = lines.stream().map(Line::text).toList();
			this.model.apply(texts, this.problems, child.index);
			Map<String, String> ops = new HashMap<>();
			// per writer thread: when it last succeeded, and whether it has since the
			// last fault
			Map<String, Long> lastAck = new HashMap<>();
			int[] downFailures = new int[this.faults.size()];
			for (Line line : lines) {
				String text = line.text;
				String[] parts = text.split(" ", 4);
				String id = (parts.length > 2) ? parts[1] + " " + parts[2] : "";
				boolean check = (parts.length > 2) && !parts[0].equals("SYNC") && parts[1].matches("\\d+")
						&& Integer.parseInt(parts[1]) >= THREADS;
				if (text.startsWith("I ")) {
					ops.put(id, parts[3].split(" ")[0]);
				}
				else if (text.startsWith("A ")) {
					this.acked++;
					this.ackedByOp.merge(ops.get(id).toLowerCase(), 1, Integer::sum);
					if ("MERGE".equals(ops.get(id))) {
						this.ackedMerges++;
					}
					this.checks += check ? 1 : 0;
					lastAck.put(parts[1], line.nanos);
				}
				else if (text.startsWith("F ") || text.startsWith("U ") || text.startsWith("ERROR ")) {
					failed(child, line, parts, check, lastAck, downFailures, ops);
				}
				else if (text.startsWith("SYNC ")) {
					this.synchronous.add(text.substring(5));
					if (!text.equals("SYNC on")) {
						this.problems.add("writer " + child.index + " does not commit durably: " + text);
					}
				}
				else if (text.startsWith("POOL ")) {
					String[] pool = text.split(" ");
					this.pools.add(text.substring(5));
					if (!pool[1].equals("0") || !pool[4].equals("0")) {
						this.problems.add("writer " + child.index + ": connections still borrowed or awaited: " + text);
					}
				}
				else if (text.startsWith("SESSIONS ")) {
					String[] counts = text.split(" ");
					this.sessions.add(counts[1] + " of " + counts[2]);
					if (Long.parseLong(counts[1]) > Long.parseLong(counts[2])) {
						this.problems.add("writer " + child.index + " has more sessions than its pool may: " + text);
					}
				}
			}
			recovery(child, lines);
			for (int r = 0; r < downFailures.length; r++) {
				if (downFailures[r] == 0) {
					this.problems.add("writer " + child.index + " saw no failure while the database was away, fault "
							+ (r + 1) + ": was it?");
				}
			}
			if (!texts.contains("DONE")) {
				this.problems.add("writer " + child.index + " did not finish: " + child.jvm.stderrTail());
			}
		}

		private void failed(Child child, Line line, String[] parts, boolean check, Map<String, Long> lastAck,
				int[] downFailures, Map<String, String> ops) {
			String text = line.text;
			String message = (parts.length > 3) ? parts[3] : "";
			this.failures.add(text);
			this.shapes.add(message.replaceAll("\\d+", "N").replaceAll("'p\\w*\\.t\\w*", "'KEY"));
			if (text.startsWith("U ")) {
				this.unknown++;
			}
			else if (text.startsWith("F ")) {
				this.refused++;
			}
			else {
				this.errors++;
				this.problems.add("writer " + child.index + ": not a PersistentDictException: " + text);
			}
			if (check) {
				this.checkFailures++;
				this.problems.add("writer " + child.index + ": an operation after the last restart failed: " + text);
			}
			if (message.contains(this.password)) {
				this.problems.add("writer " + child.index + ": a message shows the password: " + text);
			}
			if (!message.contains("store PostgreSQL jdbc:postgresql://")) {
				this.problems.add("writer " + child.index + ": the message does not name the store: " + text);
			}
			// a failure before the operation's first statement (no connection to be had,
			// BEGIN) names only the store: the core translates it for the whole batch
			this.namingDict += message.contains("dict '") ? 1 : 0;
			if (text.startsWith("U ") && "MERGE".equals(ops.get(parts[1] + " " + parts[2]))) {
				this.unknownMerges++;
			}
			boolean says = text.startsWith("U ")
					? message.contains("may or may not have happened") && message.contains("read the value back")
					: message.contains("Check that the database is up");
			if (!says) {
				this.problems.add("writer " + child.index + ": the message does not say what to do: " + text);
			}
			int fault = faultAt(line.nanos);
			if (fault >= 0) {
				downFailures[fault]++;
			}
			else {
				// outside a fault: only before the thread's first success after one
				int last = lastFaultBefore(line.nanos);
				Long ack = lastAck.get(parts[1]);
				if (last < 0) {
					this.problems.add("writer " + child.index + ": failed before any fault: " + text);
				}
				else if (ack != null && ack > this.faults.get(last)[1]) {
					this.failuresAfterRecovery++;
					this.problems.add("writer " + child.index + ": failed after it had recovered from fault "
							+ (last + 1) + " (a broken connection in the pool?): " + text);
				}
			}
		}

		/** For each fault and writer thread, the time to its first success after it. */
		private void recovery(Child child, List<Line> lines) {
			for (long[] fault : this.faults) {
				for (int t = 0; t < THREADS; t++) {
					String prefix = "A " + t + " ";
					long back = lines.stream()
						.filter((l) -> l.nanos >= fault[1] && l.text.startsWith(prefix))
						.mapToLong(Line::nanos)
						.min()
						.orElse(Long.MAX_VALUE);
					long millis = (back == Long.MAX_VALUE) ? Long.MAX_VALUE
							: TimeUnit.NANOSECONDS.toMillis(back - fault[1]);
					this.maxRecoveryMillis = Math.max(this.maxRecoveryMillis, millis);
					if (millis > TimeUnit.SECONDS.toMillis(RECOVERY_SECONDS)) {
						this.problems.add("writer " + child.index + " thread " + t + " did not succeed within "
								+ RECOVERY_SECONDS + " s of the database's return");
					}
				}
			}
		}

		private int faultAt(long nanos) {
			for (int r = 0; r < this.faults.size(); r++) {
				if (nanos >= this.faults.get(r)[0] && nanos < this.faults.get(r)[1]) {
					return r;
				}
			}
			return -1;
		}

		private int lastFaultBefore(long nanos) {
			int last = -1;
			for (int r = 0; r < this.faults.size(); r++) {
				if (this.faults.get(r)[1] <= nanos) {
					last = r;
				}
			}
			return last;
		}

	}

}
