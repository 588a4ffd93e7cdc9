-- Sources, sinks, connections, secrets; SHOW CREATE; renames; mz_now() operators.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
-- ── Sources, sinks, connections, secrets: catalog entries with dependencies ──────────────────────

-- Resolves a catalog item by (PostgreSQL schema or NULL for the search path, name).
-- No SET search_path here: an unqualified name resolves through the caller's search path (a SET clause
-- would make current_schemas() answer the function's own path).
CREATE OR REPLACE FUNCTION mz_emulator.catalog_item_id(p_schema text, p_name text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_id text;
    v_path name[] := pg_catalog.current_schemas(false);
BEGIN
    SELECT i.id INTO v_id FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid
    WHERE i.name OPERATOR(pg_catalog.=) p_name
      AND (n.nspname OPERATOR(pg_catalog.=) p_schema OR (p_schema IS NULL AND n.nspname OPERATOR(pg_catalog.=) ANY (v_path)))
    ORDER BY pg_catalog.array_position(v_path, n.nspname) LIMIT 1;
    IF v_id IS NULL THEN
        PERFORM mz_emulator.raise('42704', format('unknown catalog item ''%s''', p_name));
    END IF;
    RETURN v_id;
END
$$;

-- CREATE SOURCE | SINK | CONNECTION | SECRET. p_relations: relations read (PostgreSQL spelling);
-- p_item_schemas/p_item_names: connections and secrets referenced. p_cluster: IN CLUSTER, else the
-- session cluster when p_needs_cluster. p_create_sql: the statement with markers (mz_emulator.resolve_create_sql),
-- its n-th reference marker standing for the n-th of the relations and then the items.
CREATE OR REPLACE PROCEDURE mz_emulator.create_catalog_item(
    p_kind text, p_schema text, p_name text, p_connector text, p_needs_cluster boolean, p_cluster text,
    p_if_not_exists boolean, p_create_sql text, p_relations text[], p_item_schemas text[], p_item_names text[])
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_schema oid;
    v_refs text[] := '{}';
    v_cluster_id text;
    i int;
BEGIN
    SELECT oid INTO v_schema FROM pg_catalog.pg_namespace
    WHERE nspname = mz_emulator.creation_schema(p_schema);
    IF v_schema IS NULL THEN
        PERFORM mz_emulator.raise('3F000', format('unknown schema ''%s''', coalesce(p_schema, 'public')));
    END IF;
    IF EXISTS (SELECT FROM mz_emulator.catalog_items WHERE schema_oid = v_schema AND name = p_name)
       OR EXISTS (SELECT FROM pg_catalog.pg_class WHERE relnamespace = v_schema AND relname = p_name) THEN
        IF p_if_not_exists THEN
            RAISE NOTICE '% "%" already exists, skipping', p_kind, p_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42710', format('%s ''%s'' already exists', p_kind, p_name));
    END IF;
    IF p_needs_cluster THEN
        v_cluster_id := mz_emulator.target_cluster(p_cluster);
    END IF;
    FOR i IN 1 .. coalesce(array_length(p_relations, 1), 0) LOOP
        v_refs := v_refs || mz_emulator.relation_id(p_relations[i]::regclass);
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(p_item_names, 1), 0) LOOP
        v_refs := v_refs || mz_emulator.catalog_item_id(p_item_schemas[i], p_item_names[i]);
    END LOOP;
    INSERT INTO mz_emulator.catalog_items (schema_oid, name, kind, connector, cluster_id, referenced, create_sql, owner)
    VALUES (v_schema, p_name, p_kind, p_connector, v_cluster_id, v_refs,
            mz_emulator.bind_references(p_create_sql, v_refs), session_user::regrole);
END
$$;

