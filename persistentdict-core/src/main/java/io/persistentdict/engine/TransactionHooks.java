package io.persistentdict.engine;

import java.sql.SQLException;

/**
 * What the neutral layer runs inside every write transaction: the near caches look for
 * other connections' commits when it starts, and pending sliding refreshes are written
 * before it commits.
 */
public interface TransactionHooks {

	/**
	 * Run at the start of every write transaction, with the write lock held.
	 * @param writer the write session
	 * @throws SQLException on failure
	 */
	void afterBegin(Session writer) throws SQLException;

	/**
	 * Run just before every commit.
	 * @param writer the write session
	 */
	void beforeCommit(Session writer);

	/**
	 * Return whether a lone single-statement write may skip the explicit transaction:
	 * only when neither hook has work to do.
	 * @return whether it may
	 */
	boolean idle();

	/** The hooks that do nothing. */
	TransactionHooks NONE = new TransactionHooks() {

		@Override
		public void afterBegin(Session writer) {
		}

		@Override
		public void beforeCommit(Session writer) {
		}

		@Override
		public boolean idle() {
			return true;
		}

	};

}
