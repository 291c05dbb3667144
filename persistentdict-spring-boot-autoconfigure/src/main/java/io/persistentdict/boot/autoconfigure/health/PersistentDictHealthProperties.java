package io.persistentdict.boot.autoconfigure.health;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the persistentdict health indicator, where Boot keeps its own.
 *
 * @author persistentdict
 */
@ConfigurationProperties("management.health.persistentdict")
public class PersistentDictHealthProperties {

	/**
	 * Free disk space below which a SQLite store is reported down. A store on a database
	 * has no disk of its own here, and ignores it.
	 */
	private DataSize freeDiskThreshold = DataSize.ofMegabytes(10);

	public DataSize getFreeDiskThreshold() {
		return this.freeDiskThreshold;
	}

	public void setFreeDiskThreshold(DataSize freeDiskThreshold) {
		this.freeDiskThreshold = freeDiskThreshold;
	}

}
