package io.persistentdict.benchmarks.peers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

/**
 * Redis over loopback with Lettuce, one connection per thread (as the SQLite baseline has
 * one reader connection per thread). The shared server is started by {@code run.sh} on
 * 127.0.0.1; its port comes from the {@code bench.redis.port} system property, and
 * opening flushes it and sets the AOF fsync policy. A {@linkplain #restartable
 * restartable} one is a {@code redis-server} of its own, which closing shuts down and
 * opening starts again on the same AOF: a restart.
 */
final class RedisKv implements Kv {

	private static final int CHUNK = 1000;

	/** How long a restarted server may take to listen and load its AOF. */
	private static final long START_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(2);

	private final RedisClient client;

	/** The server this adapter started and stops, or null for the shared one. */
	private final @Nullable Process server;

	private final List<StatefulRedisConnection<byte[], byte[]>> connections = new CopyOnWriteArrayList<>();

	private final ThreadLocal<RedisCommands<byte[], byte[]>> commands = ThreadLocal.withInitial(this::connect);

	RedisKv(Peer.Config config, boolean fsyncAlways) {
		String port = System.getProperty("bench.redis.port");
		if (port == null) {
			throw new IllegalStateException("Set -Dbench.redis.port to a redis-server on 127.0.0.1 (run.sh does)");
		}
		// loopback only, always
		this.client = RedisClient.create(RedisURI.create("127.0.0.1", Integer.parseInt(port)));
		this.server = null;
		this.stopOnExit = null;
		RedisCommands<byte[], byte[]> redis = this.commands.get();
		redis.configSet("appendonly", "yes");
		redis.configSet("appendfsync", fsyncAlways ? "always" : "everysec");
		redis.flushall();
	}

	/**
	 * Stops the server if the JVM ends without a close (a failed trial, a killed fork).
	 */
	private final @Nullable Thread stopOnExit;

	private RedisKv(RedisClient client, Process server, Thread stopOnExit,
			StatefulRedisConnection<byte[], byte[]> ready) {
		this.client = client;
		this.server = server;
		this.stopOnExit = stopOnExit;
		this.connections.add(ready);
		this.commands.set(ready.sync());
	}

