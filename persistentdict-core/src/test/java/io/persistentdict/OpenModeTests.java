package io.persistentdict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import io.persistentdict.StoreOpenException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OpenModeTests {

	@TempDir
	Path dir;

	private Path storeWith(String name, String key, String value) {
		Path file = this.dir.resolve(name);
		try (DictStore store = DictStore.open(file)) {
			store.dict("d", String.class, String.class).put(key, value);
		}
		return file;
	}

	@Test
	void readOnlyShouldReadAndRefuseEveryWrite() {
		Path file = storeWith("ro.db", "k", "v");
		try (DictStore store = DictStore.open(file, StoreOptions.builder().openMode(OpenMode.READ_ONLY).build())) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThat(dict.get("k")).isEqualTo("v");
			assertThatExceptionOfType(ReadOnlyStoreException.class).isThrownBy(() -> dict.put("k", "x"))
				.withMessageContaining("ro.db")
				.withMessageContaining("OpenMode.CREATE");
			assertThatExceptionOfType(ReadOnlyStoreException.class).isThrownBy(() -> dict.remove("k"));
			assertThatExceptionOfType(ReadOnlyStoreException.class).isThrownBy(dict::clear);
			assertThatExceptionOfType(ReadOnlyStoreException.class)
				.isThrownBy(() -> dict.merge("k", "x", String::concat));
			assertThatExceptionOfType(ReadOnlyStoreException.class).isThrownBy(store::sweep);
			assertThatExceptionOfType(ReadOnlyStoreException.class)
				.isThrownBy(() -> store.dict("missing", String.class, String.class))
				.withMessageContaining("does not exist");
			assertThat(dict.get("k")).isEqualTo("v");
		}
	}

	@Test
	void clearOnOpenShouldEmptyOnlyThatDict() {
		Path file = this.dir.resolve("w.db");
		try (DictStore store = DictStore.open(file)) {
			store.dict("a", String.class, String.class).put("k", "v");
			store.dict("b", String.class, String.class).put("k", "v");
		}
		try (DictStore store = DictStore.open(file)) {
			assertThat(store.dict(DictSpec.of("a", String.class, String.class).withClearOnOpen(true))).isEmpty();
			assertThat(store.dict("b", String.class, String.class)).containsEntry("k", "v");
		}
	}

	@Test
	void recreateShouldStartEmpty() {
		Path file = storeWith("n.db", "k", "v");
		try (DictStore store = DictStore.open(file, StoreOptions.builder().openMode(OpenMode.RECREATE).build())) {
			assertThat(store.dictNames()).isEmpty();
		}
	}

	@Test
	void fileThatIsNotSqliteShouldFailNamingTheFileAndStayUntouched() throws Exception {
		Path file = this.dir.resolve("notes.db");
		Files.writeString(file, "these are my notes, not a database".repeat(100));
		byte[] before = Files.readAllBytes(file);
		assertThatExceptionOfType(StoreOpenException.class).isThrownBy(() -> DictStore.open(file))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.NOT_SQLITE))
			.withMessageContaining(file.toString())
			.withMessageContaining("OpenMode.RECOVER");
		assertThat(Files.readAllBytes(file)).isEqualTo(before);
	}

	@Test
	void truncatedFileShouldFailAsCorrupt() throws Exception {
		Path file = storeWith("truncated.db", "k", "v");
		byte[] bytes = Files.readAllBytes(file);
		Files.write(file, java.util.Arrays.copyOf(bytes, 100));
		assertThatExceptionOfType(StoreOpenException.class).isThrownBy(() -> DictStore.open(file))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.CORRUPT))
			.withMessageContaining("truncated");
	}

	@Test
	void recoverShouldMoveADamagedFileAsideAndStartEmpty() throws Exception {
		Path file = this.dir.resolve("damaged.db");
		Files.writeString(file, "garbage".repeat(200));
		try (DictStore store = DictStore.open(file, StoreOptions.builder().openMode(OpenMode.RECOVER).build())) {
			store.dict("d", String.class, String.class).put("k", "v");
		}
		try (var files = Files.list(this.dir)) {
			assertThat(files.map((p) -> p.getFileName().toString()))
				.anyMatch((name) -> name.startsWith("damaged.db.corrupt-"));
		}
	}

	@Test
	void foreignSqliteFileShouldBeRefusedAndLeftAlone() throws Exception {
		Path file = this.dir.resolve("other-app.db");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
			statement.execute("INSERT INTO invoices VALUES (1, 9.5)");
		}
		assertThatExceptionOfType(StoreOpenException.class).isThrownBy(() -> DictStore.open(file))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.FOREIGN))
			.withMessageContaining("another application")
			.withMessageContaining("invoices");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement();
				var rs = statement.executeQuery("SELECT total FROM invoices")) {
			assertThat(rs.next()).isTrue();
			assertThat(rs.getDouble(1)).isEqualTo(9.5);
		}
	}

	@Test
	void newerSchemaShouldBeRefused() throws Exception {
		Path file = storeWith("future.db", "k", "v");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA user_version = 99");
		}
		assertThatExceptionOfType(StoreOpenException.class).isThrownBy(() -> DictStore.open(file))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.NEWER_SCHEMA))
			.withMessageContaining("schema version 99")
			.withMessageContaining("upgrade persistentdict");
	}

	@Test
	void tildeShouldExpandToTheHomeDirectory() {
		String home = System.getProperty("user.home");
		try {
			System.setProperty("user.home", this.dir.toString());
			try (DictStore store = DictStore.open(Path.of("~/nested/home.db"))) {
				assertThat(store.path()).isEqualTo(this.dir.resolve("nested/home.db"));
			}
		}
		finally {
			System.setProperty("user.home", home);
		}
	}

	@Test
	void temporaryStoreShouldBeDeletedOnClose() {
		Path file;
		try (DictStore store = DictStore.temporary()) {
			file = store.path();
			store.dict("d", String.class, String.class).put("k", "v");
			assertThat(file).exists();
		}
		assertThat(file).doesNotExist();
	}

	@Test
	void inMemoryStoreShouldBeSharedByAllItsConnections() throws Exception {
		try (DictStore store = DictStore.inMemory(StoreOptions.builder().readPoolSize(4).build())) {
			PersistentDict<Integer, Integer> dict = store.dict("d", Integer.class, Integer.class);
			dict.put(1, 1);
			java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
			try {
				java.util.List<java.util.concurrent.Future<Integer>> reads = new java.util.ArrayList<>();
				for (int i = 0; i < 40; i++) {
					reads.add(pool.submit(() -> dict.get(1)));
				}
				for (var read : reads) {
					assertThat(read.get()).isEqualTo(1);
				}
			}
			finally {
				pool.shutdown();
			}
		}
	}

	@Test
	void pragmasShouldReachEveryConnection() {
		try (DictStore store = DictStore.open(this.dir.resolve("full.db"),
				StoreOptions.builder().pragma("max_page_count", "40").build())) {
			PersistentDict<String, byte[]> dict = store.dict("d", String.class, byte[].class);
			dict.put("small", new byte[100]);
			assertThatExceptionOfType(PersistentDictException.class)
				.isThrownBy(() -> dict.put("big", incompressible(400_000)))
				.withMessageContaining("full")
				.withMessageContaining("earlier data is intact");
			assertThat(dict.get("small")).hasSize(100);
			assertThat(dict.containsKey("big")).isFalse();
		}
	}

	@Test
	void connectionPropertiesShouldReachTheDriver() {
		try (DictStore store = DictStore.open(this.dir.resolve("props.db"),
				StoreOptions.builder().connectionProperty("max_page_count", "40").build())) {
			PersistentDict<String, byte[]> dict = store.dict("d", String.class, byte[].class);
			dict.put("small", new byte[100]);
			assertThatExceptionOfType(PersistentDictException.class)
				.isThrownBy(() -> dict.put("big", incompressible(400_000)))
				.withMessageContaining("full");
		}
	}

	private static byte[] incompressible(int size) {
		byte[] bytes = new byte[size];
		new java.util.Random(42).nextBytes(bytes);
		return bytes;
	}

	@Test
	void droppedDictShouldDisappearFromTheCatalog() {
		try (DictStore store = DictStore.open(this.dir.resolve("drop.db"))) {
			store.dict("keep", String.class, String.class).put("k", "v");
			store.dict("gone", String.class, String.class).put("k", "v");
			assertThat(store.drop("gone")).isTrue();
			assertThat(store.drop("gone")).isFalse();
			assertThat(store.dictNames()).containsExactly("keep");
			assertThat(store.dict("gone", Long.class, String.class)).isEmpty();
		}
	}

	@Test
	void invalidNamesShouldBeRejectedBeforeAnySql() {
		try (DictStore store = DictStore.inMemory()) {
			for (String name : new String[] { "x\"; DROP TABLE pd_catalog; --", "", "a b", "é", "x".repeat(101) }) {
				assertThatExceptionOfType(IllegalArgumentException.class)
					.isThrownBy(() -> store.dict(name, String.class, String.class))
					.withMessageContaining("Invalid dict name");
			}
			assertThat(store.dictNames()).isEmpty();
		}
	}

}
