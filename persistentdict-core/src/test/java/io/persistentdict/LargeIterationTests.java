package io.persistentdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.persistentdict.engine.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Iteration streams from the table: a child JVM limited to 64 MB of heap writes one
 * million 100-byte entries and iterates them all, and another iterates 100 values of 1
 * MiB each. Pages stop at a byte budget as well as a row count.
 */
class LargeIterationTests {

	@TempDir
	Path dir;

	@Test
	void iteratingAMillionEntriesShouldWorkIn64MegabytesOfHeap() throws Exception {
		String output = runChild(Child.class);
		assertThat(output).contains("iterated 1000000 entries, 100000000 value bytes");
	}

	@Test
	void iteratingAHundredMegabyteValuesShouldWorkIn64MegabytesOfHeap() throws Exception {
		// 512 rows a page would be 100 MiB of values at once
		String output = runChild(LargeValuesChild.class);
		assertThat(output).contains("iterated 100 entries, 104857600 value bytes");
	}

	@Test
	void pagesShouldStopAtTheirByteBudgetAndIterationShouldStillSeeEveryEntry() {
		try (DictStore store = DictStore.open(this.dir.resolve("pages.db"))) {
			PersistentDict<String, byte[]> dict = store.dict("blobs", String.class, byte[].class);
			Random random = new Random(42);
			List<String> keys = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				byte[] value = new byte[1024 * 1024];
				random.nextBytes(value);
				String key = String.format("blob:%02d", i);
				dict.put(key, value);
				keys.add(key);
			}
			Page first = ((DictReads<?, ?>) dict).page(null, null, null, DictViews.PAGE, false, false);
			assertThat(first.rows()).hasSizeLessThan(12);
			assertThat(first.rows().stream().mapToLong((row) -> row.value().length).sum())
				.isLessThan(Page.MAX_BYTES + 2L * 1024 * 1024);
			assertThat(first.more()).isTrue();
			assertThat(new ArrayList<>(dict.keySet())).containsExactlyElementsOf(keys);
			Path export = this.dir.resolve("blobs.jsonl");
			assertThat(dict.exportTo(export)).isEqualTo(12);
			try (DictStore other = DictStore.open(this.dir.resolve("copy.db"))) {
				PersistentDict<String, byte[]> copy = other.dict("blobs", String.class, byte[].class);
				assertThat(copy.importFrom(export)).isEqualTo(12);
				assertThat(copy.get("blob:11")).isEqualTo(dict.get("blob:11"));
				assertThat(copy).hasSize(12);
			}
		}
	}

	private String runChild(Class<?> main) throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
				System.getProperty("java.class.path"), main.getName(), this.dir.resolve("big.db").toString())
			.redirectErrorStream(true)
			.start();
		assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.exitValue()).as(output).isZero();
		return output;
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

	/**
	 * The child for large values: 100 random (incompressible) values of 1 MiB, written
	 * one at a time, then iterated.
	 */
	public static final class LargeValuesChild {

		private LargeValuesChild() {
		}

		public static void main(String[] args) {
			try (DictStore store = DictStore.open(Path.of(args[0]))) {
				PersistentDict<String, byte[]> dict = store.dict("large", String.class, byte[].class);
				Random random = new Random(7);
				byte[] value = new byte[1024 * 1024];
				for (int i = 0; i < 100; i++) {
					random.nextBytes(value);
					dict.put(String.format("blob:%03d", i), value);
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
