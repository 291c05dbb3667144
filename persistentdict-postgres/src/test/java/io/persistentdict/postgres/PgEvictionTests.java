package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.Layout;
import io.persistentdict.PersistentDict;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StoreOptions;
import io.persistentdict.engine.CatalogEntry;
import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Row;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Totals;
import io.persistentdict.engine.Upsert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The order stamps and eviction of bounded dicts on PostgreSQL ({@link PgStamps}),
 * through the engine's interface, on a real PostgreSQL.
 */
class PgEvictionTests {

	private static final long NONE = Long.MAX_VALUE;

	private final PostgresFixture fixture = new PostgresFixture();

	private PgEngine engine;

	private String schema;

	@BeforeEach
	void connect() {
		// the fixture's store makes the schema, and its close drops it
		this.schema = this.fixture.schema("evict");
		this.fixture.open("evict", StoreOptions.defaults()).close();
		this.engine = PgEngine.connect(PostgresFixture.dataSource(),
				StoreOptions.builder().schema(this.schema).build());
	}

	@AfterEach
	void close() {
		this.engine.close();
		this.fixture.close();
	}

	private static CatalogEntry entry(String name, long maximumSize, long maximumBytes) {
		return new CatalogEntry("map", name, "java.lang.String", "string", "java.lang.String", "string", "ROWID", 0,
				false, 1024, maximumSize, maximumBytes, CatalogEntry.DEFAULT_EVICTION);
	}

	private TableStore create(CatalogEntry entry) {
		this.engine.writes().exclusive((w) -> {
			this.engine.catalog().create(w, entry, Layout.ROWID, 0);
			return null;
		});
		return this.engine.table(entry.qualifiedName(), Layout.ROWID, KeyKind.TEXT, entry.bounded());
	}

	private void put(TableStore table, String key, int valueBytes) {
		this.engine.writes().exclusive((w) -> {
			table.upsert(w, key, new byte[valueBytes], 0);
			return null;
		});
	}

	private int evict(TableStore table, long rows, long bytes, int limit) {
		Integer n = this.engine.writes().exclusive((w) -> table.evict(w, rows, bytes, Long.MAX_VALUE, limit).size());
		return (n != null) ? n : 0;
	}

