package io.persistentdict;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@link TransactionContract} on SQLite files, and how SQLite words a doomed
 * transaction.
 */
class SqliteTransactionTests extends TransactionContract {

	@Override
	protected StoreFixture createFixture() {
		return new SqliteFixture(this.dir);
	}

	@Test
	void aDoomedTransactionShouldSayItWasRolledBack() {
		try (DictStore store = createFixture().open("doomed-message")) {
			PersistentDict<String, String> done = store.dict("done", String.class, String.class);
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> store.inTransaction(() -> {
				done.put("o1", "shipped");
				try {
					store.drop("done");
					done.put("o2", "shipped");
				}
				catch (PersistentDictException ex) {
					// caught and ignored by the work
				}
			})).withMessageContaining("rolled back");
		}
	}

}
