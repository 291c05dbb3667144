package io.persistentdict.cli;

import java.nio.file.Path;

import io.persistentdict.tools.RawDict;
import picocli.CommandLine.Command;

/**
 * {@code import DICT FILE}.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = {
		"Read entries written by 'export' or PersistentDict.exportTo into a dict (needs --write), all in one "
				+ "transaction: a line whose key or value does not fit the dict fails the import, names its line, "
				+ "and nothing is imported. Expired entries are skipped.",
		"FILE is any sequence of JSON objects: one a line, pretty-printed over several lines as jq prints them, "
				+ "or in a top-level array; files of the first export format (k, v, x) import too.",
		"Refused for java-codec dicts, and for java-serialized values in any dict: the application would "
				+ "deserialize them." })
final class ImportCommand extends LinesCommand {

	ImportCommand() {
		super(true, "imported");
	}

	@Override
	long transfer(RawDict dict, Path file) {
		return dict.importFrom(file);
	}

}
