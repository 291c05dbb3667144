package io.persistentdict;

/**
 * How a dict's table stores its rows. Measured on 2 cores: {@code WITHOUT ROWID} is 1.1
 * to 1.2 times faster for values of about 100 bytes, and a rowid table 2.5 times faster
 * on reads for values of 4 KiB. SQLite's guidance is the same: {@code WITHOUT ROWID}
 * suits rows smaller than about 1/20 of a page.
 */
public enum Layout {

	/**
	 * {@link #COMPACT} for value types known to be small (numbers, booleans, UUIDs),
	 * {@link #ROWID} otherwise. The default.
	 */
	AUTO,

	/**
	 * A {@code WITHOUT ROWID} table clustered on the key: best for small values.
	 */
	COMPACT,

	/**
	 * A rowid table with a unique index on the key: best for values over a few hundred
	 * bytes.
	 */
	ROWID

}
