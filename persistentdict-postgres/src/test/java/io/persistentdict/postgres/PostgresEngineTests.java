package io.persistentdict.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.OpenMode;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.PostgresFixture;
import io.persistentdict.ReadOnlyStoreException;
import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOptions;
import io.persistentdict.Synchronous;
import io.persistentdict.codec.KeyCodec;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the PostgreSQL engine does: finding it, its options, its schema, its keys,
 * its errors and its round trips, on a real PostgreSQL.
 */
class PostgresEngineTests {

	/** A key codec that stores bytes, so its dict's keys are of kind ANY. */
	private static final KeyCodec<byte[]> BYTES = new KeyCodec<>() {

		@Override
		public Object encode(byte[] key) {
			return key.clone();
		}

		@Override
		public byte[] decode(Object stored) {
			return (byte[]) stored;
		}

		@Override
		public String id() {
			return "test-bytes";
		}

	};

	private final PostgresFixture fixture = new PostgresFixture();

	@AfterEach
	void dropSchemas() {
		this.fixture.close();
	}

	private StoreOptions options(String name) {
		return StoreOptions.builder().schema(this.fixture.schema(name)).build();
	}

	@Test
	void connectShouldFindThePostgresEngine() {
		try (DictStore store = this.fixture.open("found")) {
			assertThat(store.toString()).contains("PostgreSQL jdbc:postgresql://").doesNotContain("password");
			assertThat(store.path()).isNull();
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("k", "v");
			assertThat(dict.get("k")).isEqualTo("v");
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			assertThat(store.stats().fileSize()).isPositive();
			assertThatThrownBy(() -> store.backupTo(Path.of("/tmp/never")))
				.isInstanceOf(UnsupportedOperationException.class)
				.hasMessageContaining("PostgreSQL")
				.hasMessageContaining("pg_dump");
		}
	}

