package io.persistentdict.sample;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.persistentdict.sample.books.Book;
import io.persistentdict.sample.books.BookCatalog;
import io.persistentdict.sample.books.Rating;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The running application over HTTP: the persistent cache, the paste bin and the
 * actuator, with the {@code admin} profile that opens the write operations of the
 * {@code caches} and {@code persistentdict} endpoints ({@link SafeDefaultsTests} checks
 * that they are closed without it). A hit or a miss is told by the catalog's call count
 * and the cache meters, never by how long a request took. Time moves on a
 * {@link MutableClock}: no test sleeps for a TTL. Each test uses its own books, so that
 * the tests do not depend on their order.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.catalog.latency=50ms")
@ActiveProfiles("admin")
@Import(MutableClockConfiguration.class)
@DirtiesContext // close the store before its @TempDir is deleted
class SampleApplicationTests {

	@TempDir
	static Path data;

	@DynamicPropertySource
	static void storeInTempDir(DynamicPropertyRegistry registry) {
		registry.add("persistentdict.store.path", () -> data.resolve("sample.db").toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	BookCatalog catalog;

	@Autowired
	MutableClock clock;

	Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	// Books: @Cacheable, @CachePut, @CacheEvict and a CompletableFuture @Cacheable

	@Test
	void getBookShouldAskTheCatalogOnAMissOnlyAndCountBoth() {
		String isbn = "9780134685991";
		double hits = cacheGets("books", "hit");
		double misses = cacheGets("books", "miss");
		double puts = this.http.metric("cache.puts", "cache:books");

		ResponseEntity<Book> miss = this.http.get("/books/" + isbn, Book.class);
		assertThat(miss.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.catalog.calls(isbn)).isEqualTo(1);
		assertThat(cacheGets("books", "miss")).isEqualTo(misses + 1);

		ResponseEntity<Book> hit = this.http.get("/books/" + isbn, Book.class);
		assertThat(hit.getBody()).isEqualTo(miss.getBody());
		assertThat(hit.getBody().title()).isEqualTo("Effective Java");
		assertThat(this.catalog.calls(isbn)).as("served from the cache").isEqualTo(1);
		assertThat(cacheGets("books", "hit")).isEqualTo(hits + 1);
		assertThat(cacheGets("books", "miss")).isEqualTo(misses + 1);
		assertThat(this.http.metric("cache.puts", "cache:books")).isEqualTo(puts + 1);
	}

	@Test
	void putPriceShouldUpdateTheCachedBookAndEvictShouldDropIt() {
		String isbn = "9780321349606";
		ResponseEntity<Book> updated = this.http.put("/books/" + isbn + "/price?amount=19.99", Book.class);
		assertThat(updated.getBody().price()).isEqualByComparingTo("19.99");

		double hits = cacheGets("books", "hit");
		// the same key, written with hyphens
		ResponseEntity<Book> hit = this.http.get("/books/978-0-321-34960-6", Book.class);
		assertThat(hit.getBody().price()).isEqualByComparingTo(new BigDecimal("19.99"));
		assertThat(this.catalog.calls(isbn)).isZero();
		assertThat(cacheGets("books", "hit")).isEqualTo(hits + 1);

		assertThat(this.http.delete("/books/" + isbn + "/cache")).isEqualTo(HttpStatus.NO_CONTENT);
		ResponseEntity<Book> miss = this.http.get("/books/" + isbn, Book.class);
		assertThat(miss.getBody().price()).isEqualByComparingTo("19.99");
		assertThat(this.catalog.calls(isbn)).as("evicted: asked the catalog").isEqualTo(1);
	}

	@Test
	void getRatingShouldCacheTheResultOfACompletableFuture() {
		String isbn = "9781449373320";
		double hits = cacheGets("ratings", "hit");
		double misses = cacheGets("ratings", "miss");

		ResponseEntity<Rating> miss = this.http.get("/books/" + isbn + "/rating", Rating.class);
		assertThat(miss.getBody()).isEqualTo(new Rating(isbn, 4.8, 5120));
		assertThat(this.catalog.calls(isbn)).isEqualTo(1);
		assertThat(cacheGets("ratings", "miss")).isEqualTo(misses + 1);

		ResponseEntity<Rating> hit = this.http.get("/books/" + isbn + "/rating", Rating.class);
		assertThat(hit.getBody()).isEqualTo(new Rating(isbn, 4.8, 5120));
		assertThat(this.catalog.calls(isbn)).as("served from the cache").isEqualTo(1);
		assertThat(cacheGets("ratings", "hit")).isEqualTo(hits + 1);
	}

	@Test
	void getBookShouldMissAgainOnceTheCacheTtlHasPassed() {
		String isbn = "9780132350884";
		this.http.get("/books/" + isbn, Book.class);
		assertThat(this.catalog.calls(isbn)).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(this.http.get("/books/" + isbn, Book.class).getBody().title()).isEqualTo("Clean Code");
		assertThat(this.catalog.calls(isbn)).as("still cached after 9 minutes").isEqualTo(1);

		this.clock.advance(Duration.ofMinutes(2)); // books: ttl 10m
		assertThat(this.http.get("/books/" + isbn, Book.class).getBody().title()).isEqualTo("Clean Code");
		assertThat(this.catalog.calls(isbn)).as("expired after 11 minutes: asked again").isEqualTo(2);
	}

	@Test
	void getUnknownBookShouldBeNotFoundAndNotCached() {
		String isbn = "9990000000000";
		double misses = cacheGets("books", "miss");
		double puts = this.http.metric("cache.puts", "cache:books");

		assertThat(status("/books/" + isbn)).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(status("/books/" + isbn)).isEqualTo(HttpStatus.NOT_FOUND);

		// the exception was not cached: the second request missed and asked again
		assertThat(this.catalog.calls(isbn)).isEqualTo(2);
		assertThat(cacheGets("books", "miss")).isEqualTo(misses + 2);
		assertThat(this.http.metric("cache.puts", "cache:books")).isEqualTo(puts);
	}

	// Pastes: a named PersistentDict as the application's state store

	@Test
	void postPasteShouldStoreItForTheMapTtl() {
		ResponseEntity<Map<String, Object>> created = this.http.postText("/pastes", "hello, persistent world");
		assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		String id = (String) Http.at(created.getBody(), "id");
		assertThat(created.getHeaders().getLocation()).hasPath("/pastes/" + id);

		Map<String, Object> paste = this.http.getJson("/pastes/" + id);
		assertThat(paste).containsEntry("text", "hello, persistent world");
		Instant createdAt = Instant.parse((String) paste.get("createdAt"));
		Instant expiresAt = Instant.parse((String) paste.get("expiresAt"));
		assertThat(Duration.between(createdAt, expiresAt).toMillis()).isCloseTo(Duration.ofHours(1).toMillis(),
				within(1000L));

		this.clock.advance(Duration.ofMinutes(61)); // pastes: ttl 1h
		assertThat(status("/pastes/" + id)).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void postPasteWithTtlShouldExpireThen() {
		String id = (String) Http.at(this.http.postText("/pastes?ttl=5m", "short-lived").getBody(), "id");
		this.clock.advance(Duration.ofMinutes(4));
		assertThat(this.http.getJson("/pastes/" + id)).containsEntry("text", "short-lived");
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(status("/pastes/" + id)).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void postPasteWithBadTtlShouldBeRejected() {
		ResponseEntity<Map<String, Object>> rejected = this.http.postText("/pastes?ttl=soon", "x");
		assertThat(rejected.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		// a problem detail: the reason the application gave, and nothing else
		assertThat((String) Http.at(rejected.getBody(), "detail")).contains("'soon' is not a duration");
		assertThat(this.http.postText("/pastes?ttl=30d", "x").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void deletePasteShouldRemoveIt() {
		String id = (String) Http.at(this.http.postText("/pastes", "to delete").getBody(), "id");
		assertThat(this.http.delete("/pastes/" + id)).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(status("/pastes/" + id)).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.http.delete("/pastes/" + id)).isEqualTo(HttpStatus.NOT_FOUND);
	}

	// Operations: health, metrics, caches and persistentdict endpoints

	@Test
	void healthShouldBeUpWithThePersistentdictStore() {
		Map<String, Object> health = this.http.getJson("/actuator/health");
		assertThat(health).containsEntry("status", "UP");
		assertThat(Http.at(health, "components", "persistentdict", "status")).isEqualTo("UP");
		Object store = Http.at(health, "components", "persistentdict", "components", "default");
		assertThat(Http.at(store, "status")).isEqualTo("UP");
		assertThat(Http.at(store, "details", "path")).isEqualTo(data.resolve("sample.db").toAbsolutePath().toString());
	}

	@Test
	void metricsShouldListCacheAndPersistentdictMeters() {
		List<?> names = (List<?>) this.http.getJson("/actuator/metrics").get("names");
		assertThat(names.stream().map(String::valueOf)).contains("cache.gets", "cache.puts", "cache.evictions",
				"cache.size", "persistentdict.store.size", "persistentdict.commit");
		assertThat(this.http.metric("persistentdict.store.size", "store:default")).isPositive();
	}

	@Test
	void cachesEndpointShouldListTheConfiguredCaches() {
		assertThat(Http.keys(this.http.getJson("/actuator/caches"), "cacheManagers", "cacheManager", "caches"))
			.containsExactlyInAnyOrder("books", "ratings");
	}

	@Test
	void cachesEndpointShouldEvictACacheWithTheAdminProfile() {
		String isbn = "9781617294945";
		this.http.get("/books/" + isbn, Book.class);
		this.http.get("/books/" + isbn, Book.class);
		assertThat(this.catalog.calls(isbn)).isEqualTo(1);

		assertThat(this.http.delete("/actuator/caches/books")).isEqualTo(HttpStatus.NO_CONTENT);
		this.http.get("/books/" + isbn, Book.class);
		assertThat(this.catalog.calls(isbn)).as("the cache was cleared: asked again").isEqualTo(2);
	}

	@Test
	void persistentdictEndpointShouldShowTheStoreAndSweepItWithTheAdminProfile() {
		assertThat(Http.keys(this.http.getJson("/actuator/persistentdict"), "stores", "default", "dicts"))
			.contains("cache:books", "cache:ratings", "map:pastes");

		ResponseEntity<Map<String, Object>> sweep = this.http.postJson("/actuator/persistentdict/default",
				Map.of("action", "sweep"));
		assertThat(sweep.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat((String) Http.at(sweep.getBody(), "result")).endsWith("expired entries deleted");
	}

	private double cacheGets(String cache, String result) {
		return this.http.metric("cache.gets", "result:" + result, "cache:" + cache);
	}

	private HttpStatus status(String uri) {
		return HttpStatus.valueOf(this.http.get(uri, String.class).getStatusCode().value());
	}

}
