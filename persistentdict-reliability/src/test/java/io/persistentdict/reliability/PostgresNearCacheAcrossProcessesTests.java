package io.persistentdict.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Near caches on PostgreSQL across real processes: a child JVM ({@link Writer}) replaces
 * the value of a near-cached key, round after round, while this JVM reads it through a
 * near cache of its own store. The PostgreSQL engine promises that a replaced value is
 * not served more than {@value #BOUND_MILLIS} ms after its commit (the listener's lease;
 * see the top README's limits), also when the listening connection dies: so every read
 * that starts later than that after the child acknowledged its commit must return the new
 * value, and no read may ever return a value older than the one replaced.
 *
 * <p>
 * Before each write the test reads until the near cache serves the key (so that a stale
 * value could be served), and in some rounds it first kills this JVM's listening
 * connection with {@code pg_terminate_backend} from an admin connection, so that the
 * child's notification is lost. It measures how long after the child's acknowledgement
 * the new value was first read, and how long after each kill the near cache served again.
 *
 * <p>
 * Knobs: {@code reliability.nearcache.rounds} (30; heavy 500),
 * {@code reliability.nearcache.drops} (4; heavy 30).
 */
class PostgresNearCacheAcrossProcessesTests {

	/**
	 * The engine's stated bound: a replaced value is not served longer after its commit.
	 */
	static final long BOUND_MILLIS = 1000;

	/** The listening connection's {@code application_name}, as the engine sets it. */
	private static final String LISTENER = "persistentdict listener";

	private static final long WAIT_SECONDS = 10;

	private static final DictSpec<String, String> HOT = DictSpec.of("hot", String.class, String.class)
		.withNearCache(100);

	@TempDir
	Path dir;

	@Test
	void replacedValuesShouldNotBeServedBeyondTheBoundAcrossDroppedNotificationConnections() throws Exception {
		int rounds = Scale.get("reliability.nearcache.rounds", 30, 500);
		int drops = Math.min(rounds, Scale.get("reliability.nearcache.drops", 4, 30));
		int every = rounds / Math.max(1, drops);
		List<Long> fresh = new ArrayList<>();
		List<Long> freshAfterDrop = new ArrayList<>();
		List<Long> recoveries = new ArrayList<>();
		int staleReads = 0;
		long staleMax = 0;
		long started = System.nanoTime();
		try (Backend.Postgres backend = (Backend.Postgres) Backend.postgres("near_processes", 4, false);
				DictStore store = backend.open()) {
			PersistentDict<String, String> dict = store.dict(HOT);
			dict.put("k", "v0");
			awaitNearHit(dict, "v0");
			Set<Integer> ours = listeners(backend);
			assertThat(ours).as("this JVM's listening connection").isNotEmpty();
			BlockingQueue<String> acks = new LinkedBlockingQueue<>();
			try (ChildJvm child = ChildJvm.start(Writer.class, ChildJvm.LEAN, backend.childEnvironment(),
					this.dir.resolve("writer.err"), acks::add, backend.argument())) {
				assertThat(acks.poll(60, TimeUnit.SECONDS)).as(child.stderrTail()).isEqualTo("READY");
				Set<Integer> theirs = new HashSet<>(listeners(backend));
				theirs.removeAll(ours);
				assertThat(theirs).as("the child's listening connection").hasSize(1);
				int childListener = theirs.iterator().next();
				int dropped = 0;
				for (int round = 1; round <= rounds; round++) {
					String before = "v" + (round - 1);
					String after = "v" + round;
					awaitNearHit(dict, before);
					boolean drop = dropped < drops && round % every == 0;
					long droppedAt = 0;
					Set<Integer> killed = Set.of();
					if (drop) {
						killed = terminateListenersBut(backend, childListener);
						assertThat(killed).as("listeners killed in round %d", round).isNotEmpty();
						droppedAt = System.nanoTime();
						dropped++;
					}
					child.send("PUT " + after);
					String ack = acks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
					long ackedAt = System.nanoTime();
					assertThat(ack).as("round %d; %s", round, child.stderrTail()).isEqualTo("WRITTEN " + after);
					while (true) {
						long readAt = System.nanoTime();
						String value = dict.get("k");
						long since = readAt - ackedAt;
						if (after.equals(value)) {
							(drop ? freshAfterDrop : fresh).add(since);
							break;
						}
						assertThat(value)
							.as("round %d: a read %d ms after the other JVM's commit", round,
									TimeUnit.NANOSECONDS.toMillis(since))
							.isEqualTo(before);
						assertThat(since).as("round %d: the replaced value %s was still served", round, before)
							.isLessThan(TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS));
						staleReads++;
						staleMax = Math.max(staleMax, since);
					}
					if (drop) {
						awaitNearHit(dict, after);
						recoveries.add(System.nanoTime() - droppedAt);
						// it serves again because it listens again, on a new connection
						assertThat(listeners(backend)).as("round %d: listeners after the kill", round)
							.doesNotContainAnyElementsOf(killed)
							.contains(childListener)
							.hasSizeGreaterThanOrEqualTo(2);
					}
				}
				child.send("QUIT");
				assertThat(child.awaitExit(60)).as(child.stderrTail()).isZero();
				assertThat(dropped).isEqualTo(drops);
			}
			assertThat(dict.get("k")).isEqualTo("v" + rounds);
		}
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
		List<String> lines = new ArrayList<>();
		lines.add(String.format(Locale.ROOT,
				"%d rounds, %d with this JVM's listening connection killed (pg_terminate_backend) before the"
						+ " other JVM's write; %d s",
				rounds, drops, seconds));
		lines.add("new value first read, after the other JVM's acknowledgement: " + millis(fresh)
				+ "; in the rounds with a killed listener: " + millis(freshAfterDrop));
		lines.add(String.format(Locale.ROOT,
				"reads (in a busy loop) that returned the replaced value after the acknowledgement: %d, the latest"
						+ " %.1f ms after it (bound %d ms); none beyond the bound, none older than the value replaced",
				staleReads, staleMax / 1e6, BOUND_MILLIS));
		lines.add("near cache serving again after a killed listener: " + millis(recoveries) + " (in kill order: "
				+ inOrder(recoveries) + ")");
		Report.section("near-cache-postgres", lines);
	}

	/** Read the key until the near cache serves it; every read must see the value. */
	private static void awaitNearHit(PersistentDict<String, String> dict, String value) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
		while (true) {
			long hits = dict.stats().nearHits();
			assertThat(dict.get("k")).isEqualTo(value);
			if (dict.stats().nearHits() > hits) {
				return;
			}
			assertThat(System.nanoTime()).as("the near cache served %s again within %d s", value, WAIT_SECONDS)
				.isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

	private static Set<Integer> listeners(Backend.Postgres backend) throws SQLException {
		try (Connection connection = backend.pool().getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT pid FROM pg_stat_activity"
						+ " WHERE application_name = ? AND datname = current_database()")) {
			statement.setString(1, LISTENER);
			Set<Integer> pids = new HashSet<>();
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					pids.add(rs.getInt(1));
				}
			}
			return pids;
		}
	}

	/**
	 * Kill every listening connection of the test database but the child's.
	 * @return the process ids of those it killed
	 */
	private static Set<Integer> terminateListenersBut(Backend.Postgres backend, int childListener) throws SQLException {
		try (Connection connection = backend.pool().getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
							+ " WHERE application_name = ? AND datname = current_database() AND pid <> ?")) {
			statement.setString(1, LISTENER);
			statement.setInt(2, childListener);
			Set<Integer> killed = new HashSet<>();
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					assertThat(rs.getBoolean(2)).as("pg_terminate_backend(%d)", rs.getInt(1)).isTrue();
					killed.add(rs.getInt(1));
				}
			}
			return killed;
		}
	}

	private static String millis(List<Long> nanos) {
		if (nanos.isEmpty()) {
			return "none";
		}
		List<Long> sorted = new ArrayList<>(nanos);
		Collections.sort(sorted);
		return String.format(Locale.ROOT, "median %.1f ms, p99 %.1f ms, max %.1f ms (%d)",
				sorted.get(sorted.size() / 2) / 1e6,
				sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99)) / 1e6,
				sorted.get(sorted.size() - 1) / 1e6, sorted.size());
	}

	private static String inOrder(List<Long> nanos) {
		StringBuilder text = new StringBuilder();
		int shown = Math.min(nanos.size(), 12);
		for (int i = 0; i < shown; i++) {
			text.append((i > 0) ? ", " : "").append(TimeUnit.NANOSECONDS.toMillis(nanos.get(i)));
		}
		return text.append((nanos.size() > shown) ? ", ... ms" : " ms").toString();
	}

	/**
	 * The other JVM: opens the same schema with the same near-cached dict (so that its
	 * writes notify), prints {@code READY} once it listens too, then for each
	 * {@code PUT value} line replaces the key's value and prints {@code WRITTEN value}
	 * after the commit; {@code QUIT} ends it.
	 */
	public static final class Writer {

		private Writer() {
		}

		public static void main(String[] args) throws Exception {
			try (Backend backend = Backend.parse(args[0], 2); DictStore store = backend.open()) {
				PersistentDict<String, String> dict = store.dict(HOT);
				// a near-cache read starts the store's listener, which the parent must
				// tell
				// apart from its own; wait until the near cache serves, which means it
				// listens
				long hits = dict.stats().nearHits();
				while (dict.stats().nearHits() == hits) {
					dict.get("k");
					Thread.onSpinWait();
				}
				System.out.println("READY");
				BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
				String line;
				while ((line = in.readLine()) != null && !line.equals("QUIT")) {
					String value = line.substring("PUT ".length());
					dict.put("k", value);
					System.out.println("WRITTEN " + value);
				}
			}
		}

	}

}
