package io.persistentdict.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.persistentdict.DictSpec;
import io.persistentdict.DictStats;
import io.persistentdict.DictStore;
import io.persistentdict.EvictionPolicy;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;

/**
 * Hit ratios of a bounded dict's eviction policies, and of the near cache beside Caffeine
 * (W-TinyLFU), each beside an exact LRU bounded to the same number of entries, on two
 * traces of key reads: Zipf (theta 0.99) over the keys, and the same with one-off scans
 * mixed in (a fifth of the reads walk keys read nowhere else). Hit ratio, not speed: the
 * figures do not depend on the machine.
 *
 * <p>
 * Run: {@code java -cp benchmarks.jar io.persistentdict.benchmarks.HitRatio [--keys N]}.
 * The near cache is measured through a real dict of a real store (its
 * {@link DictStats#nearHits()}), every key stored, so a near-cache miss is a read of the
 * file.
 */
public final class HitRatio {

	private static final int READS = 1 << 21;

	private HitRatio() {
	}

	public static void main(String[] args) throws IOException {
		int keys = 100_000;
		for (int i = 0; i < args.length - 1; i++) {
			if ("--keys".equals(args[i])) {
				keys = Integer.parseInt(args[i + 1]);
			}
		}
		Map<String, int[]> traces = new LinkedHashMap<>();
		traces.put("zipf", Data.zipf(keys, READS, 11));
		traces.put("zipf+scans", withScans(Data.zipf(keys, READS, 13), keys));
		Path dir = Files.createTempDirectory("hit-ratio");
		dictPolicies(dir, traces, keys);
		System.out.println();
		System.out.println("| trace | cache size | near cache | Caffeine (W-TinyLFU) | exact LRU |");
		System.out.println("|---|---|---|---|---|");
		for (Map.Entry<String, int[]> trace : traces.entrySet()) {
			for (int percent : new int[] { 1, 10 }) {
				int size = keys * percent / 100;
				double near = near(dir, trace.getValue(), size);
				double caffeine = caffeine(trace.getValue(), size);
				double lru = lru(trace.getValue(), size);
				System.out.printf(Locale.ROOT, "| %s | %d%% (%,d) | %.1f%% | %.1f%% | %.1f%% |%n", trace.getKey(),
						percent, size, 100 * near, 100 * caffeine, 100 * lru);
			}
		}
	}

	/**
	 * Each eviction policy of a bounded dict used as a cache (a miss stores the key),
	 * beside an exact LRU on the same reads: the first quarter of each trace, since every
	 * miss is a commit.
	 */
	static void dictPolicies(Path dir, Map<String, int[]> traces, int keys) {
		System.out.println("| trace | cache size | LEAST_RECENTLY_STORED | LEAST_RECENTLY_USED | exact LRU |");
		System.out.println("|---|---|---|---|---|");
		for (Map.Entry<String, int[]> trace : traces.entrySet()) {
			int[] reads = java.util.Arrays.copyOf(trace.getValue(), trace.getValue().length / 4);
			for (int percent : new int[] { 1, 10 }) {
				int size = keys * percent / 100;
				double lrs = bounded(dir, reads, size, EvictionPolicy.LEAST_RECENTLY_STORED);
				double lru = bounded(dir, reads, size, EvictionPolicy.LEAST_RECENTLY_USED);
				System.out.printf(Locale.ROOT, "| %s | %d%% (%,d) | %.1f%% | %.1f%% | %.1f%% |%n", trace.getKey(),
						percent, size, 100 * lrs, 100 * lru, 100 * lru(reads, size));
			}
		}
	}

	/** Hits of a dict bounded to {@code size} entries that stores each key it misses. */
	static double bounded(Path dir, int[] trace, int size, EvictionPolicy policy) {
		Path file = dir.resolve("bounded-" + policy + "-" + size + "-" + System.nanoTime() + ".db");
		try (DictStore store = DictStore.open(file, StoreOptions.defaults())) {
			PersistentDict<Integer, byte[]> dict = store
				.dict(DictSpec.of("bounded", Integer.class, byte[].class).withMaximumSize(size).withEviction(policy));
			byte[] value = new byte[16];
			long hits = 0;
			for (int key : trace) {
				if (dict.get(key) != null) {
					hits++;
				}
				else {
					dict.set(key, value);
				}
			}
			return (double) hits / trace.length;
		}
	}

	/** Near-cache hits of a dict whose every key is stored, over the trace's reads. */
	static double near(Path dir, int[] trace, int size) {
		int max = 0;
		for (int key : trace) {
			max = Math.max(max, key);
		}
		Path file = dir.resolve("near-" + size + "-" + trace.length + "-" + System.nanoTime() + ".db");
		try (DictStore store = DictStore.open(file, StoreOptions.defaults())) {
			PersistentDict<Integer, byte[]> dict = store
				.dict(DictSpec.of("near", Integer.class, byte[].class).withNearCache(size));
			byte[] value = new byte[16];
			Map<Integer, byte[]> chunk = new LinkedHashMap<>();
			for (int key = 0; key <= max; key++) {
				chunk.put(key, value);
				if (chunk.size() == 10_000) {
					dict.putAll(chunk);
					chunk.clear();
				}
			}
			dict.putAll(chunk);
			long before = dict.stats().nearHits();
			for (int key : trace) {
				dict.get(key);
			}
			return (double) (dict.stats().nearHits() - before) / trace.length;
		}
	}

	static double caffeine(int[] trace, int size) {
		Cache<Integer, Integer> cache = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
		long hits = 0;
		for (int key : trace) {
			if (cache.getIfPresent(key) != null) {
				hits++;
			}
			else {
				cache.put(key, key);
			}
		}
		return (double) hits / trace.length;
	}

	static double lru(int[] trace, int size) {
		LinkedHashMap<Integer, Integer> cache = new LinkedHashMap<>(size * 2, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
				return size() > size;
			}

		};
		long hits = 0;
		for (int key : trace) {
			if (cache.get(key) != null) {
				hits++;
			}
			else {
				cache.put(key, key);
			}
		}
		return (double) hits / trace.length;
	}

	/**
	 * Replace a fifth of the reads by scans: runs of 1,000 consecutive keys above the
	 * Zipf key space, each read once in the whole trace.
	 */
	static int[] withScans(int[] zipf, int n) {
		int[] trace = zipf.clone();
		int next = n;
		for (int start = 0; start + 5_000 <= trace.length; start += 5_000) {
			for (int i = 0; i < 1_000; i++) {
				trace[start + i] = next++;
			}
		}
		return trace;
	}

}
