package io.persistentdict.engine;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A page of rows, where the next page starts, and whether rows may follow it.
 *
 * @param rows the rows
 * @param last where the next page starts, or {@code null} when there are no rows
 * @param more whether the page stopped at its row limit or its byte budget, so that more
 * rows may follow
 */
public record Page(List<Row> rows, @Nullable Object last, boolean more) {

	/**
	 * The most value bytes one page holds, beyond its first row: an iterator over large
	 * values holds a few megabytes, not {@code limit} values.
	 */
	public static final int MAX_BYTES = 4 * 1024 * 1024;

	/** The page with no rows and nothing after it. */
	public static final Page EMPTY = new Page(List.of(), null, false);

}
