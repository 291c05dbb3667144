package io.persistentdict.reliability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The standard output of a child JVM: one {@code write} system call per line, so that a
 * line printed before a kill is in the pipe when the parent reads it.
 */
final class ChildOutput {

	private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);

	private ChildOutput() {
	}

	static void line(String text) {
		byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
		synchronized (OUT) {
			try {
				OUT.write(bytes);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

}
