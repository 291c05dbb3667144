package io.persistentdict.engine;

import org.jspecify.annotations.Nullable;

/**
 * How an engine runs writes. Every method returns only after the commit that holds its
 * work, and throws the engine's translated error when it fails.
 */
public interface WriteScheduler {

	/**
	 * Run an operation that may share its commit with other writers.
	 * @param <T> the result type
	 * @param op the operation; it may run on another thread
	 * @return its result
	 */
	default <T> @Nullable T submit(Op<T> op) {
		return submit(op, false);
	}

	/**
	 * Run an operation that may share its commit with other writers.
	 * @param <T> the result type
	 * @param op the operation; it may run on another thread
	 * @param singleStatement whether the operation is one statement, atomic on its own
	 * @return its result
	 */
	<T> @Nullable T submit(Op<T> op, boolean singleStatement);

	/**
	 * Run an operation that may run user code on the calling thread, in a transaction of
	 * its own.
	 * @param <T> the result type
	 * @param op the operation
	 * @return its result
	 */
	<T> @Nullable T exclusive(Op<T> op);

	/**
	 * Run an operation on the write session outside any transaction (maintenance).
	 * @param <T> the result type
	 * @param op the operation
	 * @return its result
	 */
	<T> @Nullable T outsideTransaction(Op<T> op);

	/**
	 * Run an operation on the write session outside any transaction if the writer is free
	 * right now; otherwise do nothing.
	 * @param op the operation
	 * @return whether it ran
	 */
	boolean tryOutsideTransaction(Op<?> op);

	/**
	 * Return the session of the write transaction the calling thread runs (an
	 * {@link #exclusive} operation: a {@code compute} function, a batch, a transaction
	 * across dicts), so that the reads and writes it makes join it; {@code null} when it
	 * runs none, or when the engine cannot join one (then a call from inside one fails).
	 * While it is not {@code null}, {@link #exclusive} and {@link #submit} run their
	 * operation inside that transaction, in a savepoint.
	 * @return the session, or {@code null}
	 */
	default @Nullable Session currentSession() {
		return null;
	}

	/**
	 * Return whether the calling thread is inside an operation of this scheduler.
	 * @return whether it holds the write path
	 */
	boolean isHeldByCurrentThread();

}
