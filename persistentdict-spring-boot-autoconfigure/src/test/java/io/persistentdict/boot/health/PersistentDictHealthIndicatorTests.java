package io.persistentdict.boot.health;

import io.persistentdict.DictStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the health indicator shows of figures an engine does not have.
 */
class PersistentDictHealthIndicatorTests {

	@Test
	void figuresTheEngineDoesNotHaveShouldBeLeftOutInsteadOfShownAsMinusOne() {
		try (DictStore store = DictStore.inMemory()) {
			// an in-memory store has no disk of its own: its free disk space is -1; and
			// no
			// file: its location is shown instead of a path
			assertThat(store.stats().freeDiskSpace()).isEqualTo(-1);
			Health health = new PersistentDictHealthIndicator(store, DataSize.ofMegabytes(1)).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKeys("location", "fileSize", "walSize", "dicts")
				.doesNotContainKeys("freeDiskSpace", "path");
		}
	}

}
