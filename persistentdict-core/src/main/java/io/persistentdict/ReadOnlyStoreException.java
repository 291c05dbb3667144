package io.persistentdict;

/**
 * A write was attempted on a store or dict opened read-only.
 */
public class ReadOnlyStoreException extends PersistentDictException {

	private static final long serialVersionUID = 1L;

	public ReadOnlyStoreException(String message) {
		super(message);
	}

}
