package io.persistentdict;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that tests advance by hand: no sleeping for TTLs.
 */
final class MutableClock implements InstantSource {

	private final AtomicLong millis;

	MutableClock(Instant start) {
		this.millis = new AtomicLong(start.toEpochMilli());
	}

	static MutableClock atNow() {
		return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
	}

	void advance(Duration duration) {
		this.millis.addAndGet(duration.toMillis());
	}

	@Override
	public Instant instant() {
		return Instant.ofEpochMilli(this.millis.get());
	}

	@Override
	public long millis() {
		return this.millis.get();
	}

}
