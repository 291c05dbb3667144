package io.persistentdict.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * What a command prints: one object of fields, whose list fields are tables, or a stream
 * of rows. As text, fields print as aligned {@code name  value} lines and lists as
 * aligned columns; with {@code --json}, as one JSON object, or one JSON line a row,
 * written by Jackson's streaming API.
 *
 * <p>
 * Field values are {@code String}, numbers, {@code Boolean}, {@code null} (text:
 * {@code -}), {@link Instant} (ISO-8601), {@link Duration} (text: {@code 30m}; JSON:
 * ISO-8601), {@link Bytes}, {@link JsonText} (JSON: the value itself), and lists of field
 * maps.
 */
final class Out {

	/** Closing a generator must not close standard output. */
	private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

	private final PrintWriter out;

	private final PrintWriter err;

	private final boolean json;

	Out(PrintWriter out, PrintWriter err, boolean json) {
		this.out = out;
		this.err = err;
		this.json = json;
	}

	/** A size in bytes: text shows it readable. */
	record Bytes(long bytes) {
	}

	/** A value that is JSON text: JSON output embeds it as a value. */
	record JsonText(byte[] utf8) {

		@Override
		public String toString() {
			return new String(this.utf8, StandardCharsets.UTF_8);
		}

	}

	boolean json() {
		return this.json;
	}

	/** Print one object. */
	void object(Map<String, @Nullable Object> fields) {
		if (this.json) {
			jsonLine(fields);
		}
		else {
			int width = 0;
			for (Map.Entry<String, @Nullable Object> field : fields.entrySet()) {
				if (!(field.getValue() instanceof List)) {
					width = Math.max(width, field.getKey().length());
				}
			}
			for (Map.Entry<String, @Nullable Object> field : fields.entrySet()) {
				if (field.getValue() instanceof List<?> rows) {
					this.out.println();
					table(rows);
				}
				else {
					this.out.println(pad(field.getKey(), width) + "  " + text(field.getValue()));
				}
			}
		}
		this.out.flush();
	}

	/** Print one row of a stream: a JSON line, or the row's values in one line. */
	void row(Map<String, @Nullable Object> fields) {
		if (this.json) {
			jsonLine(fields);
		}
		else {
			List<String> values = new ArrayList<>();
			for (Object value : fields.values()) {
				if (value != null) {
					values.add(text(value));
				}
			}
			this.out.println(String.join("  ", values));
		}
	}

	private void jsonLine(Map<String, @Nullable Object> fields) {
		try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), this.out)) {
			write(generator, fields);
		}
		this.out.println();
	}

	/** Print a note for the user on standard error, never in the output. */
	void note(String message) {
		this.out.flush();
		this.err.println(message);
		this.err.flush();
	}

	void flush() {
		this.out.flush();
	}

	private void table(List<?> rows) {
		if (rows.isEmpty()) {
			this.out.println("(none)");
			return;
		}
		List<String> columns = new ArrayList<>(
				((Map<?, ?>) rows.get(0)).keySet().stream().map(String::valueOf).toList());
		int[] widths = new int[columns.size()];
		List<List<String>> cells = new ArrayList<>();
		for (int i = 0; i < columns.size(); i++) {
			widths[i] = columns.get(i).length();
		}
		for (Object row : rows) {
			List<String> line = new ArrayList<>();
			for (int i = 0; i < columns.size(); i++) {
				String cell = text(((Map<?, ?>) row).get(columns.get(i)));
				widths[i] = Math.max(widths[i], cell.length());
				line.add(cell);
			}
			cells.add(line);
		}
		printLine(columns, widths);
		for (List<String> line : cells) {
			printLine(line, widths);
		}
	}

	private void printLine(List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < cells.size(); i++) {
			line.append((i < cells.size() - 1) ? pad(cells.get(i), widths[i]) + "  " : cells.get(i));
		}
		this.out.println(line.toString().stripTrailing());
	}

	private static String pad(String text, int width) {
		return text + " ".repeat(Math.max(0, width - text.length()));
	}

	static String text(@Nullable Object value) {
		if (value == null) {
			return "-";
		}
		if (value instanceof Duration duration) {
			return Durations.format(duration);
		}
		if (value instanceof Bytes bytes) {
			return Sizes.format(bytes.bytes());
		}
		return value.toString();
	}

	private static void write(JsonGenerator generator, Map<?, ?> fields) {
		generator.writeStartObject();
		for (Map.Entry<?, ?> field : fields.entrySet()) {
			generator.writeName(String.valueOf(field.getKey()));
			value(generator, field.getValue());
		}
		generator.writeEndObject();
	}

	private static void value(JsonGenerator generator, @Nullable Object value) {
		if (value == null) {
			generator.writeNull();
		}
		else if (value instanceof Long || value instanceof Integer) {
			generator.writeNumber(((Number) value).longValue());
		}
		else if (value instanceof Double number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Boolean bool) {
			generator.writeBoolean(bool);
		}
		else if (value instanceof Bytes bytes) {
			generator.writeNumber(bytes.bytes());
		}
		else if (value instanceof JsonText text) {
			try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), text.utf8())) {
				parser.nextToken();
				generator.copyCurrentStructure(parser);
			}
		}
		else if (value instanceof List<?> list) {
			generator.writeStartArray();
			for (Object item : list) {
				if (item instanceof Map<?, ?> map) {
					write(generator, map);
				}
				else {
					value(generator, item);
				}
			}
			generator.writeEndArray();
		}
		else {
			// String, Instant and Duration (ISO-8601), and anything else by its text
			generator.writeString(value.toString());
		}
	}

}
