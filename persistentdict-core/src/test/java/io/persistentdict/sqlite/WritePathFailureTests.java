package io.persistentdict.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.persistentdict.DictStore;
import io.persistentdict.Layout;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.StatsRecorder;
import io.persistentdict.StoreOptions;
import io.persistentdict.engine.GroupCommit;
import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Op;
import io.persistentdict.engine.Session;
import io.persistentdict.engine.TransactionHooks;
import io.persistentdict.engine.Upsert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A failure outside any one operation (a transaction hook, an {@link Error}) reaches
 * every writer whose operation shared the failed commit: none stays parked, and the write
 * connection is usable afterwards. The write path runs on a real SQLite file.
 */
class WritePathFailureTests {

	@TempDir
	Path dir;

	@Test
	void aFailingTransactionHookShouldFailEveryWriterInTheBatchAndLeaveNoTransactionOpen() throws Exception {
		AtomicBoolean hookFails = new AtomicBoolean(true);
		runBatch(() -> {
			if (hookFails.get()) {
				throw new PersistentDictException("hook failed");
			}
		}, "hook failed", () -> hookFails.set(false), () -> {
		}, List.of(PersistentDictException.class));
	}

	@Test
	void anErrorBeforeCommitShouldFailEveryWriterInTheBatch() throws Exception {
		AtomicBoolean fails = new AtomicBoolean(true);
		// the leader rethrows the Error itself; the others get it wrapped
		runBatch(() -> {
		}, "simulated", () -> fails.set(false), () -> {
			if (fails.get()) {
				throw new StackOverflowError("simulated");
			}
		}, List.of(PersistentDictException.class, StackOverflowError.class));
	}

	/**
	 * Hold the write lock while three writers queue, so that one commit carries all
	 * three; make that commit fail; check each writer hears of it, and that a later write
	 * commits.
	 */
	private void runBatch(Runnable afterBegin, String message, Runnable heal, Runnable beforeCommit,
			List<Class<?>> expected) throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.dir.resolve("w.db"))) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("PRAGMA journal_mode=WAL");
				statement.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
			}
			SqliteSession writer = new SqliteSession(connection);
			GroupCommit path = new GroupCommit(writer, 16, new StatsRecorder() {
			}, new SqliteErrors(this.dir.resolve("w.db").toString()), true);
			path.hooks(new TransactionHooks() {

				@Override
				public void afterBegin(Session session) {
					afterBegin.run();
				}

				@Override
				public void beforeCommit(Session session) {
					beforeCommit.run();
				}

				@Override
				public boolean idle() {
					return true;
				}

			});
			ExecutorService pool = Executors.newFixedThreadPool(4);
			try {
				CountDownLatch holding = new CountDownLatch(1);
				CountDownLatch release = new CountDownLatch(1);
				Future<?> holder = pool.submit(() -> path.outsideTransaction((w) -> {
					holding.countDown();
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return null;
				}));
				assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
				List<Thread> threads = new ArrayList<>();
				List<Future<?>> writers = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					int key = i;
					writers.add(pool.submit(() -> {
						synchronized (threads) {
							threads.add(Thread.currentThread());
						}
						return path.submit((w) -> {
							SqliteSession.of(w).execute("INSERT INTO t VALUES (" + key + ")");
							return null;
						});
					}));
				}
				// the writers have queued once each has given up yielding and parked
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
				while (!allParked(threads, 3) && System.nanoTime() < deadline) {
					Thread.onSpinWait();
				}
				assertThat(allParked(threads, 3)).as("three writers parked behind the lock").isTrue();
				release.countDown();
				holder.get(10, TimeUnit.SECONDS);
				for (Future<?> future : writers) {
					assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
						.isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
						.havingCause()
						.withMessageContaining(message)
						.satisfies((cause) -> assertThat(expected.stream().anyMatch((type) -> type.isInstance(cause)))
							.as("%s is one of %s", cause, expected)
							.isTrue());
				}
				// no write transaction was left open: another connection can write at
				// once
				try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + this.dir.resolve("w.db"));
						Statement statement = other.createStatement()) {
					statement.execute("PRAGMA busy_timeout=0");
					statement.execute("CREATE TABLE other (x)");
				}
				heal.run();
				path.submit((w) -> {
					SqliteSession.of(w).execute("INSERT INTO t VALUES (99)");
					return null;
				});
				try (Statement statement = connection.createStatement();
						ResultSet rs = statement.executeQuery("SELECT group_concat(k) FROM t")) {
					assertThat(rs.next()).isTrue();
					assertThat(rs.getString(1)).isEqualTo("99");
				}
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

	private static boolean allParked(List<Thread> threads, int count) {
		synchronized (threads) {
			return threads.size() == count
					&& threads.stream().allMatch((thread) -> thread.getState() == Thread.State.WAITING);
		}
	}

}
