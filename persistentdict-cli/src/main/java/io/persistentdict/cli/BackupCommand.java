package io.persistentdict.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code backup FILE}.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
		description = "Copy the store, while it is in use, to a new FILE (on SQLite, VACUUM INTO: a consistent, "
				+ "compacted copy). FILE must not exist. Works on a read-only store; the application's writers "
				+ "go on meanwhile. On PostgreSQL it is refused (exit 2): back the schema up with pg_dump "
				+ "--schema=persistentdict, or with the server's own backups.")
final class BackupCommand extends StoreCommand {

	BackupCommand() {
		super(false);
	}

	@Parameters(index = "0", paramLabel = "FILE", description = "The new file.")
	@SuppressWarnings("NullAway.Init")
	Path file;

	@Override
	int run(RawStore store, Out out) throws IOException {
		if (store.path() == null) {
			throw new CliException("Store " + store.location() + ": 'backup' copies SQLite files only; back the"
					+ " schema up with"
					+ " pg_dump --schema=persistentdict (its URL's database), or with the server's own backups");
		}
		Path target = this.file.toAbsolutePath();
		store.backupTo(target);
		Map<String, @Nullable Object> fields = fields("store", store.location());
		fields.put("backup", target.toString());
		fields.put("size", new Out.Bytes(Files.size(target)));
		out.object(fields);
		return PersistentDictCli.OK;
	}

}
