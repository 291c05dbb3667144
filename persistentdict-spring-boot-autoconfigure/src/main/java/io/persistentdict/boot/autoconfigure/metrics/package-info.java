/**
 * Auto-configuration for persistentdict metrics.
 */
@NullMarked
package io.persistentdict.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
