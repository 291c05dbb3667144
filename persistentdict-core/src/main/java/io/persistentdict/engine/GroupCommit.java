package io.persistentdict.engine;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.persistentdict.PersistentDictException;
import io.persistentdict.StatsRecorder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write scheduler over one write session, used by one thread at a time, with group
 * commit. An engine with one writer (SQLite) uses it as its write path.
 *
 * <p>
 * A writer enqueues its operation and tries to take the write lock. The thread that gets
 * it becomes the leader: it opens one write transaction, runs every queued operation in
 * it (each in its own savepoint when there are several, so one failure does not roll back
 * the others), commits once, and hands each caller its result. A run of plain puts
 * ({@code set}) to one table goes in one multi-row upsert statement, and when that
 * statement is the whole batch it needs no explicit transaction at all. The other callers
 * park until their operation is done. No thread hand-off happens when there is no
 * contention, and under contention one commit (one fsync, where commits are durable)
 * serves many writes. Every caller returns only after the commit that holds its write.
 *
 * <p>
 * Operations that run user code ({@code compute}, {@code merge}, batches) are
 * {@linkplain #exclusive exclusive}: they run on the caller's own thread, in their own
 * transaction. A call into the same store from inside one fails instead of deadlocking.
 */
public final class GroupCommit implements WriteScheduler {

	private static final Logger logger = LoggerFactory.getLogger(GroupCommit.class);

	private final WriteSession writer;

	private final ReentrantLock lock = new ReentrantLock();

	private final ConcurrentLinkedQueue<PendingWrite<?>> queue = new ConcurrentLinkedQueue<>();

	private final int maxBatch;

	private final StatsRecorder recorder;

	private final EngineErrors errors;

	private final boolean autocommit;

	private volatile TransactionHooks hooks = TransactionHooks.NONE;

	/** Whether an {@link #exclusive} transaction is open; with the lock held. */
	private boolean transactionOpen;

	/**
	 * The store failure that dooms the open transaction, or {@code null}; with the lock
	 * held.
	 */
	private @Nullable SQLException rollbackCause;

	/**
	 * Whether the last {@link #commitInTransaction} failed for a row that spoiled the
	 * transaction; with the lock held.
	 */
	private boolean spoiled;

	/** When a leader waits for companions; used with the lock held. */
	private final CommitPacing pacing = new CommitPacing();

	/**
	 * Create the scheduler.
	 * @param writer the write session
	 * @param maxBatch the most operations one commit carries
	 * @param recorder where commits are recorded
	 * @param errors the engine's errors
	 * @param autocommit whether a lone single-statement write may run without an explicit
	 * transaction, atomic on its own, when the hooks are idle
	 */
	public GroupCommit(WriteSession writer, int maxBatch, StatsRecorder recorder, EngineErrors errors,
			boolean autocommit) {
		this.writer = writer;
		this.maxBatch = maxBatch;
		this.recorder = recorder;
		this.errors = errors;
		this.autocommit = autocommit;
	}

	/**
	 * Set the hooks every write transaction runs.
	 * @param hooks the hooks
	 */
	public void hooks(TransactionHooks hooks) {
		this.hooks = hooks;
	}

	/**
	 * Run an operation on the write connection outside any transaction if the write lock
	 * is free right now; otherwise do nothing.
	 * @param op the operation
	 * @return whether it ran
	 */
	@Override
	public boolean tryOutsideTransaction(Op<?> op) {
		if (!this.lock.tryLock()) {
			return false;
		}
		try {
			op.run(this.writer);
			return true;
		}
		catch (SQLException ex) {
			throw this.errors.translate(ex, "look for other connections' commits", null);
		}
		finally {
			this.writer.release();
			this.lock.unlock();
			wakeNext();
		}
	}

	@Override
	public boolean isHeldByCurrentThread() {
		return this.lock.isHeldByCurrentThread();
	}

	/**
	 * Run an operation that may share its commit with other writers.
	 * @param <T> the result type
	 * @param op the operation; it runs on whichever thread leads the commit
	 * @param singleStatement whether the operation is one SQL statement, which SQLite
	 * runs atomically on its own when no other write shares the commit
	 * @return its result
	 */
	@Override
	public <T> @Nullable T submit(Op<T> op, boolean singleStatement) {
		if (currentSession() != null) {
			// inside this thread's own transaction: the write joins it
			return nested(op);
		}
		PendingWrite<T> pending = new PendingWrite<>(op, Thread.currentThread(), singleStatement);
		this.queue.add(pending);
		int yields = SPIN_YIELDS;
		while (!pending.done) {
			if (this.lock.tryLock()) {
				try {
					if (!pending.done) {
						drain();
					}
				}
				finally {
					this.writer.release();
					this.lock.unlock();
				}
				wakeNext();
			}
			else if (yields > 0) {
				// the leader is usually done within a commit: yielding rather
				// than parking spares the follower a wake-up, which costs tens of
				// microseconds on a virtual machine's idle CPU, and yielding (unlike
				// a spin) leaves the CPU to the leader when there are more writers
				// than cores
				yields--;
				Thread.yield();
			}
			else {
				LockSupport.park(this);
			}
		}
		return pending.result(this.errors);
	}

	/**
	 * Run an operation on the calling thread, in a transaction of its own.
	 * @param <T> the result type
	 * @param op the operation
	 * @return its result
	 */
	@Override
	public <T> @Nullable T exclusive(Op<T> op) {
		if (currentSession() != null) {
			return nested(op);
		}
		this.lock.lock();
		try {
			begin();
			this.transactionOpen = true;
			this.rollbackCause = null;
			T result;
			try {
				result = op.run(this.writer);
				this.hooks.beforeCommit(this.writer);
			}
			catch (SQLException | RuntimeException | Error ex) {
				rollback();
				throw ex;
			}
			SQLException cause = this.rollbackCause;
			if (cause != null) {
				rollback();
				throw this.errors.translate(cause, "transaction (rolled back because an operation inside it failed)",
						null);
			}
			commit();
			return result;
		}
		catch (SQLException ex) {
			throw this.errors.translate(ex, "write", null);
		}
		finally {
			this.transactionOpen = false;
			this.rollbackCause = null;
			this.writer.release();
			this.lock.unlock();
			wakeNext();
		}
	}

	/**
	 * Return the write session while the calling thread runs an {@link #exclusive}
	 * operation: what it reads and writes through this scheduler then joins that
	 * transaction.
	 */
	@Override
	public @Nullable Session currentSession() {
		return (this.transactionOpen && this.lock.isHeldByCurrentThread()) ? this.writer : null;
	}

	/**
	 * Run an operation inside the calling thread's open transaction, in a savepoint of
	 * its own: a failure undoes only its own writes. A store failure (not one of the
	 * caller's own code) marks the whole transaction for rollback, even if the caller
	 * catches it.
	 */
	private <T> @Nullable T nested(Op<T> op) {
		try {
			this.writer.savepoint();
			T result;
			try {
				result = op.run(this.writer);
			}
			catch (SQLException | RuntimeException | Error ex) {
				this.writer.rollbackToSavepoint();
				this.writer.releaseSavepoint();
				throw ex;
			}
			this.writer.releaseSavepoint();
			return result;
		}
		catch (SQLException ex) {
			if (this.rollbackCause == null) {
				this.rollbackCause = ex;
			}
			throw this.errors.translate(ex, "write", null);
		}
	}

	/**
	 * Run an operation on the write connection outside any transaction (for
	 * {@code VACUUM}, checkpoints and pragmas).
	 * @param <T> the result type
	 * @param op the operation
	 * @return its result
	 */
	@Override
	public <T> @Nullable T outsideTransaction(Op<T> op) {
		this.lock.lock();
		try {
			return op.run(this.writer);
		}
		catch (SQLException ex) {
			throw this.errors.translate(ex, "maintenance", null);
		}
		finally {
			this.writer.release();
			this.lock.unlock();
			wakeNext();
		}
	}

	private void wakeNext() {
		PendingWrite<?> next = this.queue.peek();
		if (next != null) {
			LockSupport.unpark(next.waiter);
		}
	}

	/**
	 * How many times a batch runs when other connections' transactions conflict with it.
	 */
	private static final int MAX_ATTEMPTS = 10;

	/**
	 * How many times a waiting writer yields before it parks: about 100-200 µs, a commit
	 * at {@code synchronous=FULL}. With 4 writers this lifts group commit at {@code FULL}
	 * from about 2.5 to 2.7 times one commit per put (JMH, 2 forks each).
	 */
	private static final int SPIN_YIELDS = (Runtime.getRuntime().availableProcessors() > 1) ? 200 : 0;

	private void drain() {
		this.pacing.awaitCompanions(this.queue, this.maxBatch);
		List<PendingWrite<?>> batch = new ArrayList<>(Math.min(this.maxBatch, 16));
		PendingWrite<?> next;
		while (batch.size() < this.maxBatch && (next = this.queue.poll()) != null) {
			batch.add(next);
		}
		if (batch.isEmpty()) {
			return;
		}
		long start = System.nanoTime();
		boolean merge = true;
		if (this.autocommit && this.hooks.idle()) {
			if (batch.size() == 1 && batch.get(0).singleStatement) {
				// a lone statement runs in SQLite's own implicit transaction, which is
				// atomic and takes the write lock at once: BEGIN and COMMIT round trips
				// would add two statements to save nothing. Two or more share one
				// explicit transaction: at synchronous=NORMAL that measured 1.16 times as
				// fast as an implicit commit each (4 writers, JMH, 2 forks each)
				PendingWrite<?> lone = batch.get(0);
				for (int attempt = 1;; attempt++) {
					try {
						lone.run(this.writer, this.errors);
						break;
					}
					catch (SQLException ex) {
						if (attempt < MAX_ATTEMPTS && isConflict(ex)) {
							lone.reset();
							continue;
						}
						lone.error = this.errors.translate(ex, "write", null);
						break;
					}
				}
				this.pacing.committed(1, -1);
				record(1, System.nanoTime() - start);
				PendingWrite.completeAll(batch);
				return;
			}
			if (batch.get(0).op instanceof Upsert && UpsertRuns.end(batch, 0) == batch.size()) {
				// plain puts to one table, and no more than one statement takes: that
				// statement is the whole transaction
				boolean written = false;
				try {
					UpsertRuns.write(this.writer, batch, 0, batch.size());
					written = true;
				}
				catch (SQLException | RuntimeException ex) {
					if (!isRowFault(ex) && !isConflict(ex)) {
						// the write lock held elsewhere, a full disk: a transaction would
						// meet the same, after another busy timeout
						PendingWrite.failAll(batch, failure(ex));
						return;
					}
					// the statement wrote nothing: write the rows one at a time below, so
					// that only a row at fault fails
					merge = false;
				}
				catch (Error ex) {
					PendingWrite.failAll(batch, failure(ex));
					throw ex;
				}
				if (written) {
					committed(batch, start);
					return;
				}
			}
		}
		for (int attempt = 1;; attempt++) {
			if (commitInTransaction(batch, merge, attempt)) {
				committed(batch, start);
			}
			else if (this.spoiled) {
				// a row at fault spoiled the transaction: nothing was written and no
				// caller was told; write the rows one at a time, each in a savepoint
				this.spoiled = false;
				merge = false;
				continue;
			}
			else if (attempt < MAX_ATTEMPTS && !batch.get(0).done) {
				// a conflict: nothing was written and no caller was told, so run it
				// again. A batch whose callers were told it failed never runs again: it
				// could commit what they were told was not (or may not have been) written
				continue;
			}
			return;
		}
	}

	/**
	 * Run a batch in one transaction and commit it.
	 * @return whether it committed; {@code false} when every caller has been told why
	 * not, or (when a conflict may be retried) when the batch should run again
	 */
	private boolean commitInTransaction(List<PendingWrite<?>> batch, boolean merge, int attempt) {
		try {
			begin();
			if (batch.size() == 1) {
				batch.get(0).run(this.writer, this.errors);
				if (batch.get(0).error != null) {
					rollback();
					PendingWrite.completeAll(batch);
					return false;
				}
			}
			else {
				int i = 0;
				while (i < batch.size()) {
					int end = merge ? UpsertRuns.end(batch, i) : i + 1;
					if (end - i > 1) {
						UpsertRuns.writeOrEach(this.writer, this.errors, batch, i, end);
					}
					else {
						runInSavepoint(batch.get(i));
					}
					i = end;
				}
			}
			this.hooks.beforeCommit(this.writer);
			this.writer.commit();
		}
		catch (SQLException | RuntimeException | Error ex) {
			rollback();
			if (merge && ex instanceof SQLException sql && this.writer.failedStatementSpoilsTransaction()
					&& this.errors.classify(sql) == ErrorKind.ROW_FAULT) {
				// a multi-row statement failed for one of its rows, and took the
				// transaction with it
				batch.forEach(PendingWrite::reset);
				this.spoiled = true;
				return false;
			}
			if (attempt < MAX_ATTEMPTS && ex instanceof SQLException sql
					&& this.errors.classify(sql) == ErrorKind.CONFLICT) {
				// another connection's transaction conflicted with this one (a
				// deadlock, a serialization failure): nothing of it was written, so
				// every operation runs again
				batch.forEach(PendingWrite::reset);
				return false;
			}
			// whatever failed (BEGIN, a transaction hook, the statements or COMMIT),
			// every caller in the batch is told: none may stay parked
			PendingWrite.failAll(batch, failure(ex));
			if (ex instanceof Error error) {
				throw error;
			}
			return false;
		}
		return true;
	}

	private void committed(List<PendingWrite<?>> batch, long start) {
		long nanos = System.nanoTime() - start;
		this.pacing.committed(batch.size(), nanos);
		record(batch.size(), nanos);
		PendingWrite.completeAll(batch);
	}

	private boolean isConflict(Exception ex) {
		return ex instanceof SQLException sql && this.errors.classify(sql) == ErrorKind.CONFLICT;
	}

	private boolean isRowFault(Exception ex) {
		return !(ex instanceof SQLException sql) || this.errors.classify(sql) == ErrorKind.ROW_FAULT;
	}

	private RuntimeException failure(Throwable ex) {
		if (ex instanceof SQLException sql) {
			return this.errors.translate(sql, "write", null);
		}
		if (ex instanceof RuntimeException runtime) {
			return runtime;
		}
		return new PersistentDictException("Write failed: " + ex, ex);
	}

	private void runInSavepoint(PendingWrite<?> pending) throws SQLException {
		if (pending.singleStatement && !this.writer.failedStatementSpoilsTransaction()) {
			// one statement is atomic on its own: it fails whole, leaving the others
			pending.run(this.writer, this.errors);
			return;
		}
		this.writer.savepoint();
		pending.run(this.writer, this.errors);
		if (pending.error != null) {
			this.writer.rollbackToSavepoint();
		}
		this.writer.releaseSavepoint();
	}

	private void begin() throws SQLException {
		this.writer.begin();
		try {
			this.hooks.afterBegin(this.writer);
		}
		catch (SQLException | RuntimeException | Error ex) {
			rollback();
			throw ex;
		}
	}

	private void commit() throws SQLException {
		this.writer.commit();
	}

	private void rollback() {
		this.writer.rollback();
	}

	private void record(int operations, long nanos) {
		try {
			this.recorder.recordCommit(operations, nanos);
		}
		catch (RuntimeException ex) {
			logger.warn("StatsRecorder failed; ignoring", ex);
		}
	}

}
