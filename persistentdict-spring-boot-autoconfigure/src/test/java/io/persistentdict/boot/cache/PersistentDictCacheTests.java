package io.persistentdict.boot.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.persistentdict.DictStore;
import io.persistentdict.StoreOptions;
import io.persistentdict.boot.MutableClock;
import io.persistentdict.boot.sample.Book;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.interceptor.SimpleKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PersistentDictCache} against a real SQLite file.
 */
class PersistentDictCacheTests {

	private static final List<String> ALLOWED = List.of("io.persistentdict.boot.sample.**",
			"org.springframework.cache.support.NullValue", "org.springframework.cache.interceptor.SimpleKey");

	@TempDir
	Path dir;

	private final MutableClock clock = new MutableClock();

	private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();

	private DictStore store;

	private PersistentDictCacheManager manager;

	@BeforeEach
	void open() {
		this.store = DictStore.open(this.dir.resolve("cache.db"),
				StoreOptions.builder().clock(this.clock).allowedTypes(ALLOWED).build());
		this.manager = new PersistentDictCacheManager(this.store, PersistentDictCacheConfiguration.defaults(ALLOWED));
		this.manager.afterPropertiesSet();
	}

	@AfterEach
	void close() {
		this.store.close();
	}

	private PersistentDictCache cache(String name) {
		return (PersistentDictCache) this.manager.getCache(name);
	}

	@Test
	void getWhenPutShouldReturnValueAndCountHitsAndMisses() {
		PersistentDictCache cache = cache("books");
		assertThat(cache.get("1")).isNull();
		cache.put("1", new Book("1", "Dune"));
		assertThat(cache.get("1", Book.class)).isEqualTo(new Book("1", "Dune"));
		assertThat(cache.getStatistics().getHits()).isEqualTo(1);
		assertThat(cache.getStatistics().getMisses()).isEqualTo(1);
		assertThat(cache.getStatistics().getPuts()).isEqualTo(1);
		assertThat(cache.getNativeCache().spec().namespace()).isEqualTo("cache");
	}

