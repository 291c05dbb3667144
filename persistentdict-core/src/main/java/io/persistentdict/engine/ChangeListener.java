package io.persistentdict.engine;

/**
 * Receives what a {@link ChangeFeed} learns of other connections' commits. The neutral
 * layer's near caches implement it.
 */
public interface ChangeListener {

	/** The listener that ignores every change. */
	ChangeListener IGNORE = new ChangeListener() {

		@Override
		public void clearAll() {
		}

		@Override
		public void clear(String dict) {
		}

		@Override
		public void invalidate(String dict, Object key) {
		}

	};

	/**
	 * Something may have changed anywhere: forget every cached entry.
	 */
	void clearAll();

	/**
	 * Something may have changed in one dict.
	 * @param dict the dict's qualified name
	 */
	void clear(String dict);

	/**
	 * One key of one dict may have changed.
	 * @param dict the dict's qualified name
	 * @param key the encoded key
	 */
	void invalidate(String dict, Object key);

}
