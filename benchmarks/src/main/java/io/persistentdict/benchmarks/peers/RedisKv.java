package io.persistentdict.benchmarks.peers;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
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
 * one reader connection per thread). The server is started by {@code run.sh} on
 * 127.0.0.1; its port comes from the {@code bench.redis.port} system property. Opening
 * flushes the database and sets the AOF fsync policy.
 */
final class RedisKv implements Kv {

	private static final int CHUNK = 1000;

	private final RedisClient client;

	private final List<StatefulRedisConnection<byte[], byte[]>> connections = new CopyOnWriteArrayList<>();

	private final ThreadLocal<RedisCommands<byte[], byte[]>> commands = ThreadLocal.withInitial(this::connect);

	RedisKv(Peer.Config config, boolean fsyncAlways) {
		String port = System.getProperty("bench.redis.port");
		if (port == null) {
			throw new IllegalStateException("Set -Dbench.redis.port to a redis-server on 127.0.0.1 (run.sh does)");
		}
		// loopback only, always
		this.client = RedisClient.create(RedisURI.create("127.0.0.1", Integer.parseInt(port)));
		RedisCommands<byte[], byte[]> redis = this.commands.get();
		redis.configSet("appendonly", "yes");
		redis.configSet("appendfsync", fsyncAlways ? "always" : "everysec");
		redis.flushall();
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
		try {
			this.commands.get().flushall();
		}
		finally {
			this.connections.forEach(StatefulRedisConnection::close);
			this.client.shutdown();
		}
	}

}
