package io.persistentdict.cli;

import java.util.Map;

import io.persistentdict.tools.RawDict;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code remove DICT KEY}.
 */
@Command(name = "remove", mixinStandardHelpOptions = true,
		description = "Remove a key (needs --write). Exit code 1 if it was missing or expired.")
final class RemoveCommand extends KeyCommand {

	RemoveCommand() {
		super(true);
	}

	@Override
	int run(RawDict dict, Object key, Out out) {
		boolean removed = dict.remove(key);
		Map<String, @Nullable Object> fields = fields(dict, key);
		fields.put("removed", removed);
		out.object(fields);
		return removed ? PersistentDictCli.OK : PersistentDictCli.NO;
	}

}
