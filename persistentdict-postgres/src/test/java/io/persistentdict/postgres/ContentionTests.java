package io.persistentdict.postgres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StoreOptions;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Atomicity across instances: two stores, each on a data source of its own as two
 * instances of an application would be, with 4 threads each on the same keys.
 */
class ContentionTests {

	private static final int THREADS = 8;

	private final PostgresFixture fixture = new PostgresFixture();

	private HikariDataSource first;

	private HikariDataSource second;

	private DictStore a;

	private DictStore b;

	private ExecutorService pool;

	@BeforeEach
	void open() {
		String url = TestPostgres.server().jdbcUrl(connectionDatabase());
		this.first = PostgresFixture.pool(url, 4);
		this.second = PostgresFixture.pool(url, 4);
		StoreOptions options = StoreOptions.builder().schema(this.fixture.schema("contention")).build();
		this.fixture.open("contention").close();
		this.a = DictStore.connect(this.first, options);
		this.b = DictStore.connect(this.second, options);
		this.pool = Executors.newFixedThreadPool(THREADS);
	}

	private static String connectionDatabase() {
		try (var connection = PostgresFixture.dataSource().getConnection()) {
			return connection.getCatalog();
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@AfterEach
	void close() throws InterruptedException {
		this.pool.shutdownNow();
		this.pool.awaitTermination(10, TimeUnit.SECONDS);
		this.a.close();
		this.b.close();
		this.first.close();
		this.second.close();
		this.fixture.close();
	}

	private PersistentDict<String, Long> dict(int thread) {
		return ((thread % 2 == 0) ? this.a : this.b).dict("shared", String.class, Long.class);
	}

	private interface Work {

		void run(int thread, PersistentDict<String, Long> dict) throws Exception;

	}

	private void race(Work work) throws Exception {
		CyclicBarrier start = new CyclicBarrier(THREADS);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			int thread = t;
			PersistentDict<String, Long> dict = dict(thread);
			futures.add(this.pool.submit(() -> {
				start.await();
				work.run(thread, dict);
				return null;
			}));
		}
		for (Future<?> future : futures) {
			future.get(60, TimeUnit.SECONDS);
		}
	}

	@Test
	void putIfAbsentShouldHaveOneWinnerPerKey() throws Exception {
		int keys = 100;
		Map<String, AtomicInteger> winners = new ConcurrentHashMap<>();
		Map<String, Set<Long>> seenByLosers = new ConcurrentHashMap<>();
		race((thread, dict) -> {
			for (int i = 0; i < keys; i++) {
				Long there = dict.putIfAbsent("k" + i, (long) thread);
				if (there == null) {
					winners.computeIfAbsent("k" + i, (k) -> new AtomicInteger()).incrementAndGet();
				}
				else {
					seenByLosers.computeIfAbsent("k" + i, (k) -> ConcurrentHashMap.newKeySet()).add(there);
				}
			}
		});
		assertThat(winners).hasSize(keys);
		assertThat(winners.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
		// every loser is handed the winner's value, the one that stays
		for (int i = 0; i < keys; i++) {
			assertThat(seenByLosers.get("k" + i)).containsExactly(dict(0).get("k" + i));
		}
	}

	@Test
	void mergeAndComputeShouldBeExact() throws Exception {
		int rounds = 60;
		race((thread, dict) -> {
			for (int i = 0; i < rounds; i++) {
				dict.merge("merged", 1L, Long::sum);
				dict.compute("computed", (k, v) -> (v == null) ? 1L : v + 1);
			}
		});
		assertThat(dict(0).get("merged")).isEqualTo((long) THREADS * rounds);
		assertThat(dict(1).get("computed")).isEqualTo((long) THREADS * rounds);
	}

	@Test
	void replaceShouldBeACompareAndSet() throws Exception {
		int rounds = 40;
		dict(0).put("cas", 0L);
		race((thread, dict) -> {
			for (int i = 0; i < rounds; i++) {
				while (true) {
					Long seen = dict.get("cas");
					if (dict.replace("cas", seen, seen + 1)) {
						break;
					}
				}
			}
		});
		assertThat(dict(0).get("cas")).isEqualTo((long) THREADS * rounds);
	}

	@Test
	void putShouldReturnTheExactPreviousValue() throws Exception {
		int rounds = 50;
		List<Long> previous = Collections.synchronizedList(new ArrayList<>());
		race((thread, dict) -> {
			for (int i = 0; i < rounds; i++) {
				Long old = dict.put("chain", (long) (thread * rounds + i));
				if (old != null) {
					previous.add(old);
				}
			}
		});
		// every value written but the last was returned exactly once as the previous one
		Long last = dict(0).get("chain");
		Map<Long, Integer> seen = new HashMap<>();
		previous.forEach((value) -> seen.merge(value, 1, Integer::sum));
		assertThat(previous).hasSize(THREADS * rounds - 1);
		assertThat(seen.values()).containsOnly(1);
		assertThat(seen).doesNotContainKey(last);
	}

	@Test
	void putsRacingToInsertAKeyShouldSeeEachOther() throws Exception {
		int keys = 40;
		Map<String, List<Long>> returned = new ConcurrentHashMap<>();
		race((thread, dict) -> {
			for (int i = 0; i < keys; i++) {
				Long old = dict.put("new" + i, (long) thread);
				returned.computeIfAbsent("new" + i, (k) -> Collections.synchronizedList(new ArrayList<>()))
					.add((old != null) ? old : -1L);
			}
		});
		for (int i = 0; i < keys; i++) {
			// one put inserted (-1: no previous value); each other put replaced the
			// value of another thread, and every thread's value but the last was
			// replaced exactly once
			List<Long> previous = new ArrayList<>(returned.get("new" + i));
			previous.add(dict(0).get("new" + i));
			assertThat(previous).as("key new" + i).hasSize(THREADS + 1);
			assertThat(previous).as("key new" + i).containsOnlyOnce(-1L);
			assertThat(previous.stream().filter((value) -> value >= 0).distinct().count()).as("key new" + i)
				.isEqualTo(THREADS);
		}
	}

	@Test
	void setsAndSweepsFromBothInstancesShouldNotFail() throws Exception {
		race((thread, dict) -> {
			for (int i = 0; i < 200; i++) {
				dict.set("s" + (i % 20), (long) i);
			}
			dict.sweep();
		});
		assertThat(dict(0)).hasSize(20);
	}

}
