package io.persistentdict;

/**
 * Receives events as they happen, for metrics. Every method has a no-op default. An
 * exception thrown by a recorder is logged and swallowed: it never fails a read or a
 * write.
 */
public interface StatsRecorder {

	/**
	 * Called after a sweep deleted expired entries of a dict.
	 * @param dict the dict's qualified name
	 * @param deleted how many
	 * @param nanos how long the sweep of this dict took
	 */
	default void recordSweep(String dict, long deleted, long nanos) {
	}

	/**
	 * Called after a vacuum.
	 * @param full whether it was a full {@code VACUUM}
	 * @param nanos how long it took
	 */
	default void recordVacuum(boolean full, long nanos) {
	}

	/**
	 * Called after a group commit.
	 * @param operations how many operations shared the commit
	 * @param nanos how long the transaction took
	 */
	default void recordCommit(int operations, long nanos) {
	}

	/**
	 * Return the recorder that does nothing.
	 * @return the recorder
	 */
	static StatsRecorder none() {
		return NoOp.INSTANCE;
	}

	/**
	 * The recorder that does nothing.
	 */
	enum NoOp implements StatsRecorder {

		/** The instance. */
		INSTANCE

	}

}
