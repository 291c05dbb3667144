package io.persistentdict;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Layout#SPLIT} layout on real SQLite files: small values inline, large ones
 * in the side table, and the side table always consistent with the main one (each test
 * checks, with SQL on the file, that no side row lacks its key and no key points to a
 * missing side row).
 */
class SplitLayoutTests {

	/** One byte of the {@code bytes} codec's header, then the value. */
	private static final int LARGE = 1000;

	@TempDir
	Path dir;

	private final MutableClock clock = MutableClock.atNow();

	private DictStore open(String name) {
		return DictStore.open(this.dir.resolve(name), StoreOptions.builder().clock(this.clock).build());
	}

	@Test
	void theDefaultLayoutOfStringAndBytesValuesShouldBeSplitAndOfSmallValuesCompact() throws SQLException {
		try (DictStore store = open("auto.db")) {
			store.dict("kv", String.class, byte[].class);
			store.dict("names", String.class, String.class);
			store.dict("hits", String.class, Long.class);
		}
		assertThat(query("auto.db", "SELECT name || '=' || layout FROM pd_catalog ORDER BY name"))
			.containsExactly("hits=COMPACT", "kv=SPLIT", "names=SPLIT");
		assertThat(query("auto.db", "PRAGMA user_version")).containsExactly("2");
	}

	@Test
	void aValueCrossingTheThresholdShouldMoveToTheSideTableAndBack() throws SQLException {
		try (DictStore store = open("cross.db")) {
			PersistentDict<String, byte[]> kv = store.dict("kv", String.class, byte[].class);
			kv.put("k", bytes(10, 1));
			assertThat(where("cross.db")).containsExactly("k=inline");
			assertThat(kv.put("k", bytes(LARGE, 2))).isEqualTo(bytes(10, 1));
			assertThat(where("cross.db")).containsExactly("k=side");
			assertThat(sideRows("cross.db")).isEqualTo(1);
			// large over large, same expiry: rewritten in place
			long before = sideId("cross.db", "k");
			assertThat(kv.put("k", bytes(LARGE * 3, 3))).isEqualTo(bytes(LARGE, 2));
			assertThat(sideId("cross.db", "k")).isEqualTo(before);
			assertThat(kv.get("k")).isEqualTo(bytes(LARGE * 3, 3));
			// large over large with a TTL: a new side row, the old one gone
			kv.put("k", bytes(LARGE, 4), Duration.ofMinutes(5));
			assertThat(sideRows("cross.db")).isEqualTo(1);
			assertThat(kv.get("k")).isEqualTo(bytes(LARGE, 4));
			assertThat(kv.expiresAt("k")).hasValue(this.clock.instant().plus(Duration.ofMinutes(5)));
			// and back inline
			assertThat(kv.put("k", bytes(150, 5))).isEqualTo(bytes(LARGE, 4));
			assertThat(where("cross.db")).containsExactly("k=inline");
			assertThat(sideRows("cross.db")).isZero();
			assertThat(kv.get("k")).isEqualTo(bytes(150, 5));
			assertThat(kv.expiresAt("k")).isEmpty();
		}
		assertConsistent("cross.db");
	}

	@Test
	void theThresholdShouldBeTwoHundredStoredBytes() throws SQLException {
		try (DictStore store = open("edge.db")) {
			PersistentDict<String, byte[]> kv = store.dict("kv", String.class, byte[].class);
			// the bytes codec stores one header byte before the value
			kv.put("at", bytes(199, 1));
			kv.put("over", bytes(200, 1));
			assertThat(kv.get("at")).isEqualTo(bytes(199, 1));
			assertThat(kv.get("over")).isEqualTo(bytes(200, 1));
		}
		assertThat(where("edge.db")).containsExactly("at=inline", "over=side");
	}

