package io.persistentdict;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import io.persistentdict.codec.Codec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exports that other tools read, and imports of what they write: every built-in codec's
 * values in their readable form, round trips of awkward keys and values, exact numbers,
 * pretty-printed and {@code jq}-style files, and files of the first export format (in the
 * test resources, written by its {@code exportTo}). The contract every engine keeps, run
 * by an engine's module with its own {@link StoreFixture}; it ships in the core's
 * test-jar.
 */
public abstract class ExportContract {

	/** The first format's files, one for each dict of the code in their README. */
	private static final String LEGACY = "/files/export-0.1/";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Instant CENTURY = Instant.parse("2126-01-01T00:00:00Z");

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

	/** A value of the json and java codecs, with numbers a double cannot hold. */
	public record Order(String id, BigDecimal total, long big, List<String> notes) implements Serializable {
	}

	@Test
	void stringsShouldExportAsJsonStringsAndRoundTripQuotesBackslashesControlsAndCharactersOutsideTheBmp()
			throws IOException {
		Map<String, String> entries = new LinkedHashMap<>();
		entries.put("plain", "value");
		entries.put("quote\"back\\slash/", "tab\tnew\nline\rreturn \"q\" \\");
		entries.put("ctl\b\f\u0001\u001f", "\u0001\b\f\u007f");
		entries.put("emoji \uD83D\uDE00 \uD834\uDD1E", "\uD83D\uDE00 outside the BMP \uD834\uDD1E");
		entries.put("big", "abc".repeat(1000));
		entries.put("", "an empty key");
		List<String> lines = roundTrip(DictSpec.of("s", String.class, String.class), entries, "plain");
		assertThat(lines).contains("{\"key\":\"plain\",\"value\":\"value\",\"expiresAt\":\"2026-01-01T01:00:00Z\"}",
				"{\"key\":\"ctl\\b\\f\\u0001\\u001F\",\"value\":\"\\u0001\\b\\f\u007f\"}",
				"{\"key\":\"quote\\\"back\\\\slash/\",\"value\":\"tab\\tnew\\nline\\rreturn \\\"q\\\" \\\\\"}",
				// outside the BMP as UTF-8, not as escaped surrogates
				"{\"key\":\"emoji \uD83D\uDE00 \uD834\uDD1E\",\"value\":\"\uD83D\uDE00 outside the BMP \uD834\uDD1E\"}",
				// compressed in the store, plain in the file
				"{\"key\":\"big\",\"value\":\"" + "abc".repeat(1000) + "\"}");
	}

