package io.persistentdict;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One dict as the argument or in the function of another of the same store, and
 * transactions across dicts: the contract every engine keeps, run by an engine's module
 * with its own {@link StoreFixture} (in this package). It ships in the core's test-jar.
 */
public abstract class TransactionContract {

	@TempDir
	Path dir;

	private @Nullable StoreFixture fixture;

	/**
	 * Return a new fixture, which opens stores on the engine under test.
	 * @return the fixture
	 */
	protected abstract StoreFixture createFixture();

	@AfterEach
	void closeFixture() {
		if (this.fixture != null) {
			this.fixture.close();
			this.fixture = null;
		}
	}

	private DictStore open(String name) {
		if (this.fixture == null) {
			this.fixture = createFixture();
		}
		return this.fixture.open(name);
	}

	private static PersistentDict<String, Integer> dict(DictStore store, String name, Layout layout) {
		return store.dict(DictSpec.of(name, String.class, Integer.class).withLayout(layout));
	}

	private static Map<String, Integer> entries(int count) {
		Map<String, Integer> entries = new LinkedHashMap<>();
		IntStream.range(0, count).forEach((i) -> entries.put("k" + i, i));
		return entries;
	}

	@ParameterizedTest
	@CsvSource({ "ROWID, 10", "ROWID, 100", "COMPACT, 10", "COMPACT, 100", "SPLIT, 10", "SPLIT, 100" })
	void bulkOperationsShouldTakeAnotherDictOfTheSameStore(Layout layout, int count) {
		try (DictStore store = open("bulk")) {
			PersistentDict<String, Integer> a = dict(store, "a", layout);
			PersistentDict<String, Integer> b = dict(store, "b", layout);
			b.putAll(entries(count));
			a.putAll(b);
			assertThat(a).isEqualTo(entries(count)).isEqualTo(b);
			a.put("extra", -1);
			assertThat(a.removeAll(b.keySet())).isEqualTo(count);
			assertThat(a).containsOnlyKeys("extra");
			a.putAll(b);
			a.keySet().retainAll(Map.of("k1", 1).keySet());
			assertThat(a).containsOnlyKeys("k1");
			a.putAll(b);
			assertThat(a.entrySet().removeIf((entry) -> b.get(entry.getKey()) % 2 == 0)).isTrue();
			assertThat(a.keySet()).allMatch((key) -> b.get(key) % 2 == 1).hasSize(count / 2);
		}
	}

	@ParameterizedTest
	@CsvSource({ "ROWID, 10", "ROWID, 100", "COMPACT, 10", "COMPACT, 100", "SPLIT, 10", "SPLIT, 100" })
	void functionsShouldReadAndWriteOtherDictsAtomicallyWithTheirOwn(Layout layout, int count) {
		try (DictStore store = open("functions")) {
			PersistentDict<String, Integer> a = dict(store, "a", layout);
			PersistentDict<String, Integer> b = dict(store, "b", layout);
			b.putAll(entries(count));
			int sum = IntStream.range(0, count).sum();
			assertThat(a.compute("sum", (k, v) -> b.values().stream().mapToInt(Integer::intValue).sum()))
				.isEqualTo(sum);
			assertThat(a.computeIfAbsent("size", (k) -> b.size())).isEqualTo(count);
			assertThat(a.merge("sum", 1, (old, one) -> old + b.get("k1"))).isEqualTo(sum + 1);
			assertThat(a.computeIfPresent("size", (k, v) -> v + b.size())).isEqualTo(2 * count);
			a.batch((batch) -> b.forEach((key, value) -> batch.put(key, value * 2)));
			assertThat(a.get("k" + (count - 1))).isEqualTo(2 * (count - 1));
			// a function that writes another dict: both writes commit together
			a.compute("moved", (k, v) -> b.remove("k0"));
			assertThat(a.get("moved")).isZero();
			assertThat(b).doesNotContainKey("k0");
			// and roll back together when the function throws
			assertThatThrownBy(() -> a.compute("failed", (k, v) -> {
				b.put("k0", 99);
				throw new IllegalArgumentException("no");
			})).isInstanceOf(IllegalArgumentException.class).hasMessage("no");
			assertThat(b).doesNotContainKey("k0");
			assertThat(a).doesNotContainKey("failed");
		}
	}

	@Test
	void aTransactionShouldCommitWholeWhenTheWorkReturns() {
		try (DictStore store = open("commit")) {
			PersistentDict<String, String> pending = store.dict("pending", String.class, String.class);
			PersistentDict<String, String> done = store.dict("done", String.class, String.class);
			pending.put("o1", "order");
			String result = store.inTransaction(() -> {
				String order = pending.remove("o1");
				done.put("o1", order + " shipped");
				// the work sees its own uncommitted writes
				assertThat(pending.get("o1")).isNull();
				assertThat(done.get("o1")).isEqualTo("order shipped");
				assertThat(done.size()).isEqualTo(1);
				return "moved";
			});
			assertThat(result).isEqualTo("moved");
			assertThat(pending).isEmpty();
			assertThat(done).containsEntry("o1", "order shipped");
		}
	}

