package io.persistentdict.boot.autoconfigure.metrics;

import io.persistentdict.StatsRecorder;

/**
 * Calls two {@link StatsRecorder StatsRecorders}, so that the meters do not replace a
 * recorder that the application set in its own customizer. A failure of the first does
 * not keep the second from being called; it is rethrown afterwards, for the store to log.
 *
 * @author persistentdict
 */
final class CompositeStatsRecorder implements StatsRecorder {

	private final StatsRecorder first;

	private final StatsRecorder second;

	private CompositeStatsRecorder(StatsRecorder first, StatsRecorder second) {
		this.first = first;
		this.second = second;
	}

	/**
	 * Return a recorder that calls both, or just the second when the first does nothing.
	 * @param first the recorder already set, such as the application's
	 * @param second the recorder to add
	 * @return the recorder
	 */
	static StatsRecorder of(StatsRecorder first, StatsRecorder second) {
		return (first instanceof StatsRecorder.NoOp) ? second : new CompositeStatsRecorder(first, second);
	}

	@Override
	public void recordSweep(String dict, long deleted, long nanos) {
		both(() -> this.first.recordSweep(dict, deleted, nanos), () -> this.second.recordSweep(dict, deleted, nanos));
	}

	@Override
	public void recordVacuum(boolean full, long nanos) {
		both(() -> this.first.recordVacuum(full, nanos), () -> this.second.recordVacuum(full, nanos));
	}

	@Override
	public void recordCommit(int operations, long nanos) {
		both(() -> this.first.recordCommit(operations, nanos), () -> this.second.recordCommit(operations, nanos));
	}

	private static void both(Runnable first, Runnable second) {
		try {
			first.run();
		}
		finally {
			second.run();
		}
	}

}
