package io.persistentdict.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import io.persistentdict.Synchronous;

/**
 * The child JVM of {@link CrashSafetyIT}: writes to a SQLite file or to PostgreSQL until
 * it is killed.
 *
 * <p>
 * Each writer thread owns its keys. Before a call it prints its intent,
 * {@code I <thread> <seq> <op> <args>}, and after the call returns it prints the
 * acknowledgement, {@code A <thread> <seq> [result]}. A maintenance thread runs sweeps
 * and vacuums between {@code SWEEP-START}/{@code SWEEP-END} and
 * {@code VACUUM-START}/{@code VACUUM-END} markers (on PostgreSQL a vacuum does nothing,
 * and only sweeps count).
 *
 * <p>
 * Arguments: backend ({@link Backend#argument()}), synchronous mode, cycle, seed, writer
 * threads.
 */
public final class CrashWriter {

	static final String KV = "kv";

	static final String COUNTERS = "ctr";

	static final int POOL = 40;

	private CrashWriter() {
	}

	public static void main(String[] args) throws Exception {
		Synchronous synchronous = Synchronous.valueOf(args[1]);
		int cycle = Integer.parseInt(args[2]);
		long seed = Long.parseLong(args[3]);
		int threads = Integer.parseInt(args[4]);
		// never closed: the JVM ends by SIGKILL
		Backend backend = Backend.parse(args[0], threads + 1);
		DictStore store = backend.open(StoreOptions.builder().synchronous(synchronous).build());
		PersistentDict<String, String> kv = store.dict(KV, String.class, String.class);
		PersistentDict<String, Integer> counters = store.dict(COUNTERS, String.class, Integer.class);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			workers.add(new Thread(() -> write(kv, counters, cycle, thread, new Random(seed * 31 + thread)),
					"writer-" + t));
		}
		Thread maintenance = new Thread(() -> maintain(store, new Random(seed)), "maintenance");
		ChildOutput.line("READY " + ProcessHandle.current().pid());
		workers.forEach(Thread::start);
		maintenance.start();
		for (Thread worker : workers) {
			worker.join();
		}
	}

	private static void write(PersistentDict<String, String> kv, PersistentDict<String, Integer> counters, int cycle,
			int thread, Random random) {
		String prefix = "c" + cycle + ".t" + thread + ".";
		for (long seq = 0;; seq++) {
			String head = thread + " " + seq + " ";
			String value = "v" + cycle + "." + thread + "." + seq;
			String key = prefix + "k" + random.nextInt(POOL);
			int op = random.nextInt(100);
			try {
				if (op < 30) {
					ChildOutput.line("I " + head + "PUT " + key + " " + value);
					kv.put(key, value);
					ChildOutput.line("A " + head);
				}
				else if (op < 40) {
					ChildOutput.line("I " + head + "PUTTTL " + key + " " + value);
					kv.set(key, value, Duration.ofHours(1));
					ChildOutput.line("A " + head);
				}
				else if (op < 55) {
					String fresh = prefix + "s" + seq;
					ChildOutput.line("I " + head + "PUTSHORT " + fresh + " " + value);
					kv.put(fresh, value, Duration.ofMillis(1));
					ChildOutput.line("A " + head);
				}
				else if (op < 65) {
					ChildOutput.line("I " + head + "REMOVE " + key);
					kv.remove(key);
					ChildOutput.line("A " + head);
				}
				else if (op < 80) {
					String counter = prefix + "m" + random.nextInt(5);
					ChildOutput.line("I " + head + "MERGE " + counter);
					Integer now = counters.merge(counter, 1, Integer::sum);
					ChildOutput.line("A " + head + now);
				}
				else if (op < 88) {
					Map<String, String> entries = new LinkedHashMap<>();
					int n = 2 + random.nextInt(19);
					for (int j = 0; j < n; j++) {
						entries.put(prefix + "b" + seq + "." + j, value);
					}
					boolean ttl = random.nextBoolean();
					ChildOutput.line("I " + head + "PUTALL " + value + " " + String.join(",", entries.keySet()));
					kv.putAll(entries, ttl ? Duration.ofHours(1) : null);
					ChildOutput.line("A " + head);
				}
				else if (op < 95) {
					String first = prefix + "x" + seq + ".0";
					String second = prefix + "x" + seq + ".1";
					ChildOutput.line("I " + head + "BATCH " + value + " " + first + "," + second + " " + key);
					kv.batch((batch) -> {
						batch.put(first, value);
						batch.put(second, value, Duration.ofHours(1));
						batch.remove(key);
					});
					ChildOutput.line("A " + head);
				}
				else {
					List<String> keys = List.of(prefix + "k" + random.nextInt(POOL),
							prefix + "k" + random.nextInt(POOL), prefix + "k" + random.nextInt(POOL));
					ChildOutput.line("I " + head + "REMOVEALL " + String.join(",", keys));
					kv.removeAll(keys);
					ChildOutput.line("A " + head);
				}
			}
			catch (RuntimeException ex) {
				ChildOutput.line("ERROR " + head + ex);
				ex.printStackTrace();
				return;
			}
		}
	}

	private static void maintain(DictStore store, Random random) {
		try {
			for (int round = 0;; round++) {
				Thread.sleep(2 + random.nextInt(20));
				ChildOutput.line("SWEEP-START");
				long swept = store.sweep();
				ChildOutput.line("SWEEP-END " + swept);
				Thread.sleep(2 + random.nextInt(20));
				ChildOutput.line("VACUUM-START");
				if (round % 2 == 0) {
					store.vacuum();
				}
				else {
					store.incrementalVacuum(0);
				}
				ChildOutput.line("VACUUM-END");
				if (round % 3 == 0) {
					store.checkpoint();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			ChildOutput.line("ERROR maintenance " + ex);
			ex.printStackTrace();
		}
	}

}
