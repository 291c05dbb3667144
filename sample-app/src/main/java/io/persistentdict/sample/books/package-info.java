/**
 * A slow book catalog behind a persistent {@code @Cacheable} service.
 */
@NullMarked
package io.persistentdict.sample.books;

import org.jspecify.annotations.NullMarked;
