package io.persistentdict.sample.books;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The slow backend that the cache hides: a remote catalog, simulated. Every lookup takes
 * {@code sample.catalog.latency} (1s by default) and is counted, so that tests can tell a
 * cache hit from a call.
 *
 * @author persistentdict
 */
@Component
public class BookCatalog {

	private final Map<String, Book> books = new ConcurrentHashMap<>();

	private final Map<String, Rating> ratings = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

	private final Duration latency;

	BookCatalog(@Value("${sample.catalog.latency:1s}") Duration latency) {
		this.latency = latency;
		add("9780134685991", "Effective Java", "Joshua Bloch", "45.99", 4.8, 2310);
		add("9780321349606", "Java Concurrency in Practice", "Brian Goetz", "59.99", 4.7, 1540);
		add("9781449373320", "Designing Data-Intensive Applications", "Martin Kleppmann", "42.99", 4.8, 5120);
		add("9780132350884", "Clean Code", "Robert C. Martin", "37.99", 4.4, 6230);
		add("9780201633610", "Design Patterns", "Erich Gamma et al.", "54.99", 4.5, 2980);
		add("9780596007126", "Head First Design Patterns", "Eric Freeman, Elisabeth Robson", "44.95", 4.6, 3110);
		add("9781617294945", "Spring in Action", "Craig Walls", "49.99", 4.4, 780);
		add("9781491950357", "Building Microservices", "Sam Newman", "39.99", 4.5, 1890);
	}

	private void add(String isbn, String title, String author, String price, double stars, int reviews) {
		this.books.put(isbn, new Book(isbn, title, author, new BigDecimal(price)));
		this.ratings.put(isbn, new Rating(isbn, stars, reviews));
	}

	/**
	 * Look a book up, slowly.
	 * @param isbn the ISBN
	 * @return the book
	 * @throws BookNotFoundException if there is no such book
	 */
	public Book lookup(String isbn) {
		count(isbn);
		try {
			Thread.sleep(this.latency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Book book = this.books.get(isbn);
		if (book == null) {
			throw new BookNotFoundException(isbn);
		}
		return book;
	}

	/**
	 * Change a book's price. Writes are fast.
	 * @param isbn the ISBN
	 * @param price the new price
	 * @return the book with its new price
	 * @throws BookNotFoundException if there is no such book
	 */
	public Book updatePrice(String isbn, BigDecimal price) {
		Book book = this.books.computeIfPresent(isbn, (key, current) -> current.withPrice(price));
		if (book == null) {
			throw new BookNotFoundException(isbn);
		}
		return book;
	}

	/**
	 * Ask the rating service, which answers slowly and without blocking the caller.
	 * @param isbn the ISBN
	 * @return the rating, once it arrives
	 */
	public CompletableFuture<Rating> rating(String isbn) {
		count(isbn);
		return CompletableFuture.supplyAsync(() -> {
			Rating rating = this.ratings.get(isbn);
			if (rating == null) {
				throw new BookNotFoundException(isbn);
			}
			return rating;
		}, CompletableFuture.delayedExecutor(this.latency.toMillis(), TimeUnit.MILLISECONDS));
	}

	/**
	 * Return how often the backend was asked about a book, lookups and ratings together.
	 * @param isbn the ISBN
	 * @return the number of calls since startup
	 */
	public int calls(String isbn) {
		AtomicInteger count = this.calls.get(isbn);
		return (count != null) ? count.get() : 0;
	}

	private void count(String isbn) {
		this.calls.computeIfAbsent(isbn, (key) -> new AtomicInteger()).incrementAndGet();
	}

}
