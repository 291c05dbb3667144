/**
 * Tests of the test PostgreSQL, against the real server.
 */
@NullMarked
package io.persistentdict.testing.postgres;

import org.jspecify.annotations.NullMarked;
