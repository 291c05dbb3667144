package io.persistentdict;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.persistentdict.codec.Codec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What an import accepts and how it refuses the rest: all or nothing, with a message that
 * names the dict, its store and the line, says what to do and never quotes a value. The
 * contract every engine keeps, run by an engine's module with its own
 * {@link StoreFixture}; it ships in the core's test-jar.
 */
public abstract class ImportRulesContract {

	/** A value that no message may quote. */
	private static final String SECRET = "s3cret-value";

	@TempDir
	Path dir;

	private final MutableClock clock = MutableClock.atNow();

	private @Nullable StoreFixture fixture;

	/**
	 * Return a new fixture, which opens stores on the engine under test.
	 * @return the fixture
	 */
	protected abstract StoreFixture createFixture();

	@AfterEach
	void closeFixture() {
		if (this.fixture != null) {
			this.fixture.close();
			this.fixture = null;
		}
	}

	private DictStore fresh() {
		if (this.fixture == null) {
			this.fixture = createFixture();
		}
		return this.fixture.fresh(StoreOptions.builder().clock(this.clock).build());
	}

	@Test
	void aRefusedEntryAfterManyGoodOnesShouldNameItsLineAndChangeNothing() throws IOException {
		// 300 good lines, several chunks of writes, and the first overwrites a key; then
		// one whose value is not a Long
		List<String> lines = new ArrayList<>();
		lines.add("{\"key\":\"over\",\"value\":99}");
		for (int i = 1; i < 300; i++) {
			lines.add("{\"key\":\"k" + i + "\",\"value\":" + i + "}");
		}
		lines.add("{\"key\":\"bad\",\"value\":\"" + SECRET + "\"}");
		lines.add("{\"key\":\"after\",\"value\":1}");
		Path file = write("bad-value.jsonl", String.join("\n", lines));
		try (DictStore store = fresh()) {
			PersistentDict<String, Long> dict = store.dict("counts", String.class, Long.class);
			dict.put("keep", 1L);
			dict.put("over", 2L, Duration.ofHours(1));
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> dict.importFrom(file))
				.withMessageContaining("dict 'map:counts' of store ")
				.withMessageContaining(file.toString())
				.withMessageContaining("line 301: its value is a string, but this dict holds Long values")
				.withMessageContaining("Nothing was imported: fix or remove that entry")
				.withMessageNotContaining(SECRET);
			assertThat(dict).isEqualTo(Map.of("keep", 1L, "over", 2L));
			assertThat(dict.expiresAt("over")).contains(this.clock.instant().plus(Duration.ofHours(1)));
		}
	}

	@Test
	void aFileThatIsNotJsonShouldNameTheLineAndColumnWithoutQuotingIt() throws IOException {
		Path file = write("broken.jsonl",
				"{\"key\":\"a\",\"value\":\"x\"}\n\n{\"key\":\"b\",\"value\":" + SECRET + "}\n");
		try (DictStore store = fresh()) {
			PersistentDict<String, String> dict = store.dict("s", String.class, String.class);
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> dict.importFrom(file))
				.withMessageContaining("failed at line 3, column ")
				.withMessageContaining("not valid JSON")
				.withMessageContaining("Nothing was imported")
				.withMessageNotContaining(SECRET)
				.withNoCause();
			assertThat(dict).isEmpty();
			// a truncated last entry, as a copy cut short leaves it
			Files.writeString(file, "{\"key\":\"a\",\"value\":\"x\"}\n{\"key\":\"b\",\"val");
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> dict.importFrom(file))
				.withMessageContaining("failed at line 2, column ")
				.withMessageContaining("not valid JSON");
			assertThat(dict).isEmpty();
		}
	}

	@Test
	void anEntryOverSeveralLinesShouldNameTheLineOfTheFaultAndWhereTheEntryStarts() throws IOException {
		Path file = write("pretty.json", "{\n  \"key\": \"a\",\n  \"value\": \"x\"\n}\n{\n  \"key\": \"b\",\n"
				+ "  \"expires\": \"2027-01-01T00:00:00Z\",\n  \"value\": \"y\"\n}\n");
		Path wrongKey = write("wrong-key.json", "{\n  \"key\": \"a\",\n  \"value\": \"x\"\n}\n{\n  \"key\": \"b\",\n"
				+ "  \"value\": \"" + SECRET + "\"\n}\n");
		try (DictStore store = fresh()) {
			PersistentDict<String, String> dict = store.dict("s", String.class, String.class);
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> dict.importFrom(file))
				.withMessageContaining("line 7 (in the entry from line 5): field 'expires' is not one of an export's:"
						+ " key or keyBase64; value, valueBase64 or stored; expiresAt");
			PersistentDict<Long, String> longKeys = store.dict("l", Long.class, String.class);
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> longKeys.importFrom(wrongKey))
				.withMessageContaining("lines 1-4: its key is not a Long key of this dict")
				.withMessageNotContaining(SECRET);
			assertThat(dict).isEmpty();
			assertThat(longKeys).isEmpty();
		}
	}

	@Test
	void entriesThatAreNotEntriesShouldSayWhatIsMissingOrWrong() throws IOException {
		try (DictStore store = fresh()) {
			PersistentDict<String, Integer> dict = store.dict("n", String.class, Integer.class);
			refused(dict, "42", "line 1: each entry is a JSON object, but this is an integer");
			refused(dict, "{\"value\":1}", "line 1: the entry has no key");
			refused(dict, "{\"key\":\"a\"}", "line 1: the entry has no value");
			refused(dict, "{\"key\":true,\"value\":1}", "its key must be a string or an integer, found a boolean");
			refused(dict, "{\"key\":\"a\",\"value\":1,\"value\":2}", "field 'value' appears twice");
			refused(dict, "{\"key\":\"a\",\"value\":1,\"stored\":\"AQ==\"}", "two keys or two values");
			refused(dict, "{\"key\":\"a\",\"value\":null}", "its value is null, which a dict never holds");
			refused(dict, "{\"key\":\"a\",\"value\":2147483648}", "beyond the range of Integer");
			refused(dict, "{\"key\":\"a\",\"value\":1.5}",
					"its value is a decimal number, but this dict holds Integer");
			refused(dict, "{\"key\":\"a\",\"valueBase64\":\"AAAAAQ==\"}",
					"its value is not a Integer this dict can read");
			refused(dict, "{\"key\":\"a\",\"value\":1,\"expiresAt\":1767225600000}",
					"'expiresAt' must be an ISO-8601 instant");
			refused(dict, "{\"key\":\"a\",\"value\":1,\"expiresAt\":\"tomorrow\"}",
					"'expiresAt' is not an ISO-8601 instant");
			refused(dict, "{\"key\":\"a\",\"stored\":\"not base64!\"}", "'stored' is not valid base64");
			PersistentDict<String, byte[]> bytes = store.dict("b", String.class, byte[].class);
			refused(bytes, "{\"key\":\"a\",\"value\":\"AQID\"}", "byte[] values, which come as 'valueBase64'");
			PersistentDict<String, Double> doubles = store.dict("d", String.class, Double.class);
			refused(doubles, "{\"key\":\"a\",\"value\":1e400}", "beyond the range of a Double");
			refused(doubles, "{\"key\":\"a\",\"value\":\"nan\"}", "other than \"NaN\"");
			PersistentDict<String, String> strings = store.dict("s", String.class, String.class);
			refused(strings, "{\"key\":\"a\",\"value\":\"\\ud800\"}", "unpaired surrogate");
			assertThat(dict).isEmpty();
			assertThat(bytes).isEmpty();
			assertThat(doubles).isEmpty();
			assertThat(strings).isEmpty();
			Path empty = write("empty.jsonl", " \n\n");
			assertThat(dict.importFrom(empty)).isZero();
		}
	}

	@Test
	void expiryShouldReadAsAnInstantWithAnyOffsetAndExpiredEntriesShouldBeSkipped() throws IOException {
		Path file = write("expiry.jsonl",
				String.join("\n", "{\"key\":\"utc\",\"value\":1,\"expiresAt\":\"2026-01-02T00:00:00Z\"}",
						"{\"key\":\"offset\",\"value\":2,\"expiresAt\":\"2026-01-02T01:00:00+01:00\"}",
						"{\"key\":\"never\",\"value\":3,\"expiresAt\":null}",
						"{\"key\":\"past\",\"value\":4,\"expiresAt\":\"2025-12-31T23:59:59.999Z\"}",
						"{\"key\":\"epoch\",\"value\":5,\"expiresAt\":\"1970-01-01T00:00:00Z\"}",
						"{\"k\":\"legacy\",\"v\":\"BAAAAAY=\",\"x\":1767312000000}"));
		try (DictStore store = fresh()) {
			PersistentDict<String, Integer> dict = store.dict("n", String.class, Integer.class);
			assertThat(dict.importFrom(file)).isEqualTo(4);
			assertThat(dict).isEqualTo(Map.of("utc", 1, "offset", 2, "never", 3, "legacy", 6));
			Instant tomorrow = Instant.parse("2026-01-02T00:00:00Z");
			assertThat(dict.expiresAt("utc")).contains(tomorrow);
			assertThat(dict.expiresAt("offset")).contains(tomorrow);
			assertThat(dict.expiresAt("legacy")).contains(tomorrow);
			assertThat(dict.expiresAt("never")).isEmpty();
		}
	}

	@Test
	void aStoredValueOfTheJavaCodecShouldImportOnlyWhereTheDictCanReadIt() throws IOException {
		Path export = this.dir.resolve("java.jsonl");
		try (DictStore store = fresh()) {
			PersistentDict<String, BigDecimal> java = store.dict("java", String.class, BigDecimal.class);
			java.put("pi", new BigDecimal("3.14"));
			java.exportTo(export);
			PersistentDict<String, String> strings = store.dict("s", String.class, String.class);
			refused(strings, Files.readString(export), "its value is not a String this dict can read");
			PersistentDict<String, BigDecimal> copy = store.dict("copy", String.class, BigDecimal.class);
			assertThat(copy.importFrom(export)).isOne();
			assertThat(copy).isEqualTo(java);
			// a readable value goes through the value type's built-in codec
			PersistentDict<String, String> javaStrings = store
				.dict(DictSpec.of("js", String.class, String.class).withCodec(Codec.java(String.class)));
			assertThat(javaStrings.importFrom(write("readable.jsonl", "{\"key\":\"a\",\"value\":\"x\"}"))).isOne();
			assertThat(javaStrings.get("a")).isEqualTo("x");
		}
	}

	private void refused(PersistentDict<?, ?> dict, String content, String reason) throws IOException {
		Path file = write("refused.jsonl", content);
		assertThatExceptionOfType(PersistentDictException.class).as(content)
			.isThrownBy(() -> dict.importFrom(file))
			.withMessageContaining(reason)
			.withMessageContaining("Nothing was imported");
	}

	private Path write(String name, String content) throws IOException {
		Path file = this.dir.resolve(name);
		Files.writeString(file, content);
		return file;
	}

}
