package io.persistentdict.boot.autoconfigure;

import io.persistentdict.StoreOpenException;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Description and action for each reason a store file fails to open.
 *
 * @author persistentdict
 */
final class StoreOpenFailures {

	private StoreOpenFailures() {
	}

	static FailureAnalysis analyze(StoreOpenException ex) {
		String description = (ex.path() != null)
				? "persistentdict could not open '" + ex.path() + "': " + ex.getMessage()
				: "persistentdict could not open a store: " + ex.getMessage();
		return new FailureAnalysis(description, action(ex.reason()), ex);
	}

	private static String action(StoreOpenException.Reason reason) {
		return switch (reason) {
			case NOT_ACCESSIBLE -> "Make the file and its directory readable and writable by the application's user, "
					+ "or set 'persistentdict.store.path' (or 'persistentdict.stores.<name>.path') to a writable "
					+ "location.";
			case LOCKED -> "Another process holds a lock on the file. Stop it, or give this application its own "
					+ "file, or raise 'persistentdict.store.busy-timeout'.";
			case FOREIGN, NOT_SQLITE -> "The file belongs to something else. Point 'persistentdict.store.path' at a "
					+ "new file; persistentdict never overwrites a file it did not create.";
			case NEWER_SCHEMA ->
				"The file was written by a newer persistentdict. Upgrade persistentdict, or use " + "another file.";
			case CORRUPT -> "The file is damaged. Restore it from a backup, or set "
					+ "'persistentdict.store.open-mode=recover' to move it aside and start empty.";
			case ENGINE_MISSING -> "Add the dependency that the description names beside the starter.";
			case UNSUPPORTED_DATABASE -> "A store of 'persistentdict.store.type=jdbc' runs on PostgreSQL 14 or newer:"
					+ " point its DataSource (the application's, the @PersistentDictDataSource one, or"
					+ " 'persistentdict.store.jdbc.url') at PostgreSQL, or remove 'persistentdict.store.type' to keep"
					+ " the store in a SQLite file.";
			case UNREACHABLE -> "Check that the database is running and reachable, and the URL, user and password "
					+ "the application gives it ('spring.datasource.*' or 'persistentdict.store.jdbc.*').";
			case NO_SCHEMA -> "Apply the schema script that the description names (with Flyway, Liquibase or"
					+ " spring.sql.init), or set 'persistentdict.store.jdbc.initialize-schema=create'.";
			case OTHER -> "Check the cause below, and the file's path, permissions and disk space.";
		};
	}

}
