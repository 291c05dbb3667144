package io.persistentdict.sample;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset that tests move forward, so that entries expire without
 * sleeping.
 */
public final class MutableClock implements InstantSource {

	private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

	@Override
	public Instant instant() {
		return Instant.now().plus(this.offset.get());
	}

	/**
	 * Move the clock forward.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		this.offset.accumulateAndGet(duration, Duration::plus);
	}

}
