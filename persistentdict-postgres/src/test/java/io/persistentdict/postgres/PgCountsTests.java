package io.persistentdict.postgres;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exact counts of the PostgreSQL engine (see {@link PgCounts}): entries and bytes
 * from the deltas the triggers insert, checked against the tables themselves, on a real
 * PostgreSQL.
 */
class PgCountsTests {

	private final PostgresFixture fixture = new PostgresFixture();

	private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

	private final InstantSource clock = () -> Instant.ofEpochMilli(this.millis.get());

	@AfterEach
	void dropSchemas() {
		this.fixture.close();
	}

	private StoreOptions options(String name) {
		return StoreOptions.builder().schema(this.fixture.schema(name)).clock(this.clock).build();
	}

	@Test
	void countsShouldFollowPutsRemovesReplacesPutAllAndClear() throws SQLException {
		StoreOptions options = options("follow");
		try (DictStore store = this.fixture.open("follow", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			for (int i = 0; i < 50; i++) {
				dict.put("k" + i, "v" + i);
			}
			assertCounts(options.schema(), "map:d", 50);
			assertThat(dict.size()).isEqualTo(50);
			for (int i = 0; i < 10; i++) {
				assertThat(dict.remove("k" + i)).isEqualTo("v" + i);
			}
			assertThat(dict.remove("absent")).isNull();
			assertCounts(options.schema(), "map:d", 40);
			for (int i = 10; i < 15; i++) {
				dict.put("k" + i, "a longer value than before, é and 漢 included " + i);
			}
			dict.set("k15", "set");
			assertCounts(options.schema(), "map:d", 40);
			Map<String, String> more = new HashMap<>();
			for (int i = 40; i < 60; i++) {
				more.put("k" + i, "more" + i);
			}
			dict.putAll(more);
			assertCounts(options.schema(), "map:d", 50);
			assertThat(dict.size()).isEqualTo(50);
			dict.clear();
			assertCounts(options.schema(), "map:d", 0);
			assertThat(dict.size()).isZero();
			assertThat(dict.isEmpty()).isTrue();
		}
	}

	@Test
	void oneRowWritesShouldCountRowByRowAndWritesOfManyRowsOnce() throws SQLException {
		StoreOptions options = options("modes");
		String schema = options.schema();
		try (DictStore store = this.fixture.open("modes", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.set("a", "1");
			long rows = deltaRows(schema, "map:d");
			assertThat(rows).isEqualTo(1);
			// a value of the same length changes no total, and adds no delta row
			dict.set("a", "2");
			assertThat(dict.put("a", "3")).isEqualTo("2");
			assertThat(dict.replace("a", "4")).isEqualTo("3");
			assertThat(deltaRows(schema, "map:d")).isEqualTo(rows);
			// a value of another length: its change waits in the row, and adds no delta
			// row either
			dict.set("a", "longer");
			assertThat(pending(schema, "map:d")).containsExactly(1, 5);
			assertThat(dict.put("a", "longest")).isEqualTo("longer");
			assertThat(dict.replace("a", "longest", "short")).isTrue();
			assertThat(pending(schema, "map:d")).containsExactly(1, 4);
			assertThat(dict.replace("a", "1")).isEqualTo("short");
			assertThat(pending(schema, "map:d")).containsExactly(0, 0);
			dict.set("a", "longer");
			assertThat(dict.putIfAbsent("b", "1")).isNull();
			assertThat(dict.remove("b")).isEqualTo("1");
			assertThat(deltaRows(schema, "map:d")).isEqualTo(rows + 2);
			assertCounts(schema, "map:d", 1);
			// many rows in one statement: one delta row for all of them
			Map<String, String> many = new HashMap<>();
			for (int i = 0; i < 1000; i++) {
				many.put("m" + i, "v" + i);
			}
			many.put("a", "the longest of them");
			dict.putAll(many);
			assertThat(deltaRows(schema, "map:d")).isEqualTo(rows + 3);
			assertThat(pending(schema, "map:d")).containsExactly(1, 18);
			assertCounts(schema, "map:d", 1001);
			// a delete takes what was counted of the row, its change included
			dict.clear();
			assertThat(deltaRows(schema, "map:d")).isEqualTo(rows + 4);
			assertCounts(schema, "map:d", 0);
		}
	}

	/**
	 * 4,500 values of 256 KiB in one statement made a 1.2 GB message, which the driver
	 * refused ("Bind message length ... too long"), so such a putAll could never succeed.
	 * The rows go in statements of at most {@code Upsert.MAX_STATEMENT_BYTES} (32 MiB) of
	 * values: 70 MiB take 3, each a delta row of its own.
	 */
	@Test
	void aPutAllOfMoreBytesThanOneStatementTakesShouldGoInSeveralStatements() throws SQLException {
		StoreOptions options = options("bigbulk");
		String schema = options.schema();
		try (DictStore store = this.fixture.open("bigbulk", options)) {
			PersistentDict<String, byte[]> dict = store.dict("d", String.class, byte[].class);
			Random random = new Random(7);
			Map<String, byte[]> big = new HashMap<>();
			for (int i = 0; i < 70; i++) {
				byte[] value = new byte[1024 * 1024];
				random.nextBytes(value);
				big.put("big" + i, value);
			}
			dict.putAll(big);
			assertThat(deltaRows(schema, "map:d")).isEqualTo(3);
			assertCounts(schema, "map:d", 70);
			for (Map.Entry<String, byte[]> entry : big.entrySet()) {
				assertThat(dict.get(entry.getKey())).isEqualTo(entry.getValue());
			}
		}
	}

	@Test
	void insertsAndDeletesFromOutsideTheEngineShouldBeCountedByTheTriggersAndUpdatesByTheirColumn()
			throws SQLException {
		StoreOptions options = options("outside");
		String schema = options.schema();
		String table = "\"" + schema + "\"." + PgSchema.tableName("map:d");
		try (DictStore store = this.fixture.open("outside", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("a", "1");
			// psql, a migration: the row-level triggers count
			execute("INSERT INTO " + table
					+ " (k, v) SELECT 'x' || i, '\\x0102'::bytea FROM generate_series(1, 500) i");
			// an update that changes a value's length keeps its change in the row, as
			// the docs show
			execute("UPDATE " + table + " AS t SET v = '\\x010203'::bytea, d = "
					+ PgCounts.pendingChange("'\\x010203'::bytea") + " WHERE k LIKE 'x1%'");
			execute("DELETE FROM " + table + " WHERE k LIKE 'x2%'");
			assertCounts(schema, "map:d", 390);
			// one that does not is not counted: the limit the docs state
			long[] before = deltas(schema, "map:d");
			execute("UPDATE " + table + " SET v = '\\x01020304'::bytea WHERE k = 'x1'");
			assertThat(deltas(schema, "map:d")).containsExactly(before);
			execute("UPDATE " + table + " SET v = '\\x010203'::bytea WHERE k = 'x1'");
			// a transaction after the engine's statement that counts itself: the setting
			// that kept the triggers from counting it is off again
			try (Connection connection = PostgresFixture.dataSource().getConnection();
					Statement statement = connection.createStatement()) {
				connection.setAutoCommit(false);
				statement.execute("SELECT set_config('" + PgCounts.BULK + "', 'off', true)");
				statement.execute("UPDATE " + table + " AS t SET v = '\\x01'::bytea, d = "
						+ PgCounts.pendingChange("'\\x01'::bytea") + " WHERE k LIKE 'x3%'");
				statement.execute("DELETE FROM " + table + " WHERE k LIKE 'x4%'");
				statement.execute("INSERT INTO " + table + " (k, v) SELECT 'y' || i, '\\x01'::bytea"
						+ " FROM generate_series(1, 10) i");
				connection.commit();
			}
			assertCounts(schema, "map:d", 289);
			assertThat(dict.size()).isEqualTo(289);
		}
	}

	@Test
	void writesAfterAStatementThatCountsItselfShouldBeCountedInTheSameTransaction() throws SQLException {
		StoreOptions options = options("mixed");
		String schema = options.schema();
		try (DictStore store = this.fixture.open("mixed", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			Map<String, String> many = new HashMap<>();
			for (int i = 0; i < 300; i++) {
				many.put("m" + i, "v" + i);
			}
			store.inTransaction(() -> {
				dict.putAll(many);
				dict.put("one", "1");
				dict.put("m1", "a longer value");
				dict.remove("m2");
				dict.clear();
				dict.put("two", "2");
				dict.putAll(Map.of("m3", "x", "two", "a longer two"));
				dict.set("three", "3");
			});
			assertCounts(schema, "map:d", 3);
			// a failed operation inside the transaction rolls back to its savepoint: the
			// writes after it are still counted
			store.inTransaction(() -> {
				dict.putAll(many);
				assertThatThrownBy(() -> dict.compute("m5", (k, v) -> {
					throw new IllegalStateException("no");
				})).isInstanceOf(IllegalStateException.class);
				dict.put("four", "4");
				dict.remove("m6");
			});
			assertCounts(schema, "map:d", 302);
			assertThat(dict.size()).isEqualTo(302);
		}
	}

	@Test
	void sizeShouldComeFromTheDeltasNotFromACount() throws SQLException {
		StoreOptions options = options("deltas");
		try (DictStore store = this.fixture.open("deltas", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("a", "1");
			dict.put("b", "2");
			assertThat(dict.size()).isEqualTo(2);
			// a delta that no row backs: a count of the table would not see it
			execute("INSERT INTO \"" + options.schema() + "\".pd_counts VALUES ('" + PgSchema.tableName("map:d")
					+ "', 5, 0)");
			assertThat(dict.size()).isEqualTo(7);
		}
	}

	@Test
	void expiredEntriesShouldLeaveTheCountAtOnceAndTheDeltasWhenSwept() throws SQLException {
		StoreOptions options = options("expiry");
		try (DictStore store = this.fixture.open("expiry", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			for (int i = 0; i < 10; i++) {
				dict.put("t" + i, "expires", Duration.ofMinutes(1));
			}
			for (int i = 0; i < 5; i++) {
				dict.put("p" + i, "stays");
			}
			assertThat(dict.size()).isEqualTo(15);
			this.millis.addAndGet(Duration.ofMinutes(2).toMillis());
			assertThat(dict.size()).isEqualTo(5);
			assertCounts(options.schema(), "map:d", 15);
			assertThat(store.sweep()).isEqualTo(10);
			assertThat(dict.size()).isEqualTo(5);
			assertCounts(options.schema(), "map:d", 5);
			// the sweep folded the dict's deltas into one row
			assertThat(deltaRows(options.schema(), "map:d")).isEqualTo(1);
		}
	}

	@Test
	void foldsShouldKeepTheDeltasFewAndTheCountsExact() throws SQLException {
		StoreOptions options = options("fold");
		try (DictStore store = this.fixture.open("fold", options)) {
			PersistentDict<Long, String> dict = store.dict("d", Long.class, String.class);
			for (long i = 0; i < 3 * PgCounts.FOLD_EVERY; i++) {
				dict.put(i, "v");
			}
			// overwrites of another length, whose changes wait in their rows
			for (long i = 0; i < 100; i++) {
				dict.set(i, "v".repeat((int) (i % 7)));
			}
			assertCounts(options.schema(), "map:d", 3 * PgCounts.FOLD_EVERY);
			// the totals add them
			assertThat(dict.stats().bytes()).isEqualTo(deltas(options.schema(), "map:d")[1]);
			// the store folded in the background while it wrote: fewer rows than writes
			assertThat(deltaRows(options.schema(), "map:d")).isLessThan(3 * PgCounts.FOLD_EVERY);
			PgCounts counts = new PgCounts(PostgresFixture.dataSource(), options.schema(), true);
			try {
				// the store's own fold may hold the dict's fold lock for a moment
				boolean folded = false;
				for (int attempt = 0; attempt < 100 && !folded; attempt++) {
					folded = counts.fold(PgSchema.tableName("map:d"));
				}
				assertThat(folded).isTrue();
			}
			finally {
				counts.close();
			}
			assertThat(deltaRows(options.schema(), "map:d")).isEqualTo(1);
			assertThat(pending(options.schema(), "map:d")).containsExactly(0, 0);
			assertCounts(options.schema(), "map:d", 3 * PgCounts.FOLD_EVERY);
			assertThat(dict.size()).isEqualTo(3 * PgCounts.FOLD_EVERY);
			assertThat(dict.stats().bytes()).isEqualTo(deltas(options.schema(), "map:d")[1]);
		}
	}

	@Test
	void foldsAndTotalsShouldFindThePendingChangesThroughTheIndexInATableWithoutStatistics() throws SQLException {
		StoreOptions options = options("plans");
		String schema = options.schema();
		String table = PgSchema.tableName("map:d");
		try (DictStore store = this.fixture.open("plans", options)) {
			PersistentDict<Long, String> dict = store.dict("d", Long.class, String.class);
			Map<Long, String> many = new HashMap<>();
			for (long i = 0; i < 20_000; i++) {
				many.put(i, "v");
			}
			dict.putAll(many);
			dict.set(7L, "longer");
			// a table just loaded, never analyzed: the planner guesses that d IS NOT NULL
			// holds of nearly every row
			assertThat(query("SELECT count(*) FROM pg_stats WHERE schemaname = '" + schema + "' AND tablename = '"
					+ table + "'"))
				.isZero();
			assertThat(plan("EXPLAIN " + PgCounts.totalsQuery(schema, table, null), table, table))
				.containsPattern("Index (Only )?Scan using " + table + "_d on " + table)
				.doesNotContain("Filter: (d IS NOT NULL)");
			assertThat(plan("EXPLAIN " + PgCounts.foldStatement(schema, table), PgCounts.FOLD_LOCK, table, table, table,
					table, table))
				.containsPattern("Index (Only )?Scan using " + table + "_d on " + table)
				.doesNotContain("Filter: (d IS NOT NULL)");
			assertThat(dict.stats().bytes()).isEqualTo(deltas(schema, "map:d")[1]);
		}
	}

	private static String plan(String explain, Object... parameters) throws SQLException {
		try (Connection connection = PostgresFixture.dataSource().getConnection();
				PreparedStatement statement = connection.prepareStatement(explain)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			StringBuilder plan = new StringBuilder();
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					plan.append(rs.getString(1)).append('\n');
				}
			}
			return plan.toString();
		}
	}

	@Test
	void aFoldShouldWaitForATruncateOfItsTableAndThenFoldWhatIsLeft() throws Exception {
		StoreOptions options = options("foldlock");
		String schema = options.schema();
		String table = "\"" + schema + "\"." + PgSchema.tableName("map:d");
		try (DictStore store = this.fixture.open("foldlock", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			for (int i = 0; i < 20; i++) {
				dict.put("k" + i, "v" + i);
			}
			PgCounts counts = new PgCounts(PostgresFixture.dataSource(), schema, true);
			ExecutorService pool = Executors.newSingleThreadExecutor();
			try (Connection truncating = PostgresFixture.dataSource().getConnection();
					Statement statement = truncating.createStatement()) {
				truncating.setAutoCommit(false);
				statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
				Future<Boolean> fold = pool.submit(() -> counts.fold(PgSchema.tableName("map:d")));
				// the fold's one statement names the table, so it waits for the lock
				// before it touches a delta row
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while (query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
						+ " AND query LIKE 'WITH lease AS MATERIALIZED%'") == 0 && System.nanoTime() < deadline) {
					Thread.sleep(10);
				}
				assertThat(fold).isNotDone();
				statement.execute("TRUNCATE " + table);
				truncating.commit();
				assertThat(fold.get(30, TimeUnit.SECONDS)).isTrue();
			}
			finally {
				pool.shutdown();
				counts.close();
			}
			// the truncate's trigger took the delta rows, and the fold added none back
			assertThat(deltaRows(schema, "map:d")).isZero();
			assertCounts(schema, "map:d", 0);
			assertThat(dict.size()).isZero();
		}
	}

	@Test
	void integerKeysShouldCountEightBytesEach() throws SQLException {
		StoreOptions options = options("ints");
		try (DictStore store = this.fixture.open("ints", options)) {
			PersistentDict<Long, String> dict = store.dict("d", Long.class, String.class);
			dict.put(1L, "one");
			dict.put(1_000_000_000_000L, "big");
			long values = query(
					"SELECT sum(octet_length(v)) FROM \"" + options.schema() + "\"." + PgSchema.tableName("map:d"));
			assertThat(deltas(options.schema(), "map:d")[1]).isEqualTo(values + 16);
		}
	}

	@Test
	void severalStoresAndConnectionsWritingAtOnceShouldKeepTheCountsExact() throws Exception {
		StoreOptions options = options("concurrent");
		try (DictStore a = this.fixture.open("concurrent", options);
				DictStore b = this.fixture.open("concurrent", options)) {
			List<PersistentDict<String, String>> dicts = List.of(a.dict("d", String.class, String.class),
					b.dict("d", String.class, String.class));
			ExecutorService pool = Executors.newFixedThreadPool(6);
			try {
				List<Future<?>> done = new ArrayList<>();
				for (int t = 0; t < 6; t++) {
					PersistentDict<String, String> dict = dicts.get(t % 2);
					Random random = new Random(t);
					done.add(pool.submit(() -> {
						for (int i = 0; i < 300; i++) {
							String key = "k" + random.nextInt(150);
							switch (random.nextInt(5)) {
								case 0 -> dict.remove(key);
								case 1 -> dict.set(key, "s".repeat(random.nextInt(40)));
								case 2 -> {
									// a putAll counts itself, at REPEATABLE READ: keys
									// that
									// others insert, update or delete meanwhile
									Map<String, String> rows = new HashMap<>();
									rows.put(key, "p");
									rows.put(key + "x", "q".repeat(random.nextInt(30)));
									for (int r = 0; r < 8; r++) {
										rows.put("k" + random.nextInt(150), "r".repeat(random.nextInt(20)));
									}
									dict.putAll(rows);
								}
								case 3 -> dict.merge(key, "m", String::concat);
								default -> dict.put(key, "v".repeat(random.nextInt(50)));
							}
							if (i % 50 == 0) {
								assertThat(dict.size()).isNotNegative();
							}
						}
						return null;
					}));
				}
				for (Future<?> f : done) {
					f.get();
				}
			}
			finally {
				pool.shutdown();
			}
			long rows = query("SELECT count(*) FROM \"" + options.schema() + "\"." + PgSchema.tableName("map:d"));
			assertThat(rows).isPositive();
			assertCounts(options.schema(), "map:d", rows);
			assertThat(dicts.get(0).size()).isEqualTo(rows);
			assertThat(dicts.get(1).size()).isEqualTo(rows);
			b.sweep();
			assertThat(deltaRows(options.schema(), "map:d")).isEqualTo(1);
			assertCounts(options.schema(), "map:d", rows);
		}
	}

	@Test
	void twoStoresOnOneSchemaShouldSeeEachOthersCounts() throws SQLException {
		StoreOptions options = options("two");
		try (DictStore a = this.fixture.open("two", options); DictStore b = this.fixture.open("two", options)) {
			PersistentDict<String, String> da = a.dict("d", String.class, String.class);
			PersistentDict<String, String> db = b.dict("d", String.class, String.class);
			for (int i = 0; i < 10; i++) {
				da.put("k" + i, "v");
			}
			assertThat(db.size()).isEqualTo(10);
			db.remove("k0");
			db.remove("k1");
			db.put("k2", "replaced");
			db.put("new", "v");
			assertThat(da.size()).isEqualTo(9);
			assertCounts(options.schema(), "map:d", 9);
		}
	}

	@Test
	void truncateAndDropShouldLeaveNoDeltas() throws SQLException {
		StoreOptions options = options("truncate");
		try (DictStore store = this.fixture.open("truncate", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("a", "1");
			dict.put("b", "2");
			execute("TRUNCATE \"" + options.schema() + "\"." + PgSchema.tableName("map:d"));
			assertThat(dict.size()).isZero();
			assertThat(deltaRows(options.schema(), "map:d")).isZero();
			dict.put("c", "3");
			assertCounts(options.schema(), "map:d", 1);
			assertThat(store.drop("d")).isTrue();
			assertThat(deltaRows(options.schema(), "map:d")).isZero();
			PersistentDict<String, String> again = store.dict("d", String.class, String.class);
			assertThat(again.size()).isZero();
		}
	}

	@Test
	void unloggedCachesShouldCountInTheUnloggedDeltas() throws SQLException {
		StoreOptions options = options("unlogged").toBuilder().unloggedCaches(true).build();
		try (DictStore store = this.fixture.open("unlogged", options)) {
			PersistentDict<String, String> cache = store
				.dict(DictSpec.of("c", String.class, String.class).withNamespace("cache"));
			cache.put("a", "1");
			cache.put("b", "2");
			cache.remove("a");
			assertThat(cache.size()).isEqualTo(1);
			assertCounts(options.schema(), "cache:c", 1);
			assertThat(query("SELECT count(*) FROM \"" + options.schema() + "\".pd_counts")).isZero();
			assertThat(query("SELECT sum(entries) FROM \"" + options.schema() + "\".pd_ucounts")).isEqualTo(1);
		}
	}

	@Test
	void aSchemaOfVersion1ShouldBeMigratedAndCountedOnce() throws Exception {
		StoreOptions options = options("v1");
		String schema = options.schema();
		try (InputStream in = getClass().getResourceAsStream("/postgres/schema-1.sql")) {
			assertThat(in).isNotNull();
			execute(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"persistentdict\"",
					"\"" + schema + "\""));
		}
		assertThat(schemaVersion(schema)).isEqualTo(1);
		try (DictStore store = this.fixture.open("v1", options)) {
			assertThat(schemaVersion(schema)).isEqualTo(PgSchema.VERSION);
			PersistentDict<String, String> users = store.dict("users", String.class, String.class);
			PersistentDict<Long, Long> ids = store.dict("ids", Long.class, Long.class);
			assertThat(users.get("ada")).isEqualTo("Lovelace");
			assertThat(ids.get(7L)).isEqualTo(49L);
			assertCounts(schema, "map:users", 3);
			assertCounts(schema, "map:ids", 3);
			assertThat(users.size()).isEqualTo(3);
			// 9 expired at 2025-12-31T23:00Z: stored, counted in the rows, not live
			assertThat(ids.size()).isEqualTo(2);
			users.put("grace", "Hopper");
			ids.remove(7L);
			assertThat(users.size()).isEqualTo(4);
			assertThat(ids.size()).isEqualTo(1);
			assertCounts(schema, "map:users", 4);
		}
		// a second open finds version 2 and counts nothing again
		execute("INSERT INTO \"" + schema + "\".pd_counts VALUES ('" + PgSchema.tableName("map:users") + "', 0, 0)");
		try (DictStore store = this.fixture.open("v1", options)) {
			assertThat(deltaRows(schema, "map:users")).isGreaterThan(1);
			assertThat(store.dict("users", String.class, String.class).size()).isEqualTo(4);
		}
	}

	@Test
	void aSchemaOfVersion2ShouldGetTheRowTriggersAndKeepItsDeltas() throws SQLException {
		StoreOptions options = options("v2");
		String schema = options.schema();
		String table = "\"" + schema + "\"." + PgSchema.tableName("map:d");
		String functions = "\"" + schema + "\".pd_count_";
		try (DictStore store = this.fixture.open("v2", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			for (int i = 0; i < 20; i++) {
				dict.put("k" + i, "v" + i);
			}
		}
		// what version 2 wrote: the statement-level triggers alone, counting every write
		createStatementLevelFunctions(schema);
		for (String event : List.of("inserted", "deleted")) {
			execute("DROP TRIGGER pd_count_row_" + event + " ON " + table);
		}
		execute("ALTER TABLE " + table + " DROP COLUMN d");
		execute("CREATE OR REPLACE TRIGGER pd_count_inserted AFTER INSERT ON " + table
				+ " REFERENCING NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION " + functions + "inserted()");
		execute("CREATE OR REPLACE TRIGGER pd_count_deleted AFTER DELETE ON " + table
				+ " REFERENCING OLD TABLE AS o FOR EACH STATEMENT EXECUTE FUNCTION " + functions + "deleted()");
		execute("CREATE OR REPLACE TRIGGER pd_count_updated AFTER UPDATE ON " + table
				+ " REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION " + functions
				+ "updated()");
		execute("UPDATE \"" + schema + "\".pd_meta SET value = 2 WHERE key = 'schema_version'");
		execute("DELETE FROM " + table + " WHERE k IN ('k0', 'k1')");
		long deltas = deltaRows(schema, "map:d");
		assertCounts(schema, "map:d", 18);
		try (DictStore store = this.fixture.open("v2", options)) {
			assertThat(schemaVersion(schema)).isEqualTo(PgSchema.VERSION);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			// not counted again: the deltas stay as they were
			assertThat(deltaRows(schema, "map:d")).isEqualTo(deltas);
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.set("k5", "v5");
			assertThat(deltaRows(schema, "map:d")).isEqualTo(deltas);
			dict.put("k0", "back");
			assertCounts(schema, "map:d", 19);
			assertThat(dict.size()).isEqualTo(19);
			assertThat(listened(schema)).as("instances of version 2 may listen: writers notify").isOne();
		}
	}

	private static long schemaVersion(String schema) throws SQLException {
		return query("SELECT value FROM \"" + schema + "\".pd_meta WHERE key = 'schema_version'");
	}

	private static long listened(String schema) throws SQLException {
		return query("SELECT count(*) FROM \"" + schema + "\".pd_meta WHERE key = '" + PgListeners.KEY + "'");
	}

	@Test
	void aSchemaOfVersion3ShouldStartWithTheListenedRowAndKeepItsCounts() throws SQLException {
		StoreOptions options = options("v3");
		String schema = options.schema();
		try (DictStore store = this.fixture.open("v3", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			for (int i = 0; i < 10; i++) {
				dict.put("k" + i, "v" + i);
			}
		}
		// a new schema: no instance has listened
		assertThat(listened(schema)).isZero();
		execute("UPDATE \"" + schema + "\".pd_meta SET value = 3 WHERE key = 'schema_version'");
		long deltas = deltaRows(schema, "map:d");
		try (DictStore store = this.fixture.open("v3", options)) {
			assertThat(schemaVersion(schema)).isEqualTo(PgSchema.VERSION);
			// instances of version 3 listen without saying so, and may still run
			assertThat(listened(schema)).isOne();
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			assertThat(deltaRows(schema, "map:d")).isEqualTo(deltas);
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("k10", "v10");
			assertCounts(schema, "map:d", 11);
		}
	}

	/** The functions of the statement-level count triggers of schema versions 2 to 4. */
	private static void createStatementLevelFunctions(String schema) throws SQLException {
		String s = "\"" + schema + "\"";
		String insert = " RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO " + s
				+ ".pd_counts (t, entries, bytes) SELECT TG_TABLE_NAME, ";
		String bytes = "octet_length(v) + " + s + ".pd_key_bytes(k)";
		execute("CREATE OR REPLACE FUNCTION " + s + ".pd_count_inserted()" + insert + "count(*), sum(" + bytes
				+ ") FROM n HAVING count(*) > 0; RETURN NULL; END'");
		execute("CREATE OR REPLACE FUNCTION " + s + ".pd_count_deleted()" + insert + "-count(*), -sum(" + bytes
				+ ") FROM o HAVING count(*) > 0; RETURN NULL; END'");
		execute("CREATE OR REPLACE FUNCTION " + s + ".pd_count_updated()" + insert + "0, d FROM (SELECT (SELECT"
				+ " coalesce(sum(" + bytes + "), 0) FROM n) - (SELECT coalesce(sum(" + bytes
				+ "), 0) FROM o) AS d) b WHERE d <> 0; RETURN NULL; END'");
	}

	@Test
	void aSchemaOfVersion4ShouldLoseTheStatementLevelTriggersAndKeepItsCounts() throws Exception {
		StoreOptions options = options("v4");
		String schema = options.schema();
		try (InputStream in = getClass().getResourceAsStream("/postgres/schema-4.sql")) {
			assertThat(in).isNotNull();
			execute(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("pd_v4_fixture", schema));
		}
		String users = "\"" + schema + "\"." + PgSchema.tableName("map:users");
		String statementTriggers = "SELECT count(*) FROM pg_trigger WHERE tgrelid = '" + users
				+ "'::regclass AND tgname IN ('pd_count_inserted', 'pd_count_deleted', 'pd_count_updated')";
		assertThat(schemaVersion(schema)).isEqualTo(4);
		assertThat(query(statementTriggers)).isEqualTo(3);
		assertCounts(schema, "map:users", 22);
		long deltas = deltaRows(schema, "map:users");
		try (DictStore store = this.fixture.open("v4", options)) {
			assertThat(schemaVersion(schema)).isEqualTo(PgSchema.VERSION);
			assertThat(query(statementTriggers)).isZero();
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			// not counted again, and no listener was there to say so
			assertThat(deltaRows(schema, "map:users")).isEqualTo(deltas);
			assertThat(listened(schema)).isZero();
			PersistentDict<String, String> dict = store.dict("users", String.class, String.class);
			PersistentDict<Long, Long> ids = store.dict("ids", Long.class, Long.class);
			assertThat(dict.get("ada")).isEqualTo("Lovelace");
			assertThat(dict.size()).isEqualTo(22);
			assertThat(ids.size()).isEqualTo(5);
			// an instance of version 4 that still runs: what its statement-level
			// triggers counted, the row-level ones count now
			try (Connection connection = PostgresFixture.dataSource().getConnection();
					Statement statement = connection.createStatement()) {
				connection.setAutoCommit(false);
				statement.execute("INSERT INTO " + users + " (k, v) SELECT 'w' || i, '\\x0102'::bytea"
						+ " FROM generate_series(1, 100) i WHERE (SELECT set_config('persistentdict.row_counts',"
						+ " 'off', true)) = 'off'");
				statement.execute("DELETE FROM " + users + " WHERE k LIKE 'w1%'");
				statement.execute("INSERT INTO " + users + " (k, v) SELECT 'one', '\\x01'::bytea WHERE (SELECT"
						+ " set_config('persistentdict.row_counts', 'on', true)) = 'on'");
				connection.commit();
			}
			assertCounts(schema, "map:users", 22 + 100 - 12 + 1);
			Map<String, String> many = new HashMap<>();
			for (int i = 0; i < 50; i++) {
				many.put("n" + i, "v" + i);
			}
			many.put("ada", "Byron");
			dict.putAll(many);
			dict.remove("alan");
			assertCounts(schema, "map:users", 111 + 50 - 1);
			assertCounts(schema, "map:ids", 5);
		}
	}

	@Test
	void aSchemaOfVersion5ShouldLoseTheUpdateTriggerGainTheColumnAndKeepItsCounts() throws SQLException {
		StoreOptions options = options("v5");
		String schema = options.schema();
		String s = "\"" + schema + "\"";
		String table = s + "." + PgSchema.tableName("map:d");
		try (DictStore store = this.fixture.open("v5", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			for (int i = 0; i < 20; i++) {
				dict.put("k" + i, "v" + i);
			}
		}
		// what version 5 had: no column, an update trigger, a delete trigger that knew
		// no column
		execute("ALTER TABLE " + table + " DROP COLUMN d");
		String values = " RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO " + s
				+ ".pd_counts (t, entries, bytes) VALUES (TG_TABLE_NAME, ";
		execute("CREATE OR REPLACE FUNCTION " + s + ".pd_count_row_deleted()" + values + "-1, -(octet_length(OLD.v) + "
				+ s + ".pd_key_bytes(OLD.k))); RETURN NULL; END'");
		execute("CREATE OR REPLACE FUNCTION " + s + ".pd_count_row_updated()" + values
				+ "0, octet_length(NEW.v) - octet_length(OLD.v)); RETURN NULL; END'");
		execute("CREATE TRIGGER pd_count_row_updated AFTER UPDATE ON " + table
				+ " FOR EACH ROW WHEN (octet_length(OLD.v) <> octet_length(NEW.v)) EXECUTE FUNCTION " + s
				+ ".pd_count_row_updated()");
		execute("UPDATE " + s + ".pd_meta SET value = 5 WHERE key = 'schema_version'");
		// a write of version 5, counted by its trigger
		execute("UPDATE " + table + " SET v = (SELECT v FROM " + table + " WHERE k = 'k10') WHERE k = 'k1'");
		execute("DELETE FROM " + table + " WHERE k = 'k2'");
		assertCounts(schema, "map:d", 19);
		long deltas = deltaRows(schema, "map:d");
		try (DictStore store = this.fixture.open("v5", options)) {
			assertThat(schemaVersion(schema)).isEqualTo(PgSchema.VERSION);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			assertThat(query("SELECT count(*) FROM pg_trigger WHERE tgrelid = '" + table
					+ "'::regclass AND tgname = 'pd_count_row_updated'"))
				.isZero();
			// not counted again
			assertThat(deltaRows(schema, "map:d")).isEqualTo(deltas);
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThat(dict.put("k1", "a longer value")).isEqualTo("v10");
			dict.set("k3", "a longer value too");
			assertThat(deltaRows(schema, "map:d")).isEqualTo(deltas);
			assertThat(pending(schema, "map:d")).containsExactly(2, 11 + 16);
			dict.remove("k3");
			assertCounts(schema, "map:d", 18);
			assertThat(dict.size()).isEqualTo(18);
			assertThat(dict.stats().bytes()).isEqualTo(deltas(schema, "map:d")[1]);
		}
	}

	@Test
	void aTableLeftByADroppedCatalogEntryShouldLoseTheTriggersOfOlderVersionsWhenReused() throws SQLException {
		StoreOptions options = options("reuse");
		String schema = options.schema();
		String s = "\"" + schema + "\"";
		String table = s + "." + PgSchema.tableName("map:d");
		try (DictStore store = this.fixture.open("reuse", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("a", "1");
		}
		// the table as version 5 left it, and its entry gone from the catalog
		execute("CREATE OR REPLACE FUNCTION " + s + ".pd_count_row_updated() RETURNS trigger LANGUAGE plpgsql"
				+ " AS 'BEGIN RETURN NULL; END'");
		execute("CREATE TRIGGER pd_count_row_updated AFTER UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + s
				+ ".pd_count_row_updated()");
		execute("DELETE FROM " + s + ".pd_catalog WHERE name = 'd'");
		try (DictStore store = this.fixture.open("reuse", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThat(query("SELECT count(*) FROM pg_trigger WHERE tgrelid = '" + table
					+ "'::regclass AND tgname = 'pd_count_row_updated'"))
				.isZero();
			// the row it kept, counted again
			assertThat(dict.get("a")).isEqualTo("1");
			dict.set("a", "longer");
			assertCounts(schema, "map:d", 1);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
	}

	@Test
	void checkIntegrityShouldFindATableWithoutItsTriggersAndTheMigrationShouldMendIt() throws SQLException {
		StoreOptions options = options("integrity");
		String schema = options.schema();
		String table = "\"" + schema + "\"." + PgSchema.tableName("map:d");
		try (DictStore store = this.fixture.open("integrity", options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("a", "1");
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			// the trigger that counts a put's insert
			execute("ALTER TABLE " + table + " DISABLE TRIGGER pd_count_row_inserted");
			dict.put("b", "2");
			assertThat(store.checkIntegrity()).contains("map:d").contains("lacks count triggers");
			assertThat(dict.size()).isEqualTo(1);
			execute("ALTER TABLE " + table + " ENABLE TRIGGER pd_count_row_inserted");
			execute("DROP TRIGGER pd_count_row_inserted ON " + table);
		}
		// the advice of the message
		execute("UPDATE \"" + schema + "\".pd_meta SET value = 1 WHERE key = 'schema_version'");
		try (DictStore store = this.fixture.open("integrity", options)) {
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			assertThat(store.dict("d", String.class, String.class).size()).isEqualTo(2);
			assertCounts(schema, "map:d", 2);
		}
	}

	/**
	 * Check the deltas' sums against the table: its rows, and its keys' and values'
	 * bytes.
	 */
	private static void assertCounts(String schema, String dict, long rows) throws SQLException {
		String table = "\"" + schema + "\"." + PgSchema.tableName(dict);
		long keyKind = query("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
				+ "' AND table_name = '" + PgSchema.tableName(dict)
				+ "' AND column_name = 'k' AND data_type = 'bigint'");
		String keyBytes = (keyKind == 1) ? "8" : "octet_length(k)";
		assertThat(query("SELECT count(*) FROM " + table)).isEqualTo(rows);
		long bytes = query("SELECT coalesce(sum(octet_length(v) + " + keyBytes + "), 0) FROM " + table);
		assertThat(deltas(schema, dict)).containsExactly(rows, bytes);
	}

	/**
	 * Return a dict's totals as the engine keeps them: the sums of its delta rows, and
	 * the pending changes of its rows (from version 6).
	 */
	private static long[] deltas(String schema, String dict) throws SQLException {
		long pendingColumn = query("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
				+ "' AND table_name = '" + PgSchema.tableName(dict) + "' AND column_name = 'd'");
		String pending = (pendingColumn == 1)
				? " + (SELECT coalesce(sum(d), 0) FROM \"" + schema + "\"." + PgSchema.tableName(dict) + ")" : "";
		String sql = "SELECT coalesce(sum(entries), 0), coalesce(sum(bytes), 0)" + pending + " FROM (SELECT * FROM \""
				+ schema + "\".pd_counts UNION ALL SELECT * FROM \"" + schema + "\".pd_ucounts) d WHERE t = ?";
		try (Connection connection = PostgresFixture.dataSource().getConnection();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, PgSchema.tableName(dict));
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return new long[] { rs.getLong(1), rs.getLong(2) };
			}
		}
	}

	/** Return how many rows of a dict carry a pending change, and its sum. */
	private static long[] pending(String schema, String dict) throws SQLException {
		String sql = "SELECT count(d), coalesce(sum(d), 0) FROM \"" + schema + "\"." + PgSchema.tableName(dict);
		try (Connection connection = PostgresFixture.dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return new long[] { rs.getLong(1), rs.getLong(2) };
		}
	}

	private static long deltaRows(String schema, String dict) throws SQLException {
		return query("SELECT count(*) FROM (SELECT t FROM \"" + schema + "\".pd_counts UNION ALL SELECT t FROM \""
				+ schema + "\".pd_ucounts) d WHERE t = '" + PgSchema.tableName(dict) + "'");
	}

	private static long query(String sql) throws SQLException {
		try (Connection connection = PostgresFixture.dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = PostgresFixture.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
