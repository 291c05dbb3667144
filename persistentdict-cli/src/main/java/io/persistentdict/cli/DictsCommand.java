package io.persistentdict.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.persistentdict.engine.CatalogEntry;
import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/**
 * {@code dicts}: every dict and cache of the catalog.
 */
@Command(name = "dicts", mixinStandardHelpOptions = true,
		description = {
				"List every dict and cache: name, key and value types, value codec, TTL (and whether reads extend it), "
						+ "and live entries (a count of the table).",
				"A bounded dict shows its maximumSize (entries), maximumBytes and eviction policy; 'stats' shows "
						+ "its bytes." })
final class DictsCommand extends StoreCommand {

	DictsCommand() {
		super(false);
	}

	@Override
	int run(RawStore store, Out out) {
		List<Map<String, @Nullable Object>> rows = new ArrayList<>();
		for (CatalogEntry entry : store.dicts()) {
			RawDict dict = store.dict(entry);
			Map<String, @Nullable Object> row = fields("dict", entry.qualifiedName());
			row.put("keyType", entry.keyType());
			row.put("valueType", entry.valueType());
			row.put("codec", entry.valueCodec());
			row.put("ttl", (entry.ttlMillis() > 0) ? Duration.ofMillis(entry.ttlMillis()) : null);
			row.put("sliding", entry.sliding());
			row.put("entries", dict.count());
			if (entry.maximumSize() != Long.MAX_VALUE) {
				row.put("maximumSize", entry.maximumSize());
			}
			if (entry.maximumBytes() != Long.MAX_VALUE) {
				row.put("maximumBytes", new Out.Bytes(entry.maximumBytes()));
			}
			if (entry.bounded()) {
				row.put("eviction", entry.eviction());
			}
			rows.add(row);
		}
		Map<String, @Nullable Object> fields = fields("store", store.location());
		fields.put("dicts", rows);
		out.object(fields);
		return PersistentDictCli.OK;
	}

}
