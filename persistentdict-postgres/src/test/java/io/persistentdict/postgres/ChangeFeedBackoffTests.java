package io.persistentdict.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener's wait between attempts to listen: it doubles while attempts fail, and
 * starts again after a session that listened.
 */
class ChangeFeedBackoffTests {

	@Test
	void failedAttemptsShouldDoubleTheWaitUpToTheMost() {
		long wait = 0;
		StringBuilder waits = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			wait = PgChangeFeed.nextBackoff(wait, false);
			waits.append(wait).append(' ');
		}
		assertThat(waits.toString().trim()).isEqualTo("50 100 200 400 800 1600 2000 2000");
	}

	@Test
	void sessionThatListenedShouldStartTheWaitAgain() {
		// the bug: after a few dropped sessions, each of which had listened, every
		// reconnection waited the most, 2 s, as if the server had been down all along
		long wait = 0;
		for (int drop = 1; drop <= 30; drop++) {
			wait = PgChangeFeed.nextBackoff(wait, true);
			assertThat(wait).as("wait after drop %d", drop).isEqualTo(PgChangeFeed.MIN_BACKOFF_MILLIS);
		}
		long failing = PgChangeFeed.nextBackoff(PgChangeFeed.nextBackoff(wait, false), false);
		assertThat(failing).isEqualTo(200);
		assertThat(PgChangeFeed.nextBackoff(failing, true)).isEqualTo(PgChangeFeed.MIN_BACKOFF_MILLIS);
	}

}
