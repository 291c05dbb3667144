/**
 * Test fixtures.
 */
@NullMarked
package io.persistentdict.boot.gadget;

import org.jspecify.annotations.NullMarked;
