package io.persistentdict.sample;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * A small HTTP client for the tests: real requests to the running application, which
 * listens on the loopback address only, never throwing on an error status.
 */
final class Http {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private final RestClient client;

	Http(int port) {
		this.client = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	<T> ResponseEntity<T> get(String uri, Class<T> type) {
		return this.client.get().uri(uri).retrieve().toEntity(type);
	}

	Map<String, Object> getJson(String uri) {
		ResponseEntity<Map<String, Object>> response = this.client.get().uri(uri).retrieve().toEntity(JSON);
		Map<String, Object> body = response.getBody();
		if (!response.getStatusCode().is2xxSuccessful() || body == null) {
			throw new AssertionError("GET " + uri + " answered " + response.getStatusCode());
		}
		return body;
	}

	<T> ResponseEntity<T> put(String uri, Class<T> type) {
		return this.client.put().uri(uri).retrieve().toEntity(type);
	}

	ResponseEntity<Map<String, Object>> postText(String uri, String text) {
		return this.client.post().uri(uri).contentType(MediaType.TEXT_PLAIN).body(text).retrieve().toEntity(JSON);
	}

	ResponseEntity<Map<String, Object>> postJson(String uri, Object body) {
		return this.client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(JSON);
	}

	HttpStatusCode delete(String uri) {
		return this.client.method(HttpMethod.DELETE).uri(uri).retrieve().toBodilessEntity().getStatusCode();
	}

	/**
	 * Read a counter of {@code /actuator/metrics}.
	 * @param name the meter
	 * @param tags tags as {@code key:value}
	 * @return its value
	 */
	double metric(String name, String... tags) {
		StringBuilder uri = new StringBuilder("/actuator/metrics/").append(name);
		for (int i = 0; i < tags.length; i++) {
			uri.append((i == 0) ? '?' : '&').append("tag=").append(tags[i]);
		}
		List<?> measurements = (List<?>) getJson(uri.toString()).get("measurements");
		return ((Number) ((Map<?, ?>) measurements.get(0)).get("value")).doubleValue();
	}

	/**
	 * Walk a parsed JSON document.
	 * @param json a JSON object
	 * @param keys the keys of nested objects
	 * @return the value at the end, or {@code null}
	 */
	static @Nullable Object at(@Nullable Object json, String... keys) {
		Object node = json;
		for (String key : keys) {
			node = (node instanceof Map<?, ?> map) ? map.get(key) : null;
		}
		return node;
	}

	/**
	 * Return the keys of a JSON object.
	 * @param json a JSON object
	 * @param keys the keys of nested objects
	 * @return the object's keys
	 */
	static List<String> keys(@Nullable Object json, String... keys) {
		Object node = at(json, keys);
		if (!(node instanceof Map<?, ?> map)) {
			throw new AssertionError("No JSON object at " + List.of(keys) + " in " + json);
		}
		return map.keySet().stream().map(String::valueOf).toList();
	}

}
