package io.persistentdict.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.codec.Codec;
import io.persistentdict.cli.Cli.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands that write, run from the built jar; what they wrote is read back through
 * the core API with the application's types.
 */
class WriteCommandsIT {

	@TempDir
	Path dir;

	Path store;

	@BeforeEach
	void makeStore() {
		this.store = Stores.make(this.dir);
	}

	@Test
	void everyWriteCommandShouldBeRefusedWithoutWriteAndLeaveTheFileAsItWas() throws IOException {
		Path lines = this.dir.resolve("in.jsonl");
		Files.writeString(lines, "");
		byte[] before = Files.readAllBytes(this.store);
		for (List<Object> args : List.<List<Object>>of(List.of("put", "users", "u9", "x"),
				List.of("remove", "users", "u1"), List.of("import", "users", lines), List.of("sweep"),
				List.of("vacuum"), List.of("vacuum", "--full"))) {
			Object[] command = new Object[args.size() + 1];
			command[0] = this.store;
			for (int i = 0; i < args.size(); i++) {
				command[i + 1] = args.get(i);
			}
			Result result = Cli.run(command);
			assertThat(result.exit()).as(result.toString()).isEqualTo(2);
			assertThat(result.err()).as(result.toString()).contains("--write").contains("read-only");
		}
		assertThat(Files.readAllBytes(this.store)).isEqualTo(before);
	}

	@Test
	void putShouldWriteWhatTheApplicationReadsWithItsOwnTypes() {
		assertThat(Cli.run("--write", this.store, "put", "users", "u9", "zoe").exit()).isZero();
		assertThat(Cli.run("--write", this.store, "put", "cache:counters", "9", "-90").exit()).isZero();
		assertThat(Cli.run("--write", this.store, "put", "flags", "8", "false").exit()).isZero();
		assertThat(Cli.run("--write", this.store, "put", "scores", "e", "2.718").exit()).isZero();
		assertThat(Cli.run("--write", this.store, "put", "books", "emma", "{\"title\":\"Emma\",\"year\":1815}").exit())
			.isZero();
		try (DictStore open = DictStore.open(this.store)) {
			assertThat(open.dict("users", String.class, String.class).get("u9")).isEqualTo("zoe");
			PersistentDict<Long, Long> counters = open.dict(DictSpec.of("counters", Long.class, Long.class)
				.withNamespace("cache")
				.withTtl(Duration.ofMinutes(30)));
			assertThat(counters.get(9L)).isEqualTo(-90L);
			// the dict's TTL applies, as a typed put would
			assertThat(counters.expiresAt(9L))
				.hasValueSatisfying((at) -> assertThat(at).isAfter(Instant.now().plus(Duration.ofMinutes(29))));
			assertThat(open.dict("flags", Integer.class, Boolean.class).get(8)).isFalse();
			assertThat(open.dict("scores", String.class, Double.class).get("e")).isEqualTo(2.718);
			assertThat(open
				.dict(DictSpec.of("books", String.class, Stores.Book.class).withCodec(Codec.json(Stores.Book.class)))
				.get("emma")).isEqualTo(new Stores.Book("Emma", 1815));
		}
	}

	@Test
	void putShouldNeverChangeTheDictsCatalogSettings() {
		String before = Cli.run("--json", this.store, "dicts").out();
		assertThat(Cli.run("--write", this.store, "put", "cache:counters", "5", "1", "--ttl", "5s").exit()).isZero();
		assertThat(Cli.run("--json", this.store, "dicts").out().replace("\"entries\":4", "\"entries\":3"))
			.isEqualTo(before);
	}

	@ParameterizedTest
	@CsvSource({ "30s, 30", "5m, 300", "2h, 7200", "1d, 86400", "PT30M, 1800" })
	void putWithTtlShouldTakeShortAndIsoDurations(String ttl, long seconds) {
		Instant start = Instant.now();
		Result result = Cli.run("--json", "--write", this.store, "put", "users", "t", "v", "--ttl", ttl);
		assertThat(result.exit()).as(result.toString()).isZero();
		Instant expiresAt = Instant.parse(result.json().get("expiresAt").asString());
		assertThat(expiresAt).isBetween(start.plusSeconds(seconds), Instant.now().plusSeconds(seconds));
	}

