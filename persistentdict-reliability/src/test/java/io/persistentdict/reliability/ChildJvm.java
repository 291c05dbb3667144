package io.persistentdict.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real, separate JVM running a main class of these test sources. Its standard output is
 * read on a thread of its own; only complete lines (ending in a newline) count, so a line
 * cut by a kill is dropped.
 */
final class ChildJvm implements AutoCloseable {

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final CountDownLatch eof = new CountDownLatch(1);

	private final Path stderr;

	private ChildJvm(Process process, Path stderr, Consumer<String> listener) {
		this.process = process;
		this.stderr = stderr;
		Thread reader = new Thread(() -> read(process.getInputStream(), listener), "child-stdout-" + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/** Options for a short-lived child: small heap, quick start. */
	static final List<String> LEAN = List.of("-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
			"-XX:-UsePerfData");

	/**
	 * Start a child JVM.
	 * @param main the main class
	 * @param options JVM options, such as {@link #LEAN}
	 * @param stderr where the child's standard error goes
	 * @param listener called on the reader thread with every complete line
	 * @param args the program arguments
	 * @return the child
	 */
	static ChildJvm start(Class<?> main, List<String> options, Path stderr, Consumer<String> listener, String... args) {
		return start(main, options, Map.of(), stderr, listener, args);
	}

	/**
	 * Start a child JVM with variables added to its environment.
	 * @param main the main class
	 * @param options JVM options, such as {@link #LEAN}
	 * @param environment what to add to the child's environment, such as
	 * {@link Backend#childEnvironment()}
	 * @param stderr where the child's standard error goes
	 * @param listener called on the reader thread with every complete line
	 * @param args the program arguments
	 * @return the child
	 */
	static ChildJvm start(Class<?> main, List<String> options, Map<String, String> environment, Path stderr,
			Consumer<String> listener, String... args) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(options);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(main.getName());
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile())
			.redirectInput(ProcessBuilder.Redirect.PIPE);
		builder.environment().putAll(environment);
		try {
			return new ChildJvm(builder.start(), stderr, listener);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void read(InputStream in, Consumer<String> listener) {
		byte[] buffer = new byte[65536];
		java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
		try (in) {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				for (int i = 0; i < n; i++) {
					if (buffer[i] == '\n') {
						String text = line.toString(StandardCharsets.UTF_8);
						line.reset();
						this.lines.add(text);
						listener.accept(text);
					}
					else {
						line.write(buffer[i]);
					}
				}
			}
		}
		catch (IOException ex) {
			// the process died; what was read stands
		}
		finally {
			this.eof.countDown();
		}
	}

	/** Send one line to the child's standard input. */
	void send(String text) {
		try {
			OutputStream out = this.process.getOutputStream();
			out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Kill with SIGKILL, and wait until every line it wrote has been read. The kill goes
	 * through the {@link ProcessHandle}: {@link Process#destroyForcibly()} would also
	 * close our end of the pipe and lose the lines not yet read.
	 */
	void kill() {
		signalKill();
		awaitExit(30);
	}

	/** Send SIGKILL without waiting; the output stays readable to its end. */
	void signalKill() {
		this.process.toHandle().destroyForcibly();
	}

	/**
	 * Wait for the child to exit and for its output to be read.
	 * @param seconds the most to wait
	 * @return the exit code
	 */
	int awaitExit(long seconds) {
		try {
			if (!this.process.waitFor(seconds, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				throw new AssertionError(
						"child " + this.process.pid() + " did not exit within " + seconds + " s; " + stderrTail());
			}
			this.eof.await(30, TimeUnit.SECONDS);
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	long pid() {
		return this.process.pid();
	}

	List<String> lines() {
		return this.lines;
	}

	String stderrTail() {
		try {
			String text = Files.exists(this.stderr) ? Files.readString(this.stderr) : "";
			return "stderr: " + ((text.length() > 4000) ? text.substring(text.length() - 4000) : text);
		}
		catch (IOException ex) {
			return "stderr unreadable: " + ex;
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

}
