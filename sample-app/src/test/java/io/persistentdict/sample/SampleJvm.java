package io.persistentdict.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One instance of the sample in a JVM of its own, as a deployment runs it: started on the
 * test class path with a random port, its output in a log file. It writes its port to a
 * file once it has started, and stops cleanly when its standard input closes, which
 * {@link #close()} does and the death of the test JVM does too, so that no instance
 * outlives the build.
 */
final class SampleJvm implements AutoCloseable {

	/** Options for a quick start on a busy machine. */
	private static final List<String> OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
			"-XX:-UsePerfData");

	private final String name;

	private final Process process;

	private final Path portFile;

	private final Path log;

	private int port;

	private SampleJvm(String name, Process process, Path portFile, Path log) {
		this.name = name;
		this.process = process;
		this.portFile = portFile;
		this.log = log;
	}

	/**
	 * Start an instance without waiting for it; {@link #awaitStarted} waits.
	 * @param name its name, for the files and messages
	 * @param directory where its port file and log go
	 * @param environment what to add to its environment, such as the database's URL
	 * @param args the application's arguments, such as
	 * {@code --spring.profiles.active=postgres}
	 * @return the instance, starting
	 */
	static SampleJvm start(String name, Path directory, Map<String, String> environment, String... args) {
		Path portFile = directory.resolve(name + ".port");
		Path log = directory.resolve(name + ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(OPTIONS);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(Main.class.getName());
		command.add(portFile.toString());
		command.add("--server.port=0");
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		try {
			return new SampleJvm(name, builder.start(), portFile, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start instance " + name, ex);
		}
	}

	/**
	 * Wait until the instance has started and serves HTTP.
	 * @param timeout the most to wait
	 * @return this instance
	 * @throws AssertionError if it died or did not start in time, with the end of its log
	 */
	SampleJvm awaitStarted(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.port == 0) {
			String written = read(this.portFile);
			if (written != null) {
				this.port = Integer.parseInt(written.strip());
			}
			else if (this.process.waitFor(100, TimeUnit.MILLISECONDS)) {
				throw new AssertionError("Instance " + this.name + " exited with " + this.process.exitValue()
						+ " before it started:\n" + logTail());
			}
			else if (System.nanoTime() > deadline) {
				throw new AssertionError(
						"Instance " + this.name + " did not start within " + timeout + ":\n" + logTail());
			}
		}
		return this;
	}

	int port() {
		return this.port;
	}

	Http http() {
		return new Http(this.port);
	}

	/**
	 * The last lines of the instance's log, for a failure message.
	 * @return up to 60 lines
	 */
	String logTail() {
		String text = read(this.log);
		if (text == null) {
			return "(no log)";
		}
		List<String> lines = text.lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

	/**
	 * Stop the instance cleanly (its context closes its store), or kill it after 30 s.
	 */
	@Override
	public void close() {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// it has gone already
		}
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static @Nullable String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * What the child JVM runs: the sample, then its port written to the file named by the
	 * first argument, then an exit once its standard input closes.
	 */
	static final class Main {

		public static void main(String[] args) throws IOException {
			Path portFile = Path.of(args[0]);
			ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
					Arrays.copyOfRange(args, 1, args.length));
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			// written whole, then moved: the parent never reads half a port
			Path partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
			Files.writeString(partial, Integer.toString(port), StandardCharsets.UTF_8);
			Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
			while (System.in.read() >= 0) {
				// the parent sends nothing: end of input means stop
			}
			System.exit(SpringApplication.exit(context));
		}

	}

}
