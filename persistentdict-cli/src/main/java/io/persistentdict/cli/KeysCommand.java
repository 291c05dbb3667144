package io.persistentdict.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.persistentdict.engine.Page;
import io.persistentdict.engine.Row;
import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keys DICT [--prefix P] [--limit N]}: keys in order, a page at a time.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
		description = {
				"List live keys in key order, with their expiry. Reads a page at a time and never loads the dict into "
						+ "memory; stops after --limit keys, and says on standard error when more may follow.",
				"With --json, one JSON line a key." })
final class KeysCommand extends StoreCommand {

	KeysCommand() {
		super(false);
	}

	/** Rows read at a time. */
	private static final int PAGE = 512;

	@Mixin
	Args.Dict dict = new Args.Dict();

	@Option(names = "--prefix", paramLabel = "P", description = "Only keys that start with P (String keys only).")
	@Nullable String prefix;

	@Option(names = "--limit", paramLabel = "N", defaultValue = "100",
			description = "The most keys to list (default: ${DEFAULT-VALUE}).")
	int limit;

	@Override
	int run(RawStore store, Out out) {
		if (this.limit < 1) {
			throw new CliException("--limit must be 1 or more, was " + this.limit);
		}
		RawDict dict = this.dict.in(store);
		String start = this.prefix;
		if (start != null && !"string".equals(dict.entry().keyCodec())) {
			throw new CliException("--prefix needs String keys, and dict '" + dict.name() + "' has "
					+ dict.entry().keyType() + " keys");
		}
		long listed = 0;
		Object after = null;
		Page page;
		do {
			page = dict.page(after, start, (int) Math.min(PAGE, this.limit - listed + 1));
			for (Row row : page.rows()) {
				if (start != null && !((String) row.key()).startsWith(start)) {
					return PersistentDictCli.OK;
				}
				if (listed == this.limit) {
					out.note("(stopped after " + this.limit + " keys; more follow: give --limit to see more)");
					return PersistentDictCli.OK;
				}
				Map<String, @Nullable Object> fields = new LinkedHashMap<>();
				fields.put("key", key(row.key()));
				fields.put("expiresAt", expiry(row.expiresAt()));
				out.row(fields);
				listed++;
			}
			after = page.last();
		}
		while (page.more());
		return PersistentDictCli.OK;
	}

}
