package io.persistentdict.engine;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import io.persistentdict.codec.CodecException;
import org.jspecify.annotations.Nullable;

/**
 * The stored form of a value: one header byte, then the payload. The header's low 7 bits
 * name the codec that wrote the payload, and its high bit says whether the payload is
 * deflated. Rows therefore stay readable when a dict's codec or compression settings
 * change.
 *
 * <p>
 * Public for the neutral layer and for tools that read stored values without the
 * application's classes ({@code io.persistentdict.tools}); not for applications.
 */
public final class ValueFormat {

	/** The header bit that says the payload is deflated. */
	public static final int COMPRESSED = 0x80;

	/** The tag of a codec that is not built in: the catalog names it. */
	public static final int CUSTOM = 0;

	private static final String[] BUILTIN = { "", "bytes", "string", "long", "int", "double", "boolean", "java",
			"json" };

	/**
	 * Refuse to inflate more than this: a damaged or hostile row must not exhaust memory.
	 */
	private static final int MAX_INFLATED = 512 * 1024 * 1024;

	private ValueFormat() {
	}

	/**
	 * Return the tag of a codec id.
	 * @param codecId the codec's id
	 * @return its tag, or {@link #CUSTOM} for a codec that is not built in
	 */
	public static int tagOf(String codecId) {
		for (int i = 1; i < BUILTIN.length; i++) {
			if (BUILTIN[i].equals(codecId)) {
				return i;
			}
		}
		return CUSTOM;
	}

	/**
	 * Return the codec id of a tag.
	 * @param tag the tag
	 * @return the built-in codec's id, or {@code custom}
	 */
	public static String codecIdOf(int tag) {
		return (tag > 0 && tag < BUILTIN.length) ? BUILTIN[tag] : "custom";
	}

	/**
	 * Return the stored form of a payload: its header, then the payload, deflated when it
	 * reaches the threshold and deflating saves enough.
	 * @param payload the codec's output
	 * @param tag the codec's tag
	 * @param compressionThreshold the dict's threshold, or a negative number for never
	 * @return the stored bytes
	 */
	public static byte[] write(byte[] payload, int tag, int compressionThreshold) {
		if (compressionThreshold >= 0 && payload.length >= compressionThreshold && payload.length > 32) {
			byte[] compressed = deflate(payload);
			if (compressed != null) {
				return prefix((byte) (tag | COMPRESSED), compressed, compressed.length);
			}
		}
		return prefix((byte) tag, payload, payload.length);
	}

	/**
	 * Return the tag of the codec that wrote a stored value.
	 * @param stored the stored bytes
	 * @return the tag
	 * @throws CodecException if the value has no header
	 */
	public static int tag(byte[] stored) {
		checkHeader(stored);
		return stored[0] & ~COMPRESSED & 0xFF;
	}

	/**
	 * Return whether a stored value's payload is deflated.
	 * @param stored the stored bytes
	 * @return whether it is
	 * @throws CodecException if the value has no header
	 */
	public static boolean isCompressed(byte[] stored) {
		checkHeader(stored);
		return (stored[0] & COMPRESSED) != 0;
	}

	/**
	 * Return a stored value's payload, inflated if it was deflated.
	 * @param stored the stored bytes
	 * @return the codec's bytes
	 * @throws CodecException if the value has no header or does not inflate
	 */
	public static byte[] payload(byte[] stored) {
		if (isCompressed(stored)) {
			return inflate(stored);
		}
		return Arrays.copyOfRange(stored, 1, stored.length);
	}

	private static void checkHeader(byte[] stored) {
		if (stored.length == 0) {
			throw new CodecException("stored value is empty: it has no header byte");
		}
	}

	private static byte[] prefix(byte header, byte[] payload, int length) {
		byte[] stored = new byte[length + 1];
		stored[0] = header;
		System.arraycopy(payload, 0, stored, 1, length);
		return stored;
	}

	/**
	 * A deflater per thread, reset between values: creating one costs more than using it.
	 */
	private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal
		.withInitial(() -> new Deflater(Deflater.BEST_SPEED));

	/** Bytes looked at first, to see whether the value compresses at all. */
	private static final int SAMPLE = 512;

	/**
	 * Return the deflated bytes, or {@code null} unless deflating saves at least an
	 * eighth. A value whose first bytes use more than 200 of the 256 byte values (random,
	 * already compressed or encrypted data: text, JSON and serialized objects use far
	 * fewer) is not deflated at all; counting them costs a fraction of trying.
	 */
	private static byte @Nullable [] deflate(byte[] payload) {
		if (looksIncompressible(payload)) {
			return null;
		}
		byte[] buffer = new byte[payload.length - payload.length / 8];
		int length = deflate(DEFLATERS.get(), payload, payload.length, buffer);
		return (length < 0) ? null : Arrays.copyOf(buffer, length);
	}

	private static boolean looksIncompressible(byte[] payload) {
		int sample = Math.min(payload.length, SAMPLE);
		long[] seen = new long[4];
		int distinct = 0;
		for (int i = 0; i < sample; i++) {
			int b = payload[i] & 0xFF;
			long bit = 1L << (b & 63);
			if ((seen[b >>> 6] & bit) == 0) {
				seen[b >>> 6] |= bit;
				distinct++;
			}
		}
		// 512 random bytes show about 221 distinct values
		return distinct > 200;
	}

	/** Deflate the first {@code length} bytes into {@code out}; -1 if they do not fit. */
	private static int deflate(Deflater deflater, byte[] payload, int length, byte[] out) {
		deflater.reset();
		deflater.setInput(payload, 0, length);
		deflater.finish();
		int written = 0;
		while (!deflater.finished() && written < out.length) {
			written += deflater.deflate(out, written, out.length - written);
		}
		return deflater.finished() ? written : -1;
	}

	private static byte[] inflate(byte[] stored) {
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(stored, 1, stored.length - 1);
			ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 3);
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int n = inflater.inflate(buffer);
				if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new CodecException("compressed value is truncated");
				}
				out.write(buffer, 0, n);
				if (out.size() > MAX_INFLATED) {
					throw new CodecException("compressed value inflates to more than 512 MiB");
				}
			}
			return out.toByteArray();
		}
		catch (DataFormatException ex) {
			throw new CodecException("compressed value is damaged: " + ex.getMessage(), ex);
		}
		finally {
			inflater.end();
		}
	}

}
