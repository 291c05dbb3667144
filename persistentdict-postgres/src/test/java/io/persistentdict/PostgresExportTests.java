package io.persistentdict;

/**
 * The {@link ExportContract} on PostgreSQL.
 */
class PostgresExportTests extends ExportContract {

	@Override
	protected StoreFixture createFixture() {
		return new PostgresFixture();
	}

}
