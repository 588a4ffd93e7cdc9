-- mz_catalog and mz_internal views of items, dependencies, comments, hydration and lag.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
-- ── mz_catalog: objects ───────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE VIEW mz_catalog.mz_tables AS
SELECT 'u' || c.oid AS id, c.oid, 'u' || c.relnamespace AS schema_id, c.relname::text AS name,
       mz_emulator.role_id(c.relowner) AS owner_id, mz_emulator.privileges(c.relacl, c.relowner, 'arwd') AS privileges,
       mz_emulator.table_create_sql(c.oid) AS create_sql, mz_emulator.table_create_sql(c.oid) AS redacted_create_sql, m.source_id
FROM pg_catalog.pg_class c
LEFT JOIN mz_emulator.relation_meta m ON m.oid = c.oid
WHERE c.relkind IN ('r', 'p') AND mz_emulator.is_user_schema(c.relnamespace)
  AND (m.kind IS NULL OR m.kind NOT IN ('subsource', 'progress'));

CREATE OR REPLACE VIEW mz_catalog.mz_views AS
SELECT 'u' || c.oid AS id, c.oid, 'u' || c.relnamespace AS schema_id, c.relname::text AS name,
       mz_emulator.view_definition(c.oid) AS definition,
       mz_emulator.role_id(c.relowner) AS owner_id, mz_emulator.privileges(c.relacl, c.relowner, 'r') AS privileges,
       'CREATE VIEW ' || mz_emulator.quoted_full_name(c.oid) || ' AS ' || mz_emulator.view_query(c.oid) AS create_sql,
       'CREATE VIEW ' || mz_emulator.quoted_full_name(c.oid) || ' AS ' || mz_emulator.view_query(c.oid) AS redacted_create_sql
FROM pg_catalog.pg_class c
LEFT JOIN mz_emulator.relation_meta m ON m.oid = c.oid
WHERE c.relkind = 'v' AND m.oid IS NULL AND mz_emulator.is_user_schema(c.relnamespace);

CREATE OR REPLACE VIEW mz_catalog.mz_materialized_views AS
SELECT 'u' || c.oid AS id, c.oid, 'u' || c.relnamespace AS schema_id, c.relname::text AS name, m.cluster_id,
       mz_emulator.view_definition(c.oid) AS definition,
       mz_emulator.role_id(c.relowner) AS owner_id, mz_emulator.privileges(c.relacl, c.relowner, 'r') AS privileges,
       mz_emulator.materialized_view_create_sql(c.oid) AS create_sql, mz_emulator.materialized_view_create_sql(c.oid) AS redacted_create_sql
FROM pg_catalog.pg_class c
JOIN mz_emulator.relation_meta m ON m.oid = c.oid AND m.kind = 'materialized-view';

CREATE OR REPLACE VIEW mz_catalog.mz_indexes AS
SELECT i.id, i.oid, i.name, mz_emulator.relation_id(i.on_oid) AS on_id, i.cluster_id,
       mz_emulator.role_id(i.owner) AS owner_id, mz_emulator.index_create_sql(i.id) AS create_sql,
       mz_emulator.index_create_sql(i.id) AS redacted_create_sql
FROM mz_emulator.catalog_items i WHERE i.kind = 'index';

CREATE OR REPLACE VIEW mz_catalog.mz_objects AS
SELECT id, oid, schema_id, name, 'table'::text AS type, owner_id, NULL::text AS cluster_id, privileges FROM mz_catalog.mz_tables
UNION ALL
SELECT id, oid, schema_id, name, 'view', owner_id, NULL, privileges FROM mz_catalog.mz_views
UNION ALL
SELECT id, oid, schema_id, name, 'materialized-view', owner_id, cluster_id, privileges FROM mz_catalog.mz_materialized_views
UNION ALL
SELECT 'u' || c.oid, c.oid, 'u' || c.relnamespace, c.relname::text, 'source', mz_emulator.role_id(c.relowner), NULL,
       mz_emulator.privileges(c.relacl, c.relowner, 'r')
FROM mz_emulator.relation_meta m JOIN pg_catalog.pg_class c ON c.oid = m.oid WHERE m.kind IN ('subsource', 'progress')
UNION ALL
SELECT i.id, i.oid, 'u' || c.relnamespace, i.name, 'index', mz_emulator.role_id(i.owner), i.cluster_id, '{}'::text[]
FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_class c ON c.oid = i.on_oid WHERE i.kind = 'index'
UNION ALL
SELECT i.id, i.oid, 'u' || i.schema_oid, i.name, i.kind, mz_emulator.role_id(i.owner), i.cluster_id,
       mz_emulator.item_privileges(i)
