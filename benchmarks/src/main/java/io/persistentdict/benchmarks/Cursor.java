package io.persistentdict.benchmarks;

import java.util.concurrent.ThreadLocalRandom;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A thread's position in a precomputed access sequence, starting at a random place so
 * that threads do not walk in step.
 */
@State(Scope.Thread)
public class Cursor {

	private int position = ThreadLocalRandom.current().nextInt(Data.SAMPLES);

	/**
	 * Return the next position.
	 * @return an index into a sequence of {@link Data#SAMPLES} samples
	 */
	public int next() {
		return (this.position++) & (Data.SAMPLES - 1);
	}

}
