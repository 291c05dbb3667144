package io.persistentdict.engine;

/**
 * What an engine knows of the space its store takes; -1 for what it does not have.
 *
 * @param size the database's size in bytes
 * @param walSize the write-ahead log's size in bytes, or -1
 * @param freeDiskSpace usable bytes on the database's disk, or -1
 */
public record Storage(long size, long walSize, long freeDiskSpace) {

}