	@Test
	void removeSweepAndClearShouldLeaveNoSideRowBehind() throws SQLException {
		try (DictStore store = open("sweep.db")) {
			PersistentDict<String, byte[]> kv = store.dict("kv", String.class, byte[].class);
			for (int i = 0; i < 100; i++) {
				byte[] value = bytes((i % 2 == 0) ? LARGE : 20, i);
				if (i % 4 < 2) {
					kv.put(key(i), value, Duration.ofMinutes(1));
				}
				else {
					kv.put(key(i), value);
				}
			}
			assertThat(sideRows("sweep.db")).isEqualTo(50);
			assertThat(kv.remove(key(2))).isEqualTo(bytes(LARGE, 2));
			assertThat(kv.remove(key(3))).isEqualTo(bytes(20, 3));
			assertThat(sideRows("sweep.db")).isEqualTo(49);
			assertConsistent("sweep.db");
			this.clock.advance(Duration.ofMinutes(2));
			assertThat(store.sweep()).isEqualTo(50);
			// left: i % 4 of 2 or 3, less keys 2 and 3; half of them large
			assertThat(kv.size()).isEqualTo(48);
			assertThat(sideRows("sweep.db")).isEqualTo(24);
			assertConsistent("sweep.db");
			kv.keySet().removeIf((k) -> k.endsWith("6"));
			assertConsistent("sweep.db");
			kv.clear();
			assertThat(kv).isEmpty();
			assertThat(sideRows("sweep.db")).isZero();
			kv.put("again", bytes(LARGE, 9));
			assertThat(kv.get("again")).isEqualTo(bytes(LARGE, 9));
		}
		assertConsistent("sweep.db");
	}

	@Test
	void expiryChangesShouldKeepLargeValues() throws SQLException {
		try (DictStore store = open("touch.db")) {
			PersistentDict<String, byte[]> kv = store
				.dict(DictSpec.of("kv", String.class, byte[].class).withTtl(Duration.ofMinutes(1)));
			kv.put("a", bytes(LARGE, 1));
			kv.put("b", bytes(10, 2));
			assertThat(kv.expire("a", Duration.ofMinutes(3))).isTrue();
			assertThat(kv.expiresAt("a")).hasValue(this.clock.instant().plus(Duration.ofMinutes(3)));
			this.clock.advance(Duration.ofMinutes(2));
			assertThat(kv.get("a")).isEqualTo(bytes(LARGE, 1));
			assertThat(kv.persist("a")).isTrue();
			assertThat(kv.expiresAt("a")).isEmpty();
			this.clock.advance(Duration.ofMinutes(5));
			assertThat(kv.get("a")).isEqualTo(bytes(LARGE, 1));
			assertThat(kv.containsKey("b")).isFalse();
			assertThat(kv.compute("a", (k, v) -> concat(v, v))).hasSize(LARGE * 2);
			assertThat(kv.merge("a", bytes(1, 3), (v, w) -> w)).isEqualTo(bytes(1, 3));
			assertThat(where("touch.db")).containsExactly("a=inline", "b=inline");
		}
		assertConsistent("touch.db");
	}

	@Test
	void iterationShouldBeInKeyOrderWhateverTheSizes() throws SQLException {
		try (DictStore store = open("order.db")) {
			PersistentDict<String, byte[]> kv = store.dict("kv", String.class, byte[].class);
			Map<String, byte[]> expected = new TreeMap<>();
			// written in reverse order; values of 5 KiB fill pages by their bytes
			for (int i = 299; i >= 0; i--) {
				byte[] value = bytes((i % 3 == 0) ? 5000 : 30, i);
				kv.put(key(i), value);
				expected.put(key(i), value);
			}
			List<String> keys = new ArrayList<>(kv.keySet());
			assertThat(keys).containsExactlyElementsOf(expected.keySet());
			for (Map.Entry<String, byte[]> entry : kv.entrySet()) {
				assertThat(entry.getValue()).as(entry.getKey()).isEqualTo(expected.get(entry.getKey()));
			}
			assertThat(kv.range(key(10), key(13)).map(Map.Entry::getKey).collect(Collectors.toList()))
				.containsExactly(key(10), key(11), key(12));
			assertThat(kv.range(key(12), key(13)).map(Map.Entry::getValue).findFirst()).get()
				.isEqualTo(bytes(5000, 12));
		}
	}

