package io.persistentdict.boot.autoconfigure;

import io.persistentdict.IncompatibleDictException;
import io.persistentdict.StoreOpenException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionOverrideException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Explains why persistentdict failed to start, and what to do: a store file that cannot
 * be opened (not writable, locked, foreign, corrupt), an unknown value type or codec, a
 * map whose bean name is taken, or a map reopened with other types. Ordered first, so
 * that it explains binding failures under {@code persistentdict.maps} before Boot's
 * generic analyzer does.
 *
 * @author persistentdict
 */
class PersistentDictFailureAnalyzer implements FailureAnalyzer, Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		StoreOpenException storeOpen = findCause(failure, StoreOpenException.class);
		if (storeOpen != null) {
			return StoreOpenFailures.analyze(storeOpen);
		}
		PersistentDictConfigurationException configuration = findCause(failure,
				PersistentDictConfigurationException.class);
		if (configuration != null) {
			return new FailureAnalysis(configuration.getMessage(), configuration.getAction(), configuration);
		}
		BeanDefinitionOverrideException override = findCause(failure, BeanDefinitionOverrideException.class);
		if (override != null && (isMap(override.getBeanDefinition()) || isMap(override.getExistingDefinition()))) {
			return analyzeNameClash(override);
		}
		BindException bind = findCause(failure, BindException.class);
		if (bind != null && findCause(bind, ClassNotFoundException.class) != null) {
			String name = bind.getName().toString();
			if (name.startsWith("persistentdict.maps.")) {
				return analyzeUnknownType(bind, name);
			}
		}
		IncompatibleDictException incompatible = findCause(failure, IncompatibleDictException.class);
		if (incompatible != null) {
			return new FailureAnalysis(incompatible.getMessage(),
					"Set the map's key-type, value-type and codec back to what the dict was created with, "
							+ "or give the map another name under 'persistentdict.maps'.",
					incompatible);
		}
		return null;
	}

	private static boolean isMap(@Nullable BeanDefinition definition) {
		String description = (definition != null) ? definition.getDescription() : null;
		return description != null && description.startsWith(PersistentDictBeanRegistrar.MAP_DESCRIPTION);
	}

	private static FailureAnalysis analyzeNameClash(BeanDefinitionOverrideException ex) {
		String name = ex.getBeanName();
		String description = "The map 'persistentdict.maps." + name + "' would be registered as a bean named '" + name
				+ "', but a bean with that name is already defined" + describe(ex.getExistingDefinition()) + ".";
		String action = "Rename the map under 'persistentdict.maps' (the bean is named after it), or rename the other"
				+ " bean '" + name + "'.";
		return new FailureAnalysis(description, action, ex);
	}

	private static String describe(@Nullable BeanDefinition definition) {
		if (definition == null) {
			return "";
		}
		String resource = definition.getResourceDescription();
		if (resource != null) {
			return " in " + resource;
		}
		return (definition.getBeanClassName() != null) ? " of class " + definition.getBeanClassName() : "";
	}

	private static FailureAnalysis analyzeUnknownType(BindException ex, String name) {
		Object value = (ex.getProperty() != null) ? ex.getProperty().getValue() : null;
		String description = "The class '" + value + "' set in '" + name + "' was not found.";
		String action = "Check the spelling of '" + name + "': use a fully qualified class name, such as "
				+ "'com.example.Session' (and 'com.example.Order$Line' for a nested class), that is on the classpath.";
		return new FailureAnalysis(description, action, ex);
	}

	static <T extends Throwable> @Nullable T findCause(@Nullable Throwable failure, Class<T> type) {
		Throwable current = failure;
		while (current != null) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = current.getCause();
		}
		return null;
	}

}
