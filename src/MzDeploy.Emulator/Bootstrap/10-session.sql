-- Names, session and system variables, functions Materialize has and PostgreSQL lacks.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
-- ── Names ──────────────────────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE FUNCTION mz_emulator.pg_schema(p_database text, p_schema text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT replace(replace(p_database, '\', '\\'), '.', '\.') || '.' || p_schema
$$;

-- (database, schema) of a PostgreSQL schema name; NULLs for names that are not emulated schemas.
CREATE OR REPLACE FUNCTION mz_emulator.split_schema(p_name text, OUT database_name text, OUT schema_name text)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    i int := 1;
    db text := '';
    c text;
BEGIN
    WHILE i <= length(p_name) LOOP
        c := substr(p_name, i, 1);
        IF c = '\' THEN
            db := db || substr(p_name, i + 1, 1);
            i := i + 2;
        ELSIF c = '.' THEN
            database_name := db;
            schema_name := substr(p_name, i + 1);
            RETURN;
        ELSE
            db := db || c;
            i := i + 1;
        END IF;
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.role_id(p_role oid) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_role = 0 THEN 'p'
                WHEN r.rolname = 'postgres' THEN 's1'
                ELSE 'u' || p_role END
    FROM (SELECT p_role) x LEFT JOIN pg_catalog.pg_roles r ON r.oid = p_role
$$;

-- Privileges as Materialize prints mz_aclitem (docs: /sql/types/mz_aclitem/): grantee=letters/grantor with role
-- ids, the letters in Materialize's order (arwd, UC), not PostgreSQL's aclexplode order.
CREATE OR REPLACE FUNCTION mz_emulator.privileges(p_acl aclitem[], p_owner oid, p_default text) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN p_acl IS NULL
                THEN ARRAY[mz_emulator.role_id(p_owner) || '=' || p_default || '/' || mz_emulator.role_id(p_owner)]
                ELSE coalesce((
                    SELECT array_agg(g.grantee || '=' || g.letters || '/' || g.grantor ORDER BY g.grantee)
                    FROM (SELECT CASE WHEN a.grantee = 0 THEN '' ELSE mz_emulator.role_id(a.grantee) END AS grantee, mz_emulator.role_id(a.grantor) AS grantor,
                                 string_agg(CASE a.privilege_type WHEN 'SELECT' THEN 'r' WHEN 'INSERT' THEN 'a'
                                     WHEN 'UPDATE' THEN 'w' WHEN 'DELETE' THEN 'd' WHEN 'USAGE' THEN 'U'
                                     WHEN 'CREATE' THEN 'C' ELSE '' END, ''
                                     ORDER BY array_position(ARRAY['INSERT', 'SELECT', 'UPDATE', 'DELETE', 'USAGE', 'CREATE'], a.privilege_type::text)) AS letters
                          FROM aclexplode(p_acl) a GROUP BY a.grantee, a.grantor) g), '{}') END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.raise(p_sqlstate text, p_message text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = p_message, ERRCODE = p_sqlstate;
END
$$;

-- ── Session and system variables ───────────────────────────────────────────────────────────────────

CREATE OR REPLACE FUNCTION mz_emulator.setting_value(p_name text, p_missing_ok boolean) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v text;
    n text := lower(p_name);
BEGIN
    IF n IN ('cluster', 'cluster_replica', 'database') THEN
        RETURN pg_catalog.current_setting('mz.' || n, true);
    ELSIF n = 'search_path' THEN
        RETURN coalesce(nullif(pg_catalog.current_setting('mz.search_path', true), ''), 'public');
    ELSIF n = 'enable_session_rbac_checks' THEN
        RETURN CASE WHEN coalesce(nullif(pg_catalog.current_setting('mz.enable_session_rbac_checks', true), '')::boolean, false)
                    THEN 'on' ELSE 'off' END;
    ELSIF n = 'server_version' THEN
        RETURN '9.5.0';
    ELSIF n = 'server_version_num' THEN
        RETURN '90500';
    ELSIF n = 'mz_version' THEN
        RETURN mz_catalog.mz_version();
    END IF;
    SELECT value INTO v FROM mz_emulator.settings WHERE name = n;
    IF FOUND THEN
        RETURN v;
    END IF;
    RETURN pg_catalog.current_setting(p_name, p_missing_ok);
END
$$;

CREATE OR REPLACE FUNCTION mz_catalog.current_setting(setting_name text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT mz_emulator.setting_value(setting_name, false) $$;

CREATE OR REPLACE FUNCTION mz_catalog.current_setting(setting_name text, missing_ok boolean) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT mz_emulator.setting_value(setting_name, missing_ok) $$;

-- Runs as the caller, a superuser (anyone else is refused first): PostgreSQL lets no security-definer
-- routine change the database default of `role` (mz_emulator.apply_rbac_switch).
CREATE OR REPLACE PROCEDURE mz_emulator.alter_system_set(p_name text, p_value text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        PERFORM mz_emulator.raise('42501', 'permission denied to alter system');
    END IF;
    IF p_value IS NULL THEN
        IF lower(p_name) = 'enable_rbac_checks' THEN
            UPDATE mz_emulator.settings SET value = 'on' WHERE name = 'enable_rbac_checks';
        ELSE
            DELETE FROM mz_emulator.settings WHERE name = lower(p_name);
        END IF;
    ELSE
        INSERT INTO mz_emulator.settings (name, value) VALUES (lower(p_name), p_value)
        ON CONFLICT (name) DO UPDATE SET value = excluded.value;
    END IF;
    IF lower(p_name) = 'enable_rbac_checks' THEN
        PERFORM mz_emulator.apply_rbac_switch();
    END IF;
END
$$;

-- The PostgreSQL search_path for Materialize's search_path (schema names of the current database).
CREATE OR REPLACE FUNCTION mz_emulator.pg_search_path(p_database text, p_schemas text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(pg_catalog.quote_ident(
               CASE WHEN s IN ('mz_catalog', 'mz_internal', 'pg_catalog', 'information_schema') THEN s
                    ELSE mz_emulator.pg_schema(p_database, s) END), ', ' ORDER BY n) || ', ', '')
           || 'mz_catalog, pg_catalog'
    FROM unnest(string_to_array(replace(coalesce(nullif(p_schemas, ''), 'public'), ' ', ''), ',')) WITH ORDINALITY AS x(s, n)
$$;

-- SET database = d: the current database's schemas make up the search path.
CREATE OR REPLACE PROCEDURE mz_emulator.set_database(p_database text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.set_config('mz.database', p_database, false);
    PERFORM pg_catalog.set_config('search_path',
        mz_emulator.pg_search_path(p_database, pg_catalog.current_setting('mz.search_path', true)), false);
END
$$;

-- SET search_path = s1, s2: Materialize schema names in the current database.
CREATE OR REPLACE PROCEDURE mz_emulator.set_search_path(p_schemas text, p_local boolean)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.set_config('mz.search_path', p_schemas, p_local);
    PERFORM pg_catalog.set_config('search_path',
        mz_emulator.pg_search_path(pg_catalog.current_setting('mz.database', true), p_schemas), p_local);
END
$$;

-- RESET database: back to the database named at connection time (and its search path).
CREATE OR REPLACE PROCEDURE mz_emulator.reset_database()
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.set_config(s.name, s.reset_val, false)
    FROM pg_catalog.pg_settings s WHERE s.name IN ('mz.database', 'mz.search_path', 'search_path');
END
$$;

-- ── Functions Materialize has and PostgreSQL lacks (or answers differently) ───────────────────────

CREATE OR REPLACE FUNCTION mz_catalog.mz_version() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'v0.147.0 (mzdeploy-emulator)' $$;

CREATE OR REPLACE FUNCTION mz_catalog.mz_environment_id() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'local-az1-00000000-0000-0000-0000-000000000000-0' $$;

CREATE OR REPLACE FUNCTION mz_catalog.version() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'PostgreSQL 9.5 on x86_64-unknown-linux-gnu (Materialize v0.147.0)' $$;

CREATE OR REPLACE FUNCTION mz_catalog.current_database() RETURNS name
LANGUAGE sql STABLE AS $$ SELECT pg_catalog.current_setting('mz.database', true)::name $$;

CREATE OR REPLACE FUNCTION mz_catalog.mz_is_superuser() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user $$;

CREATE OR REPLACE FUNCTION mz_catalog.mz_now() RETURNS timestamptz
LANGUAGE sql STABLE AS $$ SELECT pg_catalog.transaction_timestamp() $$;

-- Called first by every SWAP/RENAME procedure. The revision this transaction saw first is kept in a
-- transaction-local setting; taking the revision row's lock waits for a racing DDL transaction, and if
-- that one committed a newer revision, this one fails (SQLSTATE 40001, so callers may retry).
CREATE OR REPLACE FUNCTION mz_emulator.begin_ddl() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_seen bigint := nullif(pg_catalog.current_setting('mz.ddl_revision', true), '')::bigint;
    v_current bigint;
BEGIN
    IF v_seen IS NULL THEN
        SELECT revision INTO v_seen FROM mz_emulator.catalog_revision;
        PERFORM mz_emulator.arm_ddl_commit_check(); -- Bootstrap/67-ddl-commit-check.sql
    END IF;
    SELECT revision INTO v_current FROM mz_emulator.catalog_revision FOR UPDATE;
    IF v_current <> v_seen THEN
        PERFORM mz_emulator.raise('40001', 'another session modified the catalog while this DDL transaction was open');
    END IF;
    UPDATE mz_emulator.catalog_revision SET revision = revision + 1;
    PERFORM pg_catalog.set_config('mz.ddl_revision', (v_current + 1)::text, true);
END
$$;

-- The system switch (ALTER SYSTEM SET enable_rbac_checks; on unless turned off).
CREATE OR REPLACE FUNCTION mz_emulator.system_rbac_checks() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT coalesce((SELECT value::boolean FROM mz_emulator.settings WHERE name = 'enable_rbac_checks'), true)
$$;

-- Materialize's ownership rule for DROP / ALTER: the session role must be (a member of) the owner, unless
-- it is a superuser or RBAC checks are off. The emulator's procedures run as their definer, so they check.
CREATE OR REPLACE FUNCTION mz_emulator.require_owner(p_owner oid, p_kind text, p_name text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF mz_emulator.system_rbac_checks()
       AND NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
       AND NOT pg_has_role(session_user, p_owner, 'MEMBER') THEN
        PERFORM mz_emulator.raise('42501', format('must be owner of %s %s', p_kind, p_name));
    END IF;
END
$$;