	@Test
	void optionsThatMeanNothingOnPostgresShouldBeRefusedByName() {
		DataSource dataSource = PostgresFixture.dataSource();
		Map<String, StoreOptions> refused = Map.of("pragma", StoreOptions.builder().pragma("cache_size", "1").build(),
				"connectionProperty", StoreOptions.builder().connectionProperty("a", "b").build(), "readPoolSize",
				StoreOptions.builder().readPoolSize(8).build(), "poolName",
				StoreOptions.builder().poolName("p").build(), "busyTimeout",
				StoreOptions.builder().busyTimeout(Duration.ofSeconds(30)).build(), "openMode",
				StoreOptions.builder().openMode(OpenMode.RECREATE).build());
		refused.forEach((option, options) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> DictStore.connect(dataSource, options))
			.withMessageContaining("StoreOptions." + option));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DictStore.connect(dataSource, StoreOptions.builder().openMode(OpenMode.RECOVER).build()))
			.withMessageContaining("RECOVER");
		assertThatIllegalArgumentException().isThrownBy(() -> StoreOptions.builder().schema("Bad-Name"))
			.withMessageContaining("Bad-Name");
	}

	@Test
	void concurrentConnectsShouldCreateTheSchemaOnce() throws Exception {
		StoreOptions options = options("together");
		ExecutorService pool = Executors.newFixedThreadPool(6);
		try {
			List<Future<DictStore>> stores = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				stores.add(pool.submit(() -> DictStore.connect(PostgresFixture.dataSource(), options)));
			}
			List<Future<Object>> dicts = new ArrayList<>();
			for (Future<DictStore> store : stores) {
				DictStore opened = store.get();
				dicts.add(pool.submit((Callable<Object>) () -> opened.dict("same", String.class, Long.class)
					.merge("n", 1L, Long::sum)));
			}
			for (Future<Object> dict : dicts) {
				dict.get();
			}
			for (Future<DictStore> store : stores) {
				store.get().close();
			}
		}
		finally {
			pool.shutdown();
		}
		try (DictStore store = DictStore.connect(PostgresFixture.dataSource(), options)) {
			assertThat(store.dict("same", String.class, Long.class).get("n")).isEqualTo(6L);
			assertThat(store.dictNames()).containsExactly("same");
		}
		assertThat(count("SELECT count(*) FROM \"" + options.schema() + "\".pd_meta")).isEqualTo(1);
	}

	@Test
	void newerSchemaShouldBeRefused() throws SQLException {
		StoreOptions options = options("newer");
		DictStore.connect(PostgresFixture.dataSource(), options).close();
		execute("UPDATE \"" + options.schema() + "\".pd_meta SET value = 99 WHERE key = 'schema_version'");
		assertThatExceptionOfType(StoreOpenException.class)
			.isThrownBy(() -> DictStore.connect(PostgresFixture.dataSource(), options))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(StoreOpenException.Reason.NEWER_SCHEMA))
			.withMessageContaining("schema version 99");
	}

	@Test
	void schemaScriptShouldBeTheDdlTheEngineRuns() throws IOException {
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(PgSchema.SCRIPT)) {
			assertThat(in).isNotNull();
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
				.isEqualTo(PgSchema.script(StoreOptions.DEFAULT_SCHEMA));
		}
	}

	@Test
	void withCreationOffAndTheScriptAppliedDictsShouldWork() throws Exception {
		String url = TestPostgres.server().newDatabase();
		try (HikariDataSource dataSource = PostgresFixture.pool(url, 4)) {
			StoreOptions validateOnly = StoreOptions.builder().createSchema(false).build();
			assertThatExceptionOfType(StoreOpenException.class)
				.isThrownBy(() -> DictStore.connect(dataSource, validateOnly))
				.withMessageContaining(PgSchema.SCRIPT);
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement();
					InputStream in = getClass().getClassLoader().getResourceAsStream(PgSchema.SCRIPT)) {
				statement.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
			try (DictStore store = DictStore.connect(dataSource, validateOnly)) {
				String ddl = String.join("; ",
						PgSchema.tableDdl("persistentdict", PgSchema.tableName("map:users"), PgKeys.TEXT, false));
				assertThatThrownBy(() -> store.dict("users", String.class, String.class))
					.isInstanceOf(PersistentDictException.class)
					.hasMessageContaining("createSchema(false)")
					.hasMessageContaining(ddl);
				try (Connection connection = dataSource.getConnection();
						Statement statement = connection.createStatement()) {
					statement.execute(ddl);
				}
				PersistentDict<String, String> users = store.dict("users", String.class, String.class);
				users.put("ada", "Lovelace");
				assertThat(users.get("ada")).isEqualTo("Lovelace");
			}
		}
		finally {
			TestPostgres.server().dropDatabase(url.replaceAll("^.*/([^/?]+)(\\?.*)?$", "$1"));
		}
	}

	@Test
	void nulAndTooLongKeysShouldFailClearlyBeforeTheDatabase() {
		try (DictStore store = this.fixture.open("keys")) {
			PersistentDict<String, String> text = store.dict("text", String.class, String.class);
			assertThatIllegalArgumentException().isThrownBy(() -> text.put("a\0b", "v"))
				.withMessageContaining("U+0000")
				.withMessageContaining("map:text");
			assertThatIllegalArgumentException().isThrownBy(() -> text.put("x".repeat(3000), "v"))
				.withMessageContaining("3000 bytes")
				.withMessageContaining(String.valueOf(PgKeys.MAX_KEY_BYTES));
			String longest = "é".repeat(PgKeys.MAX_KEY_BYTES / 2);
			text.put(longest, "v");
			assertThat(text.get(longest)).isEqualTo("v");
			PersistentDict<byte[], String> bytes = store
				.dict(DictSpec.of("bytes", byte[].class, String.class).withKeyCodec(BYTES));
			bytes.put(new byte[] { 0, 1, 0 }, "nul bytes are fine");
			assertThat(bytes.get(new byte[] { 0, 1, 0 })).isEqualTo("nul bytes are fine");
			assertThatIllegalArgumentException().isThrownBy(() -> bytes.put(new byte[PgKeys.MAX_KEY_BYTES + 1], "v"))
				.withMessageContaining("map:bytes");
			assertThat(text).hasSize(1);
		}
	}

	@Test
	void dictNamesThatAreNoIdentifiersShouldWork() {
		// the core allows letters, digits and '_.:-' (ASCII, no spaces or quotes): none
		// of '.:-'
		// may stand in an unquoted identifier, and this name takes more than 63 bytes
		String odd = "Orders.v2:archive-2024_" + "x".repeat(60);
		assertThat(odd.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(70);
		try (DictStore store = this.fixture.open("names")) {
			store.dict(odd, String.class, String.class).put("k", "v");
		}
		try (DictStore store = this.fixture.open("names")) {
			assertThat(store.dictNames()).containsExactly(odd);
			assertThat(store.dict(odd, String.class, String.class).get("k")).isEqualTo("v");
			assertThat(store.drop(odd)).isTrue();
			assertThat(store.dictNames()).isEmpty();
		}
	}

	@Test
	void textKeysShouldSortByCodePointAsOnSqlite() {
		try (DictStore store = this.fixture.open("order")) {
			PersistentDict<String, Integer> dict = store.dict("d", String.class, Integer.class);
			List<String> keys = List.of("B", "a", "é", "Z", "\uD83D\uDE00", "ab", "a b");
			for (int i = 0; i < keys.size(); i++) {
				dict.put(keys.get(i), i);
			}
			assertThat(dict.keySet()).containsExactly("B", "Z", "a", "a b", "ab", "é", "\uD83D\uDE00");
			assertThat(dict.prefix("a").map(Map.Entry::getKey)).containsExactly("a", "a b", "ab");
		}
	}

	@Test
	void readOnlyUserShouldGetAClearErrorNamingTheDict() throws SQLException {
		StoreOptions options = options("readonly");
		try (DictStore store = DictStore.connect(PostgresFixture.dataSource(), options)) {
			store.dict("orders", String.class, String.class).put("k", "v");
		}
		String schema = options.schema();
		execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pd_reader') THEN"
				+ " CREATE ROLE pd_reader LOGIN PASSWORD 'reader'; END IF; END $$");
		execute("GRANT USAGE ON SCHEMA \"" + schema + "\" TO pd_reader");
		execute("GRANT SELECT ON ALL TABLES IN SCHEMA \"" + schema + "\" TO pd_reader");
		PGSimpleDataSource reader = new PGSimpleDataSource();
		try (Connection connection = PostgresFixture.dataSource().getConnection()) {
			reader.setUrl(connection.getMetaData().getURL().replaceAll("\\?.*$", ""));
		}
		reader.setUser("pd_reader");
		reader.setPassword("reader");
		try (DictStore store = DictStore.connect(reader, options)) {
			PersistentDict<String, String> orders = store.dict("orders", String.class, String.class);
			assertThat(orders.get("k")).isEqualTo("v");
			assertThatExceptionOfType(ReadOnlyStoreException.class).isThrownBy(() -> orders.put("k", "w"))
				.withMessageContaining("map:orders")
				.withMessageContaining("42501")
				.withMessageNotContaining("reader'");
			assertThatExceptionOfType(ReadOnlyStoreException.class).isThrownBy(() -> orders.set("k", "w"))
				.withMessageContaining("map:orders");
		}
		try (DictStore store = DictStore.connect(reader, options.toBuilder().openMode(OpenMode.READ_ONLY).build())) {
			PersistentDict<String, String> orders = store.dict("orders", String.class, String.class);
			assertThat(orders.get("k")).isEqualTo("v");
			assertThatExceptionOfType(ReadOnlyStoreException.class).isThrownBy(() -> orders.put("k", "w"));
		}
	}

	@Test
	void expiryShouldFollowTheStoresClockAndSweepsDeleteExpiredRows() {
		AtomicLong now = new AtomicLong(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
		InstantSource clock = () -> Instant.ofEpochMilli(now.get());
		StoreOptions options = options("expiry").toBuilder().clock(clock).build();
		try (DictStore store = DictStore.connect(PostgresFixture.dataSource(), options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			for (int i = 0; i < 50; i++) {
				dict.put("short" + i, "v", Duration.ofSeconds(10));
			}
			dict.put("long", "v", Duration.ofHours(1));
			dict.put("never", "v");
			assertThat(dict).hasSize(52);
			now.addAndGet(Duration.ofSeconds(11).toMillis());
			assertThat(dict.get("short1")).isNull();
			assertThat(dict).hasSize(2);
			assertThat(store.sweep()).isEqualTo(50);
			assertThat(dict.expiresAt("long")).contains(Instant.ofEpochMilli(now.get() - 11_000 + 3_600_000));
		}
	}

	@Test
	void clockSkewShouldBeMeasuredAtConnect() {
		InstantSource ahead = () -> Instant.now().plus(Duration.ofHours(1));
		PgEngine engine = PgEngine.connect(PostgresFixture.dataSource(),
				options("skew").toBuilder().clock(ahead).build());
		assertThat(engine.clockSkewMillis()).isBetween(3_590_000L, 3_610_000L);
		engine.close();
		try (DictStore store = DictStore.connect(PostgresFixture.dataSource(),
				options("skew").toBuilder().clock(ahead).build())) {
			// the stats show it, as a Duration
			assertThat(store.stats().clockSkew()).isBetween(Duration.ofSeconds(3590), Duration.ofSeconds(3610));
		}
		try (DictStore sqlite = DictStore.inMemory()) {
			assertThat(sqlite.stats().clockSkew()).isNull();
		}
	}

	@Test
	void cacheTablesShouldBeUnloggedOnlyWhenAskedAndOnlyForCaches() throws SQLException {
		StoreOptions options = options("unlogged").toBuilder().unloggedCaches(true).build();
		try (DictStore store = DictStore.connect(PostgresFixture.dataSource(), options)) {
			store.dict(DictSpec.of("c", String.class, String.class).withNamespace("cache")).put("k", "v");
			store.dict("m", String.class, String.class).put("k", "v");
		}
		assertThat(persistence(options.schema(), "cache:c")).isEqualTo("u");
		assertThat(persistence(options.schema(), "map:m")).isEqualTo("p");
	}

	@Test
	void synchronousOffShouldWrite() {
		StoreOptions options = options("async").toBuilder().synchronous(Synchronous.OFF).build();
		try (DictStore store = DictStore.connect(PostgresFixture.dataSource(), options)) {
			PersistentDict<String, Long> dict = store.dict("d", String.class, Long.class);
			dict.set("a", 1L);
			assertThat(dict.put("a", 2L)).isEqualTo(1L);
			assertThat(dict.merge("a", 1L, Long::sum)).isEqualTo(3L);
		}
	}

	@Test
	void removesFromTwoStoresShouldGiveEachValueToOneOfThemOnly() throws Exception {
		StoreOptions options = options("takers");
		try (DictStore first = DictStore.connect(PostgresFixture.dataSource(), options);
				DictStore second = DictStore.connect(PostgresFixture.dataSource(), options)) {
			List<PersistentDict<String, Long>> dicts = List.of(first.dict("d", String.class, Long.class),
					second.dict("d", String.class, Long.class));
			for (long round = 0; round < 20; round++) {
				for (int i = 0; i < 20; i++) {
					dicts.get(0).set("k" + i, round);
				}
				ExecutorService pool = Executors.newFixedThreadPool(4);
				try {
					List<Future<Integer>> taken = new ArrayList<>();
					for (int t = 0; t < 4; t++) {
						PersistentDict<String, Long> dict = dicts.get(t % 2);
						long expected = round;
						taken.add(pool.submit(() -> {
							int won = 0;
							for (int i = 0; i < 20; i++) {
								Long value = dict.remove("k" + i);
								if (value != null) {
									assertThat(value).isEqualTo(expected);
									won++;
								}
							}
							return won;
						}));
					}
					int total = 0;
					for (Future<Integer> f : taken) {
						total += f.get();
					}
					assertThat(total).as("values removed in round %d", round).isEqualTo(20);
				}
				finally {
					pool.shutdown();
				}
				assertThat(dicts.get(1).size()).isZero();
			}
		}
	}

	@Test
	void roundTripsShouldBeAsFewAsTheContractAllows() {
		RoundTrips counted = new RoundTrips(PostgresFixture.dataSource());
		try (DictStore store = DictStore.connect(counted, options("trips"))) {
			PersistentDict<String, Long> dict = store.dict("d", String.class, Long.class);
			dict.set("warm", 0L);
			counted.take();
			dict.get("warm");
			int get = counted.take();
			dict.set("a", 1L);
			int set = counted.take();
			dict.put("a", 2L);
			int put = counted.take();
			dict.putIfAbsent("b", 1L);
			int putIfAbsent = counted.take();
			dict.remove("b");
			int remove = counted.take();
			dict.replace("a", 2L, 3L);
			int replace = counted.take();
			dict.compute("a", (k, v) -> v + 1);
			int compute = counted.take();
			Map<String, Long> many = new HashMap<>();
			for (long i = 0; i < 10_001; i++) {
				many.put("m" + i, i);
			}
			dict.putAll(many);
			int putAll = counted.take();
			System.out.printf("round trips: get %d, set %d, put %d, putIfAbsent %d, remove %d, replace %d, compute %d,"
					+ " putAll of 10,001 %d%n", get, set, put, putIfAbsent, remove, replace, compute, putAll);
			assertThat(get).isEqualTo(1);
			// every write announces itself, near cache or not: set and put are one
			// statement each in autocommit, which carries its own NOTIFY
			assertThat(set).isEqualTo(1);
			assertThat(put).isEqualTo(1);
			// putIfAbsent: one INSERT unless there, in autocommit, with its NOTIFY;
			// remove: one DELETE ... RETURNING, likewise
			assertThat(putIfAbsent).isEqualTo(1);
			assertThat(remove).isEqualTo(1);
			// BEGIN with the isolation level, the read, the write, the NOTIFY, the commit
			assertThat(List.of(replace, compute)).containsOnly(5);
			// the isolation level, upserts of 5,000, 5,000 and 1 rows, the NOTIFY, the
			// commit (in upserts of 32 rows, 313 statements)
			assertThat(putAll).isEqualTo(6);
			assertThat(dict.get("m10000")).isEqualTo(10_000L);
		}
	}

	private static String persistence(String schema, String dict) throws SQLException {
		try (Connection connection = PostgresFixture.dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT relpersistence FROM pg_class WHERE oid = '\"" + schema
						+ "\".\"" + PgSchema.tableName(dict) + "\"'::regclass")) {
			rs.next();
			return rs.getString(1);
		}
	}

	private static long count(String sql) throws SQLException {
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
