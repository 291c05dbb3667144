package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StoreOptions;
import io.persistentdict.testing.postgres.DelegatingDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A write whose caller was told that it failed is never written afterwards. Regression
 * test: the group commit (which {@code set} goes through) took a failed batch for a
 * conflict and ran it again, up to 9 times, so that once a connection could be had again
 * it committed the writes of a batch of two or more whose callers had been told that
 * nothing of them was committed (found by the reliability module's
 * {@code PostgresRestartIT}).
 */
class FailedWriteTests {

	private final PostgresFixture fixture = new PostgresFixture();

	private final FailingDataSource dataSource = new FailingDataSource();

	private DictStore store;

	@BeforeEach
	void open() {
		this.store = DictStore.connect(this.dataSource,
				StoreOptions.builder().schema(this.fixture.schema("failed_write")).build());
	}

	@AfterEach
	void close() {
		this.store.close();
		this.fixture.close();
	}

	/**
	 * Two {@code set}s share a commit through the group commit, and their batch cannot
	 * get a connection: both callers are told, and neither is written once connections
	 * can be had again.
	 */
	@Test
	void setsThatFailedTogetherShouldNotBeWrittenLater() throws Exception {
		PersistentDict<String, String> dict = this.store.dict("d", String.class, String.class);
		dict.set("a", "before");
		dict.set("b", "before");
		CountDownLatch release = new CountDownLatch(1);
		// the next connection waits, so that two more sets queue up behind it and share
		// a batch; that batch's connection fails
		this.dataSource.blockNext = release;
		ExecutorService threads = Executors.newFixedThreadPool(3);
		try {
			Future<?> first = threads.submit(() -> dict.set("x", "leader"));
			assertThat(this.dataSource.blocked.await(10, TimeUnit.SECONDS)).as("the first set waits").isTrue();
			List<Thread> waiting = new CopyOnWriteArrayList<>();
			List<Future<Throwable>> failed = new ArrayList<>();
			for (String key : List.of("a", "b")) {
				failed.add(threads.submit(() -> {
					waiting.add(Thread.currentThread());
					return catchThrowable(() -> dict.set(key, "after"));
				}));
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (waiting.size() < 2 || waiting.stream().anyMatch((t) -> t.getState() != Thread.State.WAITING)) {
				assertThat(System.nanoTime()).as("both sets queued").isLessThan(deadline);
				Thread.sleep(1);
			}
			release.countDown();
			first.get(10, TimeUnit.SECONDS);
			for (Future<Throwable> failure : failed) {
				assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(PersistentDictException.class)
					.hasMessageContaining("nothing of this operation was committed");
			}
		}
		finally {
			release.countDown();
			threads.shutdownNow();
		}
		assertThat(dict.get("x")).isEqualTo("leader");
		assertThat(dict.get("a")).isEqualTo("before");
		assertThat(dict.get("b")).isEqualTo("before");
	}

	/** {@code merge} runs in a transaction of its own. */
	@Test
	void mergeThatCouldNotGetAConnectionShouldNotBeCounted() {
		PersistentDict<String, Long> counters = this.store.dict("c", String.class, Long.class);
		counters.merge("n", 1L, Long::sum);
		this.dataSource.failures.set(1);
		assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> counters.merge("n", 1L, Long::sum))
			.withMessageContaining("nothing of this operation was committed");
		assertThat(counters.get("n")).isEqualTo(1L);
		assertThat(counters.merge("n", 1L, Long::sum)).isEqualTo(2L);
	}

	/**
	 * The test database's pool, but for scripted connections: with {@link #blockNext},
	 * the next one waits for that latch, and the one after it fails; with
	 * {@link #failures}, that many fail, as they would while the server is down.
	 */
	private static final class FailingDataSource extends DelegatingDataSource {

		final AtomicInteger failures = new AtomicInteger();

		final CountDownLatch blocked = new CountDownLatch(1);

		volatile @Nullable CountDownLatch blockNext;

		FailingDataSource() {
			super(PostgresFixture.dataSource());
		}

		@Override
		public Connection getConnection() throws SQLException {
			CountDownLatch release = this.blockNext;
			if (release != null) {
				this.blockNext = null;
				this.failures.incrementAndGet();
				this.blocked.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return delegate().getConnection();
			}
			if (this.failures.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
				throw new SQLException("Connection to 127.0.0.1 refused (by the test)", "08001");
			}
			return delegate().getConnection();
		}

	}

}
