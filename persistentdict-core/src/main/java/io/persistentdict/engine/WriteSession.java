package io.persistentdict.engine;

import java.sql.SQLException;

/**
 * The session that writes, with the transaction control {@link GroupCommit} needs.
 */
public interface WriteSession extends Session {

	/**
	 * Start a write transaction that holds the engine's write lock from its start.
	 * @throws SQLException on failure
	 */
	void begin() throws SQLException;

	/**
	 * Commit the transaction.
	 * @throws SQLException on failure
	 */
	void commit() throws SQLException;

	/**
	 * Roll the transaction back, if one is open; never throws.
	 */
	void rollback();

	/**
	 * Mark a point to roll back to, inside a transaction.
	 * @throws SQLException on failure
	 */
	void savepoint() throws SQLException;

	/**
	 * Undo what ran since the last {@link #savepoint()}, keeping it.
	 * @throws SQLException on failure
	 */
	void rollbackToSavepoint() throws SQLException;

	/**
	 * Give back what the session holds between units of work, once the write lock is
	 * about to be released: an engine that borrows a pooled connection for each batch
	 * returns it here. Never throws.
	 */
	default void release() {
	}

	/**
	 * Return whether a statement that fails inside a transaction spoils the whole
	 * transaction (every later statement fails until it rolls back), rather than failing
	 * alone: then a group commit writes each operation of a shared transaction in a
	 * savepoint of its own once one of them failed, so that only the one at fault fails.
	 * @return whether a failed statement spoils its transaction
	 */
	default boolean failedStatementSpoilsTransaction() {
		return false;
	}

	/**
	 * Forget the last {@link #savepoint()}.
	 * @throws SQLException on failure
	 */
	void releaseSavepoint() throws SQLException;

}
