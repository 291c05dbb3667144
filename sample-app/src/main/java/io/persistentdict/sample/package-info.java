/**
 * A Spring Boot web application that uses persistentdict as its cache and as its own
 * state store.
 */
@NullMarked
package io.persistentdict.sample;

import org.jspecify.annotations.NullMarked;
