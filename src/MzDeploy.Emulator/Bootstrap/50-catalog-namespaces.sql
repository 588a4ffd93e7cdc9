-- mz_catalog views of clusters, databases, schemas, roles.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
-- ── mz_catalog ────────────────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE VIEW mz_catalog.mz_clusters AS
SELECT c.id, c.name, mz_emulator.role_id(c.owner) AS owner_id, c.privileges, c.managed, c.size,
       c.replication_factor,
       CASE WHEN c.managed THEN true END AS disk,
       CASE WHEN c.managed THEN '{}'::text[] END AS availability_zones,
       CASE WHEN c.managed THEN coalesce((c.options->>'INTROSPECTION DEBUGGING')::boolean, false) END AS introspection_debugging,
       CASE WHEN c.managed THEN coalesce(substring(c.options->>'INTROSPECTION INTERVAL' FROM '''(.*)''')::interval,
                                       interval '1 second') END AS introspection_interval
FROM mz_emulator.clusters c;

CREATE OR REPLACE VIEW mz_catalog.mz_cluster_replicas AS
SELECT r.id, r.name, r.cluster_id, r.size, r.availability_zone, mz_emulator.role_id(c.owner) AS owner_id,
       true AS disk
FROM mz_emulator.cluster_replicas r JOIN mz_emulator.clusters c ON c.id = r.cluster_id;

CREATE OR REPLACE VIEW mz_catalog.mz_databases AS
SELECT d.id, (2000000 + substr(d.id, 2)::int)::oid AS oid, d.name, mz_emulator.role_id(d.owner) AS owner_id, d.privileges
FROM mz_emulator.databases d;

CREATE OR REPLACE VIEW mz_catalog.mz_schemas AS
SELECT 'u' || n.oid AS id, n.oid, d.id AS database_id, (mz_emulator.split_schema(n.nspname)).schema_name AS name,
       mz_emulator.role_id(n.nspowner) AS owner_id,
       mz_emulator.privileges(n.nspacl, n.nspowner, 'UC') AS privileges
FROM pg_catalog.pg_namespace n
JOIN mz_emulator.databases d ON d.name = (mz_emulator.split_schema(n.nspname)).database_name
UNION ALL
SELECT 's' || n.oid, n.oid, NULL, n.nspname, 's1', '{=U/s1}'
FROM pg_catalog.pg_namespace n
WHERE n.nspname IN ('mz_catalog', 'mz_internal', 'pg_catalog', 'information_schema');

CREATE OR REPLACE VIEW mz_catalog.mz_roles AS
SELECT mz_emulator.role_id(r.oid) AS id, r.oid,
       CASE r.rolname WHEN 'postgres' THEN 'mz_system' ELSE r.rolname::text END AS name, r.rolinherit AS inherit,
       r.rolcanlogin AS rolcanlogin, r.rolsuper AS rolsuper
FROM pg_catalog.pg_roles r
WHERE r.rolname NOT LIKE 'pg\_%' AND r.rolname <> 'mz_rbac_bypass';
