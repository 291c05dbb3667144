package io.persistentdict;

/**
 * Small text helpers for messages.
 */
final class Strings {

	private Strings() {
	}

	static String shorten(Object value, int max) {
		String text = String.valueOf(value);
		return (text.length() <= max) ? text : text.substring(0, max) + "…(" + text.length() + " chars)";
	}

	static String key(Object key) {
		return "'" + shorten(key, 64) + "'";
	}

}
