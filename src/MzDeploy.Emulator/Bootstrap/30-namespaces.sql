-- Databases and schemas.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
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

CREATE OR REPLACE FUNCTION mz_emulator.require_schema_owner(p_database text, p_schema text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    PERFORM mz_emulator.require_owner(
        (SELECT nspowner FROM pg_namespace WHERE nspname = mz_emulator.pg_schema(p_database, p_schema)),
        'SCHEMA', p_database || '.' || p_schema);
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
    BEGIN  -- a racing CREATE DATABASE of the same name (see create_schema)
        INSERT INTO mz_emulator.databases (id, name, owner, privileges)
        VALUES ('u' || nextval('mz_emulator.database_ids'), p_name, session_user::regrole,
                ARRAY[mz_emulator.role_id(session_user::regrole) || '=UC/' || mz_emulator.role_id(session_user::regrole)]);
    EXCEPTION WHEN unique_violation THEN
        IF p_if_not_exists THEN
            RAISE NOTICE 'database "%" already exists, skipping', p_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42P04', format('database ''%s'' already exists', p_name));
    END;
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
    PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.databases WHERE name = p_name), 'DATABASE', p_name);
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
    PERFORM mz_emulator.begin_ddl();
    PERFORM mz_emulator.check_database(p_name);
    PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.databases WHERE name = p_name), 'DATABASE', p_name);
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
    -- Materialize applies catalog changes one at a time, so of two sessions creating one name the second is told
    -- it exists. PostgreSQL lets both pass the check above; the second then waits on the name's index entry and
    -- fails with a unique violation, which is the same fact in PostgreSQL's words.
    BEGIN
        EXECUTE format('CREATE SCHEMA %I AUTHORIZATION %I', mz_emulator.pg_schema(p_database, p_schema), session_user);
    EXCEPTION WHEN unique_violation THEN
        IF p_if_not_exists THEN
            RAISE NOTICE 'schema "%" already exists, skipping', p_schema;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42P06', format('schema ''%s'' already exists', p_schema));
    END;
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
    PERFORM mz_emulator.require_schema_owner(p_database, p_schema);
    IF NOT p_cascade AND EXISTS (
        SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = mz_emulator.pg_schema(p_database, p_schema)
        UNION ALL
        SELECT FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = mz_emulator.pg_schema(p_database, p_schema)
        UNION ALL
        -- Sources, sinks, connections and secrets are no PostgreSQL objects: DROP SCHEMA alone would not see them.
        SELECT FROM mz_emulator.catalog_items i JOIN pg_namespace n ON n.oid = i.schema_oid
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
    PERFORM mz_emulator.begin_ddl();
    PERFORM mz_emulator.check_database(p_database);
    IF NOT mz_emulator.schema_exists(p_database, p_schema) THEN
        PERFORM mz_emulator.raise('3F000', format('unknown schema ''%s''', p_schema));
    END IF;
    PERFORM mz_emulator.require_schema_owner(p_database, p_schema);
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
    PERFORM mz_emulator.begin_ddl();
    PERFORM mz_emulator.check_database(p_database);
    IF NOT mz_emulator.schema_exists(p_database, p_schema) THEN
        PERFORM mz_emulator.raise('3F000', format('unknown schema ''%s''', p_schema));
    END IF;
    IF NOT mz_emulator.schema_exists(p_database, p_other) THEN
        PERFORM mz_emulator.raise('3F000', format('unknown schema ''%s''', p_other));
    END IF;
    PERFORM mz_emulator.require_schema_owner(p_database, p_schema);
    PERFORM mz_emulator.require_schema_owner(p_database, p_other);
    IF p_schema = p_other THEN
        RETURN;  -- Materialize renames by id: a schema swapped with itself keeps its name.
    END IF;
    EXECUTE format('ALTER SCHEMA %I RENAME TO %I', v_a, v_tmp);
    EXECUTE format('ALTER SCHEMA %I RENAME TO %I', v_b, v_a);
    EXECUTE format('ALTER SCHEMA %I RENAME TO %I', v_tmp, v_b);
END
$$;
