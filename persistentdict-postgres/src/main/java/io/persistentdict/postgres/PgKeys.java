package io.persistentdict.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

import io.persistentdict.engine.KeyKind;

/**
 * How one kind of key is stored, bound and read.
 * <ul>
 * <li>{@code TEXT} (string and UUID keys): {@code text COLLATE "C"}, so that
 * {@code ORDER BY}, {@code prefix} and {@code range} follow code points, as SQLite's
 * order does. PostgreSQL's {@code text} cannot hold NUL: such a key is refused before the
 * database, never changed.</li>
 * <li>{@code INTEGER} (long and int keys): {@code bigint}.</li>
 * <li>{@code ANY} (other key codecs, which may store {@code String}, {@code Long} or
 * {@code byte[]}): a tagged {@code bytea}: a tag byte (1 integer, 2 text, 3 bytes), then
 * the integer big-endian with its sign bit flipped, the text in UTF-8, or the bytes. Its
 * byte order is SQLite's order of the three: integers, then text by code point, then
 * bytes.</li>
 * </ul>
 * A b-tree entry holds at most about 2.7 kB, so a key is refused before the database when
 * its stored form passes {@link #MAX_KEY_BYTES}.
 */
enum PgKeys {

	TEXT("text COLLATE \"C\"", "text"), INTEGER("bigint", "int8"), ANY("bytea", "bytea");

	/**
	 * The longest stored key, in bytes: below PostgreSQL's b-tree limit (a third of a
	 * page less overhead, 2,704 bytes) with room to spare.
	 */
	static final int MAX_KEY_BYTES = 2048;

	private static final byte TAG_INTEGER = 1;

	private static final byte TAG_TEXT = 2;

	private static final byte TAG_BYTES = 3;

	private final String columnType;

	private final String arrayType;

	PgKeys(String columnType, String arrayType) {
		this.columnType = columnType;
		this.arrayType = arrayType;
	}

	static PgKeys of(KeyKind kind) {
		return switch (kind) {
			case TEXT -> TEXT;
			case INTEGER -> INTEGER;
			case ANY -> ANY;
		};
	}

	/**
	 * Return the kind of the built-in key codecs by id, as {@link KeyKind#of} does for
	 * the codecs themselves; any other codec is {@code ANY}.
	 * @param codecId the key codec's id
	 * @return the kind
	 */
	static PgKeys ofCodec(String codecId) {
		return switch (codecId) {
			case "string", "uuid" -> TEXT;
			case "long", "int" -> INTEGER;
			default -> ANY;
		};
	}

	String columnType() {
		return this.columnType;
	}

	/** The type of the array {@code unnest} takes for a multi-row upsert. */
	String arrayType() {
		return this.arrayType;
	}

	/**
	 * Compare where a key of another kind sorts against every key of this kind, in
	 * SQLite's order of kinds: integers, then text, then bytes.
	 * @param key an encoded key
	 * @return 0 when the key is of this kind (or this kind holds every kind), less than 0
	 * when it sorts before every key of this kind, more than 0 when after
	 */
	int rankAgainst(Object key) {
		if (this == ANY) {
			return 0;
		}
		int rank = (key instanceof Number) ? 1 : (key instanceof String) ? 2 : 3;
		return rank - ((this == INTEGER) ? 1 : 2);
	}

	/**
	 * Bind a key, refusing one that this kind cannot store.
	 * @param statement the statement
	 * @param index the parameter's index
	 * @param key the encoded key
	 * @param where the dict and its store, for messages: {@code dict 'x' in store ...}
	 * @throws SQLException on failure
	 */
	void bind(PreparedStatement statement, int index, Object key, String where) throws SQLException {
		switch (this) {
			case TEXT -> statement.setString(index, checkedText(key, where, true));
			case INTEGER -> statement.setLong(index, ((Number) key).longValue());
			case ANY -> statement.setBytes(index, tagged(key, where, true));
		}
	}

	/**
	 * Bind a bound of a range or prefix, which is compared with keys, never stored: it
	 * may be longer than a key may be (text still cannot hold NUL).
	 * @param statement the statement
	 * @param index the parameter's index
	 * @param bound the encoded bound
	 * @param where the dict and its store, for messages
	 * @throws SQLException on failure
	 */
	void bindBound(PreparedStatement statement, int index, Object bound, String where) throws SQLException {
		switch (this) {
			case TEXT -> statement.setString(index, checkedText(bound, where, false));
			case INTEGER -> statement.setLong(index, ((Number) bound).longValue());
			case ANY -> statement.setBytes(index, tagged(bound, where, false));
		}
	}

