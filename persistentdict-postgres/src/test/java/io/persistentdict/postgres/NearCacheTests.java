package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
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
		// once this instance listens, every writer notifies
		written.put("warm", "w");
		awaitCached(written, "warm", "w");
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
	void transactionAcrossDictsShouldSendOneNotificationAndJoinItsReads() throws SQLException {
		PersistentDict<String, String> hot = this.a.dict(HOT);
		PersistentDict<Long, String> other = this.a.dict("other", Long.class, String.class);
		PersistentDict<String, String> cached = this.b.dict(HOT);
		hot.put("k", "v1");
		awaitCached(cached, "k", "v1");
		try (Connection connection = poolA.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("LISTEN " + PgChangeFeed.channel(this.schema));
			this.a.inTransaction(() -> {
				hot.put("k", hot.get("k") + "+");
				other.put(7L, "seven");
				// a key that is not there: nothing is written, nothing announced
				other.remove(8L);
			});
			PGConnection pg = connection.unwrap(PGConnection.class);
			List<String> payloads = new ArrayList<>();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (payloads.isEmpty() && System.nanoTime() < deadline) {
				PGNotification[] got = pg.getNotifications(100);
				if (got != null) {
					for (PGNotification notification : got) {
						payloads.add(notification.getParameter());
					}
				}
			}
			assertThat(pg.getNotifications(200)).isNullOrEmpty();
			assertThat(payloads).containsExactly(PgSchema.tableName("map:hot").substring(2) + "s1:k/"
					+ PgSchema.tableName("map:other").substring(2) + "i7;/");
		}
		await(() -> "v1+".equals(cached.get("k")), BOUND_MILLIS);
	}

	/** Collect the payloads a connection that listens receives within a time. */
	private static List<String> received(Connection connection, long millis) throws SQLException {
		PGConnection pg = connection.unwrap(PGConnection.class);
		List<String> payloads = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		while (System.nanoTime() < deadline) {
			PGNotification[] got = pg.getNotifications(50);
			if (got != null) {
				for (PGNotification notification : got) {
					payloads.add(notification.getParameter());
				}
			}
		}
		return payloads;
	}

	private long listenedRows() throws SQLException {
		try (Connection connection = poolA.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"SELECT count(*) FROM \"" + this.schema + "\".pd_meta WHERE key = '" + PgListeners.KEY + "'")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	@Test
	void writersShouldNotNotifyUntilAnInstanceListens() throws SQLException {
		PersistentDict<String, String> plain = this.a.dict("plain", String.class, String.class);
		try (Connection connection = poolA.getConnection(); Statement statement = connection.createStatement()) {
			// a bare LISTEN is not an instance with a near cache: nobody announced one
			statement.execute("LISTEN " + PgChangeFeed.channel(this.schema));
			plain.put("k", "v1");
			plain.set("k", "v2");
			plain.putIfAbsent("other", "o");
			plain.remove("other");
			plain.putAll(java.util.Map.of("x", "1", "y", "2"));
			this.a.inTransaction(() -> plain.put("k", "v3"));
			assertThat(received(connection, 300)).isEmpty();
			assertThat(listenedRows()).isZero();
			// an instance starts to use a near cache: from then on every write is
			// announced
			PersistentDict<String, String> cached = this.b.dict(HOT);
			cached.put("h", "1");
			awaitCached(cached, "h", "1");
			assertThat(listenedRows()).isOne();
			received(connection, 100);
			plain.put("k", "v4");
			this.a.inTransaction(() -> plain.put("k", "v5"));
			String table = PgSchema.tableName("map:plain").substring(2);
			assertThat(received(connection, 500)).containsExactly(table + "s1:k/", table + "s1:k/");
		}
	}

	/**
	 * A write whose statement began before the listener said it listens does not notify:
	 * the listener must not serve until that write has ended. The write is held inside
	 * its statement by a row lock.
	 */
	@Test
	void listenerShouldNotServeUntilWritesThatMayHaveMissedItHaveEnded() throws Exception {
		PersistentDict<String, String> written = this.a.dict(HOT.withNearCache(0));
		written.put("k", "old");
		try (Connection locker = poolA.getConnection(); Statement statement = locker.createStatement()) {
			locker.setAutoCommit(false);
			statement.execute("SELECT 1 FROM \"" + this.schema + "\"." + PgSchema.tableName("map:hot")
					+ " WHERE k = 'k' FOR UPDATE");
			Thread writer = new Thread(() -> written.put("k", "new"));
			writer.start();
			await(() -> waitingForLocks() > 0, 5000);
			PersistentDict<String, String> cached = this.b.dict(HOT);
			// the listener starts, says it listens, and waits for both transactions
			assertThat(cached.get("k")).isEqualTo("old");
			await(() -> {
				try {
					return listenedRows() == 1;
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			}, 5000);
			long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
			while (System.nanoTime() < until) {
				assertThat(cached.get("k")).isEqualTo("old");
				LockSupport.parkNanos(10_000_000);
			}
			assertThat(cached.stats().nearHits()).as("served while a write that may have missed it ran").isZero();
			locker.rollback();
			writer.join(5000);
			assertThat(writer.isAlive()).isFalse();
		}
		PersistentDict<String, String> cached = this.b.dict(HOT);
		awaitCached(cached, "k", "new");
		for (int i = 0; i < 20; i++) {
			assertThat(cached.get("k")).isEqualTo("new");
		}
	}

	/**
	 * A lease granted just before a listener raises its row is over by the server's clock
	 * when the listener's near cache first serves.
	 */
	@Test
	void listenerShouldServeOnlyOnceLeasesGrantedBeforeItHaveEnded() throws SQLException {
		PersistentDict<String, String> written = this.a.dict(HOT.withNearCache(0));
		written.set("k", "v");
		String end;
		try (Connection connection = poolA.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT " + PgQuietLease.GRANT + " FROM (SELECT false AS heard) l")) {
			rs.next();
			end = rs.getString(1);
		}
		awaitCached(this.b.dict(HOT), "k", "v");
		try (Connection connection = poolA.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT clock_timestamp() >= ?::timestamptz")) {
			statement.setString(1, end);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				assertThat(rs.getBoolean(1)).as("served before a lease granted at its start ended").isTrue();
			}
		}
	}

	/**
	 * A lone set under the writer's lease ({@link PgQuietLease}) that reaches the server
	 * only after a listener became ready, its lease over by the server's clock though not
	 * yet by the writer's: the server's guard refuses the bare upsert, and the set runs
	 * again with its {@code NOTIFY}. The set is held before its statement by the writer's
	 * pool, every connection of which the test holds.
	 */
	@Test
	void setUnderALeaseThatEndedOnTheServerShouldBeAnnounced() throws Exception {
		PersistentDict<String, String> written = this.a.dict(HOT.withNearCache(0));
		// no listener: this set grants the lease
		written.set("k", "old");
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < poolA.getMaximumPoolSize(); i++) {
				held.add(poolA.getConnection());
			}
			Thread writer = new Thread(() -> written.set("k", "new"));
			writer.start();
			await(() -> poolA.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0, 5000);
			PersistentDict<String, String> cached = this.b.dict(HOT);
			awaitCached(cached, "k", "old");
			held.remove(0).close();
			writer.join(5000);
			assertThat(writer.isAlive()).isFalse();
			await(() -> "new".equals(cached.get("k")), BOUND_MILLIS);
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
	}

	@Test
	void deletedListenedRowShouldBeRaisedAgainAndTheNearCachesCleared() throws SQLException {
		PersistentDict<String, String> written = this.a.dict(HOT.withNearCache(0));
		PersistentDict<String, String> cached = this.b.dict(HOT);
		written.put("k", "v1");
		awaitCached(cached, "k", "v1");
		try (Connection connection = poolA.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("DELETE FROM \"" + this.schema + "\".pd_meta WHERE key = '" + PgListeners.KEY + "'");
		}
		// not announced: the row is gone
		written.put("k", "v2");
		long committed = System.nanoTime();
		await(() -> "v2".equals(cached.get("k")), BOUND_MILLIS);
		assertThat(System.nanoTime() - committed).isLessThan(TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS));
		await(() -> {
			try {
				return listenedRows() == 1;
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}, BOUND_MILLIS);
		awaitCached(cached, "k", "v2");
		written.put("k", "v3");
		await(() -> "v3".equals(cached.get("k")), BOUND_MILLIS);
	}

	private static int waitingForLocks() {
		try (Connection connection = poolA.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
			rs.next();
			return rs.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
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
