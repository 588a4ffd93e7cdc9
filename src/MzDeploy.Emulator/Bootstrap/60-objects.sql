-- Items: materialized views, indexes, the sql_drop trigger, hydration/lag/OOM knobs.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
-- ── Objects ───────────────────────────────────────────────────────────────────────────────────────

-- The source a table reads from (CREATE TABLE … FROM SOURCE, kind 'source-table'); added after state
-- version 1, so data folders made before get it on their next start.
ALTER TABLE mz_emulator.relation_meta ADD COLUMN IF NOT EXISTS source_id text;

-- A materialized view's column list and WITH (…) options as written ('' when none): the catalog rebuilds its
-- statement around them with current names (mz_emulator.materialized_view_create_sql). NULL on rows made
-- before they were kept: the statement as sent is shown.
ALTER TABLE mz_emulator.relation_meta ADD COLUMN IF NOT EXISTS create_columns text;
ALTER TABLE mz_emulator.relation_meta ADD COLUMN IF NOT EXISTS create_options text;

-- Catalog items' privileges (GRANT/REVOKE: Bootstrap/85-item-privileges.sql).
-- NULL: the owner's default privileges only (mz_emulator.item_privileges).
ALTER TABLE mz_emulator.catalog_items ADD COLUMN IF NOT EXISTS privileges text[];

-- A connection's type as written after TO (upper case) and its options in order; SSH tunnels' public keys
-- (Bootstrap/92-secrets-connections.sql). Added here, before any view reads catalog_items' whole rows.
ALTER TABLE mz_emulator.catalog_items
    ADD COLUMN IF NOT EXISTS connection_type text,
    ADD COLUMN IF NOT EXISTS option_names text[],
    ADD COLUMN IF NOT EXISTS option_values text[],
    ADD COLUMN IF NOT EXISTS ssh_public_keys text[];

-- An index's key as Materialize prints it (NULL: a default index) and its WITH (…) options as written ('' when
-- none): SHOW CREATE INDEX rebuilds the statement around them with current names (mz_emulator.index_create_sql).
-- create_options NULL on rows made before they were kept: the statement as sent is shown.
ALTER TABLE mz_emulator.catalog_items
    ADD COLUMN IF NOT EXISTS create_key text,
    ADD COLUMN IF NOT EXISTS create_options text;

