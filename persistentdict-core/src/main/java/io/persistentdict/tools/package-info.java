/**
 * Raw, untyped access to a store, for tools such as the command-line tool
 * ({@code persistentdict-cli}): the catalog as it is, and each dict's stored keys, value
 * codec ids, value bytes and expiry, without the application's classes.
 *
 * <p>
 * <strong>Not for applications.</strong> Applications use
 * {@link io.persistentdict.DictStore} and {@link io.persistentdict.PersistentDict};
 * nothing here is covered by their compatibility promises.
 *
 * <p>
 * What this path promises:
 * <ul>
 * <li>it never changes a dict's catalog settings (opening a dict through
 * {@code DictStore.dict(spec)} rewrites its TTL, codec and compression when the spec
 * differs; {@link io.persistentdict.tools.RawStore#dict} reads the entry and nothing
 * else);</li>
 * <li>it never deserializes a value, and never writes a {@code java}-codec value, since
 * the application would deserialize it;</li>
 * <li>it never creates a store: {@link io.persistentdict.tools.RawStore#open} refuses a
 * file that does not exist or is empty.</li>
 * </ul>
 */
@NullMarked
package io.persistentdict.tools;

import org.jspecify.annotations.NullMarked;
