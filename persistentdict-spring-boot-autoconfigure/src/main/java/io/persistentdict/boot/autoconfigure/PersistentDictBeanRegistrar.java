package io.persistentdict.boot.autoconfigure;

import java.util.Map;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.boot.autoconfigure.PersistentDictProperties.MapDefinition;
import io.persistentdict.codec.Codec;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.beans.factory.BeanRegistry.SupplierContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Registers a {@link DictStore} bean for each {@code persistentdict.stores.<name>} and a
 * {@link PersistentDict} bean for each {@code persistentdict.maps.<name>}, with its
 * generic type, so that it is injectable by name and by type.
 *
 * @author persistentdict
 */
class PersistentDictBeanRegistrar implements BeanRegistrar {

	/** Start of the description of every map bean, used by the failure analyzer. */
	static final String MAP_DESCRIPTION = "persistentdict map from 'persistentdict.maps.";

	@Override
	public void register(BeanRegistry registry, Environment environment) {
		Binder binder = Binder.get(environment);
		Map<String, StoreProperties> stores = binder
			.bind("persistentdict.stores", Bindable.mapOf(String.class, StoreProperties.class))
			.orElse(Map.of());
		stores.forEach((name, store) -> registerStore(registry, name, store));
		Map<String, MapDefinition> maps = binder
			.bind("persistentdict.maps", Bindable.mapOf(String.class, MapDefinition.class))
			.orElse(Map.of());
		maps.forEach((name, map) -> registerMap(registry, name, map, stores));
	}

	private void registerStore(BeanRegistry registry, String name, StoreProperties store) {
		if (PersistentDictProperties.DEFAULT_STORE.equals(name)) {
			throw new PersistentDictConfigurationException("persistentdict.stores.default",
					"'persistentdict.stores.default' clashes with the default store.",
					"Configure the default store under 'persistentdict.store', or give this store another name.");
		}
		registry.registerBean(DictStoreBeans.beanName(name), DictStore.class,
				(spec) -> spec.fallback()
					.description("persistentdict store from 'persistentdict.stores." + name + "'")
					.supplier((context) -> context.bean(DictStoreFactory.class).open(name, store)));
	}

	private void registerMap(BeanRegistry registry, String name, MapDefinition map,
			Map<String, StoreProperties> stores) {
		String prefix = "persistentdict.maps." + name;
		try {
			DictSpec.validateName(name);
		}
		catch (IllegalArgumentException ex) {
			throw new PersistentDictConfigurationException(prefix, ex.getMessage(),
					"Rename the map under 'persistentdict.maps'.");
		}
		Class<?> valueType = map.getValueType();
		if (valueType == null) {
			throw new PersistentDictConfigurationException(prefix + ".value-type",
					"Map '" + name + "' has no value type.", "Set '" + prefix + ".value-type' to a class name.");
		}
		String store = map.getStore();
		if (!PersistentDictProperties.DEFAULT_STORE.equals(store) && !stores.containsKey(store)) {
			throw new PersistentDictConfigurationException(prefix + ".store",
					"Map '" + name + "' refers to store '" + store + "', which is not configured.",
					"Set '" + prefix + ".store' to 'default' or configure 'persistentdict.stores." + store + ".path'.");
		}
		Class<?> keyType = ClassUtils.resolvePrimitiveIfNecessary(map.getKeyType());
		Class<?> boxedValueType = ClassUtils.resolvePrimitiveIfNecessary(valueType);
		ResolvableType type = ResolvableType.forClassWithGenerics(PersistentDict.class, keyType, boxedValueType);
		ParameterizedTypeReference<PersistentDict<?, ?>> reference = ParameterizedTypeReference.forType(type.getType());
		registry.registerBean(name, reference, (spec) -> spec.description(MAP_DESCRIPTION + name + "'")
			.supplier((context) -> open(context, name, keyType, boxedValueType, map)));
	}

	private <K, V> PersistentDict<K, V> open(SupplierContext context, String name, Class<K> keyType, Class<V> valueType,
			MapDefinition map) {
		String prefix = "persistentdict.maps." + name;
		DictStoreFactory factory = context.bean(DictStoreFactory.class);
		DictStore store = PersistentDictProperties.DEFAULT_STORE.equals(map.getStore()) ? context.bean(DictStore.class)
				: context.bean(DictStoreBeans.beanName(map.getStore()), DictStore.class);
		DictSpec<K, V> spec = DictSpec.of(name, keyType, valueType)
			.withTtl(map.getTtl())
			.withSliding(map.isSliding())
			.withNearCache(map.getNearCache())
			.withCompressionThreshold(DictStoreFactory.compressionThreshold(prefix + ".compression-threshold",
					map.getCompressionThreshold()));
		String codec = map.getCodec();
		if (codec != null) {
			Codec<V> valueCodec = factory.codec(prefix + ".codec", codec, valueType);
			spec = spec.withCodec(valueCodec);
		}
		spec = DictBounds.apply(spec, DictBounds.size(prefix + ".maximum-size", map.getMaximumSize(), DictBounds.NONE),
				DictBounds.bytes(prefix + ".maximum-bytes", map.getMaximumBytes(), DictBounds.NONE), map.getEviction());
		return store.dict(spec);
	}

}
