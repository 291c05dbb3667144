/**
 * Reliability and security suite of persistentdict: real processes killed with SIGKILL,
 * several JVMs on one file, a soak in a small heap, damaged files, a model check on a
 * fake clock, and the security checklist.
 */
@NullMarked
package io.persistentdict.reliability;

import org.jspecify.annotations.NullMarked;
