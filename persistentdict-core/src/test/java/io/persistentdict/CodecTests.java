package io.persistentdict;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.persistentdict.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CodecTests {

	@TempDir
	Path dir;

	record Address(String city) implements Serializable {
	}

	record User(String name, Address address, List<String> roles, Instant created) implements Serializable {
	}

	/** Not on any allow-list: stands in for a library's gadget class. */
	static final class Gadget implements Serializable {

		private static final long serialVersionUID = 1L;

	}

	@Test
	void javaCodecShouldRoundTripTheDeclaredTypeAndJdkValues() {
		try (DictStore store = DictStore.open(this.dir.resolve("java.db"),
				StoreOptions.builder().allowedTypes(List.of(Address.class.getName())).build())) {
			PersistentDict<String, User> users = store.dict("users", String.class, User.class);
			User alice = new User("alice", new Address("Oslo"), List.of("admin"), Instant.EPOCH);
			users.put("u1", alice);
			assertThat(users.get("u1")).isEqualTo(alice).isNotSameAs(alice);
		}
	}

	@Test
	void javaCodecShouldRefuseAtPutWhatItCouldNeverReadBack() {
		try (DictStore store = DictStore.open(this.dir.resolve("put.db"))) {
			PersistentDict<String, Object> dict = store.dict("things", String.class, Object.class);
			dict.put("ok", List.of("a", 1L));
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> dict.put("gadget", new Gadget()))
				.withMessageContaining("'gadget'")
				.withMessageContaining(Gadget.class.getName())
				.withMessageContaining("allow-list");
			assertThatExceptionOfType(PersistentDictException.class)
				.isThrownBy(() -> dict.put("nested", Map.of("inner", new Gadget())))
				.withMessageContaining(Gadget.class.getName());
			assertThat(dict).containsOnlyKeys("ok");
		}
	}

	@Test
	void javaCodecShouldRefuseAtReadAClassOutsideTheAllowList() {
		Path file = this.dir.resolve("gadget.db");
		// a writer that allowed the class (another application, or an older
		// configuration)
		try (DictStore store = DictStore.open(file,
				StoreOptions.builder().allowedTypes(List.of(Gadget.class.getName())).build())) {
			PersistentDict<String, Object> dict = store.dict("things", String.class, Object.class);
			dict.put("gadget", new Gadget());
			dict.put("nested", Map.of("inner", new Gadget()));
			dict.put("ok", List.of("a", 1L));
		}
		try (DictStore store = DictStore.open(file)) {
			PersistentDict<String, Object> dict = store.dict("things", String.class, Object.class);
			assertThat(dict.get("ok")).isEqualTo(List.of("a", 1L));
			assertThatExceptionOfType(ValueDecodingException.class).isThrownBy(() -> dict.get("gadget"))
				.withMessageContaining("'gadget'")
				.withMessageContaining("map:things")
				.withMessageContaining("refused class " + Gadget.class.getName());
			assertThatExceptionOfType(ValueDecodingException.class).isThrownBy(() -> dict.get("nested"))
				.withMessageContaining("refused class " + Gadget.class.getName());
		}
	}

	@Test
	void jsonCodecShouldStoreReadableJson() {
		try (DictStore store = DictStore.inMemory()) {
			PersistentDict<String, Address> dict = store
				.dict(DictSpec.of("json", String.class, Address.class).withCodec(Codec.json(Address.class)));
			dict.put("a", new Address("Lima"));
			assertThat(dict.get("a")).isEqualTo(new Address("Lima"));
			assertThat(Codec.json(Address.class).encode(new Address("Lima"))).asString()
				.isEqualTo("{\"city\":\"Lima\"}");
		}
	}

	@Test
	void primitiveCodecsShouldBeChosenForBoxedTypes() {
		try (DictStore store = DictStore.inMemory()) {
			PersistentDict<String, Long> longs = store.dict("l", String.class, Long.class);
			PersistentDict<String, Double> doubles = store.dict("d", String.class, Double.class);
			PersistentDict<String, Boolean> booleans = store.dict("b", String.class, Boolean.class);
			PersistentDict<String, byte[]> bytes = store.dict("y", String.class, byte[].class);
			longs.put("k", Long.MIN_VALUE);
			doubles.put("k", Math.PI);
			booleans.put("k", true);
			bytes.put("k", new byte[] { 1, 2, 3 });
			assertThat(longs.get("k")).isEqualTo(Long.MIN_VALUE);
			assertThat(doubles.get("k")).isEqualTo(Math.PI);
			assertThat(booleans.get("k")).isTrue();
			assertThat(bytes.get("k")).containsExactly(1, 2, 3);
			assertThat(longs.merge("k", 1L, Long::sum)).isEqualTo(Long.MIN_VALUE + 1);
		}
	}

	@Test
	void javaCodecShouldResolveClassesWithTheConfiguredClassLoader() {
		java.util.Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();
		ClassLoader recording = new ClassLoader(getClass().getClassLoader()) {
			@Override
			protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
				asked.add(name);
				return super.loadClass(name, resolve);
			}
		};
		try (DictStore store = DictStore.open(this.dir.resolve("loader.db"),
				StoreOptions.builder().classLoader(recording).poolName("loader-pool").build())) {
			PersistentDict<String, Address> dict = store.dict("a", String.class, Address.class);
			dict.put("k", new Address("Quito"));
			assertThat(dict.get("k")).isEqualTo(new Address("Quito"));
			assertThat(asked).contains(Address.class.getName());
		}
	}

	@Test
	void unknownCodecNameShouldListTheKnownOnes() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Codec.named("yaml", String.class, List.of()))
			.withMessageContaining("bytes, string");
	}

	@Test
	void unserializableValueShouldFailWithoutShowingTheValue() {
		try (DictStore store = DictStore.inMemory()) {
			PersistentDict<String, Object> dict = store.dict("o", String.class, Object.class);
			Object secret = new Object() {
				@Override
				public String toString() {
					return "SECRET-VALUE";
				}
			};
			assertThatExceptionOfType(PersistentDictException.class).isThrownBy(() -> dict.put("k", secret))
				.withMessageContaining("'k'")
				.withMessageContaining("not Serializable")
				.withMessageNotContaining("SECRET-VALUE");
		}
	}

}
