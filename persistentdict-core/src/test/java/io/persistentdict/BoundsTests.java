package io.persistentdict;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Size-bounded dicts on real SQLite files: the bound holds after every write, within the
 * stated slack ({@code min(1000, maximumSize / 100)} entries, 1% of
 * {@code maximumBytes}), eviction never goes below the bound, expired entries go first, a
 * value that cannot fit is refused, a lowered bound drains, and
 * {@code LEAST_RECENTLY_USED} keeps the keys that are read, near-cache hits included.
 */
class BoundsTests {

	@TempDir
	Path dir;

	private final MutableClock clock = MutableClock.atNow();

	private DictStore open(String file) {
		return DictStore.open(this.dir.resolve(file), StoreOptions.builder().clock(this.clock).build());
	}

	private static String key(int i) {
		return String.format("key:%06d", i);
	}

	@Test
	void maximumSizeShouldHoldAfterEveryWriteAndEvictTheOldestFirst() {
		try (DictStore store = open("size.db")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("recent", String.class, String.class).withMaximumSize(1000));
			long slack = 10;
			for (int i = 0; i < 5000; i++) {
				if (i % 3 == 0) {
					dict.set(key(i), "v" + i);
				}
				else {
					dict.put(key(i), "v" + i);
				}
				long size = dict.size();
				assertThat(size).as("after write %d", i).isLessThanOrEqualTo(1000 + slack);
				if (i >= 1000) {
					assertThat(size).as("never below the bound, after write %d", i).isGreaterThanOrEqualTo(1000);
				}
			}
			long size = dict.size();
			DictStats stats = dict.stats();
			assertThat(stats.evictions()).isEqualTo(5000 - size);
			assertThat(stats.entries()).isEqualTo(size);
			// least recently stored: exactly the newest survive
			for (int i = 0; i < 5000; i++) {
				assertThat(dict.containsKey(key(i))).as(key(i)).isEqualTo(i >= 5000 - size);
			}
		}
	}

	/**
	 * A large bound's slack is 1% of it (here 200 entries), and never more than one
	 * eviction statement's 1,000: the dict goes past the bound by up to the slack, and
	 * the write that takes it further evicts down to the bound exactly.
	 */
	@Test
	void largeBoundShouldHoldWithinOnePercentAndTheSlackShouldStopAtOneThousand() {
		assertThat(Bounds.slack(20_000)).isEqualTo(200);
		assertThat(Bounds.slack(100_000)).isEqualTo(1000);
		assertThat(Bounds.slack(10_000_000)).isEqualTo(1000);
		assertThat(Bounds.slack(99)).isZero();
		try (DictStore store = open("large.db")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("large", String.class, String.class).withMaximumSize(20_000));
			Map<String, String> first = new LinkedHashMap<>();
			for (int i = 0; i < 20_000; i++) {
				first.put(key(i), "v");
			}
			dict.putAll(first);
			long largest = 0;
			for (int i = 20_000; i < 21_000; i++) {
				dict.set(key(i), "v");
				long size = dict.size();
				assertThat(size).as("after write %d", i).isBetween(20_000L, 20_200L);
				largest = Math.max(largest, size);
			}
			assertThat(largest).as("the slack is used before a write evicts").isEqualTo(20_200);
			assertThat(dict.stats().evictions()).isEqualTo(21_000 - dict.size());
			assertThat(dict.containsKey(key(0))).isFalse();
			assertThat(dict.containsKey(key(20_999))).isTrue();
		}
	}

	@Test
	void aRewrittenKeyShouldCountAsRecentlyStored() {
		try (DictStore store = open("rewrite.db")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("rewrite", String.class, String.class).withMaximumSize(50));
			for (int i = 0; i < 50; i++) {
				dict.put(key(i), "v");
			}
			dict.put(key(0), "written again");
			dict.put("new", "v");
			assertThat(dict.size()).isEqualTo(50);
			assertThat(dict.get(key(0))).isEqualTo("written again");
			assertThat(dict.containsKey(key(1))).isFalse();
		}
	}

	@Test
	void putAllOverTheBoundShouldKeepTheLastEntriesWithinTheBound() {
		try (DictStore store = open("bulk.db")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("bulk", String.class, String.class).withMaximumSize(500));
			Map<String, String> entries = new LinkedHashMap<>();
			for (int i = 0; i < 3000; i++) {
				entries.put(key(i), "v");
			}
			dict.putAll(entries);
			assertThat(dict.size()).isEqualTo(500);
			assertThat(dict.stats().evictions()).isEqualTo(2500);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
	}

	@Test
	void maximumBytesShouldHoldAfterEveryWrite() {
		try (DictStore store = open("bytes.db")) {
			long max = 100_000;
			PersistentDict<String, byte[]> dict = store
				.dict(DictSpec.of("blobs", String.class, byte[].class).withMaximumBytes(max));
			java.util.Random random = new java.util.Random(42);
			for (int i = 0; i < 2000; i++) {
				dict.set(key(i), new byte[random.nextInt(2000)]);
				assertThat(dict.stats().bytes()).as("after write %d", i).isLessThanOrEqualTo(max + max / 100);
			}
			assertThat(dict.stats().bytes()).isGreaterThan(max - 2100);
			assertThat(dict.stats().evictions()).isGreaterThan(1000);
		}
	}

	@Test
	void aBoundedSplitDictShouldEvictItsSideRowsAndHoldTheBytesBoundWithLargeValues() throws SQLException {
		Path file = this.dir.resolve("split.db");
		long max = 200_000;
		try (DictStore store = DictStore.open(file, StoreOptions.builder().clock(this.clock).build())) {
			PersistentDict<String, byte[]> dict = store.dict(DictSpec.of("split", String.class, byte[].class)
				.withLayout(Layout.SPLIT)
				.withCompressionThreshold(-1)
				.withMaximumBytes(max));
			java.util.Random random = new java.util.Random(7);
			for (int i = 0; i < 1500; i++) {
				// values on both sides of the 200-byte inline limit, some rewritten
				int length = (i % 4 == 0) ? random.nextInt(200) : 200 + random.nextInt(3000);
				String key = key((i % 5 == 0) ? i / 2 : i);
				dict.set(key, new byte[length]);
				assertThat(dict.stats().bytes()).as("after write %d", i).isLessThanOrEqualTo(max + max / 100);
			}
			assertThat(dict.stats().evictions()).isGreaterThan(500);
			assertThat(sideRows(file)).as("large values are in the side table").isGreaterThan(50);
			assertThat(dict.stats().bytes()).isEqualTo(storedBytes(file));
			assertThat(orphans(file)).isZero();
			dict.put("ttl", new byte[5000], Duration.ofMinutes(1));
			this.clock.advance(Duration.ofMinutes(2));
			assertThat(dict.sweep()).isEqualTo(1);
			assertThat(orphans(file)).isZero();
			assertThat(dict.stats().bytes()).isEqualTo(storedBytes(file));
			dict.clear();
			assertThat(sideRows(file)).isZero();
			assertThat(dict.stats().bytes()).isZero();
		}
	}

	private static long query(Path file, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static long orphans(Path file) throws SQLException {
		return query(file, "SELECT COUNT(*) FROM \"map:split#v\" WHERE id NOT IN"
				+ " (SELECT p FROM \"map:split\" WHERE p IS NOT NULL)");
	}

	private static long sideRows(Path file) throws SQLException {
		return query(file, "SELECT COUNT(*) FROM \"map:split#v\"");
	}

	/** Key and value bytes of every row, each value read where it is, inline or aside. */
	private static long storedBytes(Path file) throws SQLException {
		return query(file, "SELECT coalesce(sum(octet_length(k) + length(coalesce(v,"
				+ " (SELECT b FROM \"map:split#v\" WHERE id = p)))), 0) FROM \"map:split\"");
	}

	@Test
	void bothBoundsShouldApply() {
		try (DictStore store = open("both.db")) {
			PersistentDict<String, byte[]> dict = store
				.dict(DictSpec.of("both", String.class, byte[].class).withMaximumSize(200).withMaximumBytes(20_000));
			for (int i = 0; i < 1000; i++) {
				// small values: the count binds
				dict.set(key(i), new byte[10]);
			}
			assertThat(dict.size()).isBetween(200, 202);
			for (int i = 0; i < 1000; i++) {
				// large values: the bytes bind
				dict.set("big" + i, new byte[1000]);
				assertThat(dict.stats().bytes()).isLessThanOrEqualTo(20_200);
				assertThat(dict.size()).isLessThanOrEqualTo(202);
			}
			assertThat(dict.size()).isLessThan(25);
		}
	}

	@Test
	void aValueLargerThanMaximumBytesShouldBeRefusedAndTheDictLeftAlone() {
		try (DictStore store = open("oversize.db")) {
			PersistentDict<String, byte[]> dict = store
				.dict(DictSpec.of("thumbs", String.class, byte[].class).withMaximumBytes(1000));
			dict.put("a", new byte[100]);
			dict.put("b", new byte[100]);
			// random, so that compression cannot shrink it
			byte[] huge = new byte[2000];
			new java.util.Random(1).nextBytes(huge);
			assertThatIllegalArgumentException().isThrownBy(() -> dict.put("huge", huge))
				.withMessageContaining("dict 'map:thumbs'")
				.withMessageContaining("maximumBytes 1000")
				.withMessageContaining("nothing was written");
			assertThatIllegalArgumentException().isThrownBy(() -> dict.set("huge", huge));
			assertThatIllegalArgumentException().isThrownBy(() -> dict.putAll(Map.of("c", new byte[10], "huge", huge)));
			assertThatIllegalArgumentException().isThrownBy(() -> dict.compute("huge", (k, v) -> huge));
			assertThat(dict.keySet()).containsExactlyInAnyOrder("a", "b");
			assertThat(dict.stats().evictions()).isZero();
		}
	}

	@Test
	void aZeroOrNegativeBoundShouldBeRefusedNamingTheDict() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DictSpec.of("sized", String.class, String.class).withMaximumSize(0))
			.withMessageContaining("'sized'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DictSpec.of("sized", String.class, String.class).withMaximumBytes(-1))
			.withMessageContaining("'sized'");
	}

	@Test
	void expiredEntriesShouldGoBeforeLiveOnes() {
		try (DictStore store = open("expired.db")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("mixed", String.class, String.class).withMaximumSize(100));
			for (int i = 0; i < 50; i++) {
				dict.put("old" + i, "live");
			}
			for (int i = 0; i < 50; i++) {
				dict.put("ttl" + i, "short", Duration.ofMinutes(1));
			}
			this.clock.advance(Duration.ofMinutes(2));
			for (int i = 0; i < 50; i++) {
				dict.put("new" + i, "live");
			}
			// the expired rows made room: no live entry was evicted
			assertThat(dict.size()).isEqualTo(100);
			assertThat(dict.stats().evictions()).isZero();
			assertThat(dict.containsKey("old0")).isTrue();
		}
	}

	@Test
	void aLoweredBoundShouldDrainWithoutBlockingTheOpenAndSweepShouldFinishIt() {
		try (DictStore store = open("lowered.db")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("shrinking", String.class, String.class).withMaximumSize(10_000));
			Map<String, String> entries = new LinkedHashMap<>();
			for (int i = 0; i < 5000; i++) {
				entries.put(key(i), "v");
			}
			dict.putAll(entries);
			assertThat(dict.size()).isEqualTo(5000);
		}
		try (DictStore store = open("lowered.db")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("shrinking", String.class, String.class).withMaximumSize(1000));
			assertThat(dict.spec().maximumSize()).isEqualTo(1000);
			store.sweep();
			assertThat(dict.size()).isEqualTo(1000);
			assertThat(dict.stats().evictions()).isEqualTo(4000);
			// the newest were kept
			assertThat(dict.containsKey(key(4999))).isTrue();
			assertThat(dict.containsKey(key(3999))).isFalse();
			dict.put("more", "v");
			assertThat(dict.size()).isLessThanOrEqualTo(1010);
		}
	}

	@Test
	void leastRecentlyUsedShouldKeepTheKeysThatAreRead() {
		assertThat(survivorsOfReadKeys(EvictionPolicy.LEAST_RECENTLY_USED, 0)).isEqualTo(100);
		// the control: stored order forgets them
		assertThat(survivorsOfReadKeys(EvictionPolicy.LEAST_RECENTLY_STORED, 0)).isZero();
	}

	@Test
	void nearCacheHitsShouldProtectKeysUnderLeastRecentlyUsed() {
		assertThat(survivorsOfReadKeys(EvictionPolicy.LEAST_RECENTLY_USED, 500)).isEqualTo(100);
	}

	/**
	 * Fill a dict of 1000 to its bound, then write 5000 more keys (five times its bound)
	 * while reading the first 100 keys after every 50 writes.
	 * @return how many of the 100 read keys survive
	 */
	private int survivorsOfReadKeys(EvictionPolicy policy, int nearCache) {
		try (DictStore store = open("lru-" + policy + "-" + nearCache + ".db")) {
			PersistentDict<String, String> dict = store.dict(DictSpec.of("lru", String.class, String.class)
				.withMaximumSize(1000)
				.withEviction(policy)
				.withNearCache(nearCache));
			for (int i = 0; i < 1000; i++) {
				dict.set(key(i), "v");
			}
			for (int i = 1000; i < 6000; i++) {
				dict.set(key(i), "v");
				if (i % 50 == 0) {
					for (int k = 0; k < 100; k++) {
						dict.get(key(k));
					}
				}
			}
			if (nearCache > 0) {
				assertThat(dict.stats().nearHits()).isGreaterThan(0);
			}
			assertThat(dict.size()).isLessThanOrEqualTo(1010);
			int survivors = 0;
			for (int k = 0; k < 100; k++) {
				survivors += dict.containsKey(key(k)) ? 1 : 0;
			}
			return survivors;
		}
	}

	@Test
	void theBoundShouldHoldWithTwoStoresWritingOneFile() {
		try (DictStore first = open("two.db"); DictStore second = open("two.db")) {
			PersistentDict<String, String> one = first
				.dict(DictSpec.of("shared", String.class, String.class).withMaximumSize(300));
			PersistentDict<String, String> two = second
				.dict(DictSpec.of("shared", String.class, String.class).withMaximumSize(300));
			for (int i = 0; i < 1000; i++) {
				one.set("one" + i, "v");
				two.set("two" + i, "v");
				// each store keeps its own count of the room left: the slack is each
				// one's
				assertThat(one.size()).isLessThanOrEqualTo(306);
			}
			assertThat(two.size()).isBetween(300, 306);
			assertThat(one.stats().evictions() + two.stats().evictions()).isEqualTo(2000 - one.size());
		}
	}

	@Test
	void aDictBoundAtReopenShouldEvictItsUnstampedRowsFirstAndUnboundAgainKeepEverything() {
		try (DictStore store = open("rebound.db")) {
			PersistentDict<String, String> dict = store.dict("rebound", String.class, String.class);
			for (int i = 0; i < 300; i++) {
				dict.set(key(i), "v");
			}
		}
		try (DictStore store = open("rebound.db")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("rebound", String.class, String.class).withMaximumSize(200));
			store.sweep();
			assertThat(dict.size()).isEqualTo(200);
			for (int i = 300; i < 400; i++) {
				dict.set(key(i), "v");
			}
			assertThat(dict.size()).isBetween(200, 202);
			// the rows written before the bound went first, in their stored order (up to
			// the slack of 2)
			assertThat(dict.containsKey(key(100))).isFalse();
			assertThat(dict.containsKey(key(197))).isFalse();
			assertThat(dict.containsKey(key(250))).isTrue();
			assertThat(dict.containsKey(key(300))).isTrue();
			assertThat(dict.containsKey(key(399))).isTrue();
		}
		try (DictStore store = open("rebound.db")) {
			PersistentDict<String, String> dict = store.dict("rebound", String.class, String.class);
			int before = dict.size();
			for (int i = 400; i < 700; i++) {
				dict.set(key(i), "v");
			}
			assertThat(dict.size()).isEqualTo(before + 300);
			assertThat(dict.stats().evictions()).isZero();
		}
	}

	@Test
	void aReadOnlyStoreShouldReadABoundedDictWhateverItsSpecSays() {
		try (DictStore store = open("readonly.db")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("ro", String.class, String.class).withMaximumSize(100));
			for (int i = 0; i < 150; i++) {
				dict.set(key(i), "v");
			}
		}
		StoreOptions readOnly = StoreOptions.builder().clock(this.clock).openMode(OpenMode.READ_ONLY).build();
		try (DictStore store = DictStore.open(this.dir.resolve("readonly.db"), readOnly)) {
			PersistentDict<String, String> unbounded = store.dict("ro", String.class, String.class);
			PersistentDict<String, String> lower = store.dict(DictSpec.of("ro", String.class, String.class)
				.withMaximumSize(10)
				.withEviction(EvictionPolicy.LEAST_RECENTLY_USED));
			assertThat(unbounded.size()).isBetween(100, 101);
			assertThat(lower.get(key(149))).isEqualTo("v");
			assertThat(lower.size()).isEqualTo(unbounded.size());
		}
	}

	@Test
	void anUnboundedDictShouldKeepEverything() {
		try (DictStore store = open("unbounded.db")) {
			PersistentDict<String, String> dict = store.dict("plain", String.class, String.class);
			for (int i = 0; i < 3000; i++) {
				dict.set(key(i), "v");
			}
			assertThat(dict.size()).isEqualTo(3000);
			assertThat(dict.stats().evictions()).isZero();
		}
	}

}
