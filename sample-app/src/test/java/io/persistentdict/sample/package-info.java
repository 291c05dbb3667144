/**
 * Tests of the sample application over real HTTP: one instance on its SQLite file, and
 * two instances, in JVMs of their own, on one real PostgreSQL database.
 */
@NullMarked
package io.persistentdict.sample;

import org.jspecify.annotations.NullMarked;
