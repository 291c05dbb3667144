package io.persistentdict.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentMap;

import javax.sql.DataSource;

import io.persistentdict.DictStore;
import io.persistentdict.EvictionPolicy;
import io.persistentdict.OpenMode;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import io.persistentdict.Synchronous;
import io.persistentdict.boot.MutableClock;
import io.persistentdict.boot.gadget.Gadget;
import io.persistentdict.boot.sample.Book;
import io.persistentdict.boot.sample.SampleConfiguration;
import io.persistentdict.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PersistentDictAutoConfiguration}.
 */
class PersistentDictAutoConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class))
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("default.db"));
	}

	@Test
	void runWhenNotConfiguredShouldUseDefaults() {
		PersistentDictProperties properties = new PersistentDictProperties();
		assertThat(properties.getStore().getPath()).isEqualTo("data/persistentdict.db");
		runner().run((context) -> {
			assertThat(context).hasSingleBean(DictStore.class).hasBean("dictStore").doesNotHaveBean(DataSource.class);
			DictStore store = context.getBean(DictStore.class);
			assertThat(store.path()).isEqualTo(this.dir.resolve("default.db"));
			StoreOptions options = store.options();
			assertThat(options.synchronous()).isEqualTo(Synchronous.NORMAL);
			assertThat(options.busyTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(options.readPoolSize()).isEqualTo(4);
			assertThat(options.openMode()).isEqualTo(OpenMode.CREATE);
		});
	}

	@Test
	void runWhenStorePropertiesSetShouldApplyThem() {
		runner()
			.withPropertyValues("persistentdict.store.synchronous=full", "persistentdict.store.busy-timeout=7s",
					"persistentdict.store.pool.maximum-size=2", "persistentdict.store.pragmas.cache_size=-4000")
			.run((context) -> {
				StoreOptions options = context.getBean(DictStore.class).options();
				assertThat(options.synchronous()).isEqualTo(Synchronous.FULL);
				assertThat(options.busyTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(options.readPoolSize()).isEqualTo(2);
				assertThat(options.pragmas()).containsEntry("cache_size", "-4000");
			});
	}

	@Test
	void runWhenOpenModeReadOnlyShouldOpenReadOnly() throws IOException {
		Path file = this.dir.resolve("ro.db");
		DictStore.open(file).close();
		runner().withPropertyValues("persistentdict.store.path=" + file, "persistentdict.store.open-mode=read-only")
			.run((context) -> assertThat(context.getBean(DictStore.class).options().openMode())
				.isEqualTo(OpenMode.READ_ONLY));
	}

	@Test
	void runWhenStoresConfiguredShouldRegisterOneBeanPerStore() {
		runner()
			.withPropertyValues("persistentdict.stores.archive.path=" + this.dir.resolve("archive.db"),
					"persistentdict.stores.archive.synchronous=off")
			.run((context) -> {
				assertThat(context).getBeans(DictStore.class).containsOnlyKeys("dictStore", "archiveDictStore");
				DictStore archive = context.getBean("archiveDictStore", DictStore.class);
				assertThat(archive.path()).isEqualTo(this.dir.resolve("archive.db"));
				assertThat(archive.options().synchronous()).isEqualTo(Synchronous.OFF);
				assertThat(context.getBean(DictStore.class)).isSameAs(context.getBean("dictStore"));
			});
	}

	@Test
	void runWhenMapConfiguredShouldRegisterBeanInjectableByNameAndGenericType() {
		runner().withUserConfiguration(MapConsumer.class)
			.withPropertyValues("persistentdict.maps.books.value-type=" + Book.class.getName(),
					"persistentdict.maps.counts.key-type=java.lang.Long",
					"persistentdict.maps.counts.value-type=java.lang.Integer")
			.run((context) -> {
				MapConsumer consumer = context.getBean(MapConsumer.class);
				assertThat(consumer.books).isSameAs(context.getBean("books"));
				assertThat(consumer.booksAsMap).isSameAs(consumer.books);
				assertThat(consumer.counts).isSameAs(context.getBean("counts"));
				consumer.books.put("1", new Book("1", "Dune"));
				consumer.counts.put(7L, 3);
				assertThat(consumer.books.get("1")).isEqualTo(new Book("1", "Dune"));
				assertThat(consumer.books.spec().ttl()).isNull();
				assertThat(consumer.books.spec().compressionThreshold()).isEqualTo(1024);
			});
	}

	@Test
	void runWhenMapPropertiesSetShouldApplyThem() {
		runner().withUserConfiguration(CodecConfiguration.class)
			.withPropertyValues("persistentdict.stores.archive.path=" + this.dir.resolve("archive.db"),
					"persistentdict.maps.sessions.value-type=java.lang.String", "persistentdict.maps.sessions.ttl=30m",
					"persistentdict.maps.sessions.sliding=true", "persistentdict.maps.sessions.codec=upper",
					"persistentdict.maps.sessions.compression-threshold=-1B",
					"persistentdict.maps.sessions.store=archive", "persistentdict.maps.sessions.near-cache=500")
			.run((context) -> {
				PersistentDict<?, ?> sessions = context.getBean("sessions", PersistentDict.class);
				assertThat(sessions.spec().ttl()).isEqualTo(Duration.ofMinutes(30));
				assertThat(sessions.spec().sliding()).isTrue();
				assertThat(sessions.spec().valueCodec()).isSameAs(context.getBean("upper"));
				assertThat(sessions.spec().compressionThreshold()).isEqualTo(-1);
				assertThat(sessions.store()).isSameAs(context.getBean("archiveDictStore"));
				assertThat(sessions.spec().nearCache()).isEqualTo(500);
			});
	}

	@Test
	void runWhenMapBoundsSetShouldApplyThem() {
		runner()
			.withPropertyValues("persistentdict.maps.recent.key-type=java.lang.Long",
					"persistentdict.maps.recent.value-type=java.lang.String",
					"persistentdict.maps.recent.maximum-size=10000", "persistentdict.maps.recent.maximum-bytes=64MB",
					"persistentdict.maps.recent.eviction=least-recently-used",
					"persistentdict.maps.plain.value-type=java.lang.String")
			.run((context) -> {
				PersistentDict<?, ?> recent = context.getBean("recent", PersistentDict.class);
				assertThat(recent.spec().maximumSize()).isEqualTo(10_000);
				assertThat(recent.spec().maximumBytes()).isEqualTo(64L * 1024 * 1024);
				assertThat(recent.spec().eviction()).isEqualTo(EvictionPolicy.LEAST_RECENTLY_USED);
				assertThat(context.getBean("plain", PersistentDict.class).spec().bounded()).isFalse();
			});
	}

	@Test
	void runWhenMapBoundIsNegativeShouldFailWithAnalysisNamingTheProperty() {
		runner()
			.withPropertyValues("persistentdict.maps.recent.value-type=java.lang.String",
					"persistentdict.maps.recent.maximum-bytes=-5B")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'persistentdict.maps.recent.maximum-bytes' is -5");
				assertThat(analysis.getAction()).contains("a positive size");
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWhenJsonCodecConfiguredShouldUseIt() {
		runner()
			.withPropertyValues("persistentdict.maps.books.value-type=" + Book.class.getName(),
					"persistentdict.maps.books.codec=json")
			.run((context) -> {
				PersistentDict<String, Book> books = context.getBean("books", PersistentDict.class);
				books.put("1", new Book("1", "Dune"));
				assertThat(books.get("1")).isEqualTo(new Book("1", "Dune"));
				assertThat(books.spec().valueCodec().id()).isEqualTo("json");
			});
	}

	@Test
	void runWhenUserDefinesDictStoreShouldBackOff() {
		runner().withUserConfiguration(UserStoreConfiguration.class)
			.withPropertyValues("persistentdict.maps.books.value-type=" + Book.class.getName())
			.run((context) -> {
				assertThat(context).hasSingleBean(DictStore.class).hasBean("userStore").doesNotHaveBean("dictStore");
				PersistentDict<?, ?> books = context.getBean("books", PersistentDict.class);
				assertThat(books.store()).isSameAs(context.getBean("userStore"));
			});
	}

	@Test
	void runWhenInstantSourceBeanExistsShouldUseItAsClock() {
		runner().withBean(MutableClock.class, MutableClock::new)
			.run((context) -> assertThat(context.getBean(DictStore.class).options().clock())
				.isSameAs(context.getBean(MutableClock.class)));
	}

	@Test
	void runWhenCustomizerDefinedShouldApplyIt() {
		runner().withBean(DictStoreOptionsCustomizer.class, () -> (name, options) -> {
			if (name.equals("default")) {
				options.busyTimeout(Duration.ofSeconds(9));
			}
		})
			.run((context) -> assertThat(context.getBean(DictStore.class).options().busyTimeout())
				.isEqualTo(Duration.ofSeconds(9)));
	}

	@Test
	void runWhenApplicationPackageRegisteredShouldAllowItsClassesOnly() {
		runner().withUserConfiguration(SampleConfiguration.class)
			.withPropertyValues("persistentdict.serialization.allowed-types=com.example.**")
			.run((context) -> {
				List<String> allowed = context.getBean(DictStoreFactory.class).getAllowedTypes();
				assertThat(allowed).contains("io.persistentdict.boot.sample.**", "com.example.**",
						"org.springframework.cache.support.NullValue",
						"org.springframework.cache.interceptor.SimpleKey");
				assertThat(context.getBean(DictStore.class).options().allowedTypes()).isEqualTo(allowed);
				PersistentDict<String, Object> objects = context.getBean(DictStore.class)
					.dict(io.persistentdict.DictSpec.of("objects", String.class, Object.class)
						.withCodec(Codec.java(Object.class, allowed)));
				objects.put("book", new Book("1", "Dune"));
				assertThat(objects.get("book")).isEqualTo(new Book("1", "Dune"));
				// a value the allow-list would refuse is refused when it is written...
				assertThatExceptionOfType(io.persistentdict.PersistentDictException.class)
					.isThrownBy(() -> objects.put("gadget", new Gadget("boom")))
					.withMessageContaining(Gadget.class.getName());
				// ...and when it is read, if something else wrote it
				context.getBean(DictStore.class)
					.dict(io.persistentdict.DictSpec.of("objects", String.class, Object.class)
						.withCodec(Codec.java(Object.class, List.of(Gadget.class.getName()))))
					.put("gadget", new Gadget("boom"));
				assertThatExceptionOfType(io.persistentdict.ValueDecodingException.class)
					.isThrownBy(() -> objects.get("gadget"))
					.withMessageContaining("gadget");
			});
	}

	@Test
	void runWhenContextClosesShouldCloseStores() {
		DictStore[] stores = new DictStore[2];
		runner().withPropertyValues("persistentdict.stores.archive.path=" + this.dir.resolve("archive.db"))
			.run((context) -> {
				stores[0] = context.getBean("dictStore", DictStore.class);
				stores[1] = context.getBean("archiveDictStore", DictStore.class);
				assertThat(stores[0].isOpen()).isTrue();
			});
		assertThat(stores[0].isOpen()).isFalse();
		assertThat(stores[1].isOpen()).isFalse();
	}

	@Test
	void runWhenMapNameClashesWithBeanShouldFailWithAnalysis() {
		runner().withUserConfiguration(ClashingConfiguration.class)
			.withPropertyValues("persistentdict.maps.books.value-type=" + Book.class.getName())
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'persistentdict.maps.books'", "bean named 'books'");
				assertThat(analysis.getAction()).contains("Rename the map");
			});
	}

	@Test
	void runWhenValueTypeUnknownShouldFailWithAnalysis() {
		runner().withPropertyValues("persistentdict.maps.books.value-type=com.example.Missing").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("com.example.Missing", "persistentdict.maps.books");
			assertThat(analysis.getAction()).contains("fully qualified class name");
		});
	}

	@Test
	void runWhenValueTypeMissingShouldFailWithAnalysis() {
		runner().withPropertyValues("persistentdict.maps.books.ttl=1m").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Map 'books' has no value type");
			assertThat(analysis.getAction()).contains("persistentdict.maps.books.value-type");
		});
	}

	@Test
	void runWhenCodecUnknownShouldFailWithAnalysis() {
		runner()
			.withPropertyValues("persistentdict.maps.books.value-type=" + Book.class.getName(),
					"persistentdict.maps.books.codec=protobuf")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Codec 'protobuf'", "persistentdict.maps.books.codec");
				assertThat(analysis.getAction()).contains("define a bean named 'protobuf'");
			});
	}

	@Test
	void runWhenMapStoreUnknownShouldFailWithAnalysis() {
		runner()
			.withPropertyValues("persistentdict.maps.books.value-type=" + Book.class.getName(),
					"persistentdict.maps.books.store=nowhere")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("store 'nowhere'"));
	}

	@Test
	void runWhenPathNotWritableShouldFailWithAnalysis() throws IOException {
		Path file = Files.createFile(this.dir.resolve("blocker"));
		runner().withPropertyValues("persistentdict.store.path=" + file.resolve("sub/store.db")).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("could not open", "store.db");
			assertThat(analysis.getAction()).contains("writable");
		});
	}

	@Test
	void runWhenFileIsForeignShouldFailWithAnalysis() throws IOException {
		Path file = Files.writeString(this.dir.resolve("notes.db"), "these are not the droids you are looking for");
		runner().withPropertyValues("persistentdict.store.path=" + file).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("notes.db");
			assertThat(analysis.getAction()).contains("new file");
		});
	}

	@Test
	void runWhenMapReopenedWithOtherValueTypeShouldFailWithAnalysis() {
		runner().withPropertyValues("persistentdict.maps.books.value-type=" + Book.class.getName())
			.run((context) -> context.getBean("books"));
		runner().withPropertyValues("persistentdict.maps.books.value-type=java.lang.String").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("books", Book.class.getName());
			assertThat(analysis.getAction()).contains("another name");
		});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new PersistentDictFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class MapConsumer {

		@Autowired
		PersistentDict<String, Book> books;

		@Autowired
		ConcurrentMap<String, Book> booksAsMap;

		@Autowired
		PersistentDict<Long, Integer> counts;

	}

	@Configuration(proxyBeanMethods = false)
	static class CodecConfiguration {

		@Bean
		Codec<String> upper() {
			return new Codec<>() {

				@Override
				public byte[] encode(String value) {
					return Codec.utf8(value.toUpperCase(java.util.Locale.ROOT));
				}

				@Override
				public String decode(byte[] bytes) {
					return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
				}

				@Override
				public String id() {
					return "upper";
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		@Bean
		DictStore userStore(
				@org.springframework.beans.factory.annotation.Value("${persistentdict.store.path}") Path path) {
			return DictStore.open(path.resolveSibling("user.db"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClashingConfiguration {

		@Bean
		String books() {
			return "not a map";
		}

	}

}
