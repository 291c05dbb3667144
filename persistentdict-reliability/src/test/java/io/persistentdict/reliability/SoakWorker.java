package io.persistentdict.reliability;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;

/**
 * The child JVM of {@link SoakIT}, run with {@code -Xmx128m}: four threads of mixed load
 * with TTL churn while sweeps, vacuums and checkpoints run. It prints a sample of the
 * file size and heap every second, the post-GC heap after the first phase and at the end,
 * latency quantiles, operation and error counts.
 *
 * <p>
 * Arguments: file, seconds, threads.
 */
public final class SoakWorker {

	private static final int PERSISTENT_KEYS = 5000;

	private static final int TTL_KEYS = 40_000;

	private static volatile boolean paused;

	private static volatile boolean stopped;

	private SoakWorker() {
	}

	public static void main(String[] args) throws Exception {
		Path file = Path.of(args[0]);
		long millis = Long.parseLong(args[1]) * 1000;
		int threads = Integer.parseInt(args[2]);
		AtomicLong ops = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicLong maintenance = new AtomicLong();
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, String> data = store.dict("soak", String.class, String.class);
			PersistentDict<String, Long> counters = store.dict("counters", String.class, Long.class);
			List<LatencyHistogram> histograms = new ArrayList<>();
			List<Thread> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				LatencyHistogram histogram = new LatencyHistogram();
				histograms.add(histogram);
				Random random = new Random(t);
				workers.add(new Thread(() -> work(data, counters, random, histogram, ops, errors), "soak-" + t));
			}
			Thread maintainer = new Thread(() -> maintain(store, errors, maintenance), "maintenance");
			long start = System.currentTimeMillis();
			workers.forEach(Thread::start);
			maintainer.start();
			boolean firstPhaseDone = false;
			while (System.currentTimeMillis() - start < millis) {
				Thread.sleep(1000);
				long elapsed = System.currentTimeMillis() - start;
				// the dicts' keys and values as stored: exact counts, read in O(1)
				long stored = data.stats().bytes() + counters.stats().bytes();
				ChildOutput.line("SAMPLE " + elapsed + " " + fileBytes(file) + " " + heapUsed() + " " + ops.get() + " "
						+ errors.get() + " " + stored);
				if (!firstPhaseDone && elapsed >= millis / 4) {
					firstPhaseDone = true;
					ChildOutput.line("HEAP-FIRST " + quietHeap());
				}
			}
			ChildOutput.line("HEAP-END " + quietHeap());
			stopped = true;
			for (Thread worker : workers) {
				worker.join();
			}
			maintainer.join();
			LatencyHistogram all = new LatencyHistogram();
			histograms.forEach(all::add);
			ChildOutput.line("LATENCY " + all.count() + " " + all.quantile(0.5) + " " + all.quantile(0.99) + " "
					+ all.quantile(0.999) + " " + all.max());
			ChildOutput.line("OPS " + ops.get());
			ChildOutput.line("MAINTENANCE " + maintenance.get());
			ChildOutput.line("ERRORS " + errors.get());
			ChildOutput.line("ENTRIES " + data.mappingCount() + " " + counters.mappingCount());
			ChildOutput.line("INTEGRITY " + store.checkIntegrity().replace('\n', ' '));
		}
		ChildOutput.line("DONE");
	}

	/** Pause the workers, collect garbage until the figure settles, and resume. */
	private static long quietHeap() throws InterruptedException {
		paused = true;
		Thread.sleep(200);
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 4; i++) {
			System.gc();
			used = Math.min(used, heapUsed());
		}
		paused = false;
		return used;
	}

	private static long heapUsed() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static long fileBytes(Path file) {
		long total = 0;
		for (String suffix : List.of("", "-wal", "-shm")) {
			try {
				Path path = Path.of(file + suffix);
				total += Files.exists(path) ? Files.size(path) : 0;
			}
			catch (java.io.IOException ex) {
				// deleted while measured
			}
		}
		return total;
	}

	private static String value(Random random) {
		int length = 100 + random.nextInt(300);
		StringBuilder text = new StringBuilder(length);
		while (text.length() < length) {
			text.append(Long.toString(random.nextLong(), 36));
		}
		return text.toString();
	}

	private static void work(PersistentDict<String, String> data, PersistentDict<String, Long> counters, Random random,
			LatencyHistogram histogram, AtomicLong ops, AtomicLong errors) {
		while (!stopped) {
			while (paused && !stopped) {
				Thread.onSpinWait();
				Thread.yield();
			}
			int op = random.nextInt(100);
			String persistent = "p" + random.nextInt(PERSISTENT_KEYS);
			String expiring = "t" + random.nextInt(TTL_KEYS);
			Duration ttl = Duration.ofMillis(500 + random.nextInt(2500));
			long started = System.nanoTime();
			try {
				if (op < 40) {
					data.get(random.nextBoolean() ? persistent : expiring);
				}
				else if (op < 55) {
					data.set(expiring, value(random), ttl);
				}
				else if (op < 65) {
					data.put(persistent, value(random));
				}
				else if (op < 72) {
					data.remove(random.nextBoolean() ? persistent : expiring);
				}
				else if (op < 82) {
					counters.merge("c" + random.nextInt(100), 1L, Long::sum);
				}
				else if (op < 86) {
					Map<String, String> batch = new HashMap<>();
					for (int i = 0; i < 20; i++) {
						batch.put("t" + random.nextInt(TTL_KEYS), value(random));
					}
					data.putAll(batch, ttl);
				}
				else if (op < 92) {
					data.putIfAbsent(expiring, value(random), ttl);
				}
				else if (op < 96) {
					data.containsKey(expiring);
				}
				else {
					try (Stream<Map.Entry<String, String>> entries = data.prefix("p" + random.nextInt(50))) {
						entries.limit(20).count();
					}
				}
				ops.incrementAndGet();
			}
			catch (RuntimeException ex) {
				if (errors.incrementAndGet() <= 5) {
					ChildOutput.line("ERROR " + String.valueOf(ex).replace('\n', ' '));
					ex.printStackTrace();
				}
			}
			histogram.record(System.nanoTime() - started);
		}
	}

	private static void maintain(DictStore store, AtomicLong errors, AtomicLong runs) {
		for (int round = 1; !stopped; round++) {
			try {
				Thread.sleep(250);
				store.sweep();
				if (round % 4 == 0) {
					store.checkpoint();
				}
				if (round % 8 == 0) {
					store.vacuumIfDue(Duration.ofSeconds(2));
				}
				if (round % 40 == 0) {
					store.vacuum();
				}
				runs.incrementAndGet();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				if (errors.incrementAndGet() <= 5) {
					ChildOutput.line("ERROR maintenance " + String.valueOf(ex).replace('\n', ' '));
					ex.printStackTrace();
				}
			}
		}
	}

}
