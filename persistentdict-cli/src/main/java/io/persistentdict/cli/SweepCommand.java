package io.persistentdict.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/**
 * {@code sweep}: delete every dict's expired entries.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
		description = "Delete every dict's expired entries (needs --write), in short transactions so that the "
				+ "application's writers wait only briefly. Expired entries are invisible to reads either way; a "
				+ "sweep frees their space for new rows ('vacuum' gives it back to the file system).")
final class SweepCommand extends StoreCommand {

	SweepCommand() {
		super(true);
	}

	@Override
	int run(RawStore store, Out out) {
		List<Map<String, @Nullable Object>> rows = new ArrayList<>();
		long total = 0;
		for (Map.Entry<String, Long> swept : store.sweep().entrySet()) {
			Map<String, @Nullable Object> row = fields("dict", swept.getKey());
			row.put("deleted", swept.getValue());
			rows.add(row);
			total += swept.getValue();
		}
		Map<String, @Nullable Object> fields = fields("store", store.location());
		fields.put("deleted", total);
		fields.put("dicts", rows);
		out.object(fields);
		return PersistentDictCli.OK;
	}

}
