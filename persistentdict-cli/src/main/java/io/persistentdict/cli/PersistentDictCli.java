package io.persistentdict.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.persistentdict.tools.RawStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The tool's top command: the global options, the store, and the commands.
 */
@Command(name = "persistentdict-cli", mixinStandardHelpOptions = true, versionProvider = Version.class,
		usageHelpAutoWidth = true, sortOptions = false, header = "Look inside a persistentdict store and maintain it.",
		description = { "", "Reads a store without the application's classes: values show decoded when their codec "
				+ "is built in (String, numbers, boolean, JSON as its text); a java-codec value shows its class name "
				+ "and size and is never deserialized.", "",
				"The store opens read-only unless --write is given, so inspecting a live store cannot change it; "
						+ "it works while an application has the store open. The tool never creates a store.",
				"",
				"DICT is a qualified name as 'dicts' prints it (cache:books); a bare name is a map (users is "
						+ "map:users). KEY is parsed by the dict's key type (String, Long, Integer, UUID).",
				"",
				"STORE is a SQLite file, or a jdbc:postgresql://HOST:PORT/DATABASE?user=USER URL of a database that "
						+ "an application has given its persistentdict schema. The password comes from the URL's "
						+ "password parameter, else PGPASSWORD, else PGPASSFILE or ~/.pgpass; it is never printed." },
		synopsisHeading = "%nUsage: ", customSynopsis = "persistentdict-cli [--json] [--write] STORE COMMAND [ARGS]",
		commandListHeading = "%nCommands (each has --help):%n", exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:success", "1:the answer is no: get or remove of a missing key, check that finds damage",
				"2:bad usage, a refused write, or a store that cannot be opened" },
		footer = { "", "Examples: persistentdict-cli data/app.db get cache:books 978-0134685991",
				"          persistentdict-cli jdbc:postgresql://db:5432/app?user=ops dicts" },
		subcommands = { DictsCommand.class, StatsCommand.class, GetCommand.class, KeysCommand.class, PutCommand.class,
				RemoveCommand.class, ExportCommand.class, ImportCommand.class, SweepCommand.class, VacuumCommand.class,
				CheckCommand.class, BackupCommand.class })
public final class PersistentDictCli implements Callable<Integer> {

	/** Success. */
	static final int OK = 0;

	/** The answer is no. */
	static final int NO = 1;

	/** Bad usage, a refused write, a store that cannot be opened. */
	static final int USAGE = 2;

	@Spec
	@SuppressWarnings("NullAway.Init")
	private CommandSpec spec;

	@Option(names = "--json", description = "Print JSON: one object, or JSON lines for 'keys'.")
	boolean json;

	@Option(names = "--write", description = "Open the store for writing; put, remove, import, sweep and vacuum "
			+ "need it. Without it the store opens read-only.")
	boolean write;

	@Parameters(index = "0", arity = "0..1", paramLabel = "STORE",
			description = "The store's SQLite file, or a jdbc:postgresql: URL.")
	@Nullable String store;

	/**
	 * Run the tool and exit with its code.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		PrintWriter out = new PrintWriter(System.out, true);
		PrintWriter err = new PrintWriter(System.err, true);
		int code = run(args, out, err);
		out.flush();
		err.flush();
		System.exit(code);
	}

	/**
	 * Run the tool.
	 * @param args the arguments
	 * @param out where results go
	 * @param err where messages go
	 * @return the exit code
	 */
	static int run(String[] args, PrintWriter out, PrintWriter err) {
		// before anything can fail, so that no message, not even picocli's, shows it
		Messages.hide(System.getenv(JdbcStore.PASSWORD_VARIABLE));
		for (String arg : args) {
			if (arg.startsWith(JdbcStore.PREFIX)) {
				Messages.hide(JdbcStore.urlPassword(arg));
			}
		}
		try {
			return execute(args, out, err);
		}
		catch (RuntimeException ex) {
			// what the handlers cannot see, such as a command that picocli cannot build
			err.println(Messages.of(ex));
			return USAGE;
		}
	}

	private static int execute(String[] args, PrintWriter out, PrintWriter err) {
		CommandLine commandLine = new CommandLine(new PersistentDictCli());
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setExecutionExceptionHandler((ex, line, parsed) -> {
			err.println(Messages.of(ex));
			return USAGE;
		});
		commandLine.setParameterExceptionHandler((ex, arguments) -> {
			err.println(Messages.mask(ex.getMessage()));
			err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
			return USAGE;
		});
		return commandLine.execute(args);
	}

	@Override
	public Integer call() {
		throw new ParameterException(this.spec.commandLine(), (this.store == null) ? "Missing STORE and COMMAND"
				: "Missing COMMAND after STORE " + shown(this.store));
	}

	/**
	 * Open the store, read-only unless the command writes.
	 * @param command the command's name, for messages
	 * @param writes whether the command writes
	 * @return the store
	 */
	RawStore open(String command, boolean writes) {
		String given = this.store;
		if (given == null) {
			throw new ParameterException(this.spec.commandLine(), "Missing STORE before the command " + command);
		}
		if (writes && !this.write) {
			throw new CliException("'" + command + "' changes the store, which opens read-only by default: add"
					+ " --write before STORE, as in: persistentdict-cli --write " + shown(given) + " " + command
					+ " ...");
		}
		if (JdbcStore.isJdbc(given)) {
			return JdbcStore.open(given, this.write, System.getenv());
		}
		return RawStore.open(Path.of(given), this.write);
	}

	private static String shown(String store) {
		return JdbcStore.isJdbc(store) ? JdbcStore.withoutSecrets(store) : store;
	}

	Out out() {
		return new Out(this.spec.commandLine().getOut(), this.spec.commandLine().getErr(), this.json);
	}

}
