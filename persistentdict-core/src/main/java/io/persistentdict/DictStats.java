package io.persistentdict;

/**
 * A snapshot of one dict's counters. Counters count this JVM's operations since the store
 * was opened; {@code entries} counts the live entries in the file.
 *
 * @param name the dict's name
 * @param entries live (unexpired) entries in the file, or -1 if not counted
 * @param hits reads that found a live entry
 * @param misses reads that found nothing, or an expired entry
 * @param puts entries written
 * @param removals entries removed by a caller
 * @param expirations expired entries deleted by a sweep
 * @param nearHits hits answered by the dict's near cache without reading the database (0
 * without a near cache); {@code nearHits / hits} tells whether the near cache holds the
 * hot entries
 * @param evictions entries this JVM evicted to keep the dict within its
 * {@linkplain DictSpec#withMaximumSize(long) maximum size} or
 * {@linkplain DictSpec#withMaximumBytes(long) maximum bytes}, counted like
 * {@code expirations}
 * @param bytes keys and values of the dict as stored (after codec and compression,
 * without the engine's own overhead: text keys count their UTF-8 bytes, integer keys 8),
 * expired entries not yet swept included, or -1 if the engine does not count them
 */
public record DictStats(String name, long entries, long hits, long misses, long puts, long removals, long expirations,
		long nearHits, long evictions, long bytes) {

	/**
	 * Return the share of reads that were hits, or {@code NaN} before the first read.
	 * @return the hit ratio
	 */
	public double hitRatio() {
		long reads = this.hits + this.misses;
		return (reads == 0) ? Double.NaN : (double) this.hits / reads;
	}

}
