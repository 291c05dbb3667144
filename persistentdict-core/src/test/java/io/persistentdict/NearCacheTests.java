package io.persistentdict;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The near cache: it serves repeated reads, sees this store's writes at once, and sees
 * another store's (another process's) writes within the check interval. A second
 * {@link DictStore} on the same file has its own connections, exactly as another process
 * would.
 */
class NearCacheTests {

	@TempDir
	Path dir;

	private static DictSpec<String, String> spec() {
		return DictSpec.of("hot", String.class, String.class).withNearCache(1000);
	}

	@Test
	void nearCacheShouldServeRepeatedReadsUntilTheCheckIntervalPasses() {
		Path file = this.dir.resolve("served.db");
		StoreOptions slowCheck = StoreOptions.builder().nearCacheCheckInterval(Duration.ofHours(1)).build();
		try (DictStore reader = DictStore.open(file, slowCheck); DictStore writer = DictStore.open(file)) {
			PersistentDict<String, String> cached = reader.dict(spec());
			PersistentDict<String, String> other = writer.dict("hot", String.class, String.class);
			other.put("k", "v1");
			// the first read caches the row; the second is served from memory
			assertThat(cached.get("k")).isEqualTo("v1");
			assertThat(cached.get("k")).isEqualTo("v1");
			other.put("k", "v2");
			// within the (deliberately long) check interval, the cached copy is served
			assertThat(cached.get("k")).isEqualTo("v1");
			assertThat(cached.get("k")).isNotSameAs(cached.get("k"));
			// one read from SQLite, then four from the near cache (the last line reads
			// twice)
			DictStats stats = reader.stats().dicts().get("map:hot");
			assertThat(stats.hits()).isEqualTo(5);
			assertThat(stats.nearHits()).isEqualTo(4);
		}
	}

	@Test
	void writesByAnotherStoreShouldBeSeenOnceTheIntervalHasPassed() {
		Path file = this.dir.resolve("external.db");
		StoreOptions everyRead = StoreOptions.builder().nearCacheCheckInterval(Duration.ZERO).build();
		try (DictStore reader = DictStore.open(file, everyRead); DictStore writer = DictStore.open(file)) {
			PersistentDict<String, String> cached = reader.dict(spec());
			PersistentDict<String, String> other = writer.dict("hot", String.class, String.class);
			other.put("k", "v1");
			assertThat(cached.get("k")).isEqualTo("v1");
			other.put("k", "v2");
			assertThat(cached.get("k")).isEqualTo("v2");
			other.remove("k");
			assertThat(cached.get("k")).isNull();
		}
	}

	@Test
	void readOnlyStoreShouldAlsoNoticeExternalWrites() {
		Path file = this.dir.resolve("ro.db");
		try (DictStore writer = DictStore.open(file)) {
			PersistentDict<String, String> other = writer.dict("hot", String.class, String.class);
			other.put("k", "v1");
			try (DictStore reader = DictStore.open(file,
					StoreOptions.builder()
						.openMode(OpenMode.READ_ONLY)
						.nearCacheCheckInterval(Duration.ZERO)
						.build())) {
				PersistentDict<String, String> cached = reader.dict(spec());
				assertThat(cached.get("k")).isEqualTo("v1");
				other.put("k", "v2");
				assertThat(cached.get("k")).isEqualTo("v2");
			}
		}
	}

	@Test
	void ownWritesShouldBeSeenAtOnceWhateverTheInterval() {
		StoreOptions slowCheck = StoreOptions.builder().nearCacheCheckInterval(Duration.ofHours(1)).build();
		try (DictStore store = DictStore.open(this.dir.resolve("own.db"), slowCheck)) {
			PersistentDict<String, String> dict = store.dict(spec());
			PersistentDict<String, String> secondHandle = store.dict(spec());
			dict.put("k", "v1");
			assertThat(dict.get("k")).isEqualTo("v1");
			secondHandle.put("k", "v2");
			assertThat(dict.get("k")).isEqualTo("v2");
			dict.merge("k", "!", String::concat);
			assertThat(dict.get("k")).isEqualTo("v2!");
			dict.clear();
			assertThat(dict.get("k")).isNull();
		}
	}

	@Test
	void hotKeysShouldStayCachedWhileOneOffReadsPassThrough() {
		Path file = this.dir.resolve("clock.db");
		StoreOptions slowCheck = StoreOptions.builder().nearCacheCheckInterval(Duration.ofHours(1)).build();
		try (DictStore reader = DictStore.open(file, slowCheck); DictStore writer = DictStore.open(file)) {
			PersistentDict<String, String> cached = reader
				.dict(DictSpec.of("hot", String.class, String.class).withNearCache(100));
			PersistentDict<String, String> other = writer.dict("hot", String.class, String.class);
			for (int i = 0; i < 1000; i++) {
				other.put("k" + i, "v" + i);
			}
			// warm: the near cache has seen traffic, and the 20 hot keys have been read
			// five times each (Caffeine counts frequencies once the cache is half full)
			for (int i = 20; i < 80; i++) {
				cached.get("k" + i);
			}
			for (int round = 0; round < 5; round++) {
				for (int hot = 0; hot < 20; hot++) {
					cached.get("k" + hot);
				}
			}
			// a scan: 920 keys read once each, nine times the near cache's size, and the
			// hot keys read once every 200 one-off reads, twice the cache's size apart:
			// a plain LRU would have dropped them by each of their reads
			for (int i = 80; i < 1000; i++) {
				cached.get("k" + i);
				if (i % 200 == 0) {
					for (int hot = 0; hot < 20; hot++) {
						cached.get("k" + hot);
					}
				}
			}
			// change every value behind the near cache's back: what it still holds is
			// stale
			for (int i = 0; i < 1000; i++) {
				other.put("k" + i, "changed");
			}
			long stillCached = java.util.stream.IntStream.range(0, 20)
				.filter((hot) -> !"changed".equals(cached.get("k" + hot)))
				.count();
			assertThat(stillCached).as("hot keys kept through a scan of 920 one-off reads").isGreaterThanOrEqualTo(18);
		}
	}

