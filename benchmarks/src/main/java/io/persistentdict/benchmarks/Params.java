package io.persistentdict.benchmarks;

import java.nio.file.Path;

import io.persistentdict.Layout;
import io.persistentdict.Synchronous;
import io.persistentdict.benchmarks.peers.Kv;
import io.persistentdict.benchmarks.peers.Peer;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The parameters every benchmark shares, and the store they describe.
 */
@State(Scope.Benchmark)
public abstract class Params {

	/** The peer, in one durability mode. */
	@Param("RAW")
	public Peer peer;

	/** The size of each value, in bytes. */
	@Param("100")
	public int valueSize;

	/** How many entries the store holds. */
	@Param("100000")
	public int entries;

	/** SQLite's synchronous level (SQLite peers only). */
	@Param("NORMAL")
	public Synchronous sync;

	/** The table layout (SQLite peers only). */
	@Param("AUTO")
	public Layout layout;

	/** The keys, {@code user:%08d}. */
	public String[] keys;

	/** The value pool. */
	public byte[][] values;

	/** The open store. */
	public Kv kv;

	/** Where the store lives. */
	public Path dir;

	protected void prepareData() {
		this.keys = Data.keys(this.entries);
		this.values = Data.values(this.valueSize);
	}

	protected Kv open() {
		return this.peer.open(new Peer.Config(this.dir, this.sync, this.layout, this.entries));
	}

	protected void openFresh() {
		this.dir = Data.newDirectory(this.peer.name());
		this.kv = open();
	}

	protected void closeAndDelete() {
		this.kv.close();
		Data.delete(this.dir);
	}

}