	@Test
	void putShouldRefuseWhatTheDictCannotHoldWithExitTwo() {
		Map<List<String>, String> refused = Map.of(List.of("cache:counters", "1", "ten"), "not a java.lang.Long",
				List.of("flags", "1", "yes"), "true or false", List.of("books", "x", "{not json"), "not valid JSON",
				List.of("books", "x", "{} {}"), "more follows", List.of("secrets", "x", "y"), "java codec",
				List.of("cache:blobs", Stores.BLOB.toString(), "AQID"), "put takes values of String, number",
				List.of("users", "x", "v", "--ttl", "soon"), "not a duration");
		refused.forEach((args, message) -> {
			Object[] command = new Object[args.size() + 3];
			command[0] = "--write";
			command[1] = this.store;
			command[2] = "put";
			for (int i = 0; i < args.size(); i++) {
				command[i + 3] = args.get(i);
			}
			Result result = Cli.run(command);
			assertThat(result.exit()).as(result.toString()).isEqualTo(2);
			assertThat(result.err()).as(result.toString()).contains(message);
		});
	}

	@Test
	void removeShouldExitZeroThenOneWhenTheKeyIsGone() {
		assertThat(Cli.run("--write", this.store, "remove", "users", "u1").exit()).isZero();
		Result again = Cli.run("--json", "--write", this.store, "remove", "users", "u1");
		assertThat(again.exit()).isEqualTo(1);
		assertThat(again.json().get("removed").asBoolean()).isFalse();
		// an expired entry is already gone
		assertThat(Cli.run("--write", this.store, "remove", "old", "gone1").exit()).isEqualTo(1);
		try (DictStore open = DictStore.open(this.store)) {
			assertThat(open.dict("users", String.class, String.class)).doesNotContainKey("u1").hasSize(2);
		}
	}

