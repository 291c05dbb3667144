package io.persistentdict.benchmarks.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark result, reduced to what the report shows.
 *
 * @param benchmark the benchmark, as {@code Class.method}
 * @param peer the peer's enum name
 * @param params every parameter but the peer
 * @param threads the number of threads
 * @param mode the JMH mode ({@code thrpt}, {@code sample}, {@code ss}, {@code avgt})
 * @param opsPerSecond the median over iterations, as operations a second (all threads
 * together); for single-shot and average-time modes, the inverse of the median time
 * @param secondsPerOp the median over iterations of the time an operation takes
 * @param p50 the median latency in seconds, or NaN when not sampled
 * @param p99 the 99th percentile latency in seconds, or NaN when not sampled
 * @param iterations how many measurement iterations the medians come from
 */
public record Measurement(String benchmark, String peer, Map<String, String> params, int threads, String mode,
		double opsPerSecond, double secondsPerOp, double p50, double p99, int iterations) {

	/**
	 * Return the key that identifies the workload: benchmark, threads and parameters, all
	 * but the peer.
	 * @return the key
	 */
	public String workload() {
		return this.benchmark + " " + new TreeMap<>(this.params);
	}

	/**
	 * Return a parameter.
	 * @param name the name
	 * @return the value, or an empty string
	 */
	public String param(String name) {
		return this.params.getOrDefault(name, "");
	}

	/**
	 * Return the measurement as one tab-separated line.
	 * @return the line
	 */
	public String toTsv() {
		return String.join("\t", this.benchmark, this.peer, new TreeMap<>(this.params).toString(),
				Integer.toString(this.threads), this.mode, Double.toString(this.opsPerSecond),
				Double.toString(this.secondsPerOp), Double.toString(this.p50), Double.toString(this.p99),
				Integer.toString(this.iterations));
	}

	/**
	 * Read a line written by {@link #toTsv()}.
	 * @param line the line
	 * @return the measurement
	 */
	public static Measurement fromTsv(String line) {
		String[] f = line.split("\t");
		Map<String, String> params = new TreeMap<>();
		String inner = f[2].substring(1, f[2].length() - 1);
		if (!inner.isEmpty()) {
			for (String pair : inner.split(", ")) {
				int eq = pair.indexOf('=');
				params.put(pair.substring(0, eq), pair.substring(eq + 1));
			}
		}
		return new Measurement(f[0], f[1], params, Integer.parseInt(f[3]), f[4], Double.parseDouble(f[5]),
				Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]), Integer.parseInt(f[9]));
	}

}
