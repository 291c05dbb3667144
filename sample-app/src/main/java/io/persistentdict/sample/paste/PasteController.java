package io.persistentdict.sample.paste;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import io.persistentdict.PersistentDict;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A paste bin. Pastes live in the {@code pastes} map declared under
 * {@code persistentdict.maps.pastes}: they survive restarts and disappear when they
 * expire.
 *
 * @author persistentdict
 */
@RestController
@RequestMapping("/pastes")
class PasteController {

	static final int MAX_LENGTH = 64 * 1024;

	static final Duration MAX_TTL = Duration.ofDays(7);

	private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	private static final int ID_LENGTH = 8;

	private final SecureRandom random = new SecureRandom();

	private final PersistentDict<String, Paste> pastes;

	private final InstantSource clock;

	PasteController(PersistentDict<String, Paste> pastes, InstantSource clock) {
		this.pastes = pastes;
		this.clock = clock;
	}

	/**
	 * Create a paste.
	 * @param text the text
	 * @param ttl how long to keep it, such as {@code 10m} or {@code PT10M}; absent means
	 * the map's ttl
	 * @param uri the request's URI, for the location
	 * @return the paste, with its id and expiry
	 */
	@PostMapping(consumes = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<PasteView> create(@RequestBody String text, @RequestParam(required = false) @Nullable String ttl,
			UriComponentsBuilder uri) {
		if (text.length() > MAX_LENGTH) {
			throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
					"A paste holds at most " + MAX_LENGTH + " characters");
		}
		Paste paste = new Paste(text, this.clock.instant());
		Duration timeToLive = (ttl != null) ? parseTtl(ttl) : null;
		String id = newId();
		// putIfAbsent is atomic: a colliding id is never overwritten
		while (((timeToLive != null) ? this.pastes.putIfAbsent(id, paste, timeToLive)
				: this.pastes.putIfAbsent(id, paste)) != null) {
			id = newId();
		}
		URI location = uri.path("/pastes/{id}").buildAndExpand(id).toUri();
		return ResponseEntity.created(location).body(view(id, paste));
	}

	@GetMapping("/{id}")
	ResponseEntity<PasteView> read(@PathVariable String id) {
		Paste paste = this.pastes.get(id);
		return (paste != null) ? ResponseEntity.ok(view(id, paste)) : ResponseEntity.notFound().build();
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		return (this.pastes.remove(id) != null) ? ResponseEntity.noContent().build()
				: ResponseEntity.notFound().build();
	}

	private PasteView view(String id, Paste paste) {
		Instant expiresAt = this.pastes.expiresAt(id).orElse(null);
		return new PasteView(id, paste.text(), paste.createdAt(), expiresAt);
	}

	private static Duration parseTtl(String ttl) {
		Duration duration;
		try {
			duration = DurationFormatterUtils.detectAndParse(ttl);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"ttl '" + ttl + "' is not a duration: use 10m, 2h or PT10M");
		}
		if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_TTL) > 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"ttl must be positive and at most " + MAX_TTL.toDays() + " days");
		}
		return duration;
	}

	private String newId() {
		StringBuilder id = new StringBuilder(ID_LENGTH);
		for (int i = 0; i < ID_LENGTH; i++) {
			id.append(ID_ALPHABET.charAt(this.random.nextInt(ID_ALPHABET.length())));
		}
		return id.toString();
	}

	/**
	 * A paste as the API shows it.
	 *
	 * @param id the id
	 * @param text the text
	 * @param createdAt when it was created
	 * @param expiresAt when it expires, or {@code null} for never
	 */
	record PasteView(String id, String text, Instant createdAt, @Nullable Instant expiresAt) {
	}

}
