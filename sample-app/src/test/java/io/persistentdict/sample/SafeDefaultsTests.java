package io.persistentdict.sample;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code persistentdict} endpoint's write operations stay closed unless access is
 * granted: here it is exposed, but with the default read-only access.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.persistentdict.access=read-only")
@DirtiesContext
class EndpointAccessTests {

	@TempDir
	static Path data;

	@DynamicPropertySource
	static void storeInTempDir(DynamicPropertyRegistry registry) {
		registry.add("persistentdict.store.path", () -> data.resolve("sample.db").toString());
	}

	@LocalServerPort
	int port;

	@Test
	void writeOperationsShouldNotBeAvailableWithReadOnlyAccess() {
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

}
