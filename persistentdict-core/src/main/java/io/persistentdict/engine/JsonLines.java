package io.persistentdict.engine;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Objects;

import io.persistentdict.PersistentDictException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Export and import of a dict as JSON, one object per entry and one entry per line:
 *
 * <pre>
 * {"key":"u1","value":"alice","expiresAt":"2026-12-03T10:15:30Z"}
 * </pre>
 *
 * The key is a JSON string or integer, as it is stored ({@code keyBase64} for binary
 * keys); the value is in the most readable form its codec allows (see
 * {@link ExportValues}); {@code expiresAt} is an ISO-8601 instant, absent for no expiry.
 * An import reads any sequence of JSON objects (one a line, pretty-printed over several,
 * or the elements of top-level arrays), and the first format's lines ({@code k},
 * {@code kb}, {@code v}, {@code x}) too. It works on stored rows, so a file written from
 * a typed dict and one written by a tool over the raw rows are the same. Reading and
 * writing go through Jackson's streaming API.
 *
 * <p>
 * Public for the neutral layer's {@code exportTo} and {@code importFrom}, and for tools
 * ({@code io.persistentdict.tools}); not for applications.
 */
public final class JsonLines {

	/**
	 * One JSON reader and writer for every export: strings as long as a value can be, and
	 * no separator between root values, since each line ends with its own newline.
	 */
	private static final JsonFactory JSON = JsonFactory.builder()
		.streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
		.rootValueSeparator((String) null)
		.build();

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

	/**
	 * The dict an import writes to, as the file's lines need it.
	 *
	 * @param where the dict and its store, for messages: {@code dict 'map:users' of store
	 * data/app.db}
	 * @param valueCodec the codec a {@code value} field is stored with, from
	 * {@link #readableCodec}, or {@code null} when the dict's values have no readable
	 * form
	 * @param compressionThreshold the dict's compression threshold, or a negative number
	 * for never
	 */
	public record Target(String where, @Nullable String valueCodec, int compressionThreshold) {

		/**
		 * Create the target of a dict.
		 * @param where the dict and its store, for messages
		 * @param codecId the dict's value codec
		 * @param valueType the dict's value type, by class name
		 * @param compressionThreshold the dict's compression threshold
		 * @return the target
		 */
		public static Target of(String where, String codecId, String valueType, int compressionThreshold) {
			return new Target(where, readableCodec(codecId, valueType), compressionThreshold);
		}

	}

	private JsonLines() {
	}

	/**
	 * Return the codec whose readable form a {@code value} field holds for a dict: its
	 * own codec when that is built in and not {@code java}, else the built-in codec of
	 * its value type ({@code String}, the boxed primitives, {@code byte[]}), else
	 * {@code null}.
	 * @param codecId the dict's value codec
	 * @param valueType the dict's value type, by class name
	 * @return the codec, or {@code null}
	 */
	public static @Nullable String readableCodec(String codecId, String valueType) {
		return ExportValues.readableCodec(codecId, valueType);
	}

