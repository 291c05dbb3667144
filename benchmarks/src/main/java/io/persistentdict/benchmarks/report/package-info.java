/**
 * Turns benchmark results into {@code BENCHMARKS.md} and an SVG chart of ratios.
 */
@NullMarked
package io.persistentdict.benchmarks.report;

import org.jspecify.annotations.NullMarked;
