package io.persistentdict.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import io.persistentdict.cli.Cli.Result;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tool on a PostgreSQL store made through {@code DictStore.connect}, run from the
 * built jar against a real server: a URL with the password in it, or one without whose
 * password comes from {@code PGPASSWORD} or a password file.
 */
class PostgresStoreIT {

	private static final TestPostgres server = TestPostgres.server();

	/**
	 * The password in the URLs, to look for in every output: the embedded server trusts
	 * its user and ignores it; a server given by URL has its own.
	 */
	private static final String URL_PASSWORD = server.isEmbedded() ? "url-Secret-93c1" : server.password();

	/** The database of the store that the tests read. */
	private static String database;

	/** Its URL, with a password parameter. */
	private static String url;

	@TempDir
	Path dir;

	@BeforeAll
	static void makeStore() {
		database = makeStore("cli_read");
		url = withPassword(server.jdbcUrl(database));
	}

	private static String withPassword(String jdbcUrl) {
		if (!server.isEmbedded()) {
			return jdbcUrl;
		}
		return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "password=" + URL_PASSWORD;
	}

	/**
	 * Make a database with a store of {@code map:users} (u1 alice, u2 bob, u3 carol),
	 * {@code cache:counters} (TTL 30m; 1 10) and {@code map:old} (one entry that expired
	 * a day ago, one live); return its name.
	 */
	private static String makeStore(String prefix) {
		String database = prefix + "_" + Long.toHexString(System.nanoTime());
		server.createDatabase(database);
		try (DictStore store = DictStore.connect(dataSource(database))) {
			store.dict("users", String.class, String.class).putAll(Map.of("u1", "alice", "u2", "bob", "u3", "carol"));
			store
				.dict(DictSpec.of("counters", Long.class, Long.class)
					.withNamespace("cache")
					.withTtl(Duration.ofMinutes(30)))
				.put(1L, 10L);
		}
		StoreOptions dayAgo = StoreOptions.builder()
			.clock(InstantSource.fixed(Instant.now().minus(Duration.ofDays(1))))
			.build();
		try (DictStore store = DictStore.connect(dataSource(database), dayAgo)) {
			PersistentDict<String, String> old = store.dict("old", String.class, String.class);
			old.put("gone", "x", Duration.ofMinutes(1));
			old.put("kept", "z");
		}
		return database;
	}

	private static DataSource dataSource(String database) {
		return server.dataSource(server.jdbcUrl(database));
	}

	private static Result run(Object... args) {
		return noPassword(Cli.run(Map.of("PGPASSFILE", "/nonexistent/pgpass"), args));
	}

	private static Result noPassword(Result result) {
		assertThat(result.out() + result.err()).as(result.toString())
			.doesNotContain(URL_PASSWORD)
			.doesNotContain(PasswordRole.get().password());
		return result;
	}

	@Test
	void readCommandsShouldShowTheStoreWithoutThePassword() {
		Result dicts = run("--json", url, "dicts");
		assertThat(dicts.exit()).as(dicts.toString()).isZero();
		assertThat(dicts.json().get("store").asString()).startsWith("PostgreSQL jdbc:postgresql://")
			.contains("/" + database + " ");
		JsonCheck.dict(dicts.json(), "map:users", (row) -> assertThat(row.get("entries").asLong()).isEqualTo(3));
		JsonCheck.dict(dicts.json(), "cache:counters",
				(row) -> assertThat(row.get("ttl").asString()).isEqualTo("PT30M"));
		assertThat(run(url, "get", "users", "u2").lines()).contains("value       bob");
		assertThat(run(url, "get", "cache:counters", "1").lines()).contains("value       10");
		assertThat(run(url, "get", "users", "nobody").exit()).isEqualTo(1);
		assertThat(run(url, "keys", "users", "--limit", "2").lines()).containsExactly("u1", "u2");
		JsonNode stats = run("--json", url, "stats").json();
		assertThat(stats.get("size").asLong()).isPositive();
		assertThat(stats.has("walSize")).as("the server's WAL is left out").isFalse();
		assertThat(stats.has("freeDisk")).as("the server's disk is left out").isFalse();
		JsonCheck.dict(stats, "map:old", (row) -> {
			assertThat(row.get("entries").asLong()).isEqualTo(1);
			assertThat(row.get("expired").asLong()).isEqualTo(1);
		});
		Result check = run(url, "check");
		assertThat(check.exit()).as(check.toString()).isZero();
	}

