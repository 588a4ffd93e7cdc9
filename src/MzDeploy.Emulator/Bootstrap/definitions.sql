-- Functions, procedures and catalog views of the emulator. Re-run on every start (CREATE OR REPLACE),
-- so a data folder made by an older build picks up fixes. See state.sql for the naming scheme.

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

CREATE OR REPLACE PROCEDURE mz_emulator.alter_system_set(p_name text, p_value text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
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
END
$$;

-- SET database = d: the current database names the first schema of the search path.
CREATE OR REPLACE PROCEDURE mz_emulator.set_database(p_database text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.set_config('mz.database', p_database, false);
    PERFORM pg_catalog.set_config('search_path',
        pg_catalog.quote_ident(mz_emulator.pg_schema(p_database, 'public')) || ', mz_catalog, pg_catalog', false);
END
$$;

-- RESET database: back to the database named at connection time (and its search path).
CREATE OR REPLACE PROCEDURE mz_emulator.reset_database()
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.set_config(s.name, s.reset_val, false)
    FROM pg_catalog.pg_settings s WHERE s.name IN ('mz.database', 'search_path');
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
LANGUAGE sql STABLE AS $$ SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user $$;

CREATE OR REPLACE FUNCTION mz_catalog.mz_now() RETURNS timestamptz
LANGUAGE sql STABLE AS $$ SELECT pg_catalog.transaction_timestamp() $$;

-- ── Clusters ──────────────────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE FUNCTION mz_emulator.cluster_id(p_name text, p_missing_ok boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    v text;
BEGIN
    SELECT id INTO v FROM mz_emulator.clusters WHERE name = p_name;
    IF NOT FOUND AND NOT p_missing_ok THEN
        PERFORM mz_emulator.raise('42704', format('unknown cluster ''%s''', p_name));
    END IF;
    RETURN v;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.check_cluster_name(p_name text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_name LIKE 'mz\_%' THEN
        PERFORM mz_emulator.raise('42939', format('cluster name "%s" is reserved', p_name));
    END IF;
    IF EXISTS (SELECT FROM mz_emulator.clusters WHERE name = p_name) THEN
        PERFORM mz_emulator.raise('42710', format('cluster ''%s'' already exists', p_name));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.check_cluster_modifiable(p_id text, p_name text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_id LIKE 's%' THEN
        PERFORM mz_emulator.raise('42501', format('system cluster ''%s'' cannot be modified', p_name));
    END IF;
END
$$;

-- Makes the replicas of a managed cluster r1..rN of its size; a size change replaces every replica.
CREATE OR REPLACE FUNCTION mz_emulator.reconcile_replicas(p_cluster_id text, p_resize boolean) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    c mz_emulator.clusters;
BEGIN
    SELECT * INTO c FROM mz_emulator.clusters WHERE id = p_cluster_id;
    IF NOT c.managed THEN
        RETURN;
    END IF;
    IF p_resize THEN
        DELETE FROM mz_emulator.cluster_replicas WHERE cluster_id = c.id;
    END IF;
    DELETE FROM mz_emulator.cluster_replicas
    WHERE cluster_id = c.id
      AND name NOT IN (SELECT 'r' || g FROM generate_series(1, coalesce(c.replication_factor, 0)) g);
    INSERT INTO mz_emulator.cluster_replicas (id, name, cluster_id, size)
    SELECT 'u' || nextval('mz_emulator.replica_ids'), 'r' || g, c.id, c.size
    FROM generate_series(1, coalesce(c.replication_factor, 0)) g
    WHERE NOT EXISTS (SELECT FROM mz_emulator.cluster_replicas r WHERE r.cluster_id = c.id AND r.name = 'r' || g)
    ORDER BY g;
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.create_cluster(
    p_name text, p_managed boolean, p_size text, p_replication_factor int,
    p_replica_names text[], p_replica_sizes text[], p_options jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text := 'u' || nextval('mz_emulator.cluster_ids');
    i int;
BEGIN
    PERFORM mz_emulator.require_system_privilege('CREATECLUSTER', 'create cluster');
    PERFORM mz_emulator.check_cluster_name(p_name);
    IF p_managed AND p_size IS NULL THEN
        PERFORM mz_emulator.raise('42601', 'must specify SIZE for a managed cluster');
    END IF;
    IF NOT p_managed AND (p_size IS NOT NULL OR p_replication_factor IS NOT NULL) THEN
        PERFORM mz_emulator.raise('42601', 'SIZE and REPLICATION FACTOR are only valid for managed clusters');
    END IF;
    IF p_managed AND p_replica_names IS NOT NULL THEN
        PERFORM mz_emulator.raise('42601', 'REPLICAS not supported for managed clusters');
    END IF;
    INSERT INTO mz_emulator.clusters (id, name, managed, size, replication_factor, options, owner, privileges)
    VALUES (v_id, p_name, p_managed, p_size,
            CASE WHEN p_managed THEN coalesce(p_replication_factor, 1) END,
            coalesce(p_options, '{}'), session_user::regrole,
            ARRAY[mz_emulator.role_id(session_user::regrole) || '=UC/' || mz_emulator.role_id(session_user::regrole)]);
    IF p_managed THEN
        PERFORM mz_emulator.reconcile_replicas(v_id, false);
    ELSE
        FOR i IN 1 .. coalesce(array_length(p_replica_names, 1), 0) LOOP
            IF EXISTS (SELECT FROM mz_emulator.cluster_replicas WHERE cluster_id = v_id AND name = p_replica_names[i]) THEN
                PERFORM mz_emulator.raise('42710', format('cluster replica ''%s.%s'' already exists', p_name, p_replica_names[i]));
            END IF;
            INSERT INTO mz_emulator.cluster_replicas (id, name, cluster_id, size)
            VALUES ('u' || nextval('mz_emulator.replica_ids'), p_replica_names[i], v_id, p_replica_sizes[i]);
        END LOOP;
    END IF;
END
$$;

-- ALTER CLUSTER … SET (…): p_options holds the options as written; SIZE, REPLICATION FACTOR and
-- MANAGED change the cluster itself, the rest is kept verbatim.
CREATE OR REPLACE PROCEDURE mz_emulator.alter_cluster_set(p_name text, p_options jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    c mz_emulator.clusters;
    v_resize boolean := false;
BEGIN
    SELECT * INTO c FROM mz_emulator.clusters WHERE id = mz_emulator.cluster_id(p_name);
    PERFORM mz_emulator.check_cluster_modifiable(c.id, c.name);
    IF p_options ? 'MANAGED' THEN
        c.managed := (p_options->>'MANAGED')::boolean;
        IF c.managed AND c.size IS NULL AND NOT p_options ? 'SIZE' THEN
            PERFORM mz_emulator.raise('42601', 'must specify SIZE for a managed cluster');
        END IF;
        IF NOT c.managed THEN
            c.size := NULL;
            c.replication_factor := NULL;
        ELSE
            c.replication_factor := coalesce(c.replication_factor, 1);
        END IF;
    END IF;
    IF p_options ? 'SIZE' THEN
        IF NOT c.managed THEN
            PERFORM mz_emulator.raise('42601', 'SIZE is only valid for managed clusters');
        END IF;
        v_resize := c.size IS DISTINCT FROM p_options->>'SIZE';
        c.size := p_options->>'SIZE';
    END IF;
    IF p_options ? 'REPLICATION FACTOR' THEN
        IF NOT c.managed THEN
            PERFORM mz_emulator.raise('42601', 'REPLICATION FACTOR is only valid for managed clusters');
        END IF;
        c.replication_factor := (p_options->>'REPLICATION FACTOR')::int;
    END IF;
    UPDATE mz_emulator.clusters
    SET managed = c.managed, size = c.size, replication_factor = c.replication_factor,
        options = c.options || (p_options - 'SIZE' - 'REPLICATION FACTOR' - 'MANAGED')
    WHERE id = c.id;
    PERFORM mz_emulator.reconcile_replicas(c.id, v_resize);
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.alter_cluster_reset(p_name text, p_options text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text := mz_emulator.cluster_id(p_name);
BEGIN
    PERFORM mz_emulator.check_cluster_modifiable(v_id, p_name);
    UPDATE mz_emulator.clusters
    SET replication_factor = CASE WHEN 'REPLICATION FACTOR' = ANY (p_options) AND managed THEN 1 ELSE replication_factor END,
        options = options - p_options
    WHERE id = v_id;
    PERFORM mz_emulator.reconcile_replicas(v_id, false);
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.rename_cluster(p_name text, p_new_name text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text := mz_emulator.cluster_id(p_name);
BEGIN
    PERFORM mz_emulator.check_cluster_modifiable(v_id, p_name);
    PERFORM mz_emulator.check_cluster_name(p_new_name);
    UPDATE mz_emulator.clusters SET name = p_new_name WHERE id = v_id;
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.swap_clusters(p_name text, p_other text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_a text := mz_emulator.cluster_id(p_name);
    v_b text := mz_emulator.cluster_id(p_other);
BEGIN
    PERFORM mz_emulator.check_cluster_modifiable(v_a, p_name);
    PERFORM mz_emulator.check_cluster_modifiable(v_b, p_other);
    UPDATE mz_emulator.clusters
    SET name = CASE id WHEN v_a THEN p_other ELSE p_name END
    WHERE id IN (v_a, v_b);
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.drop_cluster(p_name text, p_if_exists boolean, p_cascade boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text := mz_emulator.cluster_id(p_name, true);
    r record;
BEGIN
    IF v_id IS NULL THEN
        IF p_if_exists THEN
            RAISE NOTICE 'cluster "%" does not exist, skipping', p_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42704', format('unknown cluster ''%s''', p_name));
    END IF;
    PERFORM mz_emulator.check_cluster_modifiable(v_id, p_name);
    IF EXISTS (SELECT FROM mz_emulator.relation_meta WHERE cluster_id = v_id)
       OR EXISTS (SELECT FROM mz_emulator.catalog_items WHERE cluster_id = v_id) THEN
        IF NOT p_cascade THEN
            PERFORM mz_emulator.raise('2BP01', 'cannot drop cluster with active indexes or materialized views');
        END IF;
        FOR r IN SELECT m.oid FROM mz_emulator.relation_meta m WHERE m.cluster_id = v_id LOOP
            IF EXISTS (SELECT FROM pg_class WHERE oid = r.oid) THEN
                EXECUTE format('DROP VIEW %s CASCADE', r.oid::regclass);
            END IF;
        END LOOP;
        DELETE FROM mz_emulator.catalog_items WHERE cluster_id = v_id;
    END IF;
    DELETE FROM mz_emulator.comments WHERE id = v_id
       OR id IN (SELECT id FROM mz_emulator.cluster_replicas WHERE cluster_id = v_id);
    DELETE FROM mz_emulator.clusters WHERE id = v_id;
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.create_cluster_replica(p_cluster text, p_replica text, p_size text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    c mz_emulator.clusters;
BEGIN
    SELECT * INTO c FROM mz_emulator.clusters WHERE id = mz_emulator.cluster_id(p_cluster);
    PERFORM mz_emulator.check_cluster_modifiable(c.id, c.name);
    IF c.managed THEN
        PERFORM mz_emulator.raise('0A000', 'cannot create more replicas for managed clusters');
    END IF;
    IF p_size IS NULL THEN
        PERFORM mz_emulator.raise('42601', 'must specify SIZE for a cluster replica');
    END IF;
    IF EXISTS (SELECT FROM mz_emulator.cluster_replicas WHERE cluster_id = c.id AND name = p_replica) THEN
        PERFORM mz_emulator.raise('42710', format('cluster replica ''%s.%s'' already exists', p_cluster, p_replica));
    END IF;
    INSERT INTO mz_emulator.cluster_replicas (id, name, cluster_id, size)
    VALUES ('u' || nextval('mz_emulator.replica_ids'), p_replica, c.id, p_size);
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.drop_cluster_replica(p_cluster text, p_replica text, p_if_exists boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    c mz_emulator.clusters;
BEGIN
    SELECT * INTO c FROM mz_emulator.clusters WHERE name = p_cluster;
    IF NOT FOUND OR NOT EXISTS (SELECT FROM mz_emulator.cluster_replicas WHERE cluster_id = c.id AND name = p_replica) THEN
        IF p_if_exists THEN
            RAISE NOTICE 'cluster replica "%.%" does not exist, skipping', p_cluster, p_replica;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42704', format('unknown cluster replica ''%s.%s''', p_cluster, p_replica));
    END IF;
    PERFORM mz_emulator.check_cluster_modifiable(c.id, c.name);
    IF c.managed THEN
        PERFORM mz_emulator.raise('0A000', 'cannot drop replicas of managed clusters');
    END IF;
    DELETE FROM mz_emulator.cluster_replicas WHERE cluster_id = c.id AND name = p_replica;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.show_create_cluster(p_name text)
RETURNS TABLE (name text, create_sql text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    c mz_emulator.clusters;
    v_options text[] := '{}';
    k text;
BEGIN
    SELECT * INTO c FROM mz_emulator.clusters WHERE id = mz_emulator.cluster_id(p_name);
    IF c.managed THEN
        v_options := v_options || ARRAY['MANAGED = true', 'SIZE = ' || quote_literal(c.size),
                                        'REPLICATION FACTOR = ' || c.replication_factor];
    ELSE
        v_options := v_options || ARRAY['MANAGED = false', 'REPLICAS (' || coalesce((
            SELECT string_agg(quote_ident(r.name) || ' (SIZE = ' || quote_literal(r.size) || ')', ', ' ORDER BY r.name)
            FROM mz_emulator.cluster_replicas r WHERE r.cluster_id = c.id), '') || ')'];
    END IF;
    FOR k IN SELECT jsonb_object_keys(c.options) ORDER BY 1 LOOP
        v_options := v_options || (k || ' = ' || (c.options->>k));
    END LOOP;
    name := c.name;
    create_sql := 'CREATE CLUSTER ' || quote_ident(c.name) || ' (' || array_to_string(v_options, ', ') || ')';
    RETURN NEXT;
END
$$;

-- ── Databases and schemas ─────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE FUNCTION mz_emulator.check_database(p_database text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM mz_emulator.databases WHERE name = p_database) THEN
        PERFORM mz_emulator.raise('3D000', format('unknown database ''%s''', p_database));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.schema_exists(p_database text, p_schema text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = mz_emulator.pg_schema(p_database, p_schema))
$$;

CREATE OR REPLACE FUNCTION mz_emulator.check_schema_name(p_database text, p_schema text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_schema LIKE 'mz\_%' OR p_schema LIKE 'pg\_%' OR p_schema = 'information_schema' THEN
        PERFORM mz_emulator.raise('42939', format('unacceptable schema name ''%s''', p_schema));
    END IF;
    IF octet_length(mz_emulator.pg_schema(p_database, p_schema)) > 63 THEN
        PERFORM mz_emulator.raise('42622', format(
            'the emulator cannot hold schema ''%s.%s'': database and schema names together are longer than 62 bytes',
            p_database, p_schema));
    END IF;
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.create_database(p_name text, p_if_not_exists boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_schema text := mz_emulator.pg_schema(p_name, 'public');
BEGIN
    PERFORM mz_emulator.require_system_privilege('CREATEDB', 'create database');
    IF EXISTS (SELECT FROM mz_emulator.databases WHERE name = p_name) THEN
        IF p_if_not_exists THEN
            RAISE NOTICE 'database "%" already exists, skipping', p_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42P04', format('database ''%s'' already exists', p_name));
    END IF;
    IF p_name LIKE 'mz\_%' THEN
        PERFORM mz_emulator.raise('42939', format('database name "%s" is reserved', p_name));
    END IF;
    PERFORM mz_emulator.check_schema_name(p_name, 'public');
    INSERT INTO mz_emulator.databases (id, name, owner, privileges)
    VALUES ('u' || nextval('mz_emulator.database_ids'), p_name, session_user::regrole,
            ARRAY[mz_emulator.role_id(session_user::regrole) || '=UC/' || mz_emulator.role_id(session_user::regrole)]);
    EXECUTE format('CREATE SCHEMA %I AUTHORIZATION %I', v_schema, session_user);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO PUBLIC', v_schema);
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.drop_database(p_name text, p_if_exists boolean, p_cascade boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    s record;
BEGIN
    IF NOT EXISTS (SELECT FROM mz_emulator.databases WHERE name = p_name) THEN
        IF p_if_exists THEN
            RAISE NOTICE 'database "%" does not exist, skipping', p_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('3D000', format('unknown database ''%s''', p_name));
    END IF;
    FOR s IN SELECT n.nspname FROM pg_namespace n WHERE (mz_emulator.split_schema(n.nspname)).database_name = p_name LOOP
        IF NOT p_cascade THEN
            PERFORM mz_emulator.raise('2BP01', format('database ''%s'' cannot be dropped with RESTRICT while it contains schemas', p_name));
        END IF;
        EXECUTE format('DROP SCHEMA %I CASCADE', s.nspname);
    END LOOP;
    DELETE FROM mz_emulator.databases WHERE name = p_name;
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.rename_database(p_name text, p_new_name text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    s record;
BEGIN
    PERFORM mz_emulator.check_database(p_name);
    IF EXISTS (SELECT FROM mz_emulator.databases WHERE name = p_new_name) THEN
        PERFORM mz_emulator.raise('42P04', format('database ''%s'' already exists', p_new_name));
    END IF;
    FOR s IN SELECT (mz_emulator.split_schema(n.nspname)).schema_name AS schema_name, n.nspname
             FROM pg_namespace n WHERE (mz_emulator.split_schema(n.nspname)).database_name = p_name LOOP
        PERFORM mz_emulator.check_schema_name(p_new_name, s.schema_name);
        EXECUTE format('ALTER SCHEMA %I RENAME TO %I', s.nspname, mz_emulator.pg_schema(p_new_name, s.schema_name));
    END LOOP;
    UPDATE mz_emulator.databases SET name = p_new_name WHERE name = p_name;
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.create_schema(p_database text, p_schema text, p_if_not_exists boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    d mz_emulator.databases;
BEGIN
    PERFORM mz_emulator.check_database(p_database);
    SELECT * INTO d FROM mz_emulator.databases WHERE name = p_database;
    IF mz_emulator.rbac_enabled() AND NOT mz_emulator.is_superuser(session_user::regrole)
       AND NOT pg_has_role(session_user, d.owner, 'MEMBER') AND NOT mz_emulator.holds(session_user::regrole, d.privileges, 'C') THEN
        PERFORM mz_emulator.raise('42501', format('permission denied for DATABASE "%s"', p_database));
    END IF;
    IF mz_emulator.schema_exists(p_database, p_schema) THEN
        IF p_if_not_exists THEN
            RAISE NOTICE 'schema "%" already exists, skipping', p_schema;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42P06', format('schema ''%s'' already exists', p_schema));
    END IF;
    PERFORM mz_emulator.check_schema_name(p_database, p_schema);
    EXECUTE format('CREATE SCHEMA %I AUTHORIZATION %I', mz_emulator.pg_schema(p_database, p_schema), session_user);
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.drop_schema(p_database text, p_schema text, p_if_exists boolean, p_cascade boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM mz_emulator.databases WHERE name = p_database)
       OR NOT mz_emulator.schema_exists(p_database, p_schema) THEN
        IF p_if_exists THEN
            RAISE NOTICE 'schema "%.%" does not exist, skipping', p_database, p_schema;
            RETURN;
        END IF;
        PERFORM mz_emulator.check_database(p_database);
        PERFORM mz_emulator.raise('3F000', format('unknown schema ''%s''', p_schema));
    END IF;
    IF NOT p_cascade AND EXISTS (
        SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = mz_emulator.pg_schema(p_database, p_schema)
        UNION ALL
        SELECT FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = mz_emulator.pg_schema(p_database, p_schema)) THEN
        PERFORM mz_emulator.raise('2BP01', format(
            'schema ''%s.%s'' cannot be dropped without CASCADE while it contains objects', p_database, p_schema));
    END IF;
    EXECUTE format('DROP SCHEMA %I CASCADE', mz_emulator.pg_schema(p_database, p_schema));
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.rename_schema(p_database text, p_schema text, p_new_name text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM mz_emulator.check_database(p_database);
    IF NOT mz_emulator.schema_exists(p_database, p_schema) THEN
        PERFORM mz_emulator.raise('3F000', format('unknown schema ''%s''', p_schema));
    END IF;
    IF mz_emulator.schema_exists(p_database, p_new_name) THEN
        PERFORM mz_emulator.raise('42P06', format('schema ''%s'' already exists', p_new_name));
    END IF;
    PERFORM mz_emulator.check_schema_name(p_database, p_new_name);
    EXECUTE format('ALTER SCHEMA %I RENAME TO %I',
        mz_emulator.pg_schema(p_database, p_schema), mz_emulator.pg_schema(p_database, p_new_name));
END
$$;

-- Exchanges two schema names inside the caller's transaction (three renames); objects keep their
-- identity, so dependents follow them, as in Materialize.
CREATE OR REPLACE PROCEDURE mz_emulator.swap_schemas(p_database text, p_schema text, p_other text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_a text := mz_emulator.pg_schema(p_database, p_schema);
    v_b text := mz_emulator.pg_schema(p_database, p_other);
    v_tmp text := 'mz_emulator_swap_' || txid_current() || '_' || (random() * 1e9)::bigint;
BEGIN
    PERFORM mz_emulator.check_database(p_database);
    IF NOT mz_emulator.schema_exists(p_database, p_schema) THEN
        PERFORM mz_emulator.raise('3F000', format('unknown schema ''%s''', p_schema));
    END IF;
    IF NOT mz_emulator.schema_exists(p_database, p_other) THEN
        PERFORM mz_emulator.raise('3F000', format('unknown schema ''%s''', p_other));
    END IF;
    EXECUTE format('ALTER SCHEMA %I RENAME TO %I', v_a, v_tmp);
    EXECUTE format('ALTER SCHEMA %I RENAME TO %I', v_b, v_a);
    EXECUTE format('ALTER SCHEMA %I RENAME TO %I', v_tmp, v_b);
END
$$;

-- ── Test knobs and the statement log ──────────────────────────────────────────────────────────────

-- Called by the proxy for every statement a client sends: logs it and returns the fault to apply
-- ('error:<message>' or 'close'), or NULL.
CREATE OR REPLACE FUNCTION mz_emulator.record_statement(p_connection_id int, p_sql text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    f mz_emulator.faults;
BEGIN
    INSERT INTO mz_emulator.statement_log (connection_id, sql) VALUES (p_connection_id, p_sql);
    FOR f IN SELECT * FROM mz_emulator.faults WHERE NOT fired AND p_sql ILIKE pattern ORDER BY id FOR UPDATE LOOP
        UPDATE mz_emulator.faults SET seen = seen + 1, fired = (seen + 1 >= nth) WHERE id = f.id;
        IF f.seen + 1 >= f.nth THEN
            RETURN CASE f.action WHEN 'close' THEN 'close' ELSE 'error:' || f.message END;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.inject_fault(
    p_pattern text, p_nth int DEFAULT 1, p_action text DEFAULT 'error',
    p_message text DEFAULT 'fault injected by the emulator') RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    INSERT INTO mz_emulator.faults (pattern, nth, action, message)
    VALUES (p_pattern, p_nth, p_action, p_message) RETURNING id
$$;

CREATE OR REPLACE FUNCTION mz_emulator.clear_faults() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ DELETE FROM mz_emulator.faults $$;

CREATE OR REPLACE FUNCTION mz_emulator.clear_statement_log() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ TRUNCATE mz_emulator.statement_log $$;

GRANT SELECT ON mz_emulator.statement_log, mz_emulator.faults TO PUBLIC;

-- ── mz_catalog ────────────────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE VIEW mz_catalog.mz_clusters AS
SELECT c.id, c.name, mz_emulator.role_id(c.owner) AS owner_id, c.privileges, c.managed, c.size,
       c.replication_factor,
       CASE WHEN c.managed THEN true END AS disk,
       CASE WHEN c.managed THEN '{}'::text[] END AS availability_zones,
       CASE WHEN c.managed THEN coalesce((c.options->>'INTROSPECTION DEBUGGING')::boolean, false) END AS introspection_debugging,
       CASE WHEN c.managed THEN interval '1 second' END AS introspection_interval
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
       coalesce((SELECT array_agg(mz_emulator.role_id(a.grantee) || '=' ||
                                  CASE a.privilege_type WHEN 'USAGE' THEN 'U' ELSE 'C' END || '/' || mz_emulator.role_id(a.grantor))
                 FROM aclexplode(n.nspacl) a), '{}') AS privileges
FROM pg_catalog.pg_namespace n
JOIN mz_emulator.databases d ON d.name = (mz_emulator.split_schema(n.nspname)).database_name
UNION ALL
SELECT 's' || n.oid, n.oid, NULL, n.nspname, 's1', '{=U/s1}'
FROM pg_catalog.pg_namespace n
WHERE n.nspname IN ('mz_catalog', 'mz_internal', 'pg_catalog', 'information_schema');

CREATE OR REPLACE VIEW mz_catalog.mz_roles AS
SELECT mz_emulator.role_id(r.oid) AS id, r.oid, r.rolname AS name, r.rolinherit AS inherit,
       r.rolcanlogin AS rolcanlogin, r.rolsuper AS rolsuper
FROM pg_catalog.pg_roles r
WHERE r.rolname NOT LIKE 'pg\_%';

-- ── Objects ───────────────────────────────────────────────────────────────────────────────────────

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

-- Privileges as Materialize prints mz_aclitem: grantee=letters/grantor with role ids.
CREATE OR REPLACE FUNCTION mz_emulator.privileges(p_acl aclitem[], p_owner oid, p_default text) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN p_acl IS NULL
                THEN ARRAY[mz_emulator.role_id(p_owner) || '=' || p_default || '/' || mz_emulator.role_id(p_owner)]
                ELSE coalesce((
                    SELECT array_agg(g.grantee || '=' || g.letters || '/' || g.grantor ORDER BY g.grantee)
                    FROM (SELECT mz_emulator.role_id(a.grantee) AS grantee, mz_emulator.role_id(a.grantor) AS grantor,
                                 string_agg(CASE a.privilege_type WHEN 'SELECT' THEN 'r' WHEN 'INSERT' THEN 'a'
                                     WHEN 'UPDATE' THEN 'w' WHEN 'DELETE' THEN 'd' WHEN 'USAGE' THEN 'U'
                                     WHEN 'CREATE' THEN 'C' ELSE '' END, '' ORDER BY a.privilege_type) AS letters
                          FROM aclexplode(p_acl) a GROUP BY a.grantee, a.grantor) g), '{}') END
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
CREATE OR REPLACE PROCEDURE mz_emulator.create_materialized_view(
    p_schema text, p_name text, p_columns text, p_query text, p_cluster text,
    p_if_not_exists boolean, p_or_replace boolean, p_create_sql text)
LANGUAGE plpgsql AS $$
DECLARE
    v_cluster_id text := mz_emulator.target_cluster(p_cluster);
    v_existing oid;
BEGIN
    SELECT c.oid INTO v_existing FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = p_schema AND c.relname = p_name;
    IF v_existing IS NOT NULL THEN
        IF p_if_not_exists THEN
            RAISE NOTICE 'materialized view "%" already exists, skipping', p_name;
            RETURN;
        ELSIF p_or_replace THEN
            EXECUTE format('DROP VIEW %I.%I', p_schema, p_name);
        ELSE
            PERFORM mz_emulator.raise('42710', format('materialized view ''%s'' already exists', p_name));
        END IF;
    END IF;
    EXECUTE format('CREATE VIEW %I.%I%s AS %s', p_schema, p_name, coalesce(' (' || p_columns || ')', ''), p_query);
    PERFORM mz_emulator.register_relation(format('%I.%I', p_schema, p_name)::regclass, 'materialized-view', v_cluster_id, p_create_sql);
END
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
CREATE OR REPLACE PROCEDURE mz_emulator.create_index(
    p_name text, p_on text, p_cluster text, p_if_not_exists boolean, p_create_sql text, p_key text)
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
    INSERT INTO mz_emulator.catalog_items (schema_oid, name, kind, cluster_id, on_oid, create_sql, owner)
    VALUES (v_schema, v_name, 'index', v_cluster_id, v_on, p_create_sql, session_user::regrole);
END
$$;

-- DROP INDEX / SOURCE / SINK / CONNECTION / SECRET (catalog-only objects); p_schema NULL searches the path.
CREATE OR REPLACE PROCEDURE mz_emulator.drop_catalog_item(p_kind text, p_schema text, p_name text, p_if_exists boolean)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text;
BEGIN
    SELECT i.id INTO v_id FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid
    WHERE i.kind = p_kind AND i.name = p_name
      AND (n.nspname = p_schema OR (p_schema IS NULL AND n.nspname = ANY (pg_catalog.current_schemas(false))))
    ORDER BY array_position(pg_catalog.current_schemas(false), n.nspname::name) LIMIT 1;
    IF v_id IS NULL THEN
        IF p_if_exists THEN
            RAISE NOTICE '% "%" does not exist, skipping', p_kind, p_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42704', format('unknown catalog item ''%s''', p_name));
    END IF;
    DELETE FROM mz_emulator.catalog_items WHERE id = v_id;
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

-- ── mz_catalog: objects ───────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE VIEW mz_catalog.mz_tables AS
SELECT 'u' || c.oid AS id, c.oid, 'u' || c.relnamespace AS schema_id, c.relname::text AS name,
       mz_emulator.role_id(c.relowner) AS owner_id, mz_emulator.privileges(c.relacl, c.relowner, 'arwd') AS privileges,
       NULL::text AS create_sql, NULL::text AS redacted_create_sql, NULL::text AS source_id
FROM pg_catalog.pg_class c
WHERE c.relkind IN ('r', 'p') AND mz_emulator.is_user_schema(c.relnamespace);

CREATE OR REPLACE VIEW mz_catalog.mz_views AS
SELECT 'u' || c.oid AS id, c.oid, 'u' || c.relnamespace AS schema_id, c.relname::text AS name,
       pg_catalog.pg_get_viewdef(c.oid) AS definition,
       mz_emulator.role_id(c.relowner) AS owner_id, mz_emulator.privileges(c.relacl, c.relowner, 'r') AS privileges,
       NULL::text AS create_sql, NULL::text AS redacted_create_sql
FROM pg_catalog.pg_class c
LEFT JOIN mz_emulator.relation_meta m ON m.oid = c.oid
WHERE c.relkind = 'v' AND m.oid IS NULL AND mz_emulator.is_user_schema(c.relnamespace);

CREATE OR REPLACE VIEW mz_catalog.mz_materialized_views AS
SELECT 'u' || c.oid AS id, c.oid, 'u' || c.relnamespace AS schema_id, c.relname::text AS name, m.cluster_id,
       pg_catalog.pg_get_viewdef(c.oid) AS definition,
       mz_emulator.role_id(c.relowner) AS owner_id, mz_emulator.privileges(c.relacl, c.relowner, 'r') AS privileges,
       m.create_sql, m.create_sql AS redacted_create_sql
FROM pg_catalog.pg_class c
JOIN mz_emulator.relation_meta m ON m.oid = c.oid AND m.kind = 'materialized-view';

CREATE OR REPLACE VIEW mz_catalog.mz_indexes AS
SELECT i.id, i.oid, i.name, mz_emulator.relation_id(i.on_oid) AS on_id, i.cluster_id,
       mz_emulator.role_id(i.owner) AS owner_id, i.create_sql, i.create_sql AS redacted_create_sql
FROM mz_emulator.catalog_items i WHERE i.kind = 'index';

CREATE OR REPLACE VIEW mz_catalog.mz_objects AS
SELECT id, oid, schema_id, name, 'table'::text AS type, owner_id, NULL::text AS cluster_id, privileges FROM mz_catalog.mz_tables
UNION ALL
SELECT id, oid, schema_id, name, 'view', owner_id, NULL, privileges FROM mz_catalog.mz_views
UNION ALL
SELECT id, oid, schema_id, name, 'materialized-view', owner_id, cluster_id, privileges FROM mz_catalog.mz_materialized_views
UNION ALL
SELECT i.id, i.oid, 'u' || c.relnamespace, i.name, 'index', mz_emulator.role_id(i.owner), i.cluster_id, NULL::text[]
FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_class c ON c.oid = i.on_oid WHERE i.kind = 'index'
UNION ALL
SELECT i.id, i.oid, 'u' || i.schema_oid, i.name, i.kind, mz_emulator.role_id(i.owner), i.cluster_id,
       ARRAY[mz_emulator.role_id(i.owner) || '=' || CASE i.kind WHEN 'source' THEN 'r' ELSE 'U' END || '/' || mz_emulator.role_id(i.owner)]
FROM mz_emulator.catalog_items i WHERE i.kind <> 'index';

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
WHERE c.relkind IN ('r', 'p', 'v') AND mz_emulator.is_user_schema(c.relnamespace);

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
SELECT i.id, unnest(i.referenced) FROM mz_emulator.catalog_items i;

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

CREATE OR REPLACE VIEW mz_internal.mz_materialization_lag AS
SELECT object_id, lag AS local_lag, lag AS global_lag, NULL::text AS slowest_local_input_id, NULL::text AS slowest_global_input_id
FROM mz_internal.mz_wallclock_global_lag;

GRANT SELECT ON ALL TABLES IN SCHEMA mz_catalog, mz_internal TO PUBLIC;

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
    DELETE FROM mz_emulator.comments WHERE id = v_id AND object_sub_id IS NULL;
    IF p_comment IS NOT NULL THEN
        INSERT INTO mz_emulator.comments (id, object_type, comment) VALUES (v_id, p_type, p_comment);
    END IF;
END
$$;

-- ── RBAC ──────────────────────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE FUNCTION mz_emulator.rbac_enabled() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT coalesce((SELECT value::boolean FROM mz_emulator.settings WHERE name = 'enable_rbac_checks'), true)
$$;

CREATE OR REPLACE FUNCTION mz_emulator.privilege_letter(p_privilege text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE upper(p_privilege) WHEN 'USAGE' THEN 'U' WHEN 'CREATE' THEN 'C' WHEN 'SELECT' THEN 'r'
        WHEN 'INSERT' THEN 'a' WHEN 'UPDATE' THEN 'w' WHEN 'DELETE' THEN 'd' WHEN 'CREATEROLE' THEN 'R'
        WHEN 'CREATEDB' THEN 'B' WHEN 'CREATECLUSTER' THEN 'N' WHEN 'CREATENETWORKPOLICY' THEN 'P' END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.privilege_name(p_letter text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_letter WHEN 'U' THEN 'USAGE' WHEN 'C' THEN 'CREATE' WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'
        WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' WHEN 'R' THEN 'CREATEROLE' WHEN 'B' THEN 'CREATEDB'
        WHEN 'N' THEN 'CREATECLUSTER' WHEN 'P' THEN 'CREATENETWORKPOLICY' END
$$;

-- Adds or removes privilege letters of a grantee in an mz_aclitem-style text array.
CREATE OR REPLACE FUNCTION mz_emulator.acl_edit(p_acl text[], p_grantee text, p_grantor text, p_letters text, p_revoke boolean)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_result text[] := '{}';
    v_item text;
    v_current text := '';
    v_grantor text := p_grantor;
    v_letter text;
BEGIN
    FOREACH v_item IN ARRAY coalesce(p_acl, '{}') LOOP
        IF split_part(v_item, '=', 1) = p_grantee THEN
            v_current := split_part(split_part(v_item, '=', 2), '/', 1);
            v_grantor := split_part(v_item, '/', 2);
        ELSE
            v_result := v_result || v_item;
        END IF;
    END LOOP;
    FOR v_letter IN SELECT regexp_split_to_table(p_letters, '') LOOP
        IF p_revoke THEN
            v_current := replace(v_current, v_letter, '');
        ELSIF strpos(v_current, v_letter) = 0 THEN
            v_current := v_current || v_letter;
        END IF;
    END LOOP;
    IF v_current <> '' THEN
        v_result := v_result || (p_grantee || '=' || v_current || '/' || v_grantor);
    END IF;
    RETURN v_result;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.is_superuser(p_role oid) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE oid = p_role), false) $$;

-- GRANT/REVOKE privileges ON CLUSTER | DATABASE | SYSTEM: kept in the emulator's catalog.
CREATE OR REPLACE PROCEDURE mz_emulator.grant_privileges(
    p_revoke boolean, p_type text, p_names text[], p_privileges text[], p_grantees text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_letters text := '';
    v_privilege text;
    v_name text;
    v_grantee text;
    v_grantee_oid oid;
    v_grantee_id text;
    v_grantor text := mz_emulator.role_id(session_user::regrole);
BEGIN
    FOREACH v_privilege IN ARRAY p_privileges LOOP
        IF upper(v_privilege) IN ('ALL', 'ALL PRIVILEGES') THEN
            v_letters := v_letters || CASE p_type WHEN 'system' THEN 'RBNP' ELSE 'UC' END;
        ELSIF mz_emulator.privilege_letter(v_privilege) IS NULL THEN
            PERFORM mz_emulator.raise('0LP01', format('unrecognized privilege type: %s', v_privilege));
        ELSE
            v_letters := v_letters || mz_emulator.privilege_letter(v_privilege);
        END IF;
    END LOOP;
    IF p_names IS NULL THEN
        p_names := CASE p_type WHEN 'cluster' THEN ARRAY(SELECT name FROM mz_emulator.clusters WHERE id LIKE 'u%')
                               ELSE ARRAY(SELECT name FROM mz_emulator.databases) END;
    END IF;
    IF p_type = 'system' AND NOT mz_emulator.is_superuser(session_user::regrole) AND mz_emulator.rbac_enabled() THEN
        PERFORM mz_emulator.raise('42501', 'permission denied to grant system privileges');
    END IF;
    FOREACH v_grantee IN ARRAY p_grantees LOOP
        IF lower(v_grantee) = 'public' THEN
            v_grantee_oid := 0;
        ELSE
            SELECT oid INTO v_grantee_oid FROM pg_roles WHERE rolname = v_grantee;
            IF v_grantee_oid IS NULL THEN
                PERFORM mz_emulator.raise('42704', format('unknown role ''%s''', v_grantee));
            END IF;
        END IF;
        v_grantee_id := mz_emulator.role_id(v_grantee_oid);
        IF p_type = 'system' THEN
            INSERT INTO mz_emulator.system_privileges (grantee, privileges) VALUES (v_grantee_oid, '')
            ON CONFLICT (grantee) DO NOTHING;
            UPDATE mz_emulator.system_privileges
            SET privileges = coalesce(split_part(split_part((mz_emulator.acl_edit(
                    ARRAY[v_grantee_id || '=' || privileges || '/s1'], v_grantee_id, 's1', v_letters, p_revoke))[1], '=', 2), '/', 1), '')
            WHERE grantee = v_grantee_oid;
            DELETE FROM mz_emulator.system_privileges WHERE privileges = '';
            CONTINUE;
        END IF;
        FOREACH v_name IN ARRAY p_names LOOP
            IF p_type = 'cluster' THEN
                UPDATE mz_emulator.clusters SET privileges = mz_emulator.acl_edit(privileges, v_grantee_id, v_grantor, v_letters, p_revoke)
                WHERE id = mz_emulator.cluster_id(v_name);
            ELSE
                IF NOT EXISTS (SELECT FROM mz_emulator.databases WHERE name = v_name) THEN
                    PERFORM mz_emulator.raise('3D000', format('unknown database ''%s''', v_name));
                END IF;
                UPDATE mz_emulator.databases SET privileges = mz_emulator.acl_edit(privileges, v_grantee_id, v_grantor, v_letters, p_revoke)
                WHERE name = v_name;
            END IF;
        END LOOP;
    END LOOP;
END
$$;

CREATE OR REPLACE VIEW mz_catalog.mz_system_privileges AS
SELECT mz_emulator.role_id(grantee) || '=' || privileges || '/s1' AS privileges FROM mz_emulator.system_privileges;

CREATE OR REPLACE VIEW mz_catalog.mz_role_members AS
SELECT mz_emulator.role_id(m.roleid) AS role_id, mz_emulator.role_id(m.member) AS member, mz_emulator.role_id(m.grantor) AS grantor
FROM pg_catalog.pg_auth_members m;

CREATE OR REPLACE VIEW mz_catalog.mz_role_parameters AS
SELECT mz_emulator.role_id(s.setrole) AS role_id,
       CASE WHEN split_part(c, '=', 1) LIKE 'mz.%' THEN substr(split_part(c, '=', 1), 4) ELSE split_part(c, '=', 1) END AS parameter_name,
       substr(c, strpos(c, '=') + 1) AS parameter_value
FROM pg_catalog.pg_db_role_setting s, unnest(s.setconfig) c
WHERE s.setrole <> 0;

CREATE OR REPLACE FUNCTION mz_internal.mz_aclexplode(p_acl text[])
RETURNS TABLE (grantor text, grantee text, privilege_type text, is_grantable boolean)
LANGUAGE sql IMMUTABLE AS $$
    SELECT split_part(a, '/', 2), split_part(a, '=', 1), mz_emulator.privilege_name(l), false
    FROM unnest(p_acl) a, regexp_split_to_table(split_part(split_part(a, '=', 2), '/', 1), '') l
    WHERE l <> ''
$$;

CREATE OR REPLACE FUNCTION mz_internal.mz_format_privileges(p_acl text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$ SELECT p_acl $$;

-- Inquiry functions. As in Materialize they ignore superuser status; membership counts (inherit).
CREATE OR REPLACE FUNCTION mz_emulator.holds(p_role oid, p_acl text[], p_letter text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT EXISTS (
        SELECT FROM unnest(coalesce(p_acl, '{}')) a
        WHERE strpos(split_part(split_part(a, '=', 2), '/', 1), p_letter) > 0
          AND (split_part(a, '=', 1) = 'p'
               OR EXISTS (SELECT FROM pg_roles r WHERE mz_emulator.role_id(r.oid) = split_part(a, '=', 1)
                          AND pg_has_role(p_role, r.oid, 'MEMBER'))))
$$;

CREATE OR REPLACE FUNCTION mz_catalog.has_system_privilege(p_role text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT EXISTS (SELECT FROM mz_emulator.system_privileges s
                   WHERE pg_has_role(p_role::regrole, s.grantee, 'MEMBER')
                     AND strpos(s.privileges, mz_emulator.privilege_letter(p_privilege)) > 0)
$$;

CREATE OR REPLACE FUNCTION mz_catalog.has_system_privilege(p_privilege text) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT mz_catalog.has_system_privilege(current_user::text, p_privilege) $$;

CREATE OR REPLACE FUNCTION mz_catalog.has_cluster_privilege(p_role text, p_cluster text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT mz_emulator.holds(p_role::regrole, c.privileges, mz_emulator.privilege_letter(p_privilege))
    FROM mz_emulator.clusters c WHERE c.id = mz_emulator.cluster_id(p_cluster)
$$;

CREATE OR REPLACE FUNCTION mz_catalog.has_cluster_privilege(p_cluster text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT mz_catalog.has_cluster_privilege(current_user::text, p_cluster, p_privilege) $$;

CREATE OR REPLACE FUNCTION mz_catalog.has_role(p_role text, p_other text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT pg_catalog.pg_has_role(p_role::name, p_other::name, 'MEMBER') $$;

CREATE OR REPLACE FUNCTION mz_catalog.has_role(p_other text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT pg_catalog.pg_has_role(p_other::name, 'MEMBER') $$;

-- RBAC checks of the emulator's own DDL (PostgreSQL checks the rest natively, since every session
-- runs as its own role). Superusers pass; with enable_rbac_checks off everybody passes.
CREATE OR REPLACE FUNCTION mz_emulator.require_system_privilege(p_privilege text, p_action text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF mz_emulator.rbac_enabled() AND NOT mz_emulator.is_superuser(session_user::regrole)
       AND NOT mz_catalog.has_system_privilege(session_user::text, p_privilege) THEN
        PERFORM mz_emulator.raise('42501', format('permission denied to %s', p_action));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.require_cluster_privilege(p_cluster_id text, p_letter text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    c mz_emulator.clusters;
BEGIN
    SELECT * INTO c FROM mz_emulator.clusters WHERE id = p_cluster_id;
    IF mz_emulator.rbac_enabled() AND NOT mz_emulator.is_superuser(session_user::regrole)
       AND NOT pg_has_role(session_user, c.owner, 'MEMBER')
       AND NOT mz_emulator.holds(session_user::regrole, c.privileges, p_letter) THEN
        PERFORM mz_emulator.raise('42501', format('permission denied for CLUSTER "%s"', c.name));
    END IF;
END
$$;

-- mz_now() compared with milliseconds since the epoch (Materialize's mz_timestamp casts from numbers).
CREATE OR REPLACE FUNCTION mz_emulator.ms_to_timestamptz(p_ms numeric) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$ SELECT pg_catalog.to_timestamp(p_ms / 1000.0) $$;
CREATE OR REPLACE FUNCTION mz_emulator.tstz_lt_ms(timestamptz, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 < mz_emulator.ms_to_timestamptz($2) $$;
CREATE OR REPLACE FUNCTION mz_emulator.tstz_le_ms(timestamptz, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 <= mz_emulator.ms_to_timestamptz($2) $$;
CREATE OR REPLACE FUNCTION mz_emulator.tstz_gt_ms(timestamptz, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 > mz_emulator.ms_to_timestamptz($2) $$;
CREATE OR REPLACE FUNCTION mz_emulator.tstz_ge_ms(timestamptz, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 >= mz_emulator.ms_to_timestamptz($2) $$;
CREATE OR REPLACE FUNCTION mz_emulator.tstz_eq_ms(timestamptz, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 = mz_emulator.ms_to_timestamptz($2) $$;
DO $$
DECLARE
    o record;
BEGIN
    FOR o IN SELECT * FROM (VALUES ('<', 'tstz_lt_ms'), ('<=', 'tstz_le_ms'), ('>', 'tstz_gt_ms'), ('>=', 'tstz_ge_ms'), ('=', 'tstz_eq_ms')) v(op, fn) LOOP
        IF NOT EXISTS (SELECT FROM pg_operator p JOIN pg_namespace n ON n.oid = p.oprnamespace
                       WHERE n.nspname = 'mz_catalog' AND p.oprname = o.op
                         AND p.oprleft = 'timestamptz'::regtype AND p.oprright = 'numeric'::regtype) THEN
            EXECUTE format('CREATE OPERATOR mz_catalog.%s (LEFTARG = timestamptz, RIGHTARG = numeric, FUNCTION = mz_emulator.%I)', o.op, o.fn);
        END IF;
    END LOOP;
END
$$;

-- ── Sources, sinks, connections, secrets: catalog entries with dependencies ──────────────────────

-- Resolves a catalog item by (PostgreSQL schema or NULL for the search path, name).
CREATE OR REPLACE FUNCTION mz_emulator.catalog_item_id(p_schema text, p_name text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    v_id text;
BEGIN
    SELECT i.id INTO v_id FROM mz_emulator.catalog_items i JOIN pg_namespace n ON n.oid = i.schema_oid
    WHERE i.name = p_name AND (n.nspname = p_schema OR (p_schema IS NULL AND n.nspname = ANY (current_schemas(false))))
    ORDER BY array_position(current_schemas(false), n.nspname::name) LIMIT 1;
    IF v_id IS NULL THEN
        PERFORM mz_emulator.raise('42704', format('unknown catalog item ''%s''', p_name));
    END IF;
    RETURN v_id;
END
$$;

-- CREATE SOURCE | SINK | CONNECTION | SECRET. p_relations: relations read (PostgreSQL spelling);
-- p_item_schemas/p_item_names: connections and secrets referenced. p_cluster: IN CLUSTER, else the
-- session cluster when p_needs_cluster.
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
    WHERE nspname = coalesce(p_schema, (pg_catalog.current_schemas(false))[1]);
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
    VALUES (v_schema, p_name, p_kind, p_connector, v_cluster_id, v_refs, p_create_sql, session_user::regrole);
END
$$;

-- ALTER SINK s SET FROM relation.
CREATE OR REPLACE PROCEDURE mz_emulator.alter_sink_set_from(p_schema text, p_name text, p_relation text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text := mz_emulator.catalog_item_id(p_schema, p_name);
BEGIN
    UPDATE mz_emulator.catalog_items
    SET referenced = ARRAY[mz_emulator.relation_id(p_relation::regclass)]
        || ARRAY(SELECT r FROM unnest(referenced) r WHERE r NOT IN (SELECT 'u' || oid FROM pg_catalog.pg_class)
                 AND r NOT IN (SELECT 's' || oid FROM pg_catalog.pg_class))
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
       mz_emulator.role_id(i.owner) AS owner_id, ARRAY[mz_emulator.role_id(i.owner) || '=r/' || mz_emulator.role_id(i.owner)] AS privileges,
       i.create_sql, i.create_sql AS redacted_create_sql
FROM mz_emulator.catalog_items i WHERE i.kind = 'source';

CREATE OR REPLACE VIEW mz_catalog.mz_sinks AS
SELECT i.id, i.oid, 'u' || i.schema_oid AS schema_id, i.name, i.connector AS type,
       (SELECT r FROM unnest(i.referenced) r JOIN mz_emulator.catalog_items c ON c.id = r AND c.kind = 'connection' LIMIT 1) AS connection_id,
       NULL::text AS size, NULL::text AS envelope_type, NULL::text AS format, NULL::text AS key_format, NULL::text AS value_format,
       i.cluster_id, mz_emulator.role_id(i.owner) AS owner_id, i.create_sql, i.create_sql AS redacted_create_sql
FROM mz_emulator.catalog_items i WHERE i.kind = 'sink';

CREATE OR REPLACE VIEW mz_catalog.mz_connections AS
SELECT i.id, i.oid, 'u' || i.schema_oid AS schema_id, i.name, i.connector AS type, mz_emulator.role_id(i.owner) AS owner_id,
       ARRAY[mz_emulator.role_id(i.owner) || '=U/' || mz_emulator.role_id(i.owner)] AS privileges,
       i.create_sql, i.create_sql AS redacted_create_sql
FROM mz_emulator.catalog_items i WHERE i.kind = 'connection';

CREATE OR REPLACE VIEW mz_catalog.mz_secrets AS
SELECT i.id, i.oid, 'u' || i.schema_oid AS schema_id, i.name, mz_emulator.role_id(i.owner) AS owner_id,
       ARRAY[mz_emulator.role_id(i.owner) || '=U/' || mz_emulator.role_id(i.owner)] AS privileges
FROM mz_emulator.catalog_items i WHERE i.kind = 'secret';

GRANT SELECT ON ALL TABLES IN SCHEMA mz_catalog, mz_internal TO PUBLIC;

-- SHOW CREATE MATERIALIZED VIEW | SOURCE | SINK | CONNECTION | SECRET | INDEX: the statement as created.
CREATE OR REPLACE FUNCTION mz_emulator.show_create(p_kind text, p_schema text, p_name text, p_display_name text)
RETURNS TABLE (name text, create_sql text)
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
BEGIN
    name := p_display_name;
    IF p_kind = 'materialized-view' THEN
        SELECT m.create_sql INTO create_sql FROM mz_emulator.relation_meta m
        WHERE m.oid = (CASE WHEN p_schema IS NULL THEN quote_ident(p_name) ELSE quote_ident(p_schema) || '.' || quote_ident(p_name) END)::regclass
          AND m.kind = p_kind;
    ELSE
        SELECT i.create_sql INTO create_sql FROM mz_emulator.catalog_items i
        WHERE i.id = mz_emulator.catalog_item_id(p_schema, p_name) AND i.kind = p_kind;
    END IF;
    IF create_sql IS NULL THEN
        PERFORM mz_emulator.raise('42809', format('''%s'' is not a %s', p_display_name, replace(p_kind, '-', ' ')));
    END IF;
    RETURN NEXT;
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.rename_cluster_replica(p_cluster text, p_replica text, p_new_name text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_cluster text := mz_emulator.cluster_id(p_cluster);
BEGIN
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
    UPDATE mz_emulator.catalog_items SET name = p_new_name WHERE id = v_id AND kind = p_kind;
    IF NOT FOUND THEN
        PERFORM mz_emulator.raise('42809', format('''%s'' is not a %s', p_name, p_kind));
    END IF;
END
$$;
