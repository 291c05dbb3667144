package io.persistentdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Size-bounded dicts on the real PostgreSQL, through the store: the bound holds after
 * every write within the slack, the oldest go first, a value that cannot fit is refused,
 * a lowered bound drains, {@code LEAST_RECENTLY_USED} keeps the keys that are read, and
 * several writers on several connections and two stores evict without failing.
 */
class PostgresBoundsTests {

	private final PostgresFixture fixture = new PostgresFixture();

	private final MutableClock clock = MutableClock.atNow();

	@AfterEach
	void dropSchemas() {
		this.fixture.close();
	}

	private DictStore open(String name) {
		return this.fixture.open(name, StoreOptions.builder().clock(this.clock).build());
	}

	private static String key(int i) {
		return String.format("key:%06d", i);
	}

	@Test
	void maximumSizeShouldHoldAfterEveryWriteAndEvictTheOldestFirst() {
		try (DictStore store = open("size")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("recent", String.class, String.class).withMaximumSize(200));
			// min(1000, 200 / 100)
			long slack = 2;
			for (int i = 0; i < 800; i++) {
				if (i % 3 == 0) {
					dict.set(key(i), "v" + i);
				}
				else {
					dict.put(key(i), "v" + i);
				}
				long size = dict.size();
				assertThat(size).as("after write %d", i).isLessThanOrEqualTo(200 + slack);
				if (i >= 200) {
					assertThat(size).as("never below the bound, after write %d", i).isGreaterThanOrEqualTo(200);
				}
			}
			long size = dict.size();
			assertThat(dict.stats().evictions()).isEqualTo(800 - size);
			for (int i = 0; i < 800; i++) {
				assertThat(dict.containsKey(key(i))).as(key(i)).isEqualTo(i >= 800 - size);
			}
		}
	}

	@Test
	void putAllOverTheBoundShouldKeepTheLastEntries() {
		try (DictStore store = open("bulk")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("bulk", String.class, String.class).withMaximumSize(300));
			Map<String, String> entries = new LinkedHashMap<>();
			for (int i = 0; i < 2000; i++) {
				entries.put(key(i), "v");
			}
			dict.putAll(entries);
			assertThat(dict.size()).isEqualTo(300);
			assertThat(dict.stats().evictions()).isEqualTo(1700);
		}
	}

	@Test
	void maximumBytesShouldHoldAndAValueThatCannotFitShouldBeRefused() {
		try (DictStore store = open("bytes")) {
			long max = 50_000;
			PersistentDict<String, byte[]> dict = store
				.dict(DictSpec.of("blobs", String.class, byte[].class).withMaximumBytes(max));
			Random random = new Random(42);
			for (int i = 0; i < 400; i++) {
				byte[] value = new byte[random.nextInt(1500)];
				random.nextBytes(value);
				dict.set(key(i), value);
				assertThat(dict.stats().bytes()).as("after write %d", i).isLessThanOrEqualTo(max + max / 100);
			}
			assertThat(dict.stats().evictions()).isGreaterThan(100);
			long before = dict.size();
			byte[] huge = new byte[60_000];
			random.nextBytes(huge);
			assertThatIllegalArgumentException().isThrownBy(() -> dict.put("huge", huge))
				.withMessageContaining("map:blobs");
			assertThat(dict.size()).isEqualTo(before);
			assertThat(dict.containsKey("huge")).isFalse();
		}
	}

	@Test
	void expiredEntriesShouldGoBeforeLiveOnes() {
		try (DictStore store = open("expired")) {
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
			assertThat(dict.size()).isEqualTo(100);
			assertThat(dict.stats().evictions()).isZero();
			assertThat(dict.containsKey("old0")).isTrue();
		}
	}

	@Test
	void aLoweredBoundShouldDrainAndSweepShouldFinishIt() {
		try (DictStore store = open("lowered")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("shrinking", String.class, String.class).withMaximumSize(10_000));
			Map<String, String> entries = new LinkedHashMap<>();
			for (int i = 0; i < 3000; i++) {
				entries.put(key(i), "v");
			}
			dict.putAll(entries);
			assertThat(dict.size()).isEqualTo(3000);
		}
		try (DictStore store = open("lowered")) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("shrinking", String.class, String.class).withMaximumSize(500));
			store.sweep();
			assertThat(dict.size()).isEqualTo(500);
			assertThat(dict.containsKey(key(2999))).isTrue();
			assertThat(dict.containsKey(key(2499))).isFalse();
		}
	}

	@Test
	void leastRecentlyUsedShouldKeepTheKeysThatAreReadNearCacheHitsIncluded() {
		assertThat(survivorsOfReadKeys("lru", EvictionPolicy.LEAST_RECENTLY_USED, 0)).isEqualTo(50);
		assertThat(survivorsOfReadKeys("lrs", EvictionPolicy.LEAST_RECENTLY_STORED, 0)).isZero();
		assertThat(survivorsOfReadKeys("near", EvictionPolicy.LEAST_RECENTLY_USED, 200)).isEqualTo(50);
	}

	/**
	 * Fill a dict of 300 to its bound, then write 1500 more keys while reading the first
	 * 50 after every 30 writes.
	 */
	private int survivorsOfReadKeys(String name, EvictionPolicy policy, int nearCache) {
		try (DictStore store = open(name)) {
			PersistentDict<String, String> dict = store.dict(DictSpec.of("lru", String.class, String.class)
				.withMaximumSize(300)
				.withEviction(policy)
				.withNearCache(nearCache));
			for (int i = 0; i < 300; i++) {
				dict.set(key(i), "v");
			}
			for (int i = 300; i < 1800; i++) {
				dict.set(key(i), "v");
				if (i % 30 == 0) {
					for (int k = 0; k < 50; k++) {
						dict.get(key(k));
					}
				}
			}
			assertThat(dict.size()).isLessThanOrEqualTo(303);
			int survivors = 0;
			for (int k = 0; k < 50; k++) {
				survivors += dict.containsKey(key(k)) ? 1 : 0;
			}
			return survivors;
		}
	}

	@Test
	void writersOnSeveralConnectionsAndTwoStoresShouldKeepTheBoundWithoutFailing() throws Exception {
		try (DictStore first = open("shared"); DictStore second = open("shared")) {
			List<PersistentDict<String, String>> dicts = List.of(
					first.dict(DictSpec.of("shared", String.class, String.class).withMaximumSize(200)),
					second.dict(DictSpec.of("shared", String.class, String.class).withMaximumSize(200)));
			ExecutorService pool = Executors.newFixedThreadPool(6);
			try {
				List<Future<?>> done = new ArrayList<>();
				for (int t = 0; t < 6; t++) {
					PersistentDict<String, String> dict = dicts.get(t % 2);
					int thread = t;
					done.add(pool.submit(() -> {
						for (int i = 0; i < 200; i++) {
							String key = "t" + thread + ":" + i;
							switch (i % 3) {
								case 0 -> dict.set(key, "v");
								case 1 -> dict.put(key, "v");
								default -> dict.merge(key, "v", String::concat);
							}
						}
						return null;
					}));
				}
				for (Future<?> f : done) {
					// any failure, a serialization failure or deadlock included, fails
					// here
					f.get();
				}
			}
			finally {
				pool.shutdown();
			}
			long size = dicts.get(0).size();
			assertThat(size).isBetween(200L, 200L + 2 + 6);
			assertThat(dicts.get(0).stats().evictions() + dicts.get(1).stats().evictions()).isEqualTo(1200 - size);
			// the next checked write of either brings it within the slack (a set may
			// skip the check while its own store has headroom left: each store may add
			// its own slack, as the README says)
			dicts.get(1).put("last", "v");
			assertThat(dicts.get(0).size()).isBetween(200, 202);
		}
	}

}
