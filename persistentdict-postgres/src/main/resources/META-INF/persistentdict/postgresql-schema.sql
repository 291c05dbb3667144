-- persistentdict 6: the catalog of the PostgreSQL engine, schema persistentdict.
-- Each dict's table is created when the dict is first opened, or by the DDL that the
-- error of a store opened with createSchema(false) gives. The functions' bodies are
-- single-quoted, so a runner that splits the script at ';' (Spring's) keeps them whole.
CREATE SCHEMA IF NOT EXISTS "persistentdict";
CREATE TABLE IF NOT EXISTS "persistentdict"."pd_meta" (key text COLLATE "C" NOT NULL PRIMARY KEY, value bigint);
CREATE TABLE IF NOT EXISTS "persistentdict"."pd_catalog" (namespace text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL, key_type text NOT NULL, key_codec text NOT NULL, key_kind text NOT NULL, value_type text NOT NULL, value_codec text NOT NULL, layout text NOT NULL, ttl_ms bigint, sliding boolean NOT NULL, compression_threshold integer NOT NULL, table_name text NOT NULL UNIQUE, created_at bigint NOT NULL, maximum_size bigint, maximum_bytes bigint, eviction text, PRIMARY KEY (namespace, name));
CREATE OR REPLACE FUNCTION "persistentdict".pd_key_bytes(bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT 8::bigint';
CREATE OR REPLACE FUNCTION "persistentdict".pd_key_bytes(text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT octet_length($1)::bigint';
CREATE OR REPLACE FUNCTION "persistentdict".pd_key_bytes(bytea) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT octet_length($1)::bigint';
CREATE TABLE IF NOT EXISTS "persistentdict"."pd_counts" (t text COLLATE "C" NOT NULL, entries bigint NOT NULL, bytes bigint NOT NULL) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
CREATE INDEX IF NOT EXISTS "pd_counts_t" ON "persistentdict"."pd_counts" (t);
CREATE OR REPLACE FUNCTION "persistentdict".pd_count_row_inserted() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO "persistentdict"."pd_counts" (t, entries, bytes) VALUES (TG_TABLE_NAME, 1, octet_length(NEW.v) + "persistentdict".pd_key_bytes(NEW.k)); RETURN NULL; END';
CREATE OR REPLACE FUNCTION "persistentdict".pd_count_row_deleted() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO "persistentdict"."pd_counts" (t, entries, bytes) VALUES (TG_TABLE_NAME, -1, -(octet_length(OLD.v) + "persistentdict".pd_key_bytes(OLD.k)) + coalesce(OLD.d, 0)); RETURN NULL; END';
CREATE OR REPLACE FUNCTION "persistentdict".pd_count_truncated() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN DELETE FROM "persistentdict"."pd_counts" WHERE t = TG_TABLE_NAME; RETURN NULL; END';
CREATE UNLOGGED TABLE IF NOT EXISTS "persistentdict"."pd_ucounts" (t text COLLATE "C" NOT NULL, entries bigint NOT NULL, bytes bigint NOT NULL) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
CREATE INDEX IF NOT EXISTS "pd_ucounts_t" ON "persistentdict"."pd_ucounts" (t);
CREATE OR REPLACE FUNCTION "persistentdict".pd_ucount_row_inserted() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO "persistentdict"."pd_ucounts" (t, entries, bytes) VALUES (TG_TABLE_NAME, 1, octet_length(NEW.v) + "persistentdict".pd_key_bytes(NEW.k)); RETURN NULL; END';
CREATE OR REPLACE FUNCTION "persistentdict".pd_ucount_row_deleted() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO "persistentdict"."pd_ucounts" (t, entries, bytes) VALUES (TG_TABLE_NAME, -1, -(octet_length(OLD.v) + "persistentdict".pd_key_bytes(OLD.k)) + coalesce(OLD.d, 0)); RETURN NULL; END';
CREATE OR REPLACE FUNCTION "persistentdict".pd_ucount_truncated() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN DELETE FROM "persistentdict"."pd_ucounts" WHERE t = TG_TABLE_NAME; RETURN NULL; END';
INSERT INTO "persistentdict"."pd_meta" (key, value) VALUES ('schema_version', 6) ON CONFLICT (key) DO NOTHING;
