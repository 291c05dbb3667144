package io.persistentdict.engine;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * One entry of an export, as a JSON object: {@code key} (a JSON string or integer, as the
 * key is stored) or {@code keyBase64} for binary keys; the value as {@link ExportValues}
 * writes it; and {@code expiresAt}, an ISO-8601 instant, when the entry expires. Lines of
 * the first format ({@code k}, {@code kb}, {@code v} for the base64 of the stored bytes,
 * and {@code x} for the expiry in epoch milliseconds) read too.
 *
 * @param key the stored key
 * @param stored the stored value bytes, header included
 * @param expiresAt when it expires, in epoch milliseconds, or 0 for never
 */
record ExportLine(Object key, byte[] stored, long expiresAt) {

	static final String KEY = "key";

	static final String KEY_BASE64 = "keyBase64";

	static final String EXPIRES_AT = "expiresAt";

	/** Write a row as one JSON object. */
	static void write(JsonGenerator out, Row row, JsonFactory json) {
		out.writeStartObject();
		Object key = row.key();
		if (key instanceof byte[] bytes) {
			out.writeName(KEY_BASE64);
			out.writeBinary(bytes);
		}
		else if (key instanceof Number number) {
			out.writeNumberProperty(KEY, number.longValue());
		}
		else {
			out.writeStringProperty(KEY, key.toString());
		}
		ExportValues.write(out, row.value(), json);
		if (row.expiresAt() != 0) {
			out.writeStringProperty(EXPIRES_AT, Instant.ofEpochMilli(row.expiresAt()).toString());
		}
		out.writeEndObject();
	}

	/**
	 * Read one JSON object.
	 * @param in the parser, at the object's start
	 * @param target what a {@code value} field becomes
	 * @param json the factory, for {@code json} values
	 * @return the entry; an expiry in the past is negative or positive, never 0
	 * @throws IllegalArgumentException if the object is not an entry, saying why (never
	 * quoting a value)
	 */
	static ExportLine read(JsonParser in, JsonLines.Target target, JsonFactory json) {
		Object key = null;
		byte[] stored = null;
		long expiresAt = 0;
		Set<String> seen = new HashSet<>();
		for (String field = in.nextName(); field != null; field = in.nextName()) {
			in.nextToken();
			if (!seen.add(field)) {
				throw new IllegalArgumentException("field '" + field + "' appears twice");
			}
			switch (field) {
				case KEY, "k" -> key = once(key, readKey(in));
				case KEY_BASE64, "kb" -> key = once(key, ExportValues.base64(in, field));
				case ExportValues.VALUE ->
					stored = once(stored, ValueFormat.write(ExportValues.read(in, target.valueCodec(), json),
							tag(target), target.compressionThreshold()));
				case ExportValues.VALUE_BASE64 -> stored = once(stored, ValueFormat
					.write(ExportValues.base64(in, field), ValueFormat.tagOf("bytes"), target.compressionThreshold()));
				case ExportValues.STORED, "v" -> stored = once(stored, ExportValues.base64(in, field));
				case EXPIRES_AT -> expiresAt = readInstant(in);
				case "x" -> expiresAt = readMillis(in);
				default -> throw new IllegalArgumentException("field '" + shorten(field)
						+ "' is not one of an export's: key or keyBase64; value, valueBase64 or stored; expiresAt");
			}
		}
		if (key == null) {
			throw new IllegalArgumentException(
					"the entry has no key (give it as 'key', or 'keyBase64' for binary keys)");
		}
		if (stored == null) {
			throw new IllegalArgumentException(
					"the entry has no value (give it as 'value', 'valueBase64' or 'stored')");
		}
		return new ExportLine(key, stored, expiresAt);
	}

	private static int tag(JsonLines.Target target) {
		String codec = target.valueCodec();
		return (codec != null) ? ValueFormat.tagOf(codec) : ValueFormat.CUSTOM;
	}

	private static <T> T once(@Nullable T previous, T value) {
		if (previous != null) {
			throw new IllegalArgumentException(
					"the entry has two keys or two values (for example both 'key' and" + " 'keyBase64'): give one");
		}
		return value;
	}

	private static Object readKey(JsonParser in) {
		JsonToken token = in.currentToken();
		if (token == JsonToken.VALUE_STRING) {
			return in.getString();
		}
		if (token == JsonToken.VALUE_NUMBER_INT) {
			if (in.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
				throw new IllegalArgumentException("its key is an integer beyond the range of a Long");
			}
			return in.getLongValue();
		}
		throw new IllegalArgumentException("its key must be a string or an integer, found " + ExportValues.kind(in));
	}

	private static long readInstant(JsonParser in) {
		JsonToken token = in.currentToken();
		if (token == JsonToken.VALUE_NULL) {
			return 0;
		}
		if (token != JsonToken.VALUE_STRING) {
			throw new IllegalArgumentException("'expiresAt' must be an ISO-8601 instant such as"
					+ " \"2026-12-03T10:15:30Z\", or null for never; found " + ExportValues.kind(in));
		}
		try {
			long millis = Instant.parse(in.getString()).toEpochMilli();
			// 0 means never: the epoch itself has passed, like any time before now
			return (millis == 0) ? -1 : millis;
		}
		catch (DateTimeParseException | ArithmeticException ex) {
			throw new IllegalArgumentException(
					"'expiresAt' is not an ISO-8601 instant such as \"2026-12-03T10:15:30Z\" (UTC) or"
							+ " \"2026-12-03T11:15:30+01:00\"");
		}
	}

	private static long readMillis(JsonParser in) {
		if (in.currentToken() != JsonToken.VALUE_NUMBER_INT
				|| in.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
			throw new IllegalArgumentException("'x' must be epoch milliseconds, found " + ExportValues.kind(in));
		}
		return in.getLongValue();
	}

	private static String shorten(String field) {
		return (field.length() > 40) ? field.substring(0, 40) + "..." : field;
	}

}
