package io.persistentdict;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens stores on the engine under test, for the contract tests: a store is known by a
 * name, so that a test can close it and open it again. An engine's module gives its own.
 */
public abstract class StoreFixture implements AutoCloseable {

	private final AtomicInteger fresh = new AtomicInteger();

	/**
	 * Open (or create) the store of a name.
	 * @param name the name, unique within the fixture
	 * @param options the options
	 * @return the store
	 */
	public abstract DictStore open(String name, StoreOptions options);

	/**
	 * Open (or create) the store of a name, with the default options.
	 * @param name the name
	 * @return the store
	 */
	public DictStore open(String name) {
		return open(name, StoreOptions.defaults());
	}

	/**
	 * Open a new, empty store.
	 * @param options the options
	 * @return the store
	 */
	public DictStore fresh(StoreOptions options) {
		return open("fresh-" + this.fresh.incrementAndGet(), options);
	}

	/**
	 * Open a new, empty store with the default options.
	 * @return the store
	 */
	public DictStore fresh() {
		return fresh(StoreOptions.defaults());
	}

	/**
	 * Release what the fixture made; the stores it opened are closed by the tests.
	 */
	@Override
	public abstract void close();

}
