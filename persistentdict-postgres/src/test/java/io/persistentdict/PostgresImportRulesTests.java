package io.persistentdict;

/**
 * The {@link ImportRulesContract} on PostgreSQL.
 */
class PostgresImportRulesTests extends ImportRulesContract {

	@Override
	protected StoreFixture createFixture() {
		return new PostgresFixture();
	}

}