	/**
	 * Start a {@code redis-server} of its own on the directory's AOF (AOF everysec, as
	 * {@code REDIS_EVERYSEC}), and return once it has loaded what is there and answers:
	 * what a restart of Redis costs before its first read.
	 * @param config the settings; the server keeps its files in {@code redis} under its
	 * directory
	 * @return the store
	 */
	static RedisKv restartable(Peer.Config config) {
		Path dir = config.dir().resolve("redis");
		Process server = null;
		Thread stopOnExit = null;
		RedisClient client = null;
		try {
			Files.createDirectories(dir);
			int port = freePort();
			server = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
					"--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
					"--logfile", dir.resolve("redis.log").toString())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			Process started = server;
			stopOnExit = new Thread(started::destroyForcibly, "stop redis-server");
			Runtime.getRuntime().addShutdownHook(stopOnExit);
			client = RedisClient.create(RedisURI.create("127.0.0.1", port));
			// the server goes away on close: a reconnect then would race the client's
			// shutdown
			client.setOptions(io.lettuce.core.ClientOptions.builder().autoReconnect(false).build());
			StatefulRedisConnection<byte[], byte[]> connection = awaitLoaded(client, server, dir);
			return new RedisKv(client, server, stopOnExit, connection);
		}
		catch (IOException | RuntimeException ex) {
			if (client != null) {
				client.shutdown();
			}
			if (server != null) {
				server.destroyForcibly();
			}
			if (stopOnExit != null) {
				Runtime.getRuntime().removeShutdownHook(stopOnExit);
			}
			throw new IllegalStateException("Could not start redis-server in " + dir
					+ " (run.sh installs it; see its log there): " + ex.getMessage(), ex);
		}
	}

	private static StatefulRedisConnection<byte[], byte[]> awaitLoaded(RedisClient client, Process server, Path dir) {
		long deadline = System.nanoTime() + START_NANOS;
		StatefulRedisConnection<byte[], byte[]> connection = null;
		while (true) {
			if (!server.isAlive()) {
				throw new IllegalStateException(
						"redis-server exited with " + server.exitValue() + "; see " + dir.resolve("redis.log"));
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("redis-server did not load its AOF within 2 minutes");
			}
			try {
				if (connection == null) {
					connection = client.connect(ByteArrayCodec.INSTANCE);
				}
				// answers LOADING until the AOF is in memory
				connection.sync().ping();
				// the port was free when probed: make sure this is our server
				String info = connection.sync().info("server");
				if (!info.contains("process_id:" + server.pid() + "\r\n")) {
					throw new IllegalStateException("another process answers on redis-server's port");
				}
				return connection;
			}
			catch (RedisConnectionException | RedisLoadingException ex) {
				// not listening, or still loading: ask again in a millisecond, and
				// leave the CPU to the server (a spin took it from the loading server
				// on 2 cores)
				sleepMillisecond();
			}
		}
	}

	private static void sleepMillisecond() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while redis-server started", ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private RedisCommands<byte[], byte[]> connect() {
		StatefulRedisConnection<byte[], byte[]> connection = this.client.connect(ByteArrayCodec.INSTANCE);
		this.connections.add(connection);
		return connection.sync();
	}

	private static byte[] bytes(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void put(String key, byte[] value) {
		this.commands.get().set(bytes(key), value);
	}

	@Override
	public byte @Nullable [] putReturning(String key, byte[] value) {
		// SET key value GET (Redis 6.2): the previous value in the same round trip
		return this.commands.get().setGet(bytes(key), value);
	}

	@Override
	public byte @Nullable [] get(String key) {
		return this.commands.get().get(bytes(key));
	}

	@Override
	public void putAll(Map<String, byte[]> entries) {
		// MSET in chunks: one round trip per 1,000 entries
		Map<byte[], byte[]> chunk = new LinkedHashMap<>();
		for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
			chunk.put(bytes(entry.getKey()), entry.getValue());
			if (chunk.size() == CHUNK) {
				this.commands.get().mset(chunk);
				chunk.clear();
			}
		}
		if (!chunk.isEmpty()) {
			this.commands.get().mset(chunk);
		}
	}

	@Override
	public long iterate() {
		RedisCommands<byte[], byte[]> redis = this.commands.get();
		long sum = 0;
		ScanCursor cursor = ScanCursor.INITIAL;
		ScanArgs args = ScanArgs.Builder.limit(CHUNK);
		do {
			KeyScanCursor<byte[]> page = redis.scan(cursor, args);
			if (!page.getKeys().isEmpty()) {
				for (KeyValue<byte[], byte[]> kv : redis.mget(page.getKeys().toArray(new byte[0][]))) {
					sum += kv.getKey().length + (kv.hasValue() ? kv.getValue().length : 0);
				}
			}
			cursor = page;
		}
		while (!cursor.isFinished());
		return sum;
	}

	@Override
	public long size() {
		return this.commands.get().dbsize();
	}

	@Override
	public void close() {
		Process own = this.server;
		if (own != null) {
			// a restartable server keeps its data: SHUTDOWN fsyncs the AOF and exits
			try {
				this.commands.get().shutdown(false);
				if (!own.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
					throw new IllegalStateException("redis-server did not shut down within 60 s");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			finally {
				own.destroyForcibly();
				if (this.stopOnExit != null) {
					Runtime.getRuntime().removeShutdownHook(this.stopOnExit);
				}
				this.connections.forEach(StatefulRedisConnection::close);
				this.client.shutdown();
			}
			return;
		}
		try {
			this.commands.get().flushall();
		}
		finally {
			this.connections.forEach(StatefulRedisConnection::close);
			this.client.shutdown();
		}
	}

}
