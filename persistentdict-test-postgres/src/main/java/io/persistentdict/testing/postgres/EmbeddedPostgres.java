package io.persistentdict.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway PostgreSQL server: a cluster made by {@code initdb} in a temporary
 * directory, a {@code postgres} child process on a free port of 127.0.0.1, and removed
 * when the JVM exits.
 * <p>
 * A watchdog shell, whose standard input is a pipe from this JVM, stops the server and
 * removes the directory when that pipe closes: when the shutdown hook closes it, and also
 * when the JVM is killed and the kernel closes it, so that no server outlives its JVM.
 */
final class EmbeddedPostgres {

	static final String HOST = "127.0.0.1";

	static final String USER = "postgres";

	static final String DATABASE = "postgres";

	private static final String WATCHDOG = "cat > /dev/null; \"$0\" -D \"$1\" -m immediate -w -t 30 stop > /dev/null 2>&1;"
			+ " rm -rf \"$2\"";

	private static final int PORT_TRIES = 3;

	private static final int SECONDS = 60;

	private final Commands commands;

	private final Path installation;

	private final Path base;

	private final Path data;

	private final Path log;

	private final Process watchdog;

	private int port;

	private @Nullable Process postmaster;

	private EmbeddedPostgres(Commands commands, Path installation, Path base) throws IOException {
		this.commands = commands;
		this.installation = installation;
		this.base = base;
		this.data = base.resolve("data");
		this.log = base.resolve("server.log");
		this.watchdog = commands
			.builder(List.of("/bin/sh", "-c", WATCHDOG, program("pg_ctl"), this.data.toString(), base.toString()))
			.redirectInput(ProcessBuilder.Redirect.PIPE)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
	}

