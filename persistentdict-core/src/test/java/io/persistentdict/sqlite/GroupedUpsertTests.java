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
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Group commit writes a run of plain upserts to one table in one statement. These tests
 * queue operations in a known order behind a leader that holds the write lock, so that
 * the next leader drains them as one batch, and check what each caller gets and what the
 * file holds.
 */
class GroupedUpsertTests {

	@TempDir
	Path dir;

	private Path file;

	private SqliteSession writer;

	private final List<Integer> commits = Collections.synchronizedList(new ArrayList<>());

	private final SqliteTable table = new SqliteTable("t", Layout.ROWID, KeyKind.TEXT);

	private final SqliteTable other = new SqliteTable("u", Layout.ROWID, KeyKind.TEXT);

	private final List<Thread> threads = new ArrayList<>();

	@BeforeEach
	void open() throws SQLException {
		this.file = this.dir.resolve("grouped.db");
		this.writer = new SqliteSession(DriverManager.getConnection("jdbc:sqlite:" + this.file));
		this.table.create(this.writer);
		this.other.create(this.writer);
	}

	@AfterEach
	void close() throws InterruptedException {
		for (Thread thread : this.threads) {
			thread.join(30_000);
		}
		this.writer.close();
	}

	@Test
	void upsertsQueuedTogetherShouldBeWrittenInOneStatementInTheirOrder() throws Exception {
		GroupCommit path = path(true);
		List<FutureTask<Object>> followers = behindLeader(path, List.of(upsert(this.table, "a", "1"),
				upsert(this.table, "b", "1"), upsert(this.table, "a", "2"), upsert(this.table, "c", "1")));
		for (FutureTask<Object> follower : followers) {
			assertThat(follower.get(30, TimeUnit.SECONDS)).isNull();
		}
		assertThat(new ArrayList<>(this.commits)).containsExactly(1, 4);
		// one statement of four rows, and the later of two rows for "a" won
		assertThat(this.writer.isPrepared(this.table.upsertSql(4))).isTrue();
		assertThat(rows("t")).containsExactly("a=2", "b=1", "c=1");
	}

	@Test
	void aRowAtFaultShouldFailAloneWhenTheRunIsTheWholeCommit() throws Exception {
		rowAtFaultShouldFailAlone(path(true));
	}

	@Test
	void aRowAtFaultShouldFailAloneInsideATransaction() throws Exception {
		rowAtFaultShouldFailAlone(path(false));
	}

