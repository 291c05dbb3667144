package io.persistentdict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link DictStore} and {@link PersistentDict} that every engine keeps:
 * an engine's module subclasses it with its own {@link StoreFixture} (in this package, so
 * that the package-private test methods are inherited). It ships in the core's test-jar.
 */
public abstract class DictStoreContract {

	private @Nullable StoreFixture fixture;

	/**
	 * Return a new fixture, which opens stores on the engine under test.
	 * @return the fixture
	 */
	protected abstract StoreFixture createFixture();

	/**
	 * Return this test's fixture.
	 * @return the fixture
	 */
	protected final StoreFixture fixture() {
		if (this.fixture == null) {
			this.fixture = createFixture();
		}
		return this.fixture;
	}

	@AfterEach
	void closeFixture() {
		if (this.fixture != null) {
			this.fixture.close();
			this.fixture = null;
		}
	}

	@Test
	void putThenReopenShouldKeepEntries() {
		String file = "app";
		try (DictStore store = fixture().open(file)) {
			PersistentDict<String, String> users = store.dict("users", String.class, String.class);
			assertThat(users.put("u1", "alice")).isNull();
			assertThat(users.put("u1", "alice2")).isEqualTo("alice");
			users.set("u2", "bob");
		}
		try (DictStore store = fixture().open(file)) {
			PersistentDict<String, String> users = store.dict("users", String.class, String.class);
			assertThat(users).containsExactlyInAnyOrderEntriesOf(Map.of("u1", "alice2", "u2", "bob"));
			assertThat(users.size()).isEqualTo(2);
		}
	}

