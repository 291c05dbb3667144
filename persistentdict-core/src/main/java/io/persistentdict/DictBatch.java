package io.persistentdict;

import java.sql.SQLException;
import java.time.Duration;

import io.persistentdict.PersistentDict.Batch;
import io.persistentdict.engine.Row;
import io.persistentdict.engine.Session;
import org.jspecify.annotations.Nullable;

/**
 * The operations of {@link PersistentDict#batch}, run inside its transaction.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class DictBatch<K, V> implements Batch<K, V> {

	private final EngineDict<K, V> dict;

	private final Session writer;

	DictBatch(EngineDict<K, V> dict, Session writer) {
		this.dict = dict;
		this.writer = writer;
	}

	@Override
	public @Nullable V get(K key) {
		Object k = this.dict.encoding().encodeKey(key);
		try {
			Row row = this.dict.table().get(this.writer, k);
			return (row != null && row.isLive(this.dict.owner().now())) ? this.dict.encoding().decode(k, row.value())
					: null;
		}
		catch (SQLException ex) {
			throw failure(ex, "batch read");
		}
	}

	@Override
	public void put(K key, V value) {
		write(key, value, null);
	}

	@Override
	public void put(K key, V value, Duration ttl) {
		write(key, value, ttl);
	}

	private void write(K key, V value, @Nullable Duration ttl) {
		try {
			this.dict.batchPut(this.writer, key, value, ttl);
		}
		catch (SQLException ex) {
			throw failure(ex, "batch write");
		}
	}

	@Override
	public boolean remove(K key) {
		Object k = this.dict.encoding().encodeKey(key);
		try {
			Row row = this.dict.table().get(this.writer, k);
			if (row == null) {
				return false;
			}
			this.dict.table().delete(this.writer, k);
			return row.isLive(this.dict.owner().now());
		}
		catch (SQLException ex) {
			throw failure(ex, "batch remove");
		}
	}

	private PersistentDictException failure(SQLException ex, String action) {
		return this.dict.owner().errors().translate(ex, action, this.dict.qualifiedName());
	}

}