	/**
	 * Write every live row to a file, one JSON object a line, replacing the file
	 * atomically when done; a new file is readable by its owner only.
	 * @param where the dict and its store, for messages
	 * @param pages the rows
	 * @param requested the file
	 * @return how many rows were written
	 * @throws PersistentDictException if the file cannot be written
	 */
	public static long export(String where, Pages pages, Path requested) {
		Objects.requireNonNull(requested, "file must not be null");
		Path file = requested.toAbsolutePath();
		Path dir = file.getParent();
		Path temp = null;
		try {
			temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			long count = 0;
			try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(temp), 64 * 1024);
					JsonGenerator out = JSON.createGenerator(ObjectWriteContext.empty(), stream, JsonEncoding.UTF8)) {
				Object after = null;
				Page page;
				do {
					page = pages.next(after);
					for (Row row : page.rows()) {
						ExportLine.write(out, row, JSON);
						out.writeRaw('\n');
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
		catch (IOException | JacksonException ex) {
			deleteQuietly(temp);
			Throwable cause = (ex instanceof JacksonIOException && ex.getCause() != null) ? ex.getCause() : ex;
			throw new PersistentDictException("Export of " + where + " to " + file + " failed: " + cause, cause);
		}
	}

	/**
	 * Guess, from its size, how many entries a file holds at most: an entry takes 20
	 * bytes or more (<code>{"key":"k","value":1}</code>), and usually well above 32.
	 * @param file the file
	 * @return its size over 32, or 0 when it cannot be read (importing it then says why)
	 */
	public static long estimatedEntries(Path file) {
		try {
			return Files.size(file) / 32;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * Read a file and hand each entry that has not expired to a sink. The sink is
	 * expected to write them all in one transaction: an entry that is refused throws,
	 * after the sink has taken the entries before it.
	 * @param file the file
	 * @param now the current time, in epoch milliseconds
	 * @param target the dict
	 * @param sink where the rows go
	 * @return how many rows went to the sink
	 * @throws SQLException if the sink fails
	 * @throws PersistentDictException if the file cannot be read, or an entry is not
	 * valid JSON, not an entry or not a row of the dict, naming its line
	 */
	public static long importInto(Path file, long now, Target target, RowSink sink) throws SQLException {
		long count = 0;
		try (InputStream stream = Files.newInputStream(file);
				JsonParser in = JSON.createParser(ObjectReadContext.empty(), stream)) {
			boolean inArray = false;
			for (JsonToken token = in.nextToken(); token != null; token = in.nextToken()) {
				if (token == JsonToken.START_ARRAY && !inArray) {
					inArray = true;
					continue;
				}
				if (token == JsonToken.END_ARRAY && inArray) {
					inArray = false;
					continue;
				}
				int start = line(in);
				if (token != JsonToken.START_OBJECT) {
					throw refused(target, file, "line " + start,
							"each entry is a JSON object, but this is " + ExportValues.kind(in), null);
				}
				ExportLine line;
				try {
					line = ExportLine.read(in, target, JSON);
				}
				catch (IllegalArgumentException ex) {
					int at = line(in);
					String where = (at == start) ? "line " + at
							: "line " + at + " (in the entry from line " + start + ")";
					throw refused(target, file, where, ex.getMessage(), ex);
				}
				if (line.expiresAt() != 0 && line.expiresAt() <= now) {
					continue;
				}
				try {
					sink.accept(line.key(), line.stored(), line.expiresAt());
				}
				catch (IllegalArgumentException ex) {
					int end = line(in);
					throw refused(target, file, (end == start) ? "line " + start : "lines " + start + "-" + end,
							ex.getMessage(), ex);
				}
				count++;
			}
		}
		catch (JacksonIOException ex) {
			throw unreadable(target, file, (ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (JacksonException ex) {
			throw refused(target, file, location(ex.getLocation()), notJson(ex), null);
		}
		catch (IOException ex) {
			throw unreadable(target, file, ex);
		}
		return count;
	}

	private static int line(JsonParser in) {
		return in.currentTokenLocation().getLineNr();
	}

	private static String location(@Nullable TokenStreamLocation at) {
		if (at == null || at.getLineNr() < 1) {
			return "an unknown line";
		}
		return "line " + at.getLineNr() + ", column " + at.getColumnNr();
	}

	/**
	 * Say why a file is not JSON without Jackson's own words, which quote what they could
	 * not read.
	 */
	private static String notJson(JacksonException ex) {
		if (ex instanceof StreamConstraintsException) {
			return "it goes past a limit of the JSON reader (" + ex.getOriginalMessage() + ")";
		}
		return "it is not valid JSON (an export is a sequence of JSON objects, one for each entry,"
				+ " with strings in double quotes)";
	}

	private static PersistentDictException refused(Target target, Path file, String where, @Nullable String reason,
			@Nullable Throwable cause) {
		String said = String.valueOf(reason);
		String stop = (said.endsWith("?") || said.endsWith(".")) ? " " : ". ";
		return new PersistentDictException("Import into " + target.where() + " from " + file + " failed at " + where
				+ ": " + said + stop + "Nothing was imported: fix or remove that entry and import the file again",
				cause);
	}

	private static PersistentDictException unreadable(Target target, Path file, Throwable cause) {
		return new PersistentDictException(
				"Import into " + target.where() + " from " + file + " failed: " + cause + "; nothing was imported",
				cause);
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