	@Test
	void writeCommandsShouldChangeWhatTheApplicationReads() throws IOException {
		String own = makeStore("cli_write");
		String writable = withPassword(server.jdbcUrl(own));
		assertThat(run("--write", writable, "put", "users", "u9", "zoe", "--ttl", "1h").exit()).isZero();
		Result removed = run("--write", writable, "remove", "users", "u1");
		assertThat(removed.exit()).as(removed.toString()).isZero();
		Path lines = this.dir.resolve("users.jsonl");
		assertThat(run(writable, "export", "users", lines).exit()).isZero();
		assertThat(Files.readAllLines(lines)).hasSize(3);
		try (DictStore store = DictStore.connect(dataSource(own))) {
			PersistentDict<String, String> users = store.dict("users", String.class, String.class);
			assertThat(users).containsOnlyKeys("u2", "u3", "u9");
			assertThat(users.expiresAt("u9")).hasValueSatisfying((at) -> assertThat(at)
				.isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61))));
			store.dict("copies", String.class, String.class).put("c0", "zero");
		}
		Result imported = run("--write", writable, "import", "copies", lines);
		assertThat(imported.exit()).as(imported.toString()).isZero();
		Result swept = run("--json", "--write", writable, "sweep");
		assertThat(swept.exit()).as(swept.toString()).isZero();
		assertThat(swept.json().get("deleted").asLong()).isEqualTo(1);
		try (DictStore store = DictStore.connect(dataSource(own))) {
			assertThat(store.dict("copies", String.class, String.class)).containsOnlyKeys("c0", "u2", "u3", "u9");
		}
	}

	@Test
	void readOnlyShouldRefuseWritesAndChangeNothing() {
		for (Result result : List.of(run(url, "put", "users", "u8", "x"), run(url, "remove", "users", "u1"),
				run(url, "sweep"))) {
			assertThat(result.exit()).as(result.toString()).isEqualTo(2);
			assertThat(result.err()).as(result.toString()).contains("--write").contains("read-only");
		}
		try (DictStore store = DictStore.connect(dataSource(database))) {
			assertThat(store.dict("users", String.class, String.class)).containsOnlyKeys("u1", "u2", "u3");
			assertThat(store.dict("old", String.class, String.class).size()).isEqualTo(1);
		}
	}

	@Test
	void backupShouldSayToUsePgDumpAndVacuumShouldLeaveItToAutovacuum() {
		Result backup = run(url, "backup", this.dir.resolve("copy.db"));
		assertThat(backup.exit()).as(backup.toString()).isEqualTo(2);
		assertThat(backup.err()).contains("pg_dump --schema=persistentdict");
		assertThat(this.dir.resolve("copy.db")).doesNotExist();
		Result vacuum = run("--write", url, "vacuum");
		assertThat(vacuum.exit()).as(vacuum.toString()).isZero();
		assertThat(vacuum.out()).contains("autovacuum");
	}

	@Test
	void aDatabaseWithoutTheSchemaShouldBeRefusedAndLeftWithout() throws SQLException {
		String empty = server.newDatabase();
		String withPassword = withPassword(empty);
		for (Result result : List.of(run(withPassword, "dicts"), run("--write", withPassword, "sweep"))) {
			assertThat(result.exit()).as(result.toString()).isEqualTo(2);
			assertThat(result.err()).as(result.toString())
				.contains("has no persistentdict schema")
				.contains("never creates");
		}
		try (Connection connection = server.dataSource(empty).getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT to_regnamespace('persistentdict') IS NULL")) {
			rs.next();
			assertThat(rs.getBoolean(1)).as("no schema created").isTrue();
		}
	}

	@Test
	void aWrongDatabaseShouldFailWithoutShowingThePassword() {
		String wrong = withPassword(server.jdbcUrl("no_such_database"));
		Result result = run(wrong, "dicts");
		assertThat(result.exit()).as(result.toString()).isEqualTo(2);
		assertThat(result.err()).as(result.toString()).contains("no_such_database");
		Result usage = run(wrong);
		assertThat(usage.exit()).as(usage.toString()).isEqualTo(2);
	}

	@Test
	void thePasswordShouldComeFromPgpasswordElseThePasswordFile() throws IOException {
		PasswordRole role = PasswordRole.get();
		String bare = role.url(database);
		Path none = this.dir.resolve("none");
		Result without = noPassword(Cli.run(Map.of("PGPASSFILE", none.toString()), bare, "dicts"));
		assertThat(without.exit()).as("the server checks the password: " + without).isEqualTo(2);
		Result viaVariable = noPassword(
				Cli.run(Map.of("PGPASSWORD", role.password(), "PGPASSFILE", none.toString()), bare, "dicts"));
		assertThat(viaVariable.exit()).as(viaVariable.toString()).isZero();
		assertThat(viaVariable.out()).contains("map:users");
		Result wrongVariable = noPassword(Cli
			.run(Map.of("PGPASSWORD", "wrong-" + role.password(), "PGPASSFILE", none.toString()), bare, "dicts"));
		assertThat(wrongVariable.exit()).as(wrongVariable.toString()).isEqualTo(2);
		Path file = this.dir.resolve("pgpass");
		Files.writeString(file, "otherhost:*:*:*:nope\n*:" + server.port() + ":*:" + role.user() + ":"
				+ role.password().replace("\\", "\\\\").replace(":", "\\:") + "\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		Result viaFile = noPassword(Cli.run(Map.of("PGPASSFILE", file.toString()), bare, "dicts"));
		assertThat(viaFile.exit()).as(viaFile.toString()).isZero();
		assertThat(viaFile.out()).contains("map:users");
	}

}
