package io.persistentdict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files written by earlier versions open and read as they were written. The file in the
 * test resources was written by the version before the engine interface (schema 1): a
 * {@code ROWID} dict with a compressed value and a TTL, a {@code COMPACT} dict, and a
 * cache with {@code UUID} keys.
 */
class FileCompatibilityTests {

	@TempDir
	Path dir;

	@Test
	void aFileOfSchemaOneShouldOpenAndReadAsItWasWritten() throws IOException {
		Path file = copy("written-by-0.1-schema-1.db");
		StoreOptions options = StoreOptions.builder()
			.clock(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")))
			.build();
		try (DictStore store = DictStore.open(file, options)) {
			assertThat(store.dictNames()).containsExactlyInAnyOrder("users", "counters");
			assertThat(store.dictNames("cache")).containsExactly("blobs");
			PersistentDict<String, String> users = store
				.dict(DictSpec.of("users", String.class, String.class).withCompressionThreshold(64));
			assertThat(users)
				.containsExactlyInAnyOrderEntriesOf(Map.of("u1", "alice", "u2", "bob".repeat(100), "t1", "expires"));
			assertThat(users.expiresAt("t1")).contains(Instant.parse("2125-12-08T00:00:00Z"));
			PersistentDict<Long, Long> counters = store.dict("counters", Long.class, Long.class);
			assertThat(counters.keySet()).containsExactly(1L, 2L);
			assertThat(counters.merge(1L, 5L, Long::sum)).isEqualTo(15L);
			PersistentDict<UUID, byte[]> blobs = store
				.dict(DictSpec.of("blobs", UUID.class, byte[].class).withNamespace("cache"));
			assertThat(blobs.get(UUID.fromString("00000000-0000-0000-0000-000000000001"))).containsExactly(1, 2, 3);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
	}

	private Path copy(String resource) throws IOException {
		Path file = this.dir.resolve(resource);
		try (InputStream in = getClass().getResourceAsStream("/files/" + resource)) {
			assertThat(in).as(resource).isNotNull();
			Files.copy(in, file);
		}
		return file;
	}

}
