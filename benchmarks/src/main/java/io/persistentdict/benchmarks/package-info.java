/**
 * JMH benchmarks of persistentdict against raw sqlite-jdbc and its peers, and the suite
 * that runs them and writes {@code BENCHMARKS.md}.
 */
@NullMarked
package io.persistentdict.benchmarks;

import org.jspecify.annotations.NullMarked;
