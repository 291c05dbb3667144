/**
 * The {@code @Cacheable} benchmark: the hit and miss path through a Spring context, with
 * persistentdict's auto-configured cache manager, {@code RedisCacheManager} and
 * {@code CaffeineCacheManager}.
 */
@NullMarked
package io.persistentdict.benchmarks.cacheable;

import org.jspecify.annotations.NullMarked;
