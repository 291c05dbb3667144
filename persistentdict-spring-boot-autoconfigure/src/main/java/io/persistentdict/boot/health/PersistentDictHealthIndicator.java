package io.persistentdict.boot.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.persistentdict.DictStats;
import io.persistentdict.DictStore;
import io.persistentdict.OpenMode;
import io.persistentdict.StoreStats;
import io.persistentdict.StoreStats.MaintenanceReport;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.unit.DataSize;

/**
 * Health of one {@link DictStore}, from its {@link DictStore#stats() stats}. A probe
 * never checks integrity, and never runs {@code COUNT(*)}: the entry counts and bytes are
 * the exact counts each engine keeps in every write transaction, minus the expired
 * entries not yet swept (read through the expiry index), so they are current. Down when
 * the store is closed, its file is unreadable or read-only (unless opened read-only on
 * purpose), the last integrity check failed, or the disk is nearly full.
 * <p>
 * A store on a database is shown with its {@code location} (URL and schema) and the size
 * of its tables; it has no file, write-ahead log or disk of its own here. A probe there
 * costs two catalog queries (the tables' size from {@code pg_class}, the dicts from the
 * store's catalog) and the counts above, and is down when the database cannot be reached.
 *
 * @author persistentdict
 */
public class PersistentDictHealthIndicator extends AbstractHealthIndicator {

	private final DictStore store;

	private final DataSize freeDiskThreshold;

	public PersistentDictHealthIndicator(DictStore store, DataSize freeDiskThreshold) {
		super("persistentdict health check failed");
		this.store = store;
		this.freeDiskThreshold = freeDiskThreshold;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (!this.store.isOpen()) {
			builder.down().withDetail("reason", "store is closed");
			return;
		}
		// counts each dict not yet counted since the store opened; later calls reuse it
		StoreStats stats = this.store.stats();
		builder.up().withDetail("engine", stats.engine());
		// a file's path, or a database's URL and schema
		builder.withDetail((this.store.path() != null) ? "path" : "location", stats.location());
		// an engine reports -1 for a figure it does not have: leave it out
		putIfKnown(builder, "fileSize", stats.fileSize());
		putIfKnown(builder, "walSize", stats.walSize());
		putIfKnown(builder, "freeDiskSpace", stats.freeDiskSpace());
		if (stats.clockSkew() != null) {
			// expiry is stamped by this instance's clock: instances must agree on it
			builder.withDetail("clockSkew", stats.clockSkew().toString());
		}
		Map<String, Long> entries = new LinkedHashMap<>();
		for (DictStats dict : stats.dicts().values()) {
			entries.put(dict.name(), dict.entries());
		}
		builder.withDetail("dicts", entries);
		MaintenanceReport report = stats.lastMaintenance();
		if (report != null) {
			putIfPresent(builder, "lastSweep", report.lastSweep());
			putIfPresent(builder, "lastVacuum", report.lastVacuum());
			putIfPresent(builder, "lastIntegrityCheck", report.lastIntegrityCheck());
			if (report.lastIntegrityCheck() != null) {
				builder.withDetail("integrity", report.integrityMessage());
				if (!report.integrityOk()) {
					builder.down().withDetail("reason", "last integrity check failed: " + report.integrityMessage());
					return;
				}
			}
		}
		String problem = fileProblem(this.store.path());
		if (problem != null) {
			builder.down().withDetail("reason", problem);
			return;
		}
		if (stats.freeDiskSpace() >= 0 && stats.freeDiskSpace() < this.freeDiskThreshold.toBytes()) {
			builder.down()
				.withDetail("reason", "free disk space " + stats.freeDiskSpace() + " bytes is below the threshold "
						+ this.freeDiskThreshold.toBytes() + " bytes");
		}
	}

	private @Nullable String fileProblem(@Nullable Path path) {
		if (path == null) {
			return null;
		}
		if (!Files.isReadable(path)) {
			return "file " + path + " is not readable";
		}
		if (this.store.options().openMode() != OpenMode.READ_ONLY && !Files.isWritable(path)) {
			return "file " + path + " is read-only";
		}
		return null;
	}

	private static void putIfPresent(Health.Builder builder, String key, @Nullable Object value) {
		if (value != null) {
			builder.withDetail(key, value);
		}
	}

	private static void putIfKnown(Health.Builder builder, String key, long value) {
		if (value >= 0) {
			builder.withDetail(key, value);
		}
	}

}
