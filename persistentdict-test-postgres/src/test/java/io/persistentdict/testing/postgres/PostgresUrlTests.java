package io.persistentdict.testing.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PostgresUrlTests {

	@Test
	void parseShouldKeepUserPasswordAndParametersForOtherDatabases() {
		PostgresUrl url = PostgresUrl
			.parse("jdbc:postgresql://db.example:6543/app?user=u&password=p%26q&sslmode=disable", "test");
		assertThat(url.host()).isEqualTo("db.example");
		assertThat(url.port()).isEqualTo(6543);
		assertThat(url.user()).isEqualTo("u");
		assertThat(url.password()).isEqualTo("p&q");
		assertThat(url.database()).isEqualTo("app");
		assertThat(url.jdbcUrl("other"))
			.isEqualTo("jdbc:postgresql://db.example:6543/other?password=p%26q&sslmode=disable&user=u");
	}

	@Test
	void parseShouldKeepEveryHostOfAMultiHostUrl() {
		PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://h1:1,h2:2/x?user=u", "test");
		assertThat(url.host()).isEqualTo("h1");
		assertThat(url.port()).isEqualTo(1);
		assertThat(url.jdbcUrl("y")).isEqualTo("jdbc:postgresql://h1:1,h2:2/y?user=u");
	}

	@Test
	void parseWithoutDatabaseShouldMeanTheUsersDatabase() {
		PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://h/?user=alice", "test");
		assertThat(url.port()).isEqualTo(5432);
		assertThat(url.database()).isEqualTo("alice");
		assertThat(url.password()).isEmpty();
	}

	@Test
	void parseShouldRejectAnotherSchemeAndHideThePassword() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresUrl.parse("postgres://h/db?user=u&password=secret", "Variable X"))
			.withMessageStartingWith("Variable X is not a PostgreSQL JDBC URL")
			.withMessageContaining("password=***")
			.withMessageNotContaining("secret");
	}

	@Test
	void toStringShouldHideThePassword() {
		PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://h:1/d?user=u&password=secret", "test");
		assertThat(url).hasToString("jdbc:postgresql://h:1/d?password=***&user=u");
	}

}