	private List<String> keys(String dict) throws SQLException {
		List<String> keys = new ArrayList<>();
		try (Connection connection = PostgresFixture.dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"SELECT k FROM \"" + this.schema + "\"." + PgSchema.tableName(dict) + " ORDER BY k")) {
			while (rs.next()) {
				keys.add(rs.getString(1));
			}
		}
		return keys;
	}

	private Totals totals(TableStore table) {
		return this.engine.read(table::totals, table.name());
	}

	@Test
	void evictShouldDeleteTheOldestWritesFirstAndKeepTheTotalsExact() throws SQLException {
		TableStore table = create(entry("b", 100, NONE));
		for (int i = 0; i < 10; i++) {
			put(table, "k" + i, 10);
		}
		List<Object> evicted = this.engine.writes().exclusive((w) -> table.evict(w, 3, 0, Long.MAX_VALUE, 100));
		assertThat(evicted).containsExactlyInAnyOrder("k0", "k1", "k2");
		assertThat(keys("map:b")).containsExactly("k3", "k4", "k5", "k6", "k7", "k8", "k9");
		Totals totals = totals(table);
		assertThat(totals.rows()).isEqualTo(7);
		assertThat(totals.bytes()).isEqualTo(7 * (2 + 10));
		// a rewritten row goes to the back
		put(table, "k3", 10);
		assertThat(evict(table, 1, 0, 100)).isEqualTo(1);
		assertThat(keys("map:b")).doesNotContain("k4").contains("k3");
		assertThat(evict(table, 0, 0, 100)).isZero();
	}

	@Test
	void evictShouldTakeTheShortestPrefixThatFreesTheBytesAndRowsAndNoMoreThanTheLimit() throws SQLException {
		TableStore table = create(entry("bytes", NONE, 10_000));
		// rows of 2 + 100, 2 + 200, 2 + 300, 2 + 400 bytes, in that order
		for (int i = 1; i <= 4; i++) {
			put(table, "k" + i, 100 * i);
		}
		// 103 bytes: the first row frees 102, so two go
		assertThat(evict(table, 0, 103, 100)).isEqualTo(2);
		assertThat(keys("map:bytes")).containsExactly("k3", "k4");
		put(table, "k5", 10);
		put(table, "k6", 10);
		// one row and 1 byte: the first row does both
		assertThat(evict(table, 1, 1, 100)).isEqualTo(1);
		assertThat(keys("map:bytes")).containsExactly("k4", "k5", "k6");
		// three rows asked, two allowed
		assertThat(evict(table, 3, 0, 2)).isEqualTo(2);
		assertThat(keys("map:bytes")).containsExactly("k6");
		assertThat(totals(table).bytes()).isEqualTo(2 + 10);
	}

	@Test
	void stampsShouldFollowTheClockAndMoveReadRowsToTheBack() throws SQLException {
		TableStore table = create(entry("lru", 100, NONE));
		long before = totals(table).clock();
		for (int i = 0; i < 5; i++) {
			put(table, "k" + i, 5);
		}
		Totals totals = totals(table);
		assertThat(totals.clock()).isGreaterThanOrEqualTo(before + 5);
		Row k4 = this.engine.read((s) -> table.get(s, "k4"), table.name());
		assertThat(k4.stamp()).isPositive().isLessThanOrEqualTo(totals.clock());
		Integer stamped = this.engine.writes().exclusive((w) -> table.stamp(w, List.of("k0", "k1", "absent")));
		assertThat(stamped).isEqualTo(2);
		Row k0 = this.engine.read((s) -> table.get(s, "k0"), table.name());
		assertThat(k0.stamp()).isGreaterThan(k4.stamp());
		assertThat(k0.value()).hasSize(5);
		assertThat(totals(table).rows()).isEqualTo(5);
		assertThat(totals(table).bytes()).isEqualTo(totals.bytes());
		assertThat(evict(table, 2, 0, 100)).isEqualTo(2);
		assertThat(keys("map:lru")).containsExactly("k0", "k1", "k4");
	}

	@Test
	void manyRowsInOneStatementShouldEachTakeAStamp() throws SQLException {
		TableStore table = create(entry("many", 100, NONE));
		List<Upsert> rows = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			rows.add(new Upsert(table, "m" + i, new byte[3], 0));
		}
		put(table, "first", 3);
		this.engine.writes().exclusive((w) -> {
			table.upsert(w, rows);
			return null;
		});
		put(table, "last", 3);
		assertThat(evict(table, 1, 0, 100)).isEqualTo(1);
		assertThat(keys("map:many")).doesNotContain("first").hasSize(6);
		assertThat(evict(table, 5, 0, 100)).isEqualTo(5);
		assertThat(keys("map:many")).containsExactly("last");
	}

	@Test
	void rowsWrittenBeforeTheBoundShouldGoFirstAndAnUnboundedDictShouldLoseTheIndex() throws SQLException {
		CatalogEntry unbounded = entry("later", NONE, NONE);
		TableStore plain = create(unbounded);
		put(plain, "old1", 1);
		put(plain, "old2", 1);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> evict(plain, 1, 0, 1))
			.withMessageContaining("map:later");
		assertThat(index("map:later")).isZero();
		CatalogEntry bounded = entry("later", 10, NONE);
		this.engine.writes().exclusive((w) -> {
			this.engine.catalog().save(w, bounded, 0);
			return null;
		});
		assertThat(index("map:later")).isOne();
		TableStore table = this.engine.table("map:later", Layout.ROWID, KeyKind.TEXT, true);
		put(table, "new", 1);
		put(table, "old1", 1);
		// old2 has no stamp: it goes first; old1 was rewritten since
		assertThat(evict(table, 1, 0, 100)).isEqualTo(1);
		assertThat(keys("map:later")).containsExactly("new", "old1");
		CatalogEntry saved = this.engine.read((s) -> this.engine.catalog().find(s, "map", "later"), null);
		assertThat(saved.maximumSize()).isEqualTo(10);
		assertThat(saved.maximumBytes()).isEqualTo(NONE);
		assertThat(saved.eviction()).isEqualTo(CatalogEntry.DEFAULT_EVICTION);
		this.engine.writes().exclusive((w) -> {
			this.engine.catalog().save(w, unbounded, 0);
			return null;
		});
		assertThat(index("map:later")).isZero();
		assertThat(this.engine.read((s) -> this.engine.catalog().find(s, "map", "later"), null).bounded()).isFalse();
		put(plain, "after", 1);
		assertThat(keys("map:later")).containsExactly("after", "new", "old1");
	}

	@Test
	void writersEvictingOneDictAtOnceShouldNeitherFailNorDeadlockNorEvictTooMuch() throws Exception {
		int bound = 50;
		TableStore table = create(entry("hot", bound, NONE));
		AtomicInteger evicted = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(6);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 6; t++) {
				int thread = t;
				done.add(pool.submit(() -> {
					for (int i = 0; i < 100; i++) {
						String key = "t" + thread + "-" + i;
						// as the neutral layer does: write, read the totals, evict the
						// excess, all in the write transaction
						Integer n = this.engine.writes().exclusive((w) -> {
							table.upsert(w, key, new byte[8], 0);
							long excess = table.totals(w).rows() - bound;
							return (excess > 0) ? table.evict(w, excess, 0, Long.MAX_VALUE, 16).size() : 0;
						});
						evicted.addAndGet((n != null) ? n : 0);
					}
					return null;
				}));
			}
			for (Future<?> f : done) {
				f.get();
			}
		}
		finally {
			pool.shutdown();
		}
		long rows = totals(table).rows();
		assertThat(rows).isBetween((long) bound, bound + 6L);
		assertThat(rows + evicted.get()).isEqualTo(600);
		assertThat(keys("map:hot")).hasSize((int) rows);
	}

	@Test
	void aBoundedDictShouldOpenThroughTheStoreAndKeepItsBoundsInTheCatalog() throws SQLException {
		StoreOptions options = StoreOptions.builder().schema(this.schema).build();
		try (DictStore store = DictStore.connect(PostgresFixture.dataSource(), options)) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("capped", String.class, String.class).withMaximumSize(3).withMaximumBytes(1000));
			dict.put("a", "1");
			assertThat(dict.get("a")).isEqualTo("1");
			assertThat(index("map:capped")).isOne();
		}
		CatalogEntry saved = this.engine.read((s) -> this.engine.catalog().find(s, "map", "capped"), null);
		assertThat(saved.maximumSize()).isEqualTo(3);
		assertThat(saved.maximumBytes()).isEqualTo(1000);
		try (DictStore store = DictStore.connect(PostgresFixture.dataSource(), options)) {
			store.dict("capped", String.class, String.class).put("b", "2");
			assertThat(index("map:capped")).isZero();
		}
	}

	private long index(String dict) throws SQLException {
		try (Connection connection = PostgresFixture.dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_indexes WHERE schemaname = '"
						+ this.schema + "' AND indexname = '" + PgSchema.tableName(dict) + "_s'")) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
