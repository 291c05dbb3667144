/**
 * Tests of the sample application over real HTTP.
 */
@NullMarked
package io.persistentdict.sample;

import org.jspecify.annotations.NullMarked;
