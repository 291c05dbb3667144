package io.persistentdict.boot.autoconfigure;

import io.persistentdict.StoreOptions;

/**
 * Callback to adjust the {@link StoreOptions} of an auto-configured
 * {@link io.persistentdict.DictStore} after they were built from properties and before
 * the store is opened.
 *
 * @author persistentdict
 */
@FunctionalInterface
public interface DictStoreOptionsCustomizer {

	/**
	 * Customize the options of a store.
	 * @param storeName the store's name: {@code default} or a key of
	 * {@code persistentdict.stores}
	 * @param options the options builder
	 */
	void customize(String storeName, StoreOptions.Builder options);

}
