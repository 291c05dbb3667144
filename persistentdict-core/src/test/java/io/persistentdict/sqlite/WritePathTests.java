package io.persistentdict.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.persistentdict.DictStore;
import io.persistentdict.Layout;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.StatsRecorder;
import io.persistentdict.StoreOptions;
import io.persistentdict.engine.GroupCommit;
import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Op;
import io.persistentdict.engine.TransactionHooks;
import io.persistentdict.engine.Upsert;
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

	/**
	 * No public operation fails after it has written (each failure comes from user code
	 * or one statement, before any write of its own), so this drives the write path
	 * directly: a leader holds the write lock while four operations queue, and those four
	 * then share one commit, each in its own savepoint. Two of them write rows and then
	 * fail, one with an exception and one with a constraint violation: their rows must be
	 * rolled back to their savepoints while the other two commit.
	 */
	@Test
	void aFailingOperationShouldNotRollBackOthersSharingItsCommit() throws Exception {
		Path file = this.dir.resolve("savepoint.db");
		try (Connection setup = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = setup.createStatement()) {
			statement.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
		}
		List<Integer> commits = Collections.synchronizedList(new ArrayList<>());
		StatsRecorder recorder = new StatsRecorder() {

			@Override
			public void recordCommit(int operations, long nanos) {
				commits.add(operations);
			}

		};
		SqliteSession writer = new SqliteSession(DriverManager.getConnection("jdbc:sqlite:" + file));
		CountDownLatch release = new CountDownLatch(1);
		try {
			GroupCommit path = new GroupCommit(writer, 16, recorder, new SqliteErrors(file.toString()), true);
			CountDownLatch leading = new CountDownLatch(1);
			FutureTask<String> leader = new FutureTask<>(() -> path.submit((w) -> {
				leading.countDown();
				awaitQuietly(release);
				SqliteSession.of(w).execute("INSERT INTO t VALUES (0, 'leader')");
				return "leader";
			}));
			Thread leaderThread = new Thread(leader, "leader");
			leaderThread.start();
			assertThat(leading.await(30, TimeUnit.SECONDS)).isTrue();
			// the leader has taken its batch and holds the lock: these four queue
			// behind it and the next leader drains them into one commit
			FutureTask<String> first = new FutureTask<>(() -> path.submit((w) -> {
				SqliteSession.of(w).execute("INSERT INTO t VALUES (1, 'first')");
				SqliteSession.of(w).execute("INSERT INTO t VALUES (2, 'first')");
				return "first";
			}));
			FutureTask<String> throwing = new FutureTask<>(() -> path.submit((w) -> {
				SqliteSession.of(w).execute("INSERT INTO t VALUES (100, 'throwing')");
				SqliteSession.of(w).execute("INSERT INTO t VALUES (101, 'throwing')");
				throw new IllegalStateException("boom");
			}));
			FutureTask<String> violating = new FutureTask<>(() -> path.submit((w) -> {
				SqliteSession.of(w).execute("INSERT INTO t VALUES (200, 'violating')");
				// the primary key is taken by the line above: SQLite undoes this
				// statement only, and the savepoint must undo the one before it
				SqliteSession.of(w).execute("INSERT INTO t VALUES (200, 'violating again')");
				return "violating";
			}));
			FutureTask<String> last = new FutureTask<>(() -> path.submit((w) -> {
				SqliteSession.of(w).execute("INSERT INTO t VALUES (3, 'last')");
				return "last";
			}));
			List<Thread> followers = new ArrayList<>();
			for (FutureTask<String> task : List.of(first, throwing, violating, last)) {
				Thread thread = new Thread(task, "follower");
				thread.start();
				followers.add(thread);
			}
			// a follower parks on the write path only after it has queued its operation
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (!followers.stream().allMatch((thread) -> LockSupport.getBlocker(thread) == path)) {
				assertThat(System.nanoTime()).as("followers queued").isLessThan(deadline);
				Thread.onSpinWait();
			}
			release.countDown();
			assertThat(leader.get(30, TimeUnit.SECONDS)).isEqualTo("leader");
			assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
			assertThat(last.get(30, TimeUnit.SECONDS)).isEqualTo("last");
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> throwing.get(30, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessage("boom");
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> violating.get(30, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(PersistentDictException.class)
				.withMessageContaining("UNIQUE constraint failed");
			// the failing operations really shared the followers' commit
			assertThat(new ArrayList<>(commits)).containsExactly(1, 4);
			assertThat(committedRows(file)).containsExactly("0=leader", "1=first", "2=first", "3=last");
			// the savepoints were released: the next write commits on its own
			path.submit((w) -> {
				SqliteSession.of(w).execute("INSERT INTO t VALUES (4, 'after')");
				return null;
			});
			assertThat(committedRows(file)).containsExactly("0=leader", "1=first", "2=first", "3=last", "4=after");
		}
		finally {
			release.countDown();
			writer.close();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The rows another connection sees: only what was committed. */
	private static List<String> committedRows(Path file) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement statement = reader.createStatement();
				ResultSet rs = statement.executeQuery("SELECT k, v FROM t ORDER BY k")) {
			while (rs.next()) {
				rows.add(rs.getInt(1) + "=" + rs.getString(2));
			}
		}
		return rows;
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
