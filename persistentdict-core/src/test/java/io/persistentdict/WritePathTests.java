package io.persistentdict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WritePathTests {

	@TempDir
	Path dir;

	@Test
	void concurrentMergesShouldCountExactly() throws Exception {
		try (DictStore store = DictStore.open(this.dir.resolve("merge.db"))) {
			PersistentDict<String, Integer> counts = store.dict("counts", String.class, Integer.class);
			ExecutorService pool = Executors.newFixedThreadPool(4);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				futures.add(pool.submit(() -> {
					for (int i = 0; i < 250; i++) {
						counts.merge("k" + (i % 5), 1, Integer::sum);
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
			pool.shutdown();
			assertThat(counts.values()).containsOnly(200);
		}
	}

	@Test
	void putIfAbsentShouldHaveExactlyOneWinnerPerKey() throws Exception {
		try (DictStore store = DictStore.open(this.dir.resolve("pia.db"))) {
			PersistentDict<Integer, String> dict = store.dict("d", Integer.class, String.class);
			AtomicInteger winners = new AtomicInteger();
			ExecutorService pool = Executors.newFixedThreadPool(4);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				String me = "thread-" + t;
				futures.add(pool.submit(() -> {
					start.await();
					for (int key = 0; key < 100; key++) {
						if (dict.putIfAbsent(key, me) == null) {
							winners.incrementAndGet();
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
			pool.shutdown();
			assertThat(winners.get()).isEqualTo(100);
			assertThat(dict.size()).isEqualTo(100);
		}
	}

	@Test
	void concurrentWritersShouldShareCommitsAndEachReturnAfterItsOwn() throws Exception {
		List<Integer> commits = java.util.Collections.synchronizedList(new ArrayList<>());
		StoreOptions options = StoreOptions.builder().statsRecorder(new StatsRecorder() {

			@Override
			public void recordCommit(int operations, long nanos) {
				commits.add(operations);
			}

		}).build();
		try (DictStore store = DictStore.open(this.dir.resolve("group.db"), options)) {
			PersistentDict<Integer, String> dict = store.dict("d", Integer.class, String.class);
			ExecutorService pool = Executors.newFixedThreadPool(4);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int base = t * 1000;
				futures.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < 300; i++) {
						dict.set(base + i, "v");
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
			pool.shutdown();
			assertThat(dict.size()).isEqualTo(1200);
			List<Integer> shared = new ArrayList<>(commits);
			// every write is in exactly one commit
			assertThat(shared.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1200);
			// four writers that each wait for their own commit can share at most four
			assertThat(shared).allSatisfy((operations) -> assertThat(operations).isBetween(1, 4));
			assertThat(shared).anySatisfy((operations) -> assertThat(operations).isGreaterThan(1));
			// a lone writer afterwards commits alone
			commits.clear();
			for (int i = 0; i < 100; i++) {
				dict.set(-i - 1, "alone");
			}
			assertThat(new ArrayList<>(commits)).hasSize(100).containsOnly(1);
		}
	}

	@Test
	void aFailingOperationShouldNotRollBackOthersSharingItsCommit() throws Exception {
		try (DictStore store = DictStore.open(this.dir.resolve("savepoint.db"))) {
			PersistentDict<Integer, String> dict = store.dict("d", Integer.class, String.class);
			ExecutorService pool = Executors.newFixedThreadPool(4);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int base = t * 1000;
				futures.add(pool.submit(() -> {
					for (int i = 0; i < 200; i++) {
						dict.set(base + i, "v");
					}
				}));
			}
			AtomicInteger failures = new AtomicInteger();
			for (int i = 0; i < 50; i++) {
				try {
					dict.compute(-1, (k, v) -> {
						throw new IllegalStateException("boom");
					});
				}
				catch (IllegalStateException ex) {
					failures.incrementAndGet();
				}
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
			pool.shutdown();
			assertThat(failures.get()).isEqualTo(50);
			assertThat(dict.size()).isEqualTo(800);
			assertThat(dict.containsKey(-1)).isFalse();
		}
	}

	@Test
	void batchShouldBeAllOrNothing() {
		try (DictStore store = DictStore.inMemory()) {
			PersistentDict<String, Integer> dict = store.dict("d", String.class, Integer.class);
			dict.put("a", 1);
			assertThatIllegalStateException().isThrownBy(() -> dict.batch((batch) -> {
				batch.put("b", 2);
				batch.remove("a");
				throw new IllegalStateException("abort");
			}));
			assertThat(dict).containsExactlyEntriesOf(java.util.Map.of("a", 1));
			dict.batch((batch) -> {
				batch.put("b", batch.get("a") + 1);
				batch.remove("a");
			});
			assertThat(dict).containsExactlyEntriesOf(java.util.Map.of("b", 2));
		}
	}

	@Test
	void computeIfAbsentShouldRunItsFunctionOnceUnderContention() throws Exception {
		try (DictStore store = DictStore.inMemory()) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			AtomicInteger calls = new AtomicInteger();
			ExecutorService pool = Executors.newFixedThreadPool(4);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<String>> futures = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				futures.add(pool.submit(() -> {
					start.await();
					return dict.computeIfAbsent("k", (k) -> "computed-" + calls.incrementAndGet());
				}));
			}
			start.countDown();
			for (Future<String> future : futures) {
				assertThat(future.get(30, TimeUnit.SECONDS)).isEqualTo("computed-1");
			}
			pool.shutdown();
			assertThat(calls.get()).isEqualTo(1);
		}
	}

	@Test
	void removeAllShouldCountOnlyLiveEntries() {
		try (DictStore store = DictStore.inMemory()) {
			PersistentDict<String, Integer> dict = store.dict("d", String.class, Integer.class);
			dict.putAll(java.util.Map.of("a", 1, "b", 2, "c", 3));
			assertThat(dict.removeAll(List.of("a", "b", "missing"))).isEqualTo(2);
			assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> dict.removeAll(null));
			assertThat(dict).containsOnlyKeys("c");
		}
	}

}
