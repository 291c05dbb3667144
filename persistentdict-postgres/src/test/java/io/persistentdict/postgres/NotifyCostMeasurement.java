package io.persistentdict.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StoreOptions;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code NOTIFY} costs the writers: 8 threads writing through a store without near
 * caches (no notification) and through one with (one notification a commit), in
 * interleaved rounds of the same run, durable commits. Not part of {@code verify} (the
 * name matches no test pattern); run it with
 * {@code ./mvnw -B -pl persistentdict-postgres -am verify -Dtest=NotifyCostMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class NotifyCostMeasurement {

	private static final int THREADS = 8;

	private static final long ROUND_MILLIS = Long.getLong("round.millis", 2000);

	private static final int ROUNDS = Integer.getInteger("rounds", 4);

	@Test
	void measure() throws Exception {
		try (HikariDataSource pool = PostgresFixture.pool(TestPostgres.server().newDatabase(), THREADS + 4, true);
				DictStore plain = DictStore.connect(pool, StoreOptions.builder().schema("plain").build());
				DictStore near = DictStore.connect(pool, StoreOptions.builder().schema("near").build())) {
			PersistentDict<String, String> without = plain.dict("w", String.class, String.class);
			PersistentDict<String, String> with = near
				.dict(DictSpec.of("w", String.class, String.class).withNearCache(1000));
			with.get("warm");
			report("set", without, with, (dict, key) -> dict.set(key, "value"));
			report("put", without, with, (dict, key) -> dict.put(key, "value"));
		}
	}

	private static void report(String op, PersistentDict<String, String> without, PersistentDict<String, String> with,
			BiConsumer<PersistentDict<String, String>, String> write) throws Exception {
		long[] totals = new long[2];
		for (int round = 0; round < ROUNDS; round++) {
			// alternate which goes first, so that neither always runs on a warmer server
			for (int i = 0; i < 2; i++) {
				int which = (round + i) % 2;
				totals[which] += run((which == 0) ? without : with, write);
			}
		}
		double seconds = ROUNDS * ROUND_MILLIS / 1000.0;
		double plainRate = totals[0] / seconds;
		double nearRate = totals[1] / seconds;
		System.out.printf(
				"%s, %d threads, durable commits, %d rounds of %d ms each: without near caches %.0f/s,"
						+ " with (one NOTIFY a commit) %.0f/s, ratio %.2f%n",
				op, THREADS, ROUNDS, ROUND_MILLIS, plainRate, nearRate, nearRate / plainRate);
		assertThat(totals[1]).isPositive();
	}

	private static long run(PersistentDict<String, String> dict,
			BiConsumer<PersistentDict<String, String>, String> write) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			CyclicBarrier start = new CyclicBarrier(THREADS);
			List<Future<Long>> counts = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				String prefix = "t" + t + "-";
				counts.add(threads.submit(() -> {
					start.await();
					long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_MILLIS);
					long n = 0;
					while (System.nanoTime() < end) {
						write.accept(dict, prefix + (n++ % 1000));
					}
					return n;
				}));
			}
			long total = 0;
			for (Future<Long> count : counts) {
				total += count.get();
			}
			return total;
		}
		finally {
			threads.shutdown();
		}
	}

}
