/**
 * Actuator endpoint for persistentdict stores.
 */
@NullMarked
package io.persistentdict.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
