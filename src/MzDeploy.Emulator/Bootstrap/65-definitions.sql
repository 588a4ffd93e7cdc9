-- Definitions and names as Materialize shows them: a view's query with every relation named by its
-- Materialize name (never the emulator's "db.schema" PostgreSQL schema), and the session's current schema.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.

-- A view's (or materialized view's) query as Materialize stores it in mz_views.definition: one line,
-- ending in ';', every relation fully qualified ("materialize"."public"."t"), so the text is the same
-- whatever the reader's search path and follows renames (PostgreSQL keeps the query by oid). The SET
-- clause makes pg_get_viewdef qualify every relation outside pg_catalog; the emulated schema name
-- "db.schema" is then split into Materialize's two quoted parts.
-- avg() of integers and numerics is the emulator's mz_catalog.avg (Bootstrap/82-avg.sql), which pg_get_viewdef
-- qualifies; the definition shows the call as written.
CREATE OR REPLACE FUNCTION mz_emulator.view_query(p_oid oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT regexp_replace(regexp_replace(
               regexp_replace(btrim(rtrim(btrim(pg_get_viewdef(p_oid), E' \n'), ';'), E' \n'), E'\\n\\s*', ' ', 'g'),
               '"((?:[^"\\.]|\\.)+)\.([^"]+)"\.', '"\1"."\2".', 'g'),
               '\mmz_catalog\.avg\(', 'avg(', 'g')
$$;

CREATE OR REPLACE FUNCTION mz_emulator.view_definition(p_oid oid) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT mz_emulator.view_query(p_oid) || ';' $$;

-- A relation's Materialize name, each part in double quotes: "materialize"."public"."v".
CREATE OR REPLACE FUNCTION mz_emulator.quoted_full_name(p_oid oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT string_agg('"' || replace(part, '"', '""') || '"', '.' ORDER BY k)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
         LATERAL unnest(ARRAY[coalesce((mz_emulator.split_schema(n.nspname)).database_name, ''),
                              coalesce((mz_emulator.split_schema(n.nspname)).schema_name, n.nspname), c.relname::text])
                 WITH ORDINALITY AS x(part, k)
    WHERE c.oid = p_oid AND (k > 1 OR part <> '')
$$;

-- A materialized view's statement as Materialize shows it (SHOW CREATE MATERIALIZED VIEW, mz_materialized_views.
-- create_sql; docs: /sql/show-create-materialized-view/): its quoted, fully qualified current name, its cluster's
-- current name, its options as written and its current query, so the text follows renames of the view, of what
-- it reads and of its cluster, and ALTER … SET CLUSTER. A replacement (CREATE REPLACEMENT …) and a view made
-- before the clauses were kept show the statement as sent.
CREATE OR REPLACE FUNCTION mz_emulator.materialized_view_create_sql(p_oid oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN m.create_options IS NULL OR m.replaces IS NOT NULL THEN m.create_sql
                ELSE 'CREATE MATERIALIZED VIEW ' || mz_emulator.quoted_full_name(p_oid)
                     || coalesce(' (' || m.create_columns || ')', '')
                     || coalesce(' IN CLUSTER "' || replace(cl.name, '"', '""') || '"', '')
                     || CASE WHEN m.create_options <> '' THEN ' ' || m.create_options ELSE '' END
                     || ' AS ' || mz_emulator.view_query(p_oid) END
    FROM mz_emulator.relation_meta m LEFT JOIN mz_emulator.clusters cl ON cl.id = m.cluster_id
    WHERE m.oid = p_oid
$$;

-- An index's statement as Materialize shows it (SHOW CREATE INDEX, mz_indexes.create_sql; docs: /sql/show-create-index/):
-- CREATE INDEX "name" IN CLUSTER "cluster" ON "db"."schema"."relation" ("key", …) with the current names of the
-- index, its cluster and its relation; a default index lists the relation's columns. An index made before the
-- clauses were kept shows the statement as sent.
CREATE OR REPLACE FUNCTION mz_emulator.index_create_sql(p_id text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN i.create_options IS NULL THEN i.create_sql
                ELSE 'CREATE INDEX "' || replace(i.name, '"', '""') || '"'
                     || coalesce(' IN CLUSTER "' || replace(cl.name, '"', '""') || '"', '')
                     || ' ON ' || mz_emulator.quoted_full_name(i.on_oid)
                     || ' (' || coalesce(i.create_key, (
                            SELECT string_agg('"' || replace(a.attname, '"', '""') || '"', ', ' ORDER BY a.attnum)
                            FROM pg_attribute a WHERE a.attrelid = i.on_oid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
                     || CASE WHEN i.create_options <> '' THEN ' ' || i.create_options ELSE '' END END
    FROM mz_emulator.catalog_items i LEFT JOIN mz_emulator.clusters cl ON cl.id = i.cluster_id
    WHERE i.id = p_id
$$;

-- The Materialize schema names of the session's search path that exist, in order (PostgreSQL's own
-- current_schemas would show the emulator's "db.schema" names). With p_implicit, mz_catalog and
-- pg_catalog, which Materialize always searches, come first.
CREATE OR REPLACE FUNCTION mz_catalog.current_schemas(p_implicit boolean) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN p_implicit THEN ARRAY['mz_catalog', 'pg_catalog'] ELSE '{}'::text[] END
           || coalesce(array_agg(x.s ORDER BY x.n) FILTER (WHERE n.oid IS NOT NULL
                   AND NOT (p_implicit AND x.s IN ('mz_catalog', 'pg_catalog'))), '{}')
    FROM unnest(string_to_array(replace(coalesce(nullif(current_setting('mz.search_path', true), ''), 'public'), ' ', ''), ','))
         WITH ORDINALITY AS x(s, n)
    LEFT JOIN pg_namespace n ON n.nspname = CASE
        WHEN x.s IN ('mz_catalog', 'mz_internal', 'mz_introspection', 'mz_unsafe', 'pg_catalog', 'information_schema') THEN x.s
        ELSE mz_emulator.pg_schema(coalesce(nullif(current_setting('mz.database', true), ''), 'materialize'), x.s) END
$$;

-- current_schema(): the first schema of the search path that exists in the current database, NULL when
-- none does (Materialize then refuses to create unqualified items: "no valid schema selected").
CREATE OR REPLACE FUNCTION mz_catalog.current_schema() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT (mz_catalog.current_schemas(false))[1]
$$;

-- The PostgreSQL schema an item is created in: the one named, else (unqualified name) the current
-- schema of the session's database; with none, Materialize's "no valid schema selected".
CREATE OR REPLACE FUNCTION mz_emulator.creation_schema(p_schema text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    v_current text := mz_catalog.current_schema();
BEGIN
    IF p_schema IS NOT NULL THEN
        RETURN p_schema;
    END IF;
    IF v_current IS NULL THEN
        PERFORM mz_emulator.raise('3F000', 'no valid schema selected');
    END IF;
    RETURN CASE WHEN v_current IN ('mz_catalog', 'mz_internal', 'mz_introspection', 'mz_unsafe', 'pg_catalog', 'information_schema')
                THEN v_current
                ELSE mz_emulator.pg_schema(coalesce(nullif(current_setting('mz.database', true), ''), 'materialize'), v_current) END;
END
$$;
