package io.persistentdict.benchmarks.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.persistentdict.Layout;
import io.persistentdict.Synchronous;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each embedded peer's adapter does what the benchmarks assume: a put is read back, a
 * bulk put is counted and iterated, and the SQLite peers survive a reopen and purge what
 * expired. The PostgreSQL peers run on {@code TestPostgres}'s server, as in the
 * benchmark. Redis needs a server, so it is left to the benchmark run.
 */
class PeerTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(value = Peer.class, names = { "REDIS_ALWAYS", "REDIS_EVERYSEC", "REDIS_RESTART" },
			mode = EnumSource.Mode.EXCLUDE)
	void putThenGetReturnsTheValue(Peer peer) {
		Peer.Config config = new Peer.Config(this.dir, Synchronous.NORMAL, Layout.AUTO, 100);
		try (Kv kv = peer.open(config)) {
			kv.put("a", new byte[] { 1, 2, 3 });
			kv.putAll(Map.of("b", new byte[] { 4 }, "c", new byte[] { 5, 6 }));
			assertThat(kv.get("a")).containsExactly(1, 2, 3);
			assertThat(kv.get("c")).containsExactly(5, 6);
			assertThat(kv.get("missing")).isNull();
			// the control with its count triggers dropped counts only what counts
			// itself, by design: the putAll's two new rows, not the put
			assertThat(kv.size()).isEqualTo((peer != Peer.PG_DICT_NO_COUNTS) ? 3 : 2);
			assertThat(kv.iterate()).isEqualTo(3 + 6);
		}
		if (peer.persists() && peer != Peer.EHCACHE && !peer.postgres()) {
			// Ehcache persists only the disk tier of a cleanly closed manager, and does;
			// a PostgreSQL peer opens a database of its own each time
			try (Kv kv = peer.open(config)) {
				assertThat(kv.get("a")).containsExactly(1, 2, 3);
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = Peer.class, names = { "RAW", "DICT" })
	void purgeDeletesOnlyExpiredEntries(Peer peer) {
		for (Layout layout : new Layout[] { Layout.COMPACT, Layout.ROWID }) {
			Path sub = this.dir.resolve(layout.name());
			sub.toFile().mkdirs();
			AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
			InstantSource clock = now::get;
			try (Kv kv = peer.open(new Peer.Config(sub, Synchronous.NORMAL, layout, 100, clock))) {
				kv.putAll(Map.of("live", new byte[] { 1 }));
				kv.putAll(Map.of("x1", new byte[] { 2 }, "x2", new byte[] { 3 }), Duration.ofSeconds(1));
				assertThat(kv.get("x1")).containsExactly(2);
				assertThat(kv.purgeExpired()).isZero();
				now.set(now.get().plusSeconds(1));
				assertThat(kv.get("x1")).isNull();
				assertThat(kv.purgeExpired()).isEqualTo(2);
				assertThat(kv.size()).isEqualTo(1);
				byte[] previous = kv.putReturning("live", new byte[] { 9 });
				if (peer == Peer.RAW) {
					// INSERT OR REPLACE reads nothing: Kv's default returns null
					assertThat(previous).as("RAW returns no previous value").isNull();
				}
				else {
					// Map.put semantics: the live value it replaced
					assertThat(previous).as("DICT returns the replaced live value").containsExactly(1);
				}
				assertThat(kv.get("live")).containsExactly(9);
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = Peer.class, names = { "PG_RAW", "PG_RAW_COPY", "PG_DICT", "PG_DICT_NO_GROUP" })
	void postgresPeersReturnThePreviousValueAndUpsertInBulk(Peer peer) {
		try (Kv kv = peer.open(new Peer.Config(this.dir, Synchronous.FULL, Layout.AUTO, 100))) {
			assertThat(kv.putReturning("a", new byte[] { 1 })).isNull();
			assertThat(kv.putReturning("a", new byte[] { 2 })).containsExactly(1);
			Map<String, byte[]> many = new java.util.LinkedHashMap<>();
			for (int i = 0; i < 12_000; i++) {
				many.put("k" + i, new byte[] { (byte) i, 0, (byte) 0xff, '\\', '\t' });
			}
			many.put("a", new byte[] { 3 });
			kv.putAll(many);
			// a second putAll over the same keys upserts them
			kv.putAll(many);
			assertThat(kv.size()).isEqualTo(12_001);
			assertThat(kv.get("a")).containsExactly(3);
			assertThat(kv.get("k11999")).containsExactly((byte) 11999, 0, (byte) 0xff, '\\', '\t');
		}
	}

}
