package io.persistentdict;

/**
 * The engine-neutral contract of {@link DictStore} and {@link PersistentDict}, on
 * PostgreSQL.
 */
class PostgresDictStoreContractTests extends DictStoreContract {

	@Override
	protected StoreFixture createFixture() {
		return new PostgresFixture();
	}

}
