package io.persistentdict.testing.postgres;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

/**
 * A {@code jdbc:postgresql:} URL taken apart by the driver's own parser, so that the URL
 * of another database on the same server keeps the hosts, user, password and every other
 * parameter.
 */
final class PostgresUrl {

	private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&]*");

	private final String hosts;

	private final String ports;

	private final @Nullable String database;

	private final Map<String, String> parameters;

	private PostgresUrl(String hosts, String ports, @Nullable String database, Map<String, String> parameters) {
		this.hosts = hosts;
		this.ports = ports;
		this.database = database;
		this.parameters = parameters;
	}

	/**
	 * Parses a URL.
	 * @param url a {@code jdbc:postgresql:} URL
	 * @param origin where the URL came from, for the message if it is not one
	 * @return the parsed URL
	 * @throws IllegalArgumentException if the driver does not take it
	 */
	static PostgresUrl parse(String url, String origin) {
		Properties properties = Driver.parseURL(url, null);
		if (properties == null) {
			throw new IllegalArgumentException(origin + " is not a PostgreSQL JDBC URL: '" + redact(url)
					+ "'; give one like jdbc:postgresql://HOST:PORT/DATABASE?user=USER&password=PASSWORD");
		}
		Map<String, String> parameters = new TreeMap<>();
		properties.stringPropertyNames().forEach((name) -> parameters.put(name, properties.getProperty(name)));
		String hosts = Objects.requireNonNull(parameters.remove("PGHOST"), "PGHOST");
		String ports = Objects.requireNonNull(parameters.remove("PGPORT"), "PGPORT");
		String database = parameters.remove("PGDBNAME");
		return new PostgresUrl(hosts, ports, database, Map.copyOf(parameters));
	}

	static PostgresUrl of(String host, int port, String database, String user) {
		return new PostgresUrl(host, Integer.toString(port), database, Map.of("user", user));
	}

	/**
	 * Hides the value of a {@code password} parameter, for messages.
	 * @param url a URL
	 * @return the URL without its password
	 */
	static String redact(String url) {
		return PASSWORD.matcher(url).replaceAll("$1***");
	}

	/**
	 * The first host, for a URL that names several.
	 */
	String host() {
		return this.hosts.split(",", -1)[0];
	}

	int port() {
		return Integer.parseInt(this.ports.split(",", -1)[0]);
	}

	String user() {
		String user = this.parameters.get("user");
		// the driver's default, documented for its 'user' property
		return (user != null) ? user : System.getProperty("user.name", "postgres");
	}

	String password() {
		return this.parameters.getOrDefault("password", "");
	}

	String database() {
		// the server's default: a database named like the user
		return (this.database != null) ? this.database : user();
	}

	String jdbcUrl() {
		return jdbcUrl(database());
	}

	String jdbcUrl(String database) {
		String[] hostList = this.hosts.split(",", -1);
		String[] portList = this.ports.split(",", -1);
		StringBuilder url = new StringBuilder("jdbc:postgresql://");
		for (int i = 0; i < hostList.length; i++) {
			url.append((i > 0) ? "," : "").append(hostList[i]).append(':').append(portList[i]);
		}
		url.append('/').append(encode(database));
		char separator = '?';
		for (Map.Entry<String, String> parameter : new TreeMap<>(this.parameters).entrySet()) {
			url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
			separator = '&';
		}
		return url.toString();
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	@Override
	public String toString() {
		return redact(jdbcUrl());
	}

}
