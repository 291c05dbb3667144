package io.persistentdict.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.persistentdict.ReadOnlyStoreException;
import io.persistentdict.codec.Codec;
import io.persistentdict.codec.KeyCodec;
import io.persistentdict.engine.CatalogEntry;
import io.persistentdict.engine.Engine;
import io.persistentdict.engine.JsonLines;
import io.persistentdict.engine.Page;
import io.persistentdict.engine.Row;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Totals;
import io.persistentdict.engine.Upsert;
import io.persistentdict.engine.ValueFormat;
import org.jspecify.annotations.Nullable;

/**
 * One dict of a {@link RawStore}, by its stored keys and value bytes: reads, writes of
 * values in the dict's own codec, export and import. Its catalog entry is read once and
 * never written.
 */
public final class RawDict {

	/** Rows per page of an export. */
	private static final int EXPORT_PAGE = 512;

	/** The value types whose built-in codecs this path may run, by class name. */
	private static final Map<String, Class<?>> BUILTIN_VALUES = Map.of(String.class.getName(), String.class,
			Long.class.getName(), Long.class, Integer.class.getName(), Integer.class, Double.class.getName(),
			Double.class, Boolean.class.getName(), Boolean.class, byte[].class.getName(), byte[].class);

	private final Engine engine;

	private final CatalogEntry entry;

	private final TableStore table;

	private final String name;

	RawDict(Engine engine, CatalogEntry entry, TableStore table) {
		this.engine = engine;
		this.entry = entry;
		this.table = table;
		this.name = entry.qualifiedName();
	}

	/**
	 * Return the dict's catalog entry, as the store has it.
	 * @return the entry
	 */
	public CatalogEntry entry() {
		return this.entry;
	}

