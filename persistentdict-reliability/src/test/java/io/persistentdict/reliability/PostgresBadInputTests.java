package io.persistentdict.reliability;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.OpenMode;
import io.persistentdict.PersistentDict;
import io.persistentdict.ReadOnlyStoreException;
import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOptions;
import io.persistentdict.codec.Codec;
import io.persistentdict.codec.KeyCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Bad input on the PostgreSQL engine: keys it cannot hold (a NUL, 1 MB, one byte past its
 * limit), a 50 MB value, a schema written by a newer version, a database role that may
 * only read, and dict names that {@link DictSpec} refuses. Each gets an error that names
 * the dict and the store (never the password) and says what to do, and the data stored
 * before is all there afterwards.
 */
class PostgresBadInputTests {

	private static final String SECRET = "bad-input-secret-5e1f";

	private static final AtomicInteger SCHEMAS = new AtomicInteger();

	static final List<String> tried = new CopyOnWriteArrayList<>();

	/** A key codec that stores bytes, so that its dict's keys are of kind ANY. */
	static final KeyCodec<byte[]> BYTES = new KeyCodec<>() {

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
			return "reliability-bytes";
		}

	};

	/** The engine's longest key, in bytes. */
	static final int MAX_KEY_BYTES = 2048;

	private Backend.Postgres backend;

	private String schema;

	@BeforeEach
	void backend() {
		this.schema = "bad_input_" + SCHEMAS.incrementAndGet();
		this.backend = Backend.postgresWithPassword(this.schema, 4, false, SECRET);
	}

	@AfterEach
	void close() {
		this.backend.close();
	}

	@AfterAll
	static void report() {
		Report.section("bad-input-postgres", tried.stream().sorted().toList());
	}

	@Test
	void nulInATextKeyShouldBeRefusedClearlyAndNotFoundByReads() {
		try (DictStore store = this.backend.open()) {
			PersistentDict<String, String> texts = seeded(store);
			assertClear(catchThrowable(() -> texts.put("a\0b", "v")), "map:texts", "U+0000", "at index 1",
					"key codec that stores bytes");
			assertClear(catchThrowable(() -> texts.set("a\0b", "v")), "map:texts", "U+0000");
			assertClear(catchThrowable(() -> texts.putIfAbsent("a\0b", "v")), "map:texts", "U+0000");
			assertClear(catchThrowable(() -> texts.merge("a\0b", "v", String::concat)), "map:texts", "U+0000");
			assertClear(catchThrowable(() -> texts.compute("a\0b", (k, v) -> "v")), "map:texts", "U+0000");
			Map<String, String> some = new LinkedHashMap<>();
			some.put("c", "3");
			some.put("nul\0", "4");
			assertClear(catchThrowable(() -> texts.putAll(some)), "map:texts", "U+0000");
			assertThat(texts.get("c")).as("putAll is all or nothing").isNull();
			// such a key can never be stored: reads find nothing, as on SQLite
			assertThat(texts.get("a\0b")).isNull();
			assertThat(texts.containsKey("a\0b")).isFalse();
			assertThat(texts.remove("a\0b")).isNull();
			// a bound with NUL cannot be sent at all: refused, and said so
			assertThat(catchThrowable(() -> texts.prefix("a\0").count())).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("range or prefix bound of dict 'map:texts' in store PostgreSQL")
				.hasMessageContaining("leave it out of the bound");
			assertSeeded(texts);
		}
		assertSeededAfterReopening();
		tried
			.add("NUL in a text key: put, set, putIfAbsent, merge, compute and putAll (all or nothing) refused, naming the dict and store;"
					+ " get null, containsKey false, remove null; a prefix with NUL refused as a bound; earlier data intact");
	}

	@Test
	void oneMegabyteKeysShouldBeRefusedClearlyAndNotFoundByReads() {
		String longText = "k".repeat(1024 * 1024);
		byte[] longBytes = new byte[1024 * 1024];
		new Random(7).nextBytes(longBytes);
		try (DictStore store = this.backend.open()) {
			PersistentDict<String, String> texts = seeded(store);
			PersistentDict<byte[], String> bytes = store
				.dict(DictSpec.of("bytes", byte[].class, String.class).withKeyCodec(BYTES));
			bytes.put(new byte[] { 0, 1, 0 }, "nul bytes are fine in byte keys");
			for (Throwable thrown : List.of(catchThrowable(() -> texts.put(longText, "v")),
					catchThrowable(() -> texts.set(longText, "v")),
					catchThrowable(() -> texts.putIfAbsent(longText, "v")),
					catchThrowable(() -> texts.merge(longText, "v", String::concat)))) {
				assertClear(thrown, "map:texts",
						"is too large for the PostgreSQL engine (1048576 bytes; at most " + MAX_KEY_BYTES,
						"shorter key");
				assertThat(thrown.getMessage()).as("the key is not in the message").hasSizeLessThan(1000);
			}
			assertClear(catchThrowable(() -> bytes.put(longBytes, "v")), "map:bytes",
					"is too large for the PostgreSQL engine (1048576 bytes; at most " + MAX_KEY_BYTES);
			assertThat(texts.get(longText)).isNull();
			assertThat(texts.containsKey(longText)).isFalse();
			assertThat(texts.remove(longText)).isNull();
			assertThat(bytes.get(longBytes)).isNull();
			assertThat(bytes.containsKey(longBytes)).isFalse();
			assertThat(bytes.get(new byte[] { 0, 1, 0 })).isEqualTo("nul bytes are fine in byte keys");
			assertThat(bytes).hasSize(1);
			// a bound is compared, never stored: it may be longer than a key
			assertThat(texts.prefix(longText)).isEmpty();
			assertThat(texts.range("a" + longText, null).map(Map.Entry::getKey)).containsExactly("b");
			assertThat(texts.range(null, "a" + longText).map(Map.Entry::getKey)).containsExactly("a");
			assertSeeded(texts);
		}
		assertSeededAfterReopening();
		tried
			.add("1 MB String and byte[] keys: put, set, putIfAbsent and merge refused (\"1048576 bytes; at most 2048\"), the key not"
					+ " in the message; get null, containsKey false; a prefix or range bound of 1 MB works; earlier data intact");
	}

	@Test
	void theLongestKeyShouldBeStoredAndOneByteMoreRefused() throws SQLException {
		Random random = new Random(11);
		byte[] longest = new byte[MAX_KEY_BYTES];
		random.nextBytes(longest);
		byte[] tooLong = Arrays.copyOf(longest, MAX_KEY_BYTES + 1);
		String longestText = "é".repeat(MAX_KEY_BYTES / 2);
		try (DictStore store = this.backend.open()) {
			PersistentDict<String, String> texts = seeded(store);
			PersistentDict<byte[], String> bytes = store
				.dict(DictSpec.of("bytes", byte[].class, String.class).withKeyCodec(BYTES));
			texts.put("k".repeat(MAX_KEY_BYTES), "ascii");
			texts.put(longestText, "two bytes a character");
			bytes.put(longest, "random bytes");
			assertClear(catchThrowable(() -> texts.put("k".repeat(MAX_KEY_BYTES + 1), "v")), "map:texts",
					"(2049 bytes; at most 2048");
			assertClear(catchThrowable(() -> texts.put(longestText + "x", "v")), "map:texts",
					"(2049 bytes; at most 2048");
			assertClear(catchThrowable(() -> bytes.put(tooLong, "v")), "map:bytes", "(2049 bytes; at most 2048");
		}
		try (DictStore store = this.backend.open()) {
			PersistentDict<String, String> texts = store.dict("texts", String.class, String.class);
			PersistentDict<byte[], String> bytes = store
				.dict(DictSpec.of("bytes", byte[].class, String.class).withKeyCodec(BYTES));
			assertThat(texts.get("k".repeat(MAX_KEY_BYTES))).isEqualTo("ascii");
			assertThat(texts.get(longestText)).isEqualTo("two bytes a character");
			assertThat(bytes.get(longest)).isEqualTo("random bytes");
			assertThat(bytes.keySet()).singleElement().satisfies((key) -> assertThat(key).isEqualTo(longest));
			assertThat(texts).hasSize(4);
		}
		// why there is a limit: past about 2.7 kB the server's b-tree refuses the row
		byte[] past = new byte[2800];
		random.nextBytes(past);
		try (Connection connection = this.backend.pool().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE \"" + this.schema + "\".probe (k bytea PRIMARY KEY)");
			statement.execute("INSERT INTO \"" + this.schema + "\".probe VALUES ('\\x"
					+ java.util.HexFormat.of().formatHex(longest) + "')");
			assertThatThrownBy(() -> statement.execute("INSERT INTO \"" + this.schema + "\".probe VALUES ('\\x"
					+ java.util.HexFormat.of().formatHex(past) + "')"))
				.isInstanceOf(SQLException.class)
				.hasMessageContaining("index row size");
		}
		tried.add("longest key: 2,048 bytes stored (ASCII text, 2-byte characters, random bytes) and read back"
				+ " after reopening; 2,049 refused on each; the server's own b-tree refuses a 2,800-byte key");
	}

	@Test
	void aFiftyMegabyteValueShouldRoundTrip() {
		byte[] big = new byte[50 * 1024 * 1024];
		new Random(3).nextBytes(big);
		try (DictStore store = this.backend.open()) {
			PersistentDict<String, String> texts = seeded(store);
			PersistentDict<String, byte[]> blobs = store
				.dict(DictSpec.of("blobs", String.class, byte[].class).withCodec(Codec.bytes()));
			blobs.put("big", big);
			assertThat(Arrays.equals(blobs.get("big"), big)).isTrue();
			assertSeeded(texts);
		}
		try (DictStore store = this.backend.open()) {
			PersistentDict<String, byte[]> blobs = store
				.dict(DictSpec.of("blobs", String.class, byte[].class).withCodec(Codec.bytes()));
			assertThat(Arrays.equals(blobs.get("big"), big)).isTrue();
			assertSeeded(store.dict("texts", String.class, String.class));
		}
		tried.add("50 MB random value: stored and read back equal, also after reopening; earlier data intact");
	}

	@Test
	void aSchemaFromANewerVersionShouldBeRefusedAndLeftAsItIs() throws SQLException {
		try (DictStore store = this.backend.open()) {
			seeded(store);
		}
		long version = schemaVersion();
		execute("UPDATE \"" + this.schema + "\".pd_meta SET value = " + (version + 1)
				+ " WHERE key = 'schema_version'");
		for (OpenMode mode : List.of(OpenMode.CREATE, OpenMode.READ_ONLY)) {
			Throwable thrown = catchThrowable(() -> this.backend.open(StoreOptions.builder().openMode(mode).build()));
			assertThat(thrown).as(mode.toString()).isInstanceOf(StoreOpenException.class);
			assertThat(((StoreOpenException) thrown).reason()).isEqualTo(StoreOpenException.Reason.NEWER_SCHEMA);
			assertStore(thrown, "newer version of persistentdict", "schema version " + (version + 1),
					"upgrade persistentdict");
		}
		assertThat(schemaVersion()).as("the refused opens changed nothing").isEqualTo(version + 1);
		execute("UPDATE \"" + this.schema + "\".pd_meta SET value = " + version + " WHERE key = 'schema_version'");
		assertSeededAfterReopening();
		tried.add("schema from a newer version (pd_meta schema_version + 1): refused with CREATE and READ_ONLY, with"
				+ " NEWER_SCHEMA, naming the store and saying to upgrade; the schema left as it was, data intact");
	}

	@Test
	void aRoleThatMayOnlyReadShouldGetReadOnlyErrorsNamingTheDict() throws SQLException {
		try (DictStore store = this.backend.open()) {
			seeded(store);
		}
		String role = "pd_reliability_reader";
		String password = "reader-" + SECRET;
		execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE "
				+ role + " LOGIN; END IF; END $$");
		execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
		execute("GRANT USAGE ON SCHEMA \"" + this.schema + "\" TO " + role);
		execute("GRANT SELECT ON ALL TABLES IN SCHEMA \"" + this.schema + "\" TO " + role);
		String url;
		try (Connection connection = this.backend.pool().getConnection()) {
			url = connection.getMetaData().getURL().replaceAll("\\?.*$", "");
		}
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(role);
		config.setPassword(password);
		config.setMaximumPoolSize(2);
		config.setPoolName("reliability-reader");
		StoreOptions options = StoreOptions.builder().schema(this.schema).build();
		try (HikariDataSource reader = new HikariDataSource(config)) {
			try (DictStore store = DictStore.connect(reader, options)) {
				PersistentDict<String, String> texts = store.dict("texts", String.class, String.class);
				assertSeeded(texts);
				for (Throwable thrown : List.of(catchThrowable(() -> texts.put("a", "changed")),
						catchThrowable(() -> texts.set("c", "new")), catchThrowable(() -> texts.remove("b")),
						catchThrowable(texts::clear))) {
					assertThat(thrown).isInstanceOf(ReadOnlyStoreException.class);
					assertClear(thrown, "map:texts", "OpenMode.READ_ONLY");
					assertThat(thrown.getMessage()).doesNotContain(password);
				}
				Throwable fresh = catchThrowable(() -> store.dict("fresh", String.class, String.class));
				assertThat(fresh).as("a new dict needs CREATE on the schema")
					.isInstanceOf(ReadOnlyStoreException.class);
				assertClear(fresh, "map:fresh", "CREATE");
				assertThat(fresh.getMessage()).doesNotContain(password);
				assertSeeded(texts);
			}
			try (DictStore store = DictStore.connect(reader,
					options.toBuilder().openMode(OpenMode.READ_ONLY).build())) {
				PersistentDict<String, String> texts = store.dict("texts", String.class, String.class);
				assertSeeded(texts);
				assertThat(catchThrowable(() -> texts.put("a", "changed"))).isInstanceOf(ReadOnlyStoreException.class)
					.hasMessageContaining("OpenMode.CREATE");
			}
		}
		finally {
			execute("REVOKE ALL ON ALL TABLES IN SCHEMA \"" + this.schema + "\" FROM " + role);
			execute("REVOKE ALL ON SCHEMA \"" + this.schema + "\" FROM " + role);
		}
		assertSeededAfterReopening();
		tried.add("read-only role (USAGE and SELECT only): reads served; put, set, remove and clear refused with"
				+ " ReadOnlyStoreException naming the dict and store; a new dict refused likewise (no CREATE); with"
				+ " OpenMode.READ_ONLY reads served; no password in any message; data intact");
	}

	@Test
	void dictNamesThatDictSpecRefusesShouldFailBeforeTheDatabase() throws SQLException {
		List<String> names = List.of("", " ", "has space", "_leading", "-leading", "quote'", "semi;colon",
				"x".repeat(101), "é", "a\0b");
		try (DictStore store = this.backend.open()) {
			PersistentDict<String, String> texts = seeded(store);
			long tables = tableCount();
			for (String name : names) {
				Throwable thrown = catchThrowable(() -> store.dict(name, String.class, String.class));
				assertThat(thrown).as("'%s'", name).isInstanceOf(IllegalArgumentException.class);
				assertThat(thrown.getMessage()).as("'%s'", name)
					.startsWith("Invalid dict name '")
					.contains("use 1 to 100 letters, digits and '_.:-', starting with a letter or digit")
					.hasSizeLessThan(300);
			}
			assertThat(store.dictNames()).containsExactly("texts");
			assertThat(tableCount()).as("no table was made").isEqualTo(tables);
			assertSeeded(texts);
		}
		tried.add(names.size() + " dict names DictSpec refuses (empty, blank, spaces, leading '_' or '-', quotes,"
				+ " ';', 101 characters, non-ASCII, NUL): refused before the database, saying what a name may hold;"
				+ " no table made, data intact");
	}

	private static PersistentDict<String, String> seeded(DictStore store) {
		PersistentDict<String, String> texts = store.dict("texts", String.class, String.class);
		texts.put("a", "1");
		texts.put("b", "2");
		return texts;
	}

	private static void assertSeeded(PersistentDict<String, String> texts) {
		assertThat(texts.get("a")).isEqualTo("1");
		assertThat(texts.get("b")).isEqualTo("2");
		assertThat(texts.keySet()).containsExactly("a", "b");
	}

	private void assertSeededAfterReopening() {
		try (DictStore store = this.backend.open()) {
			assertSeeded(store.dict("texts", String.class, String.class));
		}
	}

	/**
	 * The error names the dict and the store, says what to do, and hides the password.
	 */
	private void assertClear(Throwable thrown, String dict, String... says) {
		assertThat(thrown).isNotNull();
		assertThat(thrown.getMessage()).contains("dict '" + dict + "'");
		assertStore(thrown, says);
	}

	private void assertStore(Throwable thrown, String... says) {
		assertThat(thrown).isNotNull();
		String message = thrown.getMessage();
		assertThat(message).contains("PostgreSQL jdbc:postgresql://")
			.contains("(schema '" + this.schema + "')")
			.doesNotContain(SECRET);
		for (String text : says) {
			assertThat(message).contains(text);
		}
	}

	private long schemaVersion() throws SQLException {
		return queryLong("SELECT value FROM \"" + this.schema + "\".pd_meta WHERE key = 'schema_version'");
	}

	private long tableCount() throws SQLException {
		return queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = '" + this.schema + "'");
	}

	private long queryLong(String sql) throws SQLException {
		try (Connection connection = this.backend.pool().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			assertThat(rs.next()).isTrue();
			return rs.getLong(1);
		}
	}

	private void execute(String sql) throws SQLException {
		try (Connection connection = this.backend.pool().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
