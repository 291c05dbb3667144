package io.persistentdict.postgres;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StoreOptions;
import io.persistentdict.testing.postgres.DelegatingDataSource;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the near caches' listener gives back to the application's pool when its session
 * ends: never a connection that died (the pool would lend it again at once), and never
 * one still listening (notifications would pile up in it).
 */
class ListenerConnectionTests {

	private static final AtomicInteger SCHEMAS = new AtomicInteger();

	private static final DictSpec<String, String> HOT = DictSpec.of("hot", String.class, String.class)
		.withNearCache(100);

	private static String url;

	@BeforeAll
	static void database() {
		url = TestPostgres.server().newDatabase();
	}

	@AfterAll
	static void dropDatabase() {
		TestPostgres.server().dropDatabase(url.replaceAll("^.*/([^/?]+)(\\?.*)?$", "$1"));
	}

	@Test
	void connectionOfAKilledListenerShouldNotBeLentAgain() throws Exception {
		try (HikariDataSource pool = PostgresFixture.pool(url, 3)) {
			Lending lending = new Lending(pool);
			try (DictStore store = DictStore.connect(lending, options())) {
				PersistentDict<String, String> dict = store.dict(HOT);
				dict.put("k", "v");
				for (int kill = 1; kill <= 3; kill++) {
					awaitNearHit(dict);
					terminate(pool, lending.listenerPids.get(lending.listenerPids.size() - 1));
					// until the listener notices, its lease lets the near cache serve on
					long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
					while (lending.listenerPids.size() < kill + 1) {
						assertThat(System.nanoTime()).as("the listener asked for a connection again")
							.isLessThan(deadline);
						Thread.onSpinWait();
					}
					// the pool used to lend the dead connection straight back to the
					// listener (or to any caller) within its 500 ms of trust
					awaitNearHit(dict);
					assertThat(lending.listenerPids).as("connections lent to the listener, kill %d", kill)
						.doesNotHaveDuplicates()
						.hasSize(kill + 1);
				}
			}
		}
	}

	@Test
	void listenerSessionThatFailsOnAWorkingConnectionShouldGiveItBackNotListening() throws Exception {
		try (HikariDataSource pool = PostgresFixture.pool(url, 1)) {
			Lending lending = new Lending(pool);
			lending.failFirstProbe = true;
			try (DictStore store = DictStore.connect(lending, options())) {
				PersistentDict<String, String> dict = store.dict(HOT);
				dict.put("k", "v");
				dict.get("k");
				assertThat(lending.firstReturned.await(30, TimeUnit.SECONDS)).isTrue();
				// the pool's only connection: the one the listener gave back
				try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
					try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_listening_channels()")) {
						rs.next();
						assertThat(rs.getInt(1)).as("channels it still listens on").isZero();
					}
					try (ResultSet rs = statement.executeQuery("SELECT current_setting('application_name')")) {
						rs.next();
						assertThat(rs.getString(1)).isNotEqualTo(PgChangeFeed.APPLICATION_NAME);
					}
				}
			}
		}
	}

	private static StoreOptions options() {
		return StoreOptions.builder().schema("listener_" + SCHEMAS.incrementAndGet()).build();
	}

	private static void awaitNearHit(PersistentDict<String, String> dict) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (true) {
			long hits = dict.stats().nearHits();
			assertThat(dict.get("k")).isEqualTo("v");
			if (dict.stats().nearHits() > hits) {
				return;
			}
			assertThat(System.nanoTime()).as("the near cache served again").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

	private static void terminate(DataSource admin, int pid) throws SQLException {
		try (Connection connection = admin.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_terminate_backend(" + pid + ")")) {
			rs.next();
			assertThat(rs.getBoolean(1)).isTrue();
		}
	}

	/**
	 * The application's pool, seen from the listener's thread: it notes the server
	 * process of each connection lent to it, and can make the first one's liveness probe
	 * fail, as a probe that times out does, then refuse the listener any more.
	 */
	static final class Lending extends DelegatingDataSource {

		final List<Integer> listenerPids = new CopyOnWriteArrayList<>();

		final CountDownLatch firstReturned = new CountDownLatch(1);

		volatile boolean failFirstProbe;

		Lending(DataSource pool) {
			super(pool);
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (!Thread.currentThread().getName().startsWith("persistentdict-listener-")) {
				return delegate().getConnection();
			}
			if (this.failFirstProbe && !this.listenerPids.isEmpty()) {
				throw new SQLException("refused by the test", "08001");
			}
			Connection connection = delegate().getConnection();
			this.listenerPids.add(connection.unwrap(PGConnection.class).getBackendPID());
			if (!this.failFirstProbe) {
				return connection;
			}
			return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
					new Class<?>[] { Connection.class }, (proxy, method, args) -> {
						if (method.getName().equals("isValid")) {
							return false;
						}
						try {
							return method.invoke(connection, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
						finally {
							if (method.getName().equals("close")) {
								this.firstReturned.countDown();
							}
						}
					});
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			throw new SQLFeatureNotSupportedException();
		}

	}

}
