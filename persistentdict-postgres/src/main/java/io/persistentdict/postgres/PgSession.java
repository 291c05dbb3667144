package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.persistentdict.engine.Session;
import io.persistentdict.engine.WriteSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection borrowed from the application's {@link DataSource} for one unit of work (a
 * read, a transaction, a group commit's batch), and given back by {@link #release()}. It
 * is borrowed lazily, on the first statement, so a batch that needs none borrows none.
 * Statements stay open on the physical connection behind the borrowed one between borrows
 * ({@link PgStatements}); pgjdbc prepares each on the server after
 * {@code prepareThreshold} uses, and the statement text is constant per table. Used by
 * one thread at a time.
 *
 * <p>
 * A transaction starts with pgjdbc's own {@code BEGIN}, which it sends in the same round
 * trip as the first statement; the isolation level (and, for {@code Synchronous.OFF},
 * {@code SET LOCAL synchronous_commit = off}) go in one more.
 */
final class PgSession implements WriteSession {

	private static final Logger logger = LoggerFactory.getLogger(PgSession.class);

	private final DataSource dataSource;

	private final @Nullable String preamble;

	/** The statements prepared on this borrow, when they cannot be kept; made on use. */
	private @Nullable Map<String, PreparedStatement> statements;

	/** The dicts this unit of work writes, for messages; made on the first write. */
	private @Nullable Set<String> dicts;

	private @Nullable Connection connection;

	private boolean inTransaction;

	/** The channel every write transaction announces on, or {@code null} for none. */
	private final @Nullable String announceOn;

	/**
	 * The statement that sends a transaction's one {@code NOTIFY}; unused without a
	 * channel.
	 */
	private final String announcement;

	private final boolean utf8;

	/** Where this transaction's changes are announced, or {@code null} for nowhere. */
	private @Nullable String channel;

	private @Nullable PgChanges changes;

	/** The store's statements kept per physical connection, or {@code null}. */
	private final @Nullable PgStatements kept;

	/** The borrowed connection's physical connection and its kept statements. */
	private PgStatements.@Nullable Kept physical;

	/** Whether the statements of the borrowed connection cannot be kept. */
	private boolean unkept;

	/**
	 * Create a session.
	 * @param dataSource where connections come from
	 * @param preamble what every transaction runs first, or {@code null}
	 */
	PgSession(DataSource dataSource, @Nullable String preamble) {
		this(dataSource, preamble, null, "", true, null);
	}

	/**
	 * Create a session for reads and work that announces nothing.
	 * @param dataSource where connections come from
	 * @param kept the store's statements kept per physical connection, or {@code null} to
	 * prepare them on each borrow
	 * @return the session
	 */
	static PgSession reads(DataSource dataSource, @Nullable PgStatements kept) {
		return new PgSession(dataSource, null, null, "", true, kept);
	}

	/**
	 * Create a session whose every write transaction announces what it writes with the
	 * given statement.
	 * @param dataSource where connections come from
	 * @param preamble what every transaction runs first, or {@code null}
	 * @param channel the channel to announce on, or {@code null} for none
	 * @param announcement the statement that announces, its channel and payload bound
	 * ({@link PgListeners#announcement})
	 * @param utf8 whether the server's encoding takes text as UTF-8 does
	 * @param kept the store's statements kept per physical connection, or {@code null} to
	 * prepare them on each borrow
	 */
	PgSession(DataSource dataSource, @Nullable String preamble, @Nullable String channel, String announcement,
			boolean utf8, @Nullable PgStatements kept) {
		this.dataSource = dataSource;
		this.preamble = preamble;
		this.announcement = announcement;
		this.announceOn = channel;
		this.utf8 = utf8;
		this.kept = kept;
	}

	static PgSession of(Session session) {
		return (PgSession) session;
	}

	Connection connection() throws SQLException {
		Connection current = this.connection;
		if (current == null) {
			current = this.dataSource.getConnection();
			this.connection = current;
			if (!current.getAutoCommit()) {
				// a pool that hands out connections in a transaction: start from none
				current.rollback();
				current.setAutoCommit(true);
			}
		}
		return current;
	}

	PreparedStatement prepare(String sql) throws SQLException {
		PgStatements.Kept on = this.physical;
		if (on == null && this.kept != null && !this.unkept) {
			on = this.kept.of(connection());
			this.physical = on;
			this.unkept = (on == null);
		}
		if (on != null) {
			return on.prepare(sql);
		}
		Map<String, PreparedStatement> prepared = this.statements;
		if (prepared == null) {
			prepared = new HashMap<>();
			this.statements = prepared;
		}
		PreparedStatement statement = prepared.get(sql);
		if (statement == null) {
			statement = connection().prepareStatement(sql);
			prepared.put(sql, statement);
		}
		return statement;
	}