	@Test
	void expiredEntriesShouldNotBeServedFromTheNearCache() {
		MutableClock clock = MutableClock.atNow();
		try (DictStore store = DictStore.open(this.dir.resolve("ttl.db"),
				StoreOptions.builder().clock(clock).nearCacheCheckInterval(Duration.ofHours(1)).build())) {
			PersistentDict<String, String> dict = store.dict(spec());
			dict.put("k", "v", Duration.ofSeconds(5));
			assertThat(dict.get("k")).isEqualTo("v");
			clock.advance(Duration.ofSeconds(5));
			assertThat(dict.get("k")).isNull();
		}
	}

	@Test
	void racingReadsAndWritesShouldEndOnTheLastWrittenValue() throws Exception {
		StoreOptions slowCheck = StoreOptions.builder().nearCacheCheckInterval(Duration.ofHours(1)).build();
		try (DictStore store = DictStore.open(this.dir.resolve("race.db"), slowCheck)) {
			PersistentDict<String, String> dict = store.dict(spec());
			ExecutorService pool = Executors.newFixedThreadPool(3);
			AtomicBoolean writing = new AtomicBoolean(true);
			List<Future<?>> readers = new ArrayList<>();
			for (int r = 0; r < 2; r++) {
				readers.add(pool.submit(() -> {
					while (writing.get()) {
						dict.get("k");
					}
				}));
			}
			for (int i = 0; i < 2000; i++) {
				dict.set("k", "v" + i);
			}
			writing.set(false);
			for (Future<?> reader : readers) {
				reader.get(30, TimeUnit.SECONDS);
			}
			pool.shutdown();
			assertThat(dict.get("k")).isEqualTo("v1999");
		}
	}

	@Test
	void aWriteThroughAHandleWithoutTheNearCacheShouldStillBeSeenAtOnce() {
		StoreOptions slowCheck = StoreOptions.builder().nearCacheCheckInterval(Duration.ofHours(1)).build();
		try (DictStore store = DictStore.open(this.dir.resolve("handles.db"), slowCheck)) {
			PersistentDict<String, String> cached = store.dict(spec());
			PersistentDict<String, String> plain = store.dict("hot", String.class, String.class);
			plain.put("k", "v1");
			plain.put("many", "m1");
			assertThat(cached.get("k")).isEqualTo("v1");
			assertThat(cached.get("k")).isEqualTo("v1");
			assertThat(cached.get("many")).isEqualTo("m1");
			assertThat(cached.get("many")).isEqualTo("m1");
			long nearHits = store.stats().dicts().get("map:hot").nearHits();
			assertThat(cached.get("k")).isEqualTo("v1");
			assertThat(store.stats().dicts().get("map:hot").nearHits()).isEqualTo(nearHits + 1);
			plain.put("k", "v2");
			plain.putAll(java.util.Map.of("many", "m2"));
			assertThat(cached.get("k")).isEqualTo("v2");
			assertThat(cached.get("many")).isEqualTo("m2");
			store.dict(DictSpec.of("hot", String.class, String.class).withClearOnOpen(true));
			assertThat(cached.get("k")).isNull();
		}
	}

	@Test
	void aNearCacheHitShouldFailLikeAReadOnceTheStoreIsClosed() {
		Path file = this.dir.resolve("closed.db");
		DictStore store = DictStore.open(file);
		PersistentDict<String, String> cached = store.dict(spec());
		cached.put("k", "v");
		assertThat(cached.get("k")).isEqualTo("v");
		assertThat(cached.get("k")).isEqualTo("v");
		store.close();
		assertThatIllegalStateException().isThrownBy(() -> cached.get("k")).withMessageContaining("closed.db");
	}

	@Test
	void anotherProcessesWriteShouldBeSeenWithinTheIntervalEvenWhileThisStoresWriterIsBusy() throws Exception {
		Path file = this.dir.resolve("busy.db");
		StoreOptions everyRead = StoreOptions.builder().nearCacheCheckInterval(Duration.ZERO).build();
		try (DictStore reader = DictStore.open(file, everyRead); DictStore other = DictStore.open(file)) {
			PersistentDict<String, String> cached = reader.dict(spec());
			PersistentDict<String, String> external = other.dict("hot", String.class, String.class);
			external.put("k", "v1");
			assertThat(cached.get("k")).isEqualTo("v1");
			assertThat(cached.get("k")).isEqualTo("v1");
			// the reader's write lock is held (as by a long checkpoint) while the other
			// store commits
			java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
			java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
			java.util.concurrent.CompletableFuture<Object> busy = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> ((EngineStore) reader).writes().outsideTransaction((w) -> {
					holding.countDown();
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return null;
				}));
			try {
				assertThat(holding.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
				external.put("k", "v2");
				assertThat(cached.get("k")).isEqualTo("v2");
			}
			finally {
				release.countDown();
			}
			busy.get(10, java.util.concurrent.TimeUnit.SECONDS);
		}
	}

}
