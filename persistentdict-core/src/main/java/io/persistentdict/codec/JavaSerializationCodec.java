package io.persistentdict.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

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
		try (ObjectInputStream in = new LoaderAwareInputStream(new ByteArrayInputStream(bytes), loaders())) {
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
			// names only the class: "filter status: REJECTED", or a changed
			// serialVersionUID
			String refusedClass = (refused[0] != null) ? refused[0] : ex.classname;
			throw new CodecException("deserialization refused class " + refusedClass + " ("
					+ ex.getClass().getSimpleName() + "); if it is yours, add its package to the allowed types", ex);
		}
		catch (ClassNotFoundException ex) {
			throw new CodecException("class " + ex.getMessage() + " is not visible to the class loaders tried ("
					+ "the value type's, the thread's context class loader and persistentdict's own): it was removed"
					+ " or renamed since the value was written, or it is loaded by a class loader none of them sees;"
					+ " give the store that class loader (StoreOptions.classLoader)", ex);
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
	 * The class loaders to resolve serialized classes with, in order: the one the store
	 * was given (such as Spring Boot DevTools' restart loader), else the value type's
	 * (which sees the application's classes when the library's own loader does not: a
	 * plugin or module loader, an app server, {@code java Program.java}), then the
	 * thread's context class loader.
	 */
	private List<ClassLoader> loaders() {
		List<ClassLoader> loaders = new ArrayList<>(3);
		if (this.classLoader != null) {
			loaders.add(this.classLoader);
		}
		else {
			if (this.type.getClassLoader() != null) {
				loaders.add(this.type.getClassLoader());
			}
			ClassLoader context = Thread.currentThread().getContextClassLoader();
			if (context != null && !loaders.contains(context)) {
				loaders.add(context);
			}
		}
		return loaders;
	}

	/**
	 * Resolves classes with the given class loaders, then as Java serialization does (the
	 * loader it finds on the call stack: persistentdict's own).
	 */
	private static final class LoaderAwareInputStream extends ObjectInputStream {

		private final List<ClassLoader> loaders;

		LoaderAwareInputStream(InputStream in, List<ClassLoader> loaders) throws IOException {
			super(in);
			this.loaders = loaders;
		}

		@Override
		protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
			for (ClassLoader loader : this.loaders) {
				try {
					return Class.forName(desc.getName(), false, loader);
				}
				catch (ClassNotFoundException ex) {
					// the next loader; primitives and the JDK's own classes come last
				}
			}
			return super.resolveClass(desc);
		}

	}

	/**
	 * Refuses, when a value is written, every class that the allow-list would refuse when
	 * it is read back, so that a bad value fails at {@code put} and not at every later
	 * {@code get}.
	 */
	private static final class CheckingOutputStream extends ObjectOutputStream {

		private final TypeAllowList allowList;

		CheckingOutputStream(OutputStream out, TypeAllowList allowList) throws IOException {
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
