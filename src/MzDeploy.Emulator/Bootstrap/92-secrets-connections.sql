-- Secrets' values, connection options, ALTER SECRET, ALTER CONNECTION, VALIDATE CONNECTION.
-- Part of the emulator's definitions: re-run on every start, in file-name order.

-- A secret's value is kept only as its SHA-256 digest: no catalog relation, SHOW or log can show it (there
-- is no way to read a secret back in Materialize either), yet a test can tell that ALTER SECRET changed it.
CREATE TABLE IF NOT EXISTS mz_emulator.secret_digests (
    id     text PRIMARY KEY,
    digest bytea NOT NULL
);
REVOKE ALL ON mz_emulator.secret_digests FROM PUBLIC;

CREATE OR REPLACE FUNCTION mz_emulator.on_secret_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    DELETE FROM mz_emulator.secret_digests WHERE id = OLD.id;
    RETURN OLD;
END
$$;

CREATE OR REPLACE TRIGGER catalog_item_secrets AFTER DELETE ON mz_emulator.catalog_items
FOR EACH ROW WHEN (OLD.kind = 'secret') EXECUTE FUNCTION mz_emulator.on_secret_delete();

-- The id of the catalog item of the given kind, or of whatever holds the name (then the kind check fails).
CREATE OR REPLACE FUNCTION mz_emulator.catalog_item_of_kind(p_kind text, p_schema text, p_name text, p_if_exists boolean)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_id text;
BEGIN
    BEGIN
        v_id := mz_emulator.catalog_item_id(p_schema, p_name);
    EXCEPTION WHEN undefined_object THEN
        IF p_if_exists THEN
            RAISE NOTICE '% "%" does not exist, skipping', p_kind, p_name;
            RETURN NULL;
        END IF;
        RAISE;
    END;
    IF NOT EXISTS (SELECT FROM mz_emulator.catalog_items WHERE id = v_id AND kind = p_kind) THEN
        PERFORM mz_emulator.raise('42809', mz_emulator.kind_mismatch(v_id, p_kind));
    END IF;
    PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.catalog_items WHERE id = v_id), upper(p_kind),
        mz_emulator.catalog_item_full_name(v_id));
    RETURN v_id;
END
$$;

-- CREATE SECRET: p_create_sql (the statement, value masked) is kept for the callers' signature; p_value was evaluated
-- by the caller's CALL.
CREATE OR REPLACE PROCEDURE mz_emulator.create_secret(p_schema text, p_name text, p_if_not_exists boolean,
    p_create_sql text, p_value bytea)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text;
BEGIN
    -- The statement under the secret's current name (mz_emulator.resolve_create_sql), its value masked.
    CALL mz_emulator.create_catalog_item('secret', p_schema, p_name, NULL, false, NULL, p_if_not_exists,
        'CREATE SECRET ' || E'\x01self\x01' || ' AS ''********''',
        '{}'::text[], '{}'::text[], '{}'::text[]);
    -- With IF NOT EXISTS an existing secret keeps its value.
    SELECT i.id INTO v_id FROM mz_emulator.catalog_items i JOIN pg_catalog.pg_namespace n ON n.oid = i.schema_oid
    WHERE n.nspname = mz_emulator.creation_schema(p_schema) AND i.name = p_name AND i.kind = 'secret'
      AND NOT EXISTS (SELECT FROM mz_emulator.secret_digests d WHERE d.id = i.id);
    IF v_id IS NOT NULL THEN
        INSERT INTO mz_emulator.secret_digests VALUES (v_id, pg_catalog.sha256(p_value));
    END IF;
END
$$;

-- ALTER SECRET [IF EXISTS] name AS value: the owner changes the value; nothing else changes.
CREATE OR REPLACE PROCEDURE mz_emulator.alter_secret(p_schema text, p_name text, p_if_exists boolean, p_value bytea)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text := mz_emulator.catalog_item_of_kind('secret', p_schema, p_name, p_if_exists);
BEGIN
    IF v_id IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO mz_emulator.secret_digests VALUES (v_id, pg_catalog.sha256(p_value))
    ON CONFLICT (id) DO UPDATE SET digest = excluded.digest;
END
$$;

-- An SSH public key of the emulator's own making (Materialize makes ed25519 key pairs).
CREATE OR REPLACE FUNCTION mz_emulator.new_ssh_public_key() RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' || translate(encode(pg_catalog.sha256(gen_random_uuid()::text::bytea), 'base64'), '=', '')
$$;

