package io.persistentdict.boot.autoconfigure;

import io.persistentdict.PersistentDictException;

/**
 * A {@code persistentdict.*} property has a value that cannot be used. Carries the
 * property and the fix, for the failure analyzer.
 *
 * @author persistentdict
 */
public class PersistentDictConfigurationException extends PersistentDictException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String action;

	public PersistentDictConfigurationException(String property, String description, String action) {
		super(description);
		this.property = property;
		this.action = action;
	}

	/**
	 * Return the property at fault.
	 * @return the property
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return what to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
