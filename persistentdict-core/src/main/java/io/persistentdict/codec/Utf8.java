package io.persistentdict.codec;

/**
 * UTF-8 checks: Java strings may hold unpaired surrogates, which UTF-8 cannot encode;
 * {@code String.getBytes} silently turns them into {@code '?'}.
 */
final class Utf8 {

	private Utf8() {
	}

	/**
	 * Return the index of the first unpaired surrogate in {@code text}, or -1.
	 * @param text the text
	 * @return the index, or -1
	 */
	static int unpairedSurrogate(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < text.length()
						&& Character.isLowSurrogate(text.charAt(i + 1))) {
					i++;
				}
				else {
					return i;
				}
			}
		}
		return -1;
	}

}