	@Test
	void longsAndIntsShouldExportAsExactJsonIntegers() throws IOException {
		Map<Long, Long> longs = new LinkedHashMap<>();
		long beyondDoubles = (1L << 53) + 1;
		longs.put(beyondDoubles, Long.MAX_VALUE);
		longs.put(Long.MIN_VALUE, beyondDoubles);
		longs.put(Long.MAX_VALUE, -beyondDoubles);
		longs.put(0L, Long.MIN_VALUE);
		List<String> lines = roundTrip(DictSpec.of("l", Long.class, Long.class), longs, 0L);
		assertThat(lines).contains("{\"key\":9007199254740993,\"value\":9223372036854775807}",
				"{\"key\":-9223372036854775808,\"value\":9007199254740993}",
				"{\"key\":0,\"value\":-9223372036854775808,\"expiresAt\":\"2026-01-01T01:00:00Z\"}");
		Map<Integer, Integer> ints = Map.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 7, -7);
		assertThat(roundTrip(DictSpec.of("i", Integer.class, Integer.class), ints, 7))
			.contains("{\"key\":-2147483648,\"value\":2147483647}");
	}

	@Test
	void doublesShouldKeepEveryBitIncludingNaNInfinitiesAndNegativeZero() throws IOException {
		Map<Long, Double> doubles = new LinkedHashMap<>();
		List<Double> special = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
				Double.MIN_VALUE, -Double.MAX_VALUE, 0.1, 1e-300, 1.0 / 3);
		for (int i = 0; i < special.size(); i++) {
			doubles.put((long) i, special.get(i));
		}
		Random random = new Random(7);
		for (long i = 100; i < 400; i++) {
			double value = Double.longBitsToDouble(random.nextLong());
			doubles.put(i, Double.isNaN(value) ? 1.5 : value);
		}
		// a NaN with a payload of its own keeps it, as stored bytes
		doubles.put(999L, Double.longBitsToDouble(0x7ff8_0000_0000_0001L));
		List<String> lines = roundTrip(DictSpec.of("d", Long.class, Double.class), doubles, 1L);
		assertThat(lines).contains("{\"key\":0,\"value\":\"NaN\"}",
				"{\"key\":1,\"value\":\"Infinity\",\"expiresAt\":\"2026-01-01T01:00:00Z\"}",
				"{\"key\":2,\"value\":\"-Infinity\"}", "{\"key\":3,\"value\":-0.0}", "{\"key\":7,\"value\":0.1}");
		assertThat(lines).filteredOn((line) -> line.startsWith("{\"key\":999,")).singleElement().satisfies((line) -> {
			assertThat(line).contains("\"stored\":");
		});
	}

	@Test
	void booleansShouldExportAsJsonBooleansAndBytesAsBase64() throws IOException {
		assertThat(roundTrip(DictSpec.of("b", String.class, Boolean.class), Map.of("yes", true, "no", false), "no"))
			.contains("{\"key\":\"yes\",\"value\":true}");
		Map<UUID, byte[]> bytes = new LinkedHashMap<>();
		bytes.put(new UUID(0, 1), new byte[] { 0, 1, 2, -1, -128, 127 });
		bytes.put(new UUID(0, 2), new byte[0]);
		byte[] random = new byte[5000];
		new Random(3).nextBytes(random);
		bytes.put(new UUID(0, 3), random);
		assertThat(roundTrip(DictSpec.of("bytes", UUID.class, byte[].class), bytes, new UUID(0, 2)))
			.contains("{\"key\":\"00000000-0000-0000-0000-000000000001\",\"valueBase64\":\"AAEC/4B/\"}");
	}

	@Test
	void jsonValuesShouldExportAsTheirDocumentsWithTheirNumbersExact() throws IOException {
		Order order = new Order("o\"1\\\u0001\uD83D\uDE00", new BigDecimal("12345678901234567890.123456789"),
				(1L << 53) + 1, List.of("\b\f", "x".repeat(2000)));
		List<String> lines = roundTrip(
				DictSpec.of("orders", String.class, Order.class).withCodec(Codec.json(Order.class)),
				Map.of("o1", order, "o2", new Order("o2", new BigDecimal("-0.000"), 0, List.of())), "o2");
		JsonNode first = MAPPER.readTree(lines.stream().filter((line) -> line.contains("\"o1\"")).findFirst().get());
		assertThat(first.get("value").isObject()).isTrue();
		assertThat(lines).anySatisfy((line) -> assertThat(line)
			.contains("\"total\":12345678901234567890.123456789,\"big\":9007199254740993"));
		Map<String, BigDecimal> decimals = Map.of("pi",
				new BigDecimal("3.14159265358979323846264338327950288419716939937510"), "tiny",
				new BigDecimal("1E-400"));
		assertThat(roundTrip(
				DictSpec.of("decimals", String.class, BigDecimal.class).withCodec(Codec.json(BigDecimal.class)),
				decimals, "tiny"))
			.contains("{\"key\":\"pi\",\"value\":3.14159265358979323846264338327950288419716939937510}");
		// the sign of zero too, which BigDecimal would lose
		Map<Long, Double> doubles = Map.of(1L, -0.0, 2L, 1e300, 3L, 0.1);
		assertThat(roundTrip(DictSpec.of("doubles", Long.class, Double.class).withCodec(Codec.json(Double.class)),
				doubles, 3L))
			.contains("{\"key\":1,\"value\":-0.0}", "{\"key\":2,\"value\":1.0E300}");
	}

	@Test
	void javaAndCustomCodecValuesShouldStayTheirStoredBytesMarkedAsSuch() throws IOException {
		Order order = new Order("o1", new BigDecimal("1.10"), 1L << 60, new ArrayList<>(List.of("a")));
		List<String> java = roundTrip(DictSpec.of("java", String.class, Order.class), Map.of("o1", order), "o1");
		assertThat(MAPPER.readTree(java.get(0)).get("stored").isString()).isTrue();
		assertThat(MAPPER.readTree(java.get(0)).has("value")).isFalse();
		Codec<String> reversed = new Codec<>() {

			@Override
			public byte[] encode(String value) {
				return new StringBuilder(value).reverse().toString().getBytes(StandardCharsets.UTF_8);
			}

			@Override
			public String decode(byte[] bytes) {
				return new StringBuilder(new String(bytes, StandardCharsets.UTF_8)).reverse().toString();
			}

			@Override
			public String id() {
				return "reversed";
			}

		};
		List<String> custom = roundTrip(DictSpec.of("custom", String.class, String.class).withCodec(reversed),
				Map.of("k", "olleh"), "k");
		assertThat(custom).singleElement()
			.satisfies((line) -> assertThat(line).startsWith("{\"key\":\"k\",\"stored\":\"AGhlbGxv\""));
	}

	@Test
	void aPrettyPrintedExportShouldImport() throws IOException {
		Path export = this.dir.resolve("strings.jsonl");
		Map<String, String> entries = Map.of("a", "x \"y\"\n", "b\u0001", "\uD83D\uDE00");
		Map<Long, Double> doubles = Map.of((1L << 53) + 1, -0.0, 2L, Double.NaN, 3L, 0.1);
		Path numbers = this.dir.resolve("numbers.jsonl");
		try (DictStore store = fresh()) {
			PersistentDict<String, String> dict = store.dict("s", String.class, String.class);
			dict.putAll(entries);
			dict.expire("a", Duration.ofHours(2));
			dict.exportTo(export);
			PersistentDict<Long, Double> numbered = store.dict("n", Long.class, Double.class);
			numbered.putAll(doubles);
			numbered.exportTo(numbers);
		}
		prettyPrint(export);
		prettyPrint(numbers);
		assertThat(Files.readString(export)).contains("\"key\" : \"a\",\n").contains("\n}");
		try (DictStore store = fresh()) {
			PersistentDict<String, String> dict = store.dict("s", String.class, String.class);
			assertThat(dict.importFrom(export)).isEqualTo(2);
			assertThat(dict).isEqualTo(entries);
			assertThat(dict.expiresAt("a")).contains(this.clock.instant().plus(Duration.ofHours(2)));
			PersistentDict<Long, Double> numbered = store.dict("n", Long.class, Double.class);
			assertThat(numbered.importFrom(numbers)).isEqualTo(3);
			assertThat(numbered).isEqualTo(doubles);
		}
	}

	@Test
	void jqStyleOutputWithAnyWhitespaceAndTopLevelArraysShouldImport() throws IOException {
		// as jq prints: two spaces, ": ", one object after another; here with CRLF and
		// tabs too
		String jq = "{\r\n  \"key\": \"a\",\r\n  \"value\": \"x\",\r\n  \"expiresAt\": \"2026-01-01T02:00:00Z\"\r\n}\r\n"
				+ "{\n\t\"key\" :\t\"b\" ,\n\n\t\"value\"\n:\n\"y\"\n}   {\"key\":\"c\",\"value\":\"z\"}\n\n";
		String array = "[\n  {\"key\": \"d\", \"value\": \"w\"},\n  {\"key\": \"e\", \"value\": \"v\"}\n]\n";
		// jq 1.6 prints -0.0 as -0: it stays negative
		String minusZero = "{\"key\": 1, \"value\": -0}\n";
		Path file = this.dir.resolve("jq.json");
		Files.writeString(file, jq + array);
		Path numbers = this.dir.resolve("numbers.json");
		Files.writeString(numbers, minusZero);
		try (DictStore store = fresh()) {
			PersistentDict<String, String> dict = store.dict("s", String.class, String.class);
			assertThat(dict.importFrom(file)).isEqualTo(5);
			assertThat(dict).isEqualTo(Map.of("a", "x", "b", "y", "c", "z", "d", "w", "e", "v"));
			assertThat(dict.expiresAt("a")).contains(Instant.parse("2026-01-01T02:00:00Z"));
			PersistentDict<Long, Double> doubles = store.dict("n", Long.class, Double.class);
			assertThat(doubles.importFrom(numbers)).isOne();
			assertThat(Double.doubleToRawLongBits(doubles.get(1L))).isEqualTo(Double.doubleToRawLongBits(-0.0));
		}
	}

	@Test
	void filesOfTheFirstFormatShouldStillImportEveryCodec() throws IOException {
		this.clock.advance(Duration.ofDays(150));
		try (DictStore store = fresh()) {
			PersistentDict<String, String> strings = store.dict("strings", String.class, String.class);
			assertThat(strings.importFrom(legacy("strings.jsonl"))).as("the expired line is skipped").isEqualTo(6);
			assertThat(strings).containsEntry("plain", "value")
				.containsEntry("quote\"back\\slash/", "tab\tnew\nline\rreturn")
				.containsEntry("ctl\b\f\u0001\u001f", "\u0001\b\f\u007f")
				.containsEntry("emoji \uD83D\uDE00 \uD834\uDD1E", "\uD83D\uDE00 outside the BMP \uD834\uDD1E")
				.containsEntry("big", "abc".repeat(1000))
				.containsEntry("ttl", "expires in 2126")
				.doesNotContainKey("gone");
			assertThat(strings.expiresAt("ttl")).contains(CENTURY);
			PersistentDict<Long, Long> longs = store.dict("longs", Long.class, Long.class);
			assertThat(longs.importFrom(legacy("longs.jsonl"))).isEqualTo(5);
			assertThat(longs).containsEntry(1L, (1L << 53) + 1)
				.containsEntry((1L << 53) + 1, Long.MAX_VALUE)
				.containsEntry(Long.MIN_VALUE, -1L);
			assertThat(longs.expiresAt(Long.MIN_VALUE)).contains(CENTURY);
			PersistentDict<Long, Double> doubles = store.dict("doubles", Long.class, Double.class);
			assertThat(doubles.importFrom(legacy("doubles.jsonl"))).isEqualTo(7);
			assertThat(doubles).containsEntry(2L, Double.NaN)
				.containsEntry(3L, Double.POSITIVE_INFINITY)
				.containsEntry(5L, -0.0)
				.containsEntry(6L, Double.MIN_VALUE);
			PersistentDict<Integer, Integer> ints = store.dict("ints", Integer.class, Integer.class);
			assertThat(ints.importFrom(legacy("ints.jsonl"))).isEqualTo(2);
			assertThat(ints).containsEntry(Integer.MIN_VALUE, Integer.MAX_VALUE);
			PersistentDict<String, Boolean> booleans = store.dict("booleans", String.class, Boolean.class);
			assertThat(booleans.importFrom(legacy("booleans.jsonl"))).isEqualTo(2);
			assertThat(booleans).isEqualTo(Map.of("yes", true, "no", false));
			PersistentDict<UUID, byte[]> bytes = store.dict("bytes", UUID.class, byte[].class);
			assertThat(bytes.importFrom(legacy("bytes.jsonl"))).isEqualTo(2);
			assertThat(bytes.get(new UUID(0, 1))).containsExactly(0, 1, 2, -1, -128, 127);
			assertThat(bytes.get(new UUID(0, 2))).isEmpty();
			BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288419716939937510");
			PersistentDict<String, BigDecimal> json = store
				.dict(DictSpec.of("json", String.class, BigDecimal.class).withCodec(Codec.json(BigDecimal.class)));
			assertThat(json.importFrom(legacy("json.jsonl"))).isEqualTo(2);
			assertThat(json).isEqualTo(Map.of("pi", pi, "tiny", new BigDecimal("1E-400")));
			PersistentDict<String, BigDecimal> java = store.dict("java", String.class, BigDecimal.class);
			assertThat(java.importFrom(legacy("java.jsonl"))).isOne();
			assertThat(java.get("pi")).isEqualTo(pi);
			// and out again in the readable format
			Path again = this.dir.resolve("again.jsonl");
			strings.exportTo(again);
			assertThat(Files.readAllLines(again)).contains("{\"key\":\"plain\",\"value\":\"value\"}",
					"{\"key\":\"ttl\",\"value\":\"expires in 2126\",\"expiresAt\":\"2126-01-01T00:00:00Z\"}");
		}
	}

	/**
	 * Put the entries in a dict of a new store, the one of {@code expiring} with a TTL of
	 * an hour; export them, check the file, import it into a dict of the same spec in
	 * another new store, and check that it holds the same entries and expiry.
	 * @return the lines of the export
	 */
	private <K, V> List<String> roundTrip(DictSpec<K, V> spec, Map<K, V> entries, K expiring) throws IOException {
		Path export = this.dir.resolve(spec.name() + ".jsonl");
		try (DictStore store = fresh()) {
			PersistentDict<K, V> dict = store.dict(spec);
			dict.putAll(entries);
			dict.put(expiring, entries.get(expiring), Duration.ofHours(1));
			assertThat(dict.exportTo(export)).isEqualTo(entries.size());
		}
		List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
		assertThat(lines).hasSize(entries.size())
			.allSatisfy((line) -> assertThat(MAPPER.readTree(line).isObject()).as(line).isTrue());
		try (DictStore store = fresh()) {
			PersistentDict<K, V> copy = store.dict(spec);
			assertThat(copy.importFrom(export)).isEqualTo(entries.size());
			assertThat(copy).hasSize(entries.size());
			entries.forEach((key, value) -> {
				V imported = copy.get(key);
				if (value instanceof Double number) {
					// every bit, NaN payloads and the sign of zero included
					assertThat(Double.doubleToRawLongBits((Double) imported)).as("%s", key)
						.isEqualTo(Double.doubleToRawLongBits(number));
				}
				else {
					assertThat(imported).as("%s", key).isEqualTo(value);
				}
				assertThat(copy.expiresAt(key)).as("%s", key)
					.isEqualTo(key.equals(expiring) ? Optional.of(this.clock.instant().plus(Duration.ofHours(1)))
							: Optional.empty());
			});
		}
		return lines;
	}

	/**
	 * Rewrite a file as Jackson's pretty printer does, objects over several lines, with
	 * numbers as written (as jq 1.7 keeps them).
	 */
	private static void prettyPrint(Path file) throws IOException {
		ByteArrayOutputStream pretty = new ByteArrayOutputStream();
		try (JsonParser in = MAPPER.createParser(Files.readAllBytes(file));
				JsonGenerator out = MAPPER.writerWithDefaultPrettyPrinter().createGenerator(pretty)) {
			for (JsonToken token = in.nextToken(); token != null; token = in.nextToken()) {
				if (token.isNumeric()) {
					out.writeNumber(in.getString());
				}
				else {
					out.copyCurrentEvent(in);
				}
			}
		}
		Files.write(file, pretty.toByteArray());
	}

	private Path legacy(String name) throws IOException {
		Path file = this.dir.resolve("legacy-" + name);
		try (InputStream in = ExportContract.class.getResourceAsStream(LEGACY + name)) {
			assertThat(in).as(name).isNotNull();
			Files.copy(in, file);
		}
		return file;
	}

}
