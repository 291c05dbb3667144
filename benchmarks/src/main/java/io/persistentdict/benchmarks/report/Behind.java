package io.persistentdict.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.persistentdict.Synchronous;
import io.persistentdict.benchmarks.peers.Peer;
import org.jspecify.annotations.Nullable;

import static io.persistentdict.benchmarks.report.Formats.describe;
import static io.persistentdict.benchmarks.report.Formats.fmt;
import static io.persistentdict.benchmarks.report.Formats.title;
import static io.persistentdict.benchmarks.report.Lookups.CACHEABLE;

/**
 * The report's "Where PersistentDict is behind, and why" section: every workload where a
 * peer did more work a second than PersistentDict, and the reason, what the peer gives up
 * for it or what it does that an SQLite-backed map cannot. Empty when no peer is ahead.
 */
final class Behind {

	private final List<Measurement> measurements;

	private final StringBuilder md = new StringBuilder();

	/**
	 * @param measurements the SQLite jobs' measurements
	 */
	Behind(List<Measurement> measurements) {
		this.measurements = measurements;
	}

	/**
	 * The section's Markdown, with its heading, or an empty string.
	 * @return the section
	 */
	String section() {
		this.md.setLength(0);
		behindSection();
		return this.md.toString();
	}

	/**
	 * Where a peer beat PersistentDict in a workload, with the reason: what the peer
	 * gives up for it, or what it does that an SQLite-backed map cannot.
	 */
	private void behindSection() {
		Map<String, List<Measurement>> byWorkload = new LinkedHashMap<>();
		for (Measurement m : this.measurements) {
			if (!m.benchmark().startsWith(CACHEABLE) && !m.benchmark().startsWith("CommitCeiling")) {
				byWorkload.computeIfAbsent(m.workload(), (k) -> new ArrayList<>()).add(m);
			}
		}
		List<String> rows = new ArrayList<>();
		Set<Peer> seen = new LinkedHashSet<>();
		Set<String> benchmarks = new LinkedHashSet<>();
		for (List<Measurement> rowsOfWorkload : byWorkload.values()) {
			Measurement dict = rowsOfWorkload.stream().filter((m) -> m.peer().equals("DICT")).findFirst().orElse(null);
			if (dict == null) {
				continue;
			}
			for (Measurement m : rowsOfWorkload) {
				Peer peer = Peer.valueOf(m.peer());
				if (peer == Peer.RAW || peer.name().startsWith("DICT") || m.opsPerSecond() <= dict.opsPerSecond()) {
					continue;
				}
				if (m.param("sync").equals("FULL") && peer != Peer.REDIS_ALWAYS && peer != Peer.MAPDB_TX) {
					// at FULL every PersistentDict write is on disk when it returns:
					// compare
					// only with peers that promise the same
					continue;
				}
				seen.add(peer);
				benchmarks.add(m.benchmark());
				double ahead = m.opsPerSecond() / dict.opsPerSecond();
				rows.add("| " + title(m.benchmark()) + " — " + describe(m) + " | " + peer.label() + " | "
						+ peer.durability(Synchronous.valueOf(m.param("sync"))) + " | "
						+ ((ahead > 1000) ? "> 1,000" : fmt(ahead)) + "× |");
			}
		}
		if (rows.isEmpty()) {
			return;
		}
		this.md.append("\n## Where PersistentDict is behind, and why\n\n");
		this.md.append("Every workload above where a peer did more work a second than PersistentDict (bytes codec),")
			.append(" computed from the tables: the plain map, without its near cache (the Zipf rows show what")
			.append(" the near cache changes). At `synchronous=FULL`, where every PersistentDict write is on disk")
			.append(" when it returns, only peers that promise the same are compared.\n\n");
		this.md.append("| workload | peer | its durability | peer / PersistentDict |\n|---|---|---|---:|\n");
		rows.forEach((row) -> this.md.append(row).append('\n'));
		this.md.append("\nWhy:\n\n");
		for (Peer peer : seen) {
			this.md.append("- **").append(peer.label()).append("**: ").append(whyAhead(peer)).append('\n');
		}
		for (String benchmark : benchmarks) {
			String why = whyBehindIn(benchmark);
			if (why != null) {
				this.md.append("- **").append(title(benchmark)).append("**: ").append(why).append('\n');
			}
		}
	}

	private static @Nullable String whyBehindIn(String benchmark) {
		return switch (benchmark) {
			case "ReopenBenchmark.reopenAndGet" -> "before its first get, opening a store checks the file (its"
					+ " application id and schema version, and the catalog of dicts) and starts the read pool: about"
					+ " 1.0-1.8 ms here against raw's 0.7-0.9 ms, most of the difference HikariCP's pool start (about"
					+ " 0.3 ms with its first connection, against 0.2 ms for a bare sqlite-jdbc connection). It does"
					+ " not grow with the number of entries (≤ 1.5× between 1,000 and 1,000,000 counts as independent"
					+ " on a millisecond measured one open at a time).";
			case "SizeBenchmark.size" -> "MVStore, Caffeine and Redis keep a running count. `size()` counts the live"
					+ " rows in one statement, as raw's `COUNT(*)` does: a maintained counter would cost every write"
					+ " and could not leave out the expired rows that no sweep has deleted yet.";
			case "BulkPutBenchmark.putAll" -> "PersistentDict writes every row through SQLite's B-tree in one"
					+ " transaction, 32 rows a statement, about as fast as raw sqlite-jdbc (one row a statement):"
					+ " the limit for any SQLite-backed map. The peers ahead append to memory or to a log.";
			default -> null;
		};
	}

	private static String whyAhead(Peer peer) {
		return switch (peer) {
			case MAPDB -> "without transactions it writes into memory-mapped pages with no log and no commit, so a"
					+ " crash can leave a corrupt file: not the durability PersistentDict offers. Its reads are Java"
					+ " B-tree lookups in mapped memory, with no JNI crossing.";
			case MAPDB_TX -> "with transactions it commits each write to its own log and is far behind on writes"
					+ " (see `set`); it is ahead only at reopening a small store, explained below.";
			case MVSTORE, MVSTORE_COMMIT -> "an in-process Java B-tree. Reads come from a heap cache of deserialized"
					+ " pages: no JNI crossing, no SQL statement, no copy of the value. A PersistentDict read crosses into"
					+ " SQLite through sqlite-jdbc (bind, step, read the column, reset), which is most of its ~6 µs;"
					+ " the near cache removes that for hot keys (see the Zipf rows). With background commit it writes"
					+ " a chunk about once a second, so a crash of the process loses up to a second of writes, where"
					+ " PersistentDict at NORMAL loses none (only a power loss can drop the last commits).";
			case EHCACHE -> "writes land in its heap tier and reach disk only when the cache manager is closed"
					+ " cleanly: a crash loses them.";
			case CAFFEINE ->
				"in memory only, holding references: nothing is serialized, copied or kept across a" + " restart.";
			case REDIS_ALWAYS, REDIS_EVERYSEC, REDIS_RESTART ->
				"a server holding everything in memory; bulk loads are pipelined"
						+ " and, with `everysec`, fsynced once a second. Each single call pays a loopback round trip (~60-70 µs"
						+ " here), which is why it is behind on every single-key workload.";
			default -> "see its durability.";
		};
	}

}
