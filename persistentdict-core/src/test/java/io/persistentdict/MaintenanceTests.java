package io.persistentdict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.persistentdict.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaintenanceTests {

	@TempDir
	Path dir;

	private static Map<String, byte[]> entries(int count, int size) {
		Map<String, byte[]> map = new HashMap<>();
		for (int i = 0; i < count; i++) {
			byte[] value = new byte[size];
			new java.util.Random(i).nextBytes(value);
			map.put(String.format("key:%08d", i), value);
		}
		return map;
	}

	@Test
	void sweepThenIncrementalVacuumShouldShrinkTheFile() throws Exception {
		MutableClock clock = MutableClock.atNow();
		Path file = this.dir.resolve("shrink.db");
		try (DictStore store = DictStore.open(file, StoreOptions.builder().clock(clock).build())) {
			PersistentDict<String, byte[]> dict = store.dict("blobs", String.class, byte[].class);
			dict.putAll(entries(5000, 1000), Duration.ofMinutes(1));
			dict.putAll(Map.of("keep", new byte[10]));
			store.checkpoint();
			long before = Files.size(file);
			clock.advance(Duration.ofMinutes(2));
			assertThat(store.sweep()).isEqualTo(5000);
			store.checkpoint();
			// deleting alone never shrinks the file
			assertThat(Files.size(file)).isGreaterThanOrEqualTo(before);
			assertThat(store.incrementalVacuum(0)).isGreaterThan(1000);
			long after = Files.size(file);
			assertThat(after).isLessThan(before / 10);
			assertThat(dict.get("keep")).hasSize(10);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			assertThat(store.stats().lastMaintenance().lastSweepDeleted()).isEqualTo(5000);
		}
	}

	@Test
	void storeSweepShouldCoverEveryLayoutInBatches() {
		MutableClock clock = MutableClock.atNow();
		try (DictStore store = DictStore.open(this.dir.resolve("layouts.db"),
				StoreOptions.builder().clock(clock).build())) {
			PersistentDict<String, Long> compact = store
				.dict(DictSpec.of("compact", String.class, Long.class).withLayout(Layout.COMPACT));
			PersistentDict<String, Long> rowid = store
				.dict(DictSpec.of("rowid", String.class, Long.class).withLayout(Layout.ROWID));
			Map<String, Long> data = new HashMap<>();
			for (long i = 0; i < 4500; i++) {
				data.put("k" + i, i);
			}
			compact.putAll(data, Duration.ofMinutes(1));
			rowid.putAll(data, Duration.ofMinutes(1));
			compact.put("keep", 1L);
			rowid.put("keep", 1L);
			clock.advance(Duration.ofMinutes(2));
			assertThat(store.sweep()).isEqualTo(9000);
			assertThat(compact).containsOnlyKeys("keep");
			assertThat(rowid).containsOnlyKeys("keep");
			assertThat(store.stats().dicts().get("map:rowid").entries()).isEqualTo(1);
		}
	}

	@Test
	void fullVacuumShouldShrinkTheFile() throws Exception {
		Path file = this.dir.resolve("full.db");
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, byte[]> dict = store.dict("blobs", String.class, byte[].class);
			Map<String, byte[]> data = entries(3000, 1000);
			dict.putAll(data);
			store.checkpoint();
			long before = Files.size(file);
			dict.removeAll(data.keySet());
			store.vacuum();
			assertThat(Files.size(file)).isLessThan(before / 10);
		}
	}

	@Test
	void vacuumIfDueShouldRunOncePerIntervalAcrossHandles() {
		MutableClock clock = MutableClock.atNow();
		Path file = this.dir.resolve("due.db");
		StoreOptions options = StoreOptions.builder().clock(clock).build();
		try (DictStore first = DictStore.open(file, options); DictStore second = DictStore.open(file, options)) {
			assertThat(first.vacuumIfDue(Duration.ofHours(24))).isTrue();
			assertThat(second.vacuumIfDue(Duration.ofHours(24))).isFalse();
			clock.advance(Duration.ofHours(25));
			assertThat(second.vacuumIfDue(Duration.ofHours(24))).isTrue();
			assertThat(first.vacuumIfDue(Duration.ofHours(24))).isFalse();
		}
	}

	@Test
	void aDueVacuumShouldFreeTheSweptPagesAndShrinkTheFile() throws Exception {
		MutableClock clock = MutableClock.atNow();
		Path file = this.dir.resolve("due-shrink.db");
		try (DictStore store = DictStore.open(file, StoreOptions.builder().clock(clock).build())) {
			PersistentDict<String, byte[]> dict = store.dict("blobs", String.class, byte[].class);
			dict.putAll(entries(2000, 1000), Duration.ofMinutes(1));
			store.checkpoint();
			long before = Files.size(file);
			clock.advance(Duration.ofMinutes(2));
			assertThat(store.sweep()).isEqualTo(2000);
			assertThat(store.vacuumIfDue(Duration.ofHours(1))).isTrue();
			assertThat(Files.size(file)).isLessThan(before / 4);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			assertThat(store.stats().lastMaintenance().lastVacuum()).isNotNull();
		}
	}

	@Test
	void backupShouldCopyALiveStoreToAnOwnerOnlyFile() throws Exception {
		Path file = this.dir.resolve("live.db");
		Path backup = this.dir.resolve("backups/live-copy.db");
		try (DictStore store = DictStore.open(file)) {
			store.dict("d", String.class, String.class).put("k", "v");
			store.backupTo(backup);
			assertThatThrownBy(() -> store.backupTo(backup)).hasMessageContaining("already exists");
		}
		assertThat(Files.getPosixFilePermissions(backup)).containsExactlyInAnyOrder(
				java.nio.file.attribute.PosixFilePermission.OWNER_READ,
				java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
		try (DictStore copy = DictStore.open(backup)) {
			assertThat(copy.dict("d", String.class, String.class).get("k")).isEqualTo("v");
		}
	}

	@Test
	void exportThenImportShouldRoundTripKeysValuesAndExpiry() {
		MutableClock clock = MutableClock.atNow();
		Path export = this.dir.resolve("export.jsonl");
		StoreOptions options = StoreOptions.builder().clock(clock).build();
		try (DictStore store = DictStore.open(this.dir.resolve("src.db"), options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("plain", "value");
			dict.put("quote\"and\\slash\nnewline", "x", Duration.ofHours(1));
			dict.put("gone", "soon", Duration.ofSeconds(1));
			clock.advance(Duration.ofSeconds(2));
			assertThat(dict.exportTo(export)).isEqualTo(2);
		}
		try (DictStore store = DictStore.open(this.dir.resolve("dst.db"), options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThat(dict.importFrom(export)).isEqualTo(2);
			assertThat(dict).containsOnlyKeys("plain", "quote\"and\\slash\nnewline");
			assertThat(dict.expiresAt("quote\"and\\slash\nnewline")).isPresent();
			assertThat(dict.expiresAt("plain")).isEmpty();
		}
	}

	@Test
	void importShouldKeepEachLinesExpiryAndLetTheLastLineForAKeyWin() throws Exception {
		// 140 lines, more than four chunks of Table.UPSERT_ROWS: the first 40 keys twice
		// in a row (both lines in one chunk), the other 30 twice far apart (in different
		// chunks); the second line of each key has a new value and its own expiry
		MutableClock clock = MutableClock.atNow();
		StoreOptions options = StoreOptions.builder().clock(clock).build();
		Path first = this.dir.resolve("first.jsonl");
		Path second = this.dir.resolve("second.jsonl");
		try (DictStore store = DictStore.open(this.dir.resolve("src.db"), options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			for (int i = 0; i < 70; i++) {
				dict.put(String.format("k%02d", i), "v1", Duration.ofMinutes(i + 1));
			}
			assertThat(dict.exportTo(first)).isEqualTo(70);
			for (int i = 0; i < 70; i++) {
				String key = String.format("k%02d", i);
				if (i == 7) {
					dict.put(key, "v2");
				}
				else {
					dict.put(key, "v2", Duration.ofMinutes(100 + i));
				}
			}
			assertThat(dict.exportTo(second)).isEqualTo(70);
		}
		List<String> older = Files.readAllLines(first);
		List<String> newer = Files.readAllLines(second);
		List<String> lines = new java.util.ArrayList<>();
		for (int i = 0; i < 40; i++) {
			lines.add(older.get(i));
			lines.add(newer.get(i));
		}
		lines.addAll(older.subList(40, 70));
		lines.addAll(newer.subList(40, 70));
		Path combined = this.dir.resolve("combined.jsonl");
		Files.write(combined, lines);
		try (DictStore store = DictStore.open(this.dir.resolve("dst.db"), options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThat(dict.importFrom(combined)).isEqualTo(140);
			assertThat(dict).hasSize(70);
			for (int i = 0; i < 70; i++) {
				String key = String.format("k%02d", i);
				assertThat(dict.get(key)).as(key).isEqualTo("v2");
				if (i == 7) {
					assertThat(dict.expiresAt(key)).as(key).isEmpty();
				}
				else {
					Duration ttl = Duration.ofMinutes(100 + i);
					assertThat(dict.expiresAt(key)).as(key)
						.hasValueSatisfying((at) -> assertThat(Duration.between(clock.instant(), at))
							.isBetween(ttl.minusSeconds(1), ttl));
				}
			}
		}
	}

	@Test
	void importShouldRefuseAFileFromADictWithOtherKeyOrValueTypesAndImportNothing() {
		Path strings = this.dir.resolve("strings.jsonl");
		Path bigLongs = this.dir.resolve("longs.jsonl");
		try (DictStore store = DictStore.open(this.dir.resolve("src.db"))) {
			PersistentDict<String, String> dict = store.dict("s", String.class, String.class);
			dict.put("a", "text");
			assertThat(dict.exportTo(strings)).isEqualTo(1);
			PersistentDict<Long, String> longs = store.dict("l", Long.class, String.class);
			longs.put(1L, "small");
			longs.put(1L << 40, "too big for an int");
			assertThat(longs.exportTo(bigLongs)).isEqualTo(2);
		}
		try (DictStore store = DictStore.open(this.dir.resolve("dst.db"))) {
			PersistentDict<Long, String> longKeys = store.dict("l", Long.class, String.class);
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> longKeys.importFrom(strings))
				.withMessageContaining("strings.jsonl")
				.withMessageContaining("line 1")
				.withMessageContaining("not a Long key")
				.withMessageContaining("Nothing was imported");
			PersistentDict<String, Integer> intValues = store.dict("i", String.class, Integer.class);
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> intValues.importFrom(strings))
				.withMessageContaining("its value is a string, but this dict holds Integer values");
			PersistentDict<Integer, String> intKeys = store.dict("n", Integer.class, String.class);
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> intKeys.importFrom(bigLongs))
				.withMessageContaining("line 2")
				.withMessageContaining("not a Integer key");
			assertThat(longKeys).isEmpty();
			assertThat(intValues).isEmpty();
			assertThat(intKeys).isEmpty();
			assertThat(store.dict("copy", Long.class, String.class).importFrom(bigLongs)).isEqualTo(2);
		}
	}

	@Test
	void changingTheCodecShouldStillReadOldRows() {
		Path file = this.dir.resolve("codec.db");
		try (DictStore store = DictStore.open(file)) {
			store.dict(DictSpec.of("d", String.class, String.class).withCodec(Codec.java(String.class)))
				.put("old", "written with java");
		}
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("d", String.class, String.class).withCodec(Codec.string()));
			dict.put("new", "written as utf-8");
			assertThat(dict.get("old")).isEqualTo("written with java");
			assertThat(dict.get("new")).isEqualTo("written as utf-8");
		}
	}

	@Test
	void compressionShouldStoreLargeValuesSmallerAndReadThemBack() {
		Path file = this.dir.resolve("compress.db");
		String big = "a fairly repetitive value ".repeat(2000);
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, String> compressed = store
				.dict(DictSpec.of("c", String.class, String.class).withCompressionThreshold(100));
			PersistentDict<String, String> raw = store
				.dict(DictSpec.of("r", String.class, String.class).withCompressionThreshold(-1));
			compressed.put("k", big);
			raw.put("k", big);
			assertThat(compressed.get("k")).isEqualTo(big);
			store.checkpoint();
		}
		assertThat(storedLength(file, "map:c")).isLessThan(storedLength(file, "map:r") / 20);
	}

	@Test
	void incompressibleValuesShouldBeStoredAsTheyAre() {
		Path file = this.dir.resolve("random.db");
		byte[] random = new byte[4096];
		new java.util.Random(7).nextBytes(random);
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, byte[]> dict = store.dict("c", String.class, byte[].class);
			dict.put("k", random);
			assertThat(dict.get("k")).isEqualTo(random);
			store.checkpoint();
		}
		// the payload and the one header byte: deflating was tried and given up
		assertThat(storedLength(file, "map:c")).isEqualTo(4097);
	}

	private static long storedLength(Path file, String table) {
		try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
				var statement = connection.createStatement();
				// a SPLIT table (the default for these values) keeps large ones aside
				var rs = statement.executeQuery("SELECT length(COALESCE(v, (SELECT b FROM \"" + table
						+ "#v\" WHERE id = p))) FROM \"" + table + "\"")) {
			rs.next();
			return rs.getLong(1);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void restampAllShouldApplyANewDefaultTtlToExistingEntries() {
		MutableClock clock = MutableClock.atNow();
		Path file = this.dir.resolve("restamp.db");
		StoreOptions options = StoreOptions.builder().clock(clock).build();
		try (DictStore store = DictStore.open(file, options)) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("d", String.class, String.class).withTtl(Duration.ofHours(1)));
			dict.put("a", "1");
			dict.put("b", "2");
		}
		try (DictStore store = DictStore.open(file, options)) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("d", String.class, String.class).withTtl(Duration.ofMinutes(5)));
			assertThat(dict.expiresAt("a")).contains(clock.instant().plus(Duration.ofHours(1)));
			assertThat(dict.restampAll()).isEqualTo(2);
			clock.advance(Duration.ofMinutes(6));
			assertThat(dict).isEmpty();
		}
	}

	@Test
	void slidingExpiryShouldExtendEntriesThatAreRead() throws Exception {
		MutableClock clock = MutableClock.atNow();
		try (DictStore store = DictStore.open(this.dir.resolve("sliding.db"),
				StoreOptions.builder().clock(clock).build())) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("s", String.class, String.class).withTtl(Duration.ofMinutes(10)).withSliding(true));
			dict.put("read", "r");
			dict.put("unread", "u");
			clock.advance(Duration.ofMinutes(4));
			assertThat(dict.get("read")).isEqualTo("r");
			// more than half the TTL remains: no refresh
			assertThat(dict.expiresAt("read")).contains(clock.instant().plus(Duration.ofMinutes(6)));
			clock.advance(Duration.ofMinutes(2));
			assertThat(dict.get("read")).isEqualTo("r");
			// the refresh is queued, then written with the next write
			dict.put("other", "o");
			assertThat(dict.expiresAt("read")).contains(clock.instant().plus(Duration.ofMinutes(10)));
			clock.advance(Duration.ofMinutes(5));
			assertThat(dict.get("read")).isEqualTo("r");
			assertThat(dict.get("unread")).isNull();
		}
	}

	@Test
	void aWriteOrExpiryChangeAfterAReadShouldWinOverTheQueuedSlidingRefresh() {
		MutableClock clock = MutableClock.atNow();
		try (DictStore store = DictStore.open(this.dir.resolve("sliding-wins.db"),
				StoreOptions.builder().clock(clock).build())) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("s", String.class, String.class).withTtl(Duration.ofMinutes(10)).withSliding(true));
			dict.put("persisted", "p");
			dict.put("longer", "l");
			dict.put("rewritten", "r");
			dict.put("refreshed", "f");
			clock.advance(Duration.ofMinutes(6));
			// each read queues a refresh to now + 10 minutes
			for (String key : List.of("persisted", "longer", "rewritten", "refreshed")) {
				assertThat(dict.get(key)).isNotNull();
			}
			// each write below commits the queued refreshes with it
			assertThat(dict.persist("persisted")).isTrue();
			assertThat(dict.expire("longer", Duration.ofDays(7))).isTrue();
			dict.put("rewritten", "r2", Duration.ofMinutes(1));
			assertThat(dict.expiresAt("persisted")).isEmpty();
			assertThat(dict.expiresAt("longer")).contains(clock.instant().plus(Duration.ofDays(7)));
			assertThat(dict.expiresAt("rewritten")).contains(clock.instant().plus(Duration.ofMinutes(1)));
			assertThat(dict.expiresAt("refreshed")).contains(clock.instant().plus(Duration.ofMinutes(10)));
		}
	}

	@Test
	void aSlidingRefreshShouldNotReviveAnEntryThatExpiredBeforeItWasWritten() {
		MutableClock clock = MutableClock.atNow();
		try (DictStore store = DictStore.open(this.dir.resolve("sliding-late.db"),
				StoreOptions.builder().clock(clock).build())) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("s", String.class, String.class).withTtl(Duration.ofMinutes(10)).withSliding(true));
			dict.put("k", "v");
			clock.advance(Duration.ofMinutes(9));
			assertThat(dict.get("k")).isEqualTo("v");
			clock.advance(Duration.ofMinutes(2));
			dict.put("other", "o");
			assertThat(dict.get("k")).isNull();
		}
	}

}
