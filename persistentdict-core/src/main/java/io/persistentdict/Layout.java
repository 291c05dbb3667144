package io.persistentdict;

/**
 * How a dict's table stores its rows. The layout is chosen when a dict is created, and
 * kept for the life of its table: a dict opened again keeps the layout it was created
 * with, whatever the spec says.
 *
 * <p>
 * Measured on 2 cores (raw sqlite-jdbc, 1M entries): a {@code WITHOUT ROWID} table is 1.1
 * to 1.2 times faster for values of about 100 bytes, and a rowid table 2.5 times faster
 * on reads for values of 4 KiB. SQLite's guidance is the same: {@code WITHOUT ROWID}
 * suits rows smaller than about 1/20 of a page. {@link #SPLIT} takes the better of the
 * two for each value, so a dict made with the defaults is close to the best table at both
 * sizes:
 *
 * <pre>{@code
 * PersistentDict<String, byte[]> kv = store.dict("kv", String.class, byte[].class); // SPLIT
 * PersistentDict<String, Long> hits = store.dict("hits", String.class, Long.class); // COMPACT
 * }</pre>
 *
 * On SQLite only: the PostgreSQL engine has one table layout and records the layout for
 * information only.
 */
public enum Layout {

	/**
	 * {@link #COMPACT} for value types known to be small (numbers, booleans, UUIDs,
	 * characters, enums, instants), {@link #SPLIT} for the others ({@code String},
	 * {@code byte[]}, records, any type whose size varies). The default.
	 */
	AUTO,

	/**
	 * A {@code WITHOUT ROWID} table clustered on the key: best for small values. It
	 * iterates in key order. Values of a few KiB make it slow: each one spreads the key's
	 * b-tree over more pages.
	 */
	COMPACT,

	/**
	 * A rowid table with a unique index on the key: best for values over a few hundred
	 * bytes. It iterates in insertion order. Small values pay for a second lookup.
	 */
	ROWID,

	/**
	 * A {@code WITHOUT ROWID} table clustered on the key that holds values up to 200
	 * stored bytes inline, and a side rowid table for larger ones, which the key's row
	 * points to. A small value is read in one lookup, as in {@link #COMPACT}; a large one
	 * in two, as in {@link #ROWID}. It iterates in key order. A value that grows past the
	 * threshold moves to the side table, and back when it shrinks, in the same
	 * transaction; deleting, sweeping or clearing deletes the side rows with their keys.
	 * The default for {@code String} and {@code byte[]} values since schema version 2: a
	 * file with a {@code SPLIT} dict cannot be opened by a version of persistentdict
	 * older than that.
	 * <p>
	 * Limits, as measured so far (BENCHMARKS.md, "The default layout", on a loaded
	 * machine): puts cost about what raw's best table costs at 100 bytes and 4 KiB; gets
	 * of 4 KiB values cost more CPU than in a {@code ROWID} dict (0.65 times raw's rate
	 * in CPU time, against 0.87 to 0.99 for {@code ROWID}), so a dict that holds only
	 * large values reads faster as {@code ROWID}. Bulk writes of large values take three
	 * statements a row instead of one statement for 32 rows.
	 */
	SPLIT

}
