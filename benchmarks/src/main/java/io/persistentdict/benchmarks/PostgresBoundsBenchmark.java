package io.persistentdict.benchmarks;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.EvictionPolicy;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import io.persistentdict.testing.postgres.TestPostgres;
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

/**
 * {@link BoundsBenchmark} on PostgreSQL: a dict bounded to {@code entries} entries with
 * each policy beside an unbounded one, each on a database of its own on the benchmark's
 * PostgreSQL (durable commits). {@code set} writes random keys of a key space twice the
 * bound, so a bounded dict evicts all the time; {@code get} reads random keys of the
 * bound's key space from a full dict; {@code CHURN} does a bound's inserts and deletes by
 * hand; {@code setNew} writes keys never written before, so that the unbounded dict
 * inserts as often as the bounded ones, which evict one entry a write. Compare the
 * {@code policy} rows of each benchmark.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class PostgresBoundsBenchmark {

	/** A store with one dict, bounded or not. */
	@State(Scope.Benchmark)
	public static class Bounded {

		/**
		 * {@code NONE} for an unbounded dict, {@code CHURN} for one that deletes by hand
		 * ({@link Churn}), or the bounded dict's policy.
		 */
		@Param({ "NONE", "CHURN", "LEAST_RECENTLY_STORED", "LEAST_RECENTLY_USED" })
		public String policy;

		/** The bound, and the entries the dict holds. */
		@Param("20000")
		public int entries;

		/** The size of each value, in bytes. */
		@Param("100")
		public int valueSize;

		String[] keys;

		byte[][] values;

		String database;

		HikariDataSource pool;

		DictStore store;

		PersistentDict<String, byte[]> dict;

		int written;

		/** For {@code CHURN}: the deletes by hand. */
		@Nullable Churn churn;

		@Setup(Level.Trial)
		public void setUp() {
			this.keys = Data.keys(this.entries * 2);
			this.values = Data.values(this.valueSize);
			this.database = "bounds_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(TestPostgres.server().createDatabase(this.database));
			config.setMaximumPoolSize(10);
			this.pool = new HikariDataSource(config);
			this.store = DictStore.connect(this.pool, StoreOptions.builder().build());
			DictSpec<String, byte[]> spec = DictSpec.of("bounded", String.class, byte[].class);
			if (!"NONE".equals(this.policy) && !"CHURN".equals(this.policy)) {
				spec = spec.withMaximumSize(this.entries).withEviction(EvictionPolicy.valueOf(this.policy));
			}
			this.dict = this.store.dict(spec);
			this.churn = "CHURN".equals(this.policy) ? new Churn(this.entries) : null;
			java.util.Map<String, byte[]> batch = new java.util.LinkedHashMap<>();
			for (int i = 0; i < this.entries; i++) {
				batch.put(this.keys[i], Data.value(this.values, i));
				if (this.churn != null) {
					this.churn.loaded(i);
				}
				if (batch.size() == 1000) {
					this.dict.putAll(batch);
					batch.clear();
				}
			}
			this.dict.putAll(batch);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.store.close();
			this.pool.close();
			TestPostgres.server().dropDatabase(this.database);
		}

	}

	@Benchmark
	public void set(Bounded state) {
		int i = ThreadLocalRandom.current().nextInt(state.keys.length);
		state.dict.set(state.keys[i], Data.value(state.values, state.written++));
		if (state.churn != null) {
			state.churn.wrote(i, state.keys, state.dict);
		}
	}

	/**
	 * A write of a key never written before, as a cache that keeps missing sees: the
	 * unbounded dict grows, and a bounded one evicts one entry for each. This prices the
	 * eviction alone: both insert the same new rows, where in {@link #set} half of the
	 * bounded dict's writes insert a key that the unbounded dict only overwrites.
	 */
	@Benchmark
	public void setNew(Bounded state) {
		String key = Data.freshKey(state.written);
		state.dict.set(key, Data.value(state.values, state.written++));
		if (state.churn != null) {
			state.churn.wroteNew(key, state.keys, state.dict);
		}
	}

	@Benchmark
	public byte[] get(Bounded state) {
		int i = ThreadLocalRandom.current().nextInt(state.entries);
		return state.dict.get(state.keys[i]);
	}

}
