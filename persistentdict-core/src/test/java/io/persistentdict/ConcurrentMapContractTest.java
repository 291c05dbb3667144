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
 * that can hold strings, with compression on and off, in the default layout; on SQLite
 * also in each other layout, and in {@code SPLIT} with values too large to stay inline.
 * The suites are JUnit 3 style and run through the vintage engine. Nothing is suppressed.
 */
public final class ConcurrentMapContractTest {

	private ConcurrentMapContractTest() {
	}

	public static Test suite() throws Exception {
		SqliteFixture fixture = SqliteFixture.inTemporaryDirectory();
		TestSuite suite = (TestSuite) suite("SQLite", fixture);
		for (Layout layout : Layout.values()) {
			if (layout != Layout.AUTO) {
				suite.addTest(layoutSuite(fixture, layout, false));
			}
		}
		// values of 300 bytes or more, uncompressed: all of them in the side table
		suite.addTest(layoutSuite(fixture, Layout.SPLIT, true));
		return suite;
	}

	private static Test layoutSuite(StoreFixture fixture, Layout layout, boolean large) {
		return ConcurrentMapTestSuiteBuilder.using(new Generator(fixture, "string", false, layout, large))
			.named("PersistentDict[layout=" + layout + (large ? ", large values" : "") + "]")
			.withFeatures(MapFeature.GENERAL_PURPOSE, CollectionFeature.SUPPORTS_ITERATOR_REMOVE, CollectionSize.ANY)
			.createTestSuite();
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
				suite.addTest(ConcurrentMapTestSuiteBuilder
					.using(new Generator(fixture, codec, compression, Layout.AUTO, false))
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

		private final Layout layout;

		private final boolean large;

		private final AtomicInteger counter = new AtomicInteger();

		private @Nullable DictStore store;

		private @Nullable String previous;

		Generator(StoreFixture fixture, String codec, boolean compression, Layout layout, boolean large) {
			this.fixture = fixture;
			this.codec = codec;
			this.compression = compression;
			this.layout = layout;
			this.large = large;
		}

		@Override
		public SampleElements<Map.Entry<String, String>> samples() {
			SampleElements<Map.Entry<String, String>> samples = super.samples();
			if (!this.compression && !this.large) {
				return samples;
			}
			// long, repetitive values, so that compression really happens; or, without
			// compression, values of 300 bytes or more ("May" 100 times), all over the
			// SPLIT layout's inline limit
			int times = this.large ? 100 : 40;
			return new SampleElements<>(stretch(samples.e0(), times), stretch(samples.e1(), times),
					stretch(samples.e2(), times), stretch(samples.e3(), times), stretch(samples.e4(), times));
		}

		private static Map.Entry<String, String> stretch(Map.Entry<String, String> entry, int times) {
			return Map.entry(entry.getKey(), entry.getValue().repeat(times));
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
				.withCompressionThreshold(this.compression ? 0 : -1)
				.withLayout(this.layout));
			for (Map.Entry<String, String> entry : entries) {
				dict.put(entry.getKey(), entry.getValue());
			}
			return dict;
		}

		private DictStore store() {
			if (this.store == null) {
				DictStore created = this.fixture.open("contract-" + this.codec + "-" + this.compression + "-"
						+ this.layout.name().toLowerCase(java.util.Locale.ROOT) + (this.large ? "-large" : ""));
				Runtime.getRuntime().addShutdownHook(new Thread(created::close));
				this.store = created;
			}
			return this.store;
		}

	}

}
