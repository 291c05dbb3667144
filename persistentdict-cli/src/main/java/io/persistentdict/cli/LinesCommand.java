package io.persistentdict.cli;

import java.nio.file.Path;
import java.util.Map;

import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;

/**
 * {@code export} and {@code import}: a dict and a file of JSON lines.
 */
abstract class LinesCommand extends StoreCommand {

	@Mixin
	Args.DictFile args = new Args.DictFile();

	private final String done;

	/**
	 * @param writes whether the command writes the store
	 * @param done the output field that counts the entries
	 */
	LinesCommand(boolean writes, String done) {
		super(writes);
		this.done = done;
	}

	/** Move the entries; return how many moved. */
	abstract long transfer(RawDict dict, Path file);

	@Override
	final int run(RawStore store, Out out) {
		RawDict raw = this.args.in(store);
		long count = transfer(raw, this.args.path);
		Map<String, @Nullable Object> fields = fields("dict", raw.name());
		fields.put("file", this.args.path.toAbsolutePath().toString());
		fields.put(this.done, count);
		out.object(fields);
		return PersistentDictCli.OK;
	}

}
