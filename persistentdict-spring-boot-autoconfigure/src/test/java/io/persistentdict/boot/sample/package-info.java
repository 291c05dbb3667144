/**
 * Test fixtures.
 */
@NullMarked
package io.persistentdict.boot.sample;

import org.jspecify.annotations.NullMarked;
