package io.persistentdict.reliability;

/**
 * Sizes of the heavier tests. Each knob is a system property;
 * {@code -Dreliability.heavy=true} switches every knob to its heavy default.
 */
final class Scale {

	private Scale() {
	}

	static boolean heavy() {
		return Boolean.getBoolean("reliability.heavy");
	}

	/**
	 * Return a knob.
	 * @param name the system property, such as {@code reliability.kills}
	 * @param normal the default of the normal run
	 * @param heavy the default of a heavy run
	 * @return the value
	 */
	static int get(String name, int normal, int heavy) {
		String value = System.getProperty(name);
		if (value != null && !value.isBlank()) {
			return Integer.parseInt(value.trim());
		}
		return heavy() ? heavy : normal;
	}

	static long seed(String name) {
		String value = System.getProperty(name);
		return (value != null && !value.isBlank()) ? Long.parseLong(value.trim()) : System.nanoTime();
	}

}
