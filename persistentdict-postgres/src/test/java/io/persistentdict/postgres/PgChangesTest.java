package io.persistentdict.postgres;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payload of a commit's one notification: what is written is what is read, and it
 * stays under PostgreSQL's 8000 bytes whatever was written.
 */
class PgChangesTest {

	private static final String T1 = PgSchema.tableName("map:one");

	private static final String T2 = PgSchema.tableName("map:two");

	@Test
	void keysShouldReadBackAsWritten() {
		PgChanges changes = new PgChanges(true);
		changes.wrote(T1, "plain");
		changes.wrote(T1, "with s3:odd/ text;*!");
		changes.wrote(T1, "ünïcødé \uD83D\uDE00");
		changes.wrote(T2, -42L);
		changes.wrote(T2, Long.MAX_VALUE);
		changes.wrote(T1, "plain");
		assertThat(read(changes.payload())).containsExactly(T1 + " plain", T1 + " with s3:odd/ text;*!",
				T1 + " ünïcødé \uD83D\uDE00", T2 + " -42", T2 + " " + Long.MAX_VALUE);
	}

	@Test
	void bytesKeysAndWholeDictWritesShouldClearTheDict() {
		PgChanges changes = new PgChanges(true);
		changes.wrote(T1, new byte[] { 1, 2 });
		changes.wrote(T2, "k");
		changes.wroteAll(T2);
		assertThat(read(changes.payload())).containsExactly(T1 + " *", T2 + " *");
	}

	@Test
	void tooManyKeysShouldClearTheDictAndStayUnderTheLimit() {
		PgChanges changes = new PgChanges(true);
		changes.wrote(T2, "small");
		for (int i = 0; i < 400; i++) {
			changes.wrote(T1, "key-number-" + i + "-ééé");
		}
		String payload = changes.payload();
		assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(8000);
		assertThat(read(payload)).containsExactly(T2 + " small", T1 + " *");
		PgChanges many = new PgChanges(true);
		for (int i = 0; i <= PgChanges.MAX_KEYS; i++) {
			many.wrote(T1, (long) i);
		}
		assertThat(read(many.payload())).containsExactly(T1 + " *");
	}

	@Test
	void tooManyDictsShouldClearEverything() {
		PgChanges changes = new PgChanges(true);
		for (int i = 0; i < 300; i++) {
			changes.wrote(PgSchema.tableName("map:d" + i), "k");
		}
		assertThat(read(changes.payload())).containsExactly("!");
	}

	@Test
	void otherEncodingsShouldCountFourBytesACharacter() {
		PgChanges changes = new PgChanges(false);
		changes.wrote(T1, "x".repeat(1900));
		assertThat(read(changes.payload())).containsExactly(T1 + " " + "x".repeat(1900));
		changes.wrote(T1, "y".repeat(100));
		assertThat(read(changes.payload())).containsExactly(T1 + " *");
	}

	@Test
	void unreadablePayloadsShouldClearEverything() {
		for (String payload : List.of("hello", T1.substring(2) + "s99:short/", T1.substring(2) + "x/",
				T1.substring(2) + "i12", "zz" + T1.substring(4) + "*/")) {
			assertThat(read(payload)).as(payload).containsExactly("!");
		}
	}

	private static List<String> read(String payload) {
		List<String> heard = new ArrayList<>();
		PgChanges.read(payload, new PgChanges.Reader() {

			@Override
			public void all() {
				heard.add("!");
			}

			@Override
			public void table(String table) {
				heard.add(table + " *");
			}

			@Override
			public void key(String table, Object key) {
				heard.add(table + " " + key);
			}

		});
		return heard;
	}

}
