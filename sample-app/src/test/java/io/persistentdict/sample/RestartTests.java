package io.persistentdict.sample;

import java.nio.file.Path;
import io.persistentdict.sample.books.Book;
import io.persistentdict.sample.books.BookCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stops the application and starts it again on the same file: cached books and pastes are
 * still there, and the second run serves the book without asking the catalog.
 */
class RestartTests {

	@TempDir
	Path data;

	@Test
	void restartShouldServeCachedBookAndPasteFromTheFile() {
		String isbn = "9780201633610";
		String pasteId;
		try (ConfigurableApplicationContext first = start()) {
			Http http = http(first);
			assertThat(http.get("/books/" + isbn, Book.class).getBody().title()).isEqualTo("Design Patterns");
			assertThat(first.getBean(BookCatalog.class).calls(isbn)).isEqualTo(1);
			pasteId = (String) Http.at(http.postText("/pastes", "still here").getBody(), "id");
		}
		try (ConfigurableApplicationContext second = start()) {
			Http http = http(second);
			assertThat(http.get("/books/" + isbn, Book.class).getBody().title()).isEqualTo("Design Patterns");
			// served from the file: a cache hit, and the new catalog was never asked
			assertThat(second.getBean(BookCatalog.class).calls(isbn)).isZero();
			assertThat(http.metric("cache.gets", "result:hit", "cache:books")).isEqualTo(1);
			assertThat(http.getJson("/pastes/" + pasteId)).containsEntry("text", "still here");
		}
	}

	private ConfigurableApplicationContext start() {
		return SpringApplication.run(SampleApplication.class,
				"--persistentdict.store.path=" + this.data.resolve("x.db"), "--server.port=0",
				"--spring.main.banner-mode=off", "--sample.catalog.latency=50ms");
	}

	private static Http http(ConfigurableApplicationContext context) {
		return new Http(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
	}

}
