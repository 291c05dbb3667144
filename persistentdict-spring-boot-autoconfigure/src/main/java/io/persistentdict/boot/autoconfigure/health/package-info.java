/**
 * Auto-configuration for the persistentdict health indicator.
 */
@NullMarked
package io.persistentdict.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
