package io.persistentdict.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.persistentdict.codec.Codec;
import io.persistentdict.codec.CodecException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A value of an export line in the most readable form its codec allows, both ways:
 * {@code value} holds a {@code string} value as a JSON string, a {@code long},
 * {@code int}, {@code double} or {@code boolean} value as a JSON number or boolean
 * ({@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} as strings), and a
 * {@code json} value as the JSON document itself; {@code valueBase64} holds a
 * {@code bytes} value as base64; and {@code stored} holds the base64 of the stored bytes,
 * header included, for every other codec ({@code java}, custom) and for any row that
 * would not read back exactly in a readable form.
 */
final class ExportValues {

	static final String VALUE = "value";

	static final String VALUE_BASE64 = "valueBase64";

	static final String STORED = "stored";

	/** The codecs whose values have a readable form, by value type. */
	private static final Map<String, String> BY_TYPE = Map.of(String.class.getName(), "string", Long.class.getName(),
			"long", Integer.class.getName(), "int", Double.class.getName(), "double", Boolean.class.getName(),
			"boolean", byte[].class.getName(), "bytes");

	private static final long CANONICAL_NAN = Double.doubleToRawLongBits(Double.NaN);

	private ExportValues() {
	}

	/**
	 * Return the codec whose form a {@code value} field is read in: the dict's own codec
	 * when it is built in and not {@code java}, else the built-in codec of the value
	 * type, else {@code null}.
	 */
	static @Nullable String readableCodec(String codecId, String valueType) {
		if (BY_TYPE.containsValue(codecId) || codecId.equals("json")) {
			return codecId;
		}
		return BY_TYPE.get(valueType);
	}

	// ---- export

	/** Write the value field of a stored value. */
	static void write(JsonGenerator out, byte[] stored, JsonFactory json) {
		byte[] payload;
		String codec;
		try {
			codec = ValueFormat.codecIdOf(ValueFormat.tag(stored));
			payload = ValueFormat.payload(stored);
		}
		catch (CodecException ex) {
			writeStored(out, stored);
			return;
		}
		boolean written = switch (codec) {
			case "bytes" -> writeBytes(out, payload);
			case "string" -> writeString(out, payload);
			case "long" -> writeNumber(out, payload, Long.BYTES);
			case "int" -> writeNumber(out, payload, Integer.BYTES);
			case "double" -> writeDouble(out, payload);
			case "boolean" -> writeBoolean(out, payload);
			case "json" -> writeJson(out, payload, json);
			default -> false;
		};
		if (!written) {
			writeStored(out, stored);
		}
	}

	private static void writeStored(JsonGenerator out, byte[] stored) {
		out.writeName(STORED);
		out.writeBinary(stored);
	}

	private static boolean writeBytes(JsonGenerator out, byte[] payload) {
		out.writeName(VALUE_BASE64);
		out.writeBinary(payload);
		return true;
	}

