package io.persistentdict.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;

import org.jspecify.annotations.Nullable;

/**
 * Java serialization, with an {@link java.io.ObjectInputFilter} allow-list on every read.
 *
 * @param <T> the value type
 */
final class JavaSerializationCodec<T> implements Codec<T> {

	private final Class<T> type;

	private final TypeAllowList allowList;

	private final @Nullable ClassLoader classLoader;

	JavaSerializationCodec(Class<T> type, TypeAllowList allowList, @Nullable ClassLoader classLoader) {
		this.type = type;
		this.allowList = allowList;
		this.classLoader = classLoader;
	}

	@Override
	public byte[] encode(T value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
		try (ObjectOutputStream out = new CheckingOutputStream(bytes, this.allowList)) {
			out.writeObject(value);
		}
		catch (NotSerializableException ex) {
			throw new CodecException("class " + ex.getMessage()
					+ " is not Serializable: implement java.io.Serializable or choose the json codec", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public T decode(byte[] bytes) {
		String[] refused = new String[1];
		try (ObjectInputStream in = new LoaderAwareInputStream(new ByteArrayInputStream(bytes), this.classLoader)) {
			in.setObjectInputFilter((info) -> {
				ObjectInputFilter.Status status = this.allowList.checkInput(info);
				if (status == ObjectInputFilter.Status.REJECTED) {
					refused[0] = (info.serialClass() != null) ? info.serialClass().getName()
							: "(nesting deeper than " + TypeAllowList.MAX_DEPTH + ")";
				}
				return status;
			});
			Object value = in.readObject();
			if (!this.type.isInstance(value)) {
				throw new IllegalArgumentException(
						"stored value is a " + value.getClass().getName() + ", not a " + this.type.getName());
			}
			return this.type.cast(value);
		}
		catch (InvalidClassException ex) {
			// names the class only: "filter status: REJECTED" or a serialVersionUID
			// mismatch
			String refusedClass = (refused[0] != null) ? refused[0] : ex.classname;
			throw new CodecException("deserialization refused class " + refusedClass + " ("
					+ ex.getClass().getSimpleName() + "); if it is yours, add its package to the allowed types", ex);
		}
		catch (ClassNotFoundException ex) {
			throw new CodecException(
					"class " + ex.getMessage() + " no longer exists; the value was written by an older version", ex);
		}
		catch (IOException ex) {
			// the stream's own message may quote the bytes: keep it out
			throw new CodecException("bytes are not a valid serialized object (" + ex.getClass().getSimpleName() + ")");
		}
	}

	@Override
	public String id() {
		return "java";
	}

	@Override
	public String toString() {
		return "Codec[java " + this.type.getName() + ", allowed " + this.allowList.patterns() + "]";
	}

	/**
	 * Resolves classes with a given class loader (such as Spring Boot DevTools' restart
	 * loader) instead of the one Java serialization finds on the call stack.
	 */
	private static final class LoaderAwareInputStream extends ObjectInputStream {

		private final @Nullable ClassLoader classLoader;

		LoaderAwareInputStream(java.io.InputStream in, @Nullable ClassLoader classLoader) throws IOException {
			super(in);
			this.classLoader = classLoader;
		}

		@Override
		protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
			if (this.classLoader == null) {
				return super.resolveClass(desc);
			}
			try {
				return Class.forName(desc.getName(), false, this.classLoader);
			}
			catch (ClassNotFoundException ex) {
				// primitives and the JDK's own classes
				return super.resolveClass(desc);
			}
		}

	}

	/**
	 * Refuses, when a value is written, every class that the allow-list would refuse when
	 * it is read back, so that a bad value fails at {@code put} and not at every later
	 * {@code get}.
	 */
	private static final class CheckingOutputStream extends ObjectOutputStream {

		private final TypeAllowList allowList;

		CheckingOutputStream(java.io.OutputStream out, TypeAllowList allowList) throws IOException {
			super(out);
			this.allowList = allowList;
			enableReplaceObject(true);
		}

		@Override
		protected Object replaceObject(Object obj) throws IOException {
			if (obj instanceof java.io.ObjectStreamException) {
				// the stream writing its own failure, such as NotSerializableException
				return obj;
			}
			for (Class<?> type = obj.getClass(); type != null
					&& java.io.Serializable.class.isAssignableFrom(type); type = type.getSuperclass()) {
				if (!this.allowList.allows(type)) {
					throw new CodecException("class " + type.getName()
							+ " is not on the deserialization allow-list, so it could never be read back; add it"
							+ " (or its package) to the allowed types");
				}
			}
			return obj;
		}

	}

}
