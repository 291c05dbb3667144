/**
 * Auto-configuration for the persistentdict actuator endpoint.
 */
@NullMarked
package io.persistentdict.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
