package io.persistentdict.benchmarks.peers;

import java.util.Map;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;

/**
 * H2's MVStore, either committing after each put or with its background auto-commit.
 */
final class MvStoreKv implements Kv {

	private final MVStore store;

	private final MVMap<String, byte[]> map;

	private final boolean commitEachPut;

	MvStoreKv(Peer.Config config, boolean commitEachPut) {
		MVStore.Builder builder = new MVStore.Builder().fileName(config.dir().resolve("mvstore.db").toString());
		if (commitEachPut) {
			builder.autoCommitDisabled();
		}
		this.store = builder.open();
		this.map = this.store.openMap("bench");
		this.commitEachPut = commitEachPut;
	}

	@Override
	public void put(String key, byte[] value) {
		this.map.put(key, value);
		if (this.commitEachPut) {
			this.store.commit();
		}
	}

	@Override
	public byte @Nullable [] get(String key) {
		return this.map.get(key);
	}

	@Override
	public void putAll(Map<String, byte[]> entries) {
		this.map.putAll(entries);
		this.store.commit();
	}

	@Override
	public long iterate() {
		long sum = 0;
		for (Map.Entry<String, byte[]> entry : this.map.entrySet()) {
			sum += entry.getKey().length() + entry.getValue().length;
		}
		return sum;
	}

	@Override
	public long size() {
		return this.map.sizeAsLong();
	}

	@Override
	public void close() {
		this.store.close();
	}

}
