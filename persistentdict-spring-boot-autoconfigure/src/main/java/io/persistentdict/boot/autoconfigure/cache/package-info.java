/**
 * Auto-configuration for the persistentdict
 * {@link org.springframework.cache.CacheManager}.
 */
@NullMarked
package io.persistentdict.boot.autoconfigure.cache;

import org.jspecify.annotations.NullMarked;
