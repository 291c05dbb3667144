package io.persistentdict.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import io.persistentdict.Layout;
import io.persistentdict.Synchronous;
import io.persistentdict.benchmarks.peers.Kv;
import io.persistentdict.benchmarks.peers.Peer;
import io.persistentdict.benchmarks.report.Probe;

/**
 * Figures that are not a rate of one operation, measured directly: file sizes before and
 * after a vacuum, and a concurrent reader's get latency while a purge runs compared with
 * no purge. Run on the suite's own JVM after the JMH runs, for {@code RAW} and
 * {@code DICT}.
 */
final class Probes {

	private Probes() {
	}

	static List<Probe> run(int entries, boolean quick) throws InterruptedException {
		List<Probe> probes = new ArrayList<>();
		for (Peer peer : List.of(Peer.RAW, Peer.DICT)) {
			disk(peer, entries, probes);
		}
		for (Peer peer : List.of(Peer.RAW, Peer.DICT)) {
			// a first round warms the JIT, the second is kept
			readerDuringPurge(peer, entries, quick, new ArrayList<>());
			readerDuringPurge(peer, entries, quick, probes);
		}
		return probes;
	}

	private static Holder open(Peer peer, int entries) {
		Holder holder = new Holder();
		holder.peer = peer;
		holder.entries = entries;
		holder.sync = Synchronous.NORMAL;
		holder.layout = Layout.AUTO;
		holder.valueSize = 100;
		holder.prepareData();
		holder.openFresh();
		return holder;
	}

	private static void disk(Peer peer, int entries, List<Probe> probes) throws InterruptedException {
		Holder store = open(peer, entries);
		String name = peer.name();
		PurgeBenchmark.loadHalfExpired(store);
		store.kv.close();
		probes.add(new Probe("file size, " + entries + " entries", name, Data.sizeOf(store.dir), "bytes"));
		store.kv = store.open();
		store.kv.purgeExpired();
		store.kv.close();
		probes.add(new Probe("file size, half purged", name, Data.sizeOf(store.dir), "bytes"));
		store.kv = store.open();
		long start = System.nanoTime();
		store.kv.vacuum();
		probes.add(new Probe("vacuum time", name, (System.nanoTime() - start) / 1e9, "s"));
		store.kv.close();
		probes.add(new Probe("file size, after vacuum", name, Data.sizeOf(store.dir), "bytes"));
		Data.delete(store.dir);
	}

	private static void readerDuringPurge(Peer peer, int entries, boolean quick, List<Probe> probes)
			throws InterruptedException {
		Holder store = open(peer, entries);
		PurgeBenchmark.loadHalfExpired(store);
		Kv kv = store.kv;
		String[] keys = store.keys;
		long[] idle = sample(kv, keys, quick ? 500 : 2000, null);
		AtomicBoolean purging = new AtomicBoolean(true);
		long[] purgeNanos = new long[1];
		Thread purger = new Thread(() -> {
			long start = System.nanoTime();
			kv.purgeExpired();
			purgeNanos[0] = System.nanoTime() - start;
			purging.set(false);
		});
		purger.start();
		long[] during = sample(kv, keys, Long.MAX_VALUE, purging);
		purger.join();
		String name = peer.name();
		probes.add(new Probe("get p50, no purge", name, percentile(idle, 50), "s"));
		probes.add(new Probe("get p99, no purge", name, percentile(idle, 99), "s"));
		probes.add(new Probe("get p50, during purge", name, percentile(during, 50), "s"));
		probes.add(new Probe("get p99, during purge", name, percentile(during, 99), "s"));
		probes.add(new Probe("get max, during purge", name, percentile(during, 100), "s"));
		probes.add(new Probe("purge time, with a reader", name, purgeNanos[0] / 1e9, "s"));
		store.kv.close();
		Data.delete(store.dir);
	}

	/** Get live (even) keys until the time is up or {@code running} turns false. */
	private static long[] sample(Kv kv, String[] keys, long millis, AtomicBoolean running) {
		long[] latencies = new long[1 << 22];
		int n = 0;
		long end = System.nanoTime() + millis * 1_000_000;
		ThreadLocalRandom random = ThreadLocalRandom.current();
		while (n < latencies.length && ((running != null) ? running.get() : System.nanoTime() < end)) {
			String key = keys[random.nextInt(keys.length) & ~1];
			long start = System.nanoTime();
			if (kv.get(key) == null) {
				throw new IllegalStateException("live key " + key + " missing");
			}
			latencies[n++] = System.nanoTime() - start;
		}
		return Arrays.copyOf(latencies, n);
	}

	private static double percentile(long[] values, double p) {
		if (values.length == 0) {
			return Double.NaN;
		}
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e9;
	}

	/** The parameters, outside JMH. */
	private static final class Holder extends Params {

	}

}
