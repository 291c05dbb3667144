package io.persistentdict.codec;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Which classes Java deserialization may instantiate. Patterns are exact class names,
 * {@code pkg.*} (one package) or {@code pkg.**} (a package and its sub-packages).
 * Everything else is rejected, so a gadget class from a library never deserializes.
 */
final class TypeAllowList implements ObjectInputFilter {

	/**
	 * JDK value types and collections. {@code java.net} is left out on purpose: a
	 * {@code java.net.URL} in a map key is the classic DNS-lookup gadget.
	 */
	static final List<String> JDK_VALUE_TYPES = List.of("java.lang.*", "java.util.*", "java.util.concurrent.*",
			"java.util.concurrent.atomic.*", "java.time.**", "java.math.*", "java.util.Collections$*",
			"java.util.ImmutableCollections$*", "java.util.KeyValueHolder", "java.util.CollSer");

	static final int MAX_DEPTH = 100;

	private final List<String> exact = new ArrayList<>();

	private final List<String> packages = new ArrayList<>();

	private final List<String> packageTrees = new ArrayList<>();

	private final List<String> patterns;

	private TypeAllowList(List<String> patterns) {
		this.patterns = List.copyOf(patterns);
		for (String pattern : patterns) {
			if (pattern.endsWith(".**")) {
				this.packageTrees.add(pattern.substring(0, pattern.length() - 2));
			}
			else if (pattern.endsWith(".*") || pattern.endsWith("$*")) {
				this.packages.add(pattern.substring(0, pattern.length() - 1));
			}
			else {
				this.exact.add(pattern);
			}
		}
	}

	static TypeAllowList of(Class<?> type, Collection<String> allowedTypes) {
		List<String> patterns = new ArrayList<>(JDK_VALUE_TYPES);
		patterns.add(type.getName());
		for (String pattern : allowedTypes) {
			patterns.add(validate(pattern));
		}
		return new TypeAllowList(patterns);
	}

	private static String validate(String pattern) {
		Objects.requireNonNull(pattern, "allowed type pattern must not be null");
		String trimmed = pattern.trim();
		if (trimmed.isEmpty() || trimmed.equals("*") || trimmed.equals("**") || trimmed.contains("!")
				|| trimmed.contains(";")) {
			throw new IllegalArgumentException("Invalid allowed type pattern '" + pattern
					+ "': use a class name, 'com.example.*' or 'com.example.**'");
		}
		return trimmed;
	}

	List<String> patterns() {
		return this.patterns;
	}

	boolean allows(Class<?> type) {
		Class<?> c = type;
		while (c.isArray()) {
			c = c.getComponentType();
		}
		if (c.isPrimitive()) {
			return true;
		}
		return allows(c.getName());
	}

	boolean allows(String name) {
		if (this.exact.contains(name)) {
			return true;
		}
		// 'pkg.*' admits the package's classes and their nested classes; 'Outer$*' admits
		// the nested classes of one class
		int dot = name.lastIndexOf('.');
		String pkg = (dot >= 0) ? name.substring(0, dot + 1) : "";
		for (String prefix : this.packages) {
			if (prefix.endsWith(".") ? pkg.equals(prefix) : name.startsWith(prefix)) {
				return true;
			}
		}
		for (String tree : this.packageTrees) {
			if (name.startsWith(tree)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public Status checkInput(FilterInfo info) {
		if (info.depth() > MAX_DEPTH) {
			return Status.REJECTED;
		}
		Class<?> type = info.serialClass();
		if (type == null) {
			return Status.UNDECIDED;
		}
		return allows(type) ? Status.ALLOWED : Status.REJECTED;
	}

}
