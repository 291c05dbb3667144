package io.persistentdict.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import io.persistentdict.testing.postgres.TestPostgres;
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
 * Eight instances of an application writing to one schema: eight stores, each with a pool
 * of its own and one writer thread, so that their commits are separate (within one store,
 * group commit would share them). {@code set} of random keys of 100,000, 100-byte values,
 * durable commits. {@code RAW} is eight plain pgjdbc connections doing the same upsert in
 * autocommit; {@code DICT} the stores with no near cache anywhere, so no write notifies;
 * {@code DICT_LISTENED} the same once a ninth store has used a near cache on the schema,
 * so that every write notifies, and PostgreSQL serializes those commits.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PostgresInstancesBenchmark {

	private static final int INSTANCES = 8;

	private static final int KEYS = 100_000;

	/** The instances, on a database of their own. */
	@State(Scope.Benchmark)
	public static class Instances {

		@Param({ "RAW", "DICT", "DICT_LISTENED" })
		public String mode;

		@Param("1")
		public int round;

		final List<DictStore> stores = new ArrayList<>();

		final List<PersistentDict<String, byte[]>> dicts = new ArrayList<>();

		final List<HikariDataSource> pools = new ArrayList<>();

		final List<Connection> raw = new ArrayList<>();

		final AtomicInteger next = new AtomicInteger();

		String[] keys;

		byte[] value;

		private String database;

		private String url;

		@Setup(Level.Trial)
		public void open() throws SQLException {
			this.keys = new String[KEYS];
			for (int i = 0; i < KEYS; i++) {
				this.keys[i] = String.format("user:%08d", i);
			}
			this.value = new byte[100];
			ThreadLocalRandom.current().nextBytes(this.value);
			this.database = "inst_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
			this.url = TestPostgres.server().createDatabase(this.database);
			if (this.mode.equals("RAW")) {
				try (Connection connection = DriverManager.getConnection(this.url);
						Statement statement = connection.createStatement()) {
					statement.execute("CREATE TABLE bench (k text COLLATE \"C\" NOT NULL PRIMARY KEY,"
							+ " v bytea NOT NULL, x bigint)");
				}
				for (int i = 0; i < INSTANCES; i++) {
					this.raw.add(DriverManager.getConnection(this.url));
				}
				return;
			}
			StoreOptions options = StoreOptions.builder().schema("bench").build();
			for (int i = 0; i <= INSTANCES; i++) {
				HikariConfig config = new HikariConfig();
				config.setJdbcUrl(this.url);
				config.setPoolName("instance-" + i);
				config.setMaximumPoolSize(3);
				HikariDataSource pool = new HikariDataSource(config);
				this.pools.add(pool);
				DictStore store = DictStore.connect(pool, options);
				this.stores.add(store);
				if (i < INSTANCES) {
					this.dicts.add(store.dict(DictSpec.of("bench", String.class, byte[].class)));
				}
			}
			if (this.mode.equals("DICT_LISTENED")) {
				// the ninth instance uses a near cache: once it listens, every writer
				// notifies
				PersistentDict<String, byte[]> cached = this.stores.get(INSTANCES)
					.dict(DictSpec.of("bench", String.class, byte[].class).withNearCache(100));
				cached.get("k");
				awaitListened();
			}
		}

		private void awaitListened() throws SQLException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			try (Connection connection = DriverManager.getConnection(this.url);
					PreparedStatement statement = connection
						.prepareStatement("SELECT count(*) FROM bench.pd_meta WHERE key = 'listened'")) {
				while (System.nanoTime() < deadline) {
					try (ResultSet rs = statement.executeQuery()) {
						rs.next();
						if (rs.getInt(1) == 1) {
							return;
						}
					}
					Thread.onSpinWait();
				}
			}
			throw new IllegalStateException("no instance listened within 30 s");
		}

		@TearDown(Level.Trial)
		public void close() throws SQLException {
			for (Connection connection : this.raw) {
				connection.close();
			}
			for (DictStore store : this.stores) {
				store.close();
			}
			for (HikariDataSource pool : this.pools) {
				pool.close();
			}
			TestPostgres.server().dropDatabase(this.database);
		}

	}

	/** One writer thread's instance. */
	@State(Scope.Thread)
	public static class Writer {

		PersistentDict<String, byte[]> dict;

		PreparedStatement upsert;

		@Setup(Level.Trial)
		public void pick(Instances instances) throws SQLException {
			int index = instances.next.getAndIncrement() % INSTANCES;
			if (instances.mode.equals("RAW")) {
				this.upsert = instances.raw.get(index)
					.prepareStatement("INSERT INTO bench (k, v, x) VALUES (?, ?, NULL)"
							+ " ON CONFLICT (k) DO UPDATE SET v = excluded.v, x = excluded.x");
			}
			else {
				this.dict = instances.dicts.get(index);
			}
		}

	}

	@Benchmark
	@Threads(INSTANCES)
	public void set8(Instances instances, Writer writer) throws SQLException {
		String key = instances.keys[ThreadLocalRandom.current().nextInt(KEYS)];
		if (writer.upsert != null) {
			writer.upsert.setString(1, key);
			writer.upsert.setBytes(2, instances.value);
			writer.upsert.executeUpdate();
		}
		else {
			writer.dict.set(key, instances.value);
		}
	}

}
