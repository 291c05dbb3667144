package io.persistentdict.reliability;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.management.BadAttributeValueExpException;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.StoreOptions;
import io.persistentdict.ValueDecodingException;
import io.persistentdict.codec.Codec;
import io.persistentdict.reliability.Serialized.Note;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The security checklist: owner-only files, deserialization restricted by default, no SQL
 * built from keys, values or names, and no values in exception messages or logs.
 */
class SecurityTests {

	private static final String SECRET = "TOPSECRETVALUE";

	private static final Queue<String> checked = new ConcurrentLinkedQueue<>();

	@TempDir
	Path dir;

	@AfterAll
	static void report() {
		List<String> lines = new ArrayList<>();
		checked.stream().sorted().forEach((line) -> lines.add("- " + line));
		Report.section("security", lines);
	}

	private static String permissions(Path path) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
	}

	@Test
	void newFilesAndDirectoriesShouldBeOwnerOnly() throws Exception {
		Path file = this.dir.resolve("a/b/app.db");
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("k", "v");
			assertThat(permissions(file)).isEqualTo("rw-------");
			assertThat(permissions(Path.of(file + "-wal"))).isEqualTo("rw-------");
			assertThat(permissions(Path.of(file + "-shm"))).isEqualTo("rw-------");
			assertThat(permissions(this.dir.resolve("a"))).isEqualTo("rwx------");
			assertThat(permissions(this.dir.resolve("a/b"))).isEqualTo("rwx------");
			Path backup = this.dir.resolve("c/backup.db");
			store.backupTo(backup);
			assertThat(permissions(backup)).isEqualTo("rw-------");
			assertThat(permissions(this.dir.resolve("c"))).isEqualTo("rwx------");
			Path export = this.dir.resolve("export.jsonl");
			dict.exportTo(export);
			assertThat(permissions(export)).isEqualTo("rw-------");
		}
		try (DictStore temporary = DictStore.temporary()) {
			Path path = temporary.path();
			assertThat(path).isNotNull();
			temporary.dict("d", String.class, String.class).put("k", "v");
			assertThat(permissions(path)).isEqualTo("rw-------");
			assertThat(permissions(Path.of(path + "-wal"))).isEqualTo("rw-------");
		}
		checked.add("new store file, -wal, -shm, created directories, backup, export and temporary store:"
				+ " owner-only (rw------- / rwx------)");
	}

	@Test
	void deserializationShouldBeRestrictedByDefault() {
		byte[] gadget = Serialized.of(new BadAttributeValueExpException("gadget"));
		byte[] mine = Serialized.of(new Note("not allowed"));
		for (Codec<?> codec : List.of(Codec.java(Object.class), Codec.defaultFor(Object.class, List.of()),
				Codec.java(java.util.HashMap.class))) {
			assertThatIllegalArgumentException().as(codec.toString())
				.isThrownBy(() -> codec.decode(gadget))
				.withMessageContaining("refused");
			assertThatIllegalArgumentException().isThrownBy(() -> codec.decode(mine));
		}
		assertThat(Codec.java(Note.class).decode(mine)).isEqualTo(new Note("not allowed"));
		assertThat(Codec.java(Object.class, List.of("io.persistentdict.reliability.**")).decode(mine))
			.isEqualTo(new Note("not allowed"));
		for (String allowAll : List.of("*", "**", "!java.**", "java.*;*")) {
			Throwable thrown = catchThrowable(() -> {
				try (DictStore store = DictStore
					.inMemory(StoreOptions.builder().allowedTypes(List.of(allowAll)).build())) {
					store.dict("o", String.class, Object.class);
				}
			});
			assertThat(thrown).as(allowAll).isInstanceOf(IllegalArgumentException.class);
		}
		checked.add("deserialization: JDK gadget and application classes refused by default; an allow-all pattern"
				+ " is refused");
	}

	@Test
	void packagePatternShouldAdmitNestedClassesOfThePackage() {
		byte[] mine = Serialized.of(new Note("nested record"));
		assertThat(Codec.java(Object.class, List.of("io.persistentdict.reliability.*")).decode(mine))
			.isEqualTo(new Note("nested record"));
	}

	@Test
	void valueTheAllowListRefusesShouldFailAtPutNotAtEveryLaterGet() {
		try (DictStore store = DictStore.inMemory()) {
			@SuppressWarnings("rawtypes")
			PersistentDict<String, ArrayList> lists = store.dict("lists", String.class, ArrayList.class);
			ArrayList<Object> withNote = new ArrayList<>(List.of(new Note("not on the allow-list")));
			// the java codec's writer checks every class against the allow-list its
			// reader uses: a Note could never be read back, so the put is refused
			assertThatThrownBy(() -> lists.put("a", withNote)).isInstanceOf(PersistentDictException.class)
				.hasMessageContaining("'a'")
				.hasMessageContaining("Serialized$Note")
				.hasMessageContaining("allow-list");
			assertThat(lists.containsKey("a")).isFalse();
			assertThat((Object) lists.get("a")).isNull();
			// the same list with allowed JDK types only is stored and read back
			ArrayList<Object> allowed = new ArrayList<>(List.of("text", 42L));
			lists.put("a", allowed);
			assertThat((Object) lists.get("a")).isEqualTo(allowed);
		}
	}

	@Test
	void dictNamesThatAttemptInjectionShouldBeRefusedAndChangeNothing() throws Exception {
		Path file = this.dir.resolve("names.db");
		List<String> names = List.of("x\"; DROP TABLE pd_catalog; --", "x'; DROP TABLE pd_catalog; --", "a\" (k) ; --",
				"map:x\"", "", " ", "a b", "../../etc/passwd", "a\u0000b", "\"", "x]", "`x`", "a".repeat(101), "é",
				"-x", "_x");
		try (DictStore store = DictStore.open(file)) {
			store.dict("safe", String.class, String.class).put("k", "v");
		}
		List<String> before = schema(file);
		try (DictStore store = DictStore.open(file)) {
			for (String name : names) {
				assertThatIllegalArgumentException().as(name)
					.isThrownBy(() -> store.dict(name, String.class, String.class))
					.withMessageContaining("Invalid dict name");
				assertThatIllegalArgumentException().isThrownBy(() -> store.drop(name));
			}
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DictSpec.of("ok", String.class, String.class).withNamespace("map\"; --"));
			assertThat(store.dict("safe", String.class, String.class).get("k")).isEqualTo("v");
		}
		assertThat(schema(file)).isEqualTo(before);
		checked.add("dict names with quotes, SQL, paths, NUL, spaces and 101 characters: refused (" + names.size()
				+ " names); schema unchanged");
	}

	@Test
	void keysAndValuesWithQuotesShouldRoundTripAsData() throws Exception {
		Path file = this.dir.resolve("quotes.db");
		List<String> texts = List.of("'", "\"", "''", "'; DROP TABLE \"map:d\"; --", "\" OR 1=1 --", "%", "_", "\\",
				"a\u0000b", "line\nbreak", "\u00e9\u4e2d\ud83d\ude00", "$1", "?", ":k", "@k", "*/", "/*");
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			texts.forEach((text) -> dict.put(text, text + text));
		}
		List<String> before = schema(file);
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			Map<String, String> expected = new LinkedHashMap<>();
			texts.forEach((text) -> expected.put(text, text + text));
			assertThat(dict).containsExactlyInAnyOrderEntriesOf(expected);
			texts.forEach((text) -> assertThat(dict.get(text)).isEqualTo(text + text));
			assertThat(dict.prefix("%").map(Map.Entry::getKey).toList()).containsExactly("%");
			assertThat(dict.prefix("_").map(Map.Entry::getKey).toList()).containsExactly("_");
			assertThat(dict.prefix("'").map(Map.Entry::getKey).toList()).containsExactlyInAnyOrder("'", "''",
					"'; DROP TABLE \"map:d\"; --");
		}
		assertThat(schema(file)).isEqualTo(before);
		checked.add("keys and values with quotes, SQL, LIKE wildcards, NUL and emoji: round-trip as data ("
				+ texts.size() + " strings)");
	}

	@Test
	void unpairedSurrogatesShouldBeRefused() {
		try (DictStore store = DictStore.inMemory()) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("?", "question mark");
			// UTF-8 cannot hold a lone surrogate: stored, it would silently become '?'
			// and overwrite the key "?"
			assertThatIllegalArgumentException().isThrownBy(() -> dict.put("\uD800", "lone surrogate"))
				.withMessageContaining("unpaired surrogate at index 0");
			assertThat(dict).containsExactlyEntriesOf(Map.of("?", "question mark"));
			// the value's text holds letters that no in-memory store's name (a UUID in
			// hex)
			// can: "abc" appeared in one
			assertThatThrownBy(() -> dict.put("v", "\uDC00secret-xyz")).isInstanceOf(PersistentDictException.class)
				.hasMessageContaining("'v'")
				.hasMessageContaining("unpaired surrogate at index 0")
				.hasMessageNotContaining("secret-xyz");
			assertThat(dict.containsKey("v")).isFalse();
			assertThat(dict).containsExactlyEntriesOf(Map.of("?", "question mark"));
		}
	}

	@Test
	void decodeAndEncodeFailuresShouldNotShowTheValue() {
		Path file = this.dir.resolve("secrets.db");
		try (DictStore store = DictStore.open(file)) {
			store.dict("objects", String.class, Object.class).put("k", "placeholder");
			store.dict("ints", String.class, Integer.class).put("k", 1);
		}
		Damage.setStoredValue(file, "objects", "k", 7, (SECRET + " not a stream").getBytes(StandardCharsets.UTF_8));
		Damage.setStoredValue(file, "ints", "k", 4, SECRET.getBytes(StandardCharsets.UTF_8));
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, Object> objects = store.dict("objects", String.class, Object.class);
			PersistentDict<String, Integer> ints = store.dict("ints", String.class, Integer.class);
			for (Throwable thrown : List.of(catchThrowable(() -> objects.get("k")),
					catchThrowable(() -> ints.get("k")))) {
				assertThat(thrown).isInstanceOf(ValueDecodingException.class)
					.hasMessageContaining("'k'")
					.hasMessageNotContaining(SECRET);
			}
			Object unserializable = new Object() {
				@Override
				public String toString() {
					return SECRET;
				}
			};
			assertThatThrownBy(() -> objects.put("k2", unserializable)).isInstanceOf(PersistentDictException.class)
				.hasMessageContaining("'k2'")
				.hasMessageContaining("not Serializable")
				.hasMessageNotContaining(SECRET);
			// a put over an undecodable value logs a warning: the key may show, never the
			// value
			String log = captureStandardError(() -> objects.put("k", "new"));
			assertThat(log).contains("'k'").doesNotContain(SECRET);
		}
		checked.add("decode failures (java, int codecs), encode failure and the replace-undecodable warning:"
				+ " no value text in messages or logs");
	}

	@Test
	void decodeFailuresShouldNotShowValueBytesInAnyForm() {
		Path file = this.dir.resolve("json.db");
		try (DictStore store = DictStore.open(file)) {
			store.dict(DictSpec.of("json", String.class, Note.class).withCodec(Codec.json(Note.class)))
				.put("k", new Note("x"));
			store.dict("objects", String.class, Object.class).put("k", "placeholder");
		}
		Damage.setStoredValue(file, "json", "k", 8, ("{\"text\": " + SECRET + "}").getBytes(StandardCharsets.UTF_8));
		Damage.setStoredValue(file, "objects", "k", 7, SECRET.getBytes(StandardCharsets.UTF_8));
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, Note> json = store
				.dict(DictSpec.of("json", String.class, Note.class).withCodec(Codec.json(Note.class)));
			assertThat(catchThrowable(() -> json.get("k"))).isInstanceOf(ValueDecodingException.class)
				.hasMessageNotContaining(SECRET);
			String hex = HexFormat.of().formatHex(SECRET.substring(0, 4).getBytes(StandardCharsets.UTF_8));
			assertThat(catchThrowable(() -> store.dict("objects", String.class, Object.class).get("k")).getMessage())
				.doesNotContainIgnoringCase(hex);
		}
	}

	private static String captureStandardError(Runnable action) {
		PrintStream original = System.err;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			action.run();
		}
		finally {
			System.setErr(original);
		}
		return captured.toString(StandardCharsets.UTF_8);
	}

	private static List<String> schema(Path file) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Connection connection = Damage.jdbc(file);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT type, name, sql FROM sqlite_schema ORDER BY name")) {
			while (rs.next()) {
				rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
			}
		}
		return rows;
	}

}
