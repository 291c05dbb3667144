package io.persistentdict.cli;

import java.nio.file.Path;

import io.persistentdict.tools.RawDict;
import io.persistentdict.tools.RawStore;
import picocli.CommandLine.Parameters;

/**
 * The positional arguments the commands share, as picocli mixins.
 */
final class Args {

	private Args() {
	}

	/** {@code DICT}, the first argument. */
	static class Dict {

		@Parameters(index = "0", paramLabel = "DICT", description = "The dict: cache:books, or a bare name for a map.")
		@SuppressWarnings("NullAway.Init")
		String name;

		RawDict in(RawStore store) {
			RawDict dict = store.dict(this.name);
			if (dict == null) {
				String qualified = this.name.contains(":") ? this.name : "map:" + this.name;
				throw new CliException("Store " + store.location() + " has no dict '" + qualified
						+ "'; the command 'dicts' lists them (a bare name means map:NAME)");
			}
			return dict;
		}

	}

	/** {@code DICT KEY}. */
	static final class DictKey extends Dict {

		@Parameters(index = "1", paramLabel = "KEY", description = "The key, parsed by the dict's key type.")
		@SuppressWarnings("NullAway.Init")
		String text;

	}

	/** {@code DICT FILE}. */
	static final class DictFile extends Dict {

		@Parameters(index = "1", paramLabel = "FILE", description = "The JSON-lines file.")
		@SuppressWarnings("NullAway.Init")
		Path path;

	}

}
