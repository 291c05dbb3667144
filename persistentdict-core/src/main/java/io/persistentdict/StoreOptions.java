package io.persistentdict;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.persistentdict.codec.Codec;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a {@link DictStore}, validated when built.
 *
 * <pre class="code">
 * StoreOptions options = StoreOptions.builder()
 *     .synchronous(Synchronous.FULL)
 *     .busyTimeout(Duration.ofSeconds(10))
 *     .readPoolSize(8)
 *     .build();
 * </pre>
 *
 * <p>
 * Some options mean something to one engine only. The SQLite-only ones are the pragmas,
 * the driver's connection properties, the read pool's size, name and metrics tracker, and
 * {@link OpenMode#RECREATE} and {@link OpenMode#RECOVER}: an engine that has no use for
 * one refuses it when the store opens, with an {@link IllegalArgumentException} that
 * names the option.
 */
public final class StoreOptions {

	/** The default PostgreSQL schema. */
	public static final String DEFAULT_SCHEMA = "persistentdict";

	private static final StoreOptions DEFAULTS = builder().build();

	private final Synchronous synchronous;

	private final Duration busyTimeout;

	private final int readPoolSize;

	private final OpenMode openMode;

	private final InstantSource clock;

	private final List<String> allowedTypes;

	private final Map<String, String> pragmas;

	private final Map<String, String> connectionProperties;

	private final StatsRecorder statsRecorder;

	private final int maxBatch;

	private final @Nullable MetricsTrackerFactory metricsTrackerFactory;

	private final Duration nearCacheCheckInterval;

	private final @Nullable ClassLoader classLoader;

	private final @Nullable String poolName;

	private final String schema;

	private final boolean unloggedCaches;

	private final boolean createSchema;

	private StoreOptions(Builder builder) {
		this.synchronous = builder.synchronous;
		this.busyTimeout = builder.busyTimeout;
		this.readPoolSize = builder.readPoolSize;
		this.openMode = builder.openMode;
		this.clock = builder.clock;
		this.allowedTypes = List.copyOf(builder.allowedTypes);
		this.pragmas = Map.copyOf(builder.pragmas);
		this.connectionProperties = Map.copyOf(builder.connectionProperties);
		this.statsRecorder = builder.statsRecorder;
		this.maxBatch = builder.maxBatch;
		this.metricsTrackerFactory = builder.metricsTrackerFactory;
		this.nearCacheCheckInterval = builder.nearCacheCheckInterval;
		this.classLoader = builder.classLoader;
		this.poolName = builder.poolName;
		this.schema = builder.schema;
		this.unloggedCaches = builder.unloggedCaches;
		this.createSchema = builder.createSchema;
	}

	/**
	 * Return the default options: WAL, {@code synchronous=NORMAL}, a 5 second busy
	 * timeout, 4 read connections, the system clock.
	 * @return the defaults
	 */
	public static StoreOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Return a builder, starting from the defaults.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return a builder that starts from these options.
	 * @return a builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.synchronous = this.synchronous;
		builder.busyTimeout = this.busyTimeout;
		builder.readPoolSize = this.readPoolSize;
		builder.openMode = this.openMode;
		builder.clock = this.clock;
		builder.allowedTypes.addAll(this.allowedTypes);
		builder.pragmas.putAll(this.pragmas);
		builder.connectionProperties.putAll(this.connectionProperties);
		builder.statsRecorder = this.statsRecorder;
		builder.maxBatch = this.maxBatch;
		builder.metricsTrackerFactory = this.metricsTrackerFactory;
		builder.nearCacheCheckInterval = this.nearCacheCheckInterval;
		builder.classLoader = this.classLoader;
		builder.poolName = this.poolName;
		builder.schema = this.schema;
		builder.unloggedCaches = this.unloggedCaches;
		builder.createSchema = this.createSchema;
		return builder;
	}

	public Synchronous synchronous() {
		return this.synchronous;
	}

	public Duration busyTimeout() {
		return this.busyTimeout;
	}

	/**
	 * Return the size of the pool of read connections. The single write connection comes
	 * on top of it.
	 * @return the read pool size
	 */
	public int readPoolSize() {
		return this.readPoolSize;
	}

	public OpenMode openMode() {
		return this.openMode;
	}

	public InstantSource clock() {
		return this.clock;
	}

	/**
	 * Return the extra patterns allowed by the Java serialization codec of every dict of
	 * the store.
	 * @return the patterns
	 */
	public List<String> allowedTypes() {
		return this.allowedTypes;
	}

	public Map<String, String> pragmas() {
		return this.pragmas;
	}

	public Map<String, String> connectionProperties() {
		return this.connectionProperties;
	}

	public StatsRecorder statsRecorder() {
		return this.statsRecorder;
	}

	/**
	 * Return the most writes one group commit carries.
	 * @return the limit
	 */
	public int groupCommitLimit() {
		return this.maxBatch;
	}

	/**
	 * Return the class loader that the default Java serialization codecs resolve classes
	 * with, or {@code null} for Java's default.
	 * @return the class loader
	 */
	public @Nullable ClassLoader classLoader() {
		return this.classLoader;
	}

	/**
	 * Return the name of the read pool (and its metrics), or {@code null} to derive it
	 * from the file name.
	 * @return the pool name
	 */
	public @Nullable String poolName() {
		return this.poolName;
	}

	/**
	 * Return how often near caches check whether another process has written the file:
	 * the bound on how stale a near-cached read can be.
	 * @return the interval
	 */
	public Duration nearCacheCheckInterval() {
		return this.nearCacheCheckInterval;
	}

	/**
	 * Return the factory that tracks the read pool's metrics, if any.
	 * @return the factory, or {@code null}
	 */
	public @Nullable MetricsTrackerFactory metricsTrackerFactory() {
		return this.metricsTrackerFactory;
	}

	public String schema() {
		return this.schema;
	}

	public boolean unloggedCaches() {
		return this.unloggedCaches;
	}

	public boolean createSchema() {
		return this.createSchema;
	}

	@Override
	public String toString() {
		return "StoreOptions[synchronous=" + this.synchronous + ", busyTimeout=" + this.busyTimeout + ", readPoolSize="
				+ this.readPoolSize + ", openMode=" + this.openMode + ", pragmas=" + this.pragmas + "]";
	}

	/**
	 * Builds {@link StoreOptions}. Every setter validates its argument at once.
	 */
	public static final class Builder {

		private Synchronous synchronous = Synchronous.NORMAL;

		private Duration busyTimeout = Duration.ofSeconds(5);

		private int readPoolSize = 4;

		private OpenMode openMode = OpenMode.CREATE;

		private InstantSource clock = InstantSource.system();

		private final List<String> allowedTypes = new ArrayList<>();

		private final Map<String, String> pragmas = new LinkedHashMap<>();

		private final Map<String, String> connectionProperties = new LinkedHashMap<>();

		private StatsRecorder statsRecorder = StatsRecorder.none();

		private int maxBatch = 512;

		private @Nullable MetricsTrackerFactory metricsTrackerFactory;

		private Duration nearCacheCheckInterval = Duration.ofMillis(5);

		private @Nullable ClassLoader classLoader;

		private @Nullable String poolName;

		private String schema = DEFAULT_SCHEMA;

		private boolean unloggedCaches;

		private boolean createSchema = true;

		private Builder() {
		}

		/**
		 * Set the class loader that the default Java serialization codecs resolve classes
		 * with (Spring Boot passes its bean class loader, for DevTools' restarts).
		 * @param classLoader the class loader, or {@code null} for Java's default
		 * @return this builder
		 */
		public Builder classLoader(@Nullable ClassLoader classLoader) {
			this.classLoader = classLoader;
			return this;
		}

		/**
		 * Name the read pool; the name tags its metrics. By default it is derived from
		 * the file name.
		 * @param poolName the name, or {@code null} for the default
		 * @return this builder
		 */
		public Builder poolName(@Nullable String poolName) {
			this.poolName = poolName;
			return this;
		}

		/**
		 * Set how often near caches check {@code PRAGMA data_version} for writes by other
		 * processes: the bound on how stale a near-cached read can be.
		 * @param interval zero (check on every read) or more
		 * @return this builder
		 */
		public Builder nearCacheCheckInterval(Duration interval) {
			Objects.requireNonNull(interval, "interval must not be null");
			if (interval.isNegative()) {
				throw new IllegalArgumentException("nearCacheCheckInterval must not be negative, was " + interval);
			}
			this.nearCacheCheckInterval = interval;
			return this;
		}

		/**
		 * Track the read pool's metrics, for example with HikariCP's
		 * {@code MicrometerMetricsTrackerFactory}.
		 * @param factory the factory, or {@code null} for none
		 * @return this builder
		 */
		public Builder poolMetrics(@Nullable MetricsTrackerFactory factory) {
			this.metricsTrackerFactory = factory;
			return this;
		}

		/**
		 * Set how durable a commit is. {@link Synchronous#OFF} risks the file on power
		 * loss. On PostgreSQL, {@code FULL} and {@code NORMAL} keep the server's
		 * {@code synchronous_commit} (on by default); {@code OFF} runs writes with
		 * {@code SET LOCAL synchronous_commit = off}: a server crash can lose the last
		 * acknowledged commits (up to 3 times {@code wal_writer_delay}, 600 ms by
		 * default), though the database stays consistent.
		 * @param synchronous the level
		 * @return this builder
		 */
		public Builder synchronous(Synchronous synchronous) {
			this.synchronous = Objects.requireNonNull(synchronous, "synchronous must not be null");
			return this;
		}

		/**
		 * Set how long a connection waits for a lock held by another connection or
		 * process before it fails. SQLite only: on PostgreSQL, where the server's
		 * {@code lock_timeout} and the {@code DataSource}'s pool decide how long a write
		 * waits, a value other than the default is refused by name.
		 * @param busyTimeout the timeout, zero or more
		 * @return this builder
		 */
		public Builder busyTimeout(Duration busyTimeout) {
			Objects.requireNonNull(busyTimeout, "busyTimeout must not be null");
			if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("busyTimeout must be between 0 and 24 days, was " + busyTimeout);
			}
			this.busyTimeout = busyTimeout;
			return this;
		}

		/**
		 * Set the size of the pool of read connections.
		 * @param readPoolSize 1 or more
		 * @return this builder
		 */
		public Builder readPoolSize(int readPoolSize) {
			if (readPoolSize < 1 || readPoolSize > 256) {
				throw new IllegalArgumentException("readPoolSize must be between 1 and 256, was " + readPoolSize);
			}
			this.readPoolSize = readPoolSize;
			return this;
		}

		/**
		 * Set how the file is opened.
		 * @param openMode the mode
		 * @return this builder
		 */
		public Builder openMode(OpenMode openMode) {
			this.openMode = Objects.requireNonNull(openMode, "openMode must not be null");
			return this;
		}

		/**
		 * Set the clock that stamps and checks expiry. It must be wall-clock time,
		 * because expiry outlives the JVM.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(InstantSource clock) {
			this.clock = Objects.requireNonNull(clock, "clock must not be null");
			return this;
		}

		/**
		 * Allow more classes in the Java serialization codec of every dict.
		 * @param patterns {@code com.example.Order}, {@code com.example.*} or
		 * {@code com.example.**}
		 * @return this builder
		 */
		public Builder allowedTypes(Collection<String> patterns) {
			Objects.requireNonNull(patterns, "patterns must not be null");
			List<String> checked = List.copyOf(patterns);
			// fail now, not when the first dict opens: the java codec validates patterns
			Codec.java(Object.class, checked);
			this.allowedTypes.addAll(checked);
			return this;
		}

		/**
		 * Set a pragma on every connection, for example {@code cache_size} or
		 * {@code max_page_count}. {@code journal_mode}, {@code synchronous} and
		 * {@code busy_timeout} have their own settings.
		 * @param name the pragma
		 * @param value its value
		 * @return this builder
		 */
		public Builder pragma(String name, String value) {
			OptionChecks.checkPragma(name, value);
			this.pragmas.put(name, value);
			return this;
		}

		/**
		 * Pass a property to the sqlite-jdbc driver when it opens a connection.
		 * @param name the property
		 * @param value its value
		 * @return this builder
		 */
		public Builder connectionProperty(String name, String value) {
			this.connectionProperties.put(Objects.requireNonNull(name, "name must not be null"),
					Objects.requireNonNull(value, "value must not be null"));
			return this;
		}

		/**
		 * Set the recorder that receives sweep, vacuum and commit events.
		 * @param statsRecorder the recorder
		 * @return this builder
		 */
		public Builder statsRecorder(StatsRecorder statsRecorder) {
			this.statsRecorder = Objects.requireNonNull(statsRecorder, "statsRecorder must not be null");
			return this;
		}

		/**
		 * Set how many concurrent writes may share one commit.
		 * @param maxBatch 1 (one commit per write) or more
		 * @return this builder
		 */
		public Builder groupCommitLimit(int maxBatch) {
			if (maxBatch < 1) {
				throw new IllegalArgumentException("groupCommitLimit must be 1 or more, was " + maxBatch);
			}
			this.maxBatch = maxBatch;
			return this;
		}

		/**
		 * Set the PostgreSQL schema of the store's catalog and tables; stores in
		 * different schemas of one database are independent.
		 * @param schema lower-case letters, digits and '_', not starting with a digit, at
		 * most 63; {@code persistentdict} by default
		 * @return this builder
		 */
		public Builder schema(String schema) {
			this.schema = OptionChecks.checkSchema(schema);
			return this;
		}

		/**
		 * Set whether new {@code cache} tables are {@code UNLOGGED} on PostgreSQL: faster
		 * writes, but <strong>emptied after a server crash and not replicated</strong>.
		 * Off by default.
		 * @param unloggedCaches whether cache tables are unlogged
		 * @return this builder
		 */
		public Builder unloggedCaches(boolean unloggedCaches) {
			this.unloggedCaches = unloggedCaches;
			return this;
		}

		/**
		 * Set whether the store creates its PostgreSQL schema and tables (under an
		 * advisory lock) or only validates them; then a new dict whose table is missing
		 * fails with the DDL to add. On by default.
		 * @param createSchema whether to create what is missing
		 * @return this builder
		 */
		public Builder createSchema(boolean createSchema) {
			this.createSchema = createSchema;
			return this;
		}

		public StoreOptions build() {
			return new StoreOptions(this);
		}

	}

}
