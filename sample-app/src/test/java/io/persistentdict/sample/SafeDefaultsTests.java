package io.persistentdict.sample;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;

import io.persistentdict.sample.books.BookCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as it starts without a profile: it listens on the loopback address only, the
 * actuator endpoints it exposes only read (the {@code admin} profile opens their write
 * operations), and error responses carry no exception message.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.catalog.latency=50ms")
@DirtiesContext
class SafeDefaultsTests {

	@TempDir
	static Path data;

	@DynamicPropertySource
	static void storeInTempDir(DynamicPropertyRegistry registry) {
		registry.add("persistentdict.store.path", () -> data.resolve("sample.db").toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	WebServerApplicationContext context;

	@Autowired
	BookCatalog catalog;

	@Test
	void serverShouldListenOnTheLoopbackAddressOnly() {
		TomcatWebServer server = (TomcatWebServer) this.context.getWebServer();
		Object address = server.getTomcat().getConnector().getProperty("address");
		assertThat(address).isInstanceOf(InetAddress.class);
		assertThat(((InetAddress) address).isLoopbackAddress()).as("bound to %s", address).isTrue();
	}

	@Test
	void persistentdictEndpointShouldRefuseWriteOperations() {
		Http http = new Http(this.port);
		assertThat(http.getJson("/actuator/persistentdict")).isNotEmpty();
		ResponseEntity<Map<String, Object>> sweep = http.postJson("/actuator/persistentdict/default",
				Map.of("action", "sweep"));
		assertThat(sweep.getStatusCode().is4xxClientError()).as("POST answered %s", sweep.getStatusCode()).isTrue();
		// no maintenance ran: the scheduled sweep waits 30 s, and the refused POST did
		// nothing
		Map<String, Object> store = http.getJson("/actuator/persistentdict/default");
		assertThat(store).containsKey("path");
		assertThat(store.get("lastMaintenance")).isNull();
	}

	@Test
	void cachesEndpointShouldListButRefuseToEvict() {
		Http http = new Http(this.port);
		assertThat(Http.keys(http.getJson("/actuator/caches"), "cacheManagers", "cacheManager", "caches"))
			.containsExactlyInAnyOrder("books", "ratings");
		String isbn = "9781491950357";
		assertThat(http.get("/books/" + isbn, String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.catalog.calls(isbn)).isEqualTo(1);

		assertThat(http.delete("/actuator/caches").is4xxClientError()).isTrue();
		assertThat(http.delete("/actuator/caches/books").is4xxClientError()).isTrue();
		assertThat(http.get("/books/" + isbn, String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.catalog.calls(isbn)).as("nothing evicted: still served from the cache").isEqualTo(1);
	}

	@Test
	void errorResponsesShouldNotCarryTheExceptionMessage() {
		Http http = new Http(this.port);
		ResponseEntity<String> notFound = http.get("/books/9990000000001", String.class);
		assertThat(notFound.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(notFound.getBody()).contains("Not Found").doesNotContain("No book with ISBN");
	}

}