	/**
	 * Makes a cluster and starts a server on it.
	 * @return the running server
	 * @throws IllegalStateException if it could not be started, with the server's log
	 */
	static EmbeddedPostgres launch() {
		Commands commands = Commands.forThisJvm();
		Path installation = Binaries.installation();
		EmbeddedPostgres server;
		try {
			Path base = Files.createTempDirectory("persistentdict-postgres-");
			commands.handOver(base);
			server = new EmbeddedPostgres(commands, installation, base);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not make a directory for the embedded PostgreSQL", ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(server::close, "persistentdict-test-postgres-stop"));
		try {
			server.checkAccess();
			server.initdb();
			server.startOnFreePort();
			return server;
		}
		catch (RuntimeException ex) {
			IllegalStateException failure = new IllegalStateException("PostgreSQL from " + installation + " in "
					+ server.base + ", run as " + commands.user() + ", did not start: " + ex.getMessage(), ex);
			server.close();
			throw failure;
		}
	}

	int port() {
		return this.port;
	}

	private String program(String name) {
		return this.installation.resolve("bin").resolve(name).toString();
	}

	/**
	 * Fails early, and clearly, when the server's user cannot use the binaries or the
	 * data directory, as when the JVM runs as root and {@code java.io.tmpdir} lies under
	 * a private home.
	 */
	private void checkAccess() {
		Path lib = this.installation.resolve("lib");
		Path output = this.base.resolve("access.log");
		int exit = this.commands.run(List.of("/bin/sh", "-c", "test -x \"$0\" && test -r \"$1\" && test -w \"$2\"",
				program("postgres"), lib.toString(), this.base.toString()), output, SECONDS);
		if (exit != 0) {
			throw new IllegalStateException(
					"user " + this.commands.user() + " cannot run " + program("postgres") + ", read " + lib
							+ " or write " + this.base + "; java.io.tmpdir (" + System.getProperty("java.io.tmpdir")
							+ ") must be a directory that every user may reach, such as /tmp");
		}
	}

	private void initdb() {
		Path output = this.base.resolve("initdb.log");
		// C locale and UTF8: no dependence on the locales this machine has
		int exit = this.commands.run(List.of(program("initdb"), "-D", this.data.toString(), "-A", "trust", "-U", USER,
				"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"), output, SECONDS);
		if (exit != 0) {
			throw new IllegalStateException("initdb exited with " + exit + ":" + Commands.tail(output));
		}
		// a socket path has at most 107 bytes; without one, clients use TCP
		String sockets = (this.base.toString().length() < 80) ? this.base.toString() : "";
		String sharedBuffers = System.getProperty(TestPostgres.SHARED_BUFFERS_SYSTEM_PROPERTY, "32MB");
		if (!sharedBuffers.matches("[0-9]{1,6}(kB|MB|GB)")) {
			throw new IllegalArgumentException(TestPostgres.SHARED_BUFFERS_SYSTEM_PROPERTY
					+ " must be a PostgreSQL size such as 128MB, not '" + sharedBuffers + "'");
		}
		String settings = String.join("\n", "", "# persistentdict-test-postgres", "listen_addresses = '" + HOST + "'",
				"unix_socket_directories = '" + sockets + "'",
				// several test JVMs, each with pools
				"max_connections = 200", "shared_buffers = " + sharedBuffers, "huge_pages = off",
				// durability tests stop the server hard and count on what was committed
				"fsync = on", "synchronous_commit = on", "");
		try {
			Files.writeString(this.data.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the settings of " + this.data, ex);
		}
	}

	private void startOnFreePort() {
		for (int attempt = 1;; attempt++) {
			this.port = freePort();
			try {
				start();
				return;
			}
			catch (IllegalStateException ex) {
				// another process took the port between the probe and the bind
				if (attempt == PORT_TRIES || !Commands.tail(this.log).contains("could not bind")) {
					throw ex;
				}
			}
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port on " + HOST, ex);
		}
	}

	synchronized boolean isRunning() {
		return this.postmaster != null && this.postmaster.isAlive();
	}

	/**
	 * Starts the server on its port and data directory, unless it runs, and waits until
	 * it takes connections (after crash recovery, if it was stopped hard).
	 */
	synchronized void start() {
		if (isRunning()) {
			return;
		}
		try {
			// a child of this JVM, not daemonized by pg_ctl, so that the JVM reaps it
			this.postmaster = this.commands
				.builder(List.of(program("postgres"), "-D", this.data.toString(), "-p", Integer.toString(this.port)))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + program("postgres"), ex);
		}
		awaitConnections(this.postmaster);
	}

	private void awaitConnections(Process process) {
		PGSimpleDataSource probe = new PGSimpleDataSource();
		probe.setUrl(PostgresUrl.of(HOST, this.port, DATABASE, USER).jdbcUrl());
		probe.setConnectTimeout(2);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("postgres exited with " + process.exitValue() + "; the end of its log:"
						+ Commands.tail(this.log));
			}
			try (Connection connection = probe.getConnection();
					Statement statement = connection.createStatement();
					ResultSet directory = statement.executeQuery("SELECT current_setting('data_directory')")) {
				// the server on the port is this one, not one that took the port first
				if (directory.next() && directory.getString(1).equals(this.data.toString())) {
					return;
				}
			}
			catch (SQLException ex) {
				// not up yet, or recovering
				last = ex;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + this, ex);
			}
		}
		throw new IllegalStateException("postgres took no connections in " + SECONDS + " s (last: " + last
				+ "); the end of its log:" + Commands.tail(this.log));
	}

	/**
	 * Stops the server at once, as a crash would ({@code pg_ctl stop -m immediate}),
	 * unless it is stopped, and waits until it has exited.
	 */
	synchronized void stopImmediately() {
		Process process = this.postmaster;
		if (process == null || !process.isAlive()) {
			return;
		}
		Path output = this.base.resolve("stop.log");
		int exit = this.commands.run(List.of(program("pg_ctl"), "stop", "-D", this.data.toString(), "-m", "immediate",
				"-w", "-t", Integer.toString(SECONDS)), output, SECONDS + 10);
		if (exit != 0) {
			throw new IllegalStateException("pg_ctl stop exited with " + exit + ":" + Commands.tail(output));
		}
		try {
			if (!process.waitFor(SECONDS, TimeUnit.SECONDS)) {
				throw new IllegalStateException("postgres did not exit in " + SECONDS + " s after pg_ctl stop");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + this + " to stop", ex);
		}
	}

	/**
	 * Stops the server and removes its directory, through the watchdog.
	 */
	void close() {
		try {
			this.watchdog.getOutputStream().close();
			if (!this.watchdog.waitFor(SECONDS, TimeUnit.SECONDS)) {
				this.watchdog.destroyForcibly();
			}
			Process process = this.postmaster;
			if (process != null) {
				process.waitFor(5, TimeUnit.SECONDS);
			}
			// what the server's user could not remove
			if (Files.exists(this.base)) {
				Binaries.delete(this.base);
			}
		}
		catch (IOException ex) {
			// the pipe is closed already
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "PostgreSQL on " + HOST + ":" + this.port + " in " + this.data;
	}

}
