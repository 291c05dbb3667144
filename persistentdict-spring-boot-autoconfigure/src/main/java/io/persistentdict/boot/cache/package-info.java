/**
 * Spring {@link org.springframework.cache.Cache} and
 * {@link org.springframework.cache.CacheManager} over persistentdict.
 */
@NullMarked
package io.persistentdict.boot.cache;

import org.jspecify.annotations.NullMarked;
