package io.persistentdict.engine;

/**
 * One connection of an engine, lent to a unit of work. The neutral layer only passes it
 * back to the engine's own {@link TableStore} and {@link CatalogStore}; it is used by one
 * thread at a time.
 */
public interface Session {

}
