package io.persistentdict.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

import javax.sql.DataSource;

import io.persistentdict.DictSpec;
import io.persistentdict.Layout;
import io.persistentdict.OpenMode;
import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.StoreOptions;
import io.persistentdict.engine.CatalogEntry;
import io.persistentdict.engine.Engine;
import io.persistentdict.engine.EngineProvider;
import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Storage;
import io.persistentdict.engine.TableStore;
import io.persistentdict.sqlite.SqliteEngine;
import org.jspecify.annotations.Nullable;

/**
 * An existing store file opened for tools: its catalog as it is, its dicts by stored keys
 * and value bytes ({@link RawDict}), and its maintenance. Opening it runs the checks of
 * {@link io.persistentdict.DictStore#open(Path)}, so a foreign, corrupt or newer file is
 * refused the same way, but it never creates a file and never writes the catalog. A store
 * on a database ({@link #connect(DataSource, boolean)}) opens through the engine that
 * {@link io.persistentdict.DictStore#connect(DataSource)} would find, and never creates
 * its schema.
 *
 * <p>
 * Read-only stores ({@code writable} false) open with {@link OpenMode#READ_ONLY}: nothing
 * they do can change the file, and they work beside an application that has the store
 * open.
 */
public final class RawStore implements AutoCloseable {

	private final Engine engine;

	private RawStore(Engine engine) {
		this.engine = engine;
	}

	/**
	 * Open an existing store file.
	 * @param file the file
	 * @param writable whether to open it for writing; otherwise it opens with
	 * {@link OpenMode#READ_ONLY}
	 * @return the store
	 * @throws StoreOpenException if the file does not exist, is empty, or
	 * {@code DictStore.open} would refuse it
	 */
	public static RawStore open(Path file, boolean writable) {
		Objects.requireNonNull(file, "file must not be null");
		Path path = file.toAbsolutePath().normalize();
		checkExists(path);
		StoreOptions options = StoreOptions.builder()
			.openMode(writable ? OpenMode.CREATE : OpenMode.READ_ONLY)
			.readPoolSize(1)
			.build();
		return new RawStore(SqliteEngine.openFile(path, options));
	}

	/**
	 * Open an existing store on the database behind a data source, through the engine
	 * that {@link io.persistentdict.DictStore#connect(DataSource)} finds by
	 * {@link ServiceLoader}. It never creates the schema: a database without one is
	 * refused with {@link Reason#NO_SCHEMA}.
	 * @param dataSource the data source, which the store never closes
	 * @param writable whether to open it for writing; otherwise it opens with
	 * {@link OpenMode#READ_ONLY}
	 * @return the store
	 * @throws StoreOpenException if the database cannot be reached, no engine on the
	 * class path serves it, or it has no persistentdict schema
	 */
	public static RawStore connect(DataSource dataSource, boolean writable) {
		Objects.requireNonNull(dataSource, "dataSource must not be null");
		StoreOptions options = StoreOptions.builder()
			.openMode(writable ? OpenMode.CREATE : OpenMode.READ_ONLY)
			.createSchema(false)
			.build();
		String product = productName(dataSource);
		for (EngineProvider provider : ServiceLoader.load(EngineProvider.class, RawStore.class.getClassLoader())) {
			if (provider.supports(product)) {
				return new RawStore(provider.connect(dataSource, options));
			}
		}
		throw new StoreOpenException(null, Reason.ENGINE_MISSING,
				"The database is " + product + ", which no persistentdict engine on the class path serves", null);
	}

