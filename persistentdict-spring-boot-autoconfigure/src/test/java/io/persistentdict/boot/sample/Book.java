package io.persistentdict.boot.sample;

import java.io.Serializable;

/**
 * A value class of the "application", in its auto-configuration package.
 *
 * @param isbn the isbn
 * @param title the title
 */
public record Book(String isbn, String title) implements Serializable {

}
