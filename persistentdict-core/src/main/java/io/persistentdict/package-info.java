/**
 * Persistent, expiring {@link java.util.concurrent.ConcurrentMap}s stored in SQLite.
 *
 * <p>
 * Start with {@link io.persistentdict.DictStore#open(java.nio.file.Path)}, then ask the
 * store for a {@link io.persistentdict.PersistentDict} by name.
 */
@NullMarked
package io.persistentdict;

import org.jspecify.annotations.NullMarked;
