package io.persistentdict.postgres;

import java.util.List;

import io.persistentdict.ConcurrentMapContractTest;
import io.persistentdict.PostgresFixture;

/**
 * Guava testlib's {@code ConcurrentMap} suites, on PostgreSQL. Every test opens a new
 * dict, which costs PostgreSQL a {@code CREATE TABLE} (about 10 ms here), so the regular
 * build runs one configuration (the string codec with compression, whose values are the
 * longest): 927 tests. The codecs are engine-neutral; the whole matrix of the core's
 * SQLite run (5,562 tests, about 4 minutes on 2 cores) runs with
 * {@code -Dpersistentdict.postgres.fullMatrix=true}.
 */
public final class PostgresConcurrentMapContractTest {

	private PostgresConcurrentMapContractTest() {
	}

	public static junit.framework.Test suite() {
		PostgresFixture fixture = new PostgresFixture();
		if (Boolean.getBoolean("persistentdict.postgres.fullMatrix")) {
			return ConcurrentMapContractTest.suite("PostgreSQL", fixture);
		}
		return ConcurrentMapContractTest.suite("PostgreSQL", fixture, List.of("string"), List.of(true));
	}

}
