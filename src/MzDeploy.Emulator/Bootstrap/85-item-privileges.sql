-- GRANT/REVOKE on sources, connections and secrets (catalog-only items), and the owner check Materialize makes
-- before any GRANT/REVOKE on an object (PostgreSQL only warns "no privileges were granted").
-- Part of the emulator's definitions: re-run on every start, in file-name order.

-- GRANT | REVOKE privileges ON SOURCE | CONNECTION | SECRET names TO | FROM roles.
CREATE OR REPLACE PROCEDURE mz_emulator.grant_item_privileges(p_revoke boolean, p_kind text, p_schemas text[], p_names text[],
    p_privileges text[], p_grantees text[])
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_allowed text := mz_emulator.item_privilege_letters(p_kind);
    v_letters text := '';
    v_invalid text;
    v_privilege text;
    v_grantee text;
    v_grantee_id text;
    v_grantor text := mz_emulator.role_id(session_user::regrole);
    v_id text;
    v_item mz_emulator.catalog_items;
    i int;
BEGIN
    v_invalid := (SELECT string_agg(upper(p), ', ') FROM unnest(p_privileges) p
                  WHERE upper(p) NOT IN ('ALL', 'ALL PRIVILEGES') AND mz_emulator.privilege_letter(p) IS NOT NULL
                    AND strpos(v_allowed, mz_emulator.privilege_letter(p)) = 0);
    IF v_invalid IS NOT NULL THEN
        PERFORM mz_emulator.raise('0LP01', format('invalid privilege types %s for %s', v_invalid, upper(p_kind)));
    END IF;
    FOREACH v_privilege IN ARRAY p_privileges LOOP
        IF upper(v_privilege) IN ('ALL', 'ALL PRIVILEGES') THEN
            v_letters := v_letters || v_allowed;
        ELSIF mz_emulator.privilege_letter(v_privilege) IS NULL THEN
            PERFORM mz_emulator.raise('0LP01', format('unrecognized privilege type: %s', v_privilege));
        ELSE
            v_letters := v_letters || mz_emulator.privilege_letter(v_privilege);
        END IF;
    END LOOP;
    FOR i IN 1 .. array_length(p_names, 1) LOOP
        v_id := mz_emulator.catalog_item_of_kind(p_kind, p_schemas[i], p_names[i], false);
        SELECT * INTO v_item FROM mz_emulator.catalog_items WHERE id = v_id FOR UPDATE;
        v_item.privileges := mz_emulator.item_privileges(v_item);
        FOREACH v_grantee IN ARRAY p_grantees LOOP
            IF lower(v_grantee) = 'public' THEN
                v_grantee_id := '';
            ELSE
                IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = v_grantee) THEN
                    PERFORM mz_emulator.raise('42704', format('unknown role ''%s''', v_grantee));
                END IF;
                v_grantee_id := mz_emulator.role_id(v_grantee::regrole);
            END IF;
            v_item.privileges := mz_emulator.acl_edit(v_item.privileges, v_grantee_id, v_grantor, v_letters, p_revoke);
        END LOOP;
        UPDATE mz_emulator.catalog_items SET privileges = v_item.privileges WHERE id = v_id;
    END LOOP;
END
$$;

-- Before GRANT | REVOKE … ON [TABLE | VIEW | MATERIALIZED VIEW] names (run natively): Materialize refuses
-- system objects and grants by a role that does not own the object.
CREATE OR REPLACE FUNCTION mz_emulator.check_relation_grant(p_relations text[]) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
DECLARE
    v_name text;
    v_oid oid;
    v_kind record;
BEGIN
    FOREACH v_name IN ARRAY p_relations LOOP
        v_oid := pg_catalog.to_regclass(v_name);
        IF v_oid IS NULL THEN
            CONTINUE;  -- PostgreSQL's own GRANT reports the missing relation
        END IF;
        v_kind := mz_emulator.relation_kind(v_oid);
        IF NOT mz_emulator.is_user_schema((SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = v_oid))
           AND (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = v_oid) <> pg_catalog.pg_my_temp_schema() THEN
            PERFORM mz_emulator.raise('42501', format('system item ''%s'' cannot be modified', v_kind.full_name));
        END IF;
        PERFORM mz_emulator.require_owner((SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_oid), upper(v_kind.kind), v_kind.full_name);
    END LOOP;
END
$$;

-- Before GRANT | REVOKE … ON SCHEMA names (run natively; p_schemas in PostgreSQL's spelling): Materialize refuses
-- system schemas and grants by a role that does not own the schema (docs: /sql/grant-privilege/).
CREATE OR REPLACE FUNCTION mz_emulator.check_schema_grant(p_schemas text[]) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_name text;
    v_schema pg_namespace;
BEGIN
    FOREACH v_name IN ARRAY p_schemas LOOP
        SELECT * INTO v_schema FROM pg_namespace WHERE nspname = v_name;
        IF NOT FOUND THEN
            CONTINUE;  -- PostgreSQL's own GRANT reports the missing schema
        END IF;
        IF NOT mz_emulator.is_user_schema(v_schema.oid) THEN
            PERFORM mz_emulator.raise('42501', format('system schema ''%s'' cannot be modified', v_name));
        END IF;
        PERFORM mz_emulator.require_owner(v_schema.nspowner, 'SCHEMA',
            (mz_emulator.split_schema(v_name)).database_name || '.' || (mz_emulator.split_schema(v_name)).schema_name);
    END LOOP;
END
$$;
