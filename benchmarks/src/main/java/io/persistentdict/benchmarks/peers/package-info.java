/**
 * One small adapter per peer, behind {@link io.persistentdict.benchmarks.peers.Kv}.
 */
@NullMarked
package io.persistentdict.benchmarks.peers;

import org.jspecify.annotations.NullMarked;
