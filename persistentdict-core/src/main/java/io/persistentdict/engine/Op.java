package io.persistentdict.engine;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * A unit of work on a session: a read on a pooled session, or a write inside the write
 * transaction.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Op<T> {

	/**
	 * Run the work.
	 * @param session the session
	 * @return the result
	 * @throws SQLException on failure; the engine translates it
	 */
	@Nullable T run(Session session) throws SQLException;

}
