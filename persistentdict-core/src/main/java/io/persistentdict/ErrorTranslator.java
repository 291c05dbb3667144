package io.persistentdict;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns SQLite's errors into messages that name the store file and say what to do.
 */
final class ErrorTranslator {

	private final String location;

	ErrorTranslator(String location) {
		this.location = location;
	}

	String location() {
		return this.location;
	}

	PersistentDictException translate(SQLException ex, String action) {
		return translate(ex, action, null);
	}

	PersistentDictException translate(SQLException ex, String action, @Nullable String dict) {
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
