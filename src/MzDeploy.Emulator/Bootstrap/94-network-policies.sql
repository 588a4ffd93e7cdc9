-- Network policies (docs: /sql/create-network-policy/, /sql/alter-network-policy/, /sql/drop-network-policy/,
-- /sql/show-network-policies/): catalog rows only; the emulator applies no network rules to connections.
-- Part of the emulator's definitions: re-run on every start, in file-name order.

CREATE SEQUENCE IF NOT EXISTS mz_emulator.network_policy_ids START 1;
CREATE TABLE IF NOT EXISTS mz_emulator.network_policies (
    id         text PRIMARY KEY DEFAULT 'u' || nextval('mz_emulator.network_policy_ids'),
    oid        oid NOT NULL DEFAULT (nextval('mz_emulator.item_ids') % 1000000000 + 3000000000)::oid,
    name       text NOT NULL UNIQUE,
    owner      oid NOT NULL,
    privileges text[]
);
CREATE TABLE IF NOT EXISTS mz_emulator.network_policy_rules (
    policy_id text NOT NULL REFERENCES mz_emulator.network_policies (id) ON DELETE CASCADE,
    name      text NOT NULL,
    action    text NOT NULL,
    address   text NOT NULL,
    direction text NOT NULL,
    PRIMARY KEY (policy_id, name)
);

-- Materialize's pre-installed policy, wide open ingress, owned by the system: made on the first start only (before
-- the id sequence was ever used), so that dropping it lasts across restarts.
DO $$
BEGIN
    IF NOT (SELECT is_called FROM mz_emulator.network_policy_ids) THEN
        INSERT INTO mz_emulator.network_policies (name, owner)
        VALUES ('default', (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = 'postgres'));
        INSERT INTO mz_emulator.network_policy_rules
        SELECT p.id, 'open_ingress', 'allow', '0.0.0.0/0', 'ingress' FROM mz_emulator.network_policies p WHERE p.name = 'default';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.network_policy_privileges(p_policy mz_emulator.network_policies) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(p_policy.privileges, ARRAY[mz_emulator.role_id(p_policy.owner) || '=U/' || mz_emulator.role_id(p_policy.owner)])
$$;

CREATE OR REPLACE VIEW mz_internal.mz_network_policies AS
SELECT p.id, p.name, mz_emulator.role_id(p.owner) AS owner_id, mz_emulator.network_policy_privileges(p) AS privileges, p.oid
FROM mz_emulator.network_policies p;

CREATE OR REPLACE VIEW mz_internal.mz_network_policy_rules AS
SELECT r.name, r.policy_id, r.action, r.address, r.direction FROM mz_emulator.network_policy_rules r;

GRANT SELECT ON mz_internal.mz_network_policies, mz_internal.mz_network_policy_rules TO PUBLIC;

-- The rules of CREATE / ALTER … SET: each needs action 'allow', direction 'ingress' (the only values Materialize
-- takes) and an address that is a CIDR block; rule names are unique within the policy.
CREATE OR REPLACE FUNCTION mz_emulator.check_network_policy_rules(p_names text[], p_actions text[], p_directions text[],
    p_addresses text[]) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    i int;
