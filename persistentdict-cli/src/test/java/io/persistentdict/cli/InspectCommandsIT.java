package io.persistentdict.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

import io.persistentdict.DictStore;
import io.persistentdict.OpenMode;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import io.persistentdict.cli.Cli.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-only commands, run from the built jar against a store made by the core API.
 */
class InspectCommandsIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path dir;

	static Path store;

	@BeforeAll
	static void makeStore() {
		store = Stores.make(dir);
	}

	@Test
	void dictsShouldListEveryDictWithItsTypesCodecTtlAndEntries() {
		Result result = Cli.run(store, "dicts");
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.out()).contains(store.toString());
		assertThat(result.lines()).anySatisfy((line) -> assertThat(line).startsWith("cache:counters")
			.contains("java.lang.Long")
			.contains(" long ")
			.contains("30m")
			.endsWith(" 3"));
		assertThat(result.lines()).anySatisfy((line) -> assertThat(line).startsWith("map:old").endsWith(" 1"));
		assertThat(result.lines()).anySatisfy((line) -> assertThat(line).startsWith("map:secrets")
			.contains(Stores.Secret.class.getName())
			.contains(" java "));
	}

	@Test
	void dictsWithJsonShouldPrintOneObject() {
		JsonNode json = Cli.run("--json", store, "dicts").json();
		assertThat(json.get("store").asString()).isEqualTo(store.toString());
		JsonNode counters = null;
		for (JsonNode dict : json.get("dicts")) {
			if (dict.get("dict").asString().equals("cache:counters")) {
				counters = dict;
			}
		}
		assertThat(counters).isNotNull();
		assertThat(counters.get("keyType").asString()).isEqualTo("java.lang.Long");
		assertThat(counters.get("codec").asString()).isEqualTo("long");
		assertThat(counters.get("ttl").asString()).isEqualTo("PT30M");
		assertThat(counters.get("entries").asLong()).isEqualTo(3);
		assertThat(json.get("dicts")).hasSize(8);
	}

	@Test
	void statsShouldShowFilesExpiredEntriesNotYetSweptAndBytes() {
		JsonNode json = Cli.run("--json", store, "stats").json();
		assertThat(json.get("size").asLong()).isPositive();
		assertThat(json.get("freeDisk").asLong()).isPositive();
		JsonNode old = null;
		for (JsonNode dict : json.get("dicts")) {
			if (dict.get("dict").asString().equals("map:old")) {
				old = dict;
			}
		}
		assertThat(old).isNotNull();
		assertThat(old.get("entries").asLong()).isEqualTo(1);
		assertThat(old.get("expired").asLong()).isEqualTo(2);
		// keys gone1, gone2, kept (14 bytes) and three one-letter strings, each with the
		// value header's byte (6 bytes): the expired rows count until they are swept
		assertThat(old.get("bytes").asLong()).isEqualTo(20);
		Result text = Cli.run(store, "stats");
		assertThat(text.lines()).anySatisfy((line) -> assertThat(line).matches("map:old +1 +2 +20 B"));
	}

	@Test
	void getShouldShowTheDecodedValueAndItsExpiry() {
		Result result = Cli.run(store, "get", "users", "u1");
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.lines()).contains("value       alice", "expiresAt   -", "codec       string");
		JsonNode counter = Cli.run("--json", store, "get", "cache:counters", "2").json();
		assertThat(counter.get("key").isNumber()).isTrue();
		assertThat(counter.get("value").asLong()).isEqualTo(20);
		Instant expiresAt = Instant.parse(counter.get("expiresAt").asString());
		assertThat(expiresAt).isBetween(Instant.now().plus(Duration.ofMinutes(20)),
				Instant.now().plus(Duration.ofMinutes(31)));
	}

	@Test
	void getShouldDecodeEveryBuiltInCodecAndUuidAndIntegerKeys() {
		assertThat(Cli.run("--json", store, "get", "flags", "7").json().get("value").asBoolean()).isTrue();
		assertThat(Cli.run("--json", store, "get", "scores", "pi").json().get("value").asDouble()).isEqualTo(3.14);
		JsonNode blob = Cli.run("--json", store, "get", "cache:blobs", Stores.BLOB).json();
		assertThat(blob.get("value").asString()).isEqualTo("AQID");
		assertThat(blob.get("key").asString()).isEqualTo(Stores.BLOB.toString());
	}

	@Test
	void getOfAJsonValueShouldShowItsJsonTextWithoutTheApplicationsClasses() {
		Result text = Cli.run(store, "get", "books", "dune");
		assertThat(text.exit()).as(text.toString()).isZero();
		assertThat(text.out()).contains("{\"title\":\"Dune\",\"year\":1965}");
		JsonNode json = Cli.run("--json", store, "get", "books", "dune").json();
		assertThat(json.get("value").get("year").asInt()).isEqualTo(1965);
	}

	@Test
	void getOfAJavaValueShouldShowItsClassAndSizeAndNeverDeserializeIt() {
		// the tool's class path has no Stores.Secret: deserializing would fail
		Result result = Cli.run("--json", store, "get", "secrets", "s1");
		assertThat(result.exit()).as(result.toString()).isZero();
		JsonNode json = result.json();
		assertThat(json.get("value").isNull()).isTrue();
		assertThat(json.get("codec").asString()).isEqualTo("java");
		assertThat(json.get("note").asString()).matches("java-serialized "
				+ Stores.Secret.class.getName().replace("$", "\\$") + ", \\d+ bytes: not deserialized");
		assertThat(result.out()).doesNotContain("secret-marker");
	}

	@Test
	void getOfAMissingOrExpiredKeyShouldExitOne() {
		Result missing = Cli.run(store, "get", "users", "nobody");
		assertThat(missing.exit()).isEqualTo(1);
		assertThat(missing.out()).isEmpty();
		assertThat(missing.err()).contains("nobody").contains("map:users");
		assertThat(Cli.run(store, "get", "old", "gone1").exit()).isEqualTo(1);
		assertThat(Cli.run(store, "get", "old", "kept").exit()).isZero();
	}

	@Test
	void aKeyThatDoesNotParseByTheKeyTypeShouldExitTwoAndSayWhy() {
		Result notLong = Cli.run(store, "get", "cache:counters", "abc");
		assertThat(notLong.exit()).isEqualTo(2);
		assertThat(notLong.err()).contains("'abc'").contains("Long").contains("cache:counters");
		Result notUuid = Cli.run(store, "get", "cache:blobs", "not-a-uuid");
		assertThat(notUuid.exit()).isEqualTo(2);
		assertThat(notUuid.err()).contains("UUID");
		assertThat(Cli.run(store, "get", "flags", "99999999999").exit()).isEqualTo(2);
	}

	@Test
	void keysShouldListInOrderWithPrefixLimitAndTheirExpiry() {
		assertThat(Cli.run(store, "keys", "users").lines()).containsExactly("u1", "u2", "u3");
		assertThat(Cli.run(store, "keys", "users", "--prefix", "u2").lines()).containsExactly("u2");
		Result limited = Cli.run(store, "keys", "users", "--limit", "2");
		assertThat(limited.lines()).containsExactly("u1", "u2");
		assertThat(limited.err()).contains("stopped after 2 keys");
		assertThat(Cli.run(store, "keys", "users", "--limit", "3").err()).isEmpty();
		List<JsonNode> counters = Cli.run("--json", store, "keys", "cache:counters").jsonLines();
		assertThat(counters).extracting((line) -> line.get("key").asLong()).containsExactly(1L, 2L, 3L);
		assertThat(counters).allSatisfy((line) -> assertThat(line.get("key").isNumber()).isTrue());
		assertThat(counters).allSatisfy((line) -> assertThat(line.get("expiresAt").isString()).isTrue());
		assertThat(Cli.run(store, "keys", "old").lines()).containsExactly("kept");
	}

	@Test
	void keysShouldStopAtTheDefaultLimitOfOneHundredAndPageThroughLargerLimits(@TempDir Path own) {
		Path file = own.resolve("many.db");
		try (DictStore many = DictStore.open(file)) {
			PersistentDict<Long, String> dict = many.dict("many", Long.class, String.class);
			IntStream.range(0, 1500).forEach((i) -> dict.put((long) i, "v" + i));
		}
		Result byDefault = Cli.run(file, "keys", "many");
		assertThat(byDefault.lines()).hasSize(100).startsWith("0").endsWith("99");
		assertThat(byDefault.err()).contains("stopped after 100 keys");
		Result all = Cli.run(file, "keys", "many", "--limit", "2000");
		assertThat(all.lines()).hasSize(1500).endsWith("1499");
		assertThat(all.err()).isEmpty();
	}

	@Test
	void prefixOnNonStringKeysShouldExitTwo() {
		Result result = Cli.run(store, "keys", "cache:counters", "--prefix", "1");
		assertThat(result.exit()).isEqualTo(2);
		assertThat(result.err()).contains("--prefix needs String keys");
	}

	@Test
	void exportShouldWriteTheFormatOfExportTo(@TempDir Path own) throws IOException {
		Path byTool = own.resolve("tool.jsonl");
		Result result = Cli.run(store, "export", "users", byTool);
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.out()).contains("exported  3");
		Path byCore = own.resolve("core.jsonl");
		try (DictStore open = DictStore.open(store, StoreOptions.builder().openMode(OpenMode.READ_ONLY).build())) {
			open.dict("users", String.class, String.class).exportTo(byCore);
		}
		assertThat(new HashSet<>(Files.readAllLines(byTool))).isEqualTo(new HashSet<>(Files.readAllLines(byCore)))
			.hasSize(3);
	}

	@Test
	void exportShouldWriteEachValueInItsReadableFormAndExpiryAsAnInstant(@TempDir Path own) throws IOException {
		Path books = own.resolve("books.jsonl");
		Path blobs = own.resolve("blobs.jsonl");
		Path counters = own.resolve("counters.jsonl");
		Path secrets = own.resolve("secrets.jsonl");
		for (List<Object> export : List.<List<Object>>of(List.of("books", books), List.of("cache:blobs", blobs),
				List.of("cache:counters", counters), List.of("secrets", secrets))) {
			Result result = Cli.run(store, "export", export.get(0), export.get(1));
			assertThat(result.exit()).as(result.toString()).isZero();
		}
		assertThat(Files.readAllLines(books))
			.containsExactly("{\"key\":\"dune\",\"value\":{\"title\":\"Dune\",\"year\":1965}}");
		assertThat(Files.readAllLines(blobs))
			.containsExactly("{\"key\":\"" + Stores.BLOB + "\",\"valueBase64\":\"AQID\"}");
		assertThat(Files.readAllLines(counters)).hasSize(3).allSatisfy((line) -> {
			JsonNode entry = JSON.readTree(line);
			assertThat(entry.get("value").isIntegralNumber()).as(line).isTrue();
			assertThat(Instant.parse(entry.get("expiresAt").asString())).as(line).isAfter(Instant.now());
		});
		// a java-serialized value stays its stored bytes, and the tool never reads it
		assertThat(Files.readString(secrets)).startsWith("{\"key\":\"s1\",\"stored\":\"")
			.doesNotContain("secret-marker");
	}

	@Test
	void backupShouldCopyTheStoreToANewFileThatOpens(@TempDir Path own) {
		Path copy = own.resolve("copy.db");
		Result result = Cli.run(store, "backup", copy);
		assertThat(result.exit()).as(result.toString()).isZero();
		try (DictStore backup = DictStore.open(copy)) {
			assertThat(backup.dict("users", String.class, String.class)).containsEntry("u2", "bob");
		}
		Result again = Cli.run(store, "backup", copy);
		assertThat(again.exit()).isEqualTo(2);
		assertThat(again.err()).contains("already exists");
	}

	@Test
	void checkShouldSayOkAndExitZero() {
		Result result = Cli.run("--json", store, "check");
		assertThat(result.exit()).isZero();
		assertThat(result.json().get("ok").asBoolean()).isTrue();
		assertThat(result.json().get("result").asString()).isEqualTo("ok");
	}

	@Test
	void anUnknownDictShouldExitTwoAndSayHowToListThem() {
		Result result = Cli.run(store, "get", "nosuch", "k");
		assertThat(result.exit()).isEqualTo(2);
		assertThat(result.err()).contains("map:nosuch").contains("'dicts'");
	}

	@Test
	void readCommandsShouldLeaveTheFileAsItWas() throws IOException {
		byte[] before = Files.readAllBytes(store);
		for (List<Object> args : List.of(List.<Object>of(store, "dicts"), List.<Object>of(store, "stats"),
				List.<Object>of(store, "get", "users", "u1"), List.<Object>of(store, "keys", "users"),
				List.<Object>of(store, "check"))) {
			assertThat(Cli.run(args.toArray()).exit()).isZero();
		}
		assertThat(Files.readAllBytes(store)).isEqualTo(before);
		// a read-only connection may leave SQLite's empty log beside the file, never a
		// write in it
		Path wal = Path.of(store + "-wal");
		if (Files.exists(wal)) {
			assertThat(wal).isEmptyFile();
		}
	}

}
