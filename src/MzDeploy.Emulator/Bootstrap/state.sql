-- The emulator's state, created once in a fresh PostgreSQL cluster (database "materialize", as postgres).
--
-- Naming scheme: every Materialize (database, schema) pair is one PostgreSQL schema named
-- escape(database) || '.' || schema, where escape() doubles nothing but prefixes '\' and '.' in the
-- database name with '\'. The first unescaped '.' therefore separates the parts: "materialize.public",
-- "_mz_deploy.tables", "a\.b.c" (database "a.b", schema "c"). The encoding is injective, so no two
-- Materialize schemas share a PostgreSQL schema. System schemas (mz_catalog, mz_internal, pg_catalog,
-- information_schema, mz_emulator) keep their own names and belong to no database.
-- Clusters, replicas, databases, settings, knobs and the statement log live in schema mz_emulator;
-- mz_catalog / mz_internal hold views with Materialize's relation and column names (Bootstrap/NN-*.sql).

CREATE ROLE materialize WITH SUPERUSER LOGIN;
DROP SCHEMA IF EXISTS public;
CREATE SCHEMA mz_emulator;
CREATE SCHEMA mz_catalog;
CREATE SCHEMA mz_internal;
GRANT USAGE ON SCHEMA mz_emulator, mz_catalog, mz_internal TO PUBLIC;
CREATE SCHEMA "materialize.public" AUTHORIZATION materialize;
GRANT USAGE ON SCHEMA "materialize.public" TO PUBLIC;
ALTER DATABASE materialize SET mz.cluster = 'quickstart';

CREATE TABLE mz_emulator.version (version int NOT NULL);
INSERT INTO mz_emulator.version VALUES (1);

-- System variables (ALTER SYSTEM SET …), read through mz_catalog.current_setting.
CREATE TABLE mz_emulator.settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO mz_emulator.settings VALUES ('enable_rbac_checks', 'on');