	private void rowAtFaultShouldFailAlone(GroupCommit path) throws Exception {
		// a null value breaks the column's NOT NULL: the statement of all four fails,
		// and the rows are then written one at a time
		List<FutureTask<Object>> followers = behindLeader(path, List.of(upsert(this.table, "a", "1"),
				upsert(this.table, "b", null), upsert(this.table, "c", "1"), upsert(this.table, "d", "1")));
		assertThat(followers.get(0).get(30, TimeUnit.SECONDS)).isNull();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> followers.get(1).get(30, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(PersistentDictException.class)
			.withMessageContaining("NOT NULL constraint failed");
		assertThat(followers.get(2).get(30, TimeUnit.SECONDS)).isNull();
		assertThat(followers.get(3).get(30, TimeUnit.SECONDS)).isNull();
		assertThat(this.writer.isPrepared(this.table.upsertSql(4))).isTrue();
		assertThat(rows("t")).containsExactly("a=1", "c=1", "d=1");
		// the failure left no transaction open: the next write commits on its own
		path.submit(upsert(this.table, "e", "1"), true);
		assertThat(rows("t")).containsExactly("a=1", "c=1", "d=1", "e=1");
	}

	@Test
	void runsShouldStopAtAnotherOperationAndAnotherTable() throws Exception {
		GroupCommit path = path(true);
		Op<Object> delete = (w) -> {
			SqliteSession.of(w).execute("DELETE FROM t WHERE k = 'a'");
			return "deleted";
		};
		List<FutureTask<Object>> followers = behindLeader(path,
				List.of(upsert(this.table, "a", "1"), upsert(this.table, "b", "1"), delete,
						upsert(this.table, "a", "2"), upsert(this.other, "a", "3"), upsert(this.table, "c", "1")));
		assertThat(followers.get(2).get(30, TimeUnit.SECONDS)).isEqualTo("deleted");
		for (FutureTask<Object> follower : followers) {
			follower.get(30, TimeUnit.SECONDS);
		}
		assertThat(new ArrayList<>(this.commits)).containsExactly(1, 6);
		// the delete ran after the first two upserts and before the third
		assertThat(rows("t")).containsExactly("a=2", "b=1", "c=1");
		assertThat(rows("u")).containsExactly("a=3");
		// runs of two, then single rows: no statement of more rows was prepared
		assertThat(this.writer.isPrepared(this.table.upsertSql(2))).isTrue();
		assertThat(this.writer.isPrepared(this.table.upsertSql(3))).isFalse();
	}

	@Test
	void runsShouldBeSplitIntoStatementsOfFewCounts() throws Exception {
		GroupCommit path = path(true);
		int count = Upsert.MAX_ROWS + 11;
		List<Op<?>> ops = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ops.add(upsert(this.table, String.format("k%03d", i), "v" + i));
		}
		List<FutureTask<Object>> followers = behindLeader(path, ops);
		for (FutureTask<Object> follower : followers) {
			follower.get(30, TimeUnit.SECONDS);
		}
		assertThat(new ArrayList<>(this.commits)).containsExactly(1, count);
		assertThat(rows("t")).hasSize(count).contains("k000=v0", "k042=v42");
		// 43 rows: 32, then 8 and 3, so that a connection prepares few statements for a
		// table, whatever the batch sizes
		assertThat(this.writer.isPrepared(this.table.upsertSql(Upsert.MAX_ROWS))).isTrue();
		assertThat(this.writer.isPrepared(this.table.upsertSql(8))).isTrue();
		assertThat(this.writer.isPrepared(this.table.upsertSql(3))).isTrue();
		assertThat(this.writer.isPrepared(this.table.upsertSql(11))).isFalse();
	}

