package io.persistentdict.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.persistentdict.codec.Codec;
import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawEntry;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Values without the application's classes: the built-in codecs' values decoded, JSON as
 * its text, and only the class name and size of anything else. Nothing here ever
 * deserializes a Java object.
 */
final class Values {

	private static final JsonFactory JSON = JsonFactory.builder().build();

	private Values() {
	}

	/**
	 * Return the fields that show an entry's value: {@code value}, or {@code null} and a
	 * {@code note} that says what the value is when the tool cannot show it.
	 */
	static Map<String, @Nullable Object> shown(RawDict dict, RawEntry entry) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		byte[] payload = entry.value();
		Object value = switch (entry.codecId()) {
			case "string" -> new String(payload, StandardCharsets.UTF_8);
			case "long" -> Codec.longs().decode(payload);
			case "int" -> Codec.ints().decode(payload);
			case "double" -> Codec.doubles().decode(payload);
			case "boolean" -> Codec.booleans().decode(payload);
			case "bytes" -> Base64.getEncoder().encodeToString(payload);
			case "json" -> new Out.JsonText(payload);
			default -> null;
		};
		fields.put("value", value);
		if (value == null) {
			fields.put("note", "java".equals(entry.codecId())
					? "java-serialized " + dict.entry().valueType() + ", " + payload.length + " bytes: not deserialized"
					: "written by the application's codec '" + entry.codecId() + "', " + payload.length + " bytes");
		}
		else if ("bytes".equals(entry.codecId())) {
			fields.put("note", "bytes, shown as base64");
		}
		return fields;
	}

	/**
	 * Parse a value given on the command line for a dict's codec.
	 * @return the codec's bytes
	 * @throws CliException if the dict's codec takes no such value, or the text does not
	 * parse
	 */
	static byte[] parse(RawDict dict, String text) {
		String codec = dict.entry().valueCodec();
		String type = dict.entry().valueType();
		try {
			return switch (codec) {
				case "string" -> Codec.string().encode(text);
				case "long" -> Codec.longs().encode(Long.valueOf(text.trim()));
				case "int" -> Codec.ints().encode(Integer.valueOf(text.trim()));
				case "double" -> Codec.doubles().encode(Double.valueOf(text.trim()));
				case "boolean" -> Codec.booleans().encode(parseBoolean(text.trim()));
				case "json" -> checkJson(text);
				default -> throw new CliException("Dict '" + dict.name() + "' stores " + type + " values with the "
						+ codec + " codec: put takes values of String, number, boolean and json dicts only;"
						+ " write this dict through the application");
			};
		}
		catch (IllegalArgumentException ex) {
			throw new CliException("VALUE '" + text + "' is not a " + type + ", which dict '" + dict.name()
					+ "' holds: " + ex.getMessage(), ex);
		}
	}

	private static Boolean parseBoolean(String text) {
		if (text.equals("true") || text.equals("false")) {
			return Boolean.valueOf(text);
		}
		throw new IllegalArgumentException("give true or false");
	}

	/** Check that the text is one JSON value, and return its UTF-8 bytes. */
	private static byte[] checkJson(String text) {
		byte[] utf8 = text.trim().getBytes(StandardCharsets.UTF_8);
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), utf8)) {
			if (parser.nextToken() == null) {
				throw new IllegalArgumentException("it is empty");
			}
			parser.skipChildren();
			if (parser.nextToken() != null) {
				throw new IllegalArgumentException("more follows the first JSON value");
			}
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		return utf8;
	}

}
