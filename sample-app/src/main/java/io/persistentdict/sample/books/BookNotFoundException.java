package io.persistentdict.sample.books;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Thrown when the catalog has no book with an ISBN. Exceptions are never cached.
 *
 * @author persistentdict
 */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class BookNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public BookNotFoundException(String isbn) {
		super("No book with ISBN " + isbn);
	}

}
