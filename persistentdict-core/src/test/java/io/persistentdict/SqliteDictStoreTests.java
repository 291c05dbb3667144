package io.persistentdict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link DictStoreContract} on SQLite files, and what only SQLite files do: row order
 * by layout, owner-only files, the pools' shared housekeeping thread.
 */
class SqliteDictStoreTests extends DictStoreContract {

	@TempDir
	Path dir;

	@Override
	protected StoreFixture createFixture() {
		return new SqliteFixture(this.dir);
	}

	@Test
	void iterationOrderShouldFollowTheLayout() {
		try (DictStore store = DictStore.inMemory()) {
			PersistentDict<String, String> rowid = store
				.dict(DictSpec.of("r", String.class, String.class).withLayout(Layout.ROWID));
			PersistentDict<String, String> compact = store
				.dict(DictSpec.of("c", String.class, String.class).withLayout(Layout.COMPACT));
			for (String key : List.of("b", "c", "a")) {
				rowid.put(key, key);
				compact.put(key, key);
			}
			rowid.put("b", "updated keeps its place");
			rowid.remove("c");
			rowid.put("c", "re-put moves to the end");
			assertThat(rowid.keySet()).containsExactly("b", "a", "c");
			assertThat(compact.keySet()).containsExactly("a", "b", "c");
			// prefix and range are always in key order
			assertThat(rowid.prefix("").map(Map.Entry::getKey).collect(Collectors.toList())).containsExactly("a", "b",
					"c");
			assertThat(rowid.range("a", "c").map(Map.Entry::getKey).collect(Collectors.toList())).containsExactly("a",
					"b");
		}
	}

	@Test
	void putAllShouldWriteAnUnorderedMapInKeyOrderAndAnOrderedOneInItsOwnOrder() {
		try (DictStore store = DictStore.open(this.dir.resolve("put-all-order.db"))) {
			// ROWID dicts iterate in the order their rows were written
			PersistentDict<String, String> hashed = store
				.dict(DictSpec.of("hashed", String.class, String.class).withLayout(Layout.ROWID));
			PersistentDict<String, String> linked = store
				.dict(DictSpec.of("linked", String.class, String.class).withLayout(Layout.ROWID));
			PersistentDict<Long, String> longs = store.dict("longs", Long.class, String.class);
			Map<String, String> unordered = new java.util.HashMap<>();
			Map<String, String> ordered = new java.util.LinkedHashMap<>();
			Map<Long, String> numbers = new java.util.HashMap<>();
			java.util.Random random = new java.util.Random(5);
			for (int i = 0; i < 500; i++) {
				String key = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
				unordered.put(key, "v" + i);
				ordered.put(key, "v" + i);
				numbers.put(random.nextLong(), "n" + i);
			}
			hashed.putAll(unordered);
			linked.putAll(ordered);
			longs.putAll(numbers);
			// both are ROWID dicts: they iterate in the order the rows were written
			assertThat(new java.util.ArrayList<>(hashed.keySet()))
				.containsExactlyElementsOf(new TreeMap<>(unordered).keySet());
			assertThat(new java.util.ArrayList<>(linked.keySet())).containsExactlyElementsOf(ordered.keySet());
			assertThat(hashed).containsExactlyInAnyOrderEntriesOf(unordered);
			assertThat(longs).containsExactlyInAnyOrderEntriesOf(numbers);
			assertThat(new java.util.ArrayList<>(longs.keySet()))
				.containsExactlyElementsOf(new TreeMap<>(numbers).keySet());
		}
	}

	@Test
	void newFilesShouldBeOwnerOnly() throws Exception {
		Path file = this.dir.resolve("sub/dir/secret.db");
		try (DictStore store = DictStore.open(file)) {
			store.dict("d", String.class, String.class).put("k", "v");
			assertThat(Files.getPosixFilePermissions(file))
				.isEqualTo(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
						java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
			assertThat(Files.getPosixFilePermissions(Path.of(file + "-wal")))
				.isEqualTo(Files.getPosixFilePermissions(file));
		}
	}

	@Test
	void storesShouldShareOneHousekeepingThreadForTheirPools() {
		List<DictStore> stores = new java.util.ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				DictStore store = DictStore.open(this.dir.resolve("shared-" + i + ".db"));
				stores.add(store);
				store.dict("d", String.class, String.class).put("k", "v");
			}
			Set<String> names = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.map(Thread::getName)
				.collect(Collectors.toSet());
			// HikariCP names its own housekeeping thread after the pool
			assertThat(names).noneMatch((name) -> name.startsWith("persistentdict-shared-"));
			assertThat(names).contains("persistentdict-pool-housekeeper");
		}
		finally {
			stores.forEach(DictStore::close);
		}
	}

}
