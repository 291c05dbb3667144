/**
 * A real PostgreSQL server for tests, without Docker: {@link TestPostgres#server()} gives
 * the one of {@code PERSISTENTDICT_TEST_POSTGRES_URL}, or starts one for the JVM from the
 * binaries that Maven brings.
 */
@NullMarked
package io.persistentdict.testing.postgres;

import org.jspecify.annotations.NullMarked;
