package io.persistentdict.postgres;

import io.persistentdict.ConcurrentMapContractTest;
import io.persistentdict.PostgresFixture;

/**
 * Guava testlib's {@code ConcurrentMap} suites, on PostgreSQL.
 */
public final class PostgresConcurrentMapContractTest {

	private PostgresConcurrentMapContractTest() {
	}

	public static junit.framework.Test suite() {
		return ConcurrentMapContractTest.suite("PostgreSQL", new PostgresFixture());
	}

}