	private static boolean writeString(JsonGenerator out, byte[] payload) {
		try {
			// strict: a string that decodes with replacements would not read back exactly
			CharBuffer text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(payload));
			out.writeStringProperty(VALUE, text.toString());
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	private static boolean writeNumber(JsonGenerator out, byte[] payload, int length) {
		if (payload.length != length) {
			return false;
		}
		if (length == Long.BYTES) {
			out.writeNumberProperty(VALUE, ByteBuffer.wrap(payload).getLong());
		}
		else {
			out.writeNumberProperty(VALUE, ByteBuffer.wrap(payload).getInt());
		}
		return true;
	}

	private static boolean writeDouble(JsonGenerator out, byte[] payload) {
		if (payload.length != Double.BYTES) {
			return false;
		}
		long bits = ByteBuffer.wrap(payload).getLong();
		double value = Double.longBitsToDouble(bits);
		if (Double.isNaN(value)) {
			if (bits != CANONICAL_NAN) {
				// a NaN with a payload of its own: only the stored bytes keep it
				return false;
			}
			out.writeStringProperty(VALUE, "NaN");
		}
		else if (Double.isInfinite(value)) {
			out.writeStringProperty(VALUE, (value > 0) ? "Infinity" : "-Infinity");
		}
		else {
			out.writeNumberProperty(VALUE, value);
		}
		return true;
	}

	private static boolean writeBoolean(JsonGenerator out, byte[] payload) {
		if (payload.length != 1 || (payload[0] != 0 && payload[0] != 1)) {
			return false;
		}
		out.writeBooleanProperty(VALUE, payload[0] == 1);
		return true;
	}

	/**
	 * Write a JSON value as itself, numbers exactly as written; a payload that is not one
	 * JSON value goes as stored bytes.
	 */
	private static boolean writeJson(JsonGenerator out, byte[] payload, JsonFactory json) {
		try (JsonParser check = json.createParser(ObjectReadContext.empty(), payload)) {
			if (check.nextToken() == null) {
				return false;
			}
			check.skipChildren();
			if (check.nextToken() != null) {
				return false;
			}
		}
		catch (JacksonException ex) {
			return false;
		}
		out.writeName(VALUE);
		try (JsonParser in = json.createParser(ObjectReadContext.empty(), payload)) {
			in.nextToken();
			copy(in, out);
		}
		return true;
	}

	/**
	 * Copy the current JSON value with every number as its text: Jackson's
	 * {@code copyCurrentStructureExact} goes through {@code BigDecimal}, which turns
	 * {@code -0.0} into {@code 0.0}.
	 */
	static void copy(JsonParser in, JsonGenerator out) {
		int depth = 0;
		JsonToken token = in.currentToken();
		while (token != null) {
			if (token.isNumeric()) {
				out.writeNumber(in.getString());
			}
			else {
				out.copyCurrentEvent(in);
			}
			depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
			if (depth == 0) {
				return;
			}
			token = in.nextToken();
		}
	}

	// ---- import

	/**
	 * Read the current token, a {@code value} field's, as the payload of a codec.
	 * @param in the parser, at the field's value
	 * @param codec the codec of {@link #readableCodec}, or {@code null} for none
	 * @param json the factory, for a {@code json} value
	 * @return the codec's payload
	 * @throws IllegalArgumentException if the token is not a value of that codec
	 */
	static byte[] read(JsonParser in, @Nullable String codec, JsonFactory json) {
		JsonToken token = in.currentToken();
		if (token == JsonToken.VALUE_NULL) {
			throw new IllegalArgumentException("its value is null, which a dict never holds");
		}
		if (codec == null) {
			throw new IllegalArgumentException("the dict's codec has no readable form, so its values come as '" + STORED
					+ "' (base64 of the stored bytes, as export writes them), not as '" + VALUE + "'");
		}
		try {
			return switch (codec) {
				case "string" ->
					Codec.string().encode(expect(in, token == JsonToken.VALUE_STRING, "String").getString());
				case "long" -> Codec.longs().encode(integer(in, token, Long.MIN_VALUE, Long.MAX_VALUE, "Long"));
				case "int" ->
					Codec.ints().encode((int) integer(in, token, Integer.MIN_VALUE, Integer.MAX_VALUE, "Integer"));
				case "double" -> Codec.doubles().encode(readDouble(in, token));
				case "boolean" -> Codec.booleans()
					.encode(expect(in, token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, "Boolean")
						.getBooleanValue());
				case "json" -> copy(in, json);
				case "bytes" -> throw new IllegalArgumentException("this dict holds byte[] values, which come as '"
						+ VALUE_BASE64 + "' (base64), not as '" + VALUE + "'");
				default -> throw new IllegalStateException("no readable form for codec " + codec);
			};
		}
		catch (CodecException ex) {
			throw new IllegalArgumentException("its value cannot be stored: " + ex.getMessage(), ex);
		}
	}

	private static JsonParser expect(JsonParser in, boolean ok, String type) {
		if (!ok) {
			throw new IllegalArgumentException("its value is " + kind(in) + ", but this dict holds " + type
					+ " values: was the file exported from a dict with another value type?");
		}
		return in;
	}

	private static long integer(JsonParser in, JsonToken token, long min, long max, String type) {
		expect(in, token == JsonToken.VALUE_NUMBER_INT, type);
		if (in.getNumberType() == JsonParser.NumberType.BIG_INTEGER || in.getLongValue() < min
				|| in.getLongValue() > max) {
			throw new IllegalArgumentException(
					"its value is an integer beyond the range of " + type + ", which this dict holds");
		}
		return in.getLongValue();
	}

	private static double readDouble(JsonParser in, JsonToken token) {
		if (token == JsonToken.VALUE_STRING) {
			return switch (in.getString()) {
				case "NaN" -> Double.NaN;
				case "Infinity" -> Double.POSITIVE_INFINITY;
				case "-Infinity" -> Double.NEGATIVE_INFINITY;
				default -> throw new IllegalArgumentException("its value is a string other than \"NaN\", \"Infinity\""
						+ " and \"-Infinity\", but this dict holds Double values");
			};
		}
		expect(in, token.isNumeric(), "Double");
		// from the text, so that -0 (as jq writes -0.0) keeps its sign
		double value = Double.parseDouble(in.getString());
		if (Double.isInfinite(value)) {
			throw new IllegalArgumentException(
					"its value is a number beyond the range of a Double; write \"Infinity\" if that is meant");
		}
		return value;
	}

	/** Copy a JSON value, numbers exactly as written, to compact UTF-8. */
	private static byte[] copy(JsonParser in, JsonFactory json) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (JsonGenerator out = json.createGenerator(ObjectWriteContext.empty(), bytes, JsonEncoding.UTF8)) {
			copy(in, out);
		}
		return bytes.toByteArray();
	}

	/** Read a base64 field's value. */
	static byte[] base64(JsonParser in, String field) {
		if (in.currentToken() != JsonToken.VALUE_STRING) {
			throw new IllegalArgumentException("'" + field + "' must be a base64 string, found " + kind(in));
		}
		try {
			return Base64.getDecoder().decode(in.getString());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + field + "' is not valid base64");
		}
	}

	/** Say what kind of JSON value the current token is, never what it holds. */
	static String kind(JsonParser in) {
		JsonToken token = in.currentToken();
		if (token == null) {
			return "nothing";
		}
		return switch (token) {
			case START_OBJECT -> "an object";
			case START_ARRAY -> "an array";
			case VALUE_STRING -> "a string";
			case VALUE_NUMBER_INT -> "an integer";
			case VALUE_NUMBER_FLOAT -> "a decimal number";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			default -> token.name();
		};
	}

}
