package io.persistentdict.cli;

import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawStore;
import picocli.CommandLine.Mixin;

/**
 * A command on one key of one dict: {@code DICT KEY}, the key parsed by the dict's key
 * type.
 */
abstract class KeyCommand extends StoreCommand {

	@Mixin
	Args.DictKey args = new Args.DictKey();

	KeyCommand(boolean writes) {
		super(writes);
	}

	/** Run the command on the dict and the stored key; return its exit code. */
	abstract int run(RawDict dict, Object storedKey, Out out);

	@Override
	final int run(RawStore store, Out out) {
		RawDict raw = this.args.in(store);
		return run(raw, raw.parseKey(this.args.text), out);
	}

}
