package io.persistentdict;

import java.nio.file.Path;

import io.persistentdict.StoreOpenException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link DictStore#connect} finds the engine for a data source's database, or says why
 * there is none and what to do.
 */
class ConnectTests {

	@TempDir
	Path dir;

	@Test
	void aSqliteDataSourceShouldBeSentToDictStoreOpen() {
		SQLiteDataSource sqlite = new SQLiteDataSource();
		sqlite.setUrl("jdbc:sqlite:" + this.dir.resolve("app.db"));
		assertThatExceptionOfType(StoreOpenException.class).isThrownBy(() -> DictStore.connect(sqlite))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.UNSUPPORTED_DATABASE))
			.withMessageContaining("DictStore.open(Path)");
	}

	@Test
	void anUnreachableDatabaseShouldSaySoAndWhatToCheck() {
		SQLiteDataSource missing = new SQLiteDataSource();
		missing.setUrl("jdbc:sqlite:" + this.dir.resolve("no/such/dir/app.db"));
		assertThatExceptionOfType(StoreOpenException.class).isThrownBy(() -> DictStore.connect(missing))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.UNREACHABLE))
			.withMessageContaining("check that the database is running and reachable");
	}

	@Test
	void nullsShouldBeRefused() {
		assertThatNullPointerException().isThrownBy(() -> DictStore.connect(null))
			.withMessage("dataSource must not be null");
	}

}
