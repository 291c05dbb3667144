package io.persistentdict.engine;

import java.sql.SQLException;

/**
 * How an engine learns of commits by other connections (other processes, other stores on
 * the same database), so that the near caches never serve a value they cannot prove
 * fresh. The rules that use it are in the neutral layer's {@code Coherence}.
 */
public interface ChangeFeed {

	/**
	 * Set who hears of changes; called once, before any near cache exists.
	 * @param listener the listener
	 */
	void listen(ChangeListener listener);

	/**
	 * Return whether the feed is sure to report a change that happens from now on: only
	 * then may near caches take and serve entries.
	 * @return whether it is ready
	 */
	boolean ready();

	/**
	 * Look for other connections' commits now. The neutral layer calls it from reads, at
	 * most once per check interval.
	 */
	void poll();

	/**
	 * Look for other connections' commits at the start of a write transaction, on the
	 * writer, while any near cache exists.
	 * @param writer the write session
	 * @throws SQLException on failure
	 */
	void inTransaction(Session writer) throws SQLException;

	/**
	 * Stop listening and release what the feed holds.
	 */
	void close();

	/**
	 * Return the feed of an engine that has no other writers to hear of.
	 * @return the feed
	 */
	static ChangeFeed none() {
		return new ChangeFeed() {

			@Override
			public void listen(ChangeListener listener) {
			}

			@Override
			public boolean ready() {
				return true;
			}

			@Override
			public void poll() {
			}

			@Override
			public void inTransaction(Session writer) {
			}

			@Override
			public void close() {
			}

		};
	}

}
