package io.persistentdict.benchmarks.report;

/**
 * A figure measured outside JMH (file sizes, a reader's latency during a purge).
 *
 * @param what what was measured
 * @param peer the peer's enum name
 * @param value the figure
 * @param unit its unit
 */
public record Probe(String what, String peer, double value, String unit) {

	/**
	 * Return the probe as one tab-separated line.
	 * @return the line
	 */
	public String toTsv() {
		return String.join("\t", "probe", this.what, this.peer, Double.toString(this.value), this.unit);
	}

	/**
	 * Read a line written by {@link #toTsv()}.
	 * @param line the line
	 * @return the probe
	 */
	public static Probe fromTsv(String line) {
		String[] f = line.split("\t");
		return new Probe(f[1], f[2], Double.parseDouble(f[3]), f[4]);
	}

}
