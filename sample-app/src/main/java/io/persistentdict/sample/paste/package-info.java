/**
 * A paste bin whose pastes live in a named, expiring {@code PersistentDict}.
 */
@NullMarked
package io.persistentdict.sample.paste;

import org.jspecify.annotations.NullMarked;
