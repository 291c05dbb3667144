package io.persistentdict.boot.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.persistentdict.boot.cache.PersistentDictCache;

import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;

/**
 * {@link CacheMeterBinderProvider} for {@link PersistentDictCache}.
 *
 * @author persistentdict
 */
public class PersistentDictCacheMeterBinderProvider implements CacheMeterBinderProvider<PersistentDictCache> {

	@Override
	public MeterBinder getMeterBinder(PersistentDictCache cache, Iterable<Tag> tags) {
		return new PersistentDictCacheMeterBinder(cache, tags);
	}

}
