package io.persistentdict.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.OpenMode;
import io.persistentdict.PersistentDict;
import io.persistentdict.PersistentDictException;
import io.persistentdict.ReadOnlyStoreException;
import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.StoreOptions;
import io.persistentdict.ValueDecodingException;
import io.persistentdict.codec.Codec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Read-only files and directories, a full disk, and very long keys and values.
 *
 * <p>
 * The tests run as root in CI, where {@code chmod} stops nothing; there a read-only tmpfs
 * (remounted {@code ro}) stands in for a read-only directory, and a tmpfs of 2 MB for a
 * full disk. Where mounting is not allowed, the read-only case falls back to
 * {@code chmod} (meaningful only for a non-root user) and the full-disk case to
 * {@code PRAGMA max_page_count}, which fails the same way ({@code SQLITE_FULL}).
 */
class ResourceLimitTests {

	private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

	@TempDir
	Path dir;

	@AfterAll
	static void report() {
		BrokenFileTests.report();
	}

	private Path smallStore(Path file) {
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("a", "1");
			dict.put("b", "2");
		}
		return file;
	}

	@Test
	void readOnlyDirectoryShouldRefuseToOpenForWritingAndSaySo() throws Exception {
		Path ro = Files.createDirectory(this.dir.resolve("ro"));
		boolean mounted = ROOT && Damage.mountTmpfs(ro, "4m");
		assumeTrue(mounted || !ROOT, "root without mount: chmod cannot make a directory read-only for root");
		try {
			Path file = smallStore(ro.resolve("r.db"));
			String before = Damage.sha256(file);
			if (mounted) {
				assertThat(Damage.remountReadOnly(ro)).isTrue();
			}
			else {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
				Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
			}
			Throwable open = catchThrowable(() -> DictStore.open(file).close());
			assertThat(open).isInstanceOf(StoreOpenException.class)
				.hasMessageContaining(file.toString())
				.hasMessageContaining("OpenMode.READ_ONLY");
			assertThat(((StoreOpenException) open).reason()).isEqualTo(Reason.NOT_ACCESSIBLE);
			Path fresh = ro.resolve("sub/new.db");
			assertThatThrownBy(() -> DictStore.open(fresh).close()).isInstanceOf(StoreOpenException.class)
				.hasMessageContaining(fresh.toString())
				.hasMessageContaining("writable directory");
			assertThat(Damage.sha256(file)).isEqualTo(before);
			BrokenFileTests.tried.add("store on a read-only " + (mounted ? "tmpfs (remounted ro)" : "directory (chmod)")
					+ ": NOT_ACCESSIBLE naming the file and OpenMode.READ_ONLY; new file: 'choose a writable"
					+ " directory'; file untouched");
		}
		finally {
			if (mounted) {
				Damage.unmount(ro);
			}
			else {
				Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwx------"));
			}
		}
	}

	@Test
	void readOnlyModeShouldServeReadsRefuseWritesAndLeaveTheFileAlone() {
		Path file = smallStore(this.dir.resolve("ro.db"));
		String before = Damage.sha256(file);
		try (DictStore store = DictStore.open(file, StoreOptions.builder().openMode(OpenMode.READ_ONLY).build())) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThat(dict.get("a")).isEqualTo("1");
			assertThatThrownBy(() -> dict.put("c", "3")).isInstanceOf(ReadOnlyStoreException.class)
				.hasMessageContaining(file.toString())
				.hasMessageContaining("OpenMode.CREATE");
			assertThatThrownBy(() -> store.dict("other", String.class, String.class))
				.isInstanceOf(ReadOnlyStoreException.class);
			assertThatThrownBy(store::sweep).isInstanceOf(ReadOnlyStoreException.class);
		}
		assertThat(Damage.sha256(file)).isEqualTo(before);
		BrokenFileTests.tried.add("OpenMode.READ_ONLY: reads served; writes, new dicts and sweeps refused with"
				+ " ReadOnlyStoreException naming the file; file untouched");
	}

	@Test
	void readOnlyModeShouldReadAStoreOnAReadOnlyFileSystem() throws Exception {
		Path ro = Files.createDirectory(this.dir.resolve("rofs"));
		assumeTrue(ROOT && Damage.mountTmpfs(ro, "4m"), "needs root and mount");
		try {
			Path file = smallStore(ro.resolve("r.db"));
			assertThat(Damage.remountReadOnly(ro)).isTrue();
			try (DictStore store = DictStore.open(file, StoreOptions.builder().openMode(OpenMode.READ_ONLY).build())) {
				assertThat(store.dict("d", String.class, String.class).get("b")).isEqualTo("2");
			}
		}
		finally {
			Damage.unmount(ro);
		}
	}

	@Test
	void fullDiskShouldFailTheWriteCleanlyAndKeepEarlierData() throws Exception {
		Path disk = Files.createDirectory(this.dir.resolve("disk"));
		assumeTrue(ROOT && Damage.mountTmpfs(disk, "2m"), "needs root and mount; maxPageCount... is the fallback");
		try {
			Path file = disk.resolve("full.db");
			int acknowledged = fillUntilFull(file, StoreOptions.defaults());
			try (DictStore store = DictStore.open(file)) {
				assertThat(store.checkIntegrity()).isEqualTo("ok");
				PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
				assertThat(dict.get("first")).isEqualTo("survives");
				for (int i = 0; i < acknowledged; i++) {
					assertThat(dict.get("k" + i)).as("k%d", i).isEqualTo(bigValue(i));
				}
			}
			BrokenFileTests.tried.add("full disk (tmpfs of 2 MB): the write fails with 'disk ... is full', naming the"
					+ " file; " + acknowledged + " earlier writes intact after reopening");
		}
		finally {
			Damage.unmount(disk);
		}
	}

	@Test
	void aBackupThatRunsOutOfSpaceShouldFailLeaveNoPartialFileAndAllowARetryElsewhere() throws Exception {
		Path disk = Files.createDirectory(this.dir.resolve("backup-disk"));
		assumeTrue(ROOT && Damage.mountTmpfs(disk, "1m"), "needs root and mount");
		try {
			Path file = this.dir.resolve("large.db");
			try (DictStore store = DictStore.open(file)) {
				PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
				Random random = new Random(1);
				for (int i = 0; i < 40; i++) {
					byte[] bytes = new byte[48 * 1024];
					random.nextBytes(bytes);
					dict.put("k" + i, java.util.Base64.getEncoder().encodeToString(bytes));
				}
				Path tooSmall = disk.resolve("copy.db");
				assertThatThrownBy(() -> store.backupTo(tooSmall)).isInstanceOf(PersistentDictException.class)
					.hasMessageContaining("large.db");
				assertThat(tooSmall).doesNotExist();
				Path roomy = this.dir.resolve("copy.db");
				store.backupTo(roomy);
				try (DictStore copy = DictStore.open(roomy)) {
					assertThat(copy.checkIntegrity()).isEqualTo("ok");
					assertThat(copy.dict("d", String.class, String.class)).hasSize(40);
				}
			}
			BrokenFileTests.tried.add("backup to a full disk (tmpfs of 1 MB): fails naming the store, leaves no partial"
					+ " file, and a retry elsewhere succeeds");
		}
		finally {
			Damage.unmount(disk);
		}
	}

	@Test
	void maxPageCountShouldFailTheWriteCleanlyAndKeepEarlierData() {
		Path file = this.dir.resolve("capped.db");
		StoreOptions capped = StoreOptions.builder().pragma("max_page_count", "64").build();
		int acknowledged = fillUntilFull(file, capped);
		try (DictStore store = DictStore.open(file, capped)) {
			assertThat(store.checkIntegrity()).isEqualTo("ok");
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			assertThat(dict.get("first")).isEqualTo("survives");
			for (int i = 0; i < acknowledged; i++) {
				assertThat(dict.get("k" + i)).isEqualTo(bigValue(i));
			}
		}
		BrokenFileTests.tried.add("store full at max_page_count=64: the write fails cleanly; earlier data intact");
	}

	@Test
	void writesShouldWorkAgainOnceSpaceIsFreed() {
		Path file = this.dir.resolve("freed.db");
		StoreOptions capped = StoreOptions.builder().pragma("max_page_count", "64").build();
		try (DictStore store = DictStore.open(file, capped)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			int i = 0;
			try {
				for (;; i++) {
					dict.set("k" + i, bigValue(i));
				}
			}
			catch (PersistentDictException ex) {
				assertThat(ex).hasMessageContaining("full");
			}
			for (int j = 0; j < i / 2; j++) {
				dict.remove("k" + j);
			}
			dict.put("after", "space was freed");
			assertThat(dict.get("after")).isEqualTo("space was freed");
			assertThat(dict.merge("after", "!", String::concat)).isEqualTo("space was freed!");
		}
	}

	private static String bigValue(int i) {
		return i + ":" + Long.toHexString(new Random(i).nextLong()).repeat(100);
	}

	/** Write until the store is full; return how many writes were acknowledged. */
	private static int fillUntilFull(Path file, StoreOptions options) {
		try (DictStore store = DictStore.open(file, options)) {
			PersistentDict<String, String> dict = store.dict("d", String.class, String.class);
			dict.put("first", "survives");
			int i = 0;
			Throwable full = null;
			for (; i < 1_000_000 && full == null; i++) {
				int n = i;
				full = catchThrowable(() -> dict.set("k" + n, bigValue(n)));
			}
			assertThat(full).isInstanceOf(PersistentDictException.class)
				.hasMessageContaining(file.toString())
				.hasMessageContaining("is full")
				.hasMessageContaining("earlier data is intact")
				.hasMessageContaining("Free disk space");
			assertThat(dict.get("first")).isEqualTo("survives");
			return i - 1;
		}
	}

	@Test
	void veryLongKeysAndValuesShouldRoundTrip() {
		Path file = this.dir.resolve("big.db");
		String longKey = "k".repeat(1024 * 1024);
		byte[] random = new byte[50 * 1024 * 1024];
		new Random(1).nextBytes(random);
		String text = "all work and no play makes Jack a dull boy ".repeat(1_200_000);
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, byte[]> blobs = store
				.dict(DictSpec.of("blobs", String.class, byte[].class).withCodec(Codec.bytes()));
			PersistentDict<String, String> texts = store.dict("texts", String.class, String.class);
			blobs.put(longKey, random);
			texts.put("book", text);
			texts.put(longKey, "short value under a long key");
			assertThat(blobs.get(longKey)).isEqualTo(random);
		}
		Damage.setStoredValue(file, "texts", longKey, 4, new byte[] { 1 });
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, byte[]> blobs = store
				.dict(DictSpec.of("blobs", String.class, byte[].class).withCodec(Codec.bytes()));
			PersistentDict<String, String> texts = store.dict("texts", String.class, String.class);
			assertThat(Arrays.equals(blobs.get(longKey), random)).isTrue();
			assertThat(texts.get("book")).isEqualTo(text);
			assertThat(texts.keySet()).hasSize(2);
			Throwable thrown = catchThrowable(() -> texts.get(longKey));
			assertThat(thrown).isInstanceOf(ValueDecodingException.class);
			assertThat(thrown.getMessage()).as("a 1 MB key is shortened in messages").hasSizeLessThan(2000);
			assertThat(store.checkIntegrity()).isEqualTo("ok");
		}
		BrokenFileTests.tried.add("1 MB key, 50 MB random value, 50 MB text value: round-trip after reopening; the"
				+ " long key is shortened in error messages");
	}

}
