package io.persistentdict.cli;

import java.nio.file.Path;

import io.persistentdict.tools.RawDict;
import picocli.CommandLine.Command;

/**
 * {@code export DICT FILE}.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = {
		"Write a dict's live entries to FILE as JSON lines, the format of PersistentDict.exportTo: one object "
				+ "a line, with the key in k (kb, base64, for binary keys), the stored value as base64 in v, and the "
				+ "expiry in epoch milliseconds in x.",
		"FILE is replaced atomically and readable by its owner only. Works on a read-only store." })
final class ExportCommand extends LinesCommand {

	ExportCommand() {
		super(false, "exported");
	}

	@Override
	long transfer(RawDict dict, Path file) {
		return dict.exportTo(file);
	}

}
