package io.persistentdict.benchmarks.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Reduces JMH's run results to {@link Measurement}s: medians over iterations, and
 * percentiles for sampled modes.
 */
public final class Results {

	private Results() {
	}

	/**
	 * Reduce run results.
	 * @param runs what JMH returned
	 * @return the measurements
	 */
	public static List<Measurement> of(Collection<RunResult> runs) {
		List<Measurement> measurements = new ArrayList<>();
		for (RunResult run : runs) {
			var params = run.getParams();
			String benchmark = params.getBenchmark();
			int dot = benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1);
			benchmark = benchmark.substring(dot + 1);
			Map<String, String> values = new LinkedHashMap<>();
			for (String key : params.getParamsKeys()) {
				if (!key.equals("peer") && !key.equals("manager")) {
					values.put(key, params.getParam(key));
				}
			}
			List<Double> scores = new ArrayList<>();
			for (BenchmarkResult result : run.getBenchmarkResults()) {
				for (IterationResult iteration : result.getIterationResults()) {
					scores.add(iteration.getPrimaryResult().getScore());
				}
			}
			if (scores.isEmpty()) {
				continue;
			}
			Result<?> primary = run.getPrimaryResult();
			String unit = primary.getScoreUnit();
			double median = median(scores);
			int threads = params.getThreads();
			String mode = params.getMode().shortLabel();
			double secondsPerOp;
			double opsPerSecond;
			if (unit.startsWith("ops/")) {
				opsPerSecond = median / seconds(unit.substring(4));
				secondsPerOp = threads / opsPerSecond;
			}
			else {
				secondsPerOp = median * seconds(unit.substring(0, unit.indexOf('/')));
				opsPerSecond = threads / secondsPerOp;
			}
			double p50 = Double.NaN;
			double p99 = Double.NaN;
			if (params.getMode().shortLabel().equals("sample")) {
				Statistics statistics = primary.getStatistics();
				double scale = seconds(unit.substring(0, unit.indexOf('/')));
				p50 = statistics.getPercentile(50) * scale;
				p99 = statistics.getPercentile(99) * scale;
			}
			// the peer, or for the @Cacheable benchmark the cache manager
			String peer = params.getParam("peer");
			if (peer == null) {
				peer = params.getParam("manager");
			}
			measurements.add(new Measurement(benchmark, peer, values, threads, mode, opsPerSecond, secondsPerOp, p50,
					p99, scores.size()));
		}
		return measurements;
	}

	/**
	 * Fold each sample-time measurement into the throughput measurement of the same
	 * workload, when there is one: the rate comes from throughput mode (robust to a few
	 * long stalls), the percentiles from sample time.
	 * @param measurements the measurements, changed in place
	 */
	public static void merge(List<Measurement> measurements) {
		for (int i = 0; i < measurements.size(); i++) {
			Measurement sample = measurements.get(i);
			if (!sample.mode().equals("sample")) {
				continue;
			}
			for (int j = 0; j < measurements.size(); j++) {
				Measurement rate = measurements.get(j);
				if (rate.mode().equals("thrpt") && rate.benchmark().equals(sample.benchmark())
						&& rate.peer().equals(sample.peer()) && rate.params().equals(sample.params())) {
					measurements.set(j,
							new Measurement(rate.benchmark(), rate.peer(), rate.params(), rate.threads(),
									"thrpt+sample", rate.opsPerSecond(), rate.secondsPerOp(), sample.p50(),
									sample.p99(), rate.iterations()));
					measurements.remove(i);
					i--;
					break;
				}
			}
		}
	}

	static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
		Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private static double seconds(String unit) {
		return switch (unit) {
			case "ns" -> 1e-9;
			case "us" -> 1e-6;
			case "ms" -> 1e-3;
			case "s" -> 1;
			case "min" -> 60;
			default -> throw new IllegalArgumentException("Unknown time unit " + unit);
		};
	}

}
