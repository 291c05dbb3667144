package io.persistentdict.engine;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import io.persistentdict.PersistentDictException;
import org.jspecify.annotations.Nullable;

/**
 * Export and import of a dict as JSON lines: one object per entry, with the key as a JSON
 * string or number (or {@code kb}, base64, for binary keys), the stored value bytes as
 * base64 in {@code v}, and the expiry in epoch milliseconds in {@code x} when it has one.
 * It works on stored rows, so a file written from a typed dict and one written by a tool
 * over the raw rows are the same.
 *
 * <p>
 * Public for the neutral layer's {@code exportTo} and {@code importFrom}, and for tools
 * ({@code io.persistentdict.tools}); not for applications.
 */
public final class JsonLines {

	/**
	 * Where an export reads its rows: one page after another.
	 */
	@FunctionalInterface
	public interface Pages {

		/**
		 * Read the next page of live rows, with their expiry.
		 * @param after where the previous page ended, or {@code null} for the first
		 * @return the page
		 */
		Page next(@Nullable Object after);

	}

	/**
	 * Where an import writes its rows.
	 */
	@FunctionalInterface
	public interface RowSink {

		/**
		 * Take one live row of the file.
		 * @param key the stored key
		 * @param value the stored value bytes, header included
		 * @param expiresAt when it expires, or 0 for never
		 * @throws SQLException if writing it fails
		 * @throws IllegalArgumentException if the row does not belong in the dict, saying
		 * why
		 */
		void accept(Object key, byte[] value, long expiresAt) throws SQLException;

	}

	private JsonLines() {
	}

	/**
	 * Write every live row to a file, replacing it atomically when done; a new file is
	 * readable by its owner only.
	 * @param dict the dict's qualified name, for messages
	 * @param pages the rows
	 * @param requested the file
	 * @return how many rows were written
	 * @throws PersistentDictException if the file cannot be written
	 */
	public static long export(String dict, Pages pages, Path requested) {
		Objects.requireNonNull(requested, "file must not be null");
		Path file = requested.toAbsolutePath();
		Path dir = file.getParent();
		Path temp = null;
		try {
			temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			long count = 0;
			try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
				Object after = null;
				Page page;
				do {
					page = pages.next(after);
					for (Row row : page.rows()) {
						out.write(line(row));
						out.newLine();
						count++;
					}
					after = page.last();
				}
				while (page.more());
			}
			try {
				Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
			}
			return count;
		}
		catch (IOException ex) {
			deleteQuietly(temp);
			throw new PersistentDictException("Export of dict '" + dict + "' to " + file + " failed: " + ex, ex);
		}
	}

	/**
	 * Read a file and hand each row that has not expired to a sink.
	 * @param file the file
	 * @param now the current time, in epoch milliseconds
	 * @param sink where the rows go
	 * @param dict the dict's qualified name, for messages
	 * @return how many rows went to the sink
	 * @throws SQLException if the sink fails
	 * @throws PersistentDictException if the file cannot be read, or a line is not an
	 * export line or not a row of the dict
	 */
	public static long importInto(Path file, long now, RowSink sink, String dict) throws SQLException {
		long count = 0;
		int lineNumber = 0;
		try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			String line;
			while ((line = in.readLine()) != null) {
				lineNumber++;
				if (line.isBlank()) {
					continue;
				}
				Parsed parsed = parse(line);
				if (parsed == null) {
					throw new PersistentDictException("Import into dict '" + dict + "' from " + file + " failed: line "
							+ lineNumber + " is not an export line; nothing was imported");
				}
				if (parsed.expiresAt != 0 && parsed.expiresAt <= now) {
					continue;
				}
				try {
					sink.accept(parsed.key, parsed.value, parsed.expiresAt);
				}
				catch (IllegalArgumentException ex) {
					throw new PersistentDictException("Import into dict '" + dict + "' from " + file + " failed: line "
							+ lineNumber + ": " + ex.getMessage() + " Nothing was imported", ex);
				}
				count++;
			}
		}
		catch (IOException ex) {
			throw new PersistentDictException("Import into dict '" + dict + "' from " + file + " failed: " + ex, ex);
		}
		return count;
	}

	private static String line(Row row) {
		StringBuilder json = new StringBuilder(64 + row.value().length * 4 / 3);
		Object key = row.key();
		if (key instanceof Number number) {
			json.append("{\"k\":").append(number.longValue());
		}
		else if (key instanceof byte[] bytes) {
			json.append("{\"kb\":\"").append(Base64.getEncoder().encodeToString(bytes)).append('"');
		}
		else {
			json.append("{\"k\":");
			quote(json, key.toString());
		}
		json.append(",\"v\":\"").append(Base64.getEncoder().encodeToString(row.value())).append('"');
		if (row.expiresAt() != 0) {
			json.append(",\"x\":").append(row.expiresAt());
		}
		return json.append('}').toString();
	}

	private static void quote(StringBuilder json, String text) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

	private record Parsed(Object key, byte[] value, long expiresAt) {
	}

	/** Parse one line of our own format; return {@code null} if it is not one. */
	private static @Nullable Parsed parse(String line) {
		Cursor cursor = new Cursor(line.trim());
		if (!cursor.take('{')) {
			return null;
		}
		Object key = null;
		byte[] value = null;
		long expiresAt = 0;
		try {
			do {
				String field = cursor.string();
				if (field == null || !cursor.take(':')) {
					return null;
				}
				switch (field) {
					case "k" -> key = cursor.peek('"') ? cursor.string() : cursor.number();
					case "kb" -> key = Base64.getDecoder().decode(Objects.requireNonNull(cursor.string()));
					case "v" -> value = Base64.getDecoder().decode(Objects.requireNonNull(cursor.string()));
					case "x" -> expiresAt = cursor.number();
					default -> {
						return null;
					}
				}
			}
			while (cursor.take(','));
		}
		catch (RuntimeException ex) {
			return null;
		}
		if (!cursor.take('}') || key == null || value == null) {
			return null;
		}
		return new Parsed(key, value, expiresAt);
	}

	private static final class Cursor {

		private final String text;

		private int at;

		Cursor(String text) {
			this.text = text;
		}

		boolean peek(char c) {
			return this.at < this.text.length() && this.text.charAt(this.at) == c;
		}

		boolean take(char c) {
			if (peek(c)) {
				this.at++;
				return true;
			}
			return false;
		}

		long number() {
			int start = this.at;
			if (peek('-')) {
				this.at++;
			}
			while (this.at < this.text.length() && Character.isDigit(this.text.charAt(this.at))) {
				this.at++;
			}
			return Long.parseLong(this.text.substring(start, this.at));
		}

		@Nullable String string() {
			if (!take('"')) {
				return null;
			}
			StringBuilder out = new StringBuilder();
			while (this.at < this.text.length()) {
				char c = this.text.charAt(this.at++);
				if (c == '"') {
					return out.toString();
				}
				if (c == '\\') {
					char escaped = this.text.charAt(this.at++);
					switch (escaped) {
						case 'n' -> out.append('\n');
						case 'r' -> out.append('\r');
						case 't' -> out.append('\t');
						case 'u' -> {
							out.append((char) Integer.parseInt(this.text.substring(this.at, this.at + 4), 16));
							this.at += 4;
						}
						default -> out.append(escaped);
					}
				}
				else {
					out.append(c);
				}
			}
			return null;
		}

	}

	private static void deleteQuietly(@Nullable Path file) {
		if (file != null) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// best effort
			}
		}
	}

}
