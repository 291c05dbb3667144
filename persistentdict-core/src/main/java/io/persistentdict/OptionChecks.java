package io.persistentdict;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks {@link StoreOptions.Builder} makes of the values it is given as text: each
 * one fails at once, quoting the value.
 */
final class OptionChecks {

	private static final Pattern PRAGMA_NAME = Pattern.compile("[a-z_]{1,64}");

	private static final Pattern PRAGMA_VALUE = Pattern.compile("[A-Za-z0-9_.+-]{1,64}");

	/** A PostgreSQL schema that needs no quoting in hand-written SQL. */
	private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private OptionChecks() {
	}

	static void checkPragma(String name, String value) {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(value, "value must not be null");
		if (!PRAGMA_NAME.matcher(name).matches() || !PRAGMA_VALUE.matcher(value).matches()) {
			throw new IllegalArgumentException("Invalid pragma '" + name + "=" + value
					+ "': names are lower-case letters and '_', values letters, digits and '_.+-'");
		}
		if (name.equals("journal_mode") || name.equals("synchronous") || name.equals("busy_timeout")) {
			throw new IllegalArgumentException(
					"Pragma '" + name + "' has its own setting: use synchronous(...) or busyTimeout(...)");
		}
	}

	static String checkSchema(String schema) {
		Objects.requireNonNull(schema, "schema must not be null");
		if (!SCHEMA_NAME.matcher(schema).matches()) {
			throw new IllegalArgumentException("Invalid schema '" + schema
					+ "': use lower-case letters, digits and '_', not starting with a digit, at most 63 characters");
		}
		return schema;
	}

}
