package io.persistentdict.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;

/**
 * A child JVM of {@link MultiProcessContentionIT}: several threads run
 * {@code merge(k, 1, Integer::sum)} on keys shared with the other processes, race for
 * {@code putIfAbsent} on shared keys, and count shared counters up with
 * {@code replace(k, seen, seen + 1)}, reading again whenever the compare-and-set loses.
 * It starts when it reads {@code GO}, and prints the wall-clock times of its first and
 * last operations, its wins, its compare-and-set tries and its errors.
 *
 * <p>
 * Arguments: backend ({@link Backend#argument()}), process id, threads, merges per
 * thread, merge keys, putIfAbsent keys, compare-and-set increments per thread.
 */
public final class ContentionWorker {

	private ContentionWorker() {
	}

	/** The counters that {@code replace} counts up, set to 0 before the workers start. */
	static final int CAS_KEYS = 4;

	static int keyOf(int process, int thread, int i, int keys) {
		return (i + thread * 7 + process * 13) % keys;
	}

	public static void main(String[] args) throws Exception {
		int process = Integer.parseInt(args[1]);
		int threads = Integer.parseInt(args[2]);
		int merges = Integer.parseInt(args[3]);
		int keys = Integer.parseInt(args[4]);
		int races = Integer.parseInt(args[5]);
		int increments = Integer.parseInt(args[6]);
		try (Backend backend = Backend.parse(args[0], threads + 1); DictStore store = backend.open()) {
			PersistentDict<String, Integer> counts = store.dict("counts", String.class, Integer.class);
			PersistentDict<String, String> winners = store.dict("winners", String.class, String.class);
			PersistentDict<String, Integer> cas = store.dict("cas", String.class, Integer.class);
			ChildOutput.line("READY");
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			if (!"GO".equals(in.readLine())) {
				return;
			}
			AtomicLong first = new AtomicLong(Long.MAX_VALUE);
			AtomicLong last = new AtomicLong();
			AtomicLong done = new AtomicLong();
			AtomicLong casDone = new AtomicLong();
			AtomicLong casTries = new AtomicLong();
			ConcurrentLinkedQueue<String> wins = new ConcurrentLinkedQueue<>();
			ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
			List<Thread> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				workers.add(new Thread(() -> {
					String me = process + "-" + thread;
					for (int i = 0; i < Math.max(Math.max(merges, races), increments); i++) {
						try {
							if (i < merges) {
								first.accumulateAndGet(System.currentTimeMillis(), Math::min);
								counts.merge("k" + keyOf(process, thread, i, keys), 1, Integer::sum);
								last.accumulateAndGet(System.currentTimeMillis(), Math::max);
								done.incrementAndGet();
							}
							if (i < races && winners.putIfAbsent("p" + i, me) == null) {
								wins.add("p" + i + "=" + me);
							}
							if (i < increments) {
								String key = "c" + ((i + thread + process) % CAS_KEYS);
								while (true) {
									casTries.incrementAndGet();
									Integer seen = cas.get(key);
									if (seen == null) {
										throw new IllegalStateException("counter " + key + " is missing");
									}
									if (cas.replace(key, seen, seen + 1)) {
										break;
									}
								}
								casDone.incrementAndGet();
							}
						}
						catch (RuntimeException ex) {
							errors.add(String.valueOf(ex).replace('\n', ' '));
						}
					}
				}, "worker-" + t));
			}
			workers.forEach(Thread::start);
			for (Thread worker : workers) {
				worker.join();
			}
			ChildOutput.line("FIRST " + first.get());
			ChildOutput.line("LAST " + last.get());
			ChildOutput.line("MERGES " + done.get());
			ChildOutput.line("WINS " + String.join(" ", wins));
			ChildOutput.line("CAS " + casDone.get() + " " + casTries.get());
			for (String error : errors) {
				ChildOutput.line("ERROR " + error);
			}
			ChildOutput.line("DONE");
		}
	}

}
