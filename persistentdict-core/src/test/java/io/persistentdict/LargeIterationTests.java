package io.persistentdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Iteration streams from the table: a child JVM limited to 64 MB of heap writes one
 * million 100-byte entries and iterates them all.
 */
class LargeIterationTests {

	@TempDir
	Path dir;

	@Test
	void iteratingAMillionEntriesShouldWorkIn64MegabytesOfHeap() throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
				System.getProperty("java.class.path"), Child.class.getName(), this.dir.resolve("big.db").toString())
			.redirectErrorStream(true)
			.start();
		assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.exitValue()).as(output).isZero();
		assertThat(output).contains("iterated 1000000 entries, 100000000 value bytes");
	}

	/**
	 * The child: writes in batches (the writer's own map must fit the heap too), then
	 * iterates.
	 */
	public static final class Child {

		private Child() {
		}

		public static void main(String[] args) throws IOException {
			try (DictStore store = DictStore.open(Path.of(args[0]))) {
				PersistentDict<String, byte[]> dict = store.dict("big", String.class, byte[].class);
				for (int batch = 0; batch < 100; batch++) {
					Map<String, byte[]> entries = new HashMap<>();
					for (int i = 0; i < 10_000; i++) {
						entries.put(String.format("user:%08d", batch * 10_000 + i), new byte[100]);
					}
					dict.putAll(entries);
				}
				long count = 0;
				long bytes = 0;
				for (Map.Entry<String, byte[]> entry : dict.entrySet()) {
					count++;
					bytes += entry.getValue().length;
				}
				System.out.println("iterated " + count + " entries, " + bytes + " value bytes");
			}
		}

	}

}
