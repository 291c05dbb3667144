package io.persistentdict.reliability;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import javax.management.BadAttributeValueExpException;

import io.persistentdict.DictStore;
import io.persistentdict.OpenMode;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.StoreOptions;
import io.persistentdict.ValueDecodingException;
import io.persistentdict.reliability.Serialized.Note;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Bad input and broken files. Each must give a clear error that names the file or map and
 * says what to do; nothing else may be damaged, and nothing deleted unless the user chose
 * recovery.
 */
class BrokenFileTests {

	static final Queue<String> tried = new ConcurrentLinkedQueue<>();

	@TempDir
	Path dir;

	@AfterAll
	static void report() {
		List<String> lines = new ArrayList<>();
		lines.add("bad inputs and broken files tried: " + tried.size());
		tried.stream().sorted().forEach((line) -> lines.add("- " + line));
		Report.section("bad-input", lines);
	}

	private Path store(String name, int entries) {
		Path file = this.dir.resolve(name);
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			Map<String, String> values = new HashMap<>();
			for (int i = 0; i < entries; i++) {
				values.put("k" + i, ("value" + i).repeat(30));
			}
			dict.putAll(values);
		}
		return file;
	}

	private static StoreOpenException openFails(Path file, Reason reason) {
		return openFails(file, reason, true);
	}

	private static StoreOpenException openFails(Path file, Reason reason, boolean untouched) {
		String before = Damage.sha256(file);
		Throwable thrown = catchThrowable(() -> DictStore.open(file).close());
		assertThat(thrown).isInstanceOf(StoreOpenException.class);
		StoreOpenException ex = (StoreOpenException) thrown;
		assertThat(ex.reason()).isEqualTo(reason);
		assertThat(ex.path()).isEqualTo(file.toAbsolutePath());
		assertThat(ex.getMessage()).contains(file.toAbsolutePath().toString());
		if (untouched) {
			assertThat(Damage.sha256(file)).as("the refused file is left as it was").isEqualTo(before);
		}
		return ex;
	}

	@Test
	void fileThatIsNotSqliteShouldBeRefusedAndLeftAlone() throws Exception {
		Path file = this.dir.resolve("notes.txt");
		Files.writeString(file, "Dear diary, this is not a database.\n".repeat(100));
		StoreOpenException ex = openFails(file, Reason.NOT_SQLITE);
		assertThat(ex.getMessage()).contains("not a SQLite database").contains("OpenMode.RECOVER");
		tried.add("text file: NOT_SQLITE, untouched");
	}

	@Test
	void truncatedFileShouldBeRefusedAndLeftAlone() {
		Path tiny = store("tiny.db", 10);
		Damage.truncate(tiny, 10);
		openFails(tiny, Reason.NOT_SQLITE);
		Path header = store("header.db", 10);
		Damage.truncate(header, 300);
		assertThat(openFails(header, Reason.CORRUPT).getMessage()).contains("truncated");
		Path half = store("half.db", 5000);
		Damage.truncate(half, half.toFile().length() / 2);
		assertThat(openFails(half, Reason.CORRUPT).getMessage()).contains("backup").contains("RECOVER");
		tried.add("file truncated to 10 bytes: NOT_SQLITE; to 300 bytes: CORRUPT; to half: CORRUPT; all untouched");
	}

	@Test
	void sqliteFileOfAnotherApplicationShouldBeRefused() {
		Path file = this.dir.resolve("other.db");
		Damage.sql(file, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
				"INSERT INTO users VALUES (1, 'alice')");
		StoreOpenException ex = openFails(file, Reason.FOREIGN, false);
		assertThat(ex.getMessage()).contains("another application").contains("users");
		Path tagged = this.dir.resolve("tagged.db");
		Damage.sql(tagged, "PRAGMA application_id = 42", "CREATE TABLE t (x)");
		openFails(tagged, Reason.FOREIGN, false);
		tried.add("SQLite file of another application (with and without application_id): FOREIGN");
	}

	@Test
	void sqliteFileOfAnotherApplicationShouldBeLeftByteForByte() {
		Path file = this.dir.resolve("other.db");
		Damage.sql(file, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
				"INSERT INTO users VALUES (1, 'alice')");
		openFails(file, Reason.FOREIGN, true);
	}

	@Test
	void newerSchemaShouldBeRefused() {
		Path file = store("newer.db", 10);
		Damage.sql(file, "PRAGMA user_version = 99");
		StoreOpenException ex = openFails(file, Reason.NEWER_SCHEMA);
		assertThat(ex.getMessage()).contains("99").contains("upgrade persistentdict");
		tried.add("schema version 99: NEWER_SCHEMA, untouched");
	}

	@Test
	void recoverShouldMoveADamagedFileAsideAndNeverDeleteIt() throws Exception {
		Path file = this.dir.resolve("damaged.db");
		Files.writeString(file, "garbage ".repeat(1000));
		String before = Damage.sha256(file);
		try (DictStore store = DictStore.open(file, StoreOptions.builder().openMode(OpenMode.RECOVER).build())) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThat(dict).isEmpty();
			dict.put("fresh", "start");
		}
		List<Path> aside;
		try (Stream<Path> files = Files.list(this.dir)) {
			aside = files.filter((p) -> p.getFileName().toString().startsWith("damaged.db.corrupt-")).toList();
		}
		assertThat(aside).hasSize(1);
		assertThat(Damage.sha256(aside.get(0))).as("the damaged file is kept, byte for byte").isEqualTo(before);
		tried.add("OpenMode.RECOVER on a damaged file: moved aside intact, new empty store");
	}

	@Test
	void corruptPageShouldFailTheReadThatMeetsItAndTheIntegrityCheck() {
		Path file = store("page.db", 5000);
		long pages = file.toFile().length() / 4096;
		byte[] junk = new byte[4096];
		new Random(42).nextBytes(junk);
		Damage.overwrite(file, (pages / 2) * 4096, junk);
		try (DictStore store = DictStore.open(file)) {
			Throwable integrity = catchThrowable(() -> assertThat(store.checkIntegrity()).isNotEqualTo("ok"));
			if (integrity != null) {
				assertThat(integrity).isInstanceOf(PersistentDictException.class)
					.hasMessageContaining(file.toString())
					.hasMessageContaining("damaged");
			}
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThatThrownBy(() -> new HashMap<>(dict)).isInstanceOf(PersistentDictException.class)
				.hasMessageContaining(file.toString())
				.hasMessageContaining("damaged file")
				.hasMessageContaining("restore from a backup");
		}
		tried.add("page overwritten in the middle of a closed file: open succeeds; checkIntegrity and the read"
				+ " that meets the page fail naming the file");
	}

	@Test
	void corruptPageShouldNotBreakLaterReadsOfHealthyData() {
		Path file = store("page2.db", 5000);
		long pages = file.toFile().length() / 4096;
		byte[] junk = new byte[4096];
		new Random(7).nextBytes(junk);
		Damage.overwrite(file, (pages / 2) * 4096, junk);
		try (DictStore store = DictStore.open(file, StoreOptions.builder().readPoolSize(1).build())) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			String healthy = null;
			for (int i = 0; i < 5000 && healthy == null; i++) {
				try {
					if (dict.get("k" + i) != null) {
						healthy = "k" + i;
					}
				}
				catch (PersistentDictException ex) {
					// this key is on the damaged page
				}
			}
			assertThat(healthy).isNotNull();
			Throwable first = catchThrowable(() -> new HashMap<>(dict));
			assertThat(first).isInstanceOf(PersistentDictException.class).hasMessageContaining("damaged file");
			// the same connection must still serve what is healthy, and fail the same
			// clear way
			assertThat(dict.get(healthy)).isNotNull();
			assertThat(catchThrowable(() -> new HashMap<>(dict))).hasMessageContaining("damaged file");
		}
		tried.add("reads after a read met a corrupt page: healthy keys still read");
	}

	@Test
	void corruptStoredValueShouldFailOnlyItsKey() {
		Path file = this.dir.resolve("values.db");
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, Integer> ints = store.dict("ints", String.class, Integer.class);
			ints.put("good", 1);
			ints.put("bad", 2);
			PersistentDict<String, String> texts = store.dict("texts", String.class, String.class);
			texts.put("good", "fine");
			texts.put("zipped", "x".repeat(5000));
		}
		// an int with 3 bytes, and a deflated value whose stream is garbage
		Damage.setStoredValue(file, "ints", "bad", 4, new byte[] { 1, 2, 3 });
		Damage.setStoredValue(file, "texts", "zipped", 0x80 | 2, "not deflate at all".getBytes(StandardCharsets.UTF_8));
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, Integer> ints = store.dict("ints", String.class, Integer.class);
			assertThatThrownBy(() -> ints.get("bad")).isInstanceOf(ValueDecodingException.class)
				.hasMessageContaining("'bad'")
				.hasMessageContaining("map:ints")
				.hasMessageContaining(file.toString())
				.hasMessageContaining("overwrite or remove this key");
			assertThat(ints.get("good")).isEqualTo(1);
			assertThat(ints.containsKey("bad")).isTrue();
			PersistentDict<String, String> texts = store.dict("texts", String.class, String.class);
			assertThatThrownBy(() -> texts.get("zipped")).isInstanceOf(ValueDecodingException.class)
				.hasMessageContaining("'zipped'")
				.hasMessageNotContaining("not deflate at all");
			assertThat(texts.get("good")).isEqualTo("fine");
			// the way out the message gives works
			assertThat(ints.put("bad", 3)).isNull();
			assertThat(ints.get("bad")).isEqualTo(3);
			assertThat(texts.remove("zipped")).isNull();
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
		tried.add("stored value with a wrong length, and a damaged deflate stream: ValueDecodingException naming"
				+ " key, map and file; other keys read; overwrite and remove work");
	}

	@Test
	void valueOfAClassThatNoLongerExistsShouldFailClearly() {
		Path file = this.dir.resolve("gone.db");
		try (DictStore store = DictStore.open(file,
				StoreOptions.builder().allowedTypes(List.of("io.persistentdict.reliability.*")).build())) {
			PersistentDict<String, Note> notes = store.dict("notes", String.class, Note.class);
			notes.put("old", new Note("written by an older version"));
			notes.put("kept", new Note("still fine"));
		}
		byte[] renamed = Serialized.ofRenamedClass(new Note("x"), "reliability.Serialized$Note",
				"reliability.Serialized$Gone");
		Damage.setStoredValue(file, "notes", "old", 7, renamed);
		try (DictStore store = DictStore.open(file,
				StoreOptions.builder().allowedTypes(List.of("io.persistentdict.reliability.*")).build())) {
			PersistentDict<String, Note> notes = store.dict("notes", String.class, Note.class);
			assertThatThrownBy(() -> notes.get("old")).isInstanceOf(ValueDecodingException.class)
				.hasMessageContaining("'old'")
				.hasMessageContaining("Serialized$Gone")
				.hasMessageContaining("is not visible to the class loaders tried");
			assertThat(notes.get("kept")).isEqualTo(new Note("still fine"));
		}
		tried.add("serialized value naming a class that no longer exists: ValueDecodingException naming key and"
				+ " class");
	}

	@Test
	void gadgetClassesShouldBeRefusedOnRead() throws Exception {
		Path file = this.dir.resolve("gadget.db");
		try (DictStore store = DictStore.open(file)) {
			store.dict("objects", String.class, Object.class).put("plain", "text");
			store.dict("objects", String.class, Object.class).put("gadget", "replaced below");
			store.dict("objects", String.class, Object.class).put("url", "replaced below");
			store.dict("objects", String.class, Object.class).put("mine", "replaced below");
		}
		HashMap<URL, String> urlGadget = new HashMap<>();
		urlGadget.put(new URL("http://example.invalid/"), "dns lookup on hashCode");
		Damage.setStoredValue(file, "objects", "url", 7, Serialized.of(urlGadget));
		Damage.setStoredValue(file, "objects", "gadget", 7,
				Serialized.of(new BadAttributeValueExpException("toString gadget")));
		Damage.setStoredValue(file, "objects", "mine", 7, Serialized.of(new Note("not allowed by default")));
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, Object> objects = store.dict("objects", String.class, Object.class);
			for (String key : List.of("url", "gadget", "mine")) {
				assertThatThrownBy(() -> objects.get(key)).as(key)
					.isInstanceOf(ValueDecodingException.class)
					.hasMessageContaining("'" + key + "'")
					.hasMessageContaining("refused");
			}
			assertThat(objects.get("plain")).isEqualTo("text");
		}
		tried.add("java.net.URL inside a HashMap, javax.management.BadAttributeValueExpException, a class of the"
				+ " application not allowed: refused by the allow-list");
	}

}
