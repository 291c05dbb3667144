package io.persistentdict.boot.autoconfigure.cache;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code spring.cache.type} is not set: setting it asks Boot for one of its
 * own cache managers.
 *
 * @author persistentdict
 */
class CacheTypeNotSetCondition extends SpringBootCondition {

	private static final String PROPERTY = "spring.cache.type";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String type = context.getEnvironment().getProperty(PROPERTY);
		if (type != null) {
			return ConditionOutcome.noMatch("'" + PROPERTY + "' is set to '" + type + "'");
		}
		return ConditionOutcome.match("'" + PROPERTY + "' is not set");
	}

}
