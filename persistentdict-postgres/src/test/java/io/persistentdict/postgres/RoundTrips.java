package io.persistentdict.postgres;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.persistentdict.testing.postgres.DelegatingDataSource;

/**
 * A data source that counts the calls that reach the server: each {@code execute*} and
 * each {@code commit} or {@code rollback} of a transaction is one round trip (pgjdbc
 * sends a transaction's {@code BEGIN} with its first statement). Statements prepared on
 * the physical connection behind a borrowed one ({@code unwrap}) are counted too.
 */
final class RoundTrips extends DelegatingDataSource {

	final AtomicInteger count = new AtomicInteger();

	private final Map<Connection, Connection> physical = new ConcurrentHashMap<>();

	RoundTrips(DataSource target) {
		super(target);
	}

	int take() {
		return this.count.getAndSet(0);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return wrap(delegate().getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return wrap(delegate().getConnection(username, password));
	}

	private Connection wrap(Connection connection) {
		InvocationHandler handler = (proxy, method, args) -> {
			String name = method.getName();
			if ((name.equals("commit") || name.equals("rollback")) && !connection.getAutoCommit()) {
				this.count.incrementAndGet();
			}
			Object result = invoke(connection, method, args);
			if (name.equals("unwrap") && result instanceof Connection physical) {
				// the store keeps statements on the physical connection: count those too,
				// through one proxy per physical connection, as the store sees one
				return (physical == connection) ? proxy : this.physical.computeIfAbsent(physical, this::wrap);
			}
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

}
