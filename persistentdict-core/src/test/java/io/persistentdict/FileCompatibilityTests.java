package io.persistentdict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Files written by earlier versions open and read as they were written. The files in the
 * test resources were written by the version before the engine interface (schema 1): a
 * {@code ROWID} dict with a compressed value and a TTL, a {@code COMPACT} dict, and a
 * cache with {@code UUID} keys; and by the code just before the {@code SPLIT} layout
 * (also schema 1).
 */
class FileCompatibilityTests {

	@TempDir
	Path dir;

	@Test
	void aFileOfSchemaOneShouldOpenAndReadAsItWasWritten() throws IOException {
		Path file = copy("written-by-0.1-schema-1.db");
		StoreOptions options = StoreOptions.builder()
			.clock(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")))
			.build();
		try (DictStore store = DictStore.open(file, options)) {
			assertThat(store.dictNames()).containsExactlyInAnyOrder("users", "counters");
			assertThat(store.dictNames("cache")).containsExactly("blobs");
			PersistentDict<String, String> users = store
				.dict(DictSpec.of("users", String.class, String.class).withCompressionThreshold(64));
			assertThat(users)
				.containsExactlyInAnyOrderEntriesOf(Map.of("u1", "alice", "u2", "bob".repeat(100), "t1", "expires"));
			assertThat(users.expiresAt("t1")).contains(Instant.parse("2125-12-08T00:00:00Z"));
			PersistentDict<Long, Long> counters = store.dict("counters", Long.class, Long.class);
			assertThat(counters.keySet()).containsExactly(1L, 2L);
			assertThat(counters.merge(1L, 5L, Long::sum)).isEqualTo(15L);
			PersistentDict<UUID, byte[]> blobs = store
				.dict(DictSpec.of("blobs", UUID.class, byte[].class).withNamespace("cache"));
			assertThat(blobs.get(UUID.fromString("00000000-0000-0000-0000-000000000001"))).containsExactly(1, 2, 3);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
	}

	/**
	 * The file was written by the code of schema 1 just before the {@code SPLIT} layout:
	 * {@code kv} ({@code byte[]} values of 3 bytes and 4 KiB) and {@code names} (a TTL of
	 * 100 years, values of 5 and 1200 bytes) are {@code ROWID}, {@code counts} is
	 * {@code COMPACT}. Opening it moves it to schema 2, and its dicts keep their layout.
	 */
	@Test
	void aFileOfSchemaOneShouldMoveToSchemaTwoAndKeepItsLayouts() throws Exception {
		Path file = copy("written-by-main-schema-1.db");
		byte[] large = new byte[4096];
		for (int i = 0; i < large.length; i++) {
			large[i] = (byte) i;
		}
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, byte[]> kv = store.dict("kv", String.class, byte[].class);
			assertThat(kv.get("small")).containsExactly(1, 2, 3);
			assertThat(kv.get("large")).isEqualTo(large);
			PersistentDict<String, String> names = store.dict("names", String.class, String.class);
			assertThat(names).containsExactlyInAnyOrderEntriesOf(Map.of("a", "alpha", "b", "beta".repeat(300)));
			assertThat(store.dict("counts", String.class, Long.class).merge("x", 1L, Long::sum)).isEqualTo(8L);
			// writes go on in the old layout
			kv.put("small", large);
			kv.put("large", new byte[] { 4 });
			assertThat(kv.get("small")).isEqualTo(large);
			// a new dict gets the new default
			store.dict("fresh", String.class, byte[].class).put("f", large);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
		assertThat(single(file, "PRAGMA user_version")).isEqualTo("2");
		assertThat(single(file,
				"SELECT group_concat(name || '=' || layout, ',') FROM"
						+ " (SELECT name, layout FROM pd_catalog ORDER BY name)"))
			.isEqualTo("counts=COMPACT,fresh=SPLIT,kv=ROWID,names=ROWID");
		// the old tables are as they were: a rowid table with its key index
		assertThat(single(file, "SELECT sql FROM sqlite_schema WHERE name = 'map:kv'"))
			.contains("id INTEGER PRIMARY KEY");
		try (DictStore store = DictStore.open(file)) {
			assertThat(store.dict("fresh", String.class, byte[].class).get("f")).isEqualTo(large);
			assertThat(store.dict("kv", String.class, byte[].class).get("large")).containsExactly(4);
		}
	}

	@Test
	void aFileOfSchemaOneOpenedReadOnlyShouldStayAtSchemaOne() throws Exception {
		Path file = copy("written-by-main-schema-1.db");
		try (DictStore store = DictStore.open(file, StoreOptions.builder().openMode(OpenMode.READ_ONLY).build())) {
			assertThat(store.dict("kv", String.class, byte[].class).get("small")).containsExactly(1, 2, 3);
		}
		assertThat(single(file, "PRAGMA user_version")).isEqualTo("1");
	}

	/**
	 * What a version of schema 1 does with a file of schema 2: its {@code VERSION} was 1,
	 * and any higher number is refused before a dict is read. The same rule, one version
	 * on.
	 */
	@Test
	void aFileOfALaterSchemaShouldBeRefusedNamingBothVersions() throws Exception {
		Path file = this.dir.resolve("later.db");
		try (DictStore store = DictStore.open(file)) {
			store.dict("kv", String.class, byte[].class).put("k", new byte[300]);
		}
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA user_version = 3");
		}
		assertThatExceptionOfType(StoreOpenException.class).isThrownBy(() -> DictStore.open(file))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(StoreOpenException.Reason.NEWER_SCHEMA))
			.withMessageContaining("schema version 3, newer than this version of persistentdict understands (2)");
	}

	private static String single(Path file, String sql) throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			assertThat(rs.next()).isTrue();
			return rs.getString(1);
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
