package io.persistentdict;

/**
 * Which entries a size-bounded dict removes first when a write takes it over its
 * {@linkplain DictSpec#withMaximumSize(long) maximum size} or
 * {@linkplain DictSpec#withMaximumBytes(long) maximum bytes}. The names are
 * python-diskcache's. A policy without a bound is accepted and does nothing.
 *
 * <p>
 * The order is approximate: on SQLite, eviction deletes the oldest of a sample (a window
 * of at least eight candidates for each row it deletes, walked round the table), so that
 * no index on the order costs every write. Entries written once and never rewritten are
 * evicted exactly in write order.
 */
public enum EvictionPolicy {

	/**
	 * Evict the entries written longest ago (FIFO by write). Reads stay read-only, so
	 * this costs a read nothing. The default.
	 */
	LEAST_RECENTLY_STORED,

	/**
	 * Evict the entries read or written longest ago. Reads are recorded coarsely, in this
	 * JVM, and written in the background through the write path, batched, so a read never
	 * waits for a commit. Near-cache hits count as reads.
	 */
	LEAST_RECENTLY_USED

}
