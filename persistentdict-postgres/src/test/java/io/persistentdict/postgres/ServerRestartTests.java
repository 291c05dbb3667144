package io.persistentdict.postgres;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.PostgresFixture;
import io.persistentdict.WriteOutcomeUnknownException;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server crash in the middle of writes: the writes under way fail clearly (a lost
 * commit says its outcome is unknown), and the store works again by itself once the
 * server is back, with what was acknowledged intact and no broken connection in use.
 * Slow: it restarts the JVM's shared server, and starts it again in a {@code finally}.
 */
class ServerRestartTests {

	@Test
	void lostConnectionMidWriteShouldFailClearlyAndTheStoreShouldRecover() throws Exception {
		TestPostgres server = TestPostgres.server();
		ExecutorService writer = Executors.newSingleThreadExecutor();
		String url = TestPostgres.server().newDatabase();
		HikariDataSource durable = PostgresFixture.pool(url, 4, true);
		try (DictStore store = DictStore.connect(durable)) {
			PersistentDict<String, Long> dict = store.dict("counters", String.class, Long.class);
			AtomicLong acknowledged = new AtomicLong();
			AtomicLong unknown = new AtomicLong();
			Future<PersistentDictException> failure = writer.submit(() -> {
				while (true) {
					try {
						dict.merge("n", 1L, Long::sum);
						acknowledged.incrementAndGet();
					}
					catch (WriteOutcomeUnknownException ex) {
						unknown.incrementAndGet();
						return ex;
					}
					catch (PersistentDictException ex) {
						return ex;
					}
				}
			});
			while (acknowledged.get() < 50) {
				Thread.sleep(5);
			}
			try {
				server.stopImmediately();
				PersistentDictException ex = failure.get(30, TimeUnit.SECONDS);
				assertThat(ex).hasMessageContaining("store PostgreSQL jdbc:postgresql://");
				if (!(ex instanceof WriteOutcomeUnknownException)) {
					assertThat(ex).hasMessageContaining("connection to the database was lost")
						.hasMessageContaining("nothing of this operation was committed");
				}
				else {
					assertThat(ex).hasMessageContaining("may or may not have happened");
				}
			}
			finally {
				server.start();
			}
			// the pool replaces the broken connections; the first attempts may still meet
			// one
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			Long value = null;
			PersistentDictException last = null;
			while (value == null && System.nanoTime() < deadline) {
				try {
					value = dict.get("n");
				}
				catch (PersistentDictException ex) {
					last = ex;
					Thread.sleep(100);
				}
			}
			assertThat(value).as("read after the restart; last failure: %s", last).isNotNull();
			// exact, but for the one write whose outcome may be unknown
			assertThat(value).isBetween(acknowledged.get(), acknowledged.get() + unknown.get());
			for (int i = 0; i < 20; i++) {
				dict.merge("n", 1L, Long::sum);
				dict.set("s" + i, (long) i);
			}
			assertThat(dict.get("n")).isEqualTo(value + 20);
			assertThat(dict.size()).isEqualTo(21);
		}
		finally {
			writer.shutdownNow();
			server.start();
			durable.close();
			server.dropDatabase(url.replaceAll("^.*/([^/?]+)(\\?.*)?$", "$1"));
		}
	}

}