	@Test
	void importShouldReadWhatExportToWroteIntoAnotherStore() throws IOException {
		Path lines = this.dir.resolve("users.jsonl");
		try (DictStore open = DictStore.open(this.store)) {
			open.dict("users", String.class, String.class).exportTo(lines);
		}
		Path other = this.dir.resolve("other.db");
		try (DictStore open = DictStore.open(other)) {
			open.dict("users", String.class, String.class).put("u0", "zero");
		}
		Result result = Cli.run("--write", other, "import", "users", lines);
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.out()).contains("imported  3");
		try (DictStore open = DictStore.open(other)) {
			assertThat(open.dict("users", String.class, String.class))
				.containsExactlyInAnyOrderEntriesOf(Map.of("u0", "zero", "u1", "alice", "u2", "bob", "u3", "carol"));
		}
	}

	@Test
	void importShouldReadFilesThatPeopleAndJqWrote() throws IOException {
		// as jq prints them, over several lines with a space after each colon
		Path books = this.dir.resolve("books.json");
		Files.writeString(books, "{\n  \"key\": \"emma\",\n  \"value\": {\n    \"title\": \"Emma\",\n"
				+ "    \"year\": 1815\n  },\n  \"expiresAt\": \"2126-01-01T00:00:00Z\"\n}\n");
		Path scores = this.dir.resolve("scores.json");
		Files.writeString(scores,
				"[\n  {\"key\": \"nan\", \"value\": \"NaN\"},\n  {\"key\": \"zero\", \"value\": -0}\n]\n");
		for (List<Object> args : List.<List<Object>>of(List.of("books", books), List.of("scores", scores))) {
			Result result = Cli.run("--write", this.store, "import", args.get(0), args.get(1));
			assertThat(result.exit()).as(result.toString()).isZero();
		}
		try (DictStore open = DictStore.open(this.store)) {
			PersistentDict<String, Stores.Book> read = open
				.dict(DictSpec.of("books", String.class, Stores.Book.class).withCodec(Codec.json(Stores.Book.class)));
			assertThat(read.get("emma")).isEqualTo(new Stores.Book("Emma", 1815));
			assertThat(read.expiresAt("emma")).contains(Instant.parse("2126-01-01T00:00:00Z"));
			PersistentDict<String, Double> doubles = open.dict("scores", String.class, Double.class);
			assertThat(doubles.get("nan")).isNaN();
			assertThat(Double.doubleToRawLongBits(doubles.get("zero"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
		}
	}

	@Test
	void importShouldRefuseJavaDictsAndRowsThatDoNotFitWithExitTwoAndImportNothing() throws IOException {
		Path secrets = this.dir.resolve("secrets.jsonl");
		assertThat(Cli.run(this.store, "export", "secrets", secrets).exit()).isZero();
		Result java = Cli.run("--write", this.store, "import", "secrets", secrets);
		assertThat(java.exit()).isEqualTo(2);
		assertThat(java.err()).contains("java codec").contains("deserialize");
		// a java-serialized value is refused in a dict of another codec too
		Result intoUsers = Cli.run("--write", this.store, "import", "users", secrets);
		assertThat(intoUsers.exit()).isEqualTo(2);
		assertThat(intoUsers.err()).contains("java codec");
		Path counters = this.dir.resolve("counters.jsonl");
		assertThat(Cli.run(this.store, "export", "cache:counters", counters).exit()).isZero();
		Result wrongKeys = Cli.run("--write", this.store, "import", "users", counters);
		assertThat(wrongKeys.exit()).isEqualTo(2);
		assertThat(wrongKeys.err()).contains("line 1: its value is an integer, but this dict holds String values");
		Files.writeString(counters, "{\"key\": 4, \"value\": 40}\nnot json\n");
		assertThat(Cli.run("--write", this.store, "import", "cache:counters", counters).err())
			.contains("line 2, column 1: it is not valid JSON")
			.contains("Nothing was imported");
		assertThat(Cli.run(this.store, "keys", "cache:counters").lines()).hasSize(3)
			.noneSatisfy((line) -> assertThat(line).startsWith("4 "));
		assertThat(Cli.run(this.store, "keys", "users").lines()).containsExactly("u1", "u2", "u3");
	}

	@Test
	void sweepShouldDeleteExpiredEntriesAndSayHowMany() {
		Result result = Cli.run("--json", "--write", this.store, "sweep");
		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.json().get("deleted").asLong()).isEqualTo(2);
		JsonCheck.dict(result.json(), "map:old", (dict) -> assertThat(dict.get("deleted").asLong()).isEqualTo(2));
		JsonCheck.dict(Cli.run("--json", this.store, "stats").json(), "map:old",
				(dict) -> assertThat(dict.get("expired").asLong()).isZero());
	}

	@Test
	void vacuumShouldBeIncrementalUnlessFull() {
		try (DictStore open = DictStore.open(this.store)) {
			PersistentDict<Long, String> big = open.dict("big", Long.class, String.class);
			for (long i = 0; i < 2000; i++) {
				big.put(i, "x".repeat(500) + i);
			}
			big.clear();
		}
		Result incremental = Cli.run("--json", "--write", this.store, "vacuum");
		assertThat(incremental.exit()).as(incremental.toString()).isZero();
		assertThat(incremental.json().get("mode").asString()).isEqualTo("incremental");
		assertThat(incremental.json().get("freedPages").asLong()).isPositive();
		assertThat(incremental.json().get("sizeAfter").asLong())
			.isLessThan(incremental.json().get("sizeBefore").asLong());
		Result full = Cli.run("--json", "--write", this.store, "vacuum", "--full");
		assertThat(full.exit()).as(full.toString()).isZero();
		assertThat(full.json().get("mode").asString()).isEqualTo("full");
		assertThat(Cli.run(this.store, "vacuum", "--help").out()).contains("BLOCKS EVERY WRITER");
	}

	@Test
	void writesShouldLeaveOtherDictsAndTheFileIntact() {
		Cli.run("--write", this.store, "put", "users", "u4", "dave");
		assertThat(Cli.run(this.store, "check").exit()).isZero();
		try (DictStore open = DictStore.open(this.store)) {
			assertThat(open.dict("users", String.class, String.class).get("u4")).isEqualTo("dave");
			assertThat(open.dict("flags", Integer.class, Boolean.class).get(7)).isTrue();
			assertThat(Optional.ofNullable(open.dict("scores", String.class, Double.class).get("pi"))).contains(3.14);
		}
	}

}
