package io.persistentdict.benchmarks.peers;

import java.nio.file.Path;
import java.time.InstantSource;

import io.persistentdict.Layout;
import io.persistentdict.Synchronous;

/**
 * The peers, each in one durability mode. Modes are part of the name, so that a table
 * never compares a peer that fsyncs each write with one that does not.
 */
public enum Peer {

	/** Raw sqlite-jdbc: the baseline every figure is divided by. */
	RAW("raw sqlite-jdbc", null),

	/** PersistentDict with the {@code bytes} codec: the map's own cost. */
	DICT("PersistentDict (bytes codec)", null),

	/**
	 * PersistentDict made with {@code store.dict("bench", String.class, byte[].class)}:
	 * the default {@code DictSpec}, whose {@code AUTO} layout is {@code SPLIT} for
	 * {@code byte[]} values, whatever the benchmark's {@code layout} (which only the
	 * other peers follow). Beside raw on its best table for the value size, it shows what
	 * a user who never picks a layout gets.
	 */
	DICT_DEFAULT("PersistentDict (default DictSpec: layout AUTO, SPLIT for byte[])", null),

	/** PersistentDict with {@code String} values and the default codec for them. */
	DICT_STRING("PersistentDict (default codec, String values)", null),

	/**
	 * PersistentDict with the {@code bytes} codec and a near cache with room for a tenth
	 * of the entries.
	 */
	DICT_NEAR("PersistentDict (bytes codec, near cache for 10% of entries)", null),

	/**
	 * PersistentDict with the {@code bytes} codec and a near cache with room for a
	 * quarter of the entries: enough for every key the Zipf sequence reads (about 23% of
	 * them), so it holds the whole hot set.
	 */
	DICT_NEAR_QUARTER("PersistentDict (bytes codec, near cache for 25% of entries)", null),

	/** PersistentDict with group commit off: one commit per put. */
	DICT_NO_GROUP("PersistentDict, one commit per put (groupCommitLimit 1)", null),

	/** MapDB 3.1, file-backed, mmap, transactions on, commit after each put. */
	MAPDB_TX("MapDB 3.1 (mmap, tx, commit per put)", "durable per operation (MapDB WAL commit)"),

	/** MapDB 3.1, file-backed, mmap, no transactions. */
	MAPDB("MapDB 3.1 (mmap, no tx)", "not crash-safe (no WAL; file may be corrupt after a crash)"),

	/** H2 MVStore, commit after each put. */
	MVSTORE_COMMIT("H2 MVStore (commit per put)", "crash-consistent per operation (commit writes a chunk, no fsync)"),

	/** H2 MVStore with its background auto-commit. */
	MVSTORE("H2 MVStore (background commit)", "crash-consistent, loses up to ~1 s (background commit)"),

	/** Ehcache 3 with a heap tier over a persistent disk tier. */
	EHCACHE("Ehcache 3 (heap + persistent disk)", "persisted on clean close only"),

	/** Caffeine, in memory. */
	CAFFEINE("Caffeine", "in memory"),

	/** Redis over loopback, AOF with {@code appendfsync always}. */
	REDIS_ALWAYS("Redis 7 (AOF always)", "durable per operation (fsync each write)"),

	/** Redis over loopback, AOF with {@code appendfsync everysec}. */
	REDIS_EVERYSEC("Redis 7 (AOF everysec)", "loses up to ~1 s (fsync every second)"),

	/**
	 * Redis with AOF everysec on a {@code redis-server} of its own, which a close shuts
	 * down and an open starts again: for reopen. Needs {@code redis-server} on the path.
	 */
	REDIS_RESTART("Redis 7 (AOF everysec, server restarted)", "loses up to ~1 s (fsync every second)"),

	/**
	 * Raw pgjdbc on the benchmark's PostgreSQL: the baseline of the PostgreSQL figures
	 * (see {@link RawPgKv}); {@code putAll} as multi-row {@code unnest} upserts.
	 */
	PG_RAW("raw pgjdbc (unnest for putAll)", Peer.PG_DURABLE),

	/** Raw pgjdbc with {@code putAll} through {@code COPY} into a temporary table. */
	PG_RAW_COPY("raw pgjdbc (COPY for putAll)", Peer.PG_DURABLE),

	/**
	 * PersistentDict with the {@code bytes} codec on PostgreSQL:
	 * {@code DictStore.connect} on a HikariCP pool.
	 */
	PG_DICT("PersistentDict on PostgreSQL (bytes codec)", Peer.PG_DURABLE),

	/**
	 * PersistentDict on PostgreSQL with a near cache for a quarter of the entries (the
	 * Zipf sequence's hot set), kept coherent by LISTEN/NOTIFY.
	 */
	PG_DICT_NEAR("PersistentDict on PostgreSQL (bytes codec, near cache for 25% of entries)", Peer.PG_DURABLE),

	/** PersistentDict on PostgreSQL with group commit off: one commit per put. */
	PG_DICT_NO_GROUP("PersistentDict on PostgreSQL, one commit per put (groupCommitLimit 1)", Peer.PG_DURABLE),

