package io.persistentdict.boot.autoconfigure;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;

import io.persistentdict.DictStore;
import io.persistentdict.StoreOptions;
import io.persistentdict.boot.autoconfigure.StoreProperties.StoreType;
import io.persistentdict.codec.Codec;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.unit.DataSize;

/**
 * Opens the auto-configured stores and resolves codecs by name, applying the
 * serialization allow-list, the clock and every {@link DictStoreOptionsCustomizer}. A
 * store of {@code type=jdbc} connects to its {@code DataSource}; the pools built for
 * {@code jdbc.url} are closed with the factory.
 *
 * @author persistentdict
 */
public class DictStoreFactory implements AutoCloseable {

	private static final Set<String> BUILTIN_CODECS = Set.of("java", "json", "string", "bytes", "long", "int", "double",
			"boolean");

	private final List<String> allowedTypes;

	private final @Nullable InstantSource clock;

	private final List<DictStoreOptionsCustomizer> customizers;

	private final BeanFactory beanFactory;

	private final @Nullable Binder binder;

	private final @Nullable JdbcStores jdbcStores;

	/**
	 * Create a factory of SQLite stores only: a store of {@code type=jdbc} is refused.
	 * @param allowedTypes the patterns the java codec accepts
	 * @param clock the clock, or {@code null} for the system's
	 * @param customizers the customizers of every store's options
	 * @param beanFactory the bean factory, for codec beans and the class loader
	 */
	public DictStoreFactory(List<String> allowedTypes, @Nullable InstantSource clock,
			List<DictStoreOptionsCustomizer> customizers, BeanFactory beanFactory) {
		this(allowedTypes, clock, customizers, beanFactory, null, null);
	}

	DictStoreFactory(List<String> allowedTypes, @Nullable InstantSource clock,
			List<DictStoreOptionsCustomizer> customizers, BeanFactory beanFactory, @Nullable Binder binder,
			@Nullable JdbcStores jdbcStores) {
		this.allowedTypes = List.copyOf(allowedTypes);
		this.clock = clock;
		this.customizers = List.copyOf(customizers);
		this.beanFactory = beanFactory;
		this.binder = binder;
		this.jdbcStores = jdbcStores;
	}

	/**
	 * Open a store.
	 * @param name the store's name
	 * @param properties its settings
	 * @return the open store
	 */
	public DictStore open(String name, StoreProperties properties) {
		if (this.binder != null) {
			StoreKeys.check(this.binder, name, properties);
		}
		StoreOptions.Builder options = StoreOptions.builder()
			.synchronous(properties.getSynchronous())
			.openMode(properties.getOpenMode())
			.allowedTypes(this.allowedTypes)
			.classLoader(classLoader());
		if (this.clock != null) {
			options.clock(this.clock);
		}
		if (properties.getType() == StoreType.JDBC) {
			if (this.jdbcStores == null) {
				throw new PersistentDictConfigurationException(StoreKeys.prefix(name) + ".type",
						"Store '" + name + "' is set to type=jdbc, but this DictStoreFactory opens SQLite files only.",
						"Let the auto-configuration create the DictStoreFactory bean.");
			}
			this.customizers.forEach((customizer) -> customizer.customize(name, options));
			return this.jdbcStores.connect(name, properties, options, classLoader());
		}
		options.busyTimeout(properties.getBusyTimeout())
			.readPoolSize(properties.getPool().getMaximumSize())
			.poolName("persistentdict-" + name);
		properties.getPragmas().forEach(options::pragma);
		this.customizers.forEach((customizer) -> customizer.customize(name, options));
		return DictStore.open(Path.of(properties.getPath()), options.build());
	}

	/**
	 * Close the connection pools built for stores with a {@code jdbc.url}. The stores
	 * themselves are beans of their own, closed before the factory.
	 */
	@Override
	public void close() {
		if (this.jdbcStores != null) {
			this.jdbcStores.close();
		}
	}

	/**
	 * Return the bean class loader, so that Java deserialization finds application
	 * classes under DevTools' restart class loader too.
	 * @return the class loader, or {@code null} for Java's default
	 */
	private @Nullable ClassLoader classLoader() {
		return (this.beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable.getBeanClassLoader()
				: null;
	}

	/**
	 * Return the patterns the java codec accepts on top of each dict's value type.
	 * @return the patterns
	 */
	public List<String> getAllowedTypes() {
		return this.allowedTypes;
	}

	/**
	 * Return a built-in codec, or the {@link Codec} bean with the given name.
	 * @param <V> the value type
	 * @param property the property that named the codec, for error messages
	 * @param name the codec's name
	 * @param type the value type
	 * @return the codec
	 * @throws PersistentDictConfigurationException if there is no such codec
	 */
	@SuppressWarnings("unchecked")
	public <V> Codec<V> codec(String property, String name, Class<V> type) {
		if (BUILTIN_CODECS.contains(name)) {
			try {
				return Codec.named(name, type, this.allowedTypes, classLoader());
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				throw new PersistentDictConfigurationException(property,
						"Codec '" + name + "' cannot be used for values of type " + type.getName() + ": "
								+ ex.getMessage(),
						"Set '" + property + "' to a codec that fits " + type.getName()
								+ " (java, json, string, bytes, long, int, double, boolean) or to the name of a Codec bean.");
			}
		}
		if (this.beanFactory.containsBean(name) && this.beanFactory.isTypeMatch(name, Codec.class)) {
			return this.beanFactory.getBean(name, Codec.class);
		}
		throw new PersistentDictConfigurationException(property,
				"Codec '" + name + "' set in '" + property + "' is neither a built-in codec nor a Codec bean.",
				"Use one of java, json, string, bytes, long, int, double, boolean, or define a bean named '" + name
						+ "' of type " + Codec.class.getName() + ".");
	}

	/**
	 * Turn a configured compression threshold into the core's setting.
	 * @param property the property, for error messages
	 * @param threshold the configured size
	 * @return bytes, or -1 to never compress
	 */
	public static int compressionThreshold(String property, DataSize threshold) {
		long bytes = threshold.toBytes();
		if (bytes < 0) {
			return -1;
		}
		if (bytes > Integer.MAX_VALUE) {
			throw new PersistentDictConfigurationException(property,
					"'" + property + "' is " + threshold + ", more than 2GB.", "Use a smaller threshold, such as 1KB.");
		}
		return (int) bytes;
	}

}
