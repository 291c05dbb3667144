package io.persistentdict.benchmarks.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Finds a run's measurements and probes for the report, and divides a measurement by raw
 * sqlite-jdbc's with the same parameters.
 */
final class Lookups {

	static final String CACHEABLE = "CacheableBenchmark.";

	private final List<Measurement> measurements;

	private final List<Probe> probes;

	Lookups(List<Measurement> measurements, List<Probe> probes) {
		this.measurements = measurements;
		this.probes = probes;
	}

	@Nullable Measurement cacheableMeasurement(String benchmark, String manager) {
		return find(CACHEABLE + benchmark, manager, (m) -> true);
	}

	double cacheable(String benchmark, String manager) {
		Measurement m = cacheableMeasurement(benchmark, manager);
		return (m != null) ? m.opsPerSecond() : Double.NaN;
	}

	@Nullable Measurement find(String benchmark, String peer, Predicate<Measurement> filter) {
		for (Measurement m : this.measurements) {
			if (m.benchmark().equals(benchmark) && m.peer().equals(peer) && filter.test(m)) {
				return m;
			}
		}
		return null;
	}

	static Predicate<Measurement> base(String... pairs) {
		Map<String, String> wanted = new LinkedHashMap<>();
		wanted.put("valueSize", "100");
		wanted.put("sync", "NORMAL");
		wanted.put("layout", "AUTO");
		for (int i = 0; i < pairs.length; i += 2) {
			wanted.put(pairs[i], pairs[i + 1]);
		}
		return (m) -> wanted.entrySet()
			.stream()
			.allMatch((e) -> !m.params().containsKey(e.getKey()) || m.param(e.getKey()).equals(e.getValue()));
	}

	@Nullable Measurement raw(Measurement m) {
		for (Measurement other : this.measurements) {
			if (other.peer().equals("RAW") && other.benchmark().equals(m.benchmark())
					&& other.params().equals(m.params())) {
				return other;
			}
		}
		return null;
	}

	double ratio(@Nullable Measurement m) {
		if (m == null) {
			return Double.NaN;
		}
		Measurement raw = raw(m);
		return (raw != null) ? m.opsPerSecond() / raw.opsPerSecond() : Double.NaN;
	}

	double probe(String what, String peer) {
		for (Probe p : this.probes) {
			if (p.what().equals(what) && p.peer().equals(peer)) {
				return p.value();
			}
		}
		return Double.NaN;
	}

}
