package io.persistentdict.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.persistentdict.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Help, bad usage, and stores that cannot be opened: each with its exit code and a
 * message that says what to do, never a stack trace.
 */
class UsageIT {

	private static final List<String> COMMANDS = List.of("dicts", "stats", "get", "keys", "put", "remove", "export",
			"import", "sweep", "vacuum", "check", "backup");

	@TempDir
	Path dir;

	@Test
	void helpShouldExplainTheToolAndListEveryCommand() {
		Result result = Cli.run("--help");
		assertThat(result.exit()).isZero();
		assertThat(result.out()).contains("persistentdict-cli [--json] [--write] STORE COMMAND [ARGS]")
			.contains("read-only")
			.contains("Exit codes");
		for (String command : COMMANDS) {
			assertThat(result.out()).as(command).containsPattern("(?m)^ +" + command + " ");
		}
	}

	@Test
	void helpOnEachCommandShouldExplainIt() {
		for (String command : COMMANDS) {
			Result result = Cli.run("store.db", command, "--help");
			assertThat(result.exit()).as(command).isZero();
			assertThat(result.out()).as(command).contains("Usage:").contains(command);
		}
		assertThat(Cli.run("x.db", "keys", "--help").out()).contains("default: 100");
		assertThat(Cli.run("x.db", "put", "--help").out()).contains("30s, 5m, 2h, 1d");
	}

	@Test
	void badUsageShouldExitTwoWithAMessage() {
		Result unknown = Cli.run("x.db", "frobnicate");
		assertThat(unknown.exit()).isEqualTo(2);
		assertThat(unknown.err()).contains("frobnicate").contains("--help");
		Result noCommand = Cli.run("x.db");
		assertThat(noCommand.exit()).isEqualTo(2);
		assertThat(noCommand.err()).contains("Missing COMMAND");
		Result nothing = Cli.run();
		assertThat(nothing.exit()).isEqualTo(2);
		Result missingKey = Cli.run("x.db", "get", "users");
		assertThat(missingKey.exit()).isEqualTo(2);
		assertThat(missingKey.err()).contains("KEY");
		assertThat(Cli.run("x.db", "keys", "users", "--limit", "many").exit()).isEqualTo(2);
	}

	@Test
	void aMissingStoreShouldExitTwoAndNeverBeCreatedEvenWithWrite() {
		Path missing = this.dir.resolve("typo.db");
		for (Result result : List.of(Cli.run(missing, "dicts"), Cli.run("--write", missing, "dicts"),
				Cli.run("--write", missing, "put", "users", "k", "v"), Cli.run("--write", missing, "sweep"))) {
			assertThat(result.exit()).as(result.toString()).isEqualTo(2);
			assertThat(result.err()).contains(missing.toString()).contains("does not exist");
		}
		assertThat(this.dir).isEmptyDirectory();
	}

	@Test
	void anEmptyFileShouldBeRefusedAndLeftEmpty() throws IOException {
		Path empty = Files.createFile(this.dir.resolve("empty.db"));
		Result result = Cli.run("--write", empty, "dicts");
		assertThat(result.exit()).isEqualTo(2);
		assertThat(result.err()).contains("empty");
		assertThat(empty).isEmptyFile();
	}

	@Test
	void aFileThatIsNotAStoreShouldBeRefusedAsDictStoreOpenRefusesIt() throws IOException {
		Path text = Files.writeString(this.dir.resolve("notes.db"), "just some text, not SQLite at all\n".repeat(10));
		Result result = Cli.run(text, "dicts");
		assertThat(result.exit()).isEqualTo(2);
		assertThat(result.err()).contains(text.toString()).contains("not a SQLite database");
		assertThat(Files.readString(text)).startsWith("just some text");
	}

	@Test
	void aJdbcUrlOfAnotherDatabaseShouldBeRefusedWithoutPrintingThePassword() {
		Result result = Cli.run("jdbc:mysql://db/app?password=hunter2", "dicts");
		assertThat(result.exit()).isEqualTo(2);
		assertThat(result.err()).contains("jdbc:mysql://db/app ")
			.contains("jdbc:postgresql:")
			.doesNotContain("hunter2");
	}

	@Test
	void anUnreachableServerShouldFailWithExitTwoWithoutPrintingThePassword() {
		// port 1 on the loopback: refused at once
		Result result = Cli.run("jdbc:postgresql://127.0.0.1:1/app?user=ops&password=hunter2", "dicts");
		assertThat(result.exit()).as(result.toString()).isEqualTo(2);
		assertThat(result.err()).as(result.toString())
			.contains("jdbc:postgresql://127.0.0.1:1/app")
			.contains("Could not connect")
			.doesNotContain("hunter2");
	}

}
