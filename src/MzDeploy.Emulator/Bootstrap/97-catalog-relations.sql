-- Catalog relations issue 12 (item 9) found missing: mz_index_columns, mz_object_fully_qualified_names,
-- mz_cluster_deployment_lineage, mz_show_materialized_views.
-- Part of the emulator's definitions: re-run on every start, in file-name order.

-- An index's key parts (docs: mz_internal.mz_index_columns): the parenthesised list at the end of its CREATE
-- INDEX, a column of the indexed relation by its position, anything else as its expression text; an index
-- without a list (CREATE DEFAULT INDEX) keys on every column.
CREATE OR REPLACE FUNCTION mz_emulator.index_key_parts(p_create_sql text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN m IS NULL THEN NULL
                ELSE ARRAY(SELECT btrim(p) FROM unnest(regexp_split_to_array(m[1], ',')) p) END
    FROM (SELECT regexp_match(p_create_sql, '\(([^()]*)\)\s*;?\s*$') AS m) x
$$;

CREATE OR REPLACE VIEW mz_internal.mz_index_columns AS
SELECT i.id AS index_id, k.position::numeric AS index_position,
       a.attnum::numeric AS on_position, CASE WHEN a.attnum IS NULL THEN k.part END AS on_expression,
       coalesce(NOT a.attnotnull, true) AS nullable
FROM mz_emulator.catalog_items i
CROSS JOIN LATERAL unnest(mz_emulator.index_key_parts(i.create_sql)) WITH ORDINALITY AS k(part, position)
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.on_oid AND a.attnum > 0 AND NOT a.attisdropped
    AND a.attname = CASE WHEN k.part ~ '^".*"$' THEN replace(substr(k.part, 2, length(k.part) - 2), '""', '"') ELSE lower(k.part) END
WHERE i.kind = 'index' AND mz_emulator.index_key_parts(i.create_sql) IS NOT NULL
UNION ALL
SELECT i.id, a.attnum::numeric, a.attnum::numeric, NULL, NOT a.attnotnull
FROM mz_emulator.catalog_items i
JOIN pg_catalog.pg_attribute a ON a.attrelid = i.on_oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE i.kind = 'index' AND mz_emulator.index_key_parts(i.create_sql) IS NULL;

-- Every object with its schema and database names (docs: mz_internal.mz_object_fully_qualified_names).
CREATE OR REPLACE VIEW mz_internal.mz_object_fully_qualified_names AS
SELECT o.id, o.name, o.type AS object_type, o.schema_id, s.name AS schema_name, s.database_id, d.name AS database_name, o.cluster_id
FROM mz_catalog.mz_objects o
JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id
LEFT JOIN mz_catalog.mz_databases d ON d.id = s.database_id;

-- Blue/green lineage of clusters (docs: mz_internal.mz_cluster_deployment_lineage). Materialize traces it through
-- the audit log, which the emulator does not keep: every cluster is its own current deployment.
CREATE OR REPLACE VIEW mz_internal.mz_cluster_deployment_lineage AS
SELECT c.id AS cluster_id, c.id AS current_deployment_cluster_id, c.name AS cluster_name FROM mz_catalog.mz_clusters c;

-- What SHOW MATERIALIZED VIEWS shows, per materialized view.
CREATE OR REPLACE VIEW mz_internal.mz_show_materialized_views AS
SELECT mv.id, mv.name, coalesce(c.name, '') AS cluster, mv.schema_id, mv.cluster_id, coalesce(m.comment, '') AS comment
FROM mz_catalog.mz_materialized_views mv
LEFT JOIN mz_catalog.mz_clusters c ON c.id = mv.cluster_id
LEFT JOIN mz_internal.mz_comments m ON m.id = mv.id AND m.object_sub_id IS NULL;

GRANT SELECT ON mz_internal.mz_index_columns, mz_internal.mz_object_fully_qualified_names,
    mz_internal.mz_cluster_deployment_lineage, mz_internal.mz_show_materialized_views TO PUBLIC;
