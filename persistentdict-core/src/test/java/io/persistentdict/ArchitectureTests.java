package io.persistentdict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards the layering of the core, from its sources.
 */
class ArchitectureTests {

	private static final Path MAIN = Path.of("src/main/java/io/persistentdict");

	private static List<Path> sources(Path dir, boolean recursive) throws IOException {
		try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
			return files.filter((file) -> file.toString().endsWith(".java")).collect(Collectors.toList());
		}
	}

	@Test
	void coreShouldNeverImportSpring() throws IOException {
		List<Path> sources = sources(MAIN, true);
		assertThat(sources).hasSizeGreaterThan(20);
		for (Path source : sources) {
			assertThat(Files.readString(source)).as(source.toString()).doesNotContain("org.springframework");
		}
	}

	@Test
	void codecPackageShouldNotDependOnTheStoreSoPackagesHaveNoCycle() throws IOException {
		for (Path source : sources(MAIN.resolve("codec"), false)) {
			assertThat(Files.readAllLines(source)).as(source.toString())
				.noneMatch((line) -> line.startsWith("import io.persistentdict.")
						&& !line.startsWith("import io.persistentdict.codec."));
		}
	}

	@Test
	void everyPackageShouldBeNullMarked() throws IOException {
		for (Path dir : List.of(MAIN, MAIN.resolve("codec"))) {
			assertThat(Files.readString(dir.resolve("package-info.java"))).contains("@NullMarked");
		}
	}

	@Test
	void implementationsShouldStayPackagePrivate() throws IOException {
		for (String implementation : List.of("SqliteStore", "SqliteDict", "Table", "WritePath", "NearCache",
				"ValueFormat", "Catalog", "ConnState", "DictViews", "JsonLines", "ErrorTranslator")) {
			assertThat(Files.readString(MAIN.resolve(implementation + ".java"))).as(implementation)
				.contains("\nfinal class " + implementation);
		}
	}

}
