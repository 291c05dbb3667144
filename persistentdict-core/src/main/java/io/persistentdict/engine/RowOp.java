package io.persistentdict.engine;

/**
 * A write of one row that reads the row it changes ({@link Exchange}, {@link Offer},
 * {@link Take}): an engine that can do the read and the write in one atomic statement may
 * run it on its own, outside the shared transaction that other writes wait for.
 *
 * @param <T> the result
 */
public sealed interface RowOp<T> extends Op<T> permits Exchange, Offer, Take {

}
