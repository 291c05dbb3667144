package io.persistentdict.sample.books;

import java.io.Serializable;

/**
 * Readers' rating of a book, from a slow asynchronous service.
 *
 * @param isbn the ISBN-13
 * @param stars the average, from 1 to 5
 * @param reviews how many reviews
 * @author persistentdict
 */
public record Rating(String isbn, double stars, int reviews) implements Serializable {

}
