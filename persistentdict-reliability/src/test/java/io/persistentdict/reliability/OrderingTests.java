package io.persistentdict.reliability;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.Layout;
import io.persistentdict.PersistentDict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order of {@code prefix} and {@code range} streams: key order, as documented, for
 * every layout.
 */
class OrderingTests {

	@Test
	void unboundedRangeOfARowidDictShouldBeInKeyOrder() {
		try (DictStore store = DictStore.inMemory()) {
			PersistentDict<String, String> dict = store
				.dict(DictSpec.of("d", String.class, String.class).withLayout(Layout.ROWID));
			List.of("c", "a", "b").forEach((k) -> dict.put(k, k));
			try (Stream<Map.Entry<String, String>> range = dict.range(null, null);
					Stream<Map.Entry<String, String>> prefix = dict.prefix("")) {
				assertThat(range.map(Map.Entry::getKey).toList()).containsExactly("a", "b", "c");
				assertThat(prefix.map(Map.Entry::getKey).toList()).containsExactly("a", "b", "c");
			}
		}
	}

}
