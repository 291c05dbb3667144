package io.persistentdict.cli;

import java.util.Locale;

/**
 * Byte counts as text: {@code 12.3 MiB}, exact below a KiB; -1 means the engine has no
 * such figure.
 */
final class Sizes {

	private static final String[] UNITS = { "KiB", "MiB", "GiB", "TiB" };

	private Sizes() {
	}

	static String format(long bytes) {
		if (bytes < 0) {
			return "-";
		}
		if (bytes < 1024) {
			return bytes + " B";
		}
		double value = bytes;
		int unit = -1;
		while (value >= 1024 && unit < UNITS.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
	}

}
