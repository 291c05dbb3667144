package io.persistentdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stores in SQLite files, one a name, in a directory.
 */
public final class SqliteFixture extends StoreFixture {

	private final Path dir;

	/**
	 * Create the fixture.
	 * @param dir the directory for the files
	 */
	public SqliteFixture(Path dir) {
		this.dir = dir;
	}

	/**
	 * Create the fixture in a new temporary directory.
	 * @return the fixture
	 */
	public static SqliteFixture inTemporaryDirectory() {
		try {
			return new SqliteFixture(Files.createTempDirectory("pd-contract"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public DictStore open(String name, StoreOptions options) {
		return DictStore.open(this.dir.resolve(name + ".db"), options);
	}

	@Override
	public void close() {
		// the files live in the test's own directory
	}

}
