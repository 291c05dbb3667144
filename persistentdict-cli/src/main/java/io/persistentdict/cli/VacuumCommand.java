package io.persistentdict.cli;

import java.util.Map;

import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vacuum [--full]}.
 */
@Command(name = "vacuum", mixinStandardHelpOptions = true,
		description = { "Give free space back to the file system (needs --write).",
				"By default an incremental vacuum: it frees the file's free pages without rebuilding it, and the "
						+ "application's writers wait only for that.",
				"With --full it rebuilds the whole file, which reclaims all free space but BLOCKS EVERY WRITER of the "
						+ "store, the application's too, until it ends (seconds on a large file), and needs free disk "
						+ "space for a copy of the file.",
				"On PostgreSQL it does nothing and says so (exit 0): the server's autovacuum reclaims the space of "
						+ "deleted rows, and a VACUUM FULL locks the tables, which a DBA runs knowingly." })
final class VacuumCommand extends StoreCommand {

	VacuumCommand() {
		super(true);
	}

	@Option(names = "--full", description = "Rebuild the whole file; blocks the application's writers meanwhile.")
	boolean full;

	@Override
	int run(RawStore store, Out out) {
		if (store.path() == null) {
			Map<String, @Nullable Object> fields = fields("store", store.location());
			fields.put("mode", "none");
			fields.put("note", store.engineName() + "'s autovacuum reclaims the space of deleted and expired rows;"
					+ " the tool runs no VACUUM there (VACUUM FULL locks the tables: a DBA's decision)");
			out.object(fields);
			return PersistentDictCli.OK;
		}
		long before = store.storage().size();
		long started = System.nanoTime();
		Map<String, @Nullable Object> fields = fields("store", store.location());
		fields.put("mode", this.full ? "full" : "incremental");
		if (this.full) {
			store.vacuum();
		}
		else {
			fields.put("freedPages", store.incrementalVacuum());
		}
		fields.put("sizeBefore", new Out.Bytes(before));
		fields.put("sizeAfter", new Out.Bytes(store.storage().size()));
		fields.put("millis", (System.nanoTime() - started) / 1_000_000);
		out.object(fields);
		return PersistentDictCli.OK;
	}

}
