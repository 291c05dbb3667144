package io.persistentdict.sample;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.persistentdict.sample.books.Book;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the sample, each in a JVM of its own, with the {@code postgres}
 * profile on one real PostgreSQL database (and the {@code admin} profile, for the caches
 * endpoint's eviction), over real HTTP. Each instance has its own slow catalog and its
 * own meters, so a hit is told from a miss by the instance's {@code cache.gets} counters,
 * never by time. Writes reach the other instance's database reads at once; its near
 * caches hear of them over {@code LISTEN}/{@code NOTIFY}, within the stated bound of 1 s
 * after the commit, which the tests poll for and hold it to. Each test uses its own
 * books.
 */
class TwoInstancesOnPostgresTests {

	/**
	 * The stated bound: a replaced or evicted entry is not served later after its commit.
	 */
	private static final Duration BOUND = Duration.ofSeconds(1);

	/** How long an instance may take to start, on a busy machine. */
	private static final Duration STARTUP = Duration.ofMinutes(3);

	/**
	 * How long the other instance may take to start listening, the first time its near
	 * cache is used.
	 */
	private static final Duration LISTENING = Duration.ofSeconds(30);

	@TempDir
	static Path directory;

	static String database;

	static SampleJvm one;

	static SampleJvm other;

	@BeforeAll
	static void startTwoInstancesOnOneDatabase() throws InterruptedException {
		TestPostgres server = TestPostgres.server();
		database = server.newDatabase();
		// as a deployment would pass them: the URL, the user and the password in the
		// environment, not on the command line
		Map<String, String> environment = Map.of("PERSISTENTDICT_STORE_JDBC_URL", database,
				"PERSISTENTDICT_STORE_JDBC_USERNAME", server.user(), "PERSISTENTDICT_STORE_JDBC_PASSWORD",
				server.password());
		String[] args = { "--spring.profiles.active=postgres,admin", "--sample.catalog.latency=50ms",
				"--spring.main.banner-mode=off" };
		// both at once: the first start creates the schema, under an advisory lock
		one = SampleJvm.start("one", directory, environment, args);
		other = SampleJvm.start("other", directory, environment, args);
		one.awaitStarted(STARTUP);
		other.awaitStarted(STARTUP);
	}

	@AfterAll
	static void stop() {
		for (SampleJvm instance : new SampleJvm[] { one, other }) {
			if (instance != null) {
				instance.close();
			}
		}
	}

	@Test
	void bookCachedByOneInstanceShouldBeAHitOnTheOther() {
		String isbn = "9780134685991";
		Http first = one.http();
		Http second = other.http();
		double firstMisses = cacheGets(first, "miss");
		double secondHits = cacheGets(second, "hit");
		double secondMisses = cacheGets(second, "miss");

		assertThat(first.get("/books/" + isbn, Book.class).getBody().title()).isEqualTo("Effective Java");
		assertThat(cacheGets(first, "miss")).as("the first instance asked its catalog").isEqualTo(firstMisses + 1);

		ResponseEntity<Book> hit = second.get("/books/" + isbn, Book.class);
		assertThat(hit.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(hit.getBody().title()).isEqualTo("Effective Java");
		assertThat(cacheGets(second, "hit")).as("served from the shared cache").isEqualTo(secondHits + 1);
		assertThat(cacheGets(second, "miss")).as("the other instance's catalog was never asked")
			.isEqualTo(secondMisses);
	}

	@Test
	void pasteWrittenOnOneInstanceShouldBeReadOnTheOtherAndDeletedForBoth() {
		Http first = one.http();
		Http second = other.http();
		ResponseEntity<Map<String, Object>> created = first.postText("/pastes?ttl=10m", "written on one");
		assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		String id = (String) Http.at(created.getBody(), "id");

		Map<String, Object> read = second.getJson("/pastes/" + id);
		assertThat(read).containsEntry("text", "written on one")
			.containsEntry("createdAt", Http.at(created.getBody(), "createdAt"))
			.containsEntry("expiresAt", Http.at(created.getBody(), "expiresAt"));

		assertThat(second.delete("/pastes/" + id)).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(first.get("/pastes/" + id, String.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void evictionOnOneInstanceShouldBeSeenByTheOtherWithinTheBound() {
		String isbn = "9780321349606";
		Http first = one.http();
		Http second = other.http();
		first.get("/books/" + isbn, Book.class);
		awaitNearCacheHit(second, isbn);
		double misses = cacheGets(second, "miss");

		assertThat(first.delete("/books/" + isbn + "/cache")).isEqualTo(HttpStatus.NO_CONTENT);
		Duration seenAfter = awaitWithinBound("the eviction of " + isbn, () -> {
			second.get("/books/" + isbn, Book.class);
			return cacheGets(second, "miss") > misses;
		});
		assertThat(cacheGets(second, "miss")).as("one miss, then cached again; seen after %s", seenAfter)
			.isEqualTo(misses + 1);
	}

	@Test
	void priceSetOnOneInstanceShouldBeServedByTheOtherWithinTheBound() {
		String isbn = "9781449373320";
		Http first = one.http();
		Http second = other.http();
		assertThat(first.get("/books/" + isbn, Book.class).getBody().price()).isEqualByComparingTo("42.99");
		awaitNearCacheHit(second, isbn);
		double misses = cacheGets(second, "miss");

		// @CachePut: the first instance's catalog changes, and its cache entry is
		// replaced
		assertThat(first.put("/books/" + isbn + "/price?amount=12.34", Book.class).getBody().price())
			.isEqualByComparingTo("12.34");
		awaitWithinBound("the new price of " + isbn,
				() -> second.get("/books/" + isbn, Book.class)
					.getBody()
					.price()
					.compareTo(new BigDecimal("12.34")) == 0);
		// the other instance's catalog still has the old price: the new one came from the
		// cache
		assertThat(cacheGets(second, "miss")).isEqualTo(misses);
	}

	@Test
	void clearingTheCacheOnOneInstanceShouldBeSeenByTheOtherWithinTheBound() {
		String isbn = "9780596007126";
		Http first = one.http();
		Http second = other.http();
		first.get("/books/" + isbn, Book.class);
		awaitNearCacheHit(second, isbn);
		double misses = cacheGets(second, "miss");

		// the caches endpoint's eviction (the admin profile): every entry of the cache
		assertThat(first.delete("/actuator/caches/books")).isEqualTo(HttpStatus.NO_CONTENT);
		awaitWithinBound("the cleared cache", () -> {
			second.get("/books/" + isbn, Book.class);
			return cacheGets(second, "miss") > misses;
		});
	}

	@Test
	void healthShouldBeUpOnPostgresOnBothInstances() {
		String location = null;
		for (SampleJvm instance : List.of(one, other)) {
			Map<String, Object> health = instance.http().getJson("/actuator/health");
			assertThat(health).containsEntry("status", "UP");
			Object store = Http.at(health, "components", "persistentdict", "components", "default");
			assertThat(Http.at(store, "status")).isEqualTo("UP");
			Object details = Http.at(store, "details");
			String where = (String) Http.at(details, "location");
			// the engine, the database of this test and the profile's schema, without
			// credentials
			String name = database.substring(database.lastIndexOf('/') + 1, database.indexOf('?'));
			assertThat(where).startsWith("PostgreSQL jdbc:postgresql://")
				.contains("/" + name + " ")
				.endsWith("(schema 'persistentdict')")
				.doesNotContain("password")
				.doesNotContain("user=");
			// a file's figures do not apply on a database
			assertThat(Http.keys(details)).doesNotContain("path", "walSize", "freeDiskSpace");
			assertThat(Http.keys(details, "dicts")).contains("cache:books", "cache:ratings", "map:pastes");
			if (location != null) {
				assertThat(where).as("both instances on one store").isEqualTo(location);
			}
			location = where;
		}
	}

	/**
	 * Read a book on an instance until its near cache answers, which it does once its
	 * listener hears the database: from then on it could serve a stale entry.
	 */
	private static void awaitNearCacheHit(Http http, String isbn) {
		double before = nearHits(http);
		long deadline = System.nanoTime() + LISTENING.toNanos();
		do {
			assertThat(http.get("/books/" + isbn, Book.class).getStatusCode()).isEqualTo(HttpStatus.OK);
			if (nearHits(http) > before) {
				return;
			}
		}
		while (System.nanoTime() < deadline);
		throw new AssertionError("The near cache of 'books' answered no read of " + isbn + " within " + LISTENING);
	}

	/**
	 * Poll until the other instance shows a change committed just before the call. A
	 * check that starts later than the bound after the call and still does not show it
	 * fails the test.
	 * @param what the change, for the message
	 * @param seen one check, true once the change shows
	 * @return how long after the call the change showed
	 */
	private static Duration awaitWithinBound(String what, BooleanSupplier seen) {
		long committed = System.nanoTime();
		while (true) {
			long started = System.nanoTime();
			if (seen.getAsBoolean()) {
				return Duration.ofNanos(started - committed);
			}
			if (started - committed > BOUND.toNanos()) {
				throw new AssertionError("The other instance still did not show " + what + " to a request sent "
						+ Duration.ofNanos(started - committed).toMillis() + " ms after the commit; the bound is "
						+ BOUND.toMillis() + " ms");
			}
		}
	}

	private static double cacheGets(Http http, String result) {
		return http.metric("cache.gets", "result:" + result, "cache:books");
	}

	private static double nearHits(Http http) {
		return http.metric("persistentdict.near.hits", "store:default", "dict:cache:books");
	}

}
