package io.persistentdict.engine;

import java.sql.SQLException;
import java.util.List;

import io.persistentdict.Layout;
import org.jspecify.annotations.Nullable;

/**
 * The catalog: one entry per dict with its types, codecs and settings, each dict's table,
 * and a small key-value table for the store's own bookkeeping (such as the next vacuum).
 * The rules of what may change live in the neutral layer; this only stores.
 */
public interface CatalogStore {

	/**
	 * Find a dict's entry.
	 * @param session the session
	 * @param namespace the namespace
	 * @param name the name
	 * @return the entry, or {@code null}
	 * @throws SQLException on failure
	 */
	@Nullable CatalogEntry find(Session session, String namespace, String name) throws SQLException;

	/**
	 * List every entry, by namespace and name.
	 * @param session the session
	 * @return the entries
	 * @throws SQLException on failure
	 */
	List<CatalogEntry> all(Session session) throws SQLException;

	/**
	 * Create a dict's table and save its entry, in the write transaction. A
	 * {@linkplain CatalogEntry#bounded() bounded} entry's table is created stamped.
	 * @param writer the write session
	 * @param entry the entry
	 * @param layout the layout to create the table with
	 * @param now the current time
	 * @throws SQLException on failure
	 * @throws IllegalArgumentException if the engine cannot bound a dict, naming it
	 */
	void create(Session writer, CatalogEntry entry, Layout layout, long now) throws SQLException;

	/**
	 * Save the settings of an existing entry (codec, TTL, sliding, compression, bounds
	 * and eviction). An entry that becomes bounded gets its table's stamps and their
	 * index here (existing rows keep no stamp, so they are evicted first); one that
	 * becomes unbounded loses the index, so that its writes stop paying for it.
	 * @param writer the write session
	 * @param entry the entry
	 * @param now the current time
	 * @throws SQLException on failure
	 * @throws IllegalArgumentException if the engine cannot bound a dict, naming it
	 */
	void save(Session writer, CatalogEntry entry, long now) throws SQLException;

	/**
	 * Drop a dict's table and delete its entry.
	 * @param writer the write session
	 * @param namespace the namespace
	 * @param name the name
	 * @return whether the entry existed
	 * @throws SQLException on failure
	 */
	boolean drop(Session writer, String namespace, String name) throws SQLException;

	/**
	 * Read a bookkeeping value.
	 * @param session the session
	 * @param key the key
	 * @return the value, or {@code null}
	 * @throws SQLException on failure
	 */
	@Nullable Long meta(Session session, String key) throws SQLException;

	/**
	 * Write a bookkeeping value.
	 * @param writer the write session
	 * @param key the key
	 * @param value the value
	 * @throws SQLException on failure
	 */
	void setMeta(Session writer, String key, long value) throws SQLException;

}
