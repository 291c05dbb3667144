package io.persistentdict.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serialized streams to plant in a store: ordinary, with a class that no longer exists,
 * or carrying a gadget.
 */
final class Serialized {

	private Serialized() {
	}

	/** A value class of this test suite; its package is not on any default allow-list. */
	record Note(String text) implements Serializable {

	}

	static byte[] of(Object value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Serialize a value, then rename its class in the stream to a name of the same length
	 * that no class has.
	 */
	static byte[] ofRenamedClass(Object value, String from, String to) {
		if (from.length() != to.length()) {
			throw new IllegalArgumentException("names must have the same length");
		}
		byte[] stream = of(value);
		byte[] find = from.getBytes(StandardCharsets.UTF_8);
		byte[] replace = to.getBytes(StandardCharsets.UTF_8);
		outer: for (int i = 0; i <= stream.length - find.length; i++) {
			for (int j = 0; j < find.length; j++) {
				if (stream[i + j] != find[j]) {
					continue outer;
				}
			}
			System.arraycopy(replace, 0, stream, i, replace.length);
			return stream;
		}
		throw new IllegalStateException(from + " is not in the stream");
	}

}
