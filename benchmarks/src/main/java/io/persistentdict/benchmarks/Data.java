package io.persistentdict.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import io.persistentdict.benchmarks.peers.Kv;

/**
 * The data every peer gets: keys {@code user:%08d}, and values drawn from a pool of 1,024
 * random (incompressible) byte arrays, all from fixed seeds so that every peer sees the
 * same keys, values and access sequence.
 */
public final class Data {

	/** How many key indexes a precomputed access sequence holds. */
	public static final int SAMPLES = 1 << 20;

	private static final int POOL = 1024;

	private static final int LOAD_CHUNK = 100_000;

	private Data() {
	}

	/**
	 * Return the keys {@code user:00000000} to {@code user:<n-1>}.
	 * @param n how many
	 * @return the keys
	 */
	public static String[] keys(int n) {
		String[] keys = new String[n];
		char[] chars = "user:00000000".toCharArray();
		for (int i = 0; i < n; i++) {
			int v = i;
			for (int p = chars.length - 1; p >= 5; p--) {
				chars[p] = (char) ('0' + v % 10);
				v /= 10;
			}
			keys[i] = new String(chars);
		}
		return keys;
	}

	/**
	 * Return the n-th of a sequence of keys that never repeats and falls all over the key
	 * order (as a cache's keys do), none equal to a key of {@link #keys}: {@code new:}
	 * and 16 hex digits of a mix of {@code n}.
	 * @param n the key's number
	 * @return the key
	 */
	public static String freshKey(long n) {
		long z = n + 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return "new:" + java.util.HexFormat.of().toHexDigits(z ^ (z >>> 31));
	}

	/**
	 * Return the pool of values.
	 * @param size the size of each value
	 * @return the values
	 */
	public static byte[][] values(int size) {
		SplittableRandom random = new SplittableRandom(42);
		byte[][] values = new byte[POOL][size];
		for (byte[] value : values) {
			for (int i = 0; i < size; i++) {
				value[i] = (byte) random.nextInt(256);
			}
		}
		return values;
	}

	/**
	 * Return the value for key index {@code i}.
	 * @param values the pool
	 * @param i the key index
	 * @return the value
	 */
	public static byte[] value(byte[][] values, int i) {
		return values[i & (POOL - 1)];
	}

	/**
	 * Return the entries with key indexes in {@code [from, to)} whose index has the given
	 * parity, or every index if {@code parity} is negative.
	 * @param keys the keys
	 * @param values the value pool
	 * @param from the first index
	 * @param to the index after the last
	 * @param parity 0 for even indexes, 1 for odd ones, -1 for all
	 * @return the entries, in key order
	 */
	public static Map<String, byte[]> entries(String[] keys, byte[][] values, int from, int to, int parity) {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		for (int i = from; i < to; i++) {
			if (parity < 0 || (i & 1) == parity) {
				entries.put(keys[i], value(values, i));
			}
		}
		return entries;
	}

	/**
	 * Load every key into a store, in chunks of 100,000 entries.
	 * @param kv the store
	 * @param keys the keys
	 * @param values the value pool
	 */
	public static void load(Kv kv, String[] keys, byte[][] values) {
		for (int from = 0; from < keys.length; from += LOAD_CHUNK) {
			kv.putAll(entries(keys, values, from, Math.min(keys.length, from + LOAD_CHUNK), -1));
		}
	}

	/**
	 * Return a sequence of uniformly distributed key indexes.
	 * @param n the number of keys
	 * @return the indexes
	 */
	public static int[] uniform(int n) {
		SplittableRandom random = new SplittableRandom(7);
		int[] samples = new int[SAMPLES];
		for (int i = 0; i < samples.length; i++) {
			samples[i] = random.nextInt(n);
		}
		return samples;
	}

	/**
	 * Return a sequence of Zipf-distributed key indexes (YCSB's zipfian generator, theta
	 * 0.99), scrambled so that the hot keys are spread over the key space rather than
	 * adjacent.
	 * @param n the number of keys
	 * @return the indexes
	 */
	public static int[] zipf(int n) {
		return zipf(n, SAMPLES, 11);
	}

	/**
	 * Return a sequence of Zipf-distributed key indexes, as {@link #zipf(int)} does, of a
	 * given length and seed.
	 * @param n the number of keys
	 * @param length how many indexes
	 * @param seed the random seed
	 * @return the indexes
	 */
	public static int[] zipf(int n, int length, long seed) {
		double theta = 0.99;
		double zetan = 0;
		for (int i = 1; i <= n; i++) {
			zetan += 1 / Math.pow(i, theta);
		}
		double zeta2 = 1 + 1 / Math.pow(2, theta);
		double alpha = 1 / (1 - theta);
		double eta = (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta2 / zetan);
		SplittableRandom random = new SplittableRandom(seed);
		int[] samples = new int[length];
		for (int i = 0; i < samples.length; i++) {
			double u = random.nextDouble();
			double uz = u * zetan;
			long rank;
			if (uz < 1) {
				rank = 0;
			}
			else if (uz < zeta2) {
				rank = 1;
			}
			else {
				rank = Math.min(n - 1, (long) (n * Math.pow(eta * u - eta + 1, alpha)));
			}
			// a multiplier coprime with n makes this a permutation of [0, n)
			samples[i] = (int) Math.floorMod(rank * 2_654_435_761L, (long) n);
		}
		return samples;
	}

	/**
	 * Create a new directory for one store.
	 * @param name a name for it
	 * @return the directory
	 */
	public static Path newDirectory(String name) {
		try {
			Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
			Files.createDirectories(base);
			return Files.createTempDirectory(base, "pdbench-" + name + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Delete a directory and everything in it.
	 * @param dir the directory
	 */
	public static void delete(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the bytes that the files under a directory take.
	 * @param dir the directory
	 * @return the size
	 */
	public static long sizeOf(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			return paths.filter(Files::isRegularFile).mapToLong((path) -> path.toFile().length()).sum();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
