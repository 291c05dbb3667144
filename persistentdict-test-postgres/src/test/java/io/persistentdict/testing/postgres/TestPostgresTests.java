package io.persistentdict.testing.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TestPostgresTests {

	private final TestPostgres server = TestPostgres.server();

	@Test
	void serverShouldAnswerSelectVersion() throws SQLException {
		assertThat(query(this.server.dataSource(), "SELECT version()")).singleElement()
			.asString()
			.startsWith("PostgreSQL 1");
		assertThat(this.server.jdbcUrl())
			.startsWith("jdbc:postgresql://" + this.server.host() + ":" + this.server.port());
	}

	@Test
	void serverShouldBeTheSameOnEveryCall() {
		assertThat(TestPostgres.server()).isSameAs(this.server);
		assertThat(TestPostgres.server().jdbcUrl()).isEqualTo(this.server.jdbcUrl());
	}

	@Test
	void textCollateCShouldOrderByBytes() throws SQLException {
		DataSource dataSource = this.server.dataSource(this.server.newDatabase());
		execute(dataSource, "CREATE TABLE entries (k text COLLATE \"C\" PRIMARY KEY, v bytea NOT NULL)");
		execute(dataSource,
				"INSERT INTO entries VALUES ('b', '\\x01'), ('B', '\\x02'), ('a', '\\x03'), ('é', '\\x04')");
		assertThat(query(dataSource, "SELECT k FROM entries ORDER BY k")).containsExactly("B", "a", "b", "é");
		assertThat(query(dataSource, "SELECT current_setting('server_encoding')")).containsExactly("UTF8");
	}

	@Test
	void newDatabaseShouldKeepTestsApart() throws SQLException {
		String first = this.server.newDatabase();
		String second = this.server.newDatabase();
		assertThat(first).isNotEqualTo(second);
		execute(this.server.dataSource(first), "CREATE TABLE only_here (id int)");
		assertThat(query(this.server.dataSource(first), "SELECT to_regclass('only_here')::text"))
			.containsExactly("only_here");
		assertThat(query(this.server.dataSource(second), "SELECT to_regclass('only_here')::text")).containsOnlyNulls();
		assertThat(query(this.server.dataSource(second), "SELECT current_database()")).singleElement()
			.asString()
			.startsWith("test_");
	}

	@Test
	void createDatabaseShouldFailForANameTakenAndRejectABadName() {
		String name = "taken_" + System.nanoTime();
		assertThat(this.server.createDatabase(name)).isEqualTo(this.server.jdbcUrl(name));
		assertThatIllegalStateException().isThrownBy(() -> this.server.createDatabase(name))
			.withMessageContaining(name)
			.withMessageContaining("already exists");
		this.server.dropDatabase(name);
		assertThat(this.server.createDatabase(name)).endsWith(name + "?user=" + this.server.user());
		assertThatIllegalArgumentException().isThrownBy(() -> this.server.createDatabase("x\"; DROP"));
	}

	@Test
	void stopImmediatelyThenStartShouldKeepWhatWasCommitted() throws SQLException {
		DataSource dataSource = this.server.dataSource(this.server.newDatabase());
		execute(dataSource, "CREATE TABLE kept (id int PRIMARY KEY)");
		execute(dataSource, "INSERT INTO kept SELECT generate_series(1, 1000)");
		int port = this.server.port();
		try (Connection open = dataSource.getConnection()) {
			open.setAutoCommit(false);
			execute(open, "INSERT INTO kept VALUES (-1)");
			this.server.stopImmediately();
			assertThat(this.server.isRunning()).isFalse();
			assertThatExceptionOfType(SQLException.class).isThrownBy(open::commit);
			assertThatExceptionOfType(SQLException.class).isThrownBy(dataSource::getConnection);
			this.server.stopImmediately();
		}
		finally {
			this.server.start();
		}
		assertThat(this.server.isRunning()).isTrue();
		assertThat(this.server.port()).isEqualTo(port);
		assertThat(query(dataSource, "SELECT count(*), min(id), max(id) FROM kept")).containsExactly(1000L, 1, 1000);
		this.server.start();
		assertThat(query(dataSource, "SELECT 1")).containsExactly(1);
	}

	@Test
	void aServerGivenByUrlShouldBeUsableButNotStopped() throws SQLException {
		TestPostgres external = TestPostgres.external(this.server.jdbcUrl(), "Test URL");
		assertThat(external.isEmbedded()).isFalse();
		assertThat(external.port()).isEqualTo(this.server.port());
		assertThat(query(external.dataSource(external.newDatabase()), "SELECT 42")).containsExactly(42);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(external::stopImmediately)
			.withMessageContaining("Test URL");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(external::start);
		assertThat(this.server.isRunning()).isTrue();
	}

	@Test
	void aServerGivenByUrlThatCannotBeReachedShouldSayHowToGiveOne() {
		assertThatIllegalStateException()
			.isThrownBy(
					() -> TestPostgres.external("jdbc:postgresql://127.0.0.1:1/db?user=u&password=secret", "Test URL"))
			.withMessageContaining("could not be reached")
			.withMessageContaining(TestPostgres.URL_ENVIRONMENT_VARIABLE + "=jdbc:postgresql://")
			.withMessageNotContaining("secret");
	}

	static void execute(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			execute(connection, sql);
		}
	}

	static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	static List<Object> query(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet rows = statement.executeQuery()) {
			List<Object> values = new ArrayList<>();
			while (rows.next()) {
				for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
					values.add(rows.getObject(column));
				}
			}
			return values;
		}
	}

}
