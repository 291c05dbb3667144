package io.persistentdict.reliability;

/**
 * A small log-linear histogram of latencies in nanoseconds (8 sub-buckets per power of
 * two, so about 12% resolution), cheap enough to record every operation of a soak.
 */
final class LatencyHistogram {

	private final long[] counts = new long[8 + 61 * 8];

	private long max;

	private long total;

	void record(long nanos) {
		long v = Math.max(0, nanos);
		this.counts[index(v)]++;
		this.total++;
		this.max = Math.max(this.max, v);
	}

	void add(LatencyHistogram other) {
		for (int i = 0; i < this.counts.length; i++) {
			this.counts[i] += other.counts[i];
		}
		this.total += other.total;
		this.max = Math.max(this.max, other.max);
	}

	long count() {
		return this.total;
	}

	long max() {
		return this.max;
	}

	/**
	 * Return the upper bound of the bucket holding the given quantile.
	 * @param quantile between 0 and 1
	 * @return nanoseconds
	 */
	long quantile(double quantile) {
		long rank = (long) Math.ceil(quantile * this.total);
		long seen = 0;
		for (int i = 0; i < this.counts.length; i++) {
			seen += this.counts[i];
			if (seen >= rank && seen > 0) {
				return Math.min(upper(i), this.max);
			}
		}
		return this.max;
	}

	private static int index(long v) {
		if (v < 8) {
			return (int) v;
		}
		int exponent = 63 - Long.numberOfLeadingZeros(v);
		int mantissa = (int) ((v >>> (exponent - 3)) & 7);
		return 8 + (exponent - 3) * 8 + mantissa;
	}

	private static long upper(int index) {
		if (index < 8) {
			return index;
		}
		int exponent = (index - 8) / 8 + 3;
		int mantissa = (index - 8) % 8;
		return ((8L + mantissa + 1) << (exponent - 3)) - 1;
	}

}
