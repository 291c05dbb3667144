package io.persistentdict.postgres;

import java.sql.Connection;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.PostgresFixture;
import io.persistentdict.StoreOptions;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A write that gets no connection from the application's pool in time fails with a
 * message that says what to check, and writes nothing.
 */
class PoolTimeoutTests {

	@Test
	void writeThatGetsNoConnectionInTimeShouldSayWhatToCheck() throws Exception {
		String url = TestPostgres.server().newDatabase();
		try (HikariDataSource pool = PostgresFixture.pool(url, 1)) {
			pool.setConnectionTimeout(250);
			try (DictStore store = DictStore.connect(pool, StoreOptions.builder().schema("pool_timeout").build())) {
				PersistentDict<String, String> dict = store.dict("kv", String.class, String.class);
				dict.put("kept", "v");
				try (Connection held = pool.getConnection()) {
					assertThat(held.isValid(1)).isTrue();
					assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> dict.put("k", "v"))
						.withMessageContaining("got no connection from the DataSource within its connection timeout")
						.withMessageContaining("nothing of this operation was written")
						.withMessageContaining("Check that the database is up")
						.withMessageContaining("store PostgreSQL jdbc:postgresql://");
				}
				assertThat(dict).containsOnlyKeys("kept");
			}
		}
	}

}