	@Test
	void runsShouldEndBeforeTheirBytesPassTheStatementBound() throws Exception {
		GroupCommit path = path(true);
		// four values of 12 MiB: 48 MiB would pass the 32 MiB a statement carries
		String big = "x".repeat(12 * 1024 * 1024);
		List<FutureTask<Object>> followers = behindLeader(path, List.of(upsert(this.table, "a", big),
				upsert(this.table, "b", big), upsert(this.table, "c", big), upsert(this.table, "d", big)));
		for (FutureTask<Object> follower : followers) {
			assertThat(follower.get(30, TimeUnit.SECONDS)).isNull();
		}
		assertThat(new ArrayList<>(this.commits)).containsExactly(1, 4);
		// two statements of two rows, in one commit
		assertThat(this.writer.isPrepared(this.table.upsertSql(2))).isTrue();
		assertThat(this.writer.isPrepared(this.table.upsertSql(4))).isFalse();
		assertThat(this.writer.isPrepared(this.table.upsertSql(3))).isFalse();
		try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + this.file);
				Statement statement = reader.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*), sum(length(v)) FROM t")) {
			assertThat(rs.next()).isTrue();
			assertThat(rs.getLong(1)).isEqualTo(4);
			assertThat(rs.getLong(2)).isEqualTo(4L * big.length());
		}
	}

	@Test
	void aBusyFileShouldFailTheRunOnceWithoutWritingRowByRow() throws Exception {
		try (Statement statement = this.writer.connection().createStatement()) {
			statement.execute("PRAGMA busy_timeout = 50");
		}
		GroupCommit path = path(true);
		try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + this.file);
				Statement statement = other.createStatement()) {
			// another connection holds the write lock throughout
			statement.execute("BEGIN IMMEDIATE");
			List<FutureTask<Object>> followers = behindLoneLeader(path,
					List.of(upsert(this.table, "a", "1"), upsert(this.table, "b", "1"), upsert(this.table, "c", "1")));
			for (FutureTask<Object> follower : followers) {
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> follower.get(30, TimeUnit.SECONDS))
					.havingCause()
					.isInstanceOf(PersistentDictException.class)
					.withMessageContaining("waited longer than the busy timeout");
			}
			// no second attempt: neither a transaction nor a row on its own, each of
			// which would wait out the busy timeout again
			assertThat(this.writer.isPrepared("BEGIN IMMEDIATE")).isFalse();
			assertThat(this.writer.isPrepared(this.table.upsertSql(1))).isFalse();
			statement.execute("ROLLBACK");
		}
		assertThat(rows("t")).isEmpty();
	}

	private GroupCommit path(boolean autocommit) {
		return new GroupCommit(this.writer, 512, new StatsRecorder() {

			@Override
			public void recordCommit(int operations, long nanos) {
				GroupedUpsertTests.this.commits.add(operations);
			}

		}, new SqliteErrors(this.file.toString()), autocommit);
	}

	private static Upsert upsert(SqliteTable table, String key, String value) {
		return new Upsert(table, key, (value != null) ? value.getBytes(java.nio.charset.StandardCharsets.UTF_8) : null,
				0);
	}

	/**
	 * Submit each operation from its own thread, in order, while a leader holds the write
	 * lock; then let the leader finish, so that the next leader drains them all at once.
	 */
	private List<FutureTask<Object>> behindLeader(GroupCommit path, List<? extends Op<?>> ops)
			throws InterruptedException {
		return behindLeader(path, ops, false);
	}

	/**
	 * As {@link #behindLeader(GroupCommit, List)}, with a leader that runs as a lone
	 * statement outside any transaction, so that it does not need SQLite's write lock.
	 */
	private List<FutureTask<Object>> behindLoneLeader(GroupCommit path, List<? extends Op<?>> ops)
			throws InterruptedException {
		return behindLeader(path, ops, true);
	}

	private List<FutureTask<Object>> behindLeader(GroupCommit path, List<? extends Op<?>> ops, boolean loneLeader)
			throws InterruptedException {
		CountDownLatch leading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		FutureTask<Object> leader = new FutureTask<>(() -> path.submit((w) -> {
			leading.countDown();
			try {
				assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			return null;
		}, loneLeader));
		start(leader);
		assertThat(leading.await(30, TimeUnit.SECONDS)).isTrue();
		List<FutureTask<Object>> followers = new ArrayList<>();
		try {
			for (Op<?> op : ops) {
				@SuppressWarnings("unchecked")
				Op<Object> typed = (Op<Object>) op;
				FutureTask<Object> follower = new FutureTask<>(() -> path.submit(typed, op instanceof Upsert));
				Thread thread = start(follower);
				// parked on the write path only once its operation is queued: the next
				// follower queues behind it
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while (LockSupport.getBlocker(thread) != path) {
					assertThat(System.nanoTime()).as("follower queued").isLessThan(deadline);
					// a short park, not a spin: on a loaded machine a spinning test
					// thread
					// takes the core the follower needs to reach its park
					LockSupport.parkNanos(50_000);
				}
				followers.add(follower);
			}
		}
		finally {
			release.countDown();
		}
		try {
			leader.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new AssertionError(ex);
		}
		return followers;
	}

	private Thread start(Runnable task) {
		Thread thread = new Thread(task, "writer-" + this.threads.size());
		thread.start();
		this.threads.add(thread);
		return thread;
	}

	private List<String> rows(String name) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + this.file);
				Statement statement = reader.createStatement();
				ResultSet rs = statement.executeQuery("SELECT k, CAST(v AS TEXT) FROM " + name + " ORDER BY k")) {
			while (rs.next()) {
				rows.add(rs.getString(1) + "=" + rs.getString(2));
			}
		}
		return rows;
	}

}
