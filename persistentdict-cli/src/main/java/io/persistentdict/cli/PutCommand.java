package io.persistentdict.cli;

import java.time.Duration;
import java.util.Map;

import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawEntry;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code put DICT KEY VALUE [--ttl DURATION]}: store a value in the dict's own codec.
 */
@Command(name = "put", mixinStandardHelpOptions = true, description = {
		"Store a value (needs --write), for String, number (Long, Integer, Double), boolean and json dicts. "
				+ "A json dict's VALUE must be one JSON value, such as '{\"title\":\"Dune\"}'; it is stored as given.",
		"The entry expires after --ttl, or after the dict's TTL when it has one. The dict's catalog settings "
				+ "are never changed." })
final class PutCommand extends KeyCommand {

	PutCommand() {
		super(true);
	}

	@Parameters(index = "2", paramLabel = "VALUE", description = "The value, parsed by the dict's value type.")
	@SuppressWarnings("NullAway.Init")
	String valueText;

	@Option(names = "--ttl", paramLabel = "DURATION", converter = Durations.class,
			description = "Time to live: 30s, 5m, 2h, 1d or ISO-8601 such as PT30M.")
	@Nullable Duration ttl;

	@Override
	int run(RawDict dict, Object key, Out out) {
		dict.put(key, Values.parse(dict, this.valueText), this.ttl);
		RawEntry written = dict.get(key);
		Map<String, @Nullable Object> fields = fields(dict, key);
		fields.put("put", true);
		fields.put("expiresAt", (written != null) ? expiry(written.expiresAt()) : null);
		out.object(fields);
		return PersistentDictCli.OK;
	}

}
