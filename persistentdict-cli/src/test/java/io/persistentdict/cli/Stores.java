package io.persistentdict.cli;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.StoreOptions;
import io.persistentdict.codec.Codec;

/**
 * Real store files for the tests, made with the core API.
 */
final class Stores {

	static final UUID BLOB = UUID.fromString("00000000-0000-0000-0000-000000000001");

	private Stores() {
	}

	/** A book, stored by the json codec. */
	record Book(String title, int year) {
	}

	/** A value only this test's class path has, stored by the java codec. */
	record Secret(String text) implements Serializable {
	}

	/**
	 * Make a store with:
	 * <ul>
	 * <li>{@code map:users} String to String: u1 alice, u2 bob, u3 carol;</li>
	 * <li>{@code cache:counters} Long to Long, TTL 30m: 1 10, 2 20, 3 30;</li>
	 * <li>{@code map:books} String to Book (json): dune;</li>
	 * <li>{@code map:secrets} String to Secret (java), a class the tool does not have:
	 * s1;</li>
	 * <li>{@code cache:blobs} UUID to byte[]: BLOB 1 2 3;</li>
	 * <li>{@code map:flags} Integer to Boolean: 7 true;</li>
	 * <li>{@code map:scores} String to Double: pi 3.14;</li>
	 * <li>{@code map:old} String to String: two entries that expired a day ago and one
	 * live entry.</li>
	 * </ul>
	 */
	static Path make(Path dir) {
		Path file = dir.resolve("app.db");
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, String> users = store.dict("users", String.class, String.class);
			users.putAll(Map.of("u1", "alice", "u2", "bob", "u3", "carol"));
			PersistentDict<Long, Long> counters = store.dict(DictSpec.of("counters", Long.class, Long.class)
				.withNamespace("cache")
				.withTtl(Duration.ofMinutes(30)));
			counters.putAll(Map.of(1L, 10L, 2L, 20L, 3L, 30L));
			store.dict(DictSpec.of("books", String.class, Book.class).withCodec(Codec.json(Book.class)))
				.put("dune", new Book("Dune", 1965));
			store
				.dict(DictSpec.of("secrets", String.class, Secret.class)
					.withCodec(Codec.java(Secret.class, List.of(Secret.class.getName()))))
				.put("s1", new Secret("secret-marker"));
			store.dict(DictSpec.of("blobs", UUID.class, byte[].class).withNamespace("cache"))
				.put(BLOB, new byte[] { 1, 2, 3 });
			store.dict("flags", Integer.class, Boolean.class).put(7, true);
			store.dict("scores", String.class, Double.class).put("pi", 3.14);
		}
		Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
		try (DictStore store = DictStore.open(file,
				StoreOptions.builder().clock(InstantSource.fixed(dayAgo)).build())) {
			PersistentDict<String, String> old = store.dict("old", String.class, String.class);
			old.put("gone1", "x", Duration.ofMinutes(1));
			old.put("gone2", "y", Duration.ofMinutes(1));
			old.put("kept", "z");
		}
		return file;
	}

}
