package io.persistentdict.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;

/**
 * A child JVM of {@link MultiProcessContentionIT}: several threads run
 * {@code merge(k, 1, Integer::sum)} on keys shared with the other processes, and race for
 * {@code putIfAbsent} on shared keys. It starts when it reads {@code GO}, and prints the
 * wall-clock times of its first and last operations, its wins and its errors.
 *
 * <p>
 * Arguments: file, process id, threads, merges per thread, merge keys, putIfAbsent keys.
 */
public final class ContentionWorker {

	private ContentionWorker() {
	}

	static int keyOf(int process, int thread, int i, int keys) {
		return (i + thread * 7 + process * 13) % keys;
	}

	public static void main(String[] args) throws Exception {
		Path file = Path.of(args[0]);
		int process = Integer.parseInt(args[1]);
		int threads = Integer.parseInt(args[2]);
		int merges = Integer.parseInt(args[3]);
		int keys = Integer.parseInt(args[4]);
		int races = Integer.parseInt(args[5]);
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, Integer> counts = store.dict("counts", String.class, Integer.class);
			PersistentDict<String, String> winners = store.dict("winners", String.class, String.class);
			ChildOutput.line("READY");
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			if (!"GO".equals(in.readLine())) {
				return;
			}
			AtomicLong first = new AtomicLong(Long.MAX_VALUE);
			AtomicLong last = new AtomicLong();
			AtomicLong done = new AtomicLong();
			ConcurrentLinkedQueue<String> wins = new ConcurrentLinkedQueue<>();
			ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
			List<Thread> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				workers.add(new Thread(() -> {
					String me = process + "-" + thread;
					for (int i = 0; i < Math.max(merges, races); i++) {
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
			for (String error : errors) {
				ChildOutput.line("ERROR " + error);
			}
			ChildOutput.line("DONE");
		}
	}

}
