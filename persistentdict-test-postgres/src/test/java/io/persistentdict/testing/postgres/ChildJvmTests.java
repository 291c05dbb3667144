package io.persistentdict.testing.postgres;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM reaches the parent's server through
 * {@value TestPostgres#URL_ENVIRONMENT_VARIABLE}.
 */
class ChildJvmTests {

	@Test
	void childJvmGivenTheUrlShouldUseTheSameServer() throws Exception {
		TestPostgres server = TestPostgres.server();
		String url = server.newDatabase();
		DataSource dataSource = server.dataSource(url);
		TestPostgresTests.execute(dataSource, "CREATE TABLE greeting (text text)");
		TestPostgresTests.execute(dataSource, "INSERT INTO greeting VALUES ('from the parent')");

		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), Child.class.getName())
			.redirectErrorStream(true);
		builder.environment().put(TestPostgres.URL_ENVIRONMENT_VARIABLE, url);
		Process child = builder.start();
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(child.exitValue()).as(output).isZero();
		assertThat(output).contains("embedded=false port=" + server.port() + " greeting=from the parent");
	}

	/**
	 * What the child JVM runs.
	 */
	static final class Child {

		public static void main(String[] args) throws SQLException {
			TestPostgres server = TestPostgres.server();
			Object greeting = TestPostgresTests.query(server.dataSource(), "SELECT text FROM greeting").get(0);
			System.out.println("embedded=" + server.isEmbedded() + " port=" + server.port() + " greeting=" + greeting);
		}

	}

}
