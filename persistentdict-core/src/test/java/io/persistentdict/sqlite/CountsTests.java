package io.persistentdict.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStats;
import io.persistentdict.DictStore;
import io.persistentdict.Layout;
import io.persistentdict.OpenMode;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each dict's exact counts (entries and bytes), kept by the engine in the write
 * transaction: checked after every kind of write against an independent {@code COUNT(*)}
 * over a plain JDBC connection, across two stores and raw writers on one file, and on a
 * file written before the counts existed (schema 1), which is migrated.
 */
class CountsTests {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path dir;

	private final AtomicLong millis = new AtomicLong(START.toEpochMilli());

	private final InstantSource clock = new InstantSource() {

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(CountsTests.this.millis.get());
		}

		@Override
		public long millis() {
			return CountsTests.this.millis.get();
		}

	};

	private StoreOptions options() {
		return StoreOptions.builder().clock(this.clock).build();
	}

	private void advance(Duration duration) {
		this.millis.addAndGet(duration.toMillis());
	}

	/**
	 * Rows, bytes and live rows of a dict's table, counted by a scan; for a {@code SPLIT}
	 * table, a value in the side table is read from there.
	 */
	private long[] scan(Path file, String qualified) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement()) {
			boolean split;
			try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
					+ " AND name = '" + (qualified + "#v").replace("'", "''") + "'")) {
				split = rs.next() && rs.getInt(1) == 1;
			}
			String value = split
					? "coalesce(v, (SELECT b FROM " + SqliteTable.quote(qualified + "#v") + " WHERE id = p))" : "v";
			try (ResultSet rs = statement.executeQuery("SELECT COUNT(*), coalesce(sum(CASE typeof(k) WHEN 'integer'"
					+ " THEN 8 ELSE octet_length(k) END + length(" + value + ")), 0), coalesce(sum(x IS NULL OR x > "
					+ this.millis.get() + "), 0) FROM " + SqliteTable.quote(qualified))) {
				rs.next();
				return new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3) };
			}
		}
	}

	private static long sideRows(Path file, String qualified) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + SqliteTable.quote(qualified + "#v"))) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/** Side rows without a main row pointing to them, in a {@code SPLIT} table. */
	private static long orphans(Path file, String qualified) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + SqliteTable.quote(qualified + "#v")
						+ " WHERE id NOT IN (SELECT p FROM " + SqliteTable.quote(qualified)
						+ " WHERE p IS NOT NULL)")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private void assertCounted(Path file, PersistentDict<?, ?> dict, String qualified) throws SQLException {
		long[] scanned = scan(file, qualified);
		DictStats stats = dict.stats();
		assertThat(dict.mappingCount()).as("live entries of %s", qualified).isEqualTo(scanned[2]);
		assertThat(stats.entries()).as("stats entries of %s", qualified).isEqualTo(scanned[2]);
		assertThat(stats.bytes()).as("bytes of %s", qualified).isEqualTo(scanned[1]);
	}

	@Test
	void countsShouldStayExactThroughEveryKindOfWrite() throws SQLException {
		Path file = this.dir.resolve("counts.db");
		try (DictStore store = DictStore.open(file, options())) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("words", String.class, String.class).withLayout(Layout.ROWID));
			PersistentDict<Long, Long> numbers = store
				.dict(DictSpec.of("numbers", Long.class, Long.class).withLayout(Layout.COMPACT));
			assertCounted(file, dict, "map:words");
			dict.put("a", "alpha");
			dict.set("b", "beta");
			dict.set("ü", "unicode key, two bytes");
			dict.put("a", "a much longer alpha than before");
			dict.putIfAbsent("a", "ignored");
			dict.putIfAbsent("c", "gamma");
			assertCounted(file, dict, "map:words");
			Map<String, String> many = new LinkedHashMap<>();
			for (int i = 0; i < 500; i++) {
				many.put("k" + i, "v".repeat(i % 50 + 1));
			}
			dict.putAll(many);
			dict.putAll(Map.of("k1", "replaced", "k2", "replaced too"));
			assertCounted(file, dict, "map:words");
			dict.remove("k3");
			dict.remove("no such key");
			dict.remove("k4", "v".repeat(5));
			dict.replace("k5", "r");
			dict.compute("k6", (k, v) -> v + "!");
			dict.compute("k7", (k, v) -> null);
			dict.merge("k8", "+", String::concat);
			dict.removeAll(java.util.List.of("k9", "k10", "missing"));
			dict.batch((b) -> {
				b.put("batched", "x");
				b.remove("k11");
			});
			assertCounted(file, dict, "map:words");
			dict.put("ttl", "short", Duration.ofMinutes(1));
			dict.put("ttl2", "short", Duration.ofMinutes(1));
			assertCounted(file, dict, "map:words");
			advance(Duration.ofMinutes(2));
			// expired, not yet swept: the count leaves them out, the bytes still hold
			// them
			assertCounted(file, dict, "map:words");
			assertThat(dict.sweep()).isEqualTo(2);
			assertCounted(file, dict, "map:words");
			for (long i = 0; i < 100; i++) {
				numbers.put(i, i * i);
			}
			numbers.remove(5L);
			assertCounted(file, numbers, "map:numbers");
			dict.clear();
			assertCounted(file, dict, "map:words");
			assertThat(dict.stats().bytes()).isZero();
			assertThat(dict.size()).isZero();
		}
	}

	@Test
	void splitCountsShouldIncludeTheSideTableAsValuesCrossTheInlineLimit() throws SQLException {
		Path file = this.dir.resolve("split.db");
		String small = "s".repeat(150);
		String large = "L".repeat(250);
		String larger = "M".repeat(4000);
		try (DictStore store = DictStore.open(file, options())) {
			PersistentDict<String, String> dict = store.dict(DictSpec.of("split", String.class, String.class)
				.withLayout(Layout.SPLIT)
				.withCompressionThreshold(-1));
			String q = "map:split";
			dict.put("a", small);
			dict.put("b", large);
			assertCounted(file, dict, q);
			assertThat(sideRows(file, q)).as("the large value is in the side table").isEqualTo(1);
			// inline -> side, side -> inline, side -> side (same and other length)
			dict.put("a", larger);
			dict.put("b", small);
			assertCounted(file, dict, q);
			dict.put("a", "N".repeat(4000));
			dict.put("a", large);
			assertCounted(file, dict, q);
			assertThat(sideRows(file, q)).isEqualTo(1);
			// a large value with a TTL: a new side row, not the rewrite in place
			dict.put("a", larger, Duration.ofMinutes(1));
			dict.put("t", larger, Duration.ofMinutes(1));
			assertCounted(file, dict, q);
			Map<String, String> many = new LinkedHashMap<>();
			for (int i = 0; i < 300; i++) {
				many.put("k" + i, "v".repeat(150 + i % 100));
			}
			dict.putAll(many);
			dict.putAll(Map.of("k1", large, "k2", "x", "k199", small));
			assertCounted(file, dict, q);
			dict.remove("k3");
			dict.remove("k199");
			dict.replace("k5", "r");
			dict.compute("k6", (k, v) -> v + "!".repeat(100));
			dict.merge("k8", "+".repeat(300), String::concat);
			assertCounted(file, dict, q);
			advance(Duration.ofMinutes(2));
			assertCounted(file, dict, q);
			assertThat(dict.sweep()).isEqualTo(2);
			assertCounted(file, dict, q);
			try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
					Statement statement = raw.createStatement()) {
				statement.execute("PRAGMA busy_timeout = 5000");
				statement.executeUpdate("DELETE FROM \"map:split\" WHERE k LIKE 'k2%'");
			}
			assertCounted(file, dict, q);
			assertThat(orphans(file, q)).isZero();
			dict.clear();
			assertCounted(file, dict, q);
			assertThat(dict.stats().bytes()).isZero();
			assertThat(orphans(file, q)).isZero();
		}
		// the counts row and the triggers are in the file: another open reads them
		try (DictStore store = DictStore.open(file, options())) {
			PersistentDict<String, String> dict = store.dict(DictSpec.of("split", String.class, String.class)
				.withLayout(Layout.SPLIT)
				.withCompressionThreshold(-1));
			dict.put("z", larger);
			assertCounted(file, dict, "map:split");
			assertThat(dict.stats().bytes()).isGreaterThan(4000);
		}
	}

	@Test
	void countsShouldIncludeWritesOfAnotherStoreAndOfRawConnections() throws SQLException {
		Path file = this.dir.resolve("shared.db");
		try (DictStore first = DictStore.open(file, options()); DictStore second = DictStore.open(file, options())) {
			PersistentDict<String, String> one = first.dict("shared", String.class, String.class);
			PersistentDict<String, String> two = second.dict("shared", String.class, String.class);
			for (int i = 0; i < 50; i++) {
				one.put("one" + i, "x".repeat(i));
				two.put("two" + i, "y");
			}
			two.remove("one0");
			assertThat(one.size()).isEqualTo(99);
			assertThat(two.size()).isEqualTo(99);
			try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
					Statement statement = raw.createStatement()) {
				statement.execute("PRAGMA busy_timeout = 5000");
				statement.executeUpdate("DELETE FROM \"map:shared\" WHERE k LIKE 'two1%'");
				statement.executeUpdate("INSERT INTO \"map:shared\" (k, v) VALUES ('raw', x'00010203')");
				statement.executeUpdate("UPDATE \"map:shared\" SET v = x'00' WHERE k = 'one10'");
			}
			assertCounted(file, one, "map:shared");
			assertCounted(file, two, "map:shared");
			assertThat(first.stats().dicts().get("map:shared").entries()).isEqualTo(scan(file, "map:shared")[2]);
			assertThat(first.stats().dicts().get("map:shared").bytes()).isEqualTo(scan(file, "map:shared")[1]);
		}
	}

	/** The names of a dict table's count triggers, from the file. */
	private static java.util.List<String> triggers(Path file, String qualified) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name"
						+ " LIKE '" + qualified + "#%' ORDER BY name")) {
			java.util.List<String> names = new java.util.ArrayList<>();
			while (rs.next()) {
				names.add(rs.getString(1).substring(qualified.length()));
			}
			return names;
		}
	}

	private static void rawWrites(Path file, String qualified) throws SQLException {
		try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = raw.createStatement()) {
			statement.execute("PRAGMA busy_timeout = 5000");
			String table = SqliteTable.quote(qualified);
			statement.executeUpdate("INSERT INTO " + table + " (k, v) VALUES ('raw', x'0001020304')");
			statement.executeUpdate("UPDATE " + table + " SET v = x'00' WHERE k = 'k00000007'");
			statement.executeUpdate("DELETE FROM " + table + " WHERE k = 'k00000008'");
		}
	}

	@Test
	void aLargeBulkWriteIntoAnEmptyDictShouldBeCountedOnceAndEveryWriteAfterRowByRow() throws SQLException {
		Path file = this.dir.resolve("bulk.db");
		int rows = SqliteTable.PAUSE_ROWS + 100;
		for (Layout layout : new Layout[] { Layout.ROWID, Layout.COMPACT, Layout.SPLIT }) {
			String name = "bulk-" + layout.name().toLowerCase(java.util.Locale.ROOT);
			String qualified = "map:" + name;
			java.util.List<String> before;
			try (DictStore store = DictStore.open(file, options())) {
				PersistentDict<String, byte[]> dict = store
					.dict(DictSpec.of(name, String.class, byte[].class).withLayout(layout));
				before = triggers(file, qualified);
				Map<String, byte[]> many = new LinkedHashMap<>();
				for (int i = 0; i < rows; i++) {
					// some values past SPLIT's inline limit, in its side table
					many.put(String.format("k%08d", i), new byte[(i % 10 == 0) ? 300 + i % 7 : 1 + i % 90]);
				}
				dict.putAll(many);
				assertThat(triggers(file, qualified)).as("triggers of %s after the bulk write", layout)
					.isEqualTo(before)
					.contains("#ins", "#upd", "#del");
				assertCounted(file, dict, qualified);
				assertThat(dict.size()).isEqualTo(rows);
				// a second bulk write into a table that is not empty: counted row by row
				Map<String, byte[]> again = new LinkedHashMap<>();
				for (int i = rows - 50; i < rows + SqliteTable.PAUSE_ROWS; i++) {
					again.put(String.format("k%08d", i), new byte[(i % 10 == 1) ? 400 : 3]);
				}
				dict.putAll(again);
				assertCounted(file, dict, qualified);
				rawWrites(file, qualified);
				assertCounted(file, dict, qualified);
			}
		}
	}

	@Test
	void aBulkWriteThatFailsShouldLeaveTheTriggersAndTheCountsAsTheyWere() throws SQLException {
		Path file = this.dir.resolve("failed.db");
		try (DictStore store = DictStore.open(file, options())) {
			PersistentDict<String, byte[]> dict = store
				.dict(DictSpec.of("failing", String.class, byte[].class).withMaximumBytes(100_000));
			java.util.List<String> before = triggers(file, "map:failing");
			Map<String, byte[]> many = new LinkedHashMap<>();
			for (int i = 0; i < SqliteTable.PAUSE_ROWS * 2; i++) {
				many.put(String.format("k%08d", i), new byte[4]);
			}
			// past the bound, and incompressible: refused when its turn comes
			byte[] tooLarge = new byte[200_000];
			new java.util.Random(7).nextBytes(tooLarge);
			many.put(String.format("k%08d", SqliteTable.PAUSE_ROWS + 7), tooLarge);
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> dict.putAll(many))
				.withMessageContaining("failing");
			assertThat(triggers(file, "map:failing")).isEqualTo(before);
			assertThat(dict.size()).isZero();
			assertCounted(file, dict, "map:failing");
			rawWrites(file, "map:failing");
			assertCounted(file, dict, "map:failing");
			assertThat(dict.size()).isOne();
		}
	}

	@Test
	void aLargeImportWithAKeyTwiceShouldBeCountedByAScan() throws IOException, SQLException {
		Path file = this.dir.resolve("import.db");
		Path lines = this.dir.resolve("twice.jsonl");
		StringBuilder text = new StringBuilder();
		int rows = SqliteTable.PAUSE_ROWS * 2;
		for (int i = 0; i < rows; i++) {
			// every hundredth line repeats the key before it, with a longer value
			String key = String.format("k%08d", (i % 100 == 99) ? i - 1 : i);
			text.append("{\"key\":\"")
				.append(key)
				.append("\",\"value\":\"")
				.append("v".repeat(1 + i % 40))
				.append("\"}\n");
		}
		Files.writeString(lines, text);
		try (DictStore store = DictStore.open(file, options())) {
			PersistentDict<String, String> dict = store.dict("imported", String.class, String.class);
			java.util.List<String> before = triggers(file, "map:imported");
			assertThat(dict.importFrom(lines)).isEqualTo(rows);
			assertThat(dict.size()).isEqualTo(rows - rows / 100);
			assertThat(triggers(file, "map:imported")).isEqualTo(before);
			assertCounted(file, dict, "map:imported");
			dict.put("one more", "value");
			assertCounted(file, dict, "map:imported");
		}
	}

	@Test
	void droppedAndRecreatedDictShouldStartFromZero() throws SQLException {
		Path file = this.dir.resolve("drop.db");
		try (DictStore store = DictStore.open(file, options())) {
			PersistentDict<String, String> dict = store.dict("gone", String.class, String.class);
			dict.put("a", "b");
			assertThat(store.drop("map", "gone")).isTrue();
			PersistentDict<String, String> again = store.dict("gone", String.class, String.class);
			assertThat(again.size()).isZero();
			assertThat(again.stats().bytes()).isZero();
			again.put("c", "d");
			assertCounted(file, again, "map:gone");
		}
	}

	@Test
	void aSchemaOneFileShouldMigrateCountingEachDictOnce() throws IOException, SQLException {
		Path file = copy("written-before-counts-schema-1.db");
		// 7 minutes on: the counters' 5-minute entries have expired, the users' 10-minute
		// one has not
		advance(Duration.ofMinutes(7));
		// read-only, the file cannot be migrated: it is read as it is, counted by scans
		try (DictStore store = DictStore.open(file,
				StoreOptions.builder().clock(this.clock).openMode(OpenMode.READ_ONLY).build())) {
			PersistentDict<String, String> users = store.dict("users", String.class, String.class);
			assertThat(users.size()).isEqualTo(12);
			assertThat(users.stats().bytes()).isEqualTo(scan(file, "map:users")[1]);
		}
		assertThat(userVersion(file)).isEqualTo(1);
		try (DictStore store = DictStore.open(file, options())) {
			assertThat(userVersion(file)).isEqualTo(SqliteSchema.VERSION);
			assertThat(store.dictNames()).containsExactlyInAnyOrder("users", "counters", "empty");
			PersistentDict<String, String> users = store
				.dict(DictSpec.of("users", String.class, String.class).withLayout(Layout.ROWID));
			PersistentDict<Long, Long> counters = store
				.dict(DictSpec.of("counters", Long.class, Long.class).withLayout(Layout.COMPACT));
			PersistentDict<String, byte[]> blobs = store
				.dict(DictSpec.of("blobs", String.class, byte[].class).withNamespace("cache"));
			PersistentDict<String, String> empty = store.dict("empty", String.class, String.class);
			assertThat(users.size()).isEqualTo(12);
			assertThat(users.get("u3")).isEqualTo("name-3");
			assertThat(users.get("big")).isEqualTo("x".repeat(300));
			assertThat(users.get("t-short")).isEqualTo("expires soon");
			assertThat(users.containsKey("u9")).isFalse();
			assertThat(counters.size()).isEqualTo(5);
			assertThat(counters.get(3L)).isEqualTo(30L);
			assertThat(counters.get(100L)).isNull();
			assertThat(blobs.size()).isEqualTo(2);
			assertThat(blobs.get("a")).containsExactly(1, 2, 3);
			assertThat(empty.size()).isZero();
			assertCounted(file, users, "map:users");
			assertCounted(file, counters, "map:counters");
			assertCounted(file, blobs, "cache:blobs");
			assertCounted(file, empty, "map:empty");
			// the triggers keep counting after the migration
			advance(Duration.ofMinutes(5));
			assertThat(users.size()).isEqualTo(11);
			users.put("new", "row");
			counters.remove(1L);
			assertThat(store.sweep()).isEqualTo(3);
			assertCounted(file, users, "map:users");
			assertCounted(file, counters, "map:counters");
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
		// opened again: already migrated, and still exact
		try (DictStore store = DictStore.open(file, options())) {
			PersistentDict<String, String> users = store.dict("users", String.class, String.class);
			assertThat(users.size()).isEqualTo(12);
			assertCounted(file, users, "map:users");
		}
	}

	private static int userVersion(Path file) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
			return rs.getInt(1);
		}
	}

	private Path copy(String resource) throws IOException {
		Path file = this.dir.resolve(resource);
		try (InputStream in = getClass().getResourceAsStream("/files/" + resource)) {
			assertThat(in).as(resource).isNotNull();
			Files.copy(in, file);
		}
		return file;
	}

}
