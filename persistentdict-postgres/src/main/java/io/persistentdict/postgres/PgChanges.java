package io.persistentdict.postgres;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What one write transaction changed, as the payload of the one {@code NOTIFY} its commit
 * sends, and the reading of such a payload.
 *
 * <p>
 * A payload names each dict by its table's 32 hex digits, followed by {@code *} (every
 * key may have changed) or by its keys, and ends it with {@code /}: a text key is
 * {@code s}, its length in UTF-16 units, {@code :} and the text; an integer key is
 * {@code i}, its decimal digits and {@code ;}. A payload of {@code !} says that anything
 * may have changed. PostgreSQL refuses payloads of 8000 bytes or more; one that would
 * take more than {@value #MAX_BYTES} names its dicts without keys, and one where even
 * that does not fit is {@code !}. Keys that are neither text nor integers (bytes, which a
 * near cache never hits) clear their dict.
 */
final class PgChanges {

	/** The most bytes a payload takes: PostgreSQL's limit less a margin. */
	static final int MAX_BYTES = 7900;

	/** The most keys kept per dict; a write of more clears the dict. */
	static final int MAX_KEYS = 1000;

	private static final String ALL = "!";

	private static final int ID_LENGTH = 32;

	/** Keys written, per table; {@code null} for every key of the table. */
	private final Map<String, @Nullable Set<Object>> tables = new LinkedHashMap<>();

	private final boolean utf8;

	/**
	 * Start an empty set of changes.
	 * @param utf8 whether the server's encoding takes text as UTF-8 does ({@code UTF8},
	 * {@code SQL_ASCII}); otherwise a character is counted as 4 bytes
	 */
	PgChanges(boolean utf8) {
		this.utf8 = utf8;
	}

	/**
	 * Note one written key.
	 * @param table the table's name
	 * @param key the encoded key
	 */
	void wrote(String table, Object key) {
		if (!(key instanceof String) && !(key instanceof Long)) {
			wroteAll(table);
			return;
		}
		Set<Object> keys = this.tables.computeIfAbsent(table, (name) -> new LinkedHashSet<>());
		if (keys != null) {
			keys.add(key);
			if (keys.size() > MAX_KEYS) {
				this.tables.put(table, null);
			}
		}
	}

	/**
	 * Note a write of any number of a table's keys.
	 * @param table the table's name
	 */
	void wroteAll(String table) {
		this.tables.put(table, null);
	}

	boolean isEmpty() {
		return this.tables.isEmpty();
	}

	void clear() {
		this.tables.clear();
	}

	/**
	 * Return the payload of the changes.
	 * @return the payload
	 */
	String payload() {
		StringBuilder payload = new StringBuilder();
		int bytes = 0;
		for (Map.Entry<String, @Nullable Set<Object>> entry : this.tables.entrySet()) {
			StringBuilder group = new StringBuilder(id(entry.getKey()));
			Set<Object> keys = entry.getValue();
			if (keys == null) {
				group.append('*');
			}
			else {
				for (Object key : keys) {
					if (key instanceof String text) {
						group.append('s').append(text.length()).append(':').append(text);
					}
					else {
						group.append('i').append(key).append(';');
					}
				}
			}
			group.append('/');
			int groupBytes = bytes(group);
			if (bytes + groupBytes > MAX_BYTES) {
				// too many keys: every key of this dict, then
				group.setLength(ID_LENGTH);
				group.append("*/");
				groupBytes = ID_LENGTH + 2;
				if (bytes + groupBytes > MAX_BYTES) {
					return ALL;
				}
			}
			payload.append(group);
			bytes += groupBytes;
		}
		return payload.toString();
	}

	private int bytes(CharSequence text) {
		return this.utf8 ? text.toString().getBytes(StandardCharsets.UTF_8).length : text.length() * 4;
	}

	private static String id(String table) {
		return table.startsWith("d_") ? table.substring(2) : table;
	}

	/**
	 * What a payload says changed.
	 */
	interface Reader {

		/** Anything may have changed. */
		void all();

		/**
		 * Every key of one table may have changed.
		 * @param table the table's name
		 */
		void table(String table);

		/**
		 * One key of one table may have changed.
		 * @param table the table's name
		 * @param key the encoded key: a {@code String} or a {@code Long}
		 */
		void key(String table, Object key);

	}

	/**
	 * Read a payload. One that cannot be read (another version's, or another
	 * application's on the same channel) reads as {@link Reader#all()}: whoever sent it
	 * changed something.
	 * @param payload the payload
	 * @param reader what hears of it
	 */
	static void read(String payload, Reader reader) {
		if (payload.equals(ALL) || !readable(payload)) {
			reader.all();
			return;
		}
		int at = 0;
		while (at < payload.length()) {
			String table = "d_" + payload.substring(at, at + ID_LENGTH);
			at += ID_LENGTH;
			while (payload.charAt(at) != '/') {
				char kind = payload.charAt(at);
				if (kind == '*') {
					reader.table(table);
					at++;
				}
				else if (kind == 's') {
					int colon = payload.indexOf(':', at);
					int length = Integer.parseInt(payload, at + 1, colon, 10);
					reader.key(table, payload.substring(colon + 1, colon + 1 + length));
					at = colon + 1 + length;
				}
				else {
					int end = payload.indexOf(';', at);
					reader.key(table, Long.parseLong(payload, at + 1, end, 10));
					at = end + 1;
				}
			}
			at++;
		}
	}

	/** Whether a payload is well formed, so that reading it cannot fail half-way. */
	private static boolean readable(String payload) {
		try {
			int at = 0;
			while (at < payload.length()) {
				for (int i = at; i < at + ID_LENGTH; i++) {
					if (Character.digit(payload.charAt(i), 16) < 0) {
						return false;
					}
				}
				at += ID_LENGTH;
				while (payload.charAt(at) != '/') {
					char kind = payload.charAt(at);
					if (kind == '*') {
						at++;
					}
					else if (kind == 's') {
						int colon = payload.indexOf(':', at);
						int length = Integer.parseInt(payload, at + 1, colon, 10);
						if (length < 0 || colon + 1 + length > payload.length()) {
							return false;
						}
						at = colon + 1 + length;
					}
					else if (kind == 'i') {
						int end = payload.indexOf(';', at);
						Long.parseLong(payload, at + 1, end, 10);
						at = end + 1;
					}
					else {
						return false;
					}
				}
				at++;
			}
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
