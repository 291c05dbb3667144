package io.persistentdict;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single write path of a store: one connection, used by one thread at a time, with
 * group commit.
 *
 * <p>
 * A writer enqueues its operation and tries to take the write lock. The thread that gets
 * it becomes the leader: it opens one {@code BEGIN IMMEDIATE} transaction, runs every
 * queued operation in it (each in its own {@code SAVEPOINT} when there are several, so
 * one failure does not roll back the others), commits once, and hands each caller its
 * result. A run of plain puts ({@code set}) to one table goes in one multi-row upsert
 * statement, and when that statement is the whole batch it needs no explicit transaction
 * at all. The other callers park until their operation is done. No thread hand-off
 * happens when there is no contention, and under contention one commit (one fsync at
 * {@code synchronous=FULL}) serves many writes. Every caller returns only after the
 * commit that holds its write.
 *
 * <p>
 * Operations that run user code ({@code compute}, {@code merge}, batches) are
 * {@linkplain #exclusive exclusive}: they run on the caller's own thread, in their own
 * transaction. A call into the same store from inside one fails instead of deadlocking.
 */
final class WritePath {

	private static final Logger logger = LoggerFactory.getLogger(WritePath.class);

	private final ConnState writer;

	private final ReentrantLock lock = new ReentrantLock();

	private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();

	private final int maxBatch;

	private final StatsRecorder recorder;

	private final Runnable beforeCommit;

	private final ErrorTranslator errors;

	private volatile @Nullable Runnable afterBegin;

	/**
	 * The most operations a recent commit carried: about how many writers are active.
	 * Read and written with the lock held.
	 */
	private int recentMaxBatch;

	/** Commits since {@link #recentMaxBatch} was last reached; with the lock held. */
	private int commitsSinceMax;

	/**
	 * A moving average of the time a commit takes; read and written with the lock held.
	 */
	private long commitNanos;

	private volatile java.util.function.BooleanSupplier autocommitAllowed = () -> true;

	WritePath(ConnState writer, int maxBatch, StatsRecorder recorder, Runnable beforeCommit, ErrorTranslator errors) {
		this.writer = writer;
		this.maxBatch = maxBatch;
		this.recorder = recorder;
		this.beforeCommit = beforeCommit;
		this.errors = errors;
	}

	/**
	 * A unit of work run inside the write transaction.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	interface Op<T> {

		@Nullable T run(ConnState writer) throws SQLException;

	}

	/**
	 * Set what runs at the start of every write transaction, with the lock held.
	 * @param afterBegin the hook
	 */
	void afterBegin(Runnable afterBegin) {
		this.afterBegin = afterBegin;
	}

	/**
	 * Set when a lone single-statement write may skip the explicit transaction: only when
	 * no transaction hooks have work to do.
	 * @param autocommitAllowed the condition
	 */
	void autocommitAllowed(java.util.function.BooleanSupplier autocommitAllowed) {
		this.autocommitAllowed = autocommitAllowed;
	}

	/**
	 * Run an operation on the write connection outside any transaction if the write lock
	 * is free right now; otherwise do nothing.
	 * @param op the operation
	 * @return whether it ran
	 */
	boolean tryOutsideTransaction(Op<?> op) {
		if (!this.lock.tryLock()) {
			return false;
		}
		try {
			op.run(this.writer);
			return true;
		}
		catch (SQLException ex) {
			throw this.errors.translate(ex, "read the data version");
		}
		finally {
			this.lock.unlock();
			wakeNext();
		}
	}

	boolean isHeldByCurrentThread() {
		return this.lock.isHeldByCurrentThread();
	}

	/**
	 * Run an operation that may share its commit with other writers.
	 * @param <T> the result type
	 * @param op the operation; it runs on whichever thread leads the commit
	 * @return its result
	 */
	<T> @Nullable T submit(Op<T> op) {
		return submit(op, false);
	}

	/**
	 * Run an operation that may share its commit with other writers.
	 * @param <T> the result type
	 * @param op the operation; it runs on whichever thread leads the commit
	 * @param singleStatement whether the operation is one SQL statement, which SQLite
	 * runs atomically on its own when no other write shares the commit
	 * @return its result
	 */
	<T> @Nullable T submit(Op<T> op, boolean singleStatement) {
		Pending<T> pending = new Pending<>(op, Thread.currentThread(), singleStatement);
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
	<T> @Nullable T exclusive(Op<T> op) {
		this.lock.lock();
		try {
			begin();
			T result;
			try {
				result = op.run(this.writer);
				this.beforeCommit.run();
			}
			catch (SQLException | RuntimeException | Error ex) {
				rollback();
				throw ex;
			}
			commit();
			return result;
		}
		catch (SQLException ex) {
			throw this.errors.translate(ex, "write");
		}
		finally {
			this.lock.unlock();
			wakeNext();
		}
	}

	/**
	 * Run an operation on the write connection outside any transaction (for
	 * {@code VACUUM}, checkpoints and pragmas).
	 * @param <T> the result type
	 * @param op the operation
	 * @return its result
	 */
	<T> @Nullable T outsideTransaction(Op<T> op) {
		this.lock.lock();
		try {
			return op.run(this.writer);
		}
		catch (SQLException ex) {
			throw this.errors.translate(ex, "maintenance");
		}
		finally {
			this.lock.unlock();
			wakeNext();
		}
	}

	private void wakeNext() {
		Pending<?> next = this.queue.peek();
		if (next != null) {
			LockSupport.unpark(next.waiter);
		}
	}

	/**
	 * How many commits may fall short of {@link #recentMaxBatch} before it is taken as
	 * the new count of active writers.
	 */
	private static final int WRITERS_MEMORY = 64;

	/**
	 * How many times a waiting writer yields before it parks: about 100-200 µs, a commit
	 * at {@code synchronous=FULL}. With 4 writers this lifts group commit at {@code FULL}
	 * from about 2.5 to 2.7 times one commit per put (JMH, 2 forks each).
	 */
	private static final int SPIN_YIELDS = (Runtime.getRuntime().availableProcessors() > 1) ? 200 : 0;

	/**
	 * When recent commits were shared, give the writers the last commit released a moment
	 * to queue their next operation, so that this commit carries them too (PostgreSQL's
	 * {@code commit_delay}). The leader waits for as many as the largest recent commit
	 * carried, for at most half the average commit time, and yields its CPU to them
	 * rather than spinning or sleeping: on two cores a spin starves them, and a sleep
	 * oversleeps. A lone writer never waits; one left alone after a burst waits at most
	 * half a commit, for at most {@link #WRITERS_MEMORY} commits.
	 * <p>
	 * Without the wait, 4 writers at {@code synchronous=NORMAL} fell into commits of 1, 2
	 * and 3 writes in turn (2.0 a commit): the leader, back first, committed whatever had
	 * queued. With it nearly every commit carries all 4, and the rate rose from
	 * 120-130k/s to 135-170k/s in the machine's slow phases, the same in its fast ones
	 * (JMH, interleaved runs). An earlier wait keyed on the last commit's size alone
	 * locked itself into that pattern.
	 */
	private void awaitCompanions() {
		int expected = Math.min(this.recentMaxBatch, this.maxBatch);
		if (expected < 2) {
			return;
		}
		long deadline = System.nanoTime() + this.commitNanos / 2;
		while (this.queue.size() < expected && System.nanoTime() < deadline) {
			Thread.yield();
		}
	}

	private void noteBatch(int size) {
		if (size >= this.recentMaxBatch) {
			this.recentMaxBatch = size;
			this.commitsSinceMax = 0;
		}
		else if (++this.commitsSinceMax > WRITERS_MEMORY) {
			// fewer writers now: forget the old peak
			this.recentMaxBatch = size;
			this.commitsSinceMax = 0;
		}
	}

	private void drain() {
		awaitCompanions();
		List<Pending<?>> batch = new ArrayList<>(Math.min(this.maxBatch, 16));
		Pending<?> next;
		while (batch.size() < this.maxBatch && (next = this.queue.poll()) != null) {
			batch.add(next);
		}
		if (batch.isEmpty()) {
			return;
		}
		long start = System.nanoTime();
		boolean merge = true;
		if (this.autocommitAllowed.getAsBoolean()) {
			if (batch.size() == 1 && batch.get(0).singleStatement) {
				// a lone statement runs in SQLite's own implicit transaction, which is
				// atomic and takes the write lock at once: BEGIN and COMMIT round trips
				// would add two statements to save nothing. Two or more share one
				// explicit transaction: at synchronous=NORMAL that measured 1.16 times as
				// fast as an implicit commit each (4 writers, JMH, 2 forks each)
				Pending<?> lone = batch.get(0);
				try {
					lone.run(this.writer);
				}
				catch (SQLException ex) {
					lone.error = this.errors.translate(ex, "write");
				}
				noteBatch(1);
				record(1, System.nanoTime() - start);
				completeAll(batch);
				return;
			}
			if (batch.get(0).op instanceof Table.Upsert && upsertRunEnd(batch, 0) == batch.size()) {
				// plain puts to one table, and no more than one statement takes: that
				// statement is the whole transaction
				boolean written = false;
				try {
					upsertRun(batch, 0, batch.size());
					written = true;
				}
				catch (SQLException | RuntimeException ex) {
					if (!isRowFault(ex)) {
						// the write lock held elsewhere, a full disk: a transaction would
						// meet the same, after another busy timeout
						failAll(batch, failure(ex));
						return;
					}
					// the statement wrote nothing: write the rows one at a time below, so
					// that only a row at fault fails
					merge = false;
				}
				catch (Error ex) {
					failAll(batch, failure(ex));
					throw ex;
				}
				if (written) {
					committed(batch, start);
					return;
				}
			}
		}
		try {
			begin();
			if (batch.size() == 1) {
				batch.get(0).run(this.writer);
				if (batch.get(0).error != null) {
					rollback();
					completeAll(batch);
					return;
				}
			}
			else {
				int i = 0;
				while (i < batch.size()) {
					int end = merge ? upsertRunEnd(batch, i) : i + 1;
					if (end - i > 1) {
						upsertRunOrEach(batch, i, end);
					}
					else {
						runInSavepoint(batch.get(i));
					}
					i = end;
				}
			}
			this.beforeCommit.run();
			commit();
		}
		catch (SQLException | RuntimeException | Error ex) {
			// whatever failed (BEGIN, a transaction hook, the statements or COMMIT),
			// every caller in the batch is told: none may stay parked
			rollback();
			failAll(batch, failure(ex));
			if (ex instanceof Error error) {
				throw error;
			}
			return;
		}
		committed(batch, start);
	}

	private void committed(List<Pending<?>> batch, long start) {
		long nanos = System.nanoTime() - start;
		noteBatch(batch.size());
		// a moving average of the commit time bounds how long the next leader waits
		this.commitNanos += (nanos - this.commitNanos) / 8;
		record(batch.size(), nanos);
		completeAll(batch);
	}

	/**
	 * Where the run of plain upserts to one table that starts at {@code from} ends: a run
	 * is written in one statement, of a row count {@link Table#statementRows} allows.
	 * @param batch the batch
	 * @param from the index of the run's first operation
	 * @return the index after its last; {@code from + 1} when the operation there is not
	 * an upsert
	 */
	private static int upsertRunEnd(List<Pending<?>> batch, int from) {
		if (!(batch.get(from).op instanceof Table.Upsert first)) {
			return from + 1;
		}
		int limit = Math.min(batch.size(), from + Table.UPSERT_ROWS);
		int end = from + 1;
		while (end < limit && batch.get(end).op instanceof Table.Upsert next && first.sameTable(next)) {
			end++;
		}
		// one statement of a count the table prepares; the rest starts the next run
		return from + Table.statementRows(end - from);
	}

	/**
	 * Write a run of plain upserts in one statement. At {@code synchronous=NORMAL} a
	 * statement costs about as much as the row it writes, so one statement for the puts
	 * of four writers, in place of four and a {@code BEGIN} and a {@code COMMIT}, lifted
	 * 4 writers from 160-179k to 218-240k puts/s (JMH, interleaved runs, 100k entries;
	 * one commit per put measured 138-150k/s in the same runs).
	 */
	private void upsertRun(List<Pending<?>> batch, int from, int to) throws SQLException {
		List<Table.Upsert> rows = new ArrayList<>(to - from);
		for (int i = from; i < to; i++) {
			rows.add((Table.Upsert) batch.get(i).op);
		}
		rows.get(0).table().upsert(this.writer, rows);
	}

	/**
	 * Write a run of plain upserts in one statement, inside the transaction; if that
	 * fails, write them one at a time, so that only a row at fault fails.
	 */
	private void upsertRunOrEach(List<Pending<?>> batch, int from, int to) throws SQLException {
		try {
			upsertRun(batch, from, to);
			return;
		}
		catch (SQLException | RuntimeException ex) {
			if (!isRowFault(ex)) {
				throw ex;
			}
			// a failed statement leaves the transaction as it was before it
		}
		for (int i = from; i < to; i++) {
			batch.get(i).run(this.writer);
		}
	}

	/**
	 * Whether a failed multi-row statement may have failed for one of its rows (a
	 * constraint, a value too big, a value that could not be bound), so that writing the
	 * rows one at a time lets the others succeed. Anything else (busy, read-only, full,
	 * I/O) would fail each row alike.
	 */
	private static boolean isRowFault(Exception ex) {
		if (!(ex instanceof SQLException sql)) {
			return true;
		}
		org.sqlite.SQLiteErrorCode code = ErrorTranslator.code(sql);
		if (code == null) {
			return !Pending.isTransactionFatal(sql);
		}
		String name = code.name();
		return name.startsWith("SQLITE_CONSTRAINT") || name.equals("SQLITE_TOOBIG") || name.equals("SQLITE_MISMATCH")
				|| name.equals("SQLITE_RANGE");
	}

	private RuntimeException failure(Throwable ex) {
		if (ex instanceof SQLException sql) {
			return this.errors.translate(sql, "write");
		}
		if (ex instanceof RuntimeException runtime) {
			return runtime;
		}
		return new PersistentDictException("Write failed: " + ex, ex);
	}

	private void runInSavepoint(Pending<?> pending) throws SQLException {
		if (pending.singleStatement) {
			// one statement is atomic on its own: it fails whole, leaving the others
			pending.run(this.writer);
			return;
		}
		this.writer.execute("SAVEPOINT op");
		pending.run(this.writer);
		if (pending.error != null) {
			this.writer.execute("ROLLBACK TO op");
		}
		this.writer.execute("RELEASE op");
	}

	private void begin() throws SQLException {
		try {
			this.writer.execute("BEGIN IMMEDIATE");
		}
		catch (SQLException ex) {
			if (!String.valueOf(ex.getMessage()).contains("within a transaction")) {
				throw ex;
			}
			// an earlier failure left a transaction open: end it, then start afresh
			rollback();
			this.writer.execute("BEGIN IMMEDIATE");
		}
		Runnable hook = this.afterBegin;
		if (hook != null) {
			try {
				hook.run();
			}
			catch (RuntimeException | Error ex) {
				rollback();
				throw ex;
			}
		}
	}

	private void commit() throws SQLException {
		this.writer.execute("COMMIT");
	}

	private void rollback() {
		try {
			this.writer.execute("ROLLBACK");
		}
		catch (SQLException ex) {
			// SQLite may already have rolled back (after SQLITE_FULL, for example), or
			// the
			// cached statement was finalized: try once more on a fresh statement
			try (java.sql.Statement statement = this.writer.connection().createStatement()) {
				statement.execute("ROLLBACK");
			}
			catch (SQLException again) {
				logger.debug("Rollback failed; no transaction was open", again);
			}
		}
	}

	private void record(int operations, long nanos) {
		try {
			this.recorder.recordCommit(operations, nanos);
		}
		catch (RuntimeException ex) {
			logger.warn("StatsRecorder failed; ignoring", ex);
		}
	}

	private static void failAll(List<Pending<?>> batch, RuntimeException error) {
		for (Pending<?> pending : batch) {
			if (pending.error == null) {
				pending.error = error;
			}
		}
		completeAll(batch);
	}

	private static void completeAll(List<Pending<?>> batch) {
		for (Pending<?> pending : batch) {
			pending.done = true;
			if (pending.waiter != Thread.currentThread()) {
				LockSupport.unpark(pending.waiter);
			}
		}
	}

	/**
	 * An operation waiting for its commit.
	 */
	private static final class Pending<T> {

		final Op<T> op;

		final Thread waiter;

		final boolean singleStatement;

		volatile boolean done;

		private @Nullable T value;

		@Nullable Throwable error;

		Pending(Op<T> op, Thread waiter, boolean singleStatement) {
			this.op = op;
			this.waiter = waiter;
			this.singleStatement = singleStatement;
		}

		void run(ConnState writer) throws SQLException {
			try {
				this.value = this.op.run(writer);
			}
			catch (RuntimeException | Error ex) {
				this.error = ex;
			}
			catch (SQLException ex) {
				if (isTransactionFatal(ex)) {
					throw ex;
				}
				this.error = ex;
			}
		}

		@Nullable T result(ErrorTranslator errors) {
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
				throw errors.translate(sql, "write");
			}
			throw new PersistentDictException("Write failed: " + failure.getMessage(), failure);
		}

		private static boolean isTransactionFatal(SQLException ex) {
			String message = String.valueOf(ex.getMessage());
			return message.contains("SQLITE_FULL") || message.contains("SQLITE_IOERR")
					|| message.contains("SQLITE_CORRUPT") || message.contains("SQLITE_NOMEM");
		}

	}

}
