package io.persistentdict.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.persistentdict.DictStore;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Names of the {@link DictStore} beans: the default store is {@code dictStore}, and the
 * store {@code archive} of {@code persistentdict.stores} is {@code archiveDictStore}.
 *
 * @author persistentdict
 */
public final class DictStoreBeans {

	/** The bean name of the default store. */
	public static final String DEFAULT_STORE_BEAN_NAME = "dictStore";

	private static final String SUFFIX = "DictStore";

	private DictStoreBeans() {
	}

	/**
	 * Return the bean name of a store.
	 * @param storeName {@code default} or a key of {@code persistentdict.stores}
	 * @return the bean name
	 */
	public static String beanName(String storeName) {
		return PersistentDictProperties.DEFAULT_STORE.equals(storeName) ? DEFAULT_STORE_BEAN_NAME : storeName + SUFFIX;
	}

	/**
	 * Return the name of a store from its bean name: {@code default} for
	 * {@code dictStore}, {@code archive} for {@code archiveDictStore}, otherwise the bean
	 * name.
	 * @param beanName the bean name
	 * @return the store name
	 */
	public static String storeName(String beanName) {
		if (DEFAULT_STORE_BEAN_NAME.equals(beanName)) {
			return PersistentDictProperties.DEFAULT_STORE;
		}
		if (beanName.endsWith(SUFFIX) && beanName.length() > SUFFIX.length()) {
			return beanName.substring(0, beanName.length() - SUFFIX.length());
		}
		return beanName;
	}

	/**
	 * Return every store of a bean factory, by store name.
	 * @param beanFactory the bean factory
	 * @return the stores
	 */
	public static Map<String, DictStore> byStoreName(ListableBeanFactory beanFactory) {
		Map<String, DictStore> stores = new LinkedHashMap<>();
		beanFactory.getBeansOfType(DictStore.class).forEach((name, store) -> stores.put(storeName(name), store));
		return stores;
	}

}
