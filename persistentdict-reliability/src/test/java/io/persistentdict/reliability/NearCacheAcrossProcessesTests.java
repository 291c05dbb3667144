package io.persistentdict.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache stays correct when another process writes the file: once the check
 * interval has passed after the other process's commit, a read returns the new value.
 */
class NearCacheAcrossProcessesTests {

	private static final Duration INTERVAL = Duration.ofMillis(5);

	@TempDir
	Path dir;

	@Test
	void writesOfAnotherProcessShouldBeSeenWithinTheCheckInterval() throws Exception {
		Path file = this.dir.resolve("near.db");
		try (DictStore store = DictStore.open(file, StoreOptions.builder().nearCacheCheckInterval(INTERVAL).build())) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("hot", String.class, String.class).withNearCache(1000));
			for (int round = 1; round <= 5; round++) {
				String before = "v" + (round - 1);
				dict.put("k", before);
				// the first read caches the value: after two reads it is surely cached,
				// and the third is served from it, not from SQLite
				assertThat(dict.get("k")).isEqualTo(before);
				assertThat(dict.get("k")).isEqualTo(before);
				long nearHits = dict.stats().nearHits();
				assertThat(dict.get("k")).isEqualTo(before);
				assertThat(dict.stats().nearHits()).as("round %d, near hits of the read before the other write", round)
					.isEqualTo(nearHits + 1);
				String after = "v" + round;
				try (ChildJvm child = ChildJvm.start(Writer.class, ChildJvm.LEAN, this.dir.resolve("child.err"),
						(line) -> {
						}, file.toString(), after)) {
					assertThat(child.awaitExit(60)).isZero();
					assertThat(child.lines()).contains("WRITTEN " + after);
				}
				// the other process committed before it printed; wait out the bound
				TimeUnit.MILLISECONDS.sleep(INTERVAL.toMillis() + 1);
				assertThat(dict.get("k")).as("round %d, after the interval", round).isEqualTo(after);
			}
		}
		Report.section("near-cache", List.of("a near-cached key written by another process was read back with"
				+ " the new value once the 5 ms check interval had passed, in 5 of 5 rounds"));
	}

	/**
	 * The other process: writes one value and says so after the commit.
	 */
	public static final class Writer {

		private Writer() {
		}

		public static void main(String[] args) {
			try (DictStore store = DictStore.open(Path.of(args[0]))) {
				store.dict("hot", String.class, String.class).put("k", args[1]);
			}
			System.out.println("WRITTEN " + args[1]);
		}

	}

}