CREATE SEQUENCE mz_emulator.database_ids START 2;
CREATE TABLE mz_emulator.databases (
    id         text PRIMARY KEY,
    name       text NOT NULL UNIQUE DEFERRABLE INITIALLY IMMEDIATE,
    owner      oid  NOT NULL,
    privileges text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO mz_emulator.databases (id, name, owner, privileges)
VALUES ('u1', 'materialize', 'materialize'::regrole, '{=U/s1}');

CREATE SEQUENCE mz_emulator.cluster_ids START 2;
CREATE SEQUENCE mz_emulator.replica_ids START 2;
CREATE TABLE mz_emulator.clusters (
    id                 text PRIMARY KEY,
    name               text NOT NULL UNIQUE DEFERRABLE INITIALLY IMMEDIATE,
    managed            boolean NOT NULL,
    size               text,
    replication_factor int,
    -- Options besides SIZE / REPLICATION FACTOR / MANAGED, as written: {"SCHEDULE": "MANUAL", …}.
    options            jsonb NOT NULL DEFAULT '{}',
    owner              oid NOT NULL,
    privileges         text[] NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE mz_emulator.cluster_replicas (
    id                text PRIMARY KEY,
    name              text NOT NULL,
    cluster_id        text NOT NULL REFERENCES mz_emulator.clusters (id) ON DELETE CASCADE,
    size              text,
    availability_zone text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cluster_id, name) DEFERRABLE INITIALLY IMMEDIATE
);
INSERT INTO mz_emulator.clusters (id, name, managed, size, replication_factor, owner, privileges) VALUES
    ('s1', 'mz_system',         true, 'mz_system', 1, 'postgres'::regrole, '{}'),
    ('s2', 'mz_catalog_server', true, 'mz_catalog_server', 1, 'postgres'::regrole, '{=U/s1}'),
    ('s3', 'mz_probe',          true, 'mz_probe', 1, 'postgres'::regrole, '{}'),
    ('s4', 'mz_support',        true, 'mz_support', 0, 'postgres'::regrole, '{}'),
    ('s5', 'mz_analytics',      true, 'mz_analytics', 0, 'postgres'::regrole, '{}'),
    ('u1', 'quickstart',        true, '25cc', 1, 'materialize'::regrole, '{=U/s1}');
INSERT INTO mz_emulator.cluster_replicas (id, name, cluster_id, size) VALUES
    ('s1', 'r1', 's1', 'mz_system'),
    ('s2', 'r1', 's2', 'mz_catalog_server'),
    ('s3', 'r1', 's3', 'mz_probe'),
    ('u1', 'r1', 'u1', '25cc');

-- Comments on objects PostgreSQL cannot hold them for (clusters, replicas, databases, …).
CREATE TABLE mz_emulator.comments (
    id            text NOT NULL,
    object_type   text NOT NULL,
    object_sub_id int,
    comment       text NOT NULL,
    UNIQUE NULLS NOT DISTINCT (id, object_sub_id)
);

-- Statement log: every statement a client sent (Query or Parse), in order.
CREATE TABLE mz_emulator.statement_log (
    seq           bigserial PRIMARY KEY,
    occurred_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    connection_id int NOT NULL,
    sql           text NOT NULL
);

-- Injected faults: the nth statement (counted from the fault's creation) whose text matches
-- pattern (ILIKE) fails with message, or has its connection closed.
CREATE TABLE mz_emulator.faults (
    id      serial PRIMARY KEY,
    pattern text NOT NULL,
    nth     int NOT NULL CHECK (nth >= 1),
    action  text NOT NULL CHECK (action IN ('error', 'close')),
    message text NOT NULL,
    seen    int NOT NULL DEFAULT 0,
    fired   boolean NOT NULL DEFAULT false
);

-- Materialize metadata of PostgreSQL relations (keyed by pg_class oid): materialized views are
-- PostgreSQL views with kind 'materialized-view' and a cluster here. Rows of dropped relations are
-- removed by the sql_drop event trigger (Bootstrap/NN-*.sql).
CREATE TABLE mz_emulator.relation_meta (
    oid        oid PRIMARY KEY,
    kind       text NOT NULL,
    cluster_id text,
    create_sql text,
    replaces   oid,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Objects that exist only in the catalog: indexes, sources, sinks, connections, secrets.
CREATE SEQUENCE mz_emulator.item_ids START 1000000000;
CREATE TABLE mz_emulator.catalog_items (
    id           text PRIMARY KEY DEFAULT 'u' || nextval('mz_emulator.item_ids'),
    oid          oid NOT NULL DEFAULT (nextval('mz_emulator.item_ids') % 1000000000 + 3000000000)::oid,
    schema_oid   oid NOT NULL,
    name         text NOT NULL,
    kind         text NOT NULL,
    connector    text,
    cluster_id   text,
    on_oid       oid,
    referenced   text[] NOT NULL DEFAULT '{}',
    create_sql   text NOT NULL,
    owner        oid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (schema_oid, name)
);

-- Test knobs per cluster (by id, so they follow the cluster through a swap).
CREATE TABLE mz_emulator.cluster_knobs (
    cluster_id      text PRIMARY KEY REFERENCES mz_emulator.clusters (id) ON DELETE CASCADE,
    hydration_delay interval NOT NULL DEFAULT '0',
    forced_lag      interval
);

-- Replica status events (injected OOM kills), as mz_cluster_replica_status_history shows them.
CREATE TABLE mz_emulator.replica_status_events (
    replica_id  text NOT NULL,
    process_id  bigint NOT NULL DEFAULT 0,
    status      text NOT NULL,
    reason      text,
    occurred_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mz_emulator.replica_sizes (
    size           text PRIMARY KEY,
    processes      bigint NOT NULL,
    workers        bigint NOT NULL,
    cpu_nano_cores bigint NOT NULL,
    memory_bytes   bigint NOT NULL,
    disk_bytes     bigint,
    credits_per_hour numeric NOT NULL
);
INSERT INTO mz_emulator.replica_sizes VALUES
    ('25cc',   1, 1,  500000000,   4294967296,  17179869184, 0.25),
    ('50cc',   1, 1, 1000000000,   8589934592,  34359738368, 0.5),
    ('100cc',  1, 2, 2000000000,  17179869184,  68719476736, 1),
    ('200cc',  1, 4, 4000000000,  34359738368, 137438953472, 2),
    ('400cc',  1, 8, 8000000000,  68719476736, 274877906944, 4),
    ('xsmall', 1, 1,  500000000,   4294967296,  17179869184, 0.25),
    ('small',  1, 2, 1000000000,   8589934592,  34359738368, 0.5),
    ('medium', 1, 4, 2000000000,  17179869184,  68719476736, 1),
    ('large',  1, 8, 4000000000,  34359738368, 137438953472, 2);

-- GRANT … ON SYSTEM: one row per grantee, privileges as Materialize letters (R B N P).
CREATE TABLE mz_emulator.system_privileges (
    grantee    oid PRIMARY KEY,
    privileges text NOT NULL
);

-- Catalog revision, bumped by every SWAP/RENAME: a DDL transaction fails at its next SWAP/RENAME when
-- another transaction changed the catalog after it began (Materialize's DDLTransactionRace).
CREATE TABLE mz_emulator.catalog_revision (revision bigint NOT NULL);
INSERT INTO mz_emulator.catalog_revision VALUES (0);
