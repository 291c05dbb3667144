package io.persistentdict.reliability;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * Damage done behind the library's back: plain file writes and plain sqlite-jdbc.
 */
final class Damage {

	private Damage() {
	}

	static String sha256(Path file) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static void overwrite(Path file, long offset, byte[] bytes) {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.seek(offset);
			raf.write(bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void truncate(Path file, long length) {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.setLength(length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Connection jdbc(Path file) throws SQLException {
		return DriverManager.getConnection("jdbc:sqlite:" + file);
	}

	static void sql(Path file, String... statements) {
		try (Connection connection = jdbc(file); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Replace the stored value of one row: a header byte (the codec tag) and a payload.
	 */
	static void setStoredValue(Path file, String dict, String key, int header, byte[] payload) {
		byte[] stored = new byte[payload.length + 1];
		stored[0] = (byte) header;
		System.arraycopy(payload, 0, stored, 1, payload.length);
		try (Connection connection = jdbc(file);
				PreparedStatement statement = connection
					.prepareStatement("UPDATE \"map:" + dict + "\" SET v = ? WHERE k = ?")) {
			statement.setBytes(1, stored);
			statement.setString(2, key);
			if (statement.executeUpdate() != 1) {
				throw new IllegalStateException("no row " + key + " in " + dict);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Mount a tmpfs of the given size; return whether it worked (it needs root). */
	static boolean mountTmpfs(Path dir, String size) {
		return run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
	}

	static boolean remountReadOnly(Path dir) {
		return run("mount", "-o", "remount,ro", dir.toString());
	}

	static void unmount(Path dir) {
		run("umount", dir.toString());
	}

	private static boolean run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
