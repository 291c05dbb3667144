package io.persistentdict.cli;

import java.util.Map;

import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/**
 * {@code check}: the integrity check.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
		description = "Check the store's integrity (on SQLite, PRAGMA integrity_check) and print ok or what is "
				+ "wrong. Exit code 1 when it finds damage: then copy the file with 'backup' or restore one, and "
				+ "see the README's Reliability section. Works on a read-only store.")
final class CheckCommand extends StoreCommand {

	CheckCommand() {
		super(false);
	}

	@Override
	int run(RawStore store, Out out) {
		String result = store.checkIntegrity();
		boolean ok = "ok".equals(result);
		Map<String, @Nullable Object> fields = fields("store", store.location());
		fields.put("ok", ok);
		fields.put("result", result);
		out.object(fields);
		return ok ? PersistentDictCli.OK : PersistentDictCli.NO;
	}

}
