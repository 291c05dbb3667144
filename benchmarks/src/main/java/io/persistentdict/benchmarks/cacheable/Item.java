package io.persistentdict.benchmarks.cacheable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * What the cached method returns: a small {@link Serializable} record, about 100 bytes of
 * fields.
 *
 * @param key the key it was loaded for
 * @param version a version number
 * @param payload 64 characters of text
 */
public record Item(String key, long version, String payload) implements Serializable {

	/** The payload every item carries. */
	public static final String PAYLOAD = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

	/**
	 * Return the size of an item in Java serialization, as both the java codec and
	 * {@code JdkSerializationRedisSerializer} store it.
	 * @return the size in bytes
	 */
	public static int serializedSize() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(new Item("user:00001234", 1, PAYLOAD));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.size();
	}

}
