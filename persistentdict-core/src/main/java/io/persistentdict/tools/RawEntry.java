package io.persistentdict.tools;

import io.persistentdict.engine.Row;
import io.persistentdict.engine.ValueFormat;

/**
 * A live entry as it is stored: its key, the codec that wrote its value, the value's
 * bytes (inflated when it was stored compressed) and its expiry.
 *
 * @param key the stored key: a {@code String}, {@code Long} or {@code byte[]}
 * @param codecId the id of the codec that wrote the value ({@code string}, {@code json},
 * {@code java}...), or the catalog's value codec for a codec that is not built in
 * @param value the codec's bytes, with no header
 * @param storedSize the bytes the value takes in the store, header and compression
 * included
 * @param compressed whether the value is stored compressed
 * @param expiresAt when it expires, in epoch milliseconds, or 0 for never
 */
public record RawEntry(Object key, String codecId, byte[] value, int storedSize, boolean compressed, long expiresAt) {

	/**
	 * Read the header of a stored row.
	 * @param row the row
	 * @param catalogCodec the dict's value codec in the catalog, which names a codec that
	 * is not built in
	 * @return the entry
	 * @throws io.persistentdict.codec.CodecException if the value has no header or does
	 * not inflate
	 */
	static RawEntry of(Row row, String catalogCodec) {
		byte[] stored = row.value();
		int tag = ValueFormat.tag(stored);
		String codecId = (tag == ValueFormat.CUSTOM) ? catalogCodec : ValueFormat.codecIdOf(tag);
		return new RawEntry(row.key(), codecId, ValueFormat.payload(stored), stored.length,
				ValueFormat.isCompressed(stored), row.expiresAt());
	}

}
