/**
 * The storage engine interface: what an engine (SQLite, PostgreSQL) implements under the
 * engine-neutral dicts of {@code io.persistentdict}.
 *
 * <p>
 * <strong>Not for applications.</strong> This package is public only because engines live
 * in other packages and modules; applications use {@link io.persistentdict.DictStore} and
 * {@link io.persistentdict.PersistentDict}, and nothing here is covered by their
 * compatibility promises.
 *
 * <p>
 * The interface speaks bytes: a dict's keys are encoded ({@code String}, {@code Long} or
 * {@code byte[]}), its values are the stored bytes with their header, and expiry is epoch
 * milliseconds (0 for never). An engine provides:
 * <ul>
 * <li>read work on a pooled {@link io.persistentdict.engine.Session}
 * ({@link io.persistentdict.engine.Engine#read});</li>
 * <li>write work through a {@link io.persistentdict.engine.WriteScheduler}, which is an
 * engine's choice: {@link io.persistentdict.engine.GroupCommit} serves one writer
 * connection with group commit;</li>
 * <li>a {@link io.persistentdict.engine.TableStore} per dict, and the
 * {@link io.persistentdict.engine.CatalogStore};</li>
 * <li>a {@link io.persistentdict.engine.ChangeFeed} that tells the near caches about
 * other connections' commits;</li>
 * <li>an {@link io.persistentdict.engine.EngineErrors} classifier and translator, so that
 * no engine's error codes or messages reach the neutral layer.</li>
 * </ul>
 */
@NullMarked
package io.persistentdict.engine;

import org.jspecify.annotations.NullMarked;