	@Test
	void aTransactionShouldRollBackAndRethrowTheWorksOwnException() {
		try (DictStore store = open("rollback")) {
			PersistentDict<String, String> pending = store.dict("pending", String.class, String.class);
			PersistentDict<String, String> done = store.dict("done", String.class, String.class);
			pending.put("o1", "order");
			IllegalStateException failure = new IllegalStateException("out of stock");
			assertThatThrownBy(() -> store.inTransaction(() -> {
				done.put("o1", pending.remove("o1"));
				throw failure;
			})).isSameAs(failure);
			assertThat(pending).containsEntry("o1", "order");
			assertThat(done).isEmpty();
		}
	}

	@Test
	void aStoreFailureTheWorkCatchesShouldStillRollTheTransactionBack() {
		try (DictStore store = open("doomed")) {
			PersistentDict<String, String> done = store.dict("done", String.class, String.class);
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> store.inTransaction(() -> {
				done.put("o1", "shipped");
				try {
					// a store failure: the table was dropped under the dict inside the
					// transaction
					store.drop("done");
					done.put("o2", "shipped");
				}
				catch (PersistentDictException ex) {
					// caught and ignored by the work
				}
			}));
			assertThat(store.dictNames()).contains("done");
			assertThat(store.dict("done", String.class, String.class)).isEmpty();
		}
	}

	@Test
	void transactionsShouldNestAndMaintenanceInsideShouldBeRefused() {
		try (DictStore store = open("nested")) {
			PersistentDict<String, Integer> a = store.dict("a", String.class, Integer.class);
			store.inTransaction(() -> {
				a.put("outer", 1);
				store.inTransaction(() -> a.put("inner", 2));
				assertThat(a).containsOnlyKeys("outer", "inner");
				for (Runnable maintenance : List.<Runnable>of(store::sweep, store::checkpoint, store::vacuum,
						store::close, () -> store.backupTo(this.dir.resolve("copy.db")))) {
					assertThatIllegalStateException().isThrownBy(maintenance::run)
						.withMessageContaining("inside a transaction");
				}
			});
			assertThat(a).containsOnlyKeys("outer", "inner");
			assertThat(store.isOpen()).isTrue();
		}
	}

	@Test
	void theNearCacheShouldNeverHoldUncommittedValuesAndBeRightAfterCommitAndRollback() {
		try (DictStore store = open("near")) {
			PersistentDict<String, String> hot = store
				.dict(DictSpec.of("hot", String.class, String.class).withNearCache(100));
			hot.put("k", "v0");
			for (int i = 0; i < 3; i++) {
				// cached by the first read, then served from the cache
				assertThat(hot.get("k")).isEqualTo("v0");
			}
			assertThatThrownBy(() -> store.inTransaction(() -> {
				hot.put("k", "uncommitted");
				assertThat(hot.get("k")).isEqualTo("uncommitted");
				throw new IllegalArgumentException("roll back");
			})).hasMessage("roll back");
			assertThat(hot.get("k")).isEqualTo("v0");
			store.inTransaction(() -> {
				hot.put("k", "v1");
				// another thread caches the committed value while the transaction is open
				CompletableFuture.runAsync(() -> {
					for (int i = 0; i < 3; i++) {
						assertThat(hot.get("k")).isEqualTo("v0");
					}
				}).join();
			});
			assertThat(hot.get("k")).isEqualTo("v1");
			assertThat(hot.get("k")).isEqualTo("v1");
		}
	}

	@Test
	void anotherThreadShouldNeverSeeHalfOfATransaction() throws Exception {
		try (DictStore store = open("isolation")) {
			PersistentDict<String, Integer> from = store.dict("from", String.class, Integer.class);
			PersistentDict<String, Integer> to = store.dict("to", String.class, Integer.class);
			from.put("balance", 100);
			to.put("balance", 0);
			CountDownLatch halfway = new CountDownLatch(1);
			CountDownLatch looked = new CountDownLatch(1);
			AtomicBoolean sawHalf = new AtomicBoolean();
			CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
				try {
					assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
					sawHalf.set(from.get("balance") + to.get("balance") != 100);
					looked.countDown();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			store.inTransaction(() -> {
				from.merge("balance", -30, Integer::sum);
				halfway.countDown();
				try {
					assertThat(looked.await(30, TimeUnit.SECONDS)).isTrue();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				to.merge("balance", 30, Integer::sum);
			});
			reader.get(30, TimeUnit.SECONDS);
			assertThat(sawHalf).isFalse();
			assertThat(from.get("balance") + to.get("balance")).isEqualTo(100);
			assertThat(to.get("balance")).isEqualTo(30);
		}
	}

}
