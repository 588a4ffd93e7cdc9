-- Rules Materialize applies to DDL that PostgreSQL does not: checked after each client DDL statement
-- by a ddl_command_end event trigger, inside the statement, so a refusal undoes it.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.

-- How Materialize names an item in an error: the bare name when its schema is the session's current
-- schema, else database.schema.item.
CREATE OR REPLACE FUNCTION mz_emulator.error_name(p_oid oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN n.nspname = mz_emulator.pg_schema(coalesce(nullif(current_setting('mz.database', true), ''), 'materialize'),
                                                       mz_catalog.current_schema())
                THEN c.relname::text ELSE (mz_emulator.relation_kind(c.oid)).full_name END
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_oid
$$;

-- CREATE OR REPLACE drops and re-creates in Materialize, so replacing a view (or materialized view) that
-- a view, materialized view or index depends on fails as its DROP would.
CREATE OR REPLACE FUNCTION mz_emulator.refuse_replacing_depended(p_oid oid) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    v_dependent oid;
    v_index text;
BEGIN
    SELECT rw.ev_class INTO v_dependent
    FROM pg_depend d JOIN pg_rewrite rw ON rw.oid = d.objid
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
      AND d.refobjid = p_oid AND rw.ev_class <> p_oid
    ORDER BY rw.ev_class LIMIT 1;
    IF v_dependent IS NOT NULL THEN
        PERFORM mz_emulator.raise('2BP01', format('cannot drop %s "%s": still depended upon by %s "%s"',
            (mz_emulator.relation_kind(p_oid)).kind, mz_emulator.error_name(p_oid),
            (mz_emulator.relation_kind(v_dependent)).kind, mz_emulator.error_name(v_dependent)));
    END IF;
    SELECT i.name INTO v_index FROM mz_emulator.catalog_items i WHERE i.on_oid = p_oid ORDER BY i.name LIMIT 1;
    IF v_index IS NOT NULL THEN
        PERFORM mz_emulator.raise('2BP01', format('cannot drop %s "%s": still depended upon by index "%s"',
            (mz_emulator.relation_kind(p_oid)).kind, mz_emulator.error_name(p_oid), v_index));
    END IF;
END
$$;

-- 1. An unqualified CREATE with no existing schema on the search path would land in mz_catalog (the
--    first existing schema of PostgreSQL's path): Materialize refuses with "no valid schema selected".
-- 2. CREATE OR REPLACE [MATERIALIZED] VIEW of a view that others depend on: Materialize drops and
--    re-creates, so it fails with "cannot drop view "v": still depended upon by view "w"" (PostgreSQL
--    would swap the query under the dependents). A view that has just been created has no dependents,
--    so any dependent means the statement replaced one. ALTER MATERIALIZED VIEW … APPLY REPLACEMENT
--    replaces on purpose and sets mz_emulator.replacing.
-- Only client sessions (they carry mz.database) are checked: the bootstrap replaces system views.
CREATE OR REPLACE FUNCTION mz_emulator.on_ddl_rules() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    r record;
BEGIN
    IF coalesce(current_setting('mz.database', true), '') = '' THEN
        RETURN;
    END IF;
    FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
        IF r.command_tag IN ('CREATE TABLE', 'CREATE VIEW', 'CREATE TABLE AS', 'CREATE SEQUENCE', 'CREATE TYPE', 'CREATE FUNCTION')
           AND r.schema_name IN ('mz_catalog', 'mz_internal', 'mz_introspection', 'mz_unsafe', 'pg_catalog', 'information_schema')
           AND mz_catalog.current_schema() IS NULL THEN
            PERFORM mz_emulator.raise('3F000', 'no valid schema selected');
        END IF;
        IF r.command_tag = 'CREATE VIEW' AND r.object_type = 'view'
           AND coalesce(current_setting('mz_emulator.replacing', true), '') <> 'on' THEN
            PERFORM mz_emulator.refuse_replacing_depended(r.objid);
        END IF;
    END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS mz_emulator_ddl_rules;
CREATE EVENT TRIGGER mz_emulator_ddl_rules ON ddl_command_end EXECUTE FUNCTION mz_emulator.on_ddl_rules();

-- ALTER TABLE | VIEW | MATERIALIZED VIEW name RENAME TO new: the statement must name the item's kind
-- ("materialize.public.mv is a materialized view not a view"), and the new name must be free among all
-- the schema's items, the emulator's catalog-only ones (indexes, sources, …) included.
CREATE OR REPLACE PROCEDURE mz_emulator.rename_relation(p_kind text, p_name text, p_new_name text, p_statement text)
LANGUAGE plpgsql AS $$
DECLARE
    v_oid oid := pg_catalog.to_regclass(p_name);
    v_schema oid;
    r record;
BEGIN
    PERFORM mz_emulator.arm_ddl_commit_check(); -- a RENAME makes a DDL transaction (Bootstrap/67-ddl-commit-check.sql)
    IF v_oid IS NOT NULL THEN
        r := mz_emulator.relation_kind(v_oid);
        IF r.kind IS NOT NULL AND r.kind <> p_kind THEN
            PERFORM mz_emulator.raise('42809', format('%s is a %s not a %s', r.full_name, r.kind, p_kind));
        END IF;
        SELECT c.relnamespace INTO v_schema FROM pg_catalog.pg_class c WHERE c.oid = v_oid;
        IF EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.relnamespace = v_schema AND c.relname = p_new_name
                   AND c.relkind IN ('r', 'p', 'v', 'm'))
           OR EXISTS (SELECT FROM mz_emulator.catalog_items i WHERE i.schema_oid = v_schema AND i.name = p_new_name) THEN
            PERFORM mz_emulator.raise('42710', format('catalog item ''%s'' already exists', p_new_name));
        END IF;
    END IF;
    EXECUTE p_statement;
END
$$;