	/**
	 * Run a statement that writes. Outside a transaction the statement is its own commit,
	 * so a lost connection leaves its outcome unknown, and says so.
	 * @param statement the statement, bound
	 * @param dict the dict it writes, for messages
	 * @return the update count
	 * @throws SQLException on failure
	 */
	long update(PreparedStatement statement, String dict) throws SQLException {
		writes(dict);
		try {
			return statement.executeLargeUpdate();
		}
		catch (SQLException ex) {
			throw failedWrite(ex, dict);
		}
	}

	/**
	 * Run a statement that writes and may return rows (one that carries its own
	 * {@code NOTIFY}, see {@link #announcesInline()}), ignoring its result; outside a
	 * transaction a lost connection leaves its outcome unknown, and says so.
	 * @param statement the statement, bound
	 * @param dict the dict it writes, for messages
	 * @throws SQLException on failure
	 */
	void write(PreparedStatement statement, String dict) throws SQLException {
		writes(dict);
		try {
			statement.execute();
		}
		catch (SQLException ex) {
			throw failedWrite(ex, dict);
		}
	}

	/**
	 * Run a query that writes, such as an upsert that returns the row it replaced.
	 * @param statement the statement, bound
	 * @param dict the dict it writes, for messages
	 * @return the result
	 * @throws SQLException on failure
	 */
	ResultSet writeQuery(PreparedStatement statement, String dict) throws SQLException {
		writes(dict);
		try {
			return statement.executeQuery();
		}
		catch (SQLException ex) {
			throw failedWrite(ex, dict);
		}
	}

	/**
	 * Run a statement that writes and returns one row whose first column is how many rows
	 * it wrote (a statement that counts itself, {@link PgCounts#selfCounted}).
	 * @param statement the statement, bound
	 * @param dict the dict it writes, for messages
	 * @return how many rows it wrote
	 * @throws SQLException on failure
	 */
	long writeCounted(PreparedStatement statement, String dict) throws SQLException {
		try (ResultSet rs = writeQuery(statement, dict)) {
			return rs.next() ? rs.getLong(1) : 0;
		}
	}

	private SQLException failedWrite(SQLException ex, String dict) {
		if (!this.inTransaction && PgErrors.mayHaveCommitted(ex)) {
			return outcomeUnknown(ex);
		}
		return PgErrors.inDict(ex, dict);
	}

	/**
	 * Return whether the next write statement runs on its own, outside a transaction, on
	 * a session whose writes are announced: it must then carry its own {@code NOTIFY}
	 * (bound with {@link #bindAnnouncement} after its keys are noted with
	 * {@link #wrote}), which PostgreSQL sends when the statement commits. So a lone write
	 * costs one round trip, not three (the write, the {@code NOTIFY}, the commit).
	 * @return whether the statement announces itself
	 */
	boolean announcesInline() {
		String target = this.announceOn;
		if (this.inTransaction || target == null) {
			return false;
		}
		publishTo(target, this.utf8);
		return true;
	}

	/**
	 * Bind the channel and payload of a statement's own {@code NOTIFY}: what it writes,
	 * as noted since {@link #announcesInline()}.
	 * @param statement the statement
	 * @param index the index of the channel's parameter; the payload's is the next
	 * @throws SQLException on failure
	 */
	void bindAnnouncement(PreparedStatement statement, int index) throws SQLException {
		PgChanges current = this.changes;
		statement.setString(index, this.announceOn);
		statement.setString(index + 1, (current != null) ? current.payload() : "");
		if (current != null) {
			current.clear();
		}
		this.channel = null;
	}

	private void writes(String dict) {
		Set<String> written = this.dicts;
		if (written == null) {
			written = new LinkedHashSet<>();
			this.dicts = written;
		}
		written.add(dict);
	}

	/**
	 * Run a query.
	 * @param statement the statement, bound
	 * @param dict the dict it reads, for messages
	 * @return the result
	 * @throws SQLException on failure
	 */
	ResultSet query(PreparedStatement statement, String dict) throws SQLException {
		try {
			return statement.executeQuery();
		}
		catch (SQLException ex) {
			throw PgErrors.inDict(ex, dict);
		}
	}

	/**
	 * Announce what the open transaction writes, in one {@code NOTIFY} sent just before
	 * it commits; until it ends.
	 * @param channel the channel
	 * @param utf8 whether the server's encoding takes text as UTF-8 does
	 */
	void publishTo(String channel, boolean utf8) {
		this.channel = channel;
		PgChanges current = this.changes;
		if (current == null) {
			this.changes = new PgChanges(utf8);
		}
		else {
			current.clear();
		}
	}

