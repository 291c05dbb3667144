package io.persistentdict.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

/**
 * A {@code jdbc:postgresql:} STORE: the password comes from the URL, else from
 * {@code PGPASSWORD}, else from the password file ({@code PGPASSFILE} or
 * {@code ~/.pgpass}), in libpq's order. pgjdbc reads the password file itself when no
 * password is given; {@code PGPASSWORD} it does not read, so the tool passes it on. The
 * password is registered with {@link Messages} before anything can fail, and the URL is
 * shown only without its user and parameters.
 */
final class JdbcStore {

	static final String PREFIX = "jdbc:postgresql:";

	static final String PASSWORD_VARIABLE = "PGPASSWORD";

	private JdbcStore() {
	}

	/** Whether a STORE is a JDBC URL (of any database: the others are refused). */
	static boolean isJdbc(String store) {
		return store.startsWith("jdbc:");
	}

	/**
	 * Open the store behind a URL: read-only unless writable, and never creating the
	 * schema.
	 */
	static RawStore open(String url, boolean writable, Map<String, String> env) {
		String shown = withoutSecrets(url);
		if (!url.startsWith(PREFIX)) {
			throw new CliException("STORE " + shown + " is a JDBC URL of a database persistentdict does not run on:"
					+ " give a " + PREFIX + " URL or the path of a SQLite store file");
		}
		Properties given = given(env);
		Properties resolved = Driver.parseURL(url, given);
		if (resolved == null) {
			throw new CliException("STORE " + shown + " is not a valid PostgreSQL JDBC URL: use " + PREFIX
					+ "//HOST:PORT/DATABASE?user=USER (the password from the URL's password parameter, "
					+ PASSWORD_VARIABLE + " or ~/.pgpass)");
		}
		Messages.hide(resolved.getProperty("password"));
		try {
			return RawStore.connect(new UrlDataSource(url, given), writable);
		}
		catch (StoreOpenException ex) {
			if (ex.reason() == Reason.NO_SCHEMA) {
				throw new CliException("STORE " + shown + " has no persistentdict schema (schema 'persistentdict'):"
						+ " check the database name in the URL; the tool never creates a schema, an application"
						+ " creates it when it first connects", ex);
			}
			if (ex.reason() == Reason.UNREACHABLE || ex.reason() == Reason.ENGINE_MISSING) {
				throw new CliException("STORE " + shown + ": " + ex.getMessage(), ex);
			}
			throw ex;
		}
	}

	/** Return the password a URL gives itself, if any; never throws. */
	static @Nullable String urlPassword(String url) {
		try {
			Properties parsed = Driver.parseURL(url, new Properties());
			return (parsed != null) ? parsed.getProperty("password") : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** The properties the URL's own override: the password of PGPASSWORD, if set. */
	private static Properties given(Map<String, String> env) {
		Properties given = new Properties();
		String password = env.get(PASSWORD_VARIABLE);
		if (password != null && !password.isEmpty()) {
			given.setProperty("password", password);
			Messages.hide(password);
		}
		return given;
	}

	/**
	 * Return a URL for messages: without its user information and parameters, which may
	 * hold a password.
	 */
	static String withoutSecrets(String url) {
		int query = url.indexOf('?');
		String base = (query >= 0) ? url.substring(0, query) : url;
		return base.replaceFirst("//[^/@]*@", "//");
	}

	/** A connection a call, from pgjdbc's driver; no pool, for one command. */
	private static final class UrlDataSource implements DataSource {

		private final Driver driver = new Driver();

		private final String url;

		private final Properties given;

		UrlDataSource(String url, Properties given) {
			this.url = url;
			this.given = given;
		}

		@Override
		public Connection getConnection() throws SQLException {
			Connection connection = this.driver.connect(this.url, this.given);
			if (connection == null) {
				throw new SQLException("pgjdbc does not accept the URL " + withoutSecrets(this.url));
			}
			return connection;
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			throw new SQLFeatureNotSupportedException("the tool connects with the URL's user");
		}

		@Override
		public @Nullable PrintWriter getLogWriter() {
			return null;
		}

		@Override
		public void setLogWriter(@Nullable PrintWriter out) {
		}

		@Override
		public void setLoginTimeout(int seconds) {
		}

		@Override
		public int getLoginTimeout() {
			return 0;
		}

		@Override
		public Logger getParentLogger() throws SQLFeatureNotSupportedException {
			throw new SQLFeatureNotSupportedException("no logging");
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			throw new SQLException("not a wrapper");
		}

		@Override
		public boolean isWrapperFor(Class<?> type) {
			return false;
		}

	}

}
