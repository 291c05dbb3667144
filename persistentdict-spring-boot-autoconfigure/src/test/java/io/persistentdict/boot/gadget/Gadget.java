package io.persistentdict.boot.gadget;

import java.io.Serializable;

/**
 * Stands for a serializable class of a library: not allowed by default.
 *
 * @param payload the payload
 */
public record Gadget(String payload) implements Serializable {

}
