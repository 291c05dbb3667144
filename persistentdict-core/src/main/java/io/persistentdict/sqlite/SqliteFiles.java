package io.persistentdict.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.persistentdict.OpenMode;
import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.StoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's files before SQLite opens them: the path, owner-only permissions, the header
 * check that keeps pragmas off someone else's file, RECREATE and RECOVER.
 */
final class SqliteFiles {

	private static final Logger logger = LoggerFactory.getLogger(SqliteFiles.class);

	private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

	static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

	private SqliteFiles() {
	}

	static Path expand(Path path) {
		String text = path.toString();
		if (text.equals("~") || text.startsWith("~/")) {
			path = Path.of(System.getProperty("user.home") + text.substring(1));
		}
		return path.toAbsolutePath().normalize();
	}

	static void prepareFile(Path path, StoreOptions options) {
		try {
			if (options.openMode() == OpenMode.RECREATE) {
				for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
					Files.deleteIfExists(Path.of(path + suffix));
				}
				logger.info("Recreated store {}: its previous content was deleted, as OpenMode.RECREATE asks", path);
			}
			if (Files.exists(path)) {
				if (Files.isDirectory(path)) {
					throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
							"Store path " + path + " is a directory; give the path of a file inside it", null);
				}
				checkHeader(path);
				return;
			}
			if (options.openMode() == OpenMode.READ_ONLY) {
				throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
						"Store " + path + " does not exist, and a read-only store cannot create it", null);
			}
			Path parent = path.getParent();
			if (parent != null && !Files.isDirectory(parent)) {
				createDirectories(parent);
			}
			try {
				Files.createFile(path, ownerOnly(path, OWNER_ONLY_FILE));
			}
			catch (FileAlreadyExistsException ex) {
				// another process created it first
			}
		}
		catch (AccessDeniedException ex) {
			throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE, "Cannot create store " + path
					+ ": permission denied on " + ex.getFile() + "; choose a writable directory or fix its permissions",
					ex);
		}
		catch (IOException ex) {
			throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
					"Cannot create store " + path + ": " + ex + "; choose a writable directory", ex);
		}
	}

	/**
	 * Create missing directories, each readable by its owner only.
	 * @param dir the directory
	 * @throws IOException on failure
	 */
	static void createDirectories(Path dir) throws IOException {
		Files.createDirectories(dir, ownerOnly(dir, OWNER_ONLY_DIR));
	}

	static FileAttribute<?>[] ownerOnly(Path path, FileAttribute<?> attribute) {
		Path existing = path.getParent();
		while (existing != null && !Files.exists(existing)) {
			existing = existing.getParent();
		}
		boolean posix = existing == null || existing.getFileSystem().supportedFileAttributeViews().contains("posix");
		return posix ? new FileAttribute<?>[] { attribute } : new FileAttribute<?>[0];
	}

	private static void checkHeader(Path path) throws IOException {
		long size = Files.size(path);
		if (size == 0) {
			return;
		}
		if (!Files.isReadable(path)) {
			throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
					"Store " + path + " is not readable by this user; fix its permissions", null);
		}
		byte[] header = new byte[SQLITE_MAGIC.length];
		int read;
		try (InputStream in = Files.newInputStream(path)) {
			read = in.readNBytes(header, 0, header.length);
		}
		if (read < header.length || !Arrays.equals(header, SQLITE_MAGIC)) {
			throw new StoreOpenException(path, Reason.NOT_SQLITE, "Store " + path
					+ " is not a SQLite database (or is truncated); persistentdict will not touch it. Choose another"
					+ " path, or open with OpenMode.RECOVER to move it aside and start empty", null);
		}
		if (size < 512) {
			throw new StoreOpenException(path, Reason.CORRUPT, "Store " + path + " is truncated (" + size
					+ " bytes). Restore it from a backup, or open with OpenMode.RECOVER to move it aside and start empty",
					null);
		}
	}

	/**
	 * Whether the file's directory cannot be written, so SQLite cannot create the WAL's
	 * {@code -shm} file: then a read-only store opens the file as immutable.
	 */
	static boolean isOnReadOnlyMedia(Path path) {
		Path dir = path.getParent();
		return dir != null && !Files.isWritable(dir) && !Files.exists(Path.of(path + "-shm"));
	}

	/**
	 * Read SQLite's file header: whether it carries our application id and a schema
	 * version we understand. A header page still in the WAL reads as not ours, and the
	 * file is then inspected through a connection; this only saves that connection for
	 * our own files.
	 */
	static boolean headerSaysOurs(Path path) {
		byte[] header = new byte[100];
		try (InputStream in = Files.newInputStream(path)) {
			if (in.readNBytes(header, 0, header.length) < header.length) {
				return false;
			}
		}
		catch (IOException ex) {
			return false;
		}
		ByteBuffer buffer = ByteBuffer.wrap(header);
		int userVersion = buffer.getInt(60);
		int applicationId = buffer.getInt(68);
		return applicationId == SqliteSchema.APPLICATION_ID && userVersion <= SqliteSchema.VERSION;
	}

	static void moveAside(Path path, StoreOpenException cause) {
		Path aside = Path.of(path + ".corrupt-" + System.currentTimeMillis());
		try {
			Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
			for (String suffix : List.of("-wal", "-shm", "-journal")) {
				Path extra = Path.of(path + suffix);
				if (Files.exists(extra)) {
					Files.move(extra, Path.of(aside + suffix), StandardCopyOption.ATOMIC_MOVE);
				}
			}
			logger.warn("Store {} could not be opened ({}); moved it aside to {} and started an empty store", path,
					cause.getMessage(), aside);
		}
		catch (IOException ex) {
			throw new StoreOpenException(path, cause.reason(),
					"Store " + path + " is damaged and could not be moved aside: " + ex, ex);
		}
	}

}
