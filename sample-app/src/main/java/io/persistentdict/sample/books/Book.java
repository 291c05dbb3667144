package io.persistentdict.sample.books;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * A book of the catalog. Cached values use the {@code java} codec, so they are
 * {@link Serializable}; classes in the application's packages are allowed to deserialize
 * without configuration.
 *
 * @param isbn the ISBN-13
 * @param title the title
 * @param author the author
 * @param price the price
 * @author persistentdict
 */
public record Book(String isbn, String title, String author, BigDecimal price) implements Serializable {

	Book withPrice(BigDecimal price) {
		return new Book(this.isbn, this.title, this.author, price);
	}

}
