package io.persistentdict.benchmarks.peers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictSpec;
import io.persistentdict.DictStats;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.StatsRecorder;
import io.persistentdict.StoreOptions;
import io.persistentdict.codec.Codec;
import org.jspecify.annotations.Nullable;

/**
 * PersistentDict, through its public API only: on a SQLite file, or on PostgreSQL through
 * {@code DictStore.connect(dataSource)}.
 *
 * @param <V> the value type of the dict
 */
final class DictKv<V> implements Kv {

	private final DictStore store;

	private final PersistentDict<String, V> dict;

	private final Convert<V> convert;

	private final LongAdder commits = new LongAdder();

	private final LongAdder committed = new LongAdder();

	/** What the store stands on and closes after it: none for a SQLite file. */
	private final @Nullable AutoCloseable underneath;

	private DictKv(Peer.Config config, boolean oneCommitPerPut, DictSpec<String, V> spec, Convert<V> convert) {
		this(config, oneCommitPerPut, spec, convert, null, false);
	}

	private DictKv(Peer.Config config, boolean oneCommitPerPut, DictSpec<String, V> spec, Convert<V> convert,
			@Nullable PgDatabase database) {
		this(config, oneCommitPerPut, spec, convert, database, false);
	}

	/**
	 * Open the dict on a SQLite file in the directory, or, given a PostgreSQL database,
	 * through {@code DictStore.connect} on a HikariCP pool of it.
	 */
	private DictKv(Peer.Config config, boolean oneCommitPerPut, DictSpec<String, V> spec, Convert<V> convert,
			@Nullable PgDatabase database, boolean defaultLayout) {
		StoreOptions.Builder options = StoreOptions.builder()
			.synchronous(config.synchronous())
			.clock(config.clock())
			.statsRecorder(new StatsRecorder() {

				@Override
				public void recordCommit(int operations, long nanos) {
					DictKv.this.commits.increment();
					DictKv.this.committed.add(operations);
				}

			});
		if (oneCommitPerPut) {
			options.groupCommitLimit(1);
		}
		if (database == null) {
			this.store = DictStore.open(config.dir().resolve("dict.db"), options.build());
			this.underneath = null;
		}
		else {
			HikariDataSource pool = database.pool();
			this.underneath = () -> {
				try {
					pool.close();
				}
				finally {
					database.close();
				}
			};
			try {
				this.store = DictStore.connect(pool, options.build());
			}
			catch (RuntimeException ex) {
				pool.close();
				throw ex;
			}
		}
		this.dict = this.store.dict(defaultLayout ? spec : spec.withLayout(config.resolvedLayout()));
		this.convert = convert;
	}

