package io.persistentdict;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.persistentdict.StoreStats.MaintenanceReport;
import io.persistentdict.codec.Codec;
import io.persistentdict.codec.KeyCodec;
import io.persistentdict.engine.CatalogEntry;
import io.persistentdict.engine.Engine;
import io.persistentdict.engine.EngineErrors;
import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Op;
import io.persistentdict.engine.Session;
import io.persistentdict.engine.Storage;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Totals;
import io.persistentdict.engine.TransactionHooks;
import io.persistentdict.engine.WriteScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DictStore} over an {@link Engine}: the dicts by name and the catalog's
 * rules, the near caches' coherence, sliding expiry, sweeps, stats and closing. Nothing
 * here knows which engine it runs on.
 */
final class EngineStore implements DictStore {

	private static final Logger logger = LoggerFactory.getLogger(EngineStore.class);

	private final Engine engine;

	private final StoreOptions options;

	private final String location;

	private final ConcurrentHashMap<String, DictCounters> counters = new ConcurrentHashMap<>();

	private final Coherence coherence;

	private final SlidingExpiry sliding = new SlidingExpiry(this);

	/** LRU dicts with accesses noted but not yet stamped. */
	private final Bounds.Noted accessed = new Bounds.Noted();

	private final Object closeLock = new Object();

	private volatile boolean open = true;

	/** The last run of one kind of maintenance. */
	private record Run(Instant at, long count, long millis, String message) {
	}

	private volatile @Nullable Run lastSweep;

	private volatile @Nullable Run lastVacuum;

	private volatile @Nullable Run lastIntegrityCheck;

	EngineStore(Engine engine) {
		this.engine = engine;
		this.options = engine.options();
		this.location = engine.errors().location();
		this.coherence = new Coherence(engine.changes(), options.nearCacheCheckInterval().toNanos(), options.clock());
		engine.install(new TransactionHooks() {

			@Override
			public void afterBegin(Session writer) throws SQLException {
				EngineStore.this.coherence.inTransaction(writer);
			}

			@Override
			public void beforeCommit(Session writer) {
				EngineStore.this.sliding.flush(writer);
				EngineStore.this.accessed.flush(writer);
			}

			@Override
			public boolean idle() {
				return EngineStore.this.sliding.isEmpty() && EngineStore.this.accessed.isEmpty()
						&& !EngineStore.this.coherence.active();
			}

		});
	}

	// ---- what the dicts use

	<T> @Nullable T read(Op<T> op, @Nullable String dict) {
		checkUsable();
		if (joined()) {
			// inside this thread's own write transaction: read what it has written
			return writes().exclusive(op);
		}
		try {
			return this.engine.read(op, dict);
		}
		catch (PersistentDictException ex) {
			// a read that failed because the store closed under it says so
			checkUsable();
			throw ex;
		}
	}

	WriteScheduler writes() {
		return this.engine.writes();
	}

	void checkUsable() {
		if (!this.open) {
			throw new IllegalStateException(
					"Store " + this.location + " is closed; open it again with DictStore.open(...) to use its dicts");
		}
		if (this.engine.heldByCurrentThread() && this.engine.writes().currentSession() == null) {
			throw new IllegalStateException("Store " + this.location + " was called from inside a compute, merge or"
					+ " batch function of the same store, which this engine cannot join to the function's"
					+ " transaction; such functions must not touch the store");
		}
	}

	/**
	 * Return whether the calling thread runs a write transaction of this store (a compute
	 * function, a batch, {@link #inTransaction}) that its calls join.
	 */
	boolean joined() {
		return this.engine.heldByCurrentThread() && this.engine.writes().currentSession() != null;
	}

