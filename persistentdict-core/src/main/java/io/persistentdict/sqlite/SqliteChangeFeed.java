package io.persistentdict.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;

import io.persistentdict.engine.ChangeFeed;
import io.persistentdict.engine.ChangeListener;
import io.persistentdict.engine.Session;
import org.jspecify.annotations.Nullable;

/**
 * Other connections' commits, seen through {@code PRAGMA data_version}: it changes on a
 * connection only when another connection commits. Any change clears every near cache.
 *
 * <p>
 * It is read on the writer when the writer is free (and at the start of every write
 * transaction), so this store's own commits do not count. While the writer is busy (a
 * checkpoint, a vacuum, a long batch), and on a read-only store, it is read through a
 * monitor connection instead, which cannot tell this store's own commits from others':
 * then any change clears.
 */
final class SqliteChangeFeed implements ChangeFeed {

	private static final String DATA_VERSION = "PRAGMA data_version";

	private final SqliteEngine engine;

	private final Object monitorLock = new Object();

	private volatile ChangeListener listener = ChangeListener.IGNORE;

	/** The last data version seen on the writer, or -1 before the first look. */
	private volatile long dataVersion = -1;

	/** Guarded by {@link #monitorLock}. */
	private @Nullable SqliteSession monitor;

	/**
	 * The data version the monitor last saw, or -1 before its first look. Guarded by
	 * {@link #monitorLock}.
	 */
	private long monitorVersion = -1;

	SqliteChangeFeed(SqliteEngine engine) {
		this.engine = engine;
	}

	@Override
	public void listen(ChangeListener listener) {
		this.listener = listener;
	}

	/**
	 * Only once a baseline is known is a later change by another process sure to show.
	 */
	@Override
	public boolean ready() {
		return this.dataVersion != -1;
	}

	@Override
	public void poll() {
		if (this.engine.readOnly()) {
			synchronized (this.monitorLock) {
				observe(monitor());
			}
		}
		else if (!this.engine.writes().tryOutsideTransaction((writer) -> {
			observe(SqliteSession.of(writer));
			return null;
		})) {
			observeThroughMonitor();
		}
	}

	@Override
	public void inTransaction(Session writer) throws SQLException {
		observe(version(SqliteSession.of(writer)));
	}

	private void observe(SqliteSession connection) {
		try {
			observe(version(connection));
		}
		catch (SQLException ex) {
			throw this.engine.errors().translate(ex, "read the data version");
		}
	}

	private void observe(long version) {
		long previous = this.dataVersion;
		if (previous != -1 && previous != version) {
			this.listener.clearAll();
		}
		this.dataVersion = version;
	}

	private void observeThroughMonitor() {
		synchronized (this.monitorLock) {
			long version;
			try {
				version = version(monitor());
			}
			catch (SQLException ex) {
				throw this.engine.errors().translate(ex, "read the data version");
			}
			// a first look has nothing to compare with: anything may have changed
			if (this.monitorVersion == -1 || this.monitorVersion != version) {
				this.listener.clearAll();
			}
			this.monitorVersion = version;
		}
	}

	private SqliteSession monitor() {
		SqliteSession current = this.monitor;
		if (current == null) {
			try {
				current = new SqliteSession(this.engine.connect());
			}
			catch (SQLException ex) {
				throw this.engine.errors().translate(ex, "read the data version");
			}
			this.monitor = current;
		}
		return current;
	}

	private static long version(SqliteSession connection) throws SQLException {
		try (ResultSet rs = connection.prepare(DATA_VERSION).executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
	}

	@Override
	public void close() {
		synchronized (this.monitorLock) {
			if (this.monitor != null) {
				this.monitor.close();
			}
		}
	}

}
