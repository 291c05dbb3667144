/**
 * Auto-configuration for scheduled persistentdict maintenance.
 */
@NullMarked
package io.persistentdict.boot.autoconfigure.maintenance;

import org.jspecify.annotations.NullMarked;
