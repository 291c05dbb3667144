package io.persistentdict.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A store opened and loaded with {@code entries} entries once per trial.
 */
@State(Scope.Benchmark)
public class LoadedStore extends Params {

	@Setup(Level.Trial)
	public void setUp() {
		prepareData();
		openFresh();
		Data.load(this.kv, this.keys, this.values);
		loaded();
	}

	/**
	 * Put one of the loaded keys, chosen at random, with a value from the pool: the
	 * single put that the write benchmarks time.
	 */
	public void putRandom() {
		int i = java.util.concurrent.ThreadLocalRandom.current().nextInt(this.entries);
		this.kv.put(this.keys[i], Data.value(this.values, i + 1));
	}

	/**
	 * Called once the store is loaded, before the first measurement.
	 */
	protected void loaded() {
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		closeAndDelete();
	}

}