	/**
	 * Return whether a transaction is open.
	 * @return whether it is
	 */
	boolean inTransaction() {
		return this.inTransaction;
	}

	/**
	 * Note a key the open transaction writes.
	 * @param table the table's name
	 * @param key the encoded key
	 */
	void wrote(String table, Object key) {
		PgChanges current = this.changes;
		if (this.channel != null && current != null) {
			current.wrote(table, key);
		}
	}

	/**
	 * Note that the open transaction writes any number of a table's keys.
	 * @param table the table's name
	 */
	void wroteAll(String table) {
		PgChanges current = this.changes;
		if (this.channel != null && current != null) {
			current.wroteAll(table);
		}
	}

	/** Send the one notification of the transaction's changes, if it has any. */
	private void announce() throws SQLException {
		String target = this.channel;
		PgChanges current = this.changes;
		this.channel = null;
		if (target == null || current == null || current.isEmpty()) {
			return;
		}
		PreparedStatement statement = prepare(this.announcement);
		statement.setString(1, target);
		statement.setString(2, current.payload());
		current.clear();
		statement.execute();
	}

	/** Run a statement that returns no rows, such as DDL. */
	void execute(String sql) throws SQLException {
		try (Statement statement = connection().createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * Start a transaction at pgjdbc's default level, with the preamble.
	 */
	@Override
	public void begin() throws SQLException {
		begin(null);
	}

	/**
	 * Start a transaction.
	 * @param isolation {@code SERIALIZABLE} or {@code REPEATABLE READ}, or {@code null}
	 * for the connection's own level
	 * @throws SQLException on failure
	 */
	void begin(@Nullable String isolation) throws SQLException {
		Connection current = connection();
		if (this.inTransaction) {
			rollback();
		}
		current.setAutoCommit(false);
		this.inTransaction = true;
		this.dicts = null;
		this.channel = null;
		if (this.announceOn != null) {
			// every write transaction announces, near cache or not: an instance that
			// caches must hear of every other writer's commits
			publishTo(this.announceOn, this.utf8);
		}
		String first = (isolation != null) ? "SET TRANSACTION ISOLATION LEVEL " + isolation : null;
		if (this.preamble != null) {
			first = (first != null) ? first + "; " + this.preamble : this.preamble;
		}
		if (first != null) {
			execute(first);
		}
	}

	@Override
	public void commit() throws SQLException {
		Connection current = connection();
		announce();
		try {
			current.commit();
		}
		catch (SQLException ex) {
			if (PgErrors.mayHaveCommitted(ex)) {
				this.inTransaction = false;
				throw outcomeUnknown(ex);
			}
			throw ex;
		}
		this.inTransaction = false;
		current.setAutoCommit(true);
	}

	private SQLException outcomeUnknown(SQLException ex) {
		Set<String> written = this.dicts;
		String dict = (written == null || written.isEmpty()) ? null : String.join("', '", written);
		SQLException unknown = new SQLException("connection lost during commit: " + ex.getMessage(),
				PgErrors.OUTCOME_UNKNOWN, ex);
		return (dict != null) ? PgErrors.inDict(unknown, dict) : unknown;
	}

	@Override
	public void rollback() {
		Connection current = this.connection;
		this.channel = null;
		if (current == null || !this.inTransaction) {
			return;
		}
		this.inTransaction = false;
		try {
			current.rollback();
			current.setAutoCommit(true);
		}
		catch (SQLException ex) {
			logger.debug("Rollback failed; the connection is given back to the pool, which checks it", ex);
		}
	}

	/** PostgreSQL refuses every statement of a transaction after one failed (25P02). */
	@Override
	public boolean failedStatementSpoilsTransaction() {
		return true;
	}

	@Override
	public void savepoint() throws SQLException {
		execute("SAVEPOINT pd_op");
	}

	@Override
	public void rollbackToSavepoint() throws SQLException {
		execute("ROLLBACK TO SAVEPOINT pd_op");
	}

	@Override
	public void releaseSavepoint() throws SQLException {
		execute("RELEASE SAVEPOINT pd_op");
	}

	/**
	 * Give the connection back to the pool, rolling back what is still open.
	 */
	@Override
	public void release() {
		Connection current = this.connection;
		if (current == null) {
			return;
		}
		rollback();
		Map<String, PreparedStatement> prepared = this.statements;
		if (prepared != null) {
			for (PreparedStatement statement : prepared.values()) {
				try {
					statement.close();
				}
				catch (SQLException ex) {
					// closing; the pool closes it with the connection anyway
				}
			}
		}
		this.statements = null;
		this.dicts = null;
		this.connection = null;
		this.physical = null;
		this.unkept = false;
		try {
			current.close();
		}
		catch (SQLException ex) {
			logger.debug("Giving a connection back to the pool failed", ex);
		}
	}

}
