package io.persistentdict.engine;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.persistentdict.PersistentDictException;
import org.jspecify.annotations.Nullable;

/**
 * An operation waiting for its commit.
 */
final class PendingWrite<T> {

	final Op<T> op;

	final Thread waiter;

	final boolean singleStatement;

	volatile boolean done;

	private @Nullable T value;

	@Nullable Throwable error;

	PendingWrite(Op<T> op, Thread waiter, boolean singleStatement) {
		this.op = op;
		this.waiter = waiter;
		this.singleStatement = singleStatement;
	}

	/** Forget the outcome of a run whose transaction rolled back, to run again. */
	void reset() {
		this.value = null;
		this.error = null;
	}

	void run(WriteSession writer, EngineErrors errors) throws SQLException {
		try {
			this.value = this.op.run(writer);
		}
		catch (RuntimeException | Error ex) {
			this.error = ex;
		}
		catch (SQLException ex) {
			if (errors.classify(ex).endsTransaction()) {
				throw ex;
			}
			this.error = ex;
		}
	}

	@Nullable T result(EngineErrors errors) {
		Throwable failure = this.error;
		if (failure == null) {
			return this.value;
		}
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		if (failure instanceof SQLException sql) {
			throw errors.translate(sql, "write", null);
		}
		throw new PersistentDictException("Write failed: " + failure.getMessage(), failure);
	}

	/** Fail every operation of a batch not failed already, and wake its callers. */
	static void failAll(List<PendingWrite<?>> batch, RuntimeException error) {
		for (PendingWrite<?> pending : batch) {
			if (pending.error == null) {
				pending.error = error;
			}
		}
		completeAll(batch);
	}

	/** Mark every operation of a batch done, and wake its callers. */
	static void completeAll(List<PendingWrite<?>> batch) {
		for (PendingWrite<?> pending : batch) {
			pending.done = true;
			if (pending.waiter != Thread.currentThread()) {
				LockSupport.unpark(pending.waiter);
			}
		}
	}

}
