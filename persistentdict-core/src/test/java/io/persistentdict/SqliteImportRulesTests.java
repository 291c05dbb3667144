package io.persistentdict;

/**
 * The {@link ImportRulesContract} on SQLite files.
 */
class SqliteImportRulesTests extends ImportRulesContract {

	@Override
	protected StoreFixture createFixture() {
		return new SqliteFixture(this.dir);
	}

}
