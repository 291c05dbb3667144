package io.persistentdict.postgres;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source that counts the calls that reach the server: each {@code execute*} and
 * each {@code commit} or {@code rollback} of a transaction is one round trip (pgjdbc
 * sends a transaction's {@code BEGIN} with its first statement).
 */
final class RoundTrips implements DataSource {

	private final DataSource target;

	final AtomicInteger count = new AtomicInteger();

	RoundTrips(DataSource target) {
		this.target = target;
	}

	int take() {
		return this.count.getAndSet(0);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return wrap(this.target.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return wrap(this.target.getConnection(username, password));
	}

	private Connection wrap(Connection connection) {
		InvocationHandler handler = (proxy, method, args) -> {
			String name = method.getName();
			if ((name.equals("commit") || name.equals("rollback")) && !connection.getAutoCommit()) {
				this.count.incrementAndGet();
			}
			Object result = invoke(connection, method, args);
			if (result instanceof PreparedStatement statement) {
				return counting(statement, PreparedStatement.class);
			}
			if (result instanceof Statement statement) {
				return counting(statement, Statement.class);
			}
			return result;
		};
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				handler);
	}

	private <S extends Statement> Object counting(S statement, Class<S> type) {
		InvocationHandler handler = (proxy, method, args) -> {
			if (method.getName().startsWith("execute")) {
				this.count.incrementAndGet();
			}
			return invoke(statement, method, args);
		};
		return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type }, handler);
	}

	private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.target.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.target.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.target.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.target.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() {
		return Logger.getGlobal();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return this.target.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return this.target.isWrapperFor(iface);
	}

}
