package io.persistentdict.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.StoreOptions;
import io.persistentdict.Synchronous;
import io.persistentdict.WriteOutcomeUnknownException;

/**
 * The child JVM of {@link PostgresRestartIT}: writes through a PostgreSQL store with
 * durable commits while its parent stops and starts the server, and goes on writing
 * through every failure, until its parent says {@code STOP}.
 *
 * <p>
 * It prints the lines {@link CrashSafetyIT.Model} reads: the intent
 * {@code I <thread> <seq> <op> <args>} before a call and the acknowledgement
 * {@code A <thread> <seq> [result]} after it returned. A call that throws prints
 * {@code U <thread> <seq> <exception>} for a {@link WriteOutcomeUnknownException},
 * {@code F ...} for another {@link PersistentDictException} (which says that nothing of
 * the operation was committed) and {@code ERROR ...} for anything else. After a failure a
 * thread moves on to keys of a new generation, so that every failed operation's keys keep
 * what it left, to be checked at the end.
 *
 * <p>
 * On {@code STOP} the writers finish their call and end; the child prints its pool's
 * figures ({@code POOL active idle total waiting}, once nothing is borrowed, or after 5
 * s), runs {@value #CHECKS} operations in a row (each a {@code set} and a {@code merge}),
 * prints the pool's figures again, its sessions on the server ({@code SESSIONS n max})
 * and {@code DONE}.
 *
 * <p>
 * Arguments: backend ({@link Backend#argument()}), child index, writer threads.
 */
public final class RestartWriter {

	static final int POOL = 20;

	static final int CHECKS = 100;

	private static volatile boolean stop;

	private RestartWriter() {
	}

	public static void main(String[] args) throws Exception {
		int child = Integer.parseInt(args[1]);
		int threads = Integer.parseInt(args[2]);
		// never closed on failure: the parent reads what was printed
		Backend.Postgres backend = (Backend.Postgres) Backend.parse(args[0], threads + 1);
		DictStore store = backend.open(StoreOptions.builder().synchronous(Synchronous.FULL).build());
		PersistentDict<String, String> kv = store.dict(CrashWriter.KV, String.class, String.class);
		PersistentDict<String, Integer> counters = store.dict(CrashWriter.COUNTERS, String.class, Integer.class);
		ChildOutput.line("SYNC " + synchronousCommit(backend.pool()));
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			workers.add(new Thread(() -> write(kv, counters, child, thread, new Random(child * 1000L + thread)),
					"writer-" + t));
		}
		ChildOutput.line("READY " + ProcessHandle.current().pid());
		workers.forEach(Thread::start);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null && !line.equals("STOP"); line = in.readLine()) {
			// only STOP is understood
		}
		stop = true;
		for (Thread worker : workers) {
			worker.join();
		}
		HikariPoolMXBean pool = backend.pool().getHikariPoolMXBean();
		poolLine(pool);
		String prefix = "p" + child + ".after.";
		for (int i = 0; i < CHECKS; i++) {
			String head = threads + " " + i + " ";
			String key = prefix + "k" + i;
			String value = "v" + i;
			run(head, "SET " + key + " " + value, () -> {
				kv.set(key, value);
				return "";
			});
			run((threads + 1) + " " + i + " ", "MERGE " + prefix + "m",
					() -> counters.merge(prefix + "m", 1, Integer::sum).toString());
		}
		poolLine(pool);
		ChildOutput.line("SESSIONS " + sessions(backend.pool()) + " " + backend.pool().getMaximumPoolSize());
		store.close();
		backend.close();
		ChildOutput.line("DONE");
	}

	/**
	 * Print the pool's figures once no connection is borrowed, or after 5 s: the store's
	 * background work (a fold of the counts, a few milliseconds) may hold one for a
	 * moment when the writers stop, and a leaked one stays borrowed.
	 */
	private static void poolLine(HikariPoolMXBean pool) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while ((pool.getActiveConnections() > 0 || pool.getThreadsAwaitingConnection() > 0)
				&& System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		ChildOutput.line("POOL " + pool.getActiveConnections() + " " + pool.getIdleConnections() + " "
				+ pool.getTotalConnections() + " " + pool.getThreadsAwaitingConnection());
	}

	private static void write(PersistentDict<String, String> kv, PersistentDict<String, Integer> counters, int child,
			int thread, Random random) {
		int generation = 0;
		for (long seq = 0; !stop; seq++) {
			String prefix = "p" + child + ".t" + thread + ".g" + generation + ".";
			String head = thread + " " + seq + " ";
			String value = "v" + child + "." + thread + "." + seq;
			String key = prefix + "k" + random.nextInt(POOL);
			int op = random.nextInt(100);
			boolean ok;
			if (op < 25) {
				ok = run(head, "SET " + key + " " + value, () -> {
					kv.set(key, value);
					return "";
				});
			}
			else if (op < 50) {
				ok = run(head, "PUT " + key + " " + value, () -> {
					kv.put(key, value);
					return "";
				});
			}
			else if (op < 85) {
				String counter = prefix + "m" + random.nextInt(3);
				ok = run(head, "MERGE " + counter, () -> counters.merge(counter, 1, Integer::sum).toString());
			}
			else {
				String first = prefix + "x" + seq + ".0";
				String second = prefix + "x" + seq + ".1";
				ok = run(head, "BATCH " + value + " " + first + "," + second + " " + key, () -> {
					kv.batch((batch) -> {
						batch.put(first, value);
						batch.put(second, value, Duration.ofHours(1));
						batch.remove(key);
					});
					return "";
				});
			}
			if (!ok) {
				generation++;
				pause();
			}
		}
	}

	/** Run one operation between its intent and its acknowledgement or failure. */
	private static boolean run(String head, String intent, Call call) {
		ChildOutput.line("I " + head + intent);
		try {
			String result = call.call();
			ChildOutput.line("A " + head + result);
			return true;
		}
		catch (WriteOutcomeUnknownException ex) {
			ChildOutput.line("U " + head + describe(ex));
		}
		catch (PersistentDictException ex) {
			ChildOutput.line("F " + head + describe(ex));
		}
		catch (RuntimeException ex) {
			ChildOutput.line("ERROR " + head + describe(ex));
			ex.printStackTrace();
		}
		return false;
	}

	private static String describe(Exception ex) {
		return ex.getClass().getName() + ": " + String.valueOf(ex.getMessage()).replace('\n', ' ');
	}

	private static void pause() {
		try {
			TimeUnit.MILLISECONDS.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String synchronousCommit(HikariDataSource pool) throws Exception {
		try (Connection connection = pool.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SHOW synchronous_commit")) {
			rs.next();
			return rs.getString(1);
		}
	}

	private static long sessions(HikariDataSource pool) throws Exception {
		try (Connection connection = pool.getConnection();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT count(*) FROM pg_stat_activity WHERE application_name = current_setting('application_name')")) {
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	@FunctionalInterface
	private interface Call {

		String call();

	}

}