	private void checkNotInTransaction(String operation) {
		if (this.engine.heldByCurrentThread()) {
			throw new IllegalStateException(capitalized(operation) + " of store " + this.location
					+ " was called inside a transaction of the same store; call it after the transaction ends");
		}
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	// ---- transactions

	@Override
	public <T> @Nullable T inTransaction(Supplier<T> work) {
		Objects.requireNonNull(work, "work must not be null");
		checkWritable("*");
		try {
			return writes().exclusive((w) -> work.get());
		}
		finally {
			if (!joined()) {
				this.coherence.flushDeferred();
			}
		}
	}

	void checkWritable(String dict) {
		checkUsable();
		if (this.engine.readOnly()) {
			throw new ReadOnlyStoreException("Dict '" + dict + "' in store " + this.location
					+ " is read-only because the store was opened with OpenMode.READ_ONLY; reopen it with"
					+ " OpenMode.CREATE to write");
		}
	}

	String location() {
		return this.location;
	}

	EngineErrors errors() {
		return this.engine.errors();
	}

	long now() {
		return this.options.clock().millis();
	}

	Coherence coherence() {
		return this.coherence;
	}

	/** An LRU dict noted an access: its stamps go into the next write transaction. */
	void accessNoted(Bounds bounds) {
		this.accessed.add(bounds);
	}

	/** Write the queued sliding refreshes now, in a transaction of their own. */
	void flushRefreshes() {
		writes().submit((w) -> null, false);
	}

	// ---- dicts

	@Override
	public <K, V> PersistentDict<K, V> dict(DictSpec<K, V> spec) {
		Objects.requireNonNull(spec, "spec must not be null");
		checkUsable();
		KeyCodec<K> keyCodec = (spec.keyCodec() != null) ? spec.keyCodec() : KeyCodec.defaultFor(spec.keyType());
		Codec<V> valueCodec = (spec.valueCodec() != null) ? spec.valueCodec()
				: Codec.defaultFor(spec.valueType(), this.options.allowedTypes(), this.options.classLoader());
		String qualified = spec.qualifiedName();
		CatalogEntry wanted = CatalogRules.wanted(spec, keyCodec, valueCodec);
		CatalogEntry existing = read((c) -> this.engine.catalog().find(c, spec.namespace(), spec.name()), qualified);
		Layout layout;
		// a read-only store cannot change the table: it reads it as catalogued
		boolean stamped = (existing != null && this.engine.readOnly()) ? existing.bounded() : wanted.bounded();
		if (existing != null) {
			CatalogRules.checkCompatible(existing, wanted, this.location);
			if (!this.engine.readOnly() && CatalogRules.settingsDiffer(existing, wanted)) {
				writes().exclusive((w) -> {
					this.engine.catalog().save(w, wanted, now());
					return null;
				});
			}
			layout = Layout.valueOf(existing.layout());
		}
		else {
			if (this.engine.readOnly()) {
				throw new ReadOnlyStoreException("Dict '" + qualified + "' does not exist in store " + this.location
						+ ", and a read-only store cannot create it");
			}
			layout = Layout.valueOf(wanted.layout());
			writes().exclusive((w) -> {
				CatalogEntry raced = this.engine.catalog().find(w, spec.namespace(), spec.name());
				if (raced != null) {
					CatalogRules.checkCompatible(raced, wanted, this.location);
					return null;
				}
				this.engine.catalog().create(w, wanted, Layout.valueOf(wanted.layout()), now());
				return null;
			});
		}
		TableStore table = this.engine.table(qualified, layout, KeyKind.of(keyCodec), stamped);
		if (spec.clearOnOpen()) {
			checkWritable(qualified);
			writes().exclusive((w) -> {
				table.clear(w);
				return null;
			});
			this.coherence.writtenAll(qualified, null);
		}
		NearCache near = (spec.nearCache() > 0) ? this.coherence.cache(qualified, spec.nearCache()) : null;
		DictCounters dictCounters = counters(qualified);
		// a read-only store writes nothing, so it evicts nothing
		Bounds bounds = (stamped && !this.engine.readOnly()) ? Bounds.of(this, table, dictCounters, spec) : null;
		if (bounds != null) {
			bounds.checkOnOpen();
		}
		return new EngineDict<>(this, spec, table,
				new DictEncoding<>(spec, keyCodec, valueCodec, this.options, this.location), dictCounters, near,
				this.sliding.forDict(table, wanted.ttlMillis()), bounds);
	}

	private DictCounters counters(String qualified) {
		return this.counters.computeIfAbsent(qualified, (name) -> new DictCounters());
	}

	@Override
	public Set<String> dictNames(String namespace) {
		Objects.requireNonNull(namespace, "namespace must not be null");
		Set<String> names = new LinkedHashSet<>();
		for (CatalogEntry entry : catalog()) {
			if (entry.namespace().equals(namespace)) {
				names.add(entry.name());
			}
		}
		return names;
	}

	private List<CatalogEntry> catalog() {
		List<CatalogEntry> entries = read((c) -> this.engine.catalog().all(c), null);
		return (entries != null) ? entries : List.of();
	}

	@Override
	public boolean drop(String namespace, String name) {
		// both parts: dict names may hold ':', so an unchecked namespace such as
		// "map:a" would name another dict's table
		DictSpec.validateNamespace(namespace);
		DictSpec.validateName(name);
		String qualified = namespace + ":" + name;
		checkWritable(qualified);
		Boolean existed = writes().exclusive((w) -> this.engine.catalog().drop(w, namespace, name));
		this.counters.remove(qualified);
		this.coherence.dropped(qualified);
		return Boolean.TRUE.equals(existed);
	}

	// ---- maintenance

	@Override
	public long sweep() {
		checkWritable("*");
		checkNotInTransaction("sweep");
		long total = 0;
		long started = System.nanoTime();
		for (CatalogEntry entry : catalog()) {
			TableStore table = this.engine.table(entry.qualifiedName(), Layout.valueOf(entry.layout()), KeyKind.ANY,
					entry.bounded());
			total += sweep(table);
			if (entry.bounded()) {
				// a bound lowered at reopen: down to it now, in short transactions
				new Bounds(this, table, counters(entry.qualifiedName()), entry.maximumSize(), entry.maximumBytes(),
						false)
					.drainAll();
			}
		}
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		this.lastSweep = new Run(Instant.ofEpochMilli(now()), total, millis, "");
		return total;
	}

	/**
	 * Delete a dict's expired rows, in batches of their own transactions, then count what
	 * is left.
	 * @param table the dict's table
	 * @return how many were deleted
	 */
	long sweep(TableStore table) {
		String qualified = table.name();
		checkWritable(qualified);
		long started = System.nanoTime();
		long total = table.sweep(writes(), this.options.clock());
		DictCounters dictCounters = counters(qualified);
		dictCounters.expirations.add(total);
		long now = now();
		Long live = read((c) -> table.count(c, now), qualified);
		dictCounters.entries = (live != null) ? live : 0;
		long nanos = System.nanoTime() - started;
		try {
			this.options.statsRecorder().recordSweep(qualified, total, nanos);
		}
		catch (RuntimeException ex) {
			logger.warn("StatsRecorder failed; ignoring", ex);
		}
		return total;
	}

	@Override
	public long incrementalVacuum(int maxPages) {
		checkWritable("*");
		checkNotInTransaction("incremental vacuum");
		if (maxPages < 0) {
			throw new IllegalArgumentException("maxPages must be 0 (all) or more, was " + maxPages);
		}
		long started = System.nanoTime();
		long freed = this.engine.incrementalVacuum(maxPages);
		recordVacuum(false, System.nanoTime() - started);
		return freed;
	}

	@Override
	public boolean vacuum() {
		checkWritable("*");
		checkNotInTransaction("vacuum");
		long started = System.nanoTime();
		boolean ran = this.engine.vacuum();
		if (ran) {
			recordVacuum(true, System.nanoTime() - started);
		}
		return ran;
	}

	@Override
	public boolean vacuumIfDue(Duration interval) {
		Objects.requireNonNull(interval, "interval must not be null");
		checkWritable("*");
		checkNotInTransaction("vacuum");
		long started = System.nanoTime();
		if (!this.engine.vacuumIfDue(interval, now())) {
			return false;
		}
		recordVacuum(false, System.nanoTime() - started);
		return true;
	}

	private void recordVacuum(boolean full, long nanos) {
		this.lastVacuum = new Run(Instant.ofEpochMilli(now()), 0, TimeUnit.NANOSECONDS.toMillis(nanos), "");
		try {
			this.options.statsRecorder().recordVacuum(full, nanos);
		}
		catch (RuntimeException ex) {
			logger.warn("StatsRecorder failed; ignoring", ex);
		}
	}

	@Override
	public boolean checkpoint() {
		checkWritable("*");
		checkNotInTransaction("checkpoint");
		return this.engine.checkpoint();
	}

	@Override
	public boolean optimize() {
		checkWritable("*");
		checkNotInTransaction("optimize");
		return this.engine.optimize();
	}

	@Override
	public String checkIntegrity() {
		checkUsable();
		String result = this.engine.checkIntegrity();
		this.lastIntegrityCheck = new Run(Instant.ofEpochMilli(now()), 0, 0, result);
		return result;
	}

	@Override
	public void backupTo(Path target) {
		Objects.requireNonNull(target, "target must not be null");
		checkUsable();
		checkNotInTransaction("backup");
		this.engine.backupTo(target);
	}

	// ---- stats

	@Override
	public StoreStats stats() {
		checkUsable();
		Storage storage = this.engine.storage();
		Map<String, DictStats> dicts = new LinkedHashMap<>();
		long now = now();
		for (CatalogEntry entry : catalog()) {
			String qualified = entry.qualifiedName();
			DictCounters dictCounters = counters(qualified);
			// exact and cheap on every engine that keeps totals: one row, plus the
			// expired
			// rows not yet swept, through the expiry index
			TableStore table = this.engine.table(qualified, Layout.valueOf(entry.layout()), KeyKind.ANY,
					entry.bounded());
			long[] counted = read((c) -> {
				Totals totals = table.totals(c);
				return new long[] { totals.rows() - table.expired(c, now), totals.bytes() };
			}, qualified);
			long entries = (counted != null) ? counted[0] : 0;
			dictCounters.entries = entries;
			dicts.put(qualified, dictCounters.snapshot(qualified, entries, (counted != null) ? counted[1] : 0));
		}
		return new StoreStats(this.engine.name(), this.location, storage.size(), storage.walSize(),
				storage.freeDiskSpace(), dicts, maintenanceReport(), storage.clockSkew());
	}

	private @Nullable MaintenanceReport maintenanceReport() {
		Run sweep = this.lastSweep;
		Run vacuum = this.lastVacuum;
		Run integrity = this.lastIntegrityCheck;
		if (sweep == null && vacuum == null && integrity == null) {
			return null;
		}
		return new MaintenanceReport((sweep != null) ? sweep.at() : null, (sweep != null) ? sweep.count() : 0,
				(sweep != null) ? sweep.millis() : 0, (vacuum != null) ? vacuum.at() : null,
				(vacuum != null) ? vacuum.millis() : 0, (integrity != null) ? integrity.at() : null,
				integrity == null || "ok".equals(integrity.message()),
				(integrity != null) ? integrity.message() : "not checked");
	}

	// ---- the store itself

	@Override
	public @Nullable Path path() {
		return this.engine.path();
	}

	@Override
	public StoreOptions options() {
		return this.options;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public void close() {
		// two threads closing at once: the second waits, then finds the store closed
		checkNotInTransaction("close");
		synchronized (this.closeLock) {
			if (!this.open) {
				return;
			}
			try {
				if (!this.sliding.isEmpty() && !this.engine.readOnly()) {
					flushRefreshes();
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Sliding expiry refreshes of store {} were not written before it closed", this.location,
						ex);
			}
			finally {
				this.open = false;
				this.engine.close();
			}
		}
	}

	@Override
	public String toString() {
		return "DictStore[" + this.location + "]";
	}

}
