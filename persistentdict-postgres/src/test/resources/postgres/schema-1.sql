-- A schema of version 1, as persistentdict 0.x before counts wrote it: its shipped script, then
-- two dicts opened and written by that code (users: text keys, one with a TTL, one removed;
-- ids: bigint keys, 9 expiring at 2025-12-31T23:00Z), dumped row by row. PgCountsTests migrates it.
-- persistentdict 1: the catalog of the PostgreSQL engine, schema persistentdict.
-- Each dict's table is created when the dict is first opened, or by the DDL that the
-- error of a store opened with createSchema(false) gives.
CREATE SCHEMA IF NOT EXISTS "persistentdict";
CREATE TABLE IF NOT EXISTS "persistentdict"."pd_meta" (key text COLLATE "C" NOT NULL PRIMARY KEY, value bigint);
CREATE TABLE IF NOT EXISTS "persistentdict"."pd_catalog" (namespace text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL, key_type text NOT NULL, key_codec text NOT NULL, key_kind text NOT NULL, value_type text NOT NULL, value_codec text NOT NULL, layout text NOT NULL, ttl_ms bigint, sliding boolean NOT NULL, compression_threshold integer NOT NULL, table_name text NOT NULL UNIQUE, created_at bigint NOT NULL, PRIMARY KEY (namespace, name));
INSERT INTO "persistentdict"."pd_meta" (key, value) VALUES ('schema_version', 1) ON CONFLICT (key) DO NOTHING;
CREATE TABLE IF NOT EXISTS "persistentdict"."d_1c98df7903150489bbbdee6e0afdd483" (k text COLLATE "C" NOT NULL PRIMARY KEY, v bytea NOT NULL, x bigint);
CREATE INDEX IF NOT EXISTS "d_1c98df7903150489bbbdee6e0afdd483_x" ON "persistentdict"."d_1c98df7903150489bbbdee6e0afdd483" (x) WHERE x IS NOT NULL;
INSERT INTO "persistentdict"."d_1c98df7903150489bbbdee6e0afdd483" (k, v, x) VALUES ('ada', '\x024c6f76656c616365', NULL);
INSERT INTO "persistentdict"."d_1c98df7903150489bbbdee6e0afdd483" (k, v, x) VALUES ('alan', '\x02547572696e67', 1801778400000);
INSERT INTO "persistentdict"."d_1c98df7903150489bbbdee6e0afdd483" (k, v, x) VALUES ('edsger', '\x0244696a6b73747261', NULL);
CREATE TABLE IF NOT EXISTS "persistentdict"."d_68b563b89ceb62ff7e3eca9e3e444ea9" (k bigint NOT NULL PRIMARY KEY, v bytea NOT NULL, x bigint);
CREATE INDEX IF NOT EXISTS "d_68b563b89ceb62ff7e3eca9e3e444ea9_x" ON "persistentdict"."d_68b563b89ceb62ff7e3eca9e3e444ea9" (x) WHERE x IS NOT NULL;
INSERT INTO "persistentdict"."d_68b563b89ceb62ff7e3eca9e3e444ea9" (k, v, x) VALUES ('7', '\x030000000000000031', NULL);
INSERT INTO "persistentdict"."d_68b563b89ceb62ff7e3eca9e3e444ea9" (k, v, x) VALUES ('8', '\x030000000000000040', NULL);
INSERT INTO "persistentdict"."d_68b563b89ceb62ff7e3eca9e3e444ea9" (k, v, x) VALUES ('9', '\x030000000000000051', 1767222000000);
INSERT INTO "persistentdict"."pd_catalog" (namespace, name, key_type, key_codec, key_kind, value_type, value_codec, layout, ttl_ms, sliding, compression_threshold, table_name, created_at) VALUES ('map', 'ids', 'java.lang.Long', 'long', 'INTEGER', 'java.lang.Long', 'long', 'COMPACT', 0, false, 1024, 'd_68b563b89ceb62ff7e3eca9e3e444ea9', 1767218400000);
INSERT INTO "persistentdict"."pd_catalog" (namespace, name, key_type, key_codec, key_kind, value_type, value_codec, layout, ttl_ms, sliding, compression_threshold, table_name, created_at) VALUES ('map', 'users', 'java.lang.String', 'string', 'TEXT', 'java.lang.String', 'string', 'ROWID', 0, false, 1024, 'd_1c98df7903150489bbbdee6e0afdd483', 1767218400000);
