package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StatsRecorder;
import io.persistentdict.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writers whose {@code set}s share a commit (group commit): one bad row fails alone, the
 * others are written. PostgreSQL refuses every statement of a transaction after one
 * failed, so the shared multi-row statement failing must not take the other callers' rows
 * with it. Without a near cache a batch runs in autocommit; with one (the transaction
 * hooks have work) in a transaction that announces its writes.
 */
class SharedCommitTests {

	private static final int WRITERS = 6;

	private static final int ROUNDS = 40;

	private final PostgresFixture fixture = new PostgresFixture();

	private final AtomicInteger sharedCommits = new AtomicInteger();

	@AfterEach
	void close() {
		this.fixture.close();
	}

	private DictStore open(String name) {
		StatsRecorder recorder = new StatsRecorder() {

			@Override
			public void recordCommit(int operations, long nanos) {
				if (operations > 1) {
					SharedCommitTests.this.sharedCommits.incrementAndGet();
				}
			}

		};
		return this.fixture.open(name, StoreOptions.builder().statsRecorder(recorder).build());
	}

	private static PersistentDict<String, String> dict(DictStore store, boolean nearCache) {
		DictSpec<String, String> spec = DictSpec.of("shared", String.class, String.class);
		return store.dict(nearCache ? spec.withNearCache(100) : spec);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aValueTheDatabaseRefusesShouldFailAlone(boolean nearCache) throws Exception {
		try (DictStore store = open("refused_" + nearCache)) {
			PersistentDict<String, String> dict = dict(store, nearCache);
			dict.set("warm", "x");
			// a real constraint of the database: values of 20 characters or more fail
			// with SQLSTATE 23514, in the statement that writes them
			execute("ALTER TABLE \"" + this.fixture.schema("refused_" + nearCache) + "\".\""
					+ PgSchema.tableName("map:shared") + "\" ADD CONSTRAINT short_values CHECK (length(v) < 20)");
			race(dict, (writer, round) -> (writer == 0) ? "too long a value, refused" : "w" + writer + "r" + round);
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aKeyTooLongShouldFailAlone(boolean nearCache) throws Exception {
		try (DictStore store = open("long_key_" + nearCache)) {
			PersistentDict<String, String> dict = dict(store, nearCache);
			String longKey = "k".repeat(PgKeys.MAX_KEY_BYTES + 1);
			List<Throwable> failures = new ArrayList<>();
			runWriters(dict, (writer, round) -> {
				if (writer == 0) {
					assertThatThrownBy(() -> dict.set(longKey + round, "v"))
						.isInstanceOf(IllegalArgumentException.class)
						.hasMessageContaining("'map:shared'");
				}
				else {
					dict.set("w" + writer + "r" + round, "v" + round);
				}
			}, failures);
			assertThat(failures).isEmpty();
			assertThat(this.sharedCommits.get()).as("commits shared by several writers").isPositive();
			for (int writer = 1; writer < WRITERS; writer++) {
				for (int round = 0; round < ROUNDS; round++) {
					assertThat(dict.get("w" + writer + "r" + round)).isEqualTo("v" + round);
				}
			}
		}
	}

	private interface Value {

		String of(int writer, int round);

	}

	private interface Work {

		void run(int writer, int round) throws Exception;

	}

	/** Every writer sets its own keys; writer 0's values are refused by the database. */
	private void race(PersistentDict<String, String> dict, Value value) throws Exception {
		List<Throwable> failures = new ArrayList<>();
		runWriters(dict, (writer, round) -> {
			String key = "w" + writer + "r" + round;
			if (writer == 0) {
				assertThatThrownBy(() -> dict.set(key, value.of(writer, round)))
					.isInstanceOf(PersistentDictException.class)
					.hasMessageContaining("map:shared");
			}
			else {
				dict.set(key, value.of(writer, round));
			}
		}, failures);
		assertThat(failures).isEmpty();
		assertThat(this.sharedCommits.get()).as("commits shared by several writers").isPositive();
		for (int round = 0; round < ROUNDS; round++) {
			assertThat(dict.get("w0r" + round)).isNull();
			for (int writer = 1; writer < WRITERS; writer++) {
				assertThat(dict.get("w" + writer + "r" + round)).isEqualTo(value.of(writer, round));
			}
		}
	}

	private void runWriters(PersistentDict<String, String> dict, Work work, List<Throwable> failures) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
		try {
			CyclicBarrier start = new CyclicBarrier(WRITERS);
			List<Future<?>> futures = new ArrayList<>();
			for (int w = 0; w < WRITERS; w++) {
				int writer = w;
				futures.add(pool.submit(() -> {
					for (int round = 0; round < ROUNDS; round++) {
						start.await(30, TimeUnit.SECONDS);
						try {
							work.run(writer, round);
						}
						catch (Throwable ex) {
							synchronized (failures) {
								failures.add(ex);
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = PostgresFixture.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
