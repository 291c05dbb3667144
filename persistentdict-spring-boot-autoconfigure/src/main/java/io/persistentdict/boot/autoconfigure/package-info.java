/**
 * Auto-configuration for persistentdict stores and map beans.
 */
@NullMarked
package io.persistentdict.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
