package io.persistentdict.sample.books;

import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Books and ratings, cached in persistentdict: a hit is served from the SQLite file, also
 * after a restart, or with the {@code postgres} profile from the database, which every
 * instance of the sample shares.
 *
 * @author persistentdict
 */
@Service
public class BookService {

	private final BookCatalog catalog;

	BookService(BookCatalog catalog) {
		this.catalog = catalog;
	}

	/**
	 * Find a book: slow on a miss, fast on a hit.
	 * @param isbn the ISBN
	 * @return the book
	 */
	@Cacheable("books")
	public Book find(String isbn) {
		return this.catalog.lookup(isbn);
	}

	/**
	 * Change a book's price and put the new book in the cache, so that the next
	 * {@link #find} is a hit with the new price.
	 * @param isbn the ISBN
	 * @param price the new price
	 * @return the updated book
	 */
	@CachePut(cacheNames = "books", key = "#isbn")
	public Book updatePrice(String isbn, BigDecimal price) {
		return this.catalog.updatePrice(isbn, price);
	}

	/**
	 * Drop a book from the cache: the next {@link #find} is a miss.
	 * @param isbn the ISBN
	 */
	@CacheEvict("books")
	public void evict(String isbn) {
	}

	/**
	 * Find a book's rating without blocking: the cache is read through
	 * {@code Cache.retrieve}, off the caller's thread.
	 * @param isbn the ISBN
	 * @return the rating, once known
	 */
	@Cacheable("ratings")
	public CompletableFuture<Rating> rating(String isbn) {
		return this.catalog.rating(isbn);
	}

}
