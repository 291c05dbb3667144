/**
 * The PostgreSQL engine:
 * {@link io.persistentdict.DictStore#connect(javax.sql.DataSource)} finds it through
 * {@link io.persistentdict.postgres.PostgresEngineProvider}. Only the provider is public;
 * everything else is package-private.
 */
@NullMarked
package io.persistentdict.postgres;

import org.jspecify.annotations.NullMarked;
