package io.persistentdict.engine;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What an engine knows of the space its store takes; -1 for what it does not have.
 *
 * @param size the database's size in bytes
 * @param walSize the write-ahead log's size in bytes, or -1
 * @param freeDiskSpace usable bytes on the database's disk, or -1
 * @param clockSkew how far the store's clock was ahead of the database's when the store
 * opened (negative when behind), or {@code null} for an engine without a database clock
 */
public record Storage(long size, long walSize, long freeDiskSpace, @Nullable Duration clockSkew) {

	/**
	 * Figures without a clock skew.
	 * @param size the database's size in bytes
	 * @param walSize the write-ahead log's size in bytes, or -1
	 * @param freeDiskSpace usable bytes on the database's disk, or -1
	 */
	public Storage(long size, long walSize, long freeDiskSpace) {
		this(size, walSize, freeDiskSpace, null);
	}

}
