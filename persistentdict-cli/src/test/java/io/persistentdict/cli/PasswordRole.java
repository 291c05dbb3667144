package io.persistentdict.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import io.persistentdict.testing.postgres.TestPostgres;
import org.postgresql.Driver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user whose password the server checks, so that a test can tell whether the tool found
 * the password. The embedded server trusts every local connection: this prepends a
 * {@code scram-sha-256} rule for one superuser role to its {@code pg_hba.conf} and
 * reloads it. A server given by URL is taken to check its own user's password.
 */
record PasswordRole(String user, String password) {

	/** A password with a colon, which a password file escapes as {@code \:}. */
	private static final String PASSWORD = "open:Sesame-7f3a";

	private static final String ROLE = "cli_password_user";

	private static PasswordRole role;

	static synchronized PasswordRole get() {
		if (role == null) {
			role = create(TestPostgres.server());
		}
		return role;
	}

	/** A URL of a database for this role, without a password. */
	String url(String database) {
		TestPostgres server = TestPostgres.server();
		return "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + database + "?user=" + this.user;
	}

	private static PasswordRole create(TestPostgres server) {
		if (!server.isEmbedded()) {
			assertThat(server.password()).as("a server given by URL needs a user with a password for these tests")
				.isNotEmpty();
			return new PasswordRole(server.user(), server.password());
		}
		try (Connection connection = server.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE
					+ "') THEN CREATE ROLE " + ROLE + " LOGIN SUPERUSER; END IF; END $$");
			statement.execute("SET password_encryption = 'scram-sha-256'");
			statement.execute("ALTER ROLE " + ROLE + " PASSWORD '" + PASSWORD + "'");
			Path hba;
			try (ResultSet rs = statement.executeQuery("SHOW hba_file")) {
				rs.next();
				hba = Path.of(rs.getString(1));
			}
			String rules = Files.readString(hba);
			String rule = "host all " + ROLE + " all scram-sha-256\n";
			if (!rules.startsWith(rule)) {
				Files.writeString(hba, rule + rules);
			}
			statement.execute("SELECT pg_reload_conf()");
		}
		catch (SQLException | IOException ex) {
			throw new AssertionError("Could not make a user with a password on " + server, ex);
		}
		PasswordRole created = new PasswordRole(ROLE, PASSWORD);
		created.awaitChecked(server);
		return created;
	}

	/** The reload is asynchronous: wait until a wrong password is refused. */
	private void awaitChecked(TestPostgres server) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		Properties wrong = new Properties();
		wrong.setProperty("password", "wrong");
		while (System.nanoTime() < deadline) {
			try (Connection connection = new Driver().connect(url(server.database()), wrong)) {
				assertThat(connection).as("still trusted").isNotNull();
				Thread.sleep(50);
			}
			catch (SQLException ex) {
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
		throw new AssertionError("The server did not start checking passwords for " + this.user + " in 10 s");
	}

}
