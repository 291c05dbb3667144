package io.persistentdict.engine;

import java.nio.charset.StandardCharsets;

/**
 * A dict's exact totals, as the engine keeps them in the same write transaction as the
 * writes that change them: no count runs to read them.
 *
 * <p>
 * {@code rows} and {@code bytes} cover every stored row, live or expired but not yet
 * swept (subtract {@link TableStore#expired} for the live count). A row's bytes are its
 * key's {@linkplain #keyBytes(Object) bytes} plus its stored value's length (codec header
 * and compression included), without the engine's own overhead (pages, indexes, row
 * headers). {@code clock} says where a stamped table's order stamps stand: a stamp
 * written after the totals were read is greater (on SQLite a hybrid clock, wall-clock
 * microseconds moved on by one whenever two stamps would be equal, that writes nothing);
 * 0 on an unstamped table.
 *
 * @param rows the stored rows, expired ones included
 * @param bytes their keys' and values' bytes
 * @param clock where the order stamps stand
 */
public record Totals(long rows, long bytes, long clock) {

	/**
	 * Return how many bytes an encoded key counts for in {@link #bytes}: a text key's
	 * UTF-8 bytes, a byte-array key's length, and 8 for an integer key.
	 * @param key the encoded key ({@code String}, {@code Long} or {@code byte[]})
	 * @return its bytes
	 */
	public static long keyBytes(Object key) {
		if (key instanceof String text) {
			return utf8Length(text);
		}
		if (key instanceof byte[] bytes) {
			return bytes.length;
		}
		if (key instanceof Long || key instanceof Integer) {
			return 8;
		}
		return key.toString().getBytes(StandardCharsets.UTF_8).length;
	}

	private static long utf8Length(String text) {
		long n = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				n++;
			}
			else if (c < 0x800) {
				n += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1))) {
				n += 4;
				i++;
			}
			else {
				n += 3;
			}
		}
		return n;
	}

}
