package io.persistentdict.reliability;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock the tests advance by hand: expiry is tested without sleeping.
 */
final class FakeClock implements InstantSource {

	private final AtomicLong millis;

	FakeClock(long start) {
		this.millis = new AtomicLong(start);
	}

	void advance(long delta) {
		this.millis.addAndGet(delta);
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
