/**
 * Scheduled maintenance of persistentdict stores.
 */
@NullMarked
package io.persistentdict.boot.maintenance;

import org.jspecify.annotations.NullMarked;
