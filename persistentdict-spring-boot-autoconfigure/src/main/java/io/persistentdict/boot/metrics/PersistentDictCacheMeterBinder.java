package io.persistentdict.boot.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import io.persistentdict.boot.cache.PersistentDictCache;
import org.jspecify.annotations.Nullable;

/**
 * Binds the standard cache meters ({@code cache.gets}, {@code cache.puts},
 * {@code cache.evictions}, {@code cache.size}) of a {@link PersistentDictCache}, plus
 * {@code cache.decoding.failures}: entries evicted because they no longer decoded.
 *
 * @author persistentdict
 */
public class PersistentDictCacheMeterBinder extends CacheMeterBinder<PersistentDictCache> {

	private final PersistentDictCache cache;

	public PersistentDictCacheMeterBinder(PersistentDictCache cache, Iterable<Tag> tags) {
		super(cache, cache.getName(), tags);
		this.cache = cache;
	}

	@Override
	protected @Nullable Long size() {
		return this.cache.estimatedSize();
	}

	@Override
	protected long hitCount() {
		return this.cache.getStatistics().getHits();
	}

	@Override
	protected @Nullable Long missCount() {
		return this.cache.getStatistics().getMisses();
	}

	@Override
	protected @Nullable Long evictionCount() {
		return this.cache.getStatistics().getEvictions() + this.cache.boundEvictions();
	}

	@Override
	protected long putCount() {
		return this.cache.getStatistics().getPuts();
	}

	@Override
	protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
		FunctionCounter
			.builder("cache.decoding.failures", this.cache, (cache) -> cache.getStatistics().getDecodingFailures())
			.description("Entries evicted because they no longer decoded, such as after a class changed")
			.tags(getTagsWithCacheName())
			.register(registry);
	}

}
