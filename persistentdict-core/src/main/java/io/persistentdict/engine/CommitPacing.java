package io.persistentdict.engine;

import java.util.Queue;

/**
 * How long a group commit's leader waits for companions before it commits. Used by one
 * thread at a time, with the write lock held.
 */
final class CommitPacing {

	/**
	 * How many commits may fall short of {@link #recentMaxBatch} before it is taken as
	 * the new count of active writers.
	 */
	private static final int WRITERS_MEMORY = 64;

	/**
	 * The most operations a recent commit carried: about how many writers are active.
	 */
	private int recentMaxBatch;

	/** Commits since {@link #recentMaxBatch} was last reached. */
	private int commitsSinceMax;

	/** A moving average of the time a commit takes. */
	private long commitNanos;

	/**
	 * When recent commits were shared, give the writers the last commit released a moment
	 * to queue their next operation, so that this commit carries them too (PostgreSQL's
	 * {@code commit_delay}). The leader waits for as many as the largest recent commit
	 * carried, for at most half the average commit time, and yields its CPU to them
	 * rather than spinning or sleeping: on two cores a spin starves them, and a sleep
	 * oversleeps. A lone writer never waits; one left alone after a burst waits at most
	 * half a commit, for at most {@link #WRITERS_MEMORY} commits.
	 * <p>
	 * Without the wait, 4 writers at {@code synchronous=NORMAL} fell into commits of 1, 2
	 * and 3 writes in turn (2.0 a commit): the leader, back first, committed whatever had
	 * queued. With it nearly every commit carries all 4, and the rate rose from
	 * 120-130k/s to 135-170k/s in the machine's slow phases, the same in its fast ones
	 * (JMH, interleaved runs). An earlier wait keyed on the last commit's size alone
	 * locked itself into that pattern.
	 */
	void awaitCompanions(Queue<?> queue, int maxBatch) {
		int expected = Math.min(this.recentMaxBatch, maxBatch);
		if (expected < 2) {
			return;
		}
		long deadline = System.nanoTime() + this.commitNanos / 2;
		while (queue.size() < expected && System.nanoTime() < deadline) {
			Thread.yield();
		}
	}

	/**
	 * Note a commit.
	 * @param size how many operations it carried
	 * @param nanos how long it took, or -1 for a lone statement outside a transaction
	 */
	void committed(int size, long nanos) {
		if (nanos >= 0) {
			// a moving average of the commit time bounds how long the next leader waits
			this.commitNanos += (nanos - this.commitNanos) / 8;
		}
		if (size >= this.recentMaxBatch) {
			this.recentMaxBatch = size;
			this.commitsSinceMax = 0;
		}
		else if (++this.commitsSinceMax > WRITERS_MEMORY) {
			// fewer writers now: forget the old peak
			this.recentMaxBatch = size;
			this.commitsSinceMax = 0;
		}
	}

}
