package io.persistentdict.postgres;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import io.persistentdict.PersistentDictException;
import io.persistentdict.StatsRecorder;
import io.persistentdict.engine.ErrorKind;
import io.persistentdict.engine.Exchange;
import io.persistentdict.engine.Offer;
import io.persistentdict.engine.RowOp;
import io.persistentdict.engine.GroupCommit;
import io.persistentdict.engine.Op;
import io.persistentdict.engine.Session;
import io.persistentdict.engine.Take;
import io.persistentdict.engine.TransactionHooks;
import io.persistentdict.engine.WriteScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the PostgreSQL engine runs writes. Every instance of the application writes to the
 * same tables, so atomicity comes from PostgreSQL's isolation, not from a lock in this
 * JVM, and writes to different keys proceed in parallel.
 * <ul>
 * <li>A write that reads then writes one key ({@code put}, {@code putIfAbsent},
 * {@code remove}, {@code replace}, {@code expire}: {@code submit(op, false)}) runs in a
 * {@code REPEATABLE READ} transaction on a connection of its own. Two of them on one key
 * cannot both commit: the second to write a row that the first changed, or to insert one
 * the first inserted, fails with a serialization failure (SQLSTATE 40001). That is all
 * these operations need, since they read and write the same key; {@code SERIALIZABLE}
 * would add predicate locks that PostgreSQL keeps per index page, so that two writes to
 * different keys on one page would also fail each other.</li>
 * <li>A write that runs user code or many keys ({@code compute}, {@code merge},
 * {@code batch}, {@code putAll}, catalog changes: {@code exclusive(op)}) runs at
 * {@code REPEATABLE READ} too, on the calling thread: every key it writes is exact, as
 * above. {@code SERIALIZABLE} would also protect a function that reads one key and writes
 * another against write skew, but its page-level predicate locks failed 8 of 80,000
 * hot-key merges of 3-4 JVMs past every retry (the reliability suite's contention test);
 * a function that decides on keys it does not write may see them change.</li>
 * <li>Both run again, from the start, when PostgreSQL reports a serialization failure or
 * a deadlock (40001, 40P01): up to {@value #MAX_ATTEMPTS} times, after a jittered backoff
 * that grows with each attempt. So an operation, and a {@code compute} or {@code merge}
 * function, may run more than once; only one run commits.</li>
 * <li>{@code put} ({@link Exchange}), {@code putIfAbsent} of an unbounded dict
 * ({@link Offer}) and {@code remove} ({@link Take}) are one statement each that is exact
 * on its own at {@code READ COMMITTED} ({@link PgSwaps}): when no transaction hook has
 * work, it runs in autocommit, with its {@code NOTIFY} in the statement, in one round
 * trip.</li>
 * <li>Blind upserts ({@code set}) and sweep batches ({@code submit(op, true)}) share
 * commits through {@link GroupCommit}, over a {@link PgSession} that borrows a connection
 * for each batch: at {@code READ COMMITTED} a blind upsert needs nothing more, and a lone
 * one (or one multi-row upsert of a batch's rows) is one statement in autocommit that
 * carries its own {@code NOTIFY} (a lone one, while no instance listens, the bare upsert
 * under the store's {@link PgQuietLease}), unless the store has near caches: then every
 * write runs in a transaction, whose commit sends one {@code NOTIFY}
 * ({@link PgChangeFeed}). Their multi-row statements lock rows in key order, so two
 * instances' batches do not deadlock; a deadlock with anything else is run again by
 * {@code GroupCommit}.</li>
 * <li>Reads and writes from inside an {@code exclusive} operation (a {@code compute}
 * function, a batch, {@code DictStore.inTransaction}) join its transaction
 * ({@link #currentSession()}), each in a savepoint; a store failure among them rolls the
 * whole transaction back, or runs it again when it is a conflict.</li>
 * <li>A write whose commit loses its connection is never run again: its outcome is
 * unknown, and the caller is told so.</li>
 * </ul>
 */
final class PgWrites implements WriteScheduler {

	private static final Logger logger = LoggerFactory.getLogger(PgWrites.class);

	/** How many times a conflicting transaction runs before the caller is told. */
	static final int MAX_ATTEMPTS = 30;

	/** The longest backoff between two attempts, in microseconds. */
	private static final long MAX_BACKOFF_MICROS = 50_000;

	private final DataSource dataSource;

	private final PgErrors errors;

	private final @Nullable String preamble;

	private final StatsRecorder recorder;

	private final GroupCommit group;

	private final PgSession groupSession;

	private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

	/** The transaction the calling thread runs in {@link #exclusive}, if any. */
	private final ThreadLocal<@Nullable Open> open = new ThreadLocal<>();

	/** A transaction that the calling thread's reads and writes join. */
	private static final class Open {

		final PgSession session;

		/** The store failure that dooms it, even if the work caught it. */
		@Nullable SQLException rollbackCause;

		Open(PgSession session) {
			this.session = session;
		}

	}

	private volatile TransactionHooks hooks = TransactionHooks.NONE;

	private final String channel;

	/** The statement that sends a transaction's {@code NOTIFY}, when one may listen. */
	private final String announcement;

	private final boolean utf8;

	private final PgStatements kept;

	PgWrites(DataSource dataSource, PgErrors errors, @Nullable String preamble, int maxBatch, StatsRecorder recorder,
			String schema, boolean utf8, PgStatements kept) {
		this.dataSource = dataSource;
		this.errors = errors;
		this.preamble = preamble;
		this.recorder = recorder;
		this.channel = PgChangeFeed.channel(schema);
		this.announcement = PgListeners.announcement(schema);
		this.utf8 = utf8;
		this.kept = kept;
		this.groupSession = new PgSession(dataSource, preamble, this.channel, this.announcement, utf8, kept);
		// every commit announces what it writes, so that other instances' near caches
		// drop it (one NOTIFY per commit): a lone statement in autocommit carries its
		// own (PgSession.announcesInline). A preamble (synchronous_commit off) needs a
		// transaction to apply to
		this.group = new GroupCommit(this.groupSession, maxBatch, recorder, errors, preamble == null);
	}

	void hooks(TransactionHooks hooks) {
		this.hooks = hooks;
		this.group.hooks(hooks);
	}

	@Override
	public <T> @Nullable T submit(Op<T> op, boolean singleStatement) {
		Open current = this.open.get();
		if (current != null) {
			return nested(current, op);
		}
		if (singleStatement) {
			return this.group.submit(op, true);
		}
		if (op instanceof RowOp && this.preamble == null && this.hooks.idle()) {
			return alone(op);
		}
		return transaction(op, "REPEATABLE READ");
	}

	/**
	 * Run a one-statement operation that is exact on its own at {@code READ COMMITTED}
	 * ({@link PgSwaps}) in autocommit: one round trip, its {@code NOTIFY} in the
	 * statement. A conflict changed nothing, so it runs again.
	 */
	private <T> @Nullable T alone(Op<T> op) {
		for (int attempt = 1;; attempt++) {
			long start = System.nanoTime();
			PgSession session = new PgSession(this.dataSource, null, this.channel, this.announcement, this.utf8,
					this.kept);
			try {
				T result = op.run(session);
				record(System.nanoTime() - start);
				return result;
			}
			catch (SQLException ex) {
				if (attempt < MAX_ATTEMPTS && this.errors.classify(ex) == ErrorKind.CONFLICT) {
					backoff(attempt);
					continue;
				}
				throw this.errors.translate(ex, "write", null);
			}
			finally {
				session.release();
			}
		}
	}

	@Override
	public <T> @Nullable T exclusive(Op<T> op) {
		Open current = this.open.get();
		if (current != null) {
			return nested(current, op);
		}
		int[] held = this.depth.get();
		held[0]++;
		try {
			return transaction(op, "REPEATABLE READ");
		}
		finally {
			held[0]--;
		}
	}

	/**
	 * Return the session of the transaction the calling thread runs in {@link #exclusive}
	 * (a compute function, a batch, {@code DictStore.inTransaction}).
	 */
	@Override
	public @Nullable Session currentSession() {
		Open current = this.open.get();
		return (current != null) ? current.session : null;
	}

	/**
	 * Run an operation inside the calling thread's open transaction, in a savepoint of
	 * its own, so that a failure undoes only its own writes. A store failure marks the
	 * whole transaction for rollback (or for running again, when it is a conflict), even
	 * if the caller catches it.
	 */
	private <T> @Nullable T nested(Open current, Op<T> op) {
		PgSession session = current.session;
		try {
			session.savepoint();
			T result;
			try {
				result = op.run(session);
			}
			catch (SQLException | RuntimeException | Error ex) {
				session.rollbackToSavepoint();
				session.releaseSavepoint();
				throw ex;
			}
			session.releaseSavepoint();
			return result;
		}
		catch (SQLException ex) {
			if (current.rollbackCause == null) {
				current.rollbackCause = ex;
			}
			throw this.errors.translate(ex, "write", null);
		}
	}

	@Override
	public <T> @Nullable T outsideTransaction(Op<T> op) {
		return this.group.outsideTransaction(op);
	}

	@Override
	public boolean tryOutsideTransaction(Op<?> op) {
		return this.group.tryOutsideTransaction(op);
	}

	@Override
	public boolean isHeldByCurrentThread() {
		return this.depth.get()[0] > 0 || this.group.isHeldByCurrentThread();
	}

	private <T> @Nullable T transaction(Op<T> op, String isolation) {
		for (int attempt = 1;; attempt++) {
			long start = System.nanoTime();
			PgSession session = new PgSession(this.dataSource, this.preamble, this.channel, this.announcement,
					this.utf8, this.kept);
			try {
				session.begin(isolation);
				this.hooks.afterBegin(session);
				Open current = new Open(session);
				T result;
				this.open.set(current);
				try {
					result = op.run(session);
				}
				finally {
					this.open.remove();
				}
				SQLException cause = current.rollbackCause;
				if (cause != null) {
					// caught by the work, yet its transaction cannot commit
					throw cause;
				}
				this.hooks.beforeCommit(session);
				session.commit();
				record(System.nanoTime() - start);
				return result;
			}
			catch (SQLException ex) {
				session.rollback();
				if (attempt < MAX_ATTEMPTS && this.errors.classify(ex) == ErrorKind.CONFLICT) {
					backoff(attempt);
					continue;
				}
				throw this.errors.translate(ex, "write", null);
			}
			catch (RuntimeException ex) {
				session.rollback();
				// a batch's function sees a conflict as the translated exception
				if (attempt < MAX_ATTEMPTS && isConflict(ex)) {
					backoff(attempt);
					continue;
				}
				throw ex;
			}
			catch (Error ex) {
				session.rollback();
				throw ex;
			}
			finally {
				session.release();
			}
		}
	}

	private boolean isConflict(RuntimeException ex) {
		if (!(ex instanceof PersistentDictException)) {
			return false;
		}
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				return this.errors.classify(sql) == ErrorKind.CONFLICT;
			}
		}
		return false;
	}

	private static void backoff(int attempt) {
		long bound = Math.min(MAX_BACKOFF_MICROS, 100L << Math.min(attempt, 10));
		LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(bound)));
		if (Thread.currentThread().isInterrupted()) {
			logger.debug("Interrupted while backing off a conflicting write; it runs again at once");
		}
	}

	private void record(long nanos) {
		try {
			this.recorder.recordCommit(1, nanos);
		}
		catch (RuntimeException ex) {
			logger.warn("StatsRecorder failed; ignoring", ex);
		}
	}

}
