package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import io.persistentdict.engine.ChangeFeed;
import io.persistentdict.engine.ChangeListener;
import io.persistentdict.engine.Session;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Other instances' commits, heard over {@code LISTEN}/{@code NOTIFY}, one channel per
 * schema.
 *
 * <p>
 * <strong>Publishing.</strong> Every write transaction of a store that has a near cache
 * (the neutral layer calls {@link #inTransaction} then) notes the keys it writes in its
 * {@link PgSession}, which sends them in one {@code pg_notify} just before it commits
 * ({@link PgChanges} says how). PostgreSQL delivers it at the commit, and drops it on a
 * rollback. It is sent only once an instance may listen on the schema
 * ({@link PgListeners}: a listener raises a row, and waits for the transactions that may
 * have missed it before it serves).
 *
 * <p>
 * <strong>Listening.</strong> Started by the first near-cache read or write, a daemon
 * thread holds one connection of the data source in autocommit, sends {@code LISTEN},
 * raises the row that makes writers notify and waits for the transactions that may have
 * missed it ({@link PgListeners#raise}), and waits for notifications
 * {@value #WAIT_MILLIS} ms at a time (never without a timeout, which could block for ever
 * after a network drop). Every {@value #PROBE_MILLIS} ms it proves the connection alive
 * with {@code isValid}, and checks the row is still there: the server sends the
 * notifications of every transaction that committed before the probe ahead of its answer,
 * so once they are applied, the near caches are known fresh as of the probe's start.
 *
 * <p>
 * <strong>The bound.</strong> The feed is {@linkplain #ready ready}, and near caches take
 * and serve entries, only while the last such proof started less than the lease
 * ({@value #LEASE_MILLIS} ms by default) ago. So a value that another instance replaced
 * is never served here later than the lease after that commit, even when the connection
 * dies silently; in the usual case its notification drops the key within a millisecond or
 * two. When the connection fails, or the lease runs out, every near cache is cleared and
 * bypassed (a read then clears them again before it looks), and the thread connects again
 * with a backoff ({@value #MIN_BACKOFF_MILLIS} ms doubling to
 * {@value #MAX_BACKOFF_MILLIS} ms while attempts fail, and {@value #MIN_BACKOFF_MILLIS}
 * ms again after a session that listened), listens, clears the caches once more and is
 * ready again.
 */
final class PgChangeFeed implements ChangeFeed {

	private static final Logger logger = LoggerFactory.getLogger(PgChangeFeed.class);

	/** The {@code application_name} of the listening connection. */
	static final String APPLICATION_NAME = "persistentdict listener";

	static final long LEASE_MILLIS = 1000;

	static final long PROBE_MILLIS = 250;

	static final int WAIT_MILLIS = 100;

	static final long MIN_BACKOFF_MILLIS = 50;

	static final long MAX_BACKOFF_MILLIS = 2000;

	/** The most that stopping to listen may take before a connection goes back. */
	static final int CLEANUP_MILLIS = 1000;

	private final DataSource dataSource;

	private final String channel;

	/** Whether an instance may listen: writers announce only then. */
	private final PgListeners listeners;

	private final String location;

	private final boolean utf8;

	private final long leaseNanos;

	/** The dicts this store opened, by table name. */
	private final Map<String, String> dicts = new ConcurrentHashMap<>();

	private volatile ChangeListener listener = ChangeListener.IGNORE;

	private volatile @Nullable Thread thread;

	private volatile boolean listening;

	/** Until when, in {@code System.nanoTime()}, the caches are known fresh. */
	private volatile long freshUntil;

	private volatile boolean closed;

	private volatile int backendPid;

	/**
	 * Create the feed of a schema.
	 * @param dataSource where the listening connection comes from
	 * @param schema the schema, validated
	 * @param location the store, for messages
	 * @param utf8 whether the server's encoding takes text as UTF-8 does
	 * @param leaseMillis how long a proof of the connection lasts
	 */
	PgChangeFeed(DataSource dataSource, String schema, String location, boolean utf8, long leaseMillis) {
		this.dataSource = dataSource;
		this.channel = channel(schema);
		this.listeners = new PgListeners(schema, location);
		this.location = location;
		this.utf8 = utf8;
		this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis);
	}

	/**
	 * Return the channel of a schema: {@code pd_} and the schema, cut to PostgreSQL's 63
	 * bytes (two long schemas that share a channel only see each other's invalidations).
	 * @param schema the schema
	 * @return the channel
	 */
	static String channel(String schema) {
		String name = "pd_" + schema;
		return (name.length() > 63) ? name.substring(0, 63) : name;
	}

	/**
	 * Tell the feed of a dict's table, so that notifications about it reach its cache.
	 * @param table the table's name
	 * @param qualifiedName the dict's qualified name
	 */
	void register(String table, String qualifiedName) {
		this.dicts.put(table, qualifiedName);
	}

	@Override
	public void listen(ChangeListener listener) {
		this.listener = listener;
	}

	@Override
	public boolean ready() {
		start();
		return this.listening && System.nanoTime() - this.freshUntil < 0;
	}

	/**
	 * Notifications arrive on the listener's own thread; here a feed that is not ready
	 * clears the caches, so that none serves an entry it took before.
	 */
	@Override
	public void poll() {
		if (!ready()) {
			this.listener.clearAll();
		}
	}

	/** A write transaction of a store with near caches: it announces what it writes. */
	@Override
	public void inTransaction(Session writer) {
		start();
		PgSession.of(writer).publishTo(this.channel, this.utf8);
	}

	@Override
	public void close() {
		this.closed = true;
		Thread current = this.thread;
		if (current != null) {
			current.interrupt();
			try {
				current.join(TimeUnit.SECONDS.toMillis(2));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Return the listening connection's backend process id, 0 while none. */
	int backendPid() {
		return this.backendPid;
	}

	String channel() {
		return this.channel;
	}

	private void start() {
		if (this.thread != null || this.closed) {
			return;
		}
		synchronized (this) {
			if (this.thread == null && !this.closed) {
				Thread started = new Thread(this::run, "persistentdict-listener-" + this.channel);
				started.setDaemon(true);
				this.thread = started;
				started.start();
			}
		}
	}

	private void run() {
		long backoff = 0;
		while (!this.closed) {
			Connection connection = null;
			boolean listened = false;
			try {
				connection = this.dataSource.getConnection();
				listenOn(connection);
			}
			catch (SQLException | RuntimeException ex) {
				listened = this.listening;
				lost(ex);
			}
			finally {
				if (connection != null) {
					release(connection);
				}
			}
			if (!this.closed) {
				backoff = nextBackoff(backoff, listened);
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
			}
		}
	}

	/**
	 * Return the wait before the next attempt to listen: it doubles while attempts fail,
	 * and starts again from {@value #MIN_BACKOFF_MILLIS} ms after a session that did
	 * listen, so that a connection dropped now and then (a failover, an administrator's
	 * {@code pg_terminate_backend}) is replaced at once, however many were dropped
	 * before.
	 * @param previous the last wait, 0 for none
	 * @param listened whether the session that just ended had listened
	 * @return the next wait in milliseconds
	 */
	static long nextBackoff(long previous, boolean listened) {
		long base = listened ? 0 : previous;
		return Math.min(MAX_BACKOFF_MILLIS, Math.max(MIN_BACKOFF_MILLIS, base * 2));
	}

	/** Listen on a connection until it fails or the feed closes. */
	private void listenOn(Connection connection) throws SQLException {
		if (!connection.getAutoCommit()) {
			connection.rollback();
			connection.setAutoCommit(true);
		}
		PGConnection pg = connection.unwrap(PGConnection.class);
		long start = System.nanoTime();
		try (Statement statement = connection.createStatement()) {
			statement
				.execute("SET application_name = '" + APPLICATION_NAME + "'; LISTEN " + PgSchema.quote(this.channel));
		}
		// a network drop fails the statements of this session within the second
		connection.setNetworkTimeout(Runnable::run, 1000);
		this.listeners.raise(connection, () -> this.closed);
		this.backendPid = pg.getBackendPID();
		// what a read took before LISTEN may be stale: clear it, then serve again
		this.listener.clearAll();
		this.freshUntil = start + this.leaseNanos;
		this.listening = true;
		logger.debug("Store {} listens on channel {}", this.location, this.channel);
		long nextProbe = start + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
		while (!this.closed) {
			deliver(pg.getNotifications(WAIT_MILLIS));
			long now = System.nanoTime();
			if (now - nextProbe >= 0) {
				if (!connection.isValid(1)) {
					throw new SQLException("the listening connection no longer answers", "08006");
				}
				// what arrived with the probe's answer
				deliver(pg.getNotifications());
				boolean raised = this.listeners.isRaised(connection);
				if (!raised) {
					// someone deleted the row: writes since went unannounced
					this.listening = false;
					this.listener.clearAll();
					this.listeners.raise(connection, () -> this.closed);
					this.listener.clearAll();
					this.listening = true;
				}
				this.freshUntil = now + this.leaseNanos;
				nextProbe = now + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
			}
		}
	}

	private void deliver(PGNotification @Nullable [] notifications) {
		if (notifications == null) {
			return;
		}
		ChangeListener current = this.listener;
		for (PGNotification notification : notifications) {
			PgChanges.read(notification.getParameter(), new PgChanges.Reader() {

				@Override
				public void all() {
					current.clearAll();
				}

				@Override
				public void table(String table) {
					String dict = PgChangeFeed.this.dicts.get(table);
					if (dict != null) {
						current.clear(dict);
					}
				}

				@Override
				public void key(String table, Object key) {
					String dict = PgChangeFeed.this.dicts.get(table);
					if (dict != null) {
						current.invalidate(dict, key);
					}
				}

			});
		}
	}

	private void lost(Exception ex) {
		boolean was = this.listening;
		this.listening = false;
		this.backendPid = 0;
		this.listener.clearAll();
		if (this.closed) {
			return;
		}
		if (was) {
			logger.warn("Store {} lost its connection listening for other instances' writes ({}); its near caches"
					+ " are cleared and bypassed until it listens again", this.location, ex.toString());
		}
		else {
			logger.debug("Store {} could not listen for other instances' writes", this.location, ex);
		}
	}

	/**
	 * Give the connection back as the pool lent it, or let the pool drop a broken one:
	 * whether the feed closes or the session failed, stop listening through the pool's
	 * own connection object, within {@value #CLEANUP_MILLIS} ms. On a connection that
	 * works, that keeps notifications from piling up in a pooled connection that nobody
	 * reads them from; on one that died (the listener reads through the driver's own
	 * connection, which the pool does not watch), the statement's failure is what tells
	 * the pool to drop it, rather than lend it again at once, to this feed or to a read
	 * or write of the application.
	 */
	private void release(Connection connection) {
		this.listening = false;
		this.backendPid = 0;
		try {
			connection.setNetworkTimeout(Runnable::run, CLEANUP_MILLIS);
			try (Statement statement = connection.createStatement()) {
				statement.execute("UNLISTEN *; RESET application_name");
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Could not stop listening before giving the connection back", ex);
		}
		try {
			connection.close();
		}
		catch (SQLException ex) {
			logger.debug("Giving the listening connection back failed", ex);
		}
	}

}
