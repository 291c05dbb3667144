-- A schema of version 4, as persistentdict wrote it before statements of many rows counted
-- themselves: statement-level count triggers beside the row-level ones, chosen per transaction by
-- the setting persistentdict.row_counts. Two dicts opened and written by that code (users: text
-- keys, 22 rows after puts, a putAll of 20, a remove and a longer value; ids: bigint keys, 5 rows),
-- dumped with pg_dump --inserts (its SET lines left out). PgCountsTests migrates it.
CREATE SCHEMA pd_v4_fixture;
CREATE FUNCTION pd_v4_fixture.pd_count_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_counts" (t, entries, bytes) SELECT TG_TABLE_NAME, -count(*), -sum(octet_length(v) + "pd_v4_fixture".pd_key_bytes(k)) FROM o HAVING count(*) > 0; RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_count_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_counts" (t, entries, bytes) SELECT TG_TABLE_NAME, count(*), sum(octet_length(v) + "pd_v4_fixture".pd_key_bytes(k)) FROM n HAVING count(*) > 0; RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_count_row_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_counts" (t, entries, bytes) VALUES (TG_TABLE_NAME, -1, -(octet_length(OLD.v) + "pd_v4_fixture".pd_key_bytes(OLD.k))); RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_count_row_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_counts" (t, entries, bytes) VALUES (TG_TABLE_NAME, 1, octet_length(NEW.v) + "pd_v4_fixture".pd_key_bytes(NEW.k)); RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_count_row_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_counts" (t, entries, bytes) VALUES (TG_TABLE_NAME, 0, octet_length(NEW.v) - octet_length(OLD.v)); RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_count_truncated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN DELETE FROM "pd_v4_fixture"."pd_counts" WHERE t = TG_TABLE_NAME; RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_count_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_counts" (t, entries, bytes) SELECT TG_TABLE_NAME, 0, d FROM (SELECT (SELECT coalesce(sum(octet_length(v) + "pd_v4_fixture".pd_key_bytes(k)), 0) FROM n) - (SELECT coalesce(sum(octet_length(v) + "pd_v4_fixture".pd_key_bytes(k)), 0) FROM o) AS d) b WHERE d <> 0; RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_key_bytes(bytea) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $_$SELECT octet_length($1)::bigint$_$;
CREATE FUNCTION pd_v4_fixture.pd_key_bytes(bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$SELECT 8::bigint$$;
CREATE FUNCTION pd_v4_fixture.pd_key_bytes(text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $_$SELECT octet_length($1)::bigint$_$;
CREATE FUNCTION pd_v4_fixture.pd_ucount_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_ucounts" (t, entries, bytes) SELECT TG_TABLE_NAME, -count(*), -sum(octet_length(v) + "pd_v4_fixture".pd_key_bytes(k)) FROM o HAVING count(*) > 0; RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_ucount_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_ucounts" (t, entries, bytes) SELECT TG_TABLE_NAME, count(*), sum(octet_length(v) + "pd_v4_fixture".pd_key_bytes(k)) FROM n HAVING count(*) > 0; RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_ucount_row_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_ucounts" (t, entries, bytes) VALUES (TG_TABLE_NAME, -1, -(octet_length(OLD.v) + "pd_v4_fixture".pd_key_bytes(OLD.k))); RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_ucount_row_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_ucounts" (t, entries, bytes) VALUES (TG_TABLE_NAME, 1, octet_length(NEW.v) + "pd_v4_fixture".pd_key_bytes(NEW.k)); RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_ucount_row_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_ucounts" (t, entries, bytes) VALUES (TG_TABLE_NAME, 0, octet_length(NEW.v) - octet_length(OLD.v)); RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_ucount_truncated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN DELETE FROM "pd_v4_fixture"."pd_ucounts" WHERE t = TG_TABLE_NAME; RETURN NULL; END$$;
CREATE FUNCTION pd_v4_fixture.pd_ucount_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO "pd_v4_fixture"."pd_ucounts" (t, entries, bytes) SELECT TG_TABLE_NAME, 0, d FROM (SELECT (SELECT coalesce(sum(octet_length(v) + "pd_v4_fixture".pd_key_bytes(k)), 0) FROM n) - (SELECT coalesce(sum(octet_length(v) + "pd_v4_fixture".pd_key_bytes(k)), 0) FROM o) AS d) b WHERE d <> 0; RETURN NULL; END$$;
CREATE TABLE pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 (
    k text NOT NULL COLLATE pg_catalog."C",
    v bytea NOT NULL,
    x bigint
);
CREATE TABLE pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 (
    k bigint NOT NULL,
    v bytea NOT NULL,
    x bigint
);
CREATE TABLE pd_v4_fixture.pd_catalog (
    namespace text NOT NULL COLLATE pg_catalog."C",
    name text NOT NULL COLLATE pg_catalog."C",
    key_type text NOT NULL,
    key_codec text NOT NULL,
    key_kind text NOT NULL,
    value_type text NOT NULL,
    value_codec text NOT NULL,
    layout text NOT NULL,
    ttl_ms bigint,
    sliding boolean NOT NULL,
    compression_threshold integer NOT NULL,
    table_name text NOT NULL,
    created_at bigint NOT NULL,
    maximum_size bigint,
    maximum_bytes bigint,
    eviction text
);
CREATE TABLE pd_v4_fixture.pd_counts (
    t text NOT NULL COLLATE pg_catalog."C",
    entries bigint NOT NULL,
    bytes bigint NOT NULL
)
WITH (autovacuum_vacuum_scale_factor='0', autovacuum_vacuum_threshold='1000');
CREATE TABLE pd_v4_fixture.pd_meta (
    key text NOT NULL COLLATE pg_catalog."C",
    value bigint
);
CREATE UNLOGGED TABLE pd_v4_fixture.pd_ucounts (
    t text NOT NULL COLLATE pg_catalog."C",
    entries bigint NOT NULL,
    bytes bigint NOT NULL
)
WITH (autovacuum_vacuum_scale_factor='0', autovacuum_vacuum_threshold='1000');
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('ada', '\x024c6f76656c616365', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('alan', '\x02547572696e67', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('edsger', '\x0244696a6b73747261', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u10', '\x0275736572206e756d626572203130', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u11', '\x0275736572206e756d626572203131', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u12', '\x0275736572206e756d626572203132', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u13', '\x0275736572206e756d626572203133', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u14', '\x0275736572206e756d626572203134', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u15', '\x0275736572206e756d626572203135', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u16', '\x0275736572206e756d626572203136', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u17', '\x0275736572206e756d626572203137', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u18', '\x0275736572206e756d626572203138', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u19', '\x0275736572206e756d626572203139', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u2', '\x0275736572206e756d6265722032', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u3', '\x0275736572206e756d6265722033', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u4', '\x0275736572206e756d6265722034', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u5', '\x0275736572206e756d6265722035', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u6', '\x0275736572206e756d6265722036', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u7', '\x0275736572206e756d6265722037', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u8', '\x0275736572206e756d6265722038', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u9', '\x0275736572206e756d6265722039', NULL);
INSERT INTO pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 VALUES ('u1', '\x0261206c6f6e6765722076616c756520666f722075736572206f6e65', NULL);
INSERT INTO pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 VALUES (7, '\x030000000000000031', NULL);
INSERT INTO pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 VALUES (8, '\x030000000000000040', NULL);
INSERT INTO pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 VALUES (1, '\x030000000000000001', NULL);
INSERT INTO pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 VALUES (2, '\x030000000000000004', NULL);
INSERT INTO pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 VALUES (3, '\x030000000000000009', NULL);
INSERT INTO pd_v4_fixture.pd_catalog VALUES ('map', 'users', 'java.lang.String', 'string', 'TEXT', 'java.lang.String', 'string', 'SPLIT', 0, false, 1024, 'd_1c98df7903150489bbbdee6e0afdd483', 1796648909158, NULL, NULL, 'LEAST_RECENTLY_STORED');
INSERT INTO pd_v4_fixture.pd_catalog VALUES ('map', 'ids', 'java.lang.Long', 'long', 'INTEGER', 'java.lang.Long', 'long', 'COMPACT', 0, false, 1024, 'd_68b563b89ceb62ff7e3eca9e3e444ea9', 1796648909209, NULL, NULL, 'LEAST_RECENTLY_STORED');
INSERT INTO pd_v4_fixture.pd_counts VALUES ('d_1c98df7903150489bbbdee6e0afdd483', 1, 12);
INSERT INTO pd_v4_fixture.pd_counts VALUES ('d_1c98df7903150489bbbdee6e0afdd483', 1, 11);
INSERT INTO pd_v4_fixture.pd_counts VALUES ('d_1c98df7903150489bbbdee6e0afdd483', 1, 15);
INSERT INTO pd_v4_fixture.pd_counts VALUES ('d_1c98df7903150489bbbdee6e0afdd483', 20, 340);
INSERT INTO pd_v4_fixture.pd_counts VALUES ('d_1c98df7903150489bbbdee6e0afdd483', -1, -16);
INSERT INTO pd_v4_fixture.pd_counts VALUES ('d_1c98df7903150489bbbdee6e0afdd483', 0, 14);
INSERT INTO pd_v4_fixture.pd_counts VALUES ('d_68b563b89ceb62ff7e3eca9e3e444ea9', 1, 17);
INSERT INTO pd_v4_fixture.pd_counts VALUES ('d_68b563b89ceb62ff7e3eca9e3e444ea9', 1, 17);
INSERT INTO pd_v4_fixture.pd_counts VALUES ('d_68b563b89ceb62ff7e3eca9e3e444ea9', 3, 51);
INSERT INTO pd_v4_fixture.pd_meta VALUES ('schema_version', 4);
ALTER TABLE ONLY pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483
    ADD CONSTRAINT d_1c98df7903150489bbbdee6e0afdd483_pkey PRIMARY KEY (k);
ALTER TABLE ONLY pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9
    ADD CONSTRAINT d_68b563b89ceb62ff7e3eca9e3e444ea9_pkey PRIMARY KEY (k);
ALTER TABLE ONLY pd_v4_fixture.pd_catalog
    ADD CONSTRAINT pd_catalog_pkey PRIMARY KEY (namespace, name);
ALTER TABLE ONLY pd_v4_fixture.pd_catalog
    ADD CONSTRAINT pd_catalog_table_name_key UNIQUE (table_name);
ALTER TABLE ONLY pd_v4_fixture.pd_meta
    ADD CONSTRAINT pd_meta_pkey PRIMARY KEY (key);
CREATE INDEX d_1c98df7903150489bbbdee6e0afdd483_x ON pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 USING btree (x) WHERE (x IS NOT NULL);
CREATE INDEX d_68b563b89ceb62ff7e3eca9e3e444ea9_x ON pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 USING btree (x) WHERE (x IS NOT NULL);
CREATE INDEX pd_counts_t ON pd_v4_fixture.pd_counts USING btree (t);
CREATE INDEX pd_ucounts_t ON pd_v4_fixture.pd_ucounts USING btree (t);
CREATE TRIGGER pd_count_deleted AFTER DELETE ON pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 REFERENCING OLD TABLE AS o FOR EACH STATEMENT WHEN ((NOT COALESCE((current_setting('persistentdict.row_counts'::text, true) = 'on'::text), false))) EXECUTE FUNCTION pd_v4_fixture.pd_count_deleted();
CREATE TRIGGER pd_count_deleted AFTER DELETE ON pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 REFERENCING OLD TABLE AS o FOR EACH STATEMENT WHEN ((NOT COALESCE((current_setting('persistentdict.row_counts'::text, true) = 'on'::text), false))) EXECUTE FUNCTION pd_v4_fixture.pd_count_deleted();
CREATE TRIGGER pd_count_inserted AFTER INSERT ON pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 REFERENCING NEW TABLE AS n FOR EACH STATEMENT WHEN ((NOT COALESCE((current_setting('persistentdict.row_counts'::text, true) = 'on'::text), false))) EXECUTE FUNCTION pd_v4_fixture.pd_count_inserted();
CREATE TRIGGER pd_count_inserted AFTER INSERT ON pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 REFERENCING NEW TABLE AS n FOR EACH STATEMENT WHEN ((NOT COALESCE((current_setting('persistentdict.row_counts'::text, true) = 'on'::text), false))) EXECUTE FUNCTION pd_v4_fixture.pd_count_inserted();
CREATE TRIGGER pd_count_row_deleted AFTER DELETE ON pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 FOR EACH ROW WHEN ((current_setting('persistentdict.row_counts'::text, true) = 'on'::text)) EXECUTE FUNCTION pd_v4_fixture.pd_count_row_deleted();
CREATE TRIGGER pd_count_row_deleted AFTER DELETE ON pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 FOR EACH ROW WHEN ((current_setting('persistentdict.row_counts'::text, true) = 'on'::text)) EXECUTE FUNCTION pd_v4_fixture.pd_count_row_deleted();
CREATE TRIGGER pd_count_row_inserted AFTER INSERT ON pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 FOR EACH ROW WHEN ((current_setting('persistentdict.row_counts'::text, true) = 'on'::text)) EXECUTE FUNCTION pd_v4_fixture.pd_count_row_inserted();
CREATE TRIGGER pd_count_row_inserted AFTER INSERT ON pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 FOR EACH ROW WHEN ((current_setting('persistentdict.row_counts'::text, true) = 'on'::text)) EXECUTE FUNCTION pd_v4_fixture.pd_count_row_inserted();
CREATE TRIGGER pd_count_row_updated AFTER UPDATE ON pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 FOR EACH ROW WHEN (((current_setting('persistentdict.row_counts'::text, true) = 'on'::text) AND (octet_length(old.v) <> octet_length(new.v)))) EXECUTE FUNCTION pd_v4_fixture.pd_count_row_updated();
CREATE TRIGGER pd_count_row_updated AFTER UPDATE ON pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 FOR EACH ROW WHEN (((current_setting('persistentdict.row_counts'::text, true) = 'on'::text) AND (octet_length(old.v) <> octet_length(new.v)))) EXECUTE FUNCTION pd_v4_fixture.pd_count_row_updated();
CREATE TRIGGER pd_count_truncated AFTER TRUNCATE ON pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 FOR EACH STATEMENT EXECUTE FUNCTION pd_v4_fixture.pd_count_truncated();
CREATE TRIGGER pd_count_truncated AFTER TRUNCATE ON pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 FOR EACH STATEMENT EXECUTE FUNCTION pd_v4_fixture.pd_count_truncated();
CREATE TRIGGER pd_count_updated AFTER UPDATE ON pd_v4_fixture.d_1c98df7903150489bbbdee6e0afdd483 REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT WHEN ((NOT COALESCE((current_setting('persistentdict.row_counts'::text, true) = 'on'::text), false))) EXECUTE FUNCTION pd_v4_fixture.pd_count_updated();
CREATE TRIGGER pd_count_updated AFTER UPDATE ON pd_v4_fixture.d_68b563b89ceb62ff7e3eca9e3e444ea9 REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT WHEN ((NOT COALESCE((current_setting('persistentdict.row_counts'::text, true) = 'on'::text), false))) EXECUTE FUNCTION pd_v4_fixture.pd_count_updated();
