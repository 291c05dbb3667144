package io.persistentdict.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

import io.persistentdict.PersistentDictException;
import io.persistentdict.engine.Storage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SQLite file's maintenance: incremental and full vacuum, WAL checkpoints,
 * {@code PRAGMA optimize}, the integrity check, {@code VACUUM INTO} backups and the
 * file's sizes. The neutral layer checks that the store may write, and records what ran.
 */
final class SqliteMaintenance {

	private static final Logger logger = LoggerFactory.getLogger(SqliteMaintenance.class);

	/** Pages a scheduled vacuum frees at most: 8 MB of 4 KiB pages. */
	private static final int SCHEDULED_VACUUM_PAGES = 2048;

	private final SqliteEngine engine;

	SqliteMaintenance(SqliteEngine engine) {
		this.engine = engine;
	}

	long incrementalVacuum(int maxPages) {
		Long freed = this.engine.writes().outsideTransaction((w) -> freePages(SqliteSession.of(w), maxPages));
		checkpoint();
		return (freed != null) ? freed : 0;
	}

	private static long freePages(SqliteSession writer, int maxPages) throws SQLException {
		try (Statement statement = writer.connection().createStatement()) {
			int before = SqliteSchema.single(statement, "PRAGMA freelist_count");
			// executeUpdate steps to the end; execute() would free a single page
			statement.executeUpdate("PRAGMA incremental_vacuum(" + maxPages + ")");
			int after = SqliteSchema.single(statement, "PRAGMA freelist_count");
			return before - after;
		}
	}

	void vacuum() {
		this.engine.writes().outsideTransaction((w) -> {
			SqliteSession.of(w).execute("VACUUM");
			return null;
		});
		checkpoint();
	}

	boolean vacuumIfDue(Duration interval, long now) {
		Long freed = this.engine.writes().exclusive((w) -> {
			Long next = this.engine.catalog().meta(w, "next_vacuum");
			if (next != null && next > now) {
				return null;
			}
			// the claim and the vacuum commit together: a vacuum that fails rolls its
			// claim back, and the next run tries again
			this.engine.catalog().setMeta(w, "next_vacuum", now + interval.toMillis());
			return freePages(SqliteSession.of(w), SCHEDULED_VACUUM_PAGES);
		});
		if (freed == null) {
			return false;
		}
		checkpoint();
		return true;
	}

	void checkpoint() {
		if (this.engine.inMemory()) {
			return;
		}
		this.engine.writes().outsideTransaction((w) -> {
			try (Statement statement = SqliteSession.of(w).connection().createStatement();
					ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
				return rs.next() ? rs.getInt(1) : 0;
			}
		});
	}

	void optimize() {
		this.engine.writes().outsideTransaction((w) -> {
			try (Statement statement = SqliteSession.of(w).connection().createStatement()) {
				statement.execute("PRAGMA optimize");
			}
			return null;
		});
	}

	/**
	 * Run {@code PRAGMA integrity_check}.
	 * @return {@code ok}, what is wrong, or why the file could not even be walked
	 */
	String checkIntegrity() {
		try {
			String result = this.engine.read((c) -> {
				StringBuilder problems = new StringBuilder();
				try (Statement statement = SqliteSession.of(c).connection().createStatement();
						ResultSet rs = statement.executeQuery("PRAGMA integrity_check")) {
					while (rs.next()) {
						if (problems.length() > 0) {
							problems.append("; ");
						}
						problems.append(rs.getString(1));
					}
				}
				return problems.toString();
			}, null);
			return (result != null) ? result : "";
		}
		catch (PersistentDictException ex) {
			// damage bad enough that SQLite cannot even walk the file: that is the answer
			return String.valueOf(ex.getMessage());
		}
	}

	void backupTo(Path requested) {
		Objects.requireNonNull(requested, "target must not be null");
		Path target = SqliteFiles.expand(requested);
		String location = this.engine.errors().location();
		if (Files.exists(target)) {
			throw new PersistentDictException(
					"Backup of store " + location + " refused: " + target + " already exists; choose a new file");
		}
		try {
			Path parent = target.getParent();
			if (parent != null && !Files.isDirectory(parent)) {
				SqliteFiles.createDirectories(parent);
			}
			Files.createFile(target, SqliteFiles.ownerOnly(target, SqliteFiles.OWNER_ONLY_FILE));
		}
		catch (IOException ex) {
			throw new PersistentDictException("Backup of store " + location + " to " + target + " failed: " + ex, ex);
		}
		boolean done = false;
		try {
			this.engine.read((c) -> {
				PreparedStatement statement = SqliteSession.of(c).connection().prepareStatement("VACUUM INTO ?");
				try (statement) {
					statement.setString(1, target.toString());
					statement.execute();
				}
				return null;
			}, null);
			done = true;
		}
		finally {
			if (!done) {
				// a partial copy is no backup, and it would block the retry
				try {
					Files.deleteIfExists(target);
				}
				catch (IOException ex) {
					logger.warn("Could not delete the partial backup {} of store {}", target, location, ex);
				}
			}
		}
	}

	/**
	 * Return the file's and the WAL's sizes and the free disk space; for an in-memory
	 * database, its pages' size.
	 */
	Storage storage() {
		Path path = this.engine.path();
		if (path == null) {
			Long pages = this.engine.read((c) -> {
				try (Statement statement = SqliteSession.of(c).connection().createStatement()) {
					return (long) SqliteSchema.single(statement, "PRAGMA page_count")
							* SqliteSchema.single(statement, "PRAGMA page_size");
				}
			}, null);
			return new Storage((pages != null) ? pages : 0, 0, -1);
		}
		long free = -1;
		try {
			free = Files.getFileStore(path).getUsableSpace();
		}
		catch (IOException ex) {
			// unknown
		}
		return new Storage(size(path), size(Path.of(path + "-wal")), free);
	}

	private static long size(@Nullable Path file) {
		if (file == null) {
			return 0;
		}
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			return -1;
		}
	}

}
