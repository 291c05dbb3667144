/**
 * The command-line tool: {@code java -jar persistentdict-cli.jar [--json] [--write] STORE
 * COMMAND [ARGS]}. It reads and maintains a store through the raw access path of
 * {@code io.persistentdict.tools}, so it needs none of the application's classes and
 * never deserializes a value.
 */
@NullMarked
package io.persistentdict.cli;

import org.jspecify.annotations.NullMarked;
