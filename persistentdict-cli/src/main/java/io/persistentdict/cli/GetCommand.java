package io.persistentdict.cli;

import java.util.Map;

import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawEntry;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code get DICT KEY}: one value, decoded, and its expiry.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
		description = { "Show one value, decoded, and its expiry. Exit code 1 if the key is missing or expired.",
				"String, number, boolean and JSON values show as themselves (with --json a json value is embedded as "
						+ "JSON); bytes as base64; a java-codec value shows its class name and size and is never "
						+ "deserialized." })
final class GetCommand extends KeyCommand {

	GetCommand() {
		super(false);
	}

	@Override
	int run(RawDict dict, Object key, Out out) {
		RawEntry entry = dict.get(key);
		if (entry == null) {
			out.note("No key " + this.args.text + " in dict '" + dict.name() + "' (missing or expired)");
			return PersistentDictCli.NO;
		}
		Map<String, @Nullable Object> fields = fields(dict, key);
		fields.putAll(Values.shown(dict, entry));
		fields.put("codec", entry.codecId());
		fields.put("expiresAt", expiry(entry.expiresAt()));
		fields.put("storedSize", new Out.Bytes(entry.storedSize()));
		fields.put("compressed", entry.compressed());
		out.object(fields);
		return PersistentDictCli.OK;
	}

}
