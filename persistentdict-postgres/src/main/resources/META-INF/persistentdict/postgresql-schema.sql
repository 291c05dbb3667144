-- persistentdict 1: the catalog of the PostgreSQL engine, schema persistentdict.
-- Each dict's table is created when the dict is first opened, or by the DDL that the
-- error of a store opened with createSchema(false) gives.
CREATE SCHEMA IF NOT EXISTS "persistentdict";
CREATE TABLE IF NOT EXISTS "persistentdict"."pd_meta" (key text COLLATE "C" NOT NULL PRIMARY KEY, value bigint);
CREATE TABLE IF NOT EXISTS "persistentdict"."pd_catalog" (namespace text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL, key_type text NOT NULL, key_codec text NOT NULL, key_kind text NOT NULL, value_type text NOT NULL, value_codec text NOT NULL, layout text NOT NULL, ttl_ms bigint, sliding boolean NOT NULL, compression_threshold integer NOT NULL, table_name text NOT NULL UNIQUE, created_at bigint NOT NULL, PRIMARY KEY (namespace, name));
INSERT INTO "persistentdict"."pd_meta" (key, value) VALUES ('schema_version', 1) ON CONFLICT (key) DO NOTHING;