-- What each item kind can be granted (docs: /sql/grant-privilege/): sources SELECT, connections and secrets USAGE.
CREATE OR REPLACE FUNCTION mz_emulator.item_privilege_letters(p_kind text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_kind WHEN 'source' THEN 'r' ELSE 'U' END
$$;

-- A catalog item's privileges as mz_sources / mz_connections / mz_secrets show them.
CREATE OR REPLACE FUNCTION mz_emulator.item_privileges(p_item mz_emulator.catalog_items) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(p_item.privileges, ARRAY[mz_emulator.role_id(p_item.owner) || '=' || mz_emulator.item_privilege_letters(p_item.kind)
                                             || '/' || mz_emulator.role_id(p_item.owner)])
$$;


-- Whether a PostgreSQL schema is an emulated Materialize schema (belongs to a database).
CREATE OR REPLACE FUNCTION mz_emulator.is_user_schema(p_schema oid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT EXISTS (SELECT FROM pg_namespace n JOIN mz_emulator.databases d
                   ON d.name = (mz_emulator.split_schema(n.nspname)).database_name WHERE n.oid = p_schema)
$$;

CREATE OR REPLACE FUNCTION mz_emulator.relation_id(p_oid oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN mz_emulator.is_user_schema(c.relnamespace) THEN 'u' ELSE 's' END || c.oid
    FROM pg_class c WHERE c.oid = p_oid
$$;

-- Drops catalog rows of objects PostgreSQL dropped (directly or by CASCADE).
CREATE OR REPLACE FUNCTION mz_emulator.on_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
        IF d.classid = 'pg_class'::regclass THEN
            DELETE FROM mz_emulator.relation_meta WHERE oid = d.objid;
            DELETE FROM mz_emulator.catalog_items WHERE on_oid = d.objid;
        ELSIF d.classid = 'pg_namespace'::regclass THEN
            DELETE FROM mz_emulator.catalog_items WHERE schema_oid = d.objid;
        END IF;
    END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS mz_emulator_sql_drop;
CREATE EVENT TRIGGER mz_emulator_sql_drop ON sql_drop EXECUTE FUNCTION mz_emulator.on_sql_drop();

-- The cluster an object goes to: IN CLUSTER, else the session's cluster; it must exist.
CREATE OR REPLACE FUNCTION mz_emulator.target_cluster(p_cluster text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    v_name text := coalesce(p_cluster, pg_catalog.current_setting('mz.cluster', true), 'quickstart');
    v_id text;
BEGIN
    SELECT id INTO v_id FROM mz_emulator.clusters WHERE name = v_name;
    IF v_id IS NULL THEN
        PERFORM mz_emulator.raise('42704', format('unknown cluster ''%s''', v_name));
    END IF;
    IF v_id LIKE 's%' THEN
        PERFORM mz_emulator.raise('42501', format('system cluster ''%s'' cannot be modified', v_name));
    END IF;
    PERFORM mz_emulator.require_cluster_privilege(v_id, 'C');
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.register_relation(p_relation regclass, p_kind text, p_cluster_id text, p_create_sql text)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    INSERT INTO mz_emulator.relation_meta (oid, kind, cluster_id, create_sql)
    VALUES (p_relation, p_kind, p_cluster_id, p_create_sql)
    ON CONFLICT (oid) DO UPDATE SET kind = excluded.kind, cluster_id = excluded.cluster_id,
        create_sql = excluded.create_sql, created_at = now()
$$;

-- CREATE [OR REPLACE] MATERIALIZED VIEW: a PostgreSQL view (always fresh, so temporal filters on mz_now()
-- hold exactly) registered as a materialized view in a cluster. Runs as the caller (who owns the view).
DROP PROCEDURE IF EXISTS mz_emulator.create_materialized_view(text, text, text, text, text, boolean, boolean, text);
CREATE OR REPLACE PROCEDURE mz_emulator.create_materialized_view(
    p_schema text, p_name text, p_columns text, p_query text, p_cluster text,
    p_if_not_exists boolean, p_or_replace boolean, p_create_sql text, p_options text)
LANGUAGE plpgsql AS $$
DECLARE
    v_cluster_id text := mz_emulator.target_cluster(p_cluster);
    v_existing oid;
BEGIN
    p_schema := mz_emulator.creation_schema(p_schema);
    SELECT c.oid INTO v_existing FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = p_schema AND c.relname = p_name;
    IF v_existing IS NOT NULL THEN
        IF p_if_not_exists THEN
            RAISE NOTICE 'materialized view "%" already exists, skipping', p_name;
            RETURN;
        ELSIF p_or_replace THEN
            PERFORM mz_emulator.refuse_replacing_depended(v_existing);
            EXECUTE format('DROP VIEW %I.%I', p_schema, p_name);
        ELSE
            PERFORM mz_emulator.raise('42710', format('materialized view ''%s'' already exists', p_name));
        END IF;
    END IF;
    EXECUTE format('CREATE VIEW %I.%I%s AS %s', p_schema, p_name, coalesce(' (' || p_columns || ')', ''), p_query);
    PERFORM mz_emulator.register_relation(format('%I.%I', p_schema, p_name)::regclass, 'materialized-view', v_cluster_id, p_create_sql);
    PERFORM mz_emulator.note_create_clauses(format('%I.%I', p_schema, p_name)::regclass, p_columns, coalesce(p_options, ''));
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.note_create_clauses(p_relation regclass, p_columns text, p_options text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    UPDATE mz_emulator.relation_meta SET create_columns = p_columns, create_options = p_options WHERE oid = p_relation
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.create_view_if_not_exists(p_schema text, p_name text, p_statement text)
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = coalesce(p_schema, pg_catalog.current_schema()) AND c.relname = p_name) THEN
        RAISE NOTICE 'view "%" already exists, skipping', p_name;
        RETURN;
    END IF;
    EXECUTE p_statement;
END
$$;

-- CREATE [DEFAULT] INDEX: catalog only (PostgreSQL cannot index views; a Materialize index is an
-- in-memory arrangement in a cluster). p_on is the indexed relation as PostgreSQL resolves it.
DROP PROCEDURE IF EXISTS mz_emulator.create_index(text, text, text, boolean, text, text);
CREATE OR REPLACE PROCEDURE mz_emulator.create_index(
    p_name text, p_on text, p_cluster text, p_if_not_exists boolean, p_create_sql text, p_key text,
    p_key_text text, p_options text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_on regclass := p_on::regclass;
    v_schema oid;
    v_relname text;
    v_name text;
    v_cluster_id text := mz_emulator.target_cluster(p_cluster);
BEGIN
    SELECT relnamespace, relname INTO v_schema, v_relname FROM pg_catalog.pg_class WHERE oid = v_on;
    v_name := coalesce(p_name, v_relname || '_' || coalesce(p_key, 'primary') || '_idx');
    IF EXISTS (SELECT FROM mz_emulator.catalog_items WHERE schema_oid = v_schema AND name = v_name)
       OR EXISTS (SELECT FROM pg_catalog.pg_class WHERE relnamespace = v_schema AND relname = v_name) THEN
        IF p_if_not_exists THEN
            RAISE NOTICE 'index "%" already exists, skipping', v_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42710', format('index ''%s'' already exists', v_name));
    END IF;
    INSERT INTO mz_emulator.catalog_items (schema_oid, name, kind, cluster_id, on_oid, create_sql, owner, create_key, create_options)
    VALUES (v_schema, v_name, 'index', v_cluster_id, v_on, p_create_sql, session_user::regrole, p_key_text, coalesce(p_options, ''));
END
$$;

-- DROP INDEX / SOURCE / SINK / CONNECTION / SECRET (catalog-only objects); p_schema NULL searches the path.
-- Tables fed by a source depend on it: RESTRICT (the default) refuses, CASCADE drops them too.
DROP PROCEDURE IF EXISTS mz_emulator.drop_catalog_item(text, text, text, boolean);
CREATE OR REPLACE PROCEDURE mz_emulator.drop_catalog_item(p_kind text, p_schema text, p_name text, p_if_exists boolean,
    p_cascade boolean DEFAULT false)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text;
    v_dependent oid;
    v_reader oid;
    v_full text;
    v_item text;
    v_dependent_kind text;
    v_dependent_schema text;
    v_dependent_name text;
BEGIN
    SELECT i.id INTO v_id FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid
    WHERE i.kind = p_kind AND i.name = p_name
      AND (n.nspname = p_schema OR (p_schema IS NULL AND n.nspname = ANY (pg_catalog.current_schemas(false))))
    ORDER BY array_position(pg_catalog.current_schemas(false), n.nspname::name) LIMIT 1;
    IF v_id IS NULL THEN
        -- An item of another kind by that name: Materialize's kind mismatch, IF EXISTS or not.
        SELECT i.id INTO v_id FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid
        WHERE i.name = p_name
          AND (n.nspname = p_schema OR (p_schema IS NULL AND n.nspname = ANY (pg_catalog.current_schemas(false))))
        ORDER BY array_position(pg_catalog.current_schemas(false), n.nspname::name) LIMIT 1;
        IF v_id IS NOT NULL THEN
            PERFORM mz_emulator.raise('42809', mz_emulator.kind_mismatch(v_id, p_kind));
        END IF;
        v_dependent := pg_catalog.to_regclass(CASE WHEN p_schema IS NULL THEN quote_ident(p_name)
                                                   ELSE quote_ident(p_schema) || '.' || quote_ident(p_name) END);
        -- DROP SOURCE of a subsource (FOR ALL TABLES): dropped unless something reads it; a progress subsource
        -- belongs to its source and goes only with it.
        IF p_kind = 'source' AND EXISTS (SELECT FROM mz_emulator.relation_meta WHERE oid = v_dependent AND kind IN ('subsource', 'progress')) THEN
            IF (SELECT kind FROM mz_emulator.relation_meta WHERE oid = v_dependent) = 'progress' THEN
                PERFORM mz_emulator.raise('2BP01', format('cannot drop %s: still depended upon by catalog item ''%s''',
                    (mz_emulator.relation_kind(v_dependent)).full_name,
                    mz_emulator.catalog_item_full_name((SELECT source_id FROM mz_emulator.relation_meta WHERE oid = v_dependent))));
            END IF;
            IF NOT p_cascade THEN
                SELECT r.ev_class INTO v_reader FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
                WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
                  AND d.refobjid = v_dependent AND r.ev_class <> v_dependent
                ORDER BY r.ev_class LIMIT 1;
                IF v_reader IS NOT NULL THEN
                    PERFORM mz_emulator.raise('2BP01', format('cannot drop %s: still depended upon by catalog item ''%s''',
                        (mz_emulator.relation_kind(v_dependent)).full_name, (mz_emulator.relation_kind(v_reader)).full_name));
                END IF;
            END IF;
            EXECUTE format('DROP TABLE %s CASCADE', v_dependent::regclass);
            RETURN;
        END IF;
        IF (mz_emulator.relation_kind(v_dependent)).kind IS NOT NULL THEN
            PERFORM mz_emulator.raise('42809', format('%s is a %s not a%s %s', (mz_emulator.relation_kind(v_dependent)).full_name,
                (mz_emulator.relation_kind(v_dependent)).kind, CASE WHEN p_kind = 'index' THEN 'n' ELSE '' END, p_kind));
        END IF;
        IF p_if_exists THEN
            RAISE NOTICE '% "%" does not exist, skipping', p_kind, p_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42704', format('unknown catalog item ''%s''', p_name));
    END IF;
    -- Catalog items that name it (a connection its secret, a source or sink its connection): RESTRICT refuses,
    -- as Materialize does (docs: /sql/drop-secret/, /sql/drop-connection/); CASCADE drops them first.
    FOR v_item IN SELECT d.id FROM mz_emulator.catalog_items d
                  WHERE v_id = ANY (d.referenced) AND d.id <> v_id AND d.kind <> 'index' ORDER BY d.id LOOP
        IF NOT p_cascade THEN
            PERFORM mz_emulator.raise('2BP01', format('cannot drop %s: still depended upon by catalog item ''%s''',
                mz_emulator.catalog_item_full_name(v_id), mz_emulator.catalog_item_full_name(v_item)));
        END IF;
        SELECT i.kind, n.nspname, i.name INTO v_dependent_kind, v_dependent_schema, v_dependent_name
        FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid WHERE i.id = v_item;
        IF FOUND THEN
            CALL mz_emulator.drop_catalog_item(v_dependent_kind, v_dependent_schema, v_dependent_name, true, true);
        END IF;
    END LOOP;
    -- A source's subsources are part of it and go with it; what reads them (views, tables' dependents) is a
    -- dependent of the source, as the tables made from it are.
    FOR v_dependent IN SELECT m.oid FROM mz_emulator.relation_meta m WHERE m.source_id = v_id AND m.kind IN ('subsource', 'progress') LOOP
        IF NOT p_cascade THEN
            SELECT r.ev_class INTO v_reader FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
            WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
              AND d.refobjid = v_dependent AND r.ev_class <> v_dependent
            ORDER BY r.ev_class LIMIT 1;
            IF v_reader IS NOT NULL THEN
                PERFORM mz_emulator.raise('2BP01', format('cannot drop %s: still depended upon by catalog item ''%s''',
                    mz_emulator.catalog_item_full_name(v_id), (mz_emulator.relation_kind(v_reader)).full_name));
            END IF;
        END IF;
    END LOOP;
    FOR v_dependent IN SELECT m.oid FROM mz_emulator.relation_meta m WHERE m.source_id = v_id AND m.kind IN ('subsource', 'progress') LOOP
        EXECUTE format('DROP TABLE %s CASCADE', v_dependent::regclass);
    END LOOP;
    FOR v_dependent IN SELECT m.oid FROM mz_emulator.relation_meta m WHERE m.source_id = v_id LOOP
        IF NOT p_cascade THEN
            SELECT (mz_emulator.split_schema(n.nspname)).database_name || '.' || (mz_emulator.split_schema(n.nspname)).schema_name
                   || '.' || i.name INTO v_full
            FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid WHERE i.id = v_id;
            PERFORM mz_emulator.raise('2BP01', format('cannot drop %s: still depended upon by catalog item ''%s''',
                v_full, (mz_emulator.relation_kind(v_dependent)).full_name));
        END IF;
        EXECUTE format('DROP TABLE %s CASCADE', v_dependent::regclass);
    END LOOP;
    DELETE FROM mz_emulator.catalog_items WHERE id = v_id;
END
$$;

-- Materialize's name for a relation (database.schema.item; temporary items are in mz_temp) and its kind
-- ('table', 'view', 'materialized view'; NULL for other relations).
CREATE OR REPLACE FUNCTION mz_emulator.relation_kind(p_oid oid, OUT full_name text, OUT kind text)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN (mz_emulator.split_schema(n.nspname)).database_name IS NOT NULL
                THEN (mz_emulator.split_schema(n.nspname)).database_name || '.' || (mz_emulator.split_schema(n.nspname)).schema_name
                WHEN n.oid = pg_my_temp_schema() THEN 'mz_temp'
                ELSE n.nspname END || '.' || c.relname,
           CASE WHEN m.kind IN ('subsource', 'progress') THEN 'source'
                WHEN c.relkind IN ('r', 'p') THEN 'table'
                WHEN c.relkind = 'v' AND m.kind = 'materialized-view' THEN 'materialized view'
                WHEN c.relkind = 'v' THEN 'view' END
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN mz_emulator.relation_meta m ON m.oid = c.oid
    WHERE c.oid = p_oid
$$;

-- DROP TABLE | VIEW | MATERIALIZED VIEW: Materialize refuses a name of another kind (a plan error:
-- SQLSTATE XX000, as most of Materialize's plan errors; PostgreSQL cannot tell a materialized view from
-- a view); then p_statement, the mapped DROP, runs. Runs as the caller, so PostgreSQL checks ownership
-- and resolves names (missing ones, IF EXISTS, CASCADE) as always.
DROP PROCEDURE IF EXISTS mz_emulator.drop_relations(text, text[], text);
CREATE OR REPLACE PROCEDURE mz_emulator.drop_relations(p_kind text, p_names text[], p_statement text,
    p_cascade boolean DEFAULT false)
LANGUAGE plpgsql AS $$
DECLARE
    v_name text;
    v_oid oid;
    v_parts text[];
    v_item text;
    v_sink record;
    r record;
BEGIN
    FOREACH v_name IN ARRAY p_names LOOP
        v_oid := pg_catalog.to_regclass(v_name);
        IF v_oid IS NULL THEN
            -- An index, source, sink, connection or secret of that name: the kind mismatch, not "unknown".
            v_parts := pg_catalog.parse_ident(v_name);
            SELECT i.id INTO v_item FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid
            WHERE i.name = v_parts[array_length(v_parts, 1)]
              AND CASE WHEN array_length(v_parts, 1) > 1 THEN n.nspname = v_parts[array_length(v_parts, 1) - 1]
                       ELSE n.nspname = ANY (pg_catalog.current_schemas(false)) END
            ORDER BY array_position(pg_catalog.current_schemas(false), n.nspname::name) LIMIT 1;
            IF v_item IS NOT NULL THEN
                PERFORM mz_emulator.raise('42809', mz_emulator.kind_mismatch(v_item, p_kind));
            END IF;
            CONTINUE;
        END IF;
        r := mz_emulator.relation_kind(v_oid);
        -- A sink reading it is a catalog item PostgreSQL cannot see: RESTRICT refuses as Materialize does, CASCADE drops it.
        IF r.kind = p_kind THEN
            IF NOT p_cascade THEN
                SELECT i.id INTO v_item FROM mz_emulator.catalog_items i
                WHERE mz_emulator.relation_id(v_oid) = ANY (i.referenced) AND i.kind <> 'index' ORDER BY i.id LIMIT 1;
                IF v_item IS NOT NULL THEN
                    PERFORM mz_emulator.raise('2BP01', format('cannot drop %s: still depended upon by catalog item ''%s''',
                        r.full_name, mz_emulator.catalog_item_full_name(v_item)));
                END IF;
            ELSE
                -- Through the definer's procedure: the caller may not write the emulator's catalog.
                FOR v_sink IN SELECT n.nspname AS schema_name, i.name FROM mz_emulator.catalog_items i
                              JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid
                              WHERE mz_emulator.relation_id(v_oid) = ANY (i.referenced) AND i.kind = 'sink' LOOP
                    CALL mz_emulator.drop_catalog_item('sink', v_sink.schema_name, v_sink.name, true, true);
                END LOOP;
            END IF;
        END IF;
        CONTINUE WHEN r.kind IS NULL OR r.kind = p_kind;
        IF p_kind = 'view' AND r.kind = 'materialized view' THEN
            PERFORM mz_emulator.raise('42809',
                format('%s is a materialized view, which you can drop using DROP MATERIALIZED VIEW', r.full_name));
        END IF;
        PERFORM mz_emulator.raise('42809', format('%s is a %s not a %s', r.full_name, r.kind, p_kind));
    END LOOP;
    EXECUTE p_statement;
END
$$;

-- ── Test knobs: hydration, lag, replica health ───────────────────────────────────────────────────

CREATE OR REPLACE FUNCTION mz_emulator.set_hydration_delay(p_cluster text, p_delay interval) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    INSERT INTO mz_emulator.cluster_knobs (cluster_id, hydration_delay) VALUES (mz_emulator.cluster_id(p_cluster), p_delay)
    ON CONFLICT (cluster_id) DO UPDATE SET hydration_delay = excluded.hydration_delay
$$;

CREATE OR REPLACE FUNCTION mz_emulator.set_lag(p_cluster text, p_lag interval) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    INSERT INTO mz_emulator.cluster_knobs (cluster_id, forced_lag) VALUES (mz_emulator.cluster_id(p_cluster), p_lag)
    ON CONFLICT (cluster_id) DO UPDATE SET forced_lag = excluded.forced_lag
$$;

-- Records an OOM kill of replica p_replica of p_cluster at p_at (default now).
CREATE OR REPLACE FUNCTION mz_emulator.inject_oom_kill(p_cluster text, p_replica text, p_at timestamptz DEFAULT now())
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_replica text;
BEGIN
    SELECT r.id INTO v_replica FROM mz_emulator.cluster_replicas r
    WHERE r.cluster_id = mz_emulator.cluster_id(p_cluster) AND r.name = p_replica;
    IF v_replica IS NULL THEN
        PERFORM mz_emulator.raise('42704', format('unknown cluster replica ''%s.%s''', p_cluster, p_replica));
    END IF;
    INSERT INTO mz_emulator.replica_status_events (replica_id, status, reason, occurred_at)
    VALUES (v_replica, 'offline', 'oom-killed', p_at), (v_replica, 'online', NULL, p_at + interval '1 second');
END
$$;

-- Dataflow objects (materialized views, indexes, sources, sinks) with their cluster and creation time.
CREATE OR REPLACE VIEW mz_emulator.dataflows AS
SELECT 'u' || m.oid AS object_id, m.cluster_id, m.created_at
FROM mz_emulator.relation_meta m WHERE m.cluster_id IS NOT NULL
UNION ALL
SELECT i.id, i.cluster_id, i.created_at
FROM mz_emulator.catalog_items i WHERE i.cluster_id IS NOT NULL;

CREATE OR REPLACE VIEW mz_emulator.dataflow_replicas AS
SELECT d.object_id, d.cluster_id, r.id AS replica_id,
       now() >= greatest(d.created_at, r.created_at) + coalesce(k.hydration_delay, interval '0') AS hydrated,
       greatest(d.created_at, r.created_at) AS started_at,
       coalesce(k.hydration_delay, interval '0') AS hydration_delay,
       k.forced_lag
FROM mz_emulator.dataflows d
JOIN mz_emulator.cluster_replicas r ON r.cluster_id = d.cluster_id
LEFT JOIN mz_emulator.cluster_knobs k ON k.cluster_id = d.cluster_id;

GRANT SELECT ON ALL TABLES IN SCHEMA mz_emulator TO PUBLIC;

-- CREATE REPLACEMENT MATERIALIZED VIEW r FOR target: a materialized view that remembers its target.
DROP PROCEDURE IF EXISTS mz_emulator.create_replacement_materialized_view(text, text, text, text, text, text, text);
CREATE OR REPLACE PROCEDURE mz_emulator.create_replacement_materialized_view(
    p_schema text, p_name text, p_target text, p_columns text, p_query text, p_cluster text, p_create_sql text, p_options text)
LANGUAGE plpgsql AS $$
DECLARE
    v_target regclass := p_target::regclass;
BEGIN
    p_schema := mz_emulator.creation_schema(p_schema);
    IF NOT EXISTS (SELECT FROM mz_emulator.relation_meta WHERE oid = v_target AND kind = 'materialized-view') THEN
        PERFORM mz_emulator.raise('42809', format('''%s'' is not a materialized view', p_target));
    END IF;
    CALL mz_emulator.create_materialized_view(p_schema, p_name, p_columns, p_query, p_cluster, false, false, p_create_sql, p_options);
    PERFORM mz_emulator.set_replacement_target(format('%I.%I', p_schema, p_name)::regclass, v_target);
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.set_replacement_target(p_replacement regclass, p_target regclass) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    UPDATE mz_emulator.relation_meta SET replaces = p_target WHERE oid = p_replacement
$$;

-- ALTER MATERIALIZED VIEW target APPLY REPLACEMENT r: the target keeps its identity (dependents keep
-- working) and takes the replacement's definition, cluster and hydration; the replacement is gone.
CREATE OR REPLACE PROCEDURE mz_emulator.apply_replacement(p_target text, p_replacement text)
LANGUAGE plpgsql AS $$
DECLARE
    v_target regclass := p_target::regclass;
    v_replacement regclass := p_replacement::regclass;
    r mz_emulator.relation_meta;
BEGIN
    SELECT * INTO r FROM mz_emulator.relation_meta WHERE oid = v_replacement;
    IF r.replaces IS DISTINCT FROM v_target::oid THEN
        PERFORM mz_emulator.raise('42809', format('''%s'' is not a replacement for ''%s''', p_replacement, p_target));
    END IF;
    -- Replacing under the dependents is the point here (66-ddl-rules.sql refuses it otherwise).
    PERFORM pg_catalog.set_config('mz_emulator.replacing', 'on', true);
    EXECUTE format('CREATE OR REPLACE VIEW %s AS %s', v_target, pg_catalog.pg_get_viewdef(v_replacement));
    PERFORM pg_catalog.set_config('mz_emulator.replacing', '', true);
    PERFORM mz_emulator.take_replacement(v_target, v_replacement);
    EXECUTE format('DROP VIEW %s', v_replacement);
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.take_replacement(p_target regclass, p_replacement regclass) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    UPDATE mz_emulator.relation_meta t
    SET cluster_id = r.cluster_id, created_at = r.created_at,
        create_sql = replace(r.create_sql, 'REPLACEMENT ', ''), create_columns = r.create_columns, create_options = r.create_options
    FROM mz_emulator.relation_meta r
    WHERE t.oid = p_target AND r.oid = p_replacement
$$;
