package io.persistentdict.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The benchmark JVM's CPU time per operation, each iteration: a secondary result
 * ({@code ·cpu}, µs/op) beside the wall-clock rate. On a machine other jobs load, a
 * thread that waits for a core loses wall-clock time but not CPU time, so the ratio of
 * two peers' CPU time per operation holds where their rates swing with the load. It
 * counts every thread of the fork (JMH's own, the JIT, GC, a store's background work),
 * and no time spent waiting for a disk: compare it only between peers of one job.
 */
public final class CpuTimeProfiler implements InternalProfiler {

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private long started;

	@Override
	public String getDescription() {
		return "process CPU time per operation";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		this.started = OS.getProcessCpuTime();
	}

	@Override
	@SuppressWarnings("rawtypes") // JMH's own signature
	public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
			IterationResult result) {
		long nanos = OS.getProcessCpuTime() - this.started;
		long ops = result.getMetadata().getMeasuredOps();
		if (ops <= 0) {
			return List.of();
		}
		return List.of(new ScalarResult("cpu", nanos / 1000.0 / ops, "µs/op", AggregationPolicy.AVG));
	}

}
