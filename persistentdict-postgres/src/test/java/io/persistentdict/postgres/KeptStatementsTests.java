package io.persistentdict.postgres;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StoreOptions;
import io.persistentdict.testing.postgres.DelegatingDataSource;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store keeps its prepared statements on the physical connections behind the pool
 * ({@link PgStatements}): reads prepare none once warm, and a connection that broke under
 * a kept statement is still evicted by the pool, so the next read works.
 */
class KeptStatementsTests {

	private final PostgresFixture fixture = new PostgresFixture();

	private HikariDataSource pool;

	private String url;

	@BeforeEach
	void open() throws SQLException {
		try (Connection connection = PostgresFixture.dataSource().getConnection()) {
			this.url = TestPostgres.server().jdbcUrl(connection.getCatalog());
		}
		// one connection: every borrow gets the same physical connection
		this.pool = PostgresFixture.pool(this.url, 1);
	}

	@AfterEach
	void close() {
		this.pool.close();
		this.fixture.close();
	}

	private StoreOptions options(String name) {
		this.fixture.open(name).close();
		return StoreOptions.builder().schema(this.fixture.schema(name)).build();
	}

	@Test
	void warmReadsAndWritesShouldPrepareNoStatement() {
		Preparing counted = new Preparing(this.pool);
		try (DictStore store = DictStore.connect(counted, options("kept"))) {
			PersistentDict<String, Long> dict = store.dict("d", String.class, Long.class);
			// the first set checks for listeners and takes the lease (PgQuietLease);
			// the second runs under it
			dict.set("a", 1L);
			dict.set("a", 1L);
			dict.put("a", 2L);
			dict.get("a");
			counted.prepared.set(0);
			for (long i = 0; i < 20; i++) {
				dict.set("a", i);
				assertThat(dict.put("a", i + 1)).isEqualTo(i);
				assertThat(dict.get("a")).isEqualTo(i + 1);
			}
			assertThat(counted.prepared.get()).isZero();
		}
	}

	@Test
	void aConnectionThatBrokeUnderAKeptStatementShouldBeEvicted() throws SQLException {
		try (DictStore store = DictStore.connect(this.pool, options("broken"))) {
			PersistentDict<String, Long> dict = store.dict("d", String.class, Long.class);
			dict.set("a", 1L);
			assertThat(dict.get("a")).isEqualTo(1L);
			int pid;
			try (Connection connection = this.pool.getConnection();
					Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
				rs.next();
				pid = rs.getInt(1);
			}
			try (Connection other = DriverManager.getConnection(this.url);
					Statement statement = other.createStatement()) {
				statement.execute("SELECT pg_terminate_backend(" + pid + ")");
			}
			// the read on the terminated connection fails; the pool must then drop it
			// at once (it would hand it out again within 500 ms unchecked otherwise)
			assertThatThrownBy(() -> dict.get("a")).isInstanceOf(PersistentDictException.class);
			assertThat(dict.get("a")).isEqualTo(1L);
			dict.set("a", 2L);
			assertThat(dict.get("a")).isEqualTo(2L);
		}
	}

	/** Counts the statements prepared, through borrowed or physical connections. */
	private static final class Preparing extends DelegatingDataSource {

		final AtomicInteger prepared = new AtomicInteger();

		private final Map<Connection, Connection> physical = new ConcurrentHashMap<>();

		Preparing(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			return wrap(delegate().getConnection());
		}

		private Connection wrap(Connection connection) {
			InvocationHandler handler = (proxy, method, args) -> {
				if (method.getName().equals("prepareStatement")) {
					this.prepared.incrementAndGet();
				}
				Object result;
				try {
					result = method.invoke(connection, args);
				}
				catch (InvocationTargetException ex) {
					throw ex.getCause();
				}
				if (method.getName().equals("unwrap") && result instanceof Connection unwrapped) {
					return (unwrapped == connection) ? proxy : this.physical.computeIfAbsent(unwrapped, this::wrap);
				}
				return result;
			};
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					handler);
		}

	}

}