	@Test
	void putAllShouldWriteSmallAndLargeValuesInOneTransaction() throws SQLException {
		try (DictStore store = open("bulk.db")) {
			PersistentDict<String, byte[]> kv = store.dict("kv", String.class, byte[].class);
			kv.put(key(5), bytes(LARGE, 99));
			Map<String, byte[]> entries = new LinkedHashMap<>();
			for (int i = 0; i < 100; i++) {
				entries.put(key(i), bytes((i % 5 == 0) ? 20 : LARGE, i));
			}
			kv.putAll(entries);
			assertThat(kv.size()).isEqualTo(100);
			for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
				assertThat(kv.get(entry.getKey())).isEqualTo(entry.getValue());
			}
			assertThat(sideRows("bulk.db")).isEqualTo(80);
			kv.putAll(entries.keySet().stream().collect(Collectors.toMap((k) -> k, (k) -> bytes(20, 1))));
			assertThat(sideRows("bulk.db")).isZero();
		}
		assertConsistent("bulk.db");
	}

	@Test
	void droppingASplitDictShouldDropItsSideTable() throws SQLException {
		try (DictStore store = open("drop.db")) {
			PersistentDict<String, byte[]> kv = store.dict("kv", String.class, byte[].class);
			kv.put("a", bytes(LARGE, 1));
			assertThat(store.drop("kv")).isTrue();
			assertThat(query("drop.db", "SELECT name FROM sqlite_schema WHERE name LIKE 'map:kv%'")).isEmpty();
			PersistentDict<String, byte[]> again = store.dict("kv", String.class, byte[].class);
			assertThat(again).isEmpty();
			again.put("a", bytes(LARGE, 2));
			assertThat(again.get("a")).isEqualTo(bytes(LARGE, 2));
		}
	}

	@Test
	void theIntegrityCheckShouldPassOnASplitDict() {
		try (DictStore store = open("integrity.db")) {
			PersistentDict<String, byte[]> kv = store.dict("kv", String.class, byte[].class);
			for (int i = 0; i < 50; i++) {
				kv.put(key(i), bytes((i % 2 == 0) ? LARGE : 5, i));
			}
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
	}

	private static String key(int i) {
		return String.format("k%04d", i);
	}

	private static byte[] bytes(int length, int seed) {
		// random bytes: compression (from 1 KiB by default) leaves them as they are
		byte[] value = new byte[length];
		new Random(seed).nextBytes(value);
		return value;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

	private List<String> where(String file) throws SQLException {
		return query(file,
				"SELECT k || '=' || CASE WHEN p IS NULL THEN 'inline' ELSE 'side' END FROM \"map:kv\"" + " ORDER BY k");
	}

	private long sideId(String file, String key) throws SQLException {
		return Long.parseLong(query(file, "SELECT p FROM \"map:kv\" WHERE k = '" + key + "'").get(0));
	}

	private int sideRows(String file) throws SQLException {
		return Integer.parseInt(query(file, "SELECT COUNT(*) FROM \"map:kv#v\"").get(0));
	}

	/**
	 * Check that every side row has its key and every key's side row exists.
	 */
	private void assertConsistent(String file) throws SQLException {
		assertThat(query(file,
				"SELECT COUNT(*) FROM \"map:kv#v\" WHERE id NOT IN"
						+ " (SELECT p FROM \"map:kv\" WHERE p IS NOT NULL)"))
			.as("side rows without a key")
			.containsExactly("0");
		assertThat(query(file,
				"SELECT COUNT(*) FROM \"map:kv\" WHERE p IS NOT NULL AND p NOT IN" + " (SELECT id FROM \"map:kv#v\")"))
			.as("keys whose side row is missing")
			.containsExactly("0");
		assertThat(query(file, "SELECT COUNT(*) FROM \"map:kv\" WHERE (v IS NULL) = (p IS NULL)"))
			.as("rows with both or neither")
			.containsExactly("0");
	}

	private List<String> query(String file, String sql) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.dir.resolve(file));
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			while (rs.next()) {
				rows.add(rs.getString(1));
			}
		}
		return rows;
	}

}