	@Test
	void expiredEntryShouldBeInvisibleBeforeAnySweep() {
		MutableClock clock = MutableClock.atNow();
		try (DictStore store = fixture().open("ttl", StoreOptions.builder().clock(clock).build())) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("short", "a", Duration.ofSeconds(10));
			dict.put("long", "b", Duration.ofMinutes(10));
			dict.put("forever", "c");
			clock.advance(Duration.ofSeconds(10));
			assertThat(dict.get("short")).isNull();
			assertThat(dict.containsKey("short")).isFalse();
			assertThat(dict.size()).isEqualTo(2);
			assertThat(dict.keySet()).containsExactlyInAnyOrder("forever", "long");
			assertThat(dict).isEqualTo(Map.of("long", "b", "forever", "c"));
			assertThat(dict.putIfAbsent("short", "new")).isNull();
			assertThat(dict.get("short")).isEqualTo("new");
			assertThat(dict.sweep()).isZero();
			clock.advance(Duration.ofMinutes(10));
			assertThat(dict.sweep()).isEqualTo(1);
			assertThat(dict.stats().expirations()).isEqualTo(1);
		}
	}

	@Test
	void expireAndPersistShouldChangeExpiryWithoutRewritingValue() {
		MutableClock clock = MutableClock.atNow();
		try (DictStore store = fixture().fresh(StoreOptions.builder().clock(clock).build())) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("d", String.class, String.class).withTtl(Duration.ofMinutes(1)));
			dict.put("k", "v");
			assertThat(dict.expiresAt("k")).contains(clock.instant().plus(Duration.ofMinutes(1)));
			assertThat(dict.expire("k", Duration.ofHours(1))).isTrue();
			clock.advance(Duration.ofMinutes(30));
			assertThat(dict.get("k")).isEqualTo("v");
			assertThat(dict.persist("k")).isTrue();
			assertThat(dict.expiresAt("k")).isEmpty();
			clock.advance(Duration.ofDays(10));
			assertThat(dict.get("k")).isEqualTo("v");
			assertThat(dict.expire("missing", Duration.ofHours(1))).isFalse();
		}
	}

	@Test
	void keysShouldKeepTheirType() {
		try (DictStore store = fixture().fresh()) {
			PersistentDict<Long, String> longs = store.dict("longs", Long.class, String.class);
			PersistentDict<String, String> strings = store.dict("strings", String.class, String.class);
			longs.put(1L, "one");
			strings.put("1", "text one");
			assertThat(longs.get(1L)).isEqualTo("one");
			assertThat(longs.get("1")).isNull();
			assertThat(strings.get(1L)).isNull();
			assertThat(longs.prefix("1")).isEmpty();
			assertThat(strings.prefix("1")).hasSize(1);
			assertThatIllegalArgumentException().isThrownBy(() -> strings.prefix("\uD800"));
			assertThat(store.dictNames()).containsExactlyInAnyOrder("longs", "strings");
		}
	}

	@Test
	void reopeningWithOtherTypesShouldFailClearly() {
		String file = "types";
		try (DictStore store = fixture().open(file)) {
			store.dict("users", String.class, String.class).put("a", "b");
			assertThatThrownBy(() -> store.dict("users", Long.class, String.class))
				.isInstanceOf(IncompatibleDictException.class)
				.hasMessageContaining("users")
				.hasMessageContaining(file.toString())
				.hasMessageContaining("java.lang.String keys");
		}
	}

	@Test
	void prefixShouldReturnOnlyMatchingKeysInOrder() {
		try (DictStore store = fixture().fresh()) {
			PersistentDict<String, Integer> dict = store.dict("d", String.class, Integer.class);
			for (String key : List.of("user:2", "user:1", "usen", "userz", "user;", "admin:1")) {
				dict.put(key, key.length());
			}
			assertThat(dict.prefix("user:").map(Map.Entry::getKey).collect(Collectors.toList()))
				.containsExactly("user:1", "user:2");
			assertThat(dict.range("user:", "user;").map(Map.Entry::getKey).collect(Collectors.toList()))
				.containsExactly("user:1", "user:2");
		}
	}

	@Test
	void putAllOfManyEntriesShouldWriteEachOnceWithItsTtl() {
		MutableClock clock = MutableClock.atNow();
		try (DictStore store = fixture().open("bulk", StoreOptions.builder().clock(clock).build())) {
			for (Layout layout : new Layout[] { Layout.COMPACT, Layout.ROWID, Layout.SPLIT }) {
				PersistentDict<String, String> dict = store.dict(DictSpec
					.of("bulk-" + layout.name().toLowerCase(java.util.Locale.ROOT), String.class, String.class)
					.withLayout(layout));
				dict.put("k0005", "before");
				dict.put("kept", "untouched");
				// 100 entries: three whole statements of 32 rows, and 4 rows one by one
				Map<String, String> entries = new java.util.LinkedHashMap<>();
				for (int i = 0; i < 100; i++) {
					entries.put(String.format("k%04d", i), "v" + i);
				}
				dict.putAll(entries, Duration.ofMinutes(1));
				assertThat(dict.size()).isEqualTo(101);
				assertThat(dict.get("k0005")).isEqualTo("v5");
				assertThat(dict.get("k0099")).isEqualTo("v99");
				java.time.Instant expiry = java.time.Instant.ofEpochMilli(clock.millis() + 60_000);
				assertThat(dict.expiresAt("k0031")).hasValue(expiry);
				assertThat(dict.expiresAt("k0099")).hasValue(expiry);
				assertThat(dict.expiresAt("kept")).isEmpty();
				clock.advance(Duration.ofMinutes(1));
				assertThat(dict).isEqualTo(Map.of("kept", "untouched"));
				clock.advance(Duration.ofMinutes(-1));
			}
		}
	}

	@Test
	void iterationShouldPageAndWriteThrough() {
		try (DictStore store = fixture().fresh()) {
			PersistentDict<Integer, String> dict = store.dict("d", Integer.class, String.class);
			Map<Integer, String> expected = new TreeMap<>();
			for (int i = 0; i < 2000; i++) {
				expected.put(i, "v" + i);
			}
			dict.putAll(expected);
			assertThat(dict.keySet()).containsExactlyElementsOf(expected.keySet());
			dict.entrySet().removeIf((e) -> e.getKey() % 2 == 0);
			assertThat(dict.size()).isEqualTo(1000);
			dict.entrySet().iterator().next().setValue("changed");
			assertThat(dict.get(1)).isEqualTo("changed");
		}
	}

	@Test
	void nullsShouldBeRejectedAsConcurrentHashMapRejectsThem() {
		try (DictStore store = fixture().fresh()) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThatNullPointerException().isThrownBy(() -> dict.put(null, "v"));
			assertThatNullPointerException().isThrownBy(() -> dict.put("k", null));
			assertThatNullPointerException().isThrownBy(() -> dict.get(null));
			assertThat(dict.remove("k", null)).isFalse();
		}
	}

	@Test
	void closedStoreShouldFailClearly() {
		DictStore store = fixture().open("closed");
		PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
		store.close();
		// the message names the store: a file on SQLite, a database and schema elsewhere
		assertThatIllegalStateException().isThrownBy(() -> dict.get("k"))
			.withMessageContaining(((EngineStore) store).location())
			.withMessageContaining("closed");
	}

	@Test
	void computeFunctionThatReadsTheStoreShouldJoinItsTransactionInsteadOfDeadlocking() {
		try (DictStore store = fixture().fresh()) {
			PersistentDict<String, Integer> dict = store.dict("d", String.class, Integer.class);
			dict.put("other", 41);
			assertThat(dict.compute("k", (k, v) -> dict.get("other") + 1)).isEqualTo(42);
			assertThat(dict.merge("k", 1, Integer::sum)).isEqualTo(43);
			assertThat(dict.get("k")).isEqualTo(43);
		}
	}

	@Test
	void computeAndMergeShouldStoreAValueTheFunctionChangedInPlace() {
		try (DictStore store = fixture().open("inplace")) {
			PersistentDict<String, byte[]> dict = store.dict("d", String.class, byte[].class);
			dict.put("k", new byte[] { 1, 2 });
			dict.merge("k", new byte[] { 9 }, (old, given) -> {
				old[0] = given[0];
				return old;
			});
			assertThat(dict.get("k")).containsExactly(9, 2);
			dict.compute("k", (key, old) -> {
				old[1] = 8;
				return old;
			});
			assertThat(dict.get("k")).containsExactly(9, 8);
			dict.computeIfPresent("k", (key, old) -> {
				old[0] = 7;
				return old;
			});
			assertThat(dict.get("k")).containsExactly(7, 8);
		}
	}

	@Test
	void closingWhileOthersWriteShouldKeepEveryWriteThatReturnedAndFailTheRestClearly() throws Exception {
		String file = "closing";
		DictStore store = fixture().open(file);
		PersistentDict<String, Integer> dict = store.dict("d", String.class, Integer.class);
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
		java.util.Set<String> returned = java.util.concurrent.ConcurrentHashMap.newKeySet();
		java.util.List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
		java.util.List<java.util.concurrent.Future<?>> writers = new java.util.ArrayList<>();
		for (int t = 0; t < 4; t++) {
			int thread = t;
			writers.add(pool.submit(() -> {
				started.countDown();
				for (int i = 0;; i++) {
					String key = thread + ":" + i;
					try {
						if (i % 3 == 0) {
							dict.merge(key, 1, Integer::sum);
						}
						else {
							dict.put(key, i);
						}
						returned.add(key);
					}
					catch (IllegalStateException | PersistentDictException ex) {
						// closed under it: a clear failure, and the end of this writer
						return;
					}
					catch (RuntimeException ex) {
						unexpected.add(ex);
						return;
					}
				}
			}));
		}
		assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		while (returned.size() < 200) {
			Thread.onSpinWait();
		}
		store.close();
		for (java.util.concurrent.Future<?> writer : writers) {
			writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
		}
		pool.shutdown();
		assertThat(unexpected).isEmpty();
		try (DictStore reopened = fixture().open(file)) {
			assertThat(reopened.checkIntegrity()).isEqualTo("ok");
			PersistentDict<String, Integer> again = reopened.dict("d", String.class, Integer.class);
			assertThat(again.keySet()).containsAll(returned);
		}
	}

	@Test
	void closeShouldWaitForAWriteUnderWayInsteadOfClosingItsConnection() throws Exception {
		DictStore store = fixture().fresh();
		PersistentDict<String, Integer> dict = store.dict("d", String.class, Integer.class);
		java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CompletableFuture<Integer> compute = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> dict.compute("k", (key, old) -> {
				inside.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return 42;
			}));
		assertThat(inside.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		Thread closing = new Thread(store::close);
		closing.start();
		// close either finishes at once (closing the connection under the compute) or
		// waits for the write lock
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
		while (closing.isAlive() && closing.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		release.countDown();
		assertThat(compute.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(42);
		closing.join(10_000);
		assertThat(closing.isAlive()).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> dict.get("k")).withMessageContaining("closed");
	}

	@Test
	void dropShouldRefuseANamespaceThatWouldNameAnotherDictsTable() {
		try (DictStore store = fixture().open("drop")) {
			PersistentDict<String, String> dict = store.dict("foo:bar", String.class, String.class);
			dict.put("k", "v");
			assertThatIllegalArgumentException().isThrownBy(() -> store.drop("map:foo", "bar"))
				.withMessageContaining("namespace 'map:foo'");
			assertThat(dict.get("k")).isEqualTo("v");
			assertThat(store.dictNames("map")).contains("foo:bar");
			assertThat(store.drop("map", "foo:bar")).isTrue();
			assertThat(store.dictNames("map")).doesNotContain("foo:bar");
		}
	}

	@Test
	void writesWithoutATtlOfTheirOwnShouldTakeTheDictsTtlAsDocumented() {
		MutableClock clock = MutableClock.atNow();
		try (DictStore store = fixture().open("ttl-reset", StoreOptions.builder().clock(clock).build())) {
			PersistentDict<String, Integer> plain = store.dict("plain", String.class, Integer.class);
			PersistentDict<String, Integer> timed = store
				.dict(DictSpec.of("timed", String.class, Integer.class).withTtl(Duration.ofMinutes(10)));
			for (PersistentDict<String, Integer> dict : List.of(plain, timed)) {
				dict.put("merged", 1, Duration.ofMinutes(1));
				dict.merge("merged", 1, Integer::sum);
				dict.put("replaced", 1, Duration.ofMinutes(1));
				dict.replace("replaced", 2);
				dict.put("computed", 1, Duration.ofMinutes(1));
				dict.compute("computed", (key, old) -> old + 1);
				for (String key : List.of("merged", "replaced", "computed")) {
					if (dict == plain) {
						assertThat(dict.expiresAt(key)).as(key).isEmpty();
					}
					else {
						assertThat(dict.expiresAt(key)).as(key).contains(clock.instant().plus(Duration.ofMinutes(10)));
					}
				}
			}
		}
	}

	@Test
	void iterationShouldReturnKeysOfTheirOwnTypeWhateverTheKeyColumnHolds() {
		try (DictStore store = fixture().open("key-types")) {
			PersistentDict<Integer, String> ints = store.dict("ints", Integer.class, String.class);
			PersistentDict<Long, String> longs = store.dict("longs", Long.class, String.class);
			PersistentDict<java.util.UUID, String> uuids = store.dict("uuids", java.util.UUID.class, String.class);
			PersistentDict<java.time.LocalDate, String> dates = store
				.dict(DictSpec.of("dates", java.time.LocalDate.class, String.class)
					.withKeyCodec(io.persistentdict.codec.KeyCodec.text("iso-date", java.time.LocalDate::toString,
							java.time.LocalDate::parse)));
			java.util.UUID uuid = new java.util.UUID(1, 2);
			java.time.LocalDate day = java.time.LocalDate.of(2026, 11, 21);
			ints.put(7, "seven");
			ints.put(-3, "minus three");
			longs.put(1L << 40, "big");
			uuids.put(uuid, "u");
			dates.put(day, "d");
			assertThat(ints.keySet()).containsExactlyInAnyOrder(7, -3);
			assertThat(ints.range(0, 10).map(Map.Entry::getKey)).containsExactly(7);
			assertThat(longs.entrySet()).containsExactly(Map.entry(1L << 40, "big"));
			assertThat(uuids.keySet()).containsExactly(uuid);
			assertThat(dates.keySet()).containsExactly(day);
			assertThat(dates.values()).containsExactly("d");
		}
	}

}