BEGIN
    IF (SELECT count(*) <> count(DISTINCT n) FROM unnest(p_names) n) THEN
        PERFORM mz_emulator.raise('42710', format('network policy rule ''%s'' specified more than once',
            (SELECT n FROM unnest(p_names) n GROUP BY n HAVING count(*) > 1 LIMIT 1)));
    END IF;
    FOR i IN 1 .. coalesce(array_length(p_names, 1), 0) LOOP
        IF p_actions[i] IS NULL OR p_directions[i] IS NULL OR p_addresses[i] IS NULL THEN
            PERFORM mz_emulator.raise('42601', format('network policy rule ''%s'' needs ACTION, DIRECTION and ADDRESS', p_names[i]));
        END IF;
        IF lower(p_actions[i]) <> 'allow' THEN
            PERFORM mz_emulator.raise('22023', format('invalid ACTION ''%s'' in network policy rule ''%s'': ALLOW is the only valid option',
                p_actions[i], p_names[i]));
        END IF;
        IF lower(p_directions[i]) <> 'ingress' THEN
            PERFORM mz_emulator.raise('22023', format('invalid DIRECTION ''%s'' in network policy rule ''%s'': INGRESS is the only valid option',
                p_directions[i], p_names[i]));
        END IF;
        BEGIN
            PERFORM p_addresses[i]::inet;
        EXCEPTION WHEN invalid_text_representation THEN
            PERFORM mz_emulator.raise('22023', format('invalid ADDRESS ''%s'' in network policy rule ''%s'': not a CIDR block',
                p_addresses[i], p_names[i]));
        END;
    END LOOP;
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.create_network_policy(p_name text, p_names text[], p_actions text[], p_directions text[],
    p_addresses text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text;
BEGIN
    PERFORM mz_emulator.require_system_privilege('CREATENETWORKPOLICY', 'create network policy');
    IF EXISTS (SELECT FROM mz_emulator.network_policies WHERE name = p_name) THEN
        PERFORM mz_emulator.raise('42710', format('network policy ''%s'' already exists', p_name));
    END IF;
    PERFORM mz_emulator.check_network_policy_rules(p_names, p_actions, p_directions, p_addresses);
    INSERT INTO mz_emulator.network_policies (name, owner) VALUES (p_name, session_user::regrole) RETURNING id INTO v_id;
    INSERT INTO mz_emulator.network_policy_rules
    SELECT v_id, n, lower(a), ad, lower(d) FROM unnest(p_names, p_actions, p_directions, p_addresses) AS r(n, a, d, ad);
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.network_policy_id(p_name text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text;
BEGIN
    SELECT id INTO v_id FROM mz_emulator.network_policies WHERE name = p_name;
    IF v_id IS NULL THEN
        PERFORM mz_emulator.raise('42704', format('unknown network policy ''%s''', p_name));
    END IF;
    RETURN v_id;
END
$$;

-- ALTER NETWORK POLICY name SET (RULES (…)): the rules are replaced as a whole; the owner alone may.
CREATE OR REPLACE PROCEDURE mz_emulator.alter_network_policy(p_name text, p_names text[], p_actions text[], p_directions text[],
    p_addresses text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text := mz_emulator.network_policy_id(p_name);
BEGIN
    PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.network_policies WHERE id = v_id), 'NETWORK POLICY', p_name);
    PERFORM mz_emulator.check_network_policy_rules(p_names, p_actions, p_directions, p_addresses);
    DELETE FROM mz_emulator.network_policy_rules WHERE policy_id = v_id;
    INSERT INTO mz_emulator.network_policy_rules
    SELECT v_id, n, lower(a), ad, lower(d) FROM unnest(p_names, p_actions, p_directions, p_addresses) AS r(n, a, d, ad);
END
$$;

-- ALTER NETWORK POLICY name OWNER TO role: as for other objects, the session role must own it and be a member of the new owner.
CREATE OR REPLACE PROCEDURE mz_emulator.alter_network_policy_owner(p_name text, p_role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text := mz_emulator.network_policy_id(p_name);
    v_role oid;
BEGIN
    SELECT oid INTO v_role FROM pg_roles WHERE rolname = p_role;
    IF v_role IS NULL THEN
        PERFORM mz_emulator.raise('42704', format('unknown role ''%s''', p_role));
    END IF;
    PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.network_policies WHERE id = v_id), 'NETWORK POLICY', p_name);
    IF mz_emulator.system_rbac_checks() AND NOT mz_emulator.is_superuser(session_user::regrole)
       AND NOT pg_has_role(session_user, v_role, 'MEMBER') THEN
        PERFORM mz_emulator.raise('42501', format('must be a member of ''%s''', p_role));
    END IF;
    UPDATE mz_emulator.network_policies SET owner = v_role WHERE id = v_id;
END
$$;

-- DROP NETWORK POLICY [IF EXISTS] name: not the one the system's network_policy names (docs: change it first
-- with ALTER SYSTEM SET network_policy).
CREATE OR REPLACE PROCEDURE mz_emulator.drop_network_policy(p_name text, p_if_exists boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id text;
BEGIN
    SELECT id INTO v_id FROM mz_emulator.network_policies WHERE name = p_name;
    IF v_id IS NULL THEN
        IF p_if_exists THEN
            RAISE NOTICE 'network policy "%" does not exist, skipping', p_name;
            RETURN;
        END IF;
        PERFORM mz_emulator.raise('42704', format('unknown network policy ''%s''', p_name));
    END IF;
    PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.network_policies WHERE id = v_id), 'NETWORK POLICY', p_name);
    IF p_name = coalesce((SELECT value FROM mz_emulator.settings WHERE name = 'network_policy'), 'default') THEN
        PERFORM mz_emulator.raise('2BP01', format('network policy ''%s'' cannot be dropped: it is the system''s network_policy; ' ||
            'change it first with ALTER SYSTEM SET network_policy', p_name));
    END IF;
    DELETE FROM mz_emulator.network_policies WHERE id = v_id;
END
$$;

