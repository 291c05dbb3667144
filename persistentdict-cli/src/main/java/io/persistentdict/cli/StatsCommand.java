package io.persistentdict.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.persistentdict.engine.CatalogEntry;
import io.persistentdict.engine.Storage;
import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/**
 * {@code stats}: the store's files and, per dict, its live and expired entries and its
 * bytes.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
		description = {
				"Show the store: file and WAL size, free disk, and per dict its live entries, the expired entries "
						+ "not swept yet ('sweep' deletes them) and its bytes.",
				"On PostgreSQL the size is that of the schema's tables with their indexes; the WAL and free disk "
						+ "are the server's and are left out.",
				"Bytes per dict are its keys and values as stored (the engine's exact counts, expired entries not "
						+ "swept yet included), without the engine's own overhead.",
				"Hit, miss and eviction counters are not shown: they live in the application's process." })
final class StatsCommand extends StoreCommand {

	StatsCommand() {
		super(false);
	}

	@Override
	int run(RawStore store, Out out) {
		Storage storage = store.storage();
		List<Map<String, @Nullable Object>> rows = new ArrayList<>();
		for (CatalogEntry entry : store.dicts()) {
			RawDict dict = store.dict(entry);
			Map<String, @Nullable Object> row = fields("dict", entry.qualifiedName());
			row.put("entries", dict.count());
			row.put("expired", dict.expired());
			row.put("bytes", new Out.Bytes(dict.bytes()));
			rows.add(row);
		}
		Map<String, @Nullable Object> fields = fields("store", store.location());
		fields.put("size", new Out.Bytes(storage.size()));
		// -1: what the engine does not have (on PostgreSQL, the server's WAL and disk)
		if (storage.walSize() >= 0) {
			fields.put("walSize", new Out.Bytes(storage.walSize()));
		}
		if (storage.freeDiskSpace() >= 0) {
			fields.put("freeDisk", new Out.Bytes(storage.freeDiskSpace()));
		}
		fields.put("dicts", rows);
		out.object(fields);
		return PersistentDictCli.OK;
	}

}
