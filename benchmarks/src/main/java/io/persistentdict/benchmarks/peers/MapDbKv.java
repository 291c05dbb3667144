package io.persistentdict.benchmarks.peers;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * MapDB 3.1: a file-backed, memory-mapped {@code HTreeMap} with expiry configured (a long
 * TTL, so that its expiry bookkeeping is paid but nothing expires during a run).
 */
final class MapDbKv implements Kv {

	private final DB db;

	private final HTreeMap<String, byte[]> map;

	private final boolean commitEachPut;

	MapDbKv(Peer.Config config, boolean transactions) {
		DBMaker.Maker maker = DBMaker.fileDB(config.dir().resolve("mapdb.db").toFile()).fileMmapEnableIfSupported();
		if (transactions) {
			maker = maker.transactionEnable();
		}
		this.db = maker.make();
		this.map = this.db.hashMap("bench", Serializer.STRING, Serializer.BYTE_ARRAY)
			.expireAfterCreate(1, TimeUnit.DAYS)
			.createOrOpen();
		this.commitEachPut = transactions;
	}

	@Override
	public void put(String key, byte[] value) {
		this.map.put(key, value);
		if (this.commitEachPut) {
			this.db.commit();
		}
	}

	@Override
	public byte @Nullable [] get(String key) {
		return this.map.get(key);
	}

	@Override
	public void putAll(Map<String, byte[]> entries) {
		this.map.putAll(entries);
		if (this.commitEachPut) {
			this.db.commit();
		}
	}

	@Override
	public long iterate() {
		long sum = 0;
		for (Map.Entry<String, byte[]> entry : this.map.getEntries()) {
			sum += entry.getKey().length() + entry.getValue().length;
		}
		return sum;
	}

	@Override
	public long size() {
		return this.map.sizeLong();
	}

	@Override
	public void close() {
		this.db.close();
	}

}
