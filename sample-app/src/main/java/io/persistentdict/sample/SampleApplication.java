package io.persistentdict.sample;

import java.time.InstantSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * The sample application: a persistent cache in front of a slow book catalog, and a paste
 * bin on a named map.
 *
 * @author persistentdict
 */
@SpringBootApplication
@EnableCaching
public class SampleApplication {

	/**
	 * The clock of the stores, maps and caches: the starter uses a unique
	 * {@link InstantSource} bean when there is one. Tests replace it with a clock they
	 * move forward, so they never sleep for a TTL.
	 * @return the system clock
	 */
	@Bean
	InstantSource clock() {
		return InstantSource.system();
	}

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
