package io.persistentdict;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A cheap snapshot of a store: no {@code COUNT(*)} and no integrity check are run to
 * build it. Entry counts and bytes are exact, from the counts each engine keeps in every
 * write transaction, minus the expired entries not yet swept (read through the expiry
 * index).
 *
 * An engine that does not have a figure reports -1 for it; health and metrics leave such
 * figures out.
 *
 * @param engine the engine that holds the store: {@code SQLite} or {@code PostgreSQL}
 * @param location the file path, a description of an in-memory store, or the database
 * (never with its password)
 * @param fileSize the database's size in bytes, or -1 if unknown
 * @param walSize the {@code -wal} file's size in bytes, or -1 for an engine without one
 * @param freeDiskSpace usable bytes on the database's disk, or -1 if unknown
 * @param dicts each open or catalogued dict's counters, by qualified name
 * @param lastMaintenance what the last maintenance run did, or {@code null} if none ran
 * @param clockSkew how far the store's clock ({@link StoreOptions#clock()}, which stamps
 * and checks expiry) was ahead of the database's when the store opened, negative when
 * behind; {@code null} for an engine without a database clock (SQLite)
 */
public record StoreStats(String engine, String location, long fileSize, long walSize, long freeDiskSpace,
		Map<String, DictStats> dicts, @Nullable MaintenanceReport lastMaintenance, @Nullable Duration clockSkew) {

	/**
	 * Stats without a clock skew.
	 * @param engine the engine
	 * @param location the location
	 * @param fileSize the database's size
	 * @param walSize the WAL's size
	 * @param freeDiskSpace the free disk space
	 * @param dicts the dicts' counters
	 * @param lastMaintenance the last maintenance, or {@code null}
	 */
	public StoreStats(String engine, String location, long fileSize, long walSize, long freeDiskSpace,
			Map<String, DictStats> dicts, @Nullable MaintenanceReport lastMaintenance) {
		this(engine, location, fileSize, walSize, freeDiskSpace, dicts, lastMaintenance, null);
	}

	/**
	 * What a maintenance run did.
	 *
	 * @param lastSweep when the last sweep finished, or {@code null}
	 * @param lastSweepDeleted expired entries it deleted
	 * @param lastSweepMillis how long it took
	 * @param lastVacuum when the last vacuum finished, or {@code null}
	 * @param lastVacuumMillis how long it took
	 * @param lastIntegrityCheck when the last integrity check finished, or {@code null}
	 * @param integrityOk whether the last integrity check passed
	 * @param integrityMessage what it reported
	 */
	public record MaintenanceReport(@Nullable Instant lastSweep, long lastSweepDeleted, long lastSweepMillis,
			@Nullable Instant lastVacuum, long lastVacuumMillis, @Nullable Instant lastIntegrityCheck,
			boolean integrityOk, String integrityMessage) {
	}

}