	private static String productName(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getMetaData().getDatabaseProductName();
		}
		catch (SQLException ex) {
			String why = String.valueOf(ex.getMessage()).replaceFirst("\\.$", "");
			throw new StoreOpenException(null, Reason.UNREACHABLE, "Could not connect to the database: " + why
					+ "; check that it is running and reachable, and the URL, user and password", ex);
		}
	}

	private static void checkExists(Path path) {
		if (!Files.exists(path)) {
			throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
					"Store " + path + " does not exist; check the path (tools never create a store)", null);
		}
		try {
			if (Files.isRegularFile(path) && Files.size(path) == 0) {
				throw new StoreOpenException(path, Reason.NOT_SQLITE, "Store " + path
						+ " is an empty file, not a persistentdict store; check the path (tools never create a store)",
						null);
			}
		}
		catch (IOException ex) {
			throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
					"Store " + path + " cannot be read: " + ex + "; check its permissions", ex);
		}
	}

	/**
	 * Return the store's location, for messages.
	 * @return the file's path, or the database's URL without its user and parameters
	 */
	public String location() {
		return this.engine.errors().location();
	}

	/**
	 * Return the store's file.
	 * @return the file, or {@code null} for a store on a database
	 */
	public @Nullable Path path() {
		return this.engine.path();
	}

	/**
	 * Return the name of the store's engine, such as {@code SQLite} or
	 * {@code PostgreSQL}.
	 * @return the name
	 */
	public String engineName() {
		return this.engine.name();
	}

	/**
	 * Return whether the store was opened read-only.
	 * @return whether it is
	 */
	public boolean readOnly() {
		return this.engine.readOnly();
	}

	/**
	 * Return the catalog: every dict's entry, by namespace and name.
	 * @return the entries
	 */
	public List<CatalogEntry> dicts() {
		List<CatalogEntry> entries = this.engine.read((s) -> this.engine.catalog().all(s), null);
		return (entries != null) ? entries : List.of();
	}

	/**
	 * Find a dict, without changing its catalog entry.
	 * @param name the qualified name ({@code cache:books}), or a bare name for a map
	 * ({@code users} is {@code map:users})
	 * @return the dict, or {@code null} if the store has none of that name
	 */
	public @Nullable RawDict dict(String name) {
		Objects.requireNonNull(name, "name must not be null");
		int colon = name.indexOf(':');
		String namespace = (colon < 0) ? DictSpec.MAP_NAMESPACE : name.substring(0, colon);
		String local = (colon < 0) ? name : name.substring(colon + 1);
		CatalogEntry entry = this.engine.read((s) -> this.engine.catalog().find(s, namespace, local), name);
		return (entry != null) ? dict(entry) : null;
	}

	/**
	 * Return the dict of a catalog entry that {@link #dicts()} listed.
	 * @param entry the entry
	 * @return the dict
	 */
	public RawDict dict(CatalogEntry entry) {
		Objects.requireNonNull(entry, "entry must not be null");
		return new RawDict(this.engine, entry, table(entry));
	}

	private TableStore table(CatalogEntry entry) {
		// the built-in key codecs' kinds, so that keys read back as String and Long
		KeyKind keys = switch (entry.keyCodec()) {
			case "string", "uuid" -> KeyKind.TEXT;
			case "long", "int" -> KeyKind.INTEGER;
			default -> KeyKind.ANY;
		};
		return this.engine.table(entry.qualifiedName(), Layout.valueOf(entry.layout()), keys, entry.bounded());
	}

	/**
	 * Return what the engine knows of the space the store takes.
	 * @return the figures, -1 for those it does not have
	 */
	public Storage storage() {
		return this.engine.storage();
	}

	/**
	 * Delete every dict's expired entries, in short transactions.
	 * @return how many each dict lost, by qualified name
	 */
	public Map<String, Long> sweep() {
		Map<String, Long> swept = new LinkedHashMap<>();
		for (CatalogEntry entry : dicts()) {
			swept.put(entry.qualifiedName(), table(entry).sweep(this.engine.writes(), this.engine.options().clock()));
		}
		return swept;
	}

	/**
	 * Give the file's free pages back to the file system without rebuilding it (on
	 * SQLite, {@code PRAGMA incremental_vacuum}, then a checkpoint).
	 * @return how many pages were freed
	 */
	public long incrementalVacuum() {
		return this.engine.incrementalVacuum(0);
	}

	/**
	 * Rebuild the whole file to reclaim all free space. Every other writer of the store,
	 * in any process, waits until it ends.
	 * @return whether the engine did anything: {@code false} on one that reclaims space
	 * by itself (PostgreSQL's autovacuum)
	 */
	public boolean vacuum() {
		return this.engine.vacuum();
	}

	/**
	 * Check the stored data.
	 * @return {@code ok}, or what is wrong
	 */
	public String checkIntegrity() {
		return this.engine.checkIntegrity();
	}

	/**
	 * Copy the store, while it is in use, to a new file.
	 * @param target the new file; it must not exist
	 */
	public void backupTo(Path target) {
		Objects.requireNonNull(target, "target must not be null");
		this.engine.backupTo(target);
	}

	@Override
	public void close() {
		this.engine.close();
	}

	@Override
	public String toString() {
		return "RawStore[" + location() + "]";
	}

}
