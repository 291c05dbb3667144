package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

import javax.sql.DataSource;

import io.persistentdict.testing.postgres.DelegatingDataSource;

/**
 * A data source that can refuse the connections the near caches' listener asks for
 * (recognised by its thread), while every other connection still comes from the real
 * pool: so a test can hold the listener off after it killed its connection.
 */
final class ListenerDataSource extends DelegatingDataSource {

	volatile boolean refuseListener;

	ListenerDataSource(DataSource pool) {
		super(pool);
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (this.refuseListener && Thread.currentThread().getName().startsWith("persistentdict-listener-")) {
			throw new SQLException("refused by the test", "08001");
		}
		return delegate().getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLFeatureNotSupportedException();
	}

}
