/**
 * Tests of the PostgreSQL engine, on a real PostgreSQL.
 */
@NullMarked
package io.persistentdict.postgres;

import org.jspecify.annotations.NullMarked;
