package io.persistentdict.cli;

import java.nio.file.Path;

import io.persistentdict.tools.RawDict;
import picocli.CommandLine.Command;

/**
 * {@code export DICT FILE}.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = {
		"Write a dict's live entries to FILE as JSON lines, the format of PersistentDict.exportTo: one object "
				+ "a line, with the key in key (keyBase64 for binary keys), the value in its readable form in value "
				+ "(a string, number, boolean or json document), valueBase64 (bytes) or stored (base64 of the stored "
				+ "bytes, for java and custom codecs), and the expiry as an ISO-8601 instant in expiresAt.",
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
