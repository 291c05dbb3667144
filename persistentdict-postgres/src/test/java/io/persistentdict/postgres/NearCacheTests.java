package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StoreOptions;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Near caches across two instances of an application: two stores on one schema, each
 * behind a pool of its own, on a real PostgreSQL.
 */
class NearCacheTests {

	private static final AtomicInteger SCHEMAS = new AtomicInteger();

	private static final DictSpec<String, String> HOT = DictSpec.of("hot", String.class, String.class)
		.withNearCache(100);

	/** The stated bound, and what a test waits at most for it. */
	private static final long BOUND_MILLIS = PgChangeFeed.LEASE_MILLIS;

	private static HikariDataSource poolA;

	private static HikariDataSource poolB;

	private static ListenerDataSource dataSourceB;

	private DictStore a;

	private DictStore b;

	private String schema;

	@BeforeAll
	static void pools() {
		String url = TestPostgres.server().newDatabase();
		poolA = PostgresFixture.pool(url, 4);
		poolB = PostgresFixture.pool(url, 4);
		dataSourceB = new ListenerDataSource(poolB);
	}

	@AfterAll
	static void closePools() {
		poolA.close();
		poolB.close();
	}

	@BeforeEach
	void instances() {
		this.schema = "near_" + SCHEMAS.incrementAndGet();
		StoreOptions options = StoreOptions.builder().schema(this.schema).build();
		this.a = DictStore.connect(poolA, options);
		this.b = DictStore.connect(dataSourceB, options);
	}

	@AfterEach
	void close() throws SQLException {
		dataSourceB.refuseListener = false;
		this.a.close();
		this.b.close();
		try (Connection connection = poolA.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA \"" + this.schema + "\" CASCADE");
		}
	}

	@Test
	void nearCacheShouldServeHitsWhenNothingChanges() {
		PersistentDict<String, String> written = this.a.dict(HOT);
		PersistentDict<String, String> cached = this.b.dict(HOT);
		written.put("k", "v1");
		awaitCached(cached, "k", "v1");
		long before = cached.stats().nearHits();
		for (int i = 0; i < 100; i++) {
			assertThat(cached.get("k")).isEqualTo("v1");
		}
		assertThat(cached.stats().nearHits() - before).isEqualTo(100);
	}

	/**
	 * Replaces a value through one instance again and again while the other reads it
	 * through its near cache, and measures how long the other serves the old value after
	 * the writer's commit returned.
	 */
	@Test
	void valueReplacedThroughOneInstanceShouldNotBeServedStaleByTheOtherBeyondTheBound() {
		PersistentDict<String, String> written = this.a.dict(HOT);
		PersistentDict<String, String> cached = this.b.dict(HOT);
		written.put("k", "v0");
		List<Long> micros = new ArrayList<>();
		for (int i = 1; i <= 50; i++) {
			awaitCached(cached, "k", "v" + (i - 1));
			written.put("k", "v" + i);
			long committed = System.nanoTime();
			String seen;
			while (!("v" + i).equals(seen = cached.get("k"))) {
				assertThat(seen).isEqualTo("v" + (i - 1));
				assertThat(System.nanoTime() - committed).as("stale beyond the bound")
					.isLessThan(TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS));
				// leave the CPU to the listener: the machine may have two cores
				LockSupport.parkNanos(20_000);
			}
			micros.add((System.nanoTime() - committed) / 1000);
		}
		Collections.sort(micros);
		System.out.printf(
				"invalidation after the writer's commit returned, 50 replacements: median %d µs,"
						+ " 90th %d µs, max %d µs (bound %d ms)%n",
				micros.get(25), micros.get(45), micros.get(49), BOUND_MILLIS);
		assertThat(micros.get(49)).isLessThan(TimeUnit.MILLISECONDS.toMicros(BOUND_MILLIS));
	}

	@Test
	void droppedListenerShouldClearAndBypassTheCacheUntilItListensAgain() throws SQLException {
		PersistentDict<String, String> written = this.a.dict(HOT);
		PersistentDict<String, String> cached = this.b.dict(HOT);
		written.put("k", "v1");
		awaitCached(cached, "k", "v1");
		dataSourceB.refuseListener = true;
		assertThat(terminateListeners()).isPositive();
		// within the bound, the cache is cleared and bypassed
		await(() -> {
			long before = cached.stats().nearHits();
			assertThat(cached.get("k")).isEqualTo("v1");
			return cached.stats().nearHits() == before;
		}, BOUND_MILLIS);
		// the other instance's writes are not heard now; this one reads the database
		written.put("k", "v2");
		long before = cached.stats().nearHits();
		for (int i = 0; i < 20; i++) {
			assertThat(cached.get("k")).isEqualTo("v2");
		}
		written.put("k", "v3");
		assertThat(cached.get("k")).isEqualTo("v3");
		assertThat(cached.stats().nearHits()).isEqualTo(before);
		// once it listens again, it caches again, and hears of writes again
		dataSourceB.refuseListener = false;
		awaitCached(cached, "k", "v3");
		written.put("k", "v4");
		long committed = System.nanoTime();
		await(() -> "v4".equals(cached.get("k")), BOUND_MILLIS);
		assertThat(System.nanoTime() - committed).isLessThan(TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS));
	}

	@Test
	void commitShouldSendOneNotificationAndARollbackNone() throws SQLException {
		PersistentDict<String, String> written = this.a.dict(HOT);
		try (Connection connection = poolA.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("LISTEN " + PgChangeFeed.channel(this.schema));
			assertThatIllegalStateException().isThrownBy(() -> written.batch((batch) -> {
				batch.put("gone", "x");
				throw new IllegalStateException("undone");
			}));
			written.batch((batch) -> {
				batch.put("one", "1");
				batch.put("two", "2");
			});
			written.put("marker", "m");
			List<String> payloads = new ArrayList<>();
			PGConnection pg = connection.unwrap(PGConnection.class);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (payloads.size() < 2 && System.nanoTime() < deadline) {
				PGNotification[] got = pg.getNotifications(100);
				if (got != null) {
					for (PGNotification notification : got) {
						payloads.add(notification.getParameter());
					}
				}
			}
			String table = PgSchema.tableName("map:hot");
			assertThat(payloads).containsExactly(table.substring(2) + "s3:ones3:two/",
					table.substring(2) + "s6:marker/");
			// nothing else came, the rolled back write's notification included
			assertThat(pg.getNotifications(200)).isNullOrEmpty();
		}
	}

	@Test
	void storeWithoutNearCachesShouldHoldNoListeningConnection() throws SQLException {
		PersistentDict<String, String> plain = this.a.dict("plain", String.class, String.class);
		plain.put("k", "v");
		assertThat(plain.get("k")).isEqualTo("v");
		try (Connection connection = poolA.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
						+ PgChangeFeed.APPLICATION_NAME + "' AND datname = current_database()")) {
			rs.next();
			assertThat(rs.getInt(1)).isZero();
		}
	}

	private static int terminateListeners() throws SQLException {
		try (Connection connection = poolA.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity" + " WHERE application_name = '"
								+ PgChangeFeed.APPLICATION_NAME + "' AND datname = current_database()")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	/** Read a key until the near cache serves it, which also means it listens. */
	private static void awaitCached(PersistentDict<String, String> dict, String key, String value) {
		await(() -> {
			long before = dict.stats().nearHits();
			assertThat(dict.get(key)).isEqualTo(value);
			return dict.stats().nearHits() > before;
		}, TimeUnit.SECONDS.toMillis(10));
	}

	private static void await(BooleanSupplier condition, long millis) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited " + Duration.ofMillis(millis)).isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

}