-- ALTER SINK s SET FROM relation: the new relation replaces the old one among its references and in its statement.
CREATE OR REPLACE PROCEDURE mz_emulator.alter_sink_set_from(p_schema text, p_name text, p_relation text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text := mz_emulator.catalog_item_id(p_schema, p_name);
    v_new text := mz_emulator.relation_id(p_relation::regclass);
    v_sql text := (SELECT create_sql FROM mz_emulator.catalog_items WHERE id = v_id);
    v_old text;
BEGIN
    FOR v_old IN SELECT r FROM unnest((SELECT referenced FROM mz_emulator.catalog_items WHERE id = v_id)) r
                 WHERE r IN (SELECT 'u' || oid FROM pg_catalog.pg_class) OR r IN (SELECT 's' || oid FROM pg_catalog.pg_class) LOOP
        v_sql := replace(v_sql, E'\x02' || v_old || E'\x02', E'\x02' || v_new || E'\x02');
    END LOOP;
    UPDATE mz_emulator.catalog_items
    SET referenced = ARRAY[v_new]
        || ARRAY(SELECT r FROM unnest(referenced) r WHERE r NOT IN (SELECT 'u' || oid FROM pg_catalog.pg_class)
                 AND r NOT IN (SELECT 's' || oid FROM pg_catalog.pg_class)),
        create_sql = v_sql
    WHERE id = v_id AND kind = 'sink';
    IF NOT FOUND THEN
        PERFORM mz_emulator.raise('42809', format('''%s'' is not a sink', p_name));
    END IF;
END
$$;

CREATE OR REPLACE VIEW mz_catalog.mz_sources AS
SELECT i.id, i.oid, 'u' || i.schema_oid AS schema_id, i.name, i.connector AS type,
       (SELECT r FROM unnest(i.referenced) r JOIN mz_emulator.catalog_items c ON c.id = r AND c.kind = 'connection' LIMIT 1) AS connection_id,
       NULL::text AS size, NULL::text AS envelope_type, NULL::text AS key_format, NULL::text AS value_format, i.cluster_id,
       mz_emulator.role_id(i.owner) AS owner_id, mz_emulator.item_privileges(i) AS privileges,
       mz_emulator.item_create_sql(i.id) AS create_sql, mz_emulator.item_create_sql(i.id) AS redacted_create_sql
FROM mz_emulator.catalog_items i WHERE i.kind = 'source'
UNION ALL
-- Subsources (FOR ALL TABLES) and progress subsources: PostgreSQL tables (Bootstrap/96-subsources.sql).
SELECT 'u' || c.oid, c.oid, 'u' || c.relnamespace, c.relname::text, m.kind, NULL, NULL, NULL, NULL, NULL, NULL,
       mz_emulator.role_id(c.relowner), mz_emulator.privileges(c.relacl, c.relowner, 'r'), m.create_sql, m.create_sql
FROM mz_emulator.relation_meta m JOIN pg_catalog.pg_class c ON c.oid = m.oid WHERE m.kind IN ('subsource', 'progress');

CREATE OR REPLACE VIEW mz_catalog.mz_sinks AS
SELECT i.id, i.oid, 'u' || i.schema_oid AS schema_id, i.name, i.connector AS type,
       (SELECT r FROM unnest(i.referenced) r JOIN mz_emulator.catalog_items c ON c.id = r AND c.kind = 'connection' LIMIT 1) AS connection_id,
       NULL::text AS size, NULL::text AS envelope_type, NULL::text AS format, NULL::text AS key_format, NULL::text AS value_format,
       i.cluster_id, mz_emulator.role_id(i.owner) AS owner_id, mz_emulator.item_create_sql(i.id) AS create_sql, mz_emulator.item_create_sql(i.id) AS redacted_create_sql
FROM mz_emulator.catalog_items i WHERE i.kind = 'sink';

CREATE OR REPLACE VIEW mz_catalog.mz_connections AS
SELECT i.id, i.oid, 'u' || i.schema_oid AS schema_id, i.name, i.connector AS type, mz_emulator.role_id(i.owner) AS owner_id,
       mz_emulator.item_privileges(i) AS privileges,
       mz_emulator.item_create_sql(i.id) AS create_sql, mz_emulator.item_create_sql(i.id) AS redacted_create_sql
FROM mz_emulator.catalog_items i WHERE i.kind = 'connection';

CREATE OR REPLACE VIEW mz_catalog.mz_secrets AS
SELECT i.id, i.oid, 'u' || i.schema_oid AS schema_id, i.name, mz_emulator.role_id(i.owner) AS owner_id,
       mz_emulator.item_privileges(i) AS privileges
FROM mz_emulator.catalog_items i WHERE i.kind = 'secret';

GRANT SELECT ON ALL TABLES IN SCHEMA mz_catalog, mz_internal TO PUBLIC;

-- An identifier always in double quotes, as Materialize prints names in create_sql.
CREATE OR REPLACE FUNCTION mz_emulator.quoted(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT '"' || replace(p_name, '"', '""') || '"' $$;

-- SHOW CREATE VIEW | MATERIALIZED VIEW | TABLE | SOURCE | SINK | CONNECTION | SECRET | INDEX: Materialize's columns,
-- name (the item's fully qualified name, unquoted: materialize.public.v) and create_sql (its statement under current
-- names: mz_emulator.view_query, materialized_view_create_sql, table_create_sql, index_create_sql, item_create_sql).
CREATE OR REPLACE FUNCTION mz_emulator.show_create(p_kind text, p_schema text, p_name text, p_display_name text)
RETURNS TABLE (name text, create_sql text)
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
DECLARE
    v_oid oid;
    v_kind text;
    v_id text;
BEGIN
    IF p_kind IN ('materialized-view', 'view', 'table') THEN
        v_oid := pg_catalog.to_regclass(CASE WHEN p_schema IS NULL THEN quote_ident(p_name) ELSE quote_ident(p_schema) || '.' || quote_ident(p_name) END);
        IF v_oid IS NULL THEN
            PERFORM mz_emulator.raise('42704', format('unknown catalog item ''%s''', p_display_name));
        END IF;
        v_kind := replace((mz_emulator.relation_kind(v_oid)).kind, ' ', '-');
        IF v_kind IS DISTINCT FROM p_kind THEN
            PERFORM mz_emulator.raise('42809', format('''%s'' is not a %s', p_display_name, replace(p_kind, '-', ' ')));
        END IF;
        name := (mz_emulator.relation_kind(v_oid)).full_name;
        create_sql := CASE p_kind
            WHEN 'materialized-view' THEN mz_emulator.materialized_view_create_sql(v_oid)
            WHEN 'view' THEN 'CREATE VIEW ' || mz_emulator.quoted_full_name(v_oid) || ' AS ' || mz_emulator.view_query(v_oid)
            ELSE mz_emulator.table_create_sql(v_oid) END;
    ELSE
        v_id := mz_emulator.catalog_item_id(p_schema, p_name);
        SELECT mz_emulator.catalog_item_full_name(i.id),
               CASE WHEN i.kind = 'index' THEN mz_emulator.index_create_sql(i.id) ELSE mz_emulator.item_create_sql(i.id) END
        INTO name, create_sql
        FROM mz_emulator.catalog_items i WHERE i.id = v_id AND i.kind = p_kind;
    END IF;
    IF create_sql IS NULL THEN
        PERFORM mz_emulator.raise('42809', format('''%s'' is not a %s', p_display_name, replace(p_kind, '-', ' ')));
    END IF;
    RETURN NEXT;
END
$$;

-- Materialize's name of a catalog item: database.schema.item.
CREATE OR REPLACE FUNCTION mz_emulator.catalog_item_full_name(p_id text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT coalesce((mz_emulator.split_schema(n.nspname)).database_name || '.' || (mz_emulator.split_schema(n.nspname)).schema_name,
                    n.nspname) || '.' || i.name
    FROM mz_emulator.catalog_items i JOIN pg_namespace n ON n.oid = i.schema_oid WHERE i.id = p_id
$$;

-- "materialize.public.s is a source not a view": what a catalog item is, against the kind a statement named.
CREATE OR REPLACE FUNCTION mz_emulator.kind_mismatch(p_id text, p_expected text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT mz_emulator.catalog_item_full_name(i.id) || ' is '
        || CASE WHEN i.kind = 'index' THEN 'an index' ELSE 'a ' || i.kind END || ' not a ' || replace(p_expected, '-', ' ')
    FROM mz_emulator.catalog_items i WHERE i.id = p_id
$$;

-- ALTER MATERIALIZED VIEW | INDEX | SINK | SOURCE … SET CLUSTER c: the object's dataflow moves, so it
-- hydrates anew on the new cluster (its creation time restarts); naming its own cluster changes nothing.
CREATE OR REPLACE PROCEDURE mz_emulator.alter_set_cluster(p_kind text, p_schema text, p_name text, p_cluster text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_oid oid;
    v_id text;
    v_cluster text;
BEGIN
    IF p_kind = 'materialized-view' THEN
        v_oid := (CASE WHEN p_schema IS NULL THEN quote_ident(p_name) ELSE quote_ident(p_schema) || '.' || quote_ident(p_name) END)::regclass;
        PERFORM mz_emulator.require_owner((SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_oid), 'MATERIALIZED VIEW',
            (mz_emulator.relation_kind(v_oid)).full_name);
        v_cluster := mz_emulator.target_cluster(p_cluster);
        UPDATE mz_emulator.relation_meta
        SET created_at = CASE WHEN cluster_id = v_cluster THEN created_at ELSE now() END, cluster_id = v_cluster
        WHERE oid = v_oid AND kind = p_kind;
        IF NOT FOUND THEN
            PERFORM mz_emulator.raise('42809', format('%s is a %s not a materialized view',
                (mz_emulator.relation_kind(v_oid)).full_name, (mz_emulator.relation_kind(v_oid)).kind));
        END IF;
    ELSE
        v_id := mz_emulator.catalog_item_id(p_schema, p_name);
        PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.catalog_items WHERE id = v_id), upper(p_kind),
            mz_emulator.catalog_item_full_name(v_id));
        v_cluster := mz_emulator.target_cluster(p_cluster);
        UPDATE mz_emulator.catalog_items
        SET created_at = CASE WHEN cluster_id = v_cluster THEN created_at ELSE now() END, cluster_id = v_cluster
        WHERE id = v_id AND kind = p_kind;
        IF NOT FOUND THEN
            PERFORM mz_emulator.raise('42809', mz_emulator.kind_mismatch(v_id, p_kind));
        END IF;
    END IF;
END
$$;

-- COMMENT ON INDEX | SOURCE | SINK | CONNECTION | SECRET: kept with the other catalog comments.
CREATE OR REPLACE PROCEDURE mz_emulator.comment_on_item(p_kind text, p_schema text, p_name text, p_comment text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text := mz_emulator.catalog_item_id(p_schema, p_name);
BEGIN
    IF NOT EXISTS (SELECT FROM mz_emulator.catalog_items WHERE id = v_id AND kind = p_kind) THEN
        PERFORM mz_emulator.raise('42809', mz_emulator.kind_mismatch(v_id, p_kind));
    END IF;
    PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.catalog_items WHERE id = v_id), upper(p_kind),
        mz_emulator.catalog_item_full_name(v_id));
    PERFORM mz_emulator.set_comment(v_id, p_kind, p_comment);
END
$$;

-- A dropped catalog item (DROP, or its schema's or relation's DROP … CASCADE) takes its comment along.
CREATE OR REPLACE FUNCTION mz_emulator.on_catalog_item_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    DELETE FROM mz_emulator.comments WHERE id = OLD.id;
    RETURN OLD;
END
$$;

CREATE OR REPLACE TRIGGER catalog_item_comments AFTER DELETE ON mz_emulator.catalog_items
FOR EACH ROW EXECUTE FUNCTION mz_emulator.on_catalog_item_delete();

CREATE OR REPLACE PROCEDURE mz_emulator.rename_cluster_replica(p_cluster text, p_replica text, p_new_name text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_cluster text := mz_emulator.cluster_id(p_cluster);
BEGIN
    PERFORM mz_emulator.begin_ddl();
    PERFORM mz_emulator.check_cluster_modifiable(v_cluster, p_cluster);
    IF EXISTS (SELECT FROM mz_emulator.clusters WHERE id = v_cluster AND managed) THEN
        PERFORM mz_emulator.raise('0A000', 'cannot rename replicas of managed clusters');
    END IF;
    UPDATE mz_emulator.cluster_replicas SET name = p_new_name WHERE cluster_id = v_cluster AND name = p_replica;
    IF NOT FOUND THEN
        PERFORM mz_emulator.raise('42704', format('unknown cluster replica ''%s.%s''', p_cluster, p_replica));
    END IF;
END
$$;

-- ALTER INDEX | SOURCE | SINK | CONNECTION | SECRET … RENAME TO (catalog-only objects).
CREATE OR REPLACE PROCEDURE mz_emulator.rename_catalog_item(p_kind text, p_schema text, p_name text, p_new_name text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text := mz_emulator.catalog_item_id(p_schema, p_name);
BEGIN
    PERFORM mz_emulator.begin_ddl();
    UPDATE mz_emulator.catalog_items SET name = p_new_name WHERE id = v_id AND kind = p_kind;
    IF NOT FOUND THEN
        PERFORM mz_emulator.raise('42809', format('''%s'' is not a %s', p_name, p_kind));
    END IF;
END
$$;

-- ── Tables from sources ──────────────────────────────────────────────────────────────────────────

-- CREATE TABLE t [(columns)] FROM SOURCE src (REFERENCE …): a PostgreSQL table (empty: sources produce no
-- data here) with the declared columns, or without a list the columns knowable from the source
-- (mz_emulator.source_table_columns: p_reference, p_format, p_text_columns), registered with its source so
-- the catalog shows the dependency. Runs as the caller, who owns the table.
DROP PROCEDURE IF EXISTS mz_emulator.create_source_table(text, text, text, text, text, boolean, text);
CREATE OR REPLACE PROCEDURE mz_emulator.create_source_table(
    p_schema text, p_name text, p_columns text, p_source_schema text, p_source text, p_if_not_exists boolean, p_create_sql text,
    p_reference text, p_format text, p_text_columns text[])
LANGUAGE plpgsql AS $$
DECLARE
    v_source text := mz_emulator.catalog_item_id(p_source_schema, p_source);
    v_schema text := coalesce(p_schema, (pg_catalog.current_schemas(false))[1]);
    v_kind text;
BEGIN
    SELECT kind INTO v_kind FROM mz_emulator.catalog_items WHERE id = v_source;
    IF v_kind <> 'source' THEN
        PERFORM mz_emulator.raise('42809', format('%s is a %s not a source', p_source, v_kind));
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = v_schema AND c.relname = p_name)
       OR EXISTS (SELECT FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid
                  WHERE n.nspname = v_schema AND i.name = p_name) THEN
        IF p_if_not_exists THEN
            RAISE NOTICE 'table "%" already exists, skipping', p_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42710', format('table ''%s'' already exists', p_name));
    END IF;
    EXECUTE format('CREATE TABLE %I.%I (%s)', v_schema, p_name,
        coalesce(p_columns, mz_emulator.source_table_columns(v_source, p_reference, p_format, p_text_columns)));
    PERFORM mz_emulator.register_source_table(format('%I.%I', v_schema, p_name)::regclass, v_source,
        mz_emulator.bind_references(p_create_sql, ARRAY[v_source]));
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.register_source_table(p_table regclass, p_source_id text, p_create_sql text)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    INSERT INTO mz_emulator.relation_meta (oid, kind, create_sql, source_id)
    VALUES (p_table, 'source-table', p_create_sql, p_source_id)
$$;
