package io.persistentdict.boot.autoconfigure.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.persistentdict.DictSpec;
import io.persistentdict.EvictionPolicy;
import io.persistentdict.boot.MutableClock;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import io.persistentdict.boot.autoconfigure.PersistentDictFailureAnalyzerAccess;
import io.persistentdict.boot.cache.PersistentDictCache;
import io.persistentdict.boot.cache.PersistentDictCacheConfiguration;
import io.persistentdict.boot.cache.PersistentDictCacheManager;
import io.persistentdict.boot.gadget.Gadget;
import io.persistentdict.boot.sample.Book;
import io.persistentdict.boot.sample.SampleConfiguration;
import io.persistentdict.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PersistentDictCacheAutoConfiguration}.
 */
class PersistentDictCacheAutoConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class,
					PersistentDictCacheAutoConfiguration.class, CacheAutoConfiguration.class))
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("cache.db"));
	}

	@Test
	void runWhenCachingEnabledShouldCreateCacheManagerWithDefaults() {
		runner().withUserConfiguration(CachingConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CacheManager.class).hasBean("cacheManager");
			PersistentDictCacheManager manager = context.getBean(PersistentDictCacheManager.class);
			PersistentDictCacheConfiguration defaults = manager.getDefaults();
			assertThat(defaults.ttl()).isNull();
			assertThat(defaults.allowNullValues()).isTrue();
			assertThat(defaults.codec().id()).isEqualTo("java");
			assertThat(defaults.compressionThreshold()).isEqualTo(1024);
			assertThat(manager.isCreateOnDemand()).isTrue();
			assertThat(manager.isTransactionAware()).isFalse();
			assertThat(manager.getStore()).isSameAs(context.getBean("dictStore"));
		});
	}

	@Test
	void runWhenCachingNotEnabledShouldBackOff() {
		runner().run((context) -> assertThat(context).doesNotHaveBean(CacheManager.class));
	}

	@Test
	void runWhenUserDefinesCacheManagerShouldBackOff() {
		runner().withUserConfiguration(CachingConfiguration.class, UserCacheManagerConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(CacheManager.class)
				.doesNotHaveBean(PersistentDictCacheManager.class));
	}

	@Test
	void runWhenSpringCacheTypeSetShouldBackOff() {
		runner().withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("spring.cache.type=simple")
			.run((context) -> assertThat(context.getBean(CacheManager.class))
				.isInstanceOf(ConcurrentMapCacheManager.class));
	}

	@Test
	void runWhenCacheDisabledShouldBackOff() {
		runner().withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("persistentdict.cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PersistentDictCacheManager.class));
	}

	@Test
	void runWhenCachePropertiesSetShouldApplyThem() {
		runner().withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("persistentdict.stores.caches.path=" + this.dir.resolve("caches.db"),
					"persistentdict.cache.store=caches", "persistentdict.cache.ttl=10m",
					"persistentdict.cache.sliding=true", "persistentdict.cache.allow-null-values=false",
					"persistentdict.cache.compression-threshold=2KB", "persistentdict.cache.cache-names=authors",
					"persistentdict.cache.caches.books.ttl=1h", "persistentdict.cache.caches.books.sliding=false",
					"persistentdict.cache.create-on-demand=false", "persistentdict.cache.transaction-aware=true",
					"persistentdict.cache.near-cache=1000")
			.run((context) -> {
				PersistentDictCacheManager manager = context.getBean(PersistentDictCacheManager.class);
				assertThat(manager.getStore()).isSameAs(context.getBean("cachesDictStore"));
				PersistentDictCacheConfiguration defaults = manager.getDefaults();
				assertThat(defaults.ttl()).isEqualTo(Duration.ofMinutes(10));
				assertThat(defaults.sliding()).isTrue();
				assertThat(defaults.allowNullValues()).isFalse();
				assertThat(defaults.compressionThreshold()).isEqualTo(2048);
				assertThat(manager.getInitialCaches().get("books").ttl()).isEqualTo(Duration.ofHours(1));
				assertThat(manager.getInitialCaches().get("books").sliding()).isFalse();
				assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("authors", "books");
				assertThat(manager.getCache("other")).isNull();
				assertThat(manager.isTransactionAware()).isTrue();
				assertThat(manager.getCache("books")).isInstanceOf(TransactionAwareCacheDecorator.class);
				PersistentDictCache books = (PersistentDictCache) ((TransactionAwareCacheDecorator) manager
					.getCache("books")).getTargetCache();
				assertThat(books.getNativeCache().spec().ttl()).isEqualTo(Duration.ofHours(1));
				assertThat(books.getNativeCache().spec().nearCache()).isEqualTo(1000);
			});
	}

	@Test
	void runWhenBoundsSetShouldApplyTheDefaultToEveryCacheAndLetOneOptOut() {
		runner().withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("persistentdict.cache.maximum-size=100000",
					"persistentdict.cache.caches.thumbnails.maximum-bytes=512MB",
					"persistentdict.cache.caches.thumbnails.eviction=least-recently-used",
					"persistentdict.cache.caches.audit.maximum-size=-1", "persistentdict.cache.cache-names=books")
			.run((context) -> {
				PersistentDictCacheManager manager = context.getBean(PersistentDictCacheManager.class);
				DictSpec<?, ?> books = spec(manager, "books");
				assertThat(books.maximumSize()).isEqualTo(100_000);
				assertThat(books.maximumBytes()).isEqualTo(Long.MAX_VALUE);
				assertThat(books.eviction()).isEqualTo(EvictionPolicy.LEAST_RECENTLY_STORED);
				DictSpec<?, ?> thumbnails = spec(manager, "thumbnails");
				assertThat(thumbnails.maximumSize()).isEqualTo(100_000);
				assertThat(thumbnails.maximumBytes()).isEqualTo(512L * 1024 * 1024);
				assertThat(thumbnails.eviction()).isEqualTo(EvictionPolicy.LEAST_RECENTLY_USED);
				DictSpec<?, ?> audit = spec(manager, "audit");
				assertThat(audit.bounded()).isFalse();
				// a cache made on demand takes the default too
				assertThat(spec(manager, "later").maximumSize()).isEqualTo(100_000);
			});
	}

	@Test
	void runWhenNoBoundSetShouldLeaveCachesUnbounded() {
		runner().withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("persistentdict.cache.cache-names=books")
			.run((context) -> assertThat(spec(context.getBean(PersistentDictCacheManager.class), "books").bounded())
				.isFalse());
	}

	@Test
	void runWhenBoundIsZeroShouldFailWithAnalysisNamingTheProperty() {
		runner().withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("persistentdict.cache.caches.books.maximum-size=0")
			.run((context) -> {
				FailureAnalysis analysis = PersistentDictFailureAnalyzerAccess.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'persistentdict.cache.caches.books.maximum-size' is 0");
				assertThat(analysis.getAction()).contains("-1 for no bound");
			});
	}

	private static DictSpec<?, ?> spec(PersistentDictCacheManager manager, String name) {
		PersistentDictCache cache = (PersistentDictCache) manager.getCache(name);
		assertThat(cache).isNotNull();
		return cache.getNativeCache().spec();
	}

	@Test
	void runWhenCodecBeanNamedShouldUseIt() {
		runner().withUserConfiguration(CachingConfiguration.class)
			.withBean("objects", Codec.class, () -> Codec.java(Object.class))
			.withPropertyValues("persistentdict.cache.codec=objects")
			.run((context) -> assertThat(context.getBean(PersistentDictCacheManager.class).getDefaults().codec())
				.isSameAs(context.getBean("objects")));
	}

	@Test
	void runWhenCodecIsJsonShouldFailWithAnalysis() {
		runner().withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("persistentdict.cache.codec=json")
			.run((context) -> assertThat(
					PersistentDictFailureAnalyzerAccess.analyze(context.getStartupFailure()).getDescription())
				.contains("json codec cannot restore"));
	}

	@Test
	void runWhenSlidingWithoutTtlShouldFailWithAnalysis() {
		runner().withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("persistentdict.cache.caches.books.sliding=true")
			.run((context) -> assertThat(
					PersistentDictFailureAnalyzerAccess.analyze(context.getStartupFailure()).getDescription())
				.contains("persistentdict.cache.caches.books"));
	}

	@Test
	void runWhenCustomizersDefinedShouldApplyOnlyThoseForThisManager() {
		runner().withUserConfiguration(CachingConfiguration.class, CustomizerConfiguration.class).run((context) -> {
			assertThat(context.getBean(PersistentDictCacheManager.class).getCacheNames()).contains("customized");
			assertThat(context.getBean(CustomizerConfiguration.class).otherCalls).hasValue(0);
		});
	}

	@Test
	void runWithoutSpringBootCacheShouldStillProvideCacheManager() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class,
					PersistentDictCacheAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.cache"))
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("cache.db"))
			.withUserConfiguration(CachingConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(PersistentDictCacheManager.class);
				context.getBean(CacheManager.class).getCache("books").put("1", "Dune");
			});
	}

	@Test
	void runWhenCacheableReturnsApplicationRecordShouldCacheItAcrossRestarts() {
		ApplicationContextRunner runner = runner().withUserConfiguration(SampleConfiguration.class,
				CachingConfiguration.class, BookService.class);
		runner.run((context) -> {
			BookService service = context.getBean(BookService.class);
			assertThat(service.find("1")).isEqualTo(new Book("1", "Title 1"));
			assertThat(service.find("1")).isEqualTo(new Book("1", "Title 1"));
			assertThat(service.calls()).isEqualTo(1);
		});
		runner.run((context) -> {
			BookService service = context.getBean(BookService.class);
			assertThat(service.find("1")).isEqualTo(new Book("1", "Title 1"));
			assertThat(service.calls()).isEqualTo(0);
		});
	}

	@Test
	void runWhenCacheableReturnsCompletableFutureShouldCacheTheResult() {
		runner().withUserConfiguration(SampleConfiguration.class, CachingConfiguration.class, AsyncBookService.class)
			.run((context) -> {
				AsyncBookService service = context.getBean(AsyncBookService.class);
				assertThat(service.find("1").get(10, TimeUnit.SECONDS)).isEqualTo(new Book("1", "Title 1"));
				assertThat(service.find("1").get(10, TimeUnit.SECONDS)).isEqualTo(new Book("1", "Title 1"));
				assertThat(service.findSync("2").get(10, TimeUnit.SECONDS)).isEqualTo(new Book("2", "Title 2"));
				assertThat(service.findSync("2").get(10, TimeUnit.SECONDS)).isEqualTo(new Book("2", "Title 2"));
				assertThat(service.calls()).isEqualTo(2);
			});
	}

	@Test
	void runWhenTtlElapsesOnInjectedClockShouldReload() {
		runner().withUserConfiguration(SampleConfiguration.class, CachingConfiguration.class, BookService.class)
			.withBean(MutableClock.class, MutableClock::new)
			.withPropertyValues("persistentdict.cache.ttl=1m", "persistentdict.cache.caches.books.ttl=10m")
			.run((context) -> {
				BookService service = context.getBean(BookService.class);
				MutableClock clock = context.getBean(MutableClock.class);
				service.find("1");
				clock.advance(Duration.ofMinutes(9));
				service.find("1");
				assertThat(service.calls()).isEqualTo(1);
				clock.advance(Duration.ofMinutes(2));
				service.find("1");
				assertThat(service.calls()).isEqualTo(2);
			});
	}

	@Test
	void runWhenCachedClassNoLongerAllowedAfterRedeployShouldMissEvictAndCount() {
		String gadgets = "persistentdict.serialization.allowed-types=" + Gadget.class.getName();
		runner().withUserConfiguration(CachingConfiguration.class).withPropertyValues(gadgets).run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("things");
			cache.put("g", new Gadget("old"));
			assertThat(cache.get("g", Gadget.class)).isEqualTo(new Gadget("old"));
		});
		runner().withUserConfiguration(CachingConfiguration.class).run((context) -> {
			PersistentDictCache cache = (PersistentDictCache) context.getBean(CacheManager.class).getCache("things");
			assertThat(cache.getNativeCache().containsKey("g")).isTrue();
			assertThat(cache.get("g")).isNull();
			assertThat(cache.getStatistics().getDecodingFailures()).isEqualTo(1);
			assertThat(cache.getStatistics().getMisses()).isEqualTo(1);
			assertThat(cache.getNativeCache().containsKey("g")).isFalse();
		});
	}

	@Test
	void runWhenLibraryClassIsCachedShouldNotDeserializeIt() {
		runner().withUserConfiguration(SampleConfiguration.class, CachingConfiguration.class).run((context) -> {
			PersistentDictCache cache = (PersistentDictCache) context.getBean(CacheManager.class).getCache("things");
			cache.put("book", new Book("1", "Dune"));
			assertThat(cache.get("book", Book.class)).isEqualTo(new Book("1", "Dune"));
			// refused when written, with the fix in the message...
			assertThatExceptionOfType(io.persistentdict.PersistentDictException.class)
				.isThrownBy(() -> cache.put("gadget", new Gadget("boom")))
				.withMessageContaining(Gadget.class.getName())
				.withMessageContaining("allowed types");
			// ...and, if something else wrote it, a miss that is evicted and counted
			cache.getNativeCache()
				.store()
				.dict(io.persistentdict.DictSpec.of("things", String.class, Object.class)
					.withNamespace(io.persistentdict.DictSpec.CACHE_NAMESPACE)
					.withCodec(io.persistentdict.codec.Codec.java(Object.class,
							java.util.List.of(Gadget.class.getName()))))
				.put("gadget", new Gadget("boom"));
			assertThat(cache.get("gadget")).isNull();
			assertThat(cache.getStatistics().getDecodingFailures()).isEqualTo(1);
			assertThat(cache.getNativeCache().containsKey("gadget")).isFalse();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCacheManagerConfiguration {

		@Bean
		CacheManager userCacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		final AtomicInteger otherCalls = new AtomicInteger();

		@Bean
		CacheManagerCustomizer<PersistentDictCacheManager> persistentDictCustomizer() {
			return (manager) -> manager.registerCache("customized", manager.getDefaults());
		}

		@Bean
		CacheManagerCustomizer<ConcurrentMapCacheManager> otherCustomizer() {
			return (manager) -> this.otherCalls.incrementAndGet();
		}

	}

	static class AsyncBookService {

		final AtomicInteger calls = new AtomicInteger();

		public int calls() {
			return this.calls.get();
		}

		@Cacheable("books")
		public CompletableFuture<Book> find(String isbn) {
			this.calls.incrementAndGet();
			return CompletableFuture.supplyAsync(() -> new Book(isbn, "Title " + isbn));
		}

		@Cacheable(cacheNames = "books", sync = true)
		public CompletableFuture<Book> findSync(String isbn) {
			this.calls.incrementAndGet();
			return CompletableFuture.supplyAsync(() -> new Book(isbn, "Title " + isbn));
		}

	}

	static class BookService {

		final AtomicInteger calls = new AtomicInteger();

		public int calls() {
			return this.calls.get();
		}

		@Cacheable("books")
		public Book find(String isbn) {
			this.calls.incrementAndGet();
			return new Book(isbn, "Title " + isbn);
		}

	}

}
