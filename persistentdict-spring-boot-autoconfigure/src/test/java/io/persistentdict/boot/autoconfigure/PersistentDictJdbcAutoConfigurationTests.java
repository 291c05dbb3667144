package io.persistentdict.boot.autoconfigure;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PersistentDictAutoConfiguration} with {@code type=jdbc}, on a real
 * PostgreSQL ({@link TestPostgres}): one database for the class, a schema per test.
 */
class PersistentDictJdbcAutoConfigurationTests {

	private static final AtomicInteger schemas = new AtomicInteger();

	private static String url;

	private static String otherUrl;

	@TempDir
	Path dir;

	@BeforeAll
	static void databases() {
		url = TestPostgres.server().newDatabase();
		otherUrl = TestPostgres.server().newDatabase();
	}

	private static String newSchema() {
		return "s" + schemas.incrementAndGet();
	}

	/**
	 * Boot's own DataSource on {@link #url}, and the store on it in a schema of its own.
	 */
	private ApplicationContextRunner runner(String schema) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, PersistentDictAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + url, "spring.datasource.hikari.maximum-pool-size=3",
					"persistentdict.store.type=jdbc", "persistentdict.store.jdbc.schema=" + schema,
					"persistentdict.maps.books.value-type=java.lang.String");
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWhenTypeJdbcShouldPutDefaultStoreOnApplicationDataSource() throws SQLException {
		String schema = newSchema();
		runner(schema).run((context) -> {
			assertThat(context).hasSingleBean(DictStore.class).hasSingleBean(DataSource.class);
			DictStore store = context.getBean(DictStore.class);
			assertThat(store.path()).isNull();
			assertThat(store.options().schema()).isEqualTo(schema);
			context.getBean("books", PersistentDict.class).put("1", "Dune");
		});
		assertThat(tables(url, schema)).contains("pd_catalog");
		assertThat(count(url, "SELECT count(*) FROM " + schema + ".pd_catalog WHERE name = 'books'")).isOne();
	}

	@Test
	void runWhenDataSourceExistsAndTypeNotSetShouldStayOnSqlite() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, PersistentDictAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + url,
					"persistentdict.store.path=" + this.dir.resolve("default.db"))
			.run((context) -> assertThat(context.getBean(DictStore.class).path())
				.isEqualTo(this.dir.resolve("default.db")));
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWithPersistentDictDataSourceShouldUseItAndKeepBootsDataSource() throws SQLException {
		String schema = newSchema();
		runner(schema).withUserConfiguration(OtherDataSourceConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			// Boot's DataSource did not back off for the non-default candidate
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(((HikariDataSource) context.getBean(DataSource.class)).getJdbcUrl()).isEqualTo(url);
			context.getBean("books", PersistentDict.class).put("1", "Dune");
		});
		assertThat(tables(otherUrl, schema)).contains("pd_catalog");
		assertThat(tables(url, schema)).isEmpty();
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWithJdbcUrlShouldUseOwnPoolThatIsNoBeanAndIsClosedAtShutdown() throws Exception {
		String schema = newSchema();
		// a database of its own, so that no other test's connections are counted
		String own = TestPostgres.server().newDatabase();
		String database = own.substring(own.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
		long before = backends(database);
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class))
			.withPropertyValues("persistentdict.store.type=jdbc", "persistentdict.store.jdbc.url=" + own,
					"persistentdict.store.jdbc.username=" + TestPostgres.server().user(),
					"persistentdict.store.pool.maximum-size=2", "persistentdict.store.jdbc.schema=" + schema,
					"persistentdict.maps.books.value-type=java.lang.String")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class);
				context.getBean("books", PersistentDict.class).put("1", "Dune");
				assertThat(context.getBean("books", PersistentDict.class).get("1")).isEqualTo("Dune");
				assertThat(backends(database)).isGreaterThan(before);
			});
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (backends(database) > before && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(backends(database)).isEqualTo(before);
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWhenNamedStoreIsJdbcShouldTakeTheSameKeys() throws SQLException {
		String schema = newSchema();
		String archive = newSchema();
		runner(schema)
			.withPropertyValues("persistentdict.stores.archive.type=jdbc",
					"persistentdict.stores.archive.jdbc.schema=" + archive,
					"persistentdict.stores.archive.jdbc.unlogged-caches=true",
					"persistentdict.maps.old.value-type=java.lang.String", "persistentdict.maps.old.store=archive")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("archiveDictStore", DictStore.class).options().unloggedCaches()).isTrue();
				context.getBean("old", PersistentDict.class).put("1", "Emma");
			});
		assertThat(count(url, "SELECT count(*) FROM " + archive + ".pd_catalog WHERE name = 'old'")).isOne();
	}

	@Test
	void runWhenTwoStoresOnSameDatabaseAndSchemaShouldFail() {
		String schema = newSchema();
		runner(schema)
			.withPropertyValues("persistentdict.stores.archive.type=jdbc",
					"persistentdict.stores.archive.jdbc.schema=" + schema, "persistentdict.maps.old.store=archive",
					"persistentdict.maps.old.value-type=java.lang.String")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Stores '")
					.contains("'default'")
					.contains("'archive'")
					.contains("schema '" + schema + "'")
					.doesNotContain("password");
				assertThat(analysis.getAction()).contains("persistentdict.stores.archive.jdbc.schema");
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void runTwoApplicationContextsOnOneSchemaShouldShareTheirMaps() {
		String schema = newSchema();
		runner(schema).run((first) -> runner(schema).run((second) -> {
			assertThat(first).hasNotFailed();
			assertThat(second).hasNotFailed();
			PersistentDict<String, String> one = first.getBean("books", PersistentDict.class);
			PersistentDict<String, String> two = second.getBean("books", PersistentDict.class);
			one.put("1", "Dune");
			assertThat(two.get("1")).isEqualTo("Dune");
			two.merge("1", "!", String::concat);
			assertThat(one.get("1")).isEqualTo("Dune!");
			one.remove("1");
			assertThat(two.containsKey("1")).isFalse();
		}));
	}

	@Test
	void runWhenSqliteKeySetOnJdbcStoreShouldFail() {
		runner(newSchema()).withPropertyValues("persistentdict.store.path=data/x.db").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.contains("'persistentdict.store.path' applies to SQLite files only, but store 'default' is on a"
						+ " database");
			assertThat(analysis.getAction()).contains("Remove 'persistentdict.store.path'");
		});
		runner(newSchema()).withPropertyValues("persistentdict.store.pragmas.cache_size=-4000")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("'persistentdict.store.pragmas'"));
		runner(newSchema()).withPropertyValues("persistentdict.store.busy-timeout=3s")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("lock_timeout"));
		runner(newSchema()).withPropertyValues("persistentdict.store.open-mode=recreate")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("'persistentdict.store.open-mode'"));
		runner(newSchema()).withPropertyValues("persistentdict.store.pool.maximum-size=8")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getAction())
				.contains("spring.datasource.hikari.maximum-pool-size"));
	}

	@Test
	void runWhenKeysForBothEnginesSetOnJdbcStoreShouldApplyThem() {
		runner(newSchema())
			.withPropertyValues("persistentdict.store.synchronous=off", "persistentdict.store.open-mode=create")
			.run((context) -> assertThat(context.getBean(DictStore.class).options().synchronous())
				.isEqualTo(io.persistentdict.Synchronous.OFF));
	}

	@Test
	void runWhenJdbcKeySetOnSqliteStoreShouldFail() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class))
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("default.db"),
					"persistentdict.stores.archive.path=" + this.dir.resolve("archive.db"),
					"persistentdict.stores.archive.jdbc.schema=archive")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'persistentdict.stores.archive.jdbc.schema' is set,"
						+ " but store 'archive' is a SQLite file");
				assertThat(analysis.getAction()).contains("persistentdict.stores.archive.type=jdbc");
			});
	}

	@Test
	void runWhenEngineModuleMissingShouldSayWhichDependencyToAdd() {
		runner(newSchema()).withClassLoader(new FilteredClassLoader("io.persistentdict.postgres")).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.contains("PostgreSQL engine of persistentdict is not on the class path");
			assertThat(analysis.getAction()).contains("io.persistentdict:persistentdict-postgres");
		});
	}

	@Test
	void runWhenDriverMissingShouldSayWhichDependencyToAdd() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.postgresql"))
			.withPropertyValues("persistentdict.store.type=jdbc", "persistentdict.store.jdbc.url=" + url)
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("PostgreSQL JDBC driver");
				assertThat(analysis.getAction()).contains("org.postgresql:postgresql");
			});
	}

	@Test
	void runWhenNoDataSourceShouldSayHowToGiveOne() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class))
			.withPropertyValues("persistentdict.store.type=jdbc")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("the application has no DataSource");
				assertThat(analysis.getAction()).contains("spring.datasource.url")
					.contains("@PersistentDictDataSource")
					.contains("persistentdict.store.jdbc.url");
			});
	}

	@Test
	void runWhenDataSourceIsNotPostgresqlShouldSaySo() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class))
			.withBean(DataSource.class, () -> {
				SQLiteDataSource sqlite = new SQLiteDataSource();
				sqlite.setUrl("jdbc:sqlite:" + this.dir.resolve("app.db"));
				return sqlite;
			})
			.withPropertyValues("persistentdict.store.type=jdbc")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("The DataSource is on SQLite");
				assertThat(analysis.getAction()).contains("PostgreSQL 14 or newer");
			});
	}

	@Test
	void runWhenSchemaOnlyValidatedAndMissingShouldFail() {
		runner(newSchema()).withPropertyValues("persistentdict.store.jdbc.initialize-schema=validate")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("createSchema is off");
			});
	}

	@Test
	void runWhenSchemaOnlyValidatedShouldOpenAfterBootsScriptsCreatedIt() {
		// the engine's script creates schema 'persistentdict': in a database of its own,
		// so that no other test's store sees it
		String database = TestPostgres.server().newDatabase();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceInitializationAutoConfiguration.class, PersistentDictAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + database, "spring.sql.init.mode=always",
					"spring.sql.init.schema-locations=classpath:META-INF/persistentdict/postgresql-schema.sql",
					"persistentdict.store.type=jdbc", "persistentdict.store.jdbc.initialize-schema=validate")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(DictStore.class).options().createSchema()).isFalse();
			});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		return PersistentDictFailureAnalyzerAccess.analyze(failure);
	}

	private static java.util.List<String> tables(String jdbcUrl, String schema) throws SQLException {
		java.util.List<String> tables = new java.util.ArrayList<>();
		try (Connection connection = TestPostgres.server().dataSource(jdbcUrl).getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
			statement.setString(1, schema);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					tables.add(rs.getString(1));
				}
			}
		}
		return tables;
	}

	private static long count(String jdbcUrl, String sql) throws SQLException {
		try (Connection connection = TestPostgres.server().dataSource(jdbcUrl).getConnection();
				ResultSet rs = connection.createStatement().executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/** Other connections to a database than the one asking. */
	private static long backends(String database) throws SQLException {
		try (Connection connection = TestPostgres.server().dataSource().getConnection();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
			statement.setString(1, database);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class OtherDataSourceConfiguration {

		@Bean(defaultCandidate = false)
		@PersistentDictDataSource
		DataSource persistentDictDataSource() {
			return TestPostgres.server().dataSource(otherUrl);
		}

	}

}