	/**
	 * Return the dict's qualified name, {@code namespace:name}.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	// ---- keys

	/**
	 * Parse a key given as text by the dict's key type, and return its stored form. A key
	 * codec that is not built in is taken to store the text as it is.
	 * @param text the key, as {@code String}, {@code Long}, {@code Integer} or
	 * {@code UUID} text
	 * @return the stored key
	 * @throws IllegalArgumentException if the text is not a key of that type, saying why
	 */
	public Object parseKey(String text) {
		Objects.requireNonNull(text, "text must not be null");
		try {
			return switch (this.entry.keyCodec()) {
				case "string" -> KeyCodec.string().encode(text);
				case "long" -> KeyCodec.longs().encode(Long.valueOf(text.trim()));
				case "int" -> KeyCodec.ints().encode(Integer.valueOf(text.trim()));
				case "uuid" -> KeyCodec.uuids().encode(UUID.fromString(text.trim()));
				default -> text;
			};
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Key '" + text + "' is not a " + simpleName(this.entry.keyType())
					+ " key, which dict '" + this.name + "' has: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Return a stored key as text: as the key type prints it, or base64 for binary keys.
	 * @param stored the stored key
	 * @return the text
	 */
	public static String keyText(Object stored) {
		return (stored instanceof byte[] bytes) ? Base64.getEncoder().encodeToString(bytes) : stored.toString();
	}

	private static String simpleName(String className) {
		return className.substring(className.lastIndexOf('.') + 1);
	}

	// ---- reads

	/**
	 * Read a live entry.
	 * @param key the stored key
	 * @return the entry, or {@code null} if it is missing or expired
	 */
	public @Nullable RawEntry get(Object key) {
		Objects.requireNonNull(key, "key must not be null");
		Row row = this.engine.read((s) -> this.table.get(s, key), this.name);
		return (row != null && row.isLive(now())) ? RawEntry.of(row, this.entry.valueCodec()) : null;
	}

	/**
	 * Read one page of live rows in key order, with their expiry.
	 * @param after where the previous page ended ({@link Page#last()}), or {@code null}
	 * @param from the lowest key, inclusive, or {@code null}
	 * @param limit the most rows
	 * @return the page
	 */
	public Page page(@Nullable Object after, @Nullable Object from, int limit) {
		long now = now();
		Page page = this.engine.read((s) -> this.table.page(s, after, from, null, now, limit, true, true), this.name);
		return (page != null) ? page : Page.EMPTY;
	}

	/**
	 * Read a row's value header and bytes.
	 * @param row a row of {@link #page}
	 * @return the entry
	 */
	public RawEntry entry(Row row) {
		return RawEntry.of(row, this.entry.valueCodec());
	}

	/**
	 * Count the live entries.
	 * @return the count
	 */
	public long count() {
		return count(now());
	}

	/**
	 * Count the entries that have expired but are not swept yet.
	 * @return the count
	 */
	public long expired() {
		// at the earliest time every row is live: that count is every row
		return count(Long.MIN_VALUE) - count();
	}

	/**
	 * Return the bytes of keys and values as stored, expired entries not yet swept
	 * included, from the engine's exact counts.
	 * @return the bytes
	 */
	public long bytes() {
		Totals totals = this.engine.read(this.table::totals, this.name);
		return (totals != null) ? totals.bytes() : 0;
	}

	private long count(long now) {
		Long count = this.engine.read((s) -> this.table.count(s, now), this.name);
		return (count != null) ? count : 0;
	}

	// ---- writes

	/**
	 * Store a value written by the dict's own codec, as a typed {@code put} would, with
	 * the dict's compression.
	 * @param key the stored key
	 * @param value the codec's bytes
	 * @param ttl the time to live, or {@code null} for the dict's TTL
	 * @throws IllegalStateException for a dict whose codec is {@code java} (the
	 * application would deserialize what this wrote) or not built in
	 * @throws ReadOnlyStoreException if the store is read-only
	 */
	public void put(Object key, byte[] value, @Nullable Duration ttl) {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(value, "value must not be null");
		int tag = ValueFormat.tagOf(this.entry.valueCodec());
		checkWritable(tag, "write values to");
		long ttlMillis = (ttl != null) ? ttl.toMillis() : this.entry.ttlMillis();
		long expiresAt = (ttlMillis > 0) ? now() + ttlMillis : 0;
		byte[] stored = ValueFormat.write(value, tag, this.entry.compressionThreshold());
		this.engine.writes().submit(new Upsert(this.table, key, stored, expiresAt), true);
	}

	/**
	 * Remove a live entry.
	 * @param key the stored key
	 * @return whether a live entry was removed
	 * @throws ReadOnlyStoreException if the store is read-only
	 */
	public boolean remove(Object key) {
		Objects.requireNonNull(key, "key must not be null");
		long now = now();
		Integer removed = this.engine.writes().submit((w) -> {
			Row row = this.table.get(w, key);
			return (row != null && row.isLive(now)) ? this.table.delete(w, key) : 0;
		}, false);
		return removed != null && removed > 0;
	}

	// ---- export and import

	/**
	 * Export the live entries as readable JSON lines, the format of
	 * {@link io.persistentdict.PersistentDict#exportTo(Path)}.
	 * @param file the file, replaced atomically
	 * @return how many entries were written
	 */
	public long exportTo(Path file) {
		return JsonLines.export(where(), (after) -> page(after, null, EXPORT_PAGE), file);
	}

	/**
	 * Import entries as {@link #exportTo} and
	 * {@link io.persistentdict.PersistentDict#exportTo(Path)} write them (any sequence of
	 * JSON objects, as {@link io.persistentdict.PersistentDict#importFrom(Path)} reads
	 * them), all in one transaction: each entry's key must be one of the dict's key type,
	 * and its value one the dict can read; a {@code java}-codec value is refused in any
	 * dict. Entries that have expired are skipped.
	 * @param file the file
	 * @return how many entries were imported
	 * @throws io.persistentdict.PersistentDictException if a line is refused; then
	 * nothing is imported
	 */
	public long importFrom(Path file) {
		Objects.requireNonNull(file, "file must not be null");
		checkWritable(ValueFormat.tagOf(this.entry.valueCodec()), "import into");
		Long count = this.engine.writes()
			.exclusive((w) -> JsonLines.importInto(file, now(), target(), (key, value, expiresAt) -> {
				checkImported(key, value);
				this.table.upsert(w, key, value, expiresAt);
			}));
		return (count != null) ? count : 0;
	}

	private String where() {
		return "dict '" + this.name + "' of store " + this.engine.errors().location();
	}

	private JsonLines.Target target() {
		return JsonLines.Target.of(where(), this.entry.valueCodec(), this.entry.valueType(),
				this.entry.compressionThreshold());
	}

	private void checkWritable(int tag, String action) {
		if (tag == ValueFormat.tagOf("java")) {
			throw new IllegalStateException("Dict '" + this.name + "' stores " + this.entry.valueType()
					+ " values with the java codec: tools never " + action
					+ " it, since the application would deserialize what they wrote; write through the application");
		}
		if (tag == ValueFormat.CUSTOM) {
			throw new IllegalStateException("Dict '" + this.name + "' stores values with the application's codec '"
					+ this.entry.valueCodec() + "', which tools do not have; write through the application");
		}
	}

	private void checkImported(Object key, byte[] stored) {
		Object again;
		try {
			again = parseKey(keyText(key));
		}
		catch (IllegalArgumentException ex) {
			again = null;
		}
		if (key instanceof byte[] || !key.equals(again)) {
			throw new IllegalArgumentException("its key is not a " + simpleName(this.entry.keyType())
					+ " key of this dict: was the file exported from a dict with another key type?");
		}
		int tag = ValueFormat.tag(stored);
		if (tag == ValueFormat.tagOf("java")) {
			throw new IllegalArgumentException("its value was written by the java codec, which tools never import:"
					+ " the application would deserialize it");
		}
		Class<?> type = BUILTIN_VALUES.get(this.entry.valueType());
		try {
			byte[] payload = ValueFormat.payload(stored);
			if (type != null) {
				Codec.named(ValueFormat.codecIdOf(tag), type, List.of()).decode(payload);
			}
			else if (tag != ValueFormat.tagOf(this.entry.valueCodec())) {
				throw new IllegalArgumentException("codec " + ValueFormat.codecIdOf(tag) + " wrote it");
			}
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"its value is not a " + simpleName(this.entry.valueType()) + " this dict can read ("
							+ ex.getMessage() + "): was the file exported from a dict with another value type?",
					ex);
		}
	}

	private long now() {
		return this.engine.options().clock().millis();
	}

}
