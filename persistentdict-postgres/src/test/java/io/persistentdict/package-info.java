/**
 * The core's contract tests, run on PostgreSQL.
 */
@NullMarked
package io.persistentdict;

import org.jspecify.annotations.NullMarked;
