/**
 * The SQLite engine: file setup and checks, pragmas, WAL, {@code data_version},
 * maintenance, SQLite's SQL and its error codes.
 *
 * <p>
 * <strong>Not for applications</strong>: open a SQLite store with
 * {@link io.persistentdict.DictStore#open(java.nio.file.Path)},
 * {@link io.persistentdict.DictStore#inMemory()} or
 * {@link io.persistentdict.DictStore#temporary()}.
 * {@link io.persistentdict.sqlite.SqliteEngine} is public only so that the neutral layer
 * can reach it.
 */
@NullMarked
package io.persistentdict.sqlite;

import org.jspecify.annotations.NullMarked;
