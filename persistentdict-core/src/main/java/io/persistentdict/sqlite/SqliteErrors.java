package io.persistentdict.sqlite;

import java.nio.file.Path;
import java.sql.SQLException;

import io.persistentdict.PersistentDictException;
import io.persistentdict.ReadOnlyStoreException;
import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.engine.EngineErrors;
import io.persistentdict.engine.ErrorKind;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite's errors: what kind each is, by its result code, and messages that name the
 * store file and say what to do.
 */
final class SqliteErrors implements EngineErrors {

	private final String location;

	SqliteErrors(String location) {
		this.location = location;
	}

	@Override
	public String location() {
		return this.location;
	}

	PersistentDictException translate(SQLException ex, String action) {
		return translate(ex, action, null);
	}

	/**
	 * Classify by result code. An error without one was raised by the driver before
	 * SQLite ran the statement (binding a value, for one): it is a row's fault, unless
	 * its message names a code that ends the transaction.
	 */
	@Override
	public ErrorKind classify(SQLException ex) {
		SQLiteErrorCode code = code(ex);
		String name = (code != null) ? code.name() : codeNamed(String.valueOf(ex.getMessage()));
		if (name == null) {
			return ErrorKind.ROW_FAULT;
		}
		if (name.startsWith("SQLITE_CONSTRAINT") || name.equals("SQLITE_TOOBIG") || name.equals("SQLITE_MISMATCH")
				|| name.equals("SQLITE_RANGE")) {
			return ErrorKind.ROW_FAULT;
		}
		if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED")) {
			return ErrorKind.BUSY;
		}
		if (name.startsWith("SQLITE_READONLY")) {
			return ErrorKind.READ_ONLY;
		}
		if (name.equals("SQLITE_FULL")) {
			return ErrorKind.FULL;
		}
		if (name.startsWith("SQLITE_CORRUPT") || name.equals("SQLITE_NOTADB")) {
			return ErrorKind.CORRUPT;
		}
		if (name.startsWith("SQLITE_IOERR") || name.equals("SQLITE_NOMEM")) {
			return ErrorKind.FATAL;
		}
		return (code != null) ? ErrorKind.OTHER : ErrorKind.ROW_FAULT;
	}

	/** The code that ends a transaction that a driver's message names, if any. */
	private static @Nullable String codeNamed(String message) {
		for (String name : new String[] { "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CORRUPT", "SQLITE_NOMEM" }) {
			if (message.contains(name)) {
				return name;
			}
		}
		return null;
	}

	@Override
	public PersistentDictException translate(SQLException ex, String action, @Nullable String dict) {
		String where = (dict != null) ? "dict '" + dict + "' in store " + this.location : "store " + this.location;
		SQLiteErrorCode code = code(ex);
		String detail = String.valueOf(ex.getMessage());
		if (code == null) {
			return new PersistentDictException(capitalize(action) + " failed on " + where + ": " + detail, ex);
		}
		return switch (code) {
			case SQLITE_BUSY, SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_TIMEOUT, SQLITE_LOCKED,
					SQLITE_LOCKED_SHAREDCACHE ->
				new PersistentDictException(capitalize(action) + " on " + where
						+ " waited longer than the busy timeout for another connection or process to release its lock;"
						+ " raise the busy timeout, or make that process's transactions shorter", ex);
			case SQLITE_FULL -> new PersistentDictException(capitalize(action) + " on " + where
					+ " failed because the disk (or the store's max_page_count) is full; the write was rolled back"
					+ " and earlier data is intact. Free disk space, then retry", ex);
			case SQLITE_READONLY, SQLITE_READONLY_DBMOVED, SQLITE_READONLY_DIRECTORY, SQLITE_READONLY_RECOVERY,
					SQLITE_READONLY_ROLLBACK, SQLITE_READONLY_CANTLOCK,
					SQLITE_READONLY_CANTINIT ->
				new ReadOnlyStoreException(capitalize(action) + " on " + where
						+ " failed because the file or its directory is read-only; fix the permissions,"
						+ " or open the store with OpenMode.READ_ONLY");
			case SQLITE_CORRUPT, SQLITE_CORRUPT_VTAB, SQLITE_CORRUPT_SEQUENCE,
					SQLITE_NOTADB ->
				new PersistentDictException(capitalize(action) + " on " + where + " found a damaged file (" + detail
						+ "). Run checkIntegrity(), restore from a backup,"
						+ " or reopen with OpenMode.RECOVER to move the file aside and start empty", ex);
			default -> new PersistentDictException(capitalize(action) + " failed on " + where + ": " + detail, ex);
		};
	}

	/**
	 * Turn a failure to open a file into the reason a caller can act on.
	 * @param path the file
	 * @param ex the failure
	 * @return the exception to throw
	 */
	static StoreOpenException openFailure(Path path, RuntimeException ex) {
		if (ex instanceof StoreOpenException open) {
			return open;
		}
		Throwable cause = ex;
		while (cause != null && !(cause instanceof SQLException)) {
			cause = cause.getCause();
		}
		SQLiteErrorCode code = (cause instanceof SQLException sql) ? code(sql) : null;
		if (code != null) {
			switch (code) {
				case SQLITE_NOTADB:
					return new StoreOpenException(path, Reason.NOT_SQLITE,
							"Store " + path
									+ " is not a SQLite database; choose another path, or open with OpenMode.RECOVER",
							ex);
				case SQLITE_CORRUPT:
					return new StoreOpenException(path, Reason.CORRUPT, "Store " + path
							+ " is corrupt. Restore it from a backup, or open with OpenMode.RECOVER to move it aside",
							ex);
				case SQLITE_BUSY:
				case SQLITE_LOCKED:
					return new StoreOpenException(path, Reason.LOCKED, "Store " + path
							+ " is locked by another process for longer than the busy timeout; stop that process"
							+ " or raise the busy timeout", ex);
				case SQLITE_CANTOPEN:
				case SQLITE_READONLY:
				case SQLITE_PERM:
				case SQLITE_AUTH:
					return new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
							"Store " + path
									+ " cannot be opened: the file or its directory is not accessible to this user."
									+ " Fix their permissions, or (to read only) open it with OpenMode.READ_ONLY",
							ex);
				default:
					break;
			}
		}
		return new StoreOpenException(path, Reason.OTHER, "Could not open store " + path + ": " + ex.getMessage(), ex);
	}

	static @Nullable SQLiteErrorCode code(SQLException ex) {
		if (ex instanceof SQLiteException sqlite) {
			return sqlite.getResultCode();
		}
		return null;
	}

	private static String capitalize(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}