	/**
	 * Drop the count triggers of the schema's dict tables: a control that prices the
	 * counts on PostgreSQL, in the same run (its {@code size()} is then wrong). Dropped,
	 * not disabled: PostgreSQL prepares a row-level trigger's work for every row a
	 * statement updates even while the trigger is disabled (the old row's fetch, the
	 * trigger's {@code WHEN}), so {@code DISABLE TRIGGER} priced only part of them.
	 */
	private static void dropCountTriggers(PgDatabase database) {
		try (java.sql.Connection connection = database.connect();
				java.sql.Statement statement = connection.createStatement()) {
			java.util.List<String> tables = new java.util.ArrayList<>();
			try (java.sql.ResultSet rs = statement.executeQuery("SELECT tablename FROM pg_tables"
					+ " WHERE schemaname = 'persistentdict' AND tablename LIKE 'd\\_%'")) {
				while (rs.next()) {
					tables.add(rs.getString(1));
				}
			}
			if (tables.isEmpty()) {
				throw new IllegalStateException("No dict table to switch the counts off on");
			}
			for (String table : tables) {
				for (String trigger : java.util.List.of("pd_count_truncated", "pd_count_row_inserted",
						"pd_count_row_deleted")) {
					statement.execute("DROP TRIGGER " + trigger + " ON persistentdict." + table);
				}
			}
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * PersistentDict with the {@code bytes} codec on a PostgreSQL database of its own.
	 * @param config the settings
	 * @param oneCommitPerPut whether group commit is off ({@code groupCommitLimit 1})
	 * @param nearCache the near cache's size, or 0 for none
	 * @return the store
	 */
	static DictKv<byte[]> postgres(Peer.Config config, boolean oneCommitPerPut, int nearCache) {
		return postgres(config, oneCommitPerPut, nearCache, false);
	}

	/**
	 * PersistentDict with the {@code bytes} codec on a PostgreSQL database of its own.
	 * @param config the settings
	 * @param oneCommitPerPut whether group commit is off ({@code groupCommitLimit 1})
	 * @param nearCache the near cache's size, or 0 for none
	 * @param countsOff whether to switch the count triggers off, as a control
	 * @return the store
	 */
	static DictKv<byte[]> postgres(Peer.Config config, boolean oneCommitPerPut, int nearCache, boolean countsOff) {
		PgDatabase database = PgDatabase.create();
		try {
			DictKv<byte[]> kv = new DictKv<>(config, oneCommitPerPut, bytesSpec(nearCache), identity(), database);
			if (countsOff) {
				dropCountTriggers(database);
			}
			return kv;
		}
		catch (RuntimeException ex) {
			database.close();
			throw ex;
		}
	}

	static DictKv<byte[]> bytes(Peer.Config config, boolean oneCommitPerPut) {
		return bytes(config, oneCommitPerPut, 0);
	}

	static DictKv<byte[]> nearCached(Peer.Config config, int nearCache) {
		return bytes(config, false, nearCache);
	}

	private static DictKv<byte[]> bytes(Peer.Config config, boolean oneCommitPerPut, int nearCache) {
		return new DictKv<>(config, oneCommitPerPut, bytesSpec(nearCache), identity());
	}

	private static DictSpec<String, byte[]> bytesSpec(int nearCache) {
		return DictSpec.of("bench", String.class, byte[].class).withCodec(Codec.bytes()).withNearCache(nearCache);
	}

	private static Convert<byte[]> identity() {
		return new Convert<>() {

			@Override
			public byte[] in(byte[] value) {
				return value;
			}

			@Override
			public byte[] out(byte[] value) {
				return value;
			}

		};
	}

	/**
	 * PersistentDict as {@code store.dict("bench", String.class, byte[].class)} makes it:
	 * the default spec, codec and layout, whatever the config's layout.
	 * @param config the settings
	 * @return the store
	 */
	static DictKv<byte[]> defaults(Peer.Config config) {
		return new DictKv<>(config, false, DictSpec.of("bench", String.class, byte[].class), identity(), null, true);
	}

	static DictKv<String> strings(Peer.Config config) {
		// Latin-1 maps each byte to one char and back; the codec then stores UTF-8
		return new DictKv<>(config, false, DictSpec.of("bench", String.class, String.class), new Convert<>() {

			@Override
			public String in(byte[] value) {
				return new String(value, StandardCharsets.ISO_8859_1);
			}

			@Override
			public byte[] out(String value) {
				return value.getBytes(StandardCharsets.ISO_8859_1);
			}

		});
	}

	@Override
	public void put(String key, byte[] value) {
		this.dict.set(key, this.convert.in(value));
	}

	@Override
	public byte @Nullable [] putReturning(String key, byte[] value) {
		V previous = this.dict.put(key, this.convert.in(value));
		return (previous != null) ? this.convert.out(previous) : null;
	}

	@Override
	public byte @Nullable [] get(String key) {
		V value = this.dict.get(key);
		return (value != null) ? this.convert.out(value) : null;
	}

	@Override
	public void putAll(Map<String, byte[]> entries) {
		this.dict.putAll(converted(entries));
	}

	@Override
	public void putAll(Map<String, byte[]> entries, Duration ttl) {
		this.dict.putAll(converted(entries), ttl);
	}

	@SuppressWarnings("unchecked")
	private Map<String, V> converted(Map<String, byte[]> entries) {
		if (this.dict.spec().valueType() == byte[].class) {
			return (Map<String, V>) entries;
		}
		// a user's map already holds its values: convert the benchmark's map once, so
		// that the conversion is not timed with each putAll of the same map
		Object[] cached = lastConversion;
		if (cached != null && cached[0] == entries) {
			return (Map<String, V>) cached[1];
		}
		Map<String, V> converted = new LinkedHashMap<>();
		entries.forEach((key, value) -> converted.put(key, this.convert.in(value)));
		lastConversion = new Object[] { entries, converted };
		return converted;
	}

	/** The last map converted, and its conversion. */
	private static volatile Object @Nullable [] lastConversion;

	@Override
	public long purgeExpired() {
		return this.dict.sweep();
	}

	@Override
	public long iterate() {
		long sum = 0;
		for (Map.Entry<String, V> entry : this.dict.entrySet()) {
			sum += entry.getKey().length() + this.convert.out(entry.getValue()).length;
		}
		return sum;
	}

	@Override
	public long size() {
		return this.dict.size();
	}

	@Override
	public void vacuum() {
		this.store.vacuum();
	}

	@Override
	public void close() {
		long commits = this.commits.sum();
		if (commits > 0) {
			// JMH shows a fork's output: how many writes each commit carried, on average
			System.out.printf("%n[persistentdict] %,d writes in %,d commits: %.2f a commit%n", this.committed.sum(),
					commits, (double) this.committed.sum() / commits);
		}
		DictStats stats = this.dict.stats();
		long reads = stats.hits() + stats.misses();
		if (stats.nearHits() > 0 && reads > 0) {
			// the near cache's hit share, over the warm-up passes and every iteration
			System.out.printf("%n[persistentdict] near cache: %.1f%% of %,d reads hit%n",
					100.0 * stats.nearHits() / reads, reads);
		}
		this.store.close();
		if (this.underneath != null) {
			try {
				this.underneath.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	private interface Convert<V> {

		V in(byte[] value);

		byte[] out(V value);

	}

}
