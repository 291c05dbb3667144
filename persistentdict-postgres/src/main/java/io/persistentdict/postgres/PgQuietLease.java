package io.persistentdict.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * A writer's proof, good for {@value #MILLIS} ms of the server's clock, that no instance
 * listens on its schema's channel ({@link PgListeners}), so that its lone {@code set} may
 * run as the bare upsert, without the {@code EXISTS} check and the {@code NOTIFY} wrapped
 * around it.
 *
 * <p>
 * A lone write that checks for the {@code listened} row, and does not find it, grants the
 * lease: until its statement's {@code now()} plus {@value #MILLIS} ms. A write under the
 * lease carries its end, and the server writes only while {@code clock_timestamp()} is
 * before it; past it, the statement writes nothing and the write runs again with the
 * check, which renews the lease or finds a listener.
 *
 * <p>
 * Why that is safe: the check's {@code now()} is taken before its snapshot, and the
 * snapshot did not see the row, so the lease ends before the row's commit plus
 * {@value #MILLIS} ms. A listener, after it raised the row, waits that long on the
 * server's clock ({@link PgListeners#raise}) and only then collects the transactions
 * still running, which it waits for. A write that passed the guard did so before that
 * collection, inside a transaction that had already begun: it is waited for, or it had
 * committed before the listener trusted its caches. A step of the server's clock
 * backwards by more than the lease, while a listener starts, could let one write through
 * unannounced, as it could mislead any lease.
 *
 * <p>
 * Measured (JMH {@code PostgresBenchmark.set}, five interleaved rounds before and after):
 * the dict's {@code set} went from 0.68-0.77x of raw pgjdbc to 0.73-0.87x. With pgbench,
 * the check and its CTE cost a one-row upsert about 5% on the server; the rest was the
 * payload and the result row. Thread-safe.
 */
final class PgQuietLease {

	/** How long a lease lasts, and how long a new listener waits for leases to end. */
	static final long MILLIS = 100;

	/**
	 * How much sooner than the server a writer takes its lease as over, for the time
	 * between its check and its next statement's arrival.
	 */
	private static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	/**
	 * The SQL column a checking statement returns: the lease's end, or null, as text
	 * (ISO, with its offset: pgjdbc keeps {@code DateStyle} at ISO), which the guard
	 * binds back as it came, so that no {@code set} under the lease formats or parses a
	 * timestamp in the JVM.
	 */
	static final String GRANT = "CASE WHEN NOT l.heard THEN (now() + interval '" + MILLIS + " milliseconds')::text END";

	/** The guard that a statement under the lease carries, its end bound. */
	static final String GUARD = "clock_timestamp() < ?::timestamptz";

	private record Granted(String end, long localDeadline) {
	}

	private final AtomicReference<@Nullable Granted> granted = new AtomicReference<>();

	/**
	 * Return the end of the lease, or {@code null} when there is none, or it is over by
	 * this JVM's clock (it may still be over by the server's: the guard decides).
	 * @return the end, as the server's time
	 */
	@Nullable String current() {
		Granted now = this.granted.get();
		if (now == null) {
			return null;
		}
		if (System.nanoTime() - now.localDeadline() > 0) {
			// only this lease: another thread may have stored a newer one
			this.granted.compareAndSet(now, null);
			return null;
		}
		return now.end();
	}

	/**
	 * Take the lease a checking statement granted, or note that it found a listener.
	 * @param rs its result, on its row
	 * @param column the column of {@link #GRANT}
	 * @param sentNanos {@link System#nanoTime()} before the statement was sent
	 * @throws SQLException on failure
	 */
	void checked(ResultSet rs, int column, long sentNanos) throws SQLException {
		String end = rs.getString(column);
		this.granted.set((end != null)
				? new Granted(end, sentNanos + TimeUnit.MILLISECONDS.toNanos(MILLIS) - MARGIN_NANOS) : null);
	}

	/**
	 * The server refused the lease it was given: that lease is over.
	 * @param end the end it was given
	 */
	void over(String end) {
		Granted now = this.granted.get();
		if (now != null && now.end().equals(end)) {
			this.granted.compareAndSet(now, null);
		}
	}

}
