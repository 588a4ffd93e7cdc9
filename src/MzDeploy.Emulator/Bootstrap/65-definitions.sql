-- Definitions and names as Materialize shows them: a view's query with every relation named by its
-- Materialize name (never the emulator's "db.schema" PostgreSQL schema), and the session's current schema.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.

-- mz_emulator.to_mz_timestamp(x) in a definition back to a cast (without the cast to its base type PostgreSQL adds
-- where it compares with a timestamptz such as mz_now()): of a literal ('…'::text), of a value PostgreSQL cast to
-- numeric to call it, and of anything else (two levels of parentheses inside, as definitions of temporal filters have).
CREATE OR REPLACE FUNCTION mz_emulator.mz_timestamp_casts(p_query text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN strpos(p_query, 'mz_emulator.to_mz_timestamp(') = 0 THEN p_query ELSE
        regexp_replace(regexp_replace(regexp_replace(regexp_replace(p_query,
            '\((mz_emulator\.to_mz_timestamp\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))\)::timestamp with time zone', '\1', 'g'),
            'mz_emulator\.to_mz_timestamp\(((?:''[^'']*'')+)::text\)', '\1::mz_timestamp', 'g'),
            'mz_emulator\.to_mz_timestamp\(\(((?:[^()]|\([^()]*\))*)\)::numeric\)', '(\1)::mz_timestamp', 'g'),
            'mz_emulator\.to_mz_timestamp\(((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)', '(\1)::mz_timestamp', 'g')
    END
$$;

-- A view's (or materialized view's) query as Materialize stores it in mz_views.definition: one line,
-- ending in ';', every relation fully qualified ("materialize"."public"."t"), so the text is the same
-- whatever the reader's search path and follows renames (PostgreSQL keeps the query by oid). The SET
-- clause makes pg_get_viewdef qualify every relation outside pg_catalog; the emulated schema name
-- "db.schema" is then split into Materialize's two quoted parts.
-- avg() of integers and numerics is the emulator's mz_catalog.avg (Bootstrap/82-avg.sql), which pg_get_viewdef
-- qualifies, like mz_now(); the definition shows the calls as written. A cast to mz_timestamp is the emulator's
-- mz_emulator.to_mz_timestamp(…) (Statements/MzTimestampCasts.cs); the definition shows it as a cast again.
CREATE OR REPLACE FUNCTION mz_emulator.view_query(p_oid oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT mz_emulator.mz_timestamp_casts(regexp_replace(regexp_replace(
               regexp_replace(btrim(rtrim(btrim(pg_get_viewdef(p_oid), E' \n'), ';'), E' \n'), E'\\n\\s*', ' ', 'g'),
               '"((?:[^"\\.]|\\.)+)\.([^"]+)"\.', '"\1"."\2".', 'g'),
               '\mmz_catalog\.(avg|mz_now)\(', '\1(', 'g'))
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

-- ── CREATE statements of tables, sources, sinks, connections and secrets (SHOW CREATE, create_sql) ─────
-- Materialize shows them under the current, fully qualified names of the item, its cluster and everything it
-- names (docs: /sql/show-create-source/, /sql/show-create-sink/, /sql/show-create-table/). The emulator keeps
-- the statement as written with those names replaced by markers (Statements/CreateSqlTemplate.cs): E'\x01self\x01'
-- for the item, E'\x01cluster\x01' where IN CLUSTER stands, E'\x02<id>\x02' for a referenced object (the creating
-- procedure turns the client's positional E'\x01<n>\x01' into ids). Reading resolves them, so the text follows
-- renames; rows made before the markers show the statement as sent.

-- Any object's Materialize name, each part quoted: a catalog item's or a relation's; NULL for an unknown id.
CREATE OR REPLACE FUNCTION mz_emulator.quoted_object_name(p_id text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT coalesce(
        (SELECT coalesce('"' || replace((mz_emulator.split_schema(n.nspname)).database_name, '"', '""') || '".'
                         || '"' || replace((mz_emulator.split_schema(n.nspname)).schema_name, '"', '""') || '"',
                         '"' || replace(n.nspname, '"', '""') || '"')
                || '."' || replace(i.name, '"', '""') || '"'
         FROM mz_emulator.catalog_items i JOIN pg_namespace n ON n.oid = i.schema_oid WHERE i.id = p_id),
        CASE WHEN p_id ~ '^[us][0-9]+$' THEN mz_emulator.quoted_full_name(substr(p_id, 2)::oid) END)
$$;

-- The positional reference markers of a client's statement (E'\x01<n>\x01', n counting from 1) as the ids of p_refs.
CREATE OR REPLACE FUNCTION mz_emulator.bind_references(p_template text, p_refs text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_sql text := p_template;
    i int;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_refs, 1), 0) LOOP
        v_sql := replace(v_sql, E'\x01' || i || E'\x01', E'\x02' || p_refs[i] || E'\x02');
    END LOOP;
    RETURN v_sql;
END
$$;

-- A template with its markers resolved: p_self the item's quoted name, p_cluster_id its cluster (NULL: none).
-- A referenced object that no longer exists keeps its id.
CREATE OR REPLACE FUNCTION mz_emulator.resolve_create_sql(p_template text, p_self text, p_cluster_id text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    v_sql text := p_template;
    v_id text;
BEGIN
    IF strpos(v_sql, E'\x01') = 0 AND strpos(v_sql, E'\x02') = 0 THEN
        RETURN v_sql;
    END IF;
    v_sql := replace(v_sql, E'\x01self\x01', p_self);
    v_sql := replace(v_sql, E'\x01cluster\x01', coalesce(' IN CLUSTER "' || replace(
        (SELECT c.name FROM mz_emulator.clusters c WHERE c.id = p_cluster_id), '"', '""') || '"', ''));
    FOR v_id IN SELECT DISTINCT m[1] FROM regexp_matches(v_sql, E'\x02([^\x02]+)\x02', 'g') AS m LOOP
        v_sql := replace(v_sql, E'\x02' || v_id || E'\x02', coalesce(mz_emulator.quoted_object_name(v_id), v_id));
    END LOOP;
    RETURN v_sql;
END
$$;

-- A source's, sink's, connection's or secret's statement as Materialize shows it.
CREATE OR REPLACE FUNCTION mz_emulator.item_create_sql(p_id text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT mz_emulator.resolve_create_sql(i.create_sql, mz_emulator.quoted_object_name(i.id), i.cluster_id)
    FROM mz_emulator.catalog_items i WHERE i.id = p_id
$$;

-- A column type as Materialize prints it in CREATE TABLE: a built-in type without modifier by its quoted
-- catalog name ("pg_catalog"."int4", docs: /sql/show-create-table/); others in PostgreSQL's spelling.
CREATE OR REPLACE FUNCTION mz_emulator.column_type_sql(p_type oid, p_typmod int) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN n.nspname = 'pg_catalog' AND p_typmod < 0 AND t.typcategory <> 'A'
                THEN '"pg_catalog"."' || t.typname || '"'
                ELSE format_type(p_type, p_typmod) END
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = p_type
$$;

-- A table's statement as Materialize shows it (SHOW CREATE TABLE, mz_tables.create_sql): a table from a source
-- as written with its names current; a plain table rebuilt from its columns under its quoted, fully qualified name.
CREATE OR REPLACE FUNCTION mz_emulator.table_create_sql(p_oid oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT coalesce(
        (SELECT mz_emulator.resolve_create_sql(m.create_sql, mz_emulator.quoted_full_name(p_oid), NULL)
         FROM mz_emulator.relation_meta m WHERE m.oid = p_oid AND m.create_sql IS NOT NULL),
        (SELECT 'CREATE TABLE ' || mz_emulator.quoted_full_name(p_oid) || ' (' || coalesce(string_agg(
                    '"' || replace(a.attname, '"', '""') || '" ' || mz_emulator.column_type_sql(a.atttypid, a.atttypmod)
                    || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, ', ' ORDER BY a.attnum), '') || ')'
         FROM pg_attribute a WHERE a.attrelid = p_oid AND a.attnum > 0 AND NOT a.attisdropped))
$$;
