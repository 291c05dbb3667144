package io.persistentdict.testing.postgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Runs PostgreSQL's programs, which refuse to run as root: when the JVM is root they run
 * as {@code nobody} through {@code setpriv} (or {@code runuser}), and the directories
 * they write are handed over to that user.
 */
final class Commands {

	static final String UNPRIVILEGED_USER = "nobody";

	private final List<String> prefix;

	private final boolean root;

	private Commands(List<String> prefix, boolean root) {
		this.prefix = prefix;
		this.root = root;
	}

	static Commands forThisJvm() {
		if (!isRoot()) {
			return new Commands(List.of(), false);
		}
		Path setpriv = onPath("setpriv");
		if (setpriv != null) {
			String group = output(List.of("id", "-g", UNPRIVILEGED_USER)).strip();
			return new Commands(
					List.of(setpriv.toString(), "--reuid=" + UNPRIVILEGED_USER, "--regid=" + group, "--clear-groups"),
					true);
		}
		Path runuser = onPath("runuser");
		if (runuser != null) {
			return new Commands(List.of(runuser.toString(), "-u", UNPRIVILEGED_USER, "--"), true);
		}
		throw new IllegalStateException("This JVM runs as root, PostgreSQL refuses to run as root, and neither "
				+ "setpriv nor runuser (util-linux) is on the PATH to run it as '" + UNPRIVILEGED_USER + "'");
	}

	private static boolean isRoot() {
		try {
			// /proc/self belongs to the process's real user
			return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

	private static @Nullable Path onPath(String program) {
		String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin:/usr/sbin:/sbin";
		for (String dir : path.split(":")) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
				return Path.of(dir, program);
			}
		}
		return null;
	}

	/**
	 * Who runs the server, for messages.
	 */
	String user() {
		return this.root ? UNPRIVILEGED_USER + " (the JVM runs as root)" : System.getProperty("user.name", "?");
	}

	/**
	 * Gives a directory the JVM made to the user that runs the server.
	 * @param dir the directory
	 */
	void handOver(Path dir) {
		if (!this.root) {
			return;
		}
		try {
			UserPrincipal user = dir.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName(UNPRIVILEGED_USER);
			Files.setOwner(dir, user);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not hand " + dir + " over to user " + UNPRIVILEGED_USER, ex);
		}
	}

	/**
	 * A process builder for a program, run as the server's user, with an environment free
	 * of the {@code PG*} variables that would steer the programs elsewhere.
	 * @param command the program and its arguments
	 * @return the builder
	 */
	ProcessBuilder builder(List<String> command) {
		ProcessBuilder builder = new ProcessBuilder(full(command))
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		Map<String, String> environment = builder.environment();
		environment.keySet().removeIf((name) -> name.startsWith("PG"));
		environment.put("LC_ALL", "C");
		return builder;
	}

	/**
	 * Runs a program to its end.
	 * @param command the program and its arguments
	 * @param output where its output goes
	 * @param timeoutSeconds how long it may take
	 * @return its exit code
	 */
	int run(List<String> command, Path output, int timeoutSeconds) {
		ProcessBuilder builder = builder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		try {
			Process process = builder.start();
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds
						+ " s; its output: " + tail(output));
			}
			return process.exitValue();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + String.join(" ", full(command)), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + String.join(" ", command), ex);
		}
	}

	private List<String> full(List<String> command) {
		List<String> full = new ArrayList<>(this.prefix);
		full.addAll(command);
		return full;
	}

	/**
	 * The last lines of a log, for messages.
	 * @param log the file
	 * @return its last 30 lines, or why they could not be read
	 */
	static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return "\n\t" + String.join("\n\t", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			return "(" + log + " could not be read: " + ex + ")";
		}
	}

	private static String output(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.waitFor() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + String.join(" ", command), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + String.join(" ", command), ex);
		}
	}

}
