package io.persistentdict.engine;

/**
 * A stored row.
 *
 * @param key the encoded key
 * @param value the stored value bytes, header included
 * @param expiresAt when it expires, in epoch milliseconds, or 0 for never
 */
public record Row(Object key, byte[] value, long expiresAt) {

	/**
	 * Return whether the row is live at a time.
	 * @param now the time, in epoch milliseconds
	 * @return whether it has not expired
	 */
	public boolean isLive(long now) {
		return this.expiresAt == 0 || this.expiresAt > now;
	}

}
