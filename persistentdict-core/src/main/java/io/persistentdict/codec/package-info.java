/**
 * Value and key codecs: how a {@link io.persistentdict.PersistentDict} turns objects into
 * the bytes and SQL values it stores.
 */
@NullMarked
package io.persistentdict.codec;

import org.jspecify.annotations.NullMarked;
