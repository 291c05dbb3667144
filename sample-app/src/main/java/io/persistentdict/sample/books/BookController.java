package io.persistentdict.sample.books;

import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTP API of the book service.
 *
 * @author persistentdict
 */
@RestController
@RequestMapping("/books")
class BookController {

	private final BookService books;

	BookController(BookService books) {
		this.books = books;
	}

	@GetMapping("/{isbn}")
	Book book(@PathVariable String isbn) {
		return this.books.find(normalize(isbn));
	}

	@PutMapping("/{isbn}/price")
	Book updatePrice(@PathVariable String isbn, @RequestParam BigDecimal amount) {
		return this.books.updatePrice(normalize(isbn), amount);
	}

	@DeleteMapping("/{isbn}/cache")
	ResponseEntity<Void> evict(@PathVariable String isbn) {
		this.books.evict(normalize(isbn));
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{isbn}/rating")
	CompletableFuture<Rating> rating(@PathVariable String isbn) {
		return this.books.rating(normalize(isbn));
	}

	/**
	 * Accept ISBNs with hyphens or spaces, and use one form as the cache key.
	 */
	private static String normalize(String isbn) {
		return isbn.replace("-", "").replace(" ", "");
	}

}
