package io.persistentdict.boot.maintenance;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import io.persistentdict.DictStore;
import io.persistentdict.OpenMode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Runs the maintenance of every store on Spring's task scheduler: a sweep of expired
 * entries every {@code persistentdict.maintenance.sweep-interval}, and a scheduled vacuum
 * (a bounded incremental vacuum and a WAL checkpoint) when it is due. Read-only stores
 * are skipped. A failure is logged and retried at the next run.
 *
 * @author persistentdict
 */
public class PersistentDictMaintenance {

	private static final Log logger = LogFactory.getLog(PersistentDictMaintenance.class);

	private final Supplier<Map<String, DictStore>> stores;

	private final Duration vacuumInterval;

	/**
	 * Create the maintenance bean.
	 * @param stores the stores, by name
	 * @param vacuumInterval the time between scheduled vacuums
	 */
	public PersistentDictMaintenance(Supplier<Map<String, DictStore>> stores, Duration vacuumInterval) {
		this.stores = stores;
		this.vacuumInterval = vacuumInterval;
	}

	/**
	 * Delete the expired entries of every store.
	 */
	@Scheduled(initialDelayString = "${persistentdict.maintenance.initial-delay:30s}",
			fixedDelayString = "${persistentdict.maintenance.sweep-interval:1m}")
	public void sweep() {
		this.stores.get().forEach((name, store) -> {
			if (isWritable(store)) {
				try {
					long deleted = store.sweep();
					if (logger.isDebugEnabled()) {
						logger.debug("Swept " + deleted + " expired entries from store '" + name + "'");
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Sweep of store '" + name + "' failed; it is retried at the next run", ex);
				}
			}
		});
	}

	/**
	 * Vacuum every store whose scheduled vacuum is due. The due time is kept in the file,
	 * so instances sharing a file do not all vacuum.
	 */
	@Scheduled(initialDelayString = "${persistentdict.maintenance.initial-delay:30s}",
			fixedDelayString = "${persistentdict.maintenance.vacuum-interval:24h}")
	public void vacuumIfDue() {
		this.stores.get().forEach((name, store) -> {
			if (isWritable(store)) {
				try {
					if (store.vacuumIfDue(this.vacuumInterval)) {
						logger.debug("Vacuumed store '" + name + "'");
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Vacuum of store '" + name + "' failed; it is retried at the next run", ex);
				}
			}
		});
	}

	private static boolean isWritable(DictStore store) {
		return store.isOpen() && store.options().openMode() != OpenMode.READ_ONLY;
	}

}
