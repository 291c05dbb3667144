package io.persistentdict.benchmarks.cacheable;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.persistentdict.benchmarks.Cursor;
import io.persistentdict.benchmarks.Data;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A {@code @Cacheable} method called through its Spring proxy, one thread: hits (keys
 * loaded beforehand, uniform over {@code keys}), misses (a fresh key each call: a lookup
 * that misses, the method, which returns at once, and a put), and the cache's own read of
 * a present key without the proxy ({@link Manager#direct}), so that the proxy's share of
 * a hit can be computed in the same run.
 */
@BenchmarkMode({ Mode.Throughput, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class CacheableBenchmark {

	/** Misses after which the cache is cleared (between iterations), to bound memory. */
	private static final long CLEAR_AFTER = 500_000;

	/**
	 * A running application with a loaded cache.
	 */
	@State(Scope.Benchmark)
	public static class Application {

		/** The cache manager. */
		@Param("PERSISTENTDICT")
		public Manager manager;

		/** How many keys the hits are spread over. */
		@Param("10000")
		public int keys;

		String[] names;

		int[] samples;

		BenchService service;

		Function<String, @Nullable Object> direct;

		long misses;

		private long missesAtClear;

		private ConfigurableApplicationContext context;

		private Cache cache;

		private Path dir;

		@Setup(Level.Trial)
		public void start() {
			this.dir = Data.newDirectory("cacheable-" + this.manager.name());
			this.context = this.manager.start(this.dir);
			this.service = this.context.getBean(BenchService.class);
			this.cache = Objects.requireNonNull(this.context.getBean(CacheManager.class).getCache(BenchService.CACHE));
			this.names = Data.keys(this.keys);
			this.samples = Data.uniform(this.keys);
			this.direct = this.manager.direct(this.cache);
			load();
			// every loaded key is a hit through the proxy and through the direct read
			long calls = this.service.calls();
			for (int i = 0; i < this.keys; i += 97) {
				Item item = this.service.find(this.names[i]);
				if (!item.key().equals(this.names[i]) || !(this.direct.apply(this.names[i]) instanceof Item)) {
					throw new IllegalStateException("Key " + this.names[i] + " is not cached as an Item");
				}
			}
			if (this.service.calls() != calls) {
				throw new IllegalStateException("Loaded keys missed the " + this.manager + " cache");
			}
		}

		private void load() {
			this.cache.clear();
			for (String name : this.names) {
				this.service.find(name);
			}
		}

		@Setup(Level.Iteration)
		public void bound() {
			if (this.misses - this.missesAtClear > CLEAR_AFTER) {
				load();
				this.missesAtClear = this.misses;
			}
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.cache.clear();
			this.context.close();
			Data.delete(this.dir);
		}

	}

	@Benchmark
	public Item hit(Application app, Cursor cursor) {
		return app.service.find(app.names[app.samples[cursor.next()]]);
	}

	@Benchmark
	public Item miss(Application app) {
		return app.service.find("miss:" + app.misses++);
	}

	@Benchmark
	public @Nullable Object directGet(Application app, Cursor cursor) {
		return app.direct.apply(app.names[app.samples[cursor.next()]]);
	}

}
