package io.persistentdict.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the figures of each test to {@code target/reliability/<section>.txt} and
 * assembles every section into {@code target/reliability-report.txt}.
 */
final class Report {

	private static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target");

	private Report() {
	}

	static synchronized void section(String name, List<String> lines) {
		try {
			Path dir = TARGET.resolve("reliability");
			Files.createDirectories(dir);
			StringBuilder text = new StringBuilder("## ").append(name).append('\n');
			lines.forEach((line) -> text.append(line).append('\n'));
			Files.writeString(dir.resolve(name + ".txt"), text, StandardCharsets.UTF_8);
			StringBuilder all = new StringBuilder("persistentdict reliability report (")
				.append(Scale.heavy() ? "heavy" : "default")
				.append(" run)\n\n");
			try (Stream<Path> files = Files.list(dir)) {
				for (Path file : files.sorted().toList()) {
					all.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
				}
			}
			Files.writeString(TARGET.resolve("reliability-report.txt"), all, StandardCharsets.UTF_8);
			System.out.println(text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
