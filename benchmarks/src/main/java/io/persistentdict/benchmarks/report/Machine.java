package io.persistentdict.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The machine the report describes: its CPU and memory (from {@code /proc} on Linux, else
 * the architecture and "?"), and the versions of the libraries on the classpath and of
 * the SQLite they bundle. A version that cannot be read is "?".
 */
final class Machine {

	private Machine() {
	}

	static String cpu() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return System.getProperty("os.arch");
	}

	static String memory() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal")) {
					long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
					return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return "?";
	}

	static String versions() {
		List<String> parts = new ArrayList<>();
		String[][] artifacts = { { "io.persistentdict", "persistentdict-core" }, { "org.xerial", "sqlite-jdbc" },
				{ "com.zaxxer", "HikariCP" }, { "org.openjdk.jmh", "jmh-core" }, { "org.mapdb", "mapdb" },
				{ "com.h2database", "h2-mvstore" }, { "org.ehcache", "ehcache" },
				{ "com.github.ben-manes.caffeine", "caffeine" }, { "io.lettuce", "lettuce-core" } };
		for (String[] a : artifacts) {
			parts.add(a[1] + " " + version(a[0], a[1]));
		}
		parts.add("Spring Boot " + org.springframework.boot.SpringBootVersion.getVersion());
		parts.add("Spring Framework "
				+ java.util.Objects.requireNonNullElse(org.springframework.core.SpringVersion.getVersion(), "?"));
		parts.add("SQLite " + sqliteVersion());
		String redis = System.getProperty("bench.redis.version");
		if (redis != null) {
			parts.add("redis-server " + redis);
		}
		return String.join(", ", parts);
	}

	private static String version(String group, String artifact) {
		String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
		try (InputStream in = Machine.class.getResourceAsStream(resource)) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				return properties.getProperty("version", "?");
			}
		}
		catch (IOException ex) {
			// fall through
		}
		return "?";
	}

	private static String sqliteVersion() {
		try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:");
				var statement = connection.createStatement();
				var rs = statement.executeQuery("SELECT sqlite_version()")) {
			return rs.next() ? rs.getString(1) : "?";
		}
		catch (java.sql.SQLException ex) {
			return "?";
		}
	}

}
