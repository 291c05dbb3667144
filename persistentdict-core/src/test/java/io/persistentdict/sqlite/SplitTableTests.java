package io.persistentdict.sqlite;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.persistentdict.Layout;
import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Upsert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A {@code SPLIT} table's multi-row upsert, the statement group commit writes a run of
 * puts with, on a real file: rows in their order, and all or none of them.
 */
class SplitTableTests {

	@TempDir
	Path dir;

	private SqliteSession writer;

	private final SqliteTable table = new SqliteTable("t", Layout.SPLIT, KeyKind.TEXT);

	@BeforeEach
	void open() throws SQLException {
		this.writer = new SqliteSession(DriverManager.getConnection("jdbc:sqlite:" + this.dir.resolve("split.db")));
		this.table.create(this.writer);
	}

	@AfterEach
	void close() {
		this.writer.close();
	}

	@Test
	void aRunOfSmallAndLargeRowsShouldBeWrittenInItsOrder() throws SQLException {
		this.writer.begin();
		this.table.upsert(this.writer, List.of(row("a", 10, 1), row("a", 500, 2), row("b", 500, 3), row("c", 10, 4),
				row("b", 20, 5), row("a", 600, 6)));
		this.writer.commit();
		assertThat(this.table.get(this.writer, "a").value()).isEqualTo(bytes(600, 6));
		assertThat(this.table.get(this.writer, "b").value()).isEqualTo(bytes(20, 5));
		assertThat(this.table.get(this.writer, "c").value()).isEqualTo(bytes(10, 4));
		assertThat(query("SELECT k || ':' || (p IS NOT NULL) FROM t ORDER BY k")).containsExactly("a:1", "b:0", "c:0");
		assertThat(query("SELECT COUNT(*) FROM \"t#v\"")).containsExactly("1");
	}

	@Test
	void aRunWithARowAtFaultShouldWriteNoneOfItsRows() throws SQLException {
		this.writer.begin();
		this.table.upsert(this.writer, List.of(row("kept", 700, 1)));
		// a null value breaks the check that a row holds a value inline or aside
		List<Upsert> rows = new ArrayList<>(List.of(row("kept", 800, 2), row("new", 900, 3)));
		rows.add(new Upsert(this.table, "bad", null, 0));
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> this.table.upsert(this.writer, rows))
			.withMessageContaining("CHECK constraint failed");
		this.writer.commit();
		assertThat(this.table.get(this.writer, "kept").value()).isEqualTo(bytes(700, 1));
		assertThat(this.table.get(this.writer, "new")).isNull();
		assertThat(query("SELECT COUNT(*) FROM \"t#v\"")).containsExactly("1");
	}

	@Test
	void aRunOfSmallRowsShouldBeOneStatementThatDropsSideRows() throws SQLException {
		this.writer.begin();
		this.table.upsert(this.writer, List.of(row("a", 500, 1), row("b", 500, 2)));
		this.table.upsert(this.writer, List.of(row("a", 5, 3), row("b", 6, 4)));
		this.writer.commit();
		assertThat(this.writer.isPrepared(this.table.upsertSql(2))).isTrue();
		assertThat(this.table.get(this.writer, "a").value()).isEqualTo(bytes(5, 3));
		assertThat(query("SELECT COUNT(*) FROM \"t#v\"")).containsExactly("0");
	}

	private Upsert row(String key, int length, int seed) {
		return new Upsert(this.table, key, bytes(length, seed), 0);
	}

	private static byte[] bytes(int length, int seed) {
		byte[] value = new byte[length];
		Arrays.fill(value, (byte) seed);
		return value;
	}

	private List<String> query(String sql) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Statement statement = this.writer.connection().createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			while (rs.next()) {
				rows.add(rs.getString(1));
			}
		}
		return rows;
	}

}