	/**
	 * {@link #PG_DICT} with its table's count triggers dropped after it opens: the
	 * control that prices the exact counts, in the same run. Its {@code size()} is wrong.
	 */
	PG_DICT_NO_COUNTS("PersistentDict on PostgreSQL, count triggers dropped (a control)", Peer.PG_DURABLE);

	/** What a PostgreSQL write survives here: the server's defaults, which it keeps. */
	static final String PG_DURABLE = "durable per commit (synchronous_commit=on, fsync=on)";

	private final String label;

	private final String durability;

	Peer(String label, String durability) {
		this.label = label;
		this.durability = durability;
	}

	/**
	 * Return the name shown in tables.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Return what a write that has returned survives.
	 * @param synchronous the SQLite synchronous level, for the SQLite peers
	 * @return the durability
	 */
	public String durability(Synchronous synchronous) {
		if (this.durability != null) {
			return this.durability;
		}
		return switch (synchronous) {
			case FULL -> "durable per operation (WAL, synchronous=FULL)";
			case NORMAL -> "crash-consistent (WAL, synchronous=NORMAL: a power loss may drop the last commits)";
			case OFF -> "not crash-safe (synchronous=OFF)";
		};
	}

	/**
	 * Return whether the peer keeps its data across a close and an open.
	 * @return whether it can be reopened
	 */
	public boolean persists() {
		return this != CAFFEINE && this != REDIS_ALWAYS && this != REDIS_EVERYSEC;
	}

	/**
	 * Open the peer's store in a directory, or reopen what is there.
	 * @param config the settings
	 * @return the store
	 */
	public Kv open(Config config) {
		return switch (this) {
			case RAW -> new RawSqliteKv(config);
			case DICT -> DictKv.bytes(config, false);
			case DICT_DEFAULT -> DictKv.defaults(config);
			case DICT_STRING -> DictKv.strings(config);
			case DICT_NO_GROUP -> DictKv.bytes(config, true);
			case DICT_NEAR -> DictKv.nearCached(config, Math.max(1, config.entries() / 10));
			case DICT_NEAR_QUARTER -> DictKv.nearCached(config, Math.max(1, config.entries() / 4));
			case MAPDB_TX -> new MapDbKv(config, true);
			case MAPDB -> new MapDbKv(config, false);
			case MVSTORE_COMMIT -> new MvStoreKv(config, true);
			case MVSTORE -> new MvStoreKv(config, false);
			case EHCACHE -> new EhcacheKv(config);
			case CAFFEINE -> new CaffeineKv();
			case REDIS_ALWAYS -> new RedisKv(config, true);
			case REDIS_EVERYSEC -> new RedisKv(config, false);
			case REDIS_RESTART -> RedisKv.restartable(config);
			case PG_RAW -> new RawPgKv(config, false);
			case PG_RAW_COPY -> new RawPgKv(config, true);
			case PG_DICT -> DictKv.postgres(config, false, 0);
			case PG_DICT_NO_GROUP -> DictKv.postgres(config, true, 0);
			case PG_DICT_NEAR -> DictKv.postgres(config, false, Math.max(1, config.entries() / 4));
			case PG_DICT_NO_COUNTS -> DictKv.postgres(config, false, 0, true);
		};
	}

	/**
	 * Return whether this peer stores on PostgreSQL.
	 * @return whether it is one of the PostgreSQL peers
	 */
	public boolean postgres() {
		return name().startsWith("PG_");
	}

	/**
	 * Return whether this peer keeps a near cache, which a benchmark should warm.
	 * @return whether it is one of the near-cached peers
	 */
	public boolean nearCached() {
		return this == DICT_NEAR || this == DICT_NEAR_QUARTER || this == PG_DICT_NEAR;
	}

	/**
	 * Where and how to open a store.
	 *
	 * @param dir the directory the store lives in
	 * @param synchronous the synchronous level (SQLite peers)
	 * @param layout the table layout (SQLite peers); {@code AUTO} resolves as the core
	 * does for {@code byte[]} values, to {@code ROWID}
	 * @param entries how many entries the benchmark loads (near cache sizes follow it)
	 * @param clock the clock that stamps and checks expiry (SQLite peers; the others keep
	 * their own time)
	 */
	public record Config(Path dir, Synchronous synchronous, Layout layout, int entries, InstantSource clock) {

		/**
		 * Where and how to open a store, on the system clock.
		 * @param dir the directory the store lives in
		 * @param synchronous the synchronous level (SQLite peers)
		 * @param layout the table layout (SQLite peers)
		 * @param entries how many entries the benchmark loads
		 */
		public Config(Path dir, Synchronous synchronous, Layout layout, int entries) {
			this(dir, synchronous, layout, entries, InstantSource.system());
		}

		/**
		 * Return the layout that {@code AUTO} resolves to here: {@code ROWID}, the layout
		 * the core picked for {@code byte[]} and {@code String} values before
		 * {@code SPLIT}, so that the figures of these workloads stay comparable from run
		 * to run. ({@link Peer#DICT_DEFAULT} is the peer on the core's own default.)
		 * @return the layout
		 */
		public Layout resolvedLayout() {
			return (this.layout == Layout.AUTO) ? Layout.ROWID : this.layout;
		}

	}

}
