package io.persistentdict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
			return files.filter((file) -> file.toString().endsWith(".java"))
				.collect(Collectors.toCollection(ArrayList::new));
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
	void engineInterfaceShouldNotDependOnAnEngine() throws IOException {
		for (Path source : sources(MAIN.resolve("engine"), false)) {
			assertThat(Files.readString(source)).as(source.toString()).doesNotContain("io.persistentdict.sqlite");
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
		for (Path dir : List.of(MAIN, MAIN.resolve("codec"), MAIN.resolve("engine"), MAIN.resolve("sqlite"),
				MAIN.resolve("tools"))) {
			assertThat(Files.readString(dir.resolve("package-info.java"))).contains("@NullMarked");
		}
	}

	@Test
	void implementationsShouldStayPackagePrivate() throws IOException {
		for (String implementation : List.of("EngineStore", "EngineDict", "WriteOrder", "DictEncoding", "DictBatch",
				"DictViews", "Coherence", "NearCache", "SlidingExpiry", "CatalogRules", "Upserts")) {
			assertThat(Files.readString(MAIN.resolve(implementation + ".java"))).as(implementation)
				.contains("\nfinal class " + implementation);
		}
		for (Path source : sources(MAIN.resolve("sqlite"), false)) {
			String name = source.getFileName().toString().replace(".java", "");
			if (!name.equals("package-info") && !name.equals("SqliteEngine")) {
				assertThat(Files.readString(source)).as(name).contains("\nfinal class " + name);
			}
		}
	}

	@Test
	void theNeutralLayerShouldKnowNothingOfSqlite() throws IOException {
		List<Path> neutral = sources(MAIN, false);
		neutral.addAll(sources(MAIN.resolve("engine"), false));
		assertThat(neutral).hasSizeGreaterThan(30);
		for (Path source : neutral) {
			String text = Files.readString(source);
			String name = source.getFileName().toString();
			assertThat(text).as(name).doesNotContain("import org.sqlite").doesNotContain("SQLITE_");
			assertThat(text).as(name).doesNotContainPattern("\"[^\"\\n]*PRAGMA");
			if (!name.equals("DictStore.java")) {
				// the factory opens the SQLite engine; nothing else may reach it
				assertThat(text).as(name).doesNotContain("io.persistentdict.sqlite");
			}
		}
	}

	@Test
	void toolsShouldUseOnlyThePublicApiTheEngineInterfaceAndTheSqliteFactory() throws IOException {
		List<Path> tools = sources(MAIN.resolve("tools"), false);
		assertThat(tools).hasSizeGreaterThan(3);
		for (Path source : tools) {
			String text = Files.readString(source);
			String name = source.getFileName().toString();
			assertThat(text).as(name).doesNotContain("import org.sqlite");
			assertThat(text.lines().filter((line) -> line.startsWith("import io.persistentdict.sqlite."))).as(name)
				.allMatch((line) -> line.equals("import io.persistentdict.sqlite.SqliteEngine;"));
		}
	}

	@Test
	void nothingBelowTheToolsShouldDependOnThemSoPackagesHaveNoCycle() throws IOException {
		List<Path> below = sources(MAIN, false);
		for (String dir : List.of("codec", "engine", "sqlite")) {
			below.addAll(sources(MAIN.resolve(dir), false));
		}
		for (Path source : below) {
			assertThat(Files.readAllLines(source)).as(source.toString())
				.noneMatch((line) -> line.startsWith("import io.persistentdict.tools."));
		}
	}

	@Test
	void noClassShouldOutgrowAboutFiveHundredLines() throws IOException {
		for (Path source : sources(MAIN, true)) {
			assertThat(Files.readAllLines(source)).as(source.toString()).hasSizeLessThanOrEqualTo(520);
		}
	}

}
