package io.persistentdict.boot.cache;

import java.lang.reflect.Method;

import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.util.ReflectionUtils;

/**
 * Turns cache keys into readable strings: a {@code String} as it is, otherwise through a
 * {@link ConversionService}, otherwise through an overridden {@code toString()}, as
 * {@code RedisCache} does.
 *
 * @author persistentdict
 */
final class CacheKeyConverter {

	private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);

	private final String cacheName;

	private final ConversionService conversionService;

	CacheKeyConverter(String cacheName, ConversionService conversionService) {
		this.cacheName = cacheName;
		this.conversionService = conversionService;
	}

	/**
	 * Return a conversion service with the default converters, plus one for
	 * {@link SimpleKey}.
	 * @return the conversion service
	 */
	static DefaultFormattingConversionService createDefaultConversionService() {
		DefaultFormattingConversionService conversionService = new DefaultFormattingConversionService();
		conversionService.addConverter(SimpleKey.class, String.class, SimpleKey::toString);
		return conversionService;
	}

	String convert(Object key) {
		if (key instanceof String string) {
			return string;
		}
		TypeDescriptor source = TypeDescriptor.forObject(key);
		if (this.conversionService.canConvert(source, STRING)) {
			try {
				String converted = (String) this.conversionService.convert(key, source, STRING);
				if (converted != null) {
					return converted;
				}
			}
			catch (ConversionFailedException ex) {
				if (!hasToString(key)) {
					throw ex;
				}
			}
		}
		if (hasToString(key)) {
			return key.toString();
		}
		throw new IllegalStateException(("Cannot convert cache key %s of cache '%s' to a String; register a "
				+ "Converter in the cache manager's ConversionService or override toString()")
			.formatted(key.getClass().getName(), this.cacheName));
	}

	private static boolean hasToString(Object key) {
		Method method = ReflectionUtils.findMethod(key.getClass(), "toString");
		return method != null && method.getDeclaringClass() != Object.class;
	}

}
