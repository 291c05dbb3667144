/**
 * Micrometer metrics for persistentdict stores, dicts and caches.
 */
@NullMarked
package io.persistentdict.boot.metrics;

import org.jspecify.annotations.NullMarked;
