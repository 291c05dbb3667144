package io.persistentdict.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifier for the {@link javax.sql.DataSource} that stores with
 * {@code persistentdict.store.type=jdbc} (and
 * {@code persistentdict.stores.<name>.type=jdbc}) use instead of the application's own.
 * Declare it as a non-default candidate, so that it does not take the place of the
 * application's {@code DataSource}, which Boot would otherwise no longer create:
 *
 * <pre class="code">
 * &#64;Bean(defaultCandidate = false)
 * &#64;PersistentDictDataSource
 * HikariDataSource persistentDictDataSource() {
 *     ...
 * }
 * </pre>
 *
 * @author persistentdict
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface PersistentDictDataSource {

}
