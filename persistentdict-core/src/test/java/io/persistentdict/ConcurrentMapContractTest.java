package io.persistentdict;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import io.persistentdict.codec.Codec;
import junit.framework.Test;
import junit.framework.TestSuite;
import org.jspecify.annotations.Nullable;

/**
 * Guava testlib's {@code ConcurrentMap} contract suite, run against a dict for each codec
 * that can hold strings, with compression on and off. The suites are JUnit 3 style and
 * run through the vintage engine. Nothing is suppressed.
 */
public final class ConcurrentMapContractTest {

	private ConcurrentMapContractTest() {
	}

	public static Test suite() throws Exception {
		return suite("SQLite", SqliteFixture.inTemporaryDirectory());
	}

	/**
	 * Return the suites for an engine: an engine's module calls this from a
	 * {@code suite()} method of its own.
	 * @param engine the engine's name, for the suites' names
	 * @param fixture where the stores come from
	 * @return the suites
	 */
	public static Test suite(String engine, StoreFixture fixture) {
		return suite(engine, fixture, List.of("string", "java", "json"), List.of(false, true));
	}

	/**
	 * Return the suites for an engine, for some codecs only: the codecs are the neutral
	 * layer's, so an engine whose every dict costs DDL may run one configuration in its
	 * regular build and the whole matrix on demand.
	 * @param engine the engine's name, for the suites' names
	 * @param fixture where the stores come from
	 * @param codecs the codecs, of {@code string}, {@code java} and {@code json}
	 * @param compressions whether compression is off, on, or both
	 * @return the suites
	 */
	public static Test suite(String engine, StoreFixture fixture, List<String> codecs, List<Boolean> compressions) {
		TestSuite suite = new TestSuite("PersistentDict as a ConcurrentMap on " + engine);
		for (String codec : codecs) {
			for (boolean compression : compressions) {
				suite.addTest(ConcurrentMapTestSuiteBuilder.using(new Generator(fixture, codec, compression))
					.named("PersistentDict[codec=" + codec + ", compression=" + compression + "]")
					.withFeatures(MapFeature.GENERAL_PURPOSE, CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
							CollectionSize.ANY)
					.createTestSuite());
			}
		}
		return suite;
	}

	/**
	 * Makes a fresh, empty dict for each test, in one store per configuration; the
	 * previous dict is dropped so the schema stays small.
	 */
	private static final class Generator extends TestStringMapGenerator {

		private final StoreFixture fixture;

		private final String codec;

		private final boolean compression;

		private final AtomicInteger counter = new AtomicInteger();

		private @Nullable DictStore store;

		private @Nullable String previous;

		Generator(StoreFixture fixture, String codec, boolean compression) {
			this.fixture = fixture;
			this.codec = codec;
			this.compression = compression;
		}

		@Override
		public SampleElements<Map.Entry<String, String>> samples() {
			SampleElements<Map.Entry<String, String>> samples = super.samples();
			if (!this.compression) {
				return samples;
			}
			// long, repetitive values, so that compression really happens
			return new SampleElements<>(stretch(samples.e0()), stretch(samples.e1()), stretch(samples.e2()),
					stretch(samples.e3()), stretch(samples.e4()));
		}

		private static Map.Entry<String, String> stretch(Map.Entry<String, String> entry) {
			return Map.entry(entry.getKey(), entry.getValue().repeat(40));
		}

		@Override
		protected Map<String, String> create(Map.Entry<String, String>[] entries) {
			DictStore store = store();
			if (this.previous != null) {
				store.drop(this.previous);
			}
			String name = "m" + this.counter.incrementAndGet();
			this.previous = name;
			PersistentDict<String, String> dict = store.dict(DictSpec.of(name, String.class, String.class)
				.withCodec(Codec.named(this.codec, String.class, List.of()))
				.withCompressionThreshold(this.compression ? 0 : -1));
			for (Map.Entry<String, String> entry : entries) {
				dict.put(entry.getKey(), entry.getValue());
			}
			return dict;
		}

		private DictStore store() {
			if (this.store == null) {
				DictStore created = this.fixture.open("contract-" + this.codec + "-" + this.compression);
				Runtime.getRuntime().addShutdownHook(new Thread(created::close));
				this.store = created;
			}
			return this.store;
		}

	}

}
