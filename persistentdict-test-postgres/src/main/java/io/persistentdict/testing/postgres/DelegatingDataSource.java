package io.persistentdict.testing.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source that hands every call to another one, for tests that wrap a real pool to
 * refuse, count or cut off its connections: a subclass overrides what it changes.
 */
public abstract class DelegatingDataSource implements DataSource {

	private final DataSource delegate;

	/**
	 * Wrap a data source.
	 * @param delegate the data source that serves every call
	 */
	protected DelegatingDataSource(DataSource delegate) {
		this.delegate = delegate;
	}

	/**
	 * Return the wrapped data source.
	 * @return it
	 */
	protected final DataSource delegate() {
		return this.delegate;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return this.delegate.getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return this.delegate.getConnection(username, password);
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.delegate.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.delegate.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.delegate.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.delegate.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.delegate.getParentLogger();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return this.delegate.isWrapperFor(iface);
	}

}
