package io.persistentdict.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the built jar in a child JVM, as a user would: {@code java -jar
 * target/persistentdict-cli.jar ARGS}.
 */
final class Cli {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Cli() {
	}

	static Path jar() {
		String jar = System.getProperty("persistentdict.cli.jar", "target/persistentdict-cli.jar");
		Path path = Path.of(jar);
		assertThat(path).as("the built jar (run the tests with 'verify')").isRegularFile();
		return path;
	}

	static Path java() {
		return Path.of(System.getProperty("java.home"), "bin", "java");
	}

	/** The result of one run. */
	record Result(int exit, String out, String err) {

		List<String> lines() {
			return this.out.lines().toList();
		}

		JsonNode json() {
			return JSON.readTree(this.out);
		}

		List<JsonNode> jsonLines() {
			return this.out.lines().map(JSON::readTree).toList();
		}

		@Override
		public String toString() {
			return "exit " + this.exit + "\n--- out\n" + this.out + "--- err\n" + this.err;
		}

	}

	static Result run(Object... args) {
		return run(Map.of(), args);
	}

	/**
	 * Run with changes to the inherited environment: a variable mapped to an empty string
	 * is removed. {@code PGPASSWORD} and {@code PGPASSFILE} are never inherited.
	 */
	static Result run(Map<String, String> env, Object... args) {
		List<String> command = new ArrayList<>(List.of(java().toString(), "-jar", jar().toString()));
		for (Object arg : args) {
			command.add(arg.toString());
		}
		try {
			Path out = Files.createTempFile("cli-out", ".txt");
			Path err = Files.createTempFile("cli-err", ".txt");
			try {
				ProcessBuilder builder = new ProcessBuilder(command);
				builder.environment().remove("PGPASSWORD");
				builder.environment().remove("PGPASSFILE");
				env.forEach((name, value) -> {
					if (value.isEmpty()) {
						builder.environment().remove(name);
					}
					else {
						builder.environment().put(name, value);
					}
				});
				Process process = builder.redirectOutput(out.toFile())
					.redirectError(err.toFile())
					.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
					.start();
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new AssertionError("persistentdict-cli " + args.length + " args did not end in 60 s");
				}
				Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
						Files.readString(err, StandardCharsets.UTF_8));
				// no error falls through to a stack trace
				assertThat(result.err()).as(result.toString()).doesNotContain("\tat ").doesNotContain("Exception in");
				return result;
			}
			finally {
				Files.deleteIfExists(out);
				Files.deleteIfExists(err);
			}
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