	/**
	 * Return whether a key can be stored in a column of this kind at all: a lookup of one
	 * that cannot finds nothing, as on SQLite, rather than fail.
	 * @param key an encoded key of this kind
	 * @return whether it can
	 */
	boolean storable(Object key) {
		if (this == TEXT && key instanceof String text) {
			return text.indexOf('\0') < 0 && (text.length() * 3 <= MAX_KEY_BYTES || utf8Length(text) <= MAX_KEY_BYTES);
		}
		if (this == ANY) {
			if (key instanceof String text) {
				return text.length() * 3 <= MAX_KEY_BYTES || utf8Length(text) <= MAX_KEY_BYTES;
			}
			if (key instanceof byte[] bytes) {
				return bytes.length <= MAX_KEY_BYTES;
			}
		}
		return true;
	}

	Object read(ResultSet rs, int column) throws SQLException {
		return switch (this) {
			case TEXT -> rs.getString(column);
			case INTEGER -> rs.getLong(column);
			case ANY -> untagged(rs.getBytes(column));
		};
	}

	Array array(Connection connection, Object[] keys, String where) throws SQLException {
		return switch (this) {
			case TEXT -> {
				String[] texts = new String[keys.length];
				for (int i = 0; i < keys.length; i++) {
					texts[i] = checkedText(keys[i], where, true);
				}
				yield connection.createArrayOf("text", texts);
			}
			case INTEGER -> {
				Long[] longs = new Long[keys.length];
				for (int i = 0; i < keys.length; i++) {
					longs[i] = ((Number) keys[i]).longValue();
				}
				yield connection.createArrayOf("int8", longs);
			}
			case ANY -> {
				byte[][] bytes = new byte[keys.length][];
				for (int i = 0; i < keys.length; i++) {
					bytes[i] = tagged(keys[i], where, true);
				}
				yield connection.createArrayOf("bytea", bytes);
			}
		};
	}

	/**
	 * Return a value that is equal for equal stored keys, for finding a key given twice.
	 * @param key the encoded key
	 * @return the identity
	 */
	Object identity(Object key) {
		if (key instanceof byte[] bytes) {
			return ByteBuffer.wrap(bytes);
		}
		if (key instanceof Number number && this != TEXT) {
			return number.longValue();
		}
		return key;
	}

	private static String checkedText(Object key, String where, boolean stored) {
		String text = (String) key;
		int nul = text.indexOf('\0');
		if (nul >= 0 && !stored) {
			throw new IllegalArgumentException("A range or prefix bound of " + where
					+ " holds the character U+0000 (NUL) at index " + nul + ", which PostgreSQL text cannot hold (nor"
					+ " can any key there): leave it out of the bound");
		}
		if (nul >= 0) {
			throw new IllegalArgumentException("Key of " + where + " holds the character U+0000 (NUL) at index " + nul
					+ ", which PostgreSQL text cannot hold; nothing of this operation was written. Remove it from the"
					+ " key, or use a key codec that stores bytes");
		}
		if (stored && text.length() * 3 > MAX_KEY_BYTES) {
			checkLength(utf8Length(text), where);
		}
		return text;
	}

	private static byte[] tagged(Object key, String where, boolean checked) {
		byte[] stored;
		if (key instanceof String text) {
			byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
			stored = new byte[utf8.length + 1];
			stored[0] = TAG_TEXT;
			System.arraycopy(utf8, 0, stored, 1, utf8.length);
		}
		else if (key instanceof Number number) {
			stored = ByteBuffer.allocate(9).put(TAG_INTEGER).putLong(number.longValue() ^ Long.MIN_VALUE).array();
		}
		else if (key instanceof byte[] bytes) {
			if (checked) {
				checkLength(bytes.length, where);
			}
			stored = new byte[bytes.length + 1];
			stored[0] = TAG_BYTES;
			System.arraycopy(bytes, 0, stored, 1, bytes.length);
		}
		else {
			throw new IllegalArgumentException("Key codec of " + where + " stored a " + key.getClass().getName()
					+ "; key codecs store String, Long or byte[]");
		}
		if (checked) {
			checkLength(stored.length - 1, where);
		}
		return stored;
	}

	private static int utf8Length(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

	private static Object untagged(byte[] stored) {
		return switch (stored[0]) {
			case TAG_INTEGER -> ByteBuffer.wrap(stored, 1, 8).getLong() ^ Long.MIN_VALUE;
			case TAG_TEXT -> new String(stored, 1, stored.length - 1, StandardCharsets.UTF_8);
			default -> Arrays.copyOfRange(stored, 1, stored.length);
		};
	}

	private static void checkLength(int bytes, String where) {
		if (bytes > MAX_KEY_BYTES) {
			throw new IllegalArgumentException("Key of " + where + " is too large for the PostgreSQL engine (" + bytes
					+ " bytes; at most " + MAX_KEY_BYTES + ", as its index holds entries of about 2.7 kB at most);"
					+ " nothing of this operation was written. Use a shorter key, such as a hash of it");
		}
	}

}
