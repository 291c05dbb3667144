package io.persistentdict.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source that can refuse the connections the near caches' listener asks for
 * (recognised by its thread), while every other connection still comes from the real
 * pool: so a test can hold the listener off after it killed its connection.
 */
final class ListenerDataSource implements DataSource {

	private final DataSource pool;

	volatile boolean refuseListener;

	ListenerDataSource(DataSource pool) {
		this.pool = pool;
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (this.refuseListener && Thread.currentThread().getName().startsWith("persistentdict-listener-")) {
			throw new SQLException("refused by the test", "08001");
		}
		return this.pool.getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLFeatureNotSupportedException();
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.pool.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.pool.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.pool.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.pool.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.pool.getParentLogger();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return this.pool.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return this.pool.isWrapperFor(iface);
	}

}
