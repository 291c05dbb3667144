package io.persistentdict.sample.paste;

import java.time.Instant;

/**
 * A paste, as stored in the {@code pastes} map. The map uses the {@code json} codec, so
 * the file holds readable JSON and the record need not be {@code Serializable}.
 *
 * @param text the pasted text
 * @param createdAt when it was created
 * @author persistentdict
 */
public record Paste(String text, Instant createdAt) {

}
