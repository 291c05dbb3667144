/**
 * Health indicator for persistentdict stores.
 */
@NullMarked
package io.persistentdict.boot.health;

import org.jspecify.annotations.NullMarked;