-- After CREATE CONNECTION: its type and options (for ALTER CONNECTION), and an SSH tunnel's two key pairs.
CREATE OR REPLACE PROCEDURE mz_emulator.set_connection_options(p_schema text, p_name text, p_type text,
    p_names text[], p_values text[])
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    UPDATE mz_emulator.catalog_items i
    SET connection_type = p_type, option_names = p_names, option_values = p_values,
        ssh_public_keys = CASE WHEN p_type = 'SSH TUNNEL' THEN ARRAY[mz_emulator.new_ssh_public_key(), mz_emulator.new_ssh_public_key()] END
    FROM pg_catalog.pg_namespace n
    WHERE n.oid = i.schema_oid AND n.nspname = mz_emulator.creation_schema(p_schema) AND i.name = p_name
      AND i.kind = 'connection' AND i.option_names IS NULL;
END
$$;

-- The options CREATE CONNECTION … TO <type> takes (docs: /sql/create-connection/); NULL: not checked.
CREATE OR REPLACE FUNCTION mz_emulator.connection_option_names(p_type text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_type
        WHEN 'SSH TUNNEL' THEN ARRAY['HOST', 'PORT', 'USER']
        WHEN 'AWS' THEN ARRAY['ENDPOINT', 'REGION', 'ACCESS KEY ID', 'SECRET ACCESS KEY', 'SESSION TOKEN', 'ASSUME ROLE ARN',
                              'ASSUME ROLE SESSION NAME']
        WHEN 'AWS PRIVATELINK' THEN ARRAY['SERVICE NAME', 'AVAILABILITY ZONES']
        WHEN 'KAFKA' THEN ARRAY['BROKER', 'BROKERS', 'SECURITY PROTOCOL', 'SASL MECHANISMS', 'SASL USERNAME', 'SASL PASSWORD',
                                'SSL CERTIFICATE', 'SSL KEY', 'SSL CERTIFICATE AUTHORITY', 'SSH TUNNEL', 'AWS PRIVATELINK',
                                'AWS CONNECTION', 'PROGRESS TOPIC', 'PROGRESS TOPIC REPLICATION FACTOR']
        WHEN 'CONFLUENT SCHEMA REGISTRY' THEN ARRAY['URL', 'USERNAME', 'PASSWORD', 'SSL CERTIFICATE', 'SSL KEY',
                                'SSL CERTIFICATE AUTHORITY', 'SSH TUNNEL', 'AWS PRIVATELINK']
        WHEN 'POSTGRES' THEN ARRAY['HOST', 'PORT', 'DATABASE', 'USER', 'PASSWORD', 'SSL MODE', 'SSL CERTIFICATE', 'SSL KEY',
                                'SSL CERTIFICATE AUTHORITY', 'SSH TUNNEL', 'AWS PRIVATELINK']
        WHEN 'MYSQL' THEN ARRAY['HOST', 'PORT', 'USER', 'PASSWORD', 'SSL MODE', 'SSL CERTIFICATE', 'SSL KEY',
                                'SSL CERTIFICATE AUTHORITY', 'SSH TUNNEL', 'AWS PRIVATELINK', 'AWS CONNECTION']
        WHEN 'SQL SERVER' THEN ARRAY['HOST', 'PORT', 'DATABASE', 'USER', 'PASSWORD', 'SSL MODE', 'SSL CERTIFICATE AUTHORITY',
                                'SSH TUNNEL', 'AWS PRIVATELINK']
    END
$$;

-- ALTER CONNECTION [IF EXISTS] name SET (…) | RESET/DROP (…) | ROTATE KEYS. Changes apply together; an option
-- named twice, or one the connection type lacks, fails the whole statement. p_ref_*: connections and secrets
-- the new values name (they must exist and become dependencies). create_sql is rebuilt in Materialize's form.
CREATE OR REPLACE PROCEDURE mz_emulator.alter_connection(p_schema text, p_name text, p_if_exists boolean, p_action text,
    p_names text[], p_values text[], p_ref_schemas text[], p_ref_names text[])
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text := mz_emulator.catalog_item_of_kind('connection', p_schema, p_name, p_if_exists);
    v_item mz_emulator.catalog_items;
    v_names text[];
    v_values text[];
    v_allowed text[];
    v_refs text[] := '{}';
    v_at int;
    i int;
BEGIN
    IF v_id IS NULL THEN
        RETURN;
    END IF;
    PERFORM mz_emulator.begin_ddl();
    SELECT * INTO v_item FROM mz_emulator.catalog_items WHERE id = v_id FOR UPDATE;
    IF p_action = 'rotate' THEN
        IF v_item.connector IS DISTINCT FROM 'ssh-tunnel' THEN
            PERFORM mz_emulator.raise('42809', format('cannot rotate keys of %s: it is not an SSH tunnel connection',
                mz_emulator.catalog_item_full_name(v_id)));
        END IF;
        -- As in Materialize: the secondary key pair becomes the primary one, and a new secondary one is made.
        UPDATE mz_emulator.catalog_items
        SET ssh_public_keys = ARRAY[coalesce(ssh_public_keys[2], mz_emulator.new_ssh_public_key()), mz_emulator.new_ssh_public_key()]
        WHERE id = v_id;
        RETURN;
    END IF;
    IF (SELECT count(*) <> count(DISTINCT n) FROM unnest(p_names) n) THEN
        PERFORM mz_emulator.raise('42601', format('cannot modify the same option more than once: %s',
            (SELECT n FROM unnest(p_names) n GROUP BY n HAVING count(*) > 1 LIMIT 1)));
    END IF;
    v_allowed := mz_emulator.connection_option_names(v_item.connection_type);
    FOR i IN 1 .. coalesce(array_length(p_names, 1), 0) LOOP
        IF v_allowed IS NOT NULL AND NOT p_names[i] = ANY (v_allowed) THEN
            PERFORM mz_emulator.raise('42601', format('%s is not a valid option of %s connections, expected one of %s',
                p_names[i], v_item.connection_type, array_to_string(v_allowed, ', ')));
        END IF;
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(p_ref_names, 1), 0) LOOP
        v_refs := v_refs || mz_emulator.catalog_item_id(p_ref_schemas[i], p_ref_names[i]);
    END LOOP;
    v_names := coalesce(v_item.option_names, '{}');
    v_values := coalesce(v_item.option_values, '{}');
    FOR i IN 1 .. coalesce(array_length(p_names, 1), 0) LOOP
        v_at := array_position(v_names, p_names[i]);
        IF p_action = 'set' AND v_at IS NULL THEN
            v_names := v_names || p_names[i];
            v_values := v_values || p_values[i];
        ELSIF p_action = 'set' THEN
            v_values[v_at] := p_values[i];
        ELSIF v_at IS NOT NULL THEN
            v_names := v_names[1:v_at - 1] || v_names[v_at + 1:];
            v_values := v_values[1:v_at - 1] || v_values[v_at + 1:];
        END IF;
    END LOOP;
    UPDATE mz_emulator.catalog_items
    SET option_names = v_names, option_values = v_values,
        referenced = referenced || ARRAY(SELECT DISTINCT r FROM unnest(v_refs) r WHERE r <> ALL (referenced)),
        create_sql = 'CREATE CONNECTION ' || E'\x01self\x01' || ' TO ' || coalesce(v_item.connection_type, upper(replace(v_item.connector, '-', ' ')))
            || ' (' || coalesce((SELECT string_agg(n || ' = ' || v, ', ' ORDER BY k)
                                 FROM unnest(v_names, v_values) WITH ORDINALITY AS o(n, v, k)), '') || ')'
    WHERE id = v_id;
END
$$;

-- VALIDATE CONNECTION name: the emulator reaches no external system, so an existing connection the session
-- may use always validates (no rows); another kind of item is refused.
CREATE OR REPLACE PROCEDURE mz_emulator.validate_connection(p_schema text, p_name text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_id text := mz_emulator.catalog_item_id(p_schema, p_name);
BEGIN
    IF NOT EXISTS (SELECT FROM mz_emulator.catalog_items WHERE id = v_id AND kind = 'connection') THEN
        PERFORM mz_emulator.raise('42809', mz_emulator.kind_mismatch(v_id, 'connection'));
    END IF;
END
$$;

CREATE OR REPLACE VIEW mz_catalog.mz_ssh_tunnel_connections AS
SELECT i.id, i.ssh_public_keys[1] AS public_key_1, i.ssh_public_keys[2] AS public_key_2
FROM mz_emulator.catalog_items i WHERE i.kind = 'connection' AND i.connector = 'ssh-tunnel';

GRANT SELECT ON mz_catalog.mz_ssh_tunnel_connections TO PUBLIC;
