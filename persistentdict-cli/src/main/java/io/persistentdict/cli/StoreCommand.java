package io.persistentdict.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command on an open store: the store opens read-only unless the command writes (and
 * then only with {@code --write}), and closes when the command ends.
 */
abstract class StoreCommand implements Callable<Integer> {

	@ParentCommand
	@SuppressWarnings("NullAway.Init")
	PersistentDictCli cli;

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	private final boolean writes;

	/**
	 * @param writes whether the command changes the store, so that it needs --write
	 */
	StoreCommand(boolean writes) {
		this.writes = writes;
	}

	/** Run the command; return its exit code. */
	abstract int run(RawStore store, Out out) throws Exception;

	@Override
	public final Integer call() throws Exception {
		try (RawStore store = this.cli.open(this.spec.name(), this.writes)) {
			Out out = this.cli.out();
			int code = run(store, out);
			out.flush();
			return code;
		}
	}

	/** Return the fields that start the output about one dict. */
	static Map<String, @Nullable Object> fields(String firstName, Object firstValue) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put(firstName, firstValue);
		return fields;
	}

	/** Return the fields that start the output about one key. */
	static Map<String, @Nullable Object> fields(RawDict dict, Object storedKey) {
		Map<String, @Nullable Object> fields = fields("dict", dict.name());
		fields.put("key", key(storedKey));
		return fields;
	}

	static @Nullable Instant expiry(long expiresAt) {
		return (expiresAt == 0) ? null : Instant.ofEpochMilli(expiresAt);
	}

	/** Return a stored key for output: a number for {@code Long} keys, text otherwise. */
	static Object key(Object stored) {
		return (stored instanceof Long) ? stored : RawDict.keyText(stored);
	}

}
