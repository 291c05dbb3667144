package io.persistentdict.engine;

/**
 * A stored row.
 *
 * @param key the encoded key
 * @param value the stored value bytes, header included
 * @param expiresAt when it expires, in epoch milliseconds, or 0 for never
 * @param stamp the row's order stamp on a stamped table (a value of the dict's
 * {@linkplain Totals#clock() logical clock}: when it was last written or, for
 * {@code LEAST_RECENTLY_USED}, read), or 0 where the table keeps none
 */
public record Row(Object key, byte[] value, long expiresAt, long stamp) {

	/**
	 * A row without a stamp.
	 * @param key the encoded key
	 * @param value the stored value bytes
	 * @param expiresAt when it expires, or 0 for never
	 */
	public Row(Object key, byte[] value, long expiresAt) {
		this(key, value, expiresAt, 0);
	}

	/**
	 * Return whether the row is live at a time.
	 * @param now the time, in epoch milliseconds
	 * @return whether it has not expired
	 */
	public boolean isLive(long now) {
		return this.expiresAt == 0 || this.expiresAt > now;
	}

}
