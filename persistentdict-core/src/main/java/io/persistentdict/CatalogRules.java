package io.persistentdict;

import java.time.Instant;
import java.util.UUID;

import io.persistentdict.codec.Codec;
import io.persistentdict.codec.KeyCodec;
import io.persistentdict.engine.CatalogEntry;

/**
 * What a dict's catalog entry must say, and what may change when a dict is opened again:
 * its key type, key codec and value type are fixed; its value codec, TTL, sliding expiry
 * and compression follow the latest spec (rows keep the codec that wrote them); its
 * layout is chosen once, when it is created.
 */
final class CatalogRules {

	private CatalogRules() {
	}

	/**
	 * Return the entry a spec asks for.
	 * @param spec the spec
	 * @param keyCodec its key codec
	 * @param valueCodec its value codec
	 * @return the entry
	 */
	static CatalogEntry wanted(DictSpec<?, ?> spec, KeyCodec<?> keyCodec, Codec<?> valueCodec) {
		return new CatalogEntry(spec.namespace(), spec.name(), spec.keyType().getName(), keyCodec.id(),
				spec.valueType().getName(), valueCodec.id(), layoutOf(spec).name(),
				(spec.ttl() != null) ? spec.ttl().toMillis() : 0, spec.sliding(), spec.compressionThreshold(),
				spec.maximumSize(), spec.maximumBytes(), spec.eviction().name());
	}

	/**
	 * Return the layout a new dict gets: the spec's, or for {@code AUTO}, {@code COMPACT}
	 * for small fixed-size values and {@code SPLIT} for the others ({@code String},
	 * {@code byte[]} and any value whose size varies), which keeps small values inline
	 * and large ones aside.
	 */
	private static Layout layoutOf(DictSpec<?, ?> spec) {
		if (spec.layout() != Layout.AUTO) {
			return spec.layout();
		}
		Class<?> type = spec.valueType();
		boolean small = Number.class.isAssignableFrom(type) || type == Boolean.class || type == UUID.class
				|| type == Character.class || type.isEnum() || type == Instant.class;
		return small ? Layout.COMPACT : Layout.SPLIT;
	}

	/**
	 * Refuse to open a dict with other types than it was created with.
	 * @param existing the catalogued entry
	 * @param wanted the entry the spec asks for
	 * @param location the store, for the message
	 * @throws IncompatibleDictException if the types differ
	 */
	static void checkCompatible(CatalogEntry existing, CatalogEntry wanted, String location) {
		String name = wanted.qualifiedName();
		if (!existing.keyType().equals(wanted.keyType()) || !existing.keyCodec().equals(wanted.keyCodec())) {
			throw new IncompatibleDictException("Dict '" + name + "' in store " + location + " was created with "
					+ existing.keyType() + " keys (codec " + existing.keyCodec() + "), but is opened with "
					+ wanted.keyType() + " keys (codec " + wanted.keyCodec()
					+ "); open it with the original key type, or use another name");
		}
		if (!existing.valueType().equals(wanted.valueType())) {
			throw new IncompatibleDictException("Dict '" + name + "' in store " + location + " was created with "
					+ existing.valueType() + " values, but is opened with " + wanted.valueType()
					+ "; open it with the original value type, or use another name");
		}
	}

	/**
	 * Return whether the catalogued settings must be rewritten for a spec.
	 * @param existing the catalogued entry
	 * @param wanted the entry the spec asks for
	 * @return whether the settings differ
	 */
	static boolean settingsDiffer(CatalogEntry existing, CatalogEntry wanted) {
		return !existing.valueCodec().equals(wanted.valueCodec()) || existing.ttlMillis() != wanted.ttlMillis()
				|| existing.sliding() != wanted.sliding()
				|| existing.compressionThreshold() != wanted.compressionThreshold()
				|| existing.maximumSize() != wanted.maximumSize() || existing.maximumBytes() != wanted.maximumBytes()
				|| !existing.eviction().equals(wanted.eviction());
	}

}
