package io.persistentdict;

/**
 * The {@link ExportContract} on SQLite files.
 */
class SqliteExportTests extends ExportContract {

	@Override
	protected StoreFixture createFixture() {
		return new SqliteFixture(this.dir);
	}

}