	@Test
	void getWithLoaderWhenManyThreadsMissShouldRunLoaderOnce() throws Exception {
		PersistentDictCache cache = cache("books");
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<Book>> results = new ArrayList<>();
			Queue<Thread> started = new ConcurrentLinkedQueue<>();
			for (int i = 0; i < 8; i++) {
				results.add(threads.submit(() -> {
					started.add(Thread.currentThread());
					return cache.get("1", () -> {
						calls.incrementAndGet();
						entered.countDown();
						release.await();
						return new Book("1", "Dune");
					});
				}));
			}
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> started.size() == 8
						&& started.stream().filter((thread) -> thread.getState() == Thread.State.WAITING).count() == 8);
			release.countDown();
			for (Future<Book> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new Book("1", "Dune"));
			}
			assertThat(calls).hasValue(1);
		}
		finally {
			release.countDown();
			threads.shutdownNow();
		}
	}

	@Test
	void getWithLoaderWhenLoaderIsSlowShouldNotBlockOtherWriters() throws Exception {
		PersistentDictCache cache = cache("books");
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			Future<Book> slow = thread.submit(() -> cache.get("slow", () -> {
				entered.countDown();
				release.await();
				return new Book("slow", "Slow");
			}));
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			cache.put("2", new Book("2", "Emma"));
			assertThat(cache.putIfAbsent("3", new Book("3", "Ulysses"))).isNull();
			assertThat(cache.evictIfPresent("2")).isTrue();
			assertThat(slow).isNotDone();
			release.countDown();
			assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(new Book("slow", "Slow"));
		}
		finally {
			release.countDown();
			thread.shutdownNow();
		}
	}

	@Test
	void getWithLoaderWhenLoaderFailsShouldThrowValueRetrievalException() {
		PersistentDictCache cache = cache("books");
		assertThatExceptionOfType(Cache.ValueRetrievalException.class).isThrownBy(() -> cache.get("1", () -> {
			throw new IllegalStateException("boom");
		})).withRootCauseInstanceOf(IllegalStateException.class);
		assertThat(cache.get("1", () -> new Book("1", "Dune"))).isEqualTo(new Book("1", "Dune"));
	}

	@Test
	void retrieveShouldNotBlockTheCaller() {
		this.manager = new PersistentDictCacheManager(this.store, PersistentDictCacheConfiguration.defaults(ALLOWED));
		this.manager.setExecutor(this.pending::add);
		PersistentDictCache cache = cache("books");
		cache.put("1", new Book("1", "Dune"));
		CompletableFuture<?> hit = cache.retrieve("1");
		CompletableFuture<?> miss = cache.retrieve("2");
		assertThat(hit).isNotDone();
		assertThat(miss).isNotDone();
		runPending();
		assertThat(hit.join()).isInstanceOf(ValueWrapper.class)
			.extracting((wrapper) -> ((ValueWrapper) wrapper).get())
			.isEqualTo(new Book("1", "Dune"));
		assertThat(miss.join()).isNull();
	}

	@Test
	void retrieveWithLoaderShouldLoadOnceAndStore() {
		this.manager = new PersistentDictCacheManager(this.store, PersistentDictCacheConfiguration.defaults(ALLOWED));
		this.manager.setExecutor(this.pending::add);
		PersistentDictCache cache = cache("books");
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<Book> first = cache.retrieve("1", () -> CompletableFuture
			.supplyAsync(() -> new Book("1", "Dune" + calls.incrementAndGet()), Runnable::run));
		assertThat(first).isNotDone();
		runPending();
		assertThat(first.join()).isEqualTo(new Book("1", "Dune1"));
		CompletableFuture<Book> second = cache.retrieve("1",
				() -> CompletableFuture.completedFuture(new Book("1", "Dune" + calls.incrementAndGet())));
		runPending();
		assertThat(second.join()).isEqualTo(new Book("1", "Dune1"));
		assertThat(calls).hasValue(1);
	}

	@Test
	void retrieveWithLoaderWhenLoaderFailsShouldFailTheFuture() {
		PersistentDictCache cache = cache("books");
		CompletableFuture<Book> future = cache.retrieve("1",
				() -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
		assertThat(future).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.withRootCauseInstanceOf(IllegalStateException.class);
		assertThat(cache.get("1")).isNull();
	}

	private void runPending() {
		Runnable task;
		while ((task = this.pending.poll()) != null) {
			task.run();
		}
	}

	@Test
	void putWhenNullAllowedShouldStoreNullMarker() {
		PersistentDictCache cache = cache("books");
		cache.put("1", null);
		ValueWrapper wrapper = cache.get("1");
		assertThat(wrapper).isNotNull();
		assertThat(wrapper.get()).isNull();
	}

	@Test
	void putWhenNullNotAllowedShouldFailNamingTheUnlessFix() {
		this.manager.setDefaults(PersistentDictCacheConfiguration.defaults(ALLOWED).withAllowNullValues(false));
		PersistentDictCache cache = cache("strict");
		assertThatIllegalArgumentException().isThrownBy(() -> cache.put("1", null))
			.withMessageContaining("Cache 'strict' does not allow 'null' values")
			.withMessageContaining("@Cacheable(unless=\"#result == null\")");
	}

	@Test
	void putIfAbsentEvictIfPresentAndInvalidateShouldBeImmediate() {
		PersistentDictCache cache = cache("books");
		assertThat(cache.putIfAbsent("1", new Book("1", "Dune"))).isNull();
		assertThat(cache.putIfAbsent("1", new Book("1", "Emma")).get()).isEqualTo(new Book("1", "Dune"));
		assertThat(cache.evictIfPresent("1")).isTrue();
		assertThat(cache.evictIfPresent("1")).isFalse();
		assertThat(cache.invalidate()).isFalse();
		cache.put("2", new Book("2", "Emma"));
		assertThat(cache.invalidate()).isTrue();
		assertThat(cache.get("2")).isNull();
		assertThat(cache.getStatistics().getEvictions()).isEqualTo(1);
	}

	@Test
	void putWhenKeyIsNotAStringShouldStoreReadableKey() {
		PersistentDictCache cache = cache("books");
		cache.put(new SimpleKey("a", 1), "x");
		cache.put(42L, "y");
		cache.put(SimpleKey.EMPTY, "z");
		cache.put(new Book("1", "Dune"), "w");
		assertThat(cache.getNativeCache().keySet()).containsExactlyInAnyOrder("SimpleKey [a, 1]", "42", "SimpleKey []",
				"Book[isbn=1, title=Dune]");
		assertThat(cache.get(new SimpleKey("a", 1)).get()).isEqualTo("x");
		assertThatIllegalStateException().isThrownBy(() -> cache.put(new Object(), "v"))
			.withMessageContaining("override toString()");
	}

	@Test
	void getWhenTtlElapsedShouldMiss() {
		this.manager.registerCache("short",
				PersistentDictCacheConfiguration.defaults(ALLOWED).withTtl(Duration.ofMinutes(10)));
		this.manager.afterPropertiesSet();
		PersistentDictCache cache = cache("short");
		cache.put("1", new Book("1", "Dune"));
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(cache.get("1")).isNotNull();
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(cache.get("1")).isNull();
	}

	@Test
	void getCacheWhenCreateOnDemandOffShouldReturnOnlyConfiguredCaches() {
		this.manager = new PersistentDictCacheManager(this.store, PersistentDictCacheConfiguration.defaults(ALLOWED));
		this.manager.registerCache("books", this.manager.getDefaults());
		this.manager.setCreateOnDemand(false);
		this.manager.afterPropertiesSet();
		assertThat(this.manager.getCacheNames()).containsExactly("books");
		assertThat(this.manager.getCache("other")).isNull();
	}

	@Test
	void addCacheCreationListenerShouldSeeExistingAndNewCaches() {
		cache("books");
		List<String> seen = new ArrayList<>();
		this.manager.addCacheCreationListener((cache) -> seen.add(cache.getName()));
		cache("authors");
		cache("authors");
		assertThat(seen).containsExactly("books", "authors");
	}

}