FROM mz_emulator.catalog_items i WHERE i.kind <> 'index'
UNION ALL
-- The system's relations (issue 12 item 9: Materialize lists them too), with system ids and PUBLIC's SELECT.
SELECT 's' || c.oid, c.oid, 's' || c.relnamespace, c.relname::text, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END,
       's1', NULL, ARRAY['=r/s1']
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('mz_catalog', 'mz_internal') AND c.relkind IN ('v', 'r');

CREATE OR REPLACE VIEW mz_catalog.mz_relations AS
SELECT id, oid, schema_id, name, type, owner_id, cluster_id, privileges
FROM mz_catalog.mz_objects WHERE type IN ('table', 'source', 'view', 'materialized-view');

CREATE OR REPLACE VIEW mz_catalog.mz_columns AS
SELECT 'u' || c.oid AS id, a.attname::text AS name, a.attnum::bigint AS position, NOT a.attnotnull AS nullable,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default,
       a.atttypid AS type_oid, a.atttypmod AS type_mod
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p', 'v') AND mz_emulator.is_user_schema(c.relnamespace)
UNION ALL
-- The system relations mz_objects lists (types.lock may lock a system dependency such as mz_catalog.mz_tables).
SELECT 's' || c.oid, a.attname::text, a.attnum::bigint, NOT a.attnotnull, pg_catalog.format_type(a.atttypid, a.atttypmod),
       NULL::text, a.atttypid, a.atttypmod
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname IN ('mz_catalog', 'mz_internal') AND c.relkind IN ('v', 'r');

CREATE OR REPLACE VIEW mz_catalog.mz_cluster_replica_sizes AS
SELECT size, processes, workers, cpu_nano_cores, memory_bytes, disk_bytes, credits_per_hour FROM mz_emulator.replica_sizes;

-- ── mz_internal ───────────────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE VIEW mz_internal.mz_object_dependencies AS
SELECT DISTINCT 'u' || r.ev_class AS object_id, mz_emulator.relation_id(d.refobjid) AS referenced_object_id
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
    AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid <> r.ev_class AND d.deptype = 'n'
JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
WHERE mz_emulator.is_user_schema(c.relnamespace)
UNION ALL
SELECT i.id, mz_emulator.relation_id(i.on_oid) FROM mz_emulator.catalog_items i WHERE i.on_oid IS NOT NULL
UNION ALL
SELECT i.id, unnest(i.referenced) FROM mz_emulator.catalog_items i
UNION ALL
SELECT mz_emulator.relation_id(m.oid), m.source_id FROM mz_emulator.relation_meta m WHERE m.source_id IS NOT NULL;

CREATE OR REPLACE VIEW mz_internal.mz_comments AS
SELECT 'u' || c.oid AS id,
       CASE WHEN m.kind = 'materialized-view' THEN 'materialized-view' WHEN c.relkind = 'v' THEN 'view' ELSE 'table' END AS object_type,
       CASE WHEN d.objsubid = 0 THEN NULL ELSE d.objsubid END AS object_sub_id, d.description AS comment
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_class c ON d.classoid = 'pg_catalog.pg_class'::regclass AND c.oid = d.objoid
LEFT JOIN mz_emulator.relation_meta m ON m.oid = c.oid
WHERE mz_emulator.is_user_schema(c.relnamespace)
UNION ALL
SELECT 'u' || n.oid, 'schema', NULL, d.description
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_namespace n ON d.classoid = 'pg_catalog.pg_namespace'::regclass AND n.oid = d.objoid
WHERE mz_emulator.is_user_schema(n.oid)
UNION ALL
SELECT mz_emulator.role_id(r.oid), 'role', NULL, d.description
FROM pg_catalog.pg_shdescription d
JOIN pg_catalog.pg_roles r ON d.classoid = 'pg_catalog.pg_authid'::regclass AND r.oid = d.objoid
UNION ALL
SELECT id, object_type, object_sub_id, comment FROM mz_emulator.comments;

CREATE OR REPLACE VIEW mz_internal.mz_hydration_statuses AS
SELECT object_id, replica_id, hydrated FROM mz_emulator.dataflow_replicas
UNION ALL
SELECT d.object_id, NULL, false FROM mz_emulator.dataflows d
WHERE NOT EXISTS (SELECT FROM mz_emulator.cluster_replicas r WHERE r.cluster_id = d.cluster_id);

CREATE OR REPLACE VIEW mz_internal.mz_compute_hydration_statuses AS
SELECT object_id, replica_id, hydrated, CASE WHEN hydrated THEN hydration_delay END AS hydration_time
FROM mz_emulator.dataflow_replicas;

CREATE OR REPLACE VIEW mz_internal.mz_cluster_replica_status_history AS
SELECT replica_id, process_id, status, reason, occurred_at FROM mz_emulator.replica_status_events;

