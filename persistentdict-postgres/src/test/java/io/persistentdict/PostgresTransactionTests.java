package io.persistentdict;

/**
 * Transactions across dicts, and dicts as the arguments and in the functions of other
 * dicts of the same store, on PostgreSQL.
 */
class PostgresTransactionTests extends TransactionContract {

	@Override
	protected StoreFixture createFixture() {
		return new PostgresFixture();
	}

}