CREATE OR REPLACE VIEW mz_internal.mz_cluster_replica_statuses AS
SELECT r.id AS replica_id, 0::bigint AS process_id,
       coalesce(e.status, 'online') AS status, e.reason, coalesce(e.occurred_at, r.created_at) AS updated_at
FROM mz_emulator.cluster_replicas r
LEFT JOIN LATERAL (SELECT status, reason, occurred_at FROM mz_emulator.replica_status_events x
                   WHERE x.replica_id = r.id AND x.occurred_at <= now() ORDER BY x.occurred_at DESC LIMIT 1) e ON true;

-- Lag per dataflow object: the forced lag (default one second) once every replica is hydrated, the
-- time since the object started while it hydrates; nothing on a cluster without replicas.
CREATE OR REPLACE VIEW mz_internal.mz_wallclock_global_lag AS
SELECT object_id,
       CASE WHEN bool_and(hydrated) THEN greatest(interval '0', coalesce(max(forced_lag), interval '1 second'))
            ELSE now() - min(started_at) END AS lag
FROM mz_emulator.dataflow_replicas GROUP BY object_id;

CREATE OR REPLACE VIEW mz_internal.mz_wallclock_global_lag_recent_history AS
SELECT object_id, lag, date_trunc('minute', now()) AS occurred_at FROM mz_internal.mz_wallclock_global_lag;

CREATE OR REPLACE VIEW mz_internal.mz_wallclock_global_lag_history AS
SELECT object_id, lag, occurred_at FROM mz_internal.mz_wallclock_global_lag_recent_history;

-- Per replica, the same numbers as the global lag: the replica's own once it is hydrated, the time since
-- it started while it hydrates.
CREATE OR REPLACE VIEW mz_internal.mz_wallclock_lag_history AS
SELECT object_id, replica_id,
       CASE WHEN hydrated THEN greatest(interval '0', coalesce(forced_lag, interval '1 second')) ELSE now() - started_at END AS lag,
       date_trunc('minute', now()) AS occurred_at
FROM mz_emulator.dataflow_replicas;

CREATE OR REPLACE VIEW mz_internal.mz_materialization_lag AS
SELECT object_id, lag AS local_lag, lag AS global_lag, NULL::text AS slowest_local_input_id, NULL::text AS slowest_global_input_id
FROM mz_internal.mz_wallclock_global_lag;

-- Frontiers (mz_timestamp: milliseconds since the epoch, numeric as elsewhere): a dataflow object's write
-- frontier trails now() by its wall-clock lag (so an unhydrated one stays at its start), a table's is now();
-- the read frontier is one second behind (Materialize's default compaction window).
CREATE OR REPLACE VIEW mz_internal.mz_frontiers AS
SELECT f.object_id, f.write_frontier - 1000 AS read_frontier, f.write_frontier
FROM (SELECT l.object_id, floor(extract(epoch FROM now() - l.lag) * 1000) AS write_frontier
      FROM mz_internal.mz_wallclock_global_lag l
      UNION ALL
      SELECT t.id, floor(extract(epoch FROM now()) * 1000) FROM mz_catalog.mz_tables t) f;

-- The audit log: Materialize's columns, no events (the emulator keeps no history of its catalog).
CREATE OR REPLACE VIEW mz_catalog.mz_audit_events AS
SELECT NULL::numeric AS id, NULL::text AS event_type, NULL::text AS object_type, NULL::jsonb AS details,
       NULL::text AS "user", NULL::timestamptz AS occurred_at
WHERE false;

GRANT SELECT ON ALL TABLES IN SCHEMA mz_catalog, mz_internal TO PUBLIC;

-- A catalog object's own comment (not a column's); NULL removes it.
CREATE OR REPLACE FUNCTION mz_emulator.set_comment(p_id text, p_type text, p_comment text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    DELETE FROM mz_emulator.comments WHERE id = p_id AND object_sub_id IS NULL;
    IF p_comment IS NOT NULL THEN
        INSERT INTO mz_emulator.comments (id, object_type, comment) VALUES (p_id, p_type, p_comment);
    END IF;
END
$$;

-- COMMENT ON CLUSTER | DATABASE (objects PostgreSQL has no comment slot for).
CREATE OR REPLACE PROCEDURE mz_emulator.comment_on(p_type text, p_name text, p_comment text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text;
BEGIN
    IF p_type = 'cluster' THEN
        v_id := mz_emulator.cluster_id(p_name);
    ELSE
        SELECT id INTO v_id FROM mz_emulator.databases WHERE name = p_name;
        IF v_id IS NULL THEN
            PERFORM mz_emulator.raise('3D000', format('unknown database ''%s''', p_name));
        END IF;
    END IF;
    PERFORM mz_emulator.set_comment(v_id, p_type, p_comment);
END
$$;
