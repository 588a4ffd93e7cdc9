-- RBAC: catalog grants, inquiry functions, the emulator's own checks.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
-- ── RBAC ──────────────────────────────────────────────────────────────────────────────────────────

-- The role sessions take while RBAC checks are off (see "RBAC off" below).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'mz_rbac_bypass') THEN
        CREATE ROLE mz_rbac_bypass SUPERUSER NOLOGIN;
    END IF;
END
$$;

-- Materialize's rule (adapter rbac.rs): checks apply when the system switch or the session's switch is on.
CREATE OR REPLACE FUNCTION mz_emulator.rbac_enabled() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT mz_emulator.system_rbac_checks()
        OR coalesce(nullif(pg_catalog.current_setting('mz.enable_session_rbac_checks', true), '')::boolean, false)
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
    -- Materialize prints the letters in one order (arwdUCRBNP), whatever order they were granted in.
    SELECT coalesce(string_agg(l, '' ORDER BY strpos('arwdUCRBNP', l)), '') INTO v_current FROM regexp_split_to_table(v_current, '') l;
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
    -- Materialize refuses privileges the object kind does not have (GRANT INSERT ON CLUSTER …), where an
    -- ACL would happily hold the letter: clusters and databases take USAGE and CREATE, the system
    -- CREATEROLE, CREATEDB, CREATECLUSTER and CREATENETWORKPOLICY.
    v_privilege := (SELECT string_agg(upper(p), ', ') FROM unnest(p_privileges) p
                    WHERE upper(p) NOT IN ('ALL', 'ALL PRIVILEGES')
                      AND mz_emulator.privilege_letter(p) IS NOT NULL
                      AND strpos(CASE p_type WHEN 'system' THEN 'RBNP' ELSE 'UC' END, mz_emulator.privilege_letter(p)) = 0);
    IF v_privilege IS NOT NULL THEN
        PERFORM mz_emulator.raise('0LP01', format('invalid privilege types %s for %s', v_privilege, upper(p_type)));
    END IF;
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
    -- Only the owner (a member of it, or a superuser) may grant or revoke, as for every object in Materialize;
    -- an ACL edit here would otherwise succeed where Materialize refuses (docs: /sql/grant-privilege/).
    FOREACH v_name IN ARRAY CASE WHEN p_type = 'system' THEN '{}'::text[] ELSE p_names END LOOP
        IF p_type = 'cluster' THEN
            PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.clusters WHERE id = mz_emulator.cluster_id(v_name)),
                'CLUSTER', v_name);
        ELSIF EXISTS (SELECT FROM mz_emulator.databases WHERE name = v_name) THEN
            PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.databases WHERE name = v_name), 'DATABASE', v_name);
        END IF;
    END LOOP;
    FOREACH v_grantee IN ARRAY p_grantees LOOP
        IF lower(v_grantee) = 'public' THEN
            v_grantee_oid := 0;
        ELSE
            SELECT oid INTO v_grantee_oid FROM pg_roles WHERE rolname = v_grantee;
            IF v_grantee_oid IS NULL THEN
                PERFORM mz_emulator.raise('42704', format('unknown role ''%s''', v_grantee));
            END IF;
        END IF;
        -- PUBLIC is written with an empty grantee in ACL text (as PostgreSQL does); mz_aclexplode says 'p'.
        v_grantee_id := CASE WHEN v_grantee_oid = 0 THEN '' ELSE mz_emulator.role_id(v_grantee_oid) END;
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
FROM pg_catalog.pg_auth_members m
WHERE m.roleid NOT IN (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = 'mz_rbac_bypass');

CREATE OR REPLACE VIEW mz_catalog.mz_role_parameters AS
SELECT mz_emulator.role_id(s.setrole) AS role_id,
       CASE WHEN split_part(c, '=', 1) LIKE 'mz.%' THEN substr(split_part(c, '=', 1), 4) ELSE split_part(c, '=', 1) END AS parameter_name,
       substr(c, strpos(c, '=') + 1) AS parameter_value
FROM pg_catalog.pg_db_role_setting s, unnest(s.setconfig) c
WHERE s.setrole <> 0;

CREATE OR REPLACE FUNCTION mz_internal.mz_aclexplode(p_acl text[])
RETURNS TABLE (grantor text, grantee text, privilege_type text, is_grantable boolean)
LANGUAGE sql IMMUTABLE AS $$
    SELECT split_part(a, '/', 2), coalesce(nullif(split_part(a, '=', 1), ''), 'p'), mz_emulator.privilege_name(l), false
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
          AND (split_part(a, '=', 1) IN ('', 'p')
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
LANGUAGE sql STABLE AS $$ SELECT mz_catalog.has_system_privilege(session_user::text, p_privilege) $$;

CREATE OR REPLACE FUNCTION mz_catalog.has_cluster_privilege(p_role text, p_cluster text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT mz_emulator.holds(p_role::regrole, c.privileges, mz_emulator.privilege_letter(p_privilege))
    FROM mz_emulator.clusters c WHERE c.id = mz_emulator.cluster_id(p_cluster)
$$;

CREATE OR REPLACE FUNCTION mz_catalog.has_cluster_privilege(p_cluster text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT mz_catalog.has_cluster_privilege(session_user::text, p_cluster, p_privilege) $$;

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

-- Privileges held by the current role (directly, through membership, or through PUBLIC), with role names.
CREATE OR REPLACE FUNCTION mz_emulator.role_name(p_id text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN p_id = 'p' THEN 'PUBLIC' WHEN p_id = 's1' THEN 'mz_system'
                ELSE (SELECT rolname::text FROM pg_roles WHERE 'u' || oid = p_id) END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.is_mine(p_grantee_id text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT p_grantee_id = 'p' OR EXISTS (SELECT FROM pg_roles r WHERE mz_emulator.role_id(r.oid) = p_grantee_id
                                          AND pg_has_role(session_user, r.oid, 'MEMBER'))
$$;

CREATE OR REPLACE VIEW mz_internal.mz_show_system_privileges AS
SELECT 'mz_system'::text AS grantor, mz_emulator.role_name(mz_emulator.role_id(s.grantee)) AS grantee,
       mz_emulator.privilege_name(l) AS privilege_type, mz_emulator.role_id(s.grantee) AS grantee_id
FROM mz_emulator.system_privileges s, regexp_split_to_table(s.privileges, '') l;

CREATE OR REPLACE VIEW mz_internal.mz_show_my_system_privileges AS
SELECT grantor, grantee, privilege_type FROM mz_internal.mz_show_system_privileges WHERE mz_emulator.is_mine(grantee_id);

CREATE OR REPLACE VIEW mz_internal.mz_show_database_privileges AS
SELECT mz_emulator.role_name(a.grantor) AS grantor, mz_emulator.role_name(a.grantee) AS grantee, d.name,
       a.privilege_type, a.grantee AS grantee_id
FROM mz_emulator.databases d,
     mz_internal.mz_aclexplode(d.privileges || ARRAY[mz_emulator.role_id(d.owner) || '=UC/' || mz_emulator.role_id(d.owner)]) a;

CREATE OR REPLACE VIEW mz_internal.mz_show_my_database_privileges AS
SELECT DISTINCT grantor, grantee, name, privilege_type FROM mz_internal.mz_show_database_privileges WHERE mz_emulator.is_mine(grantee_id);

CREATE OR REPLACE VIEW mz_internal.mz_show_cluster_privileges AS
SELECT mz_emulator.role_name(a.grantor) AS grantor, mz_emulator.role_name(a.grantee) AS grantee, c.name,
       a.privilege_type, a.grantee AS grantee_id
FROM mz_emulator.clusters c, mz_internal.mz_aclexplode(c.privileges) a;

CREATE OR REPLACE VIEW mz_internal.mz_show_my_cluster_privileges AS
SELECT grantor, grantee, name, privilege_type FROM mz_internal.mz_show_cluster_privileges WHERE mz_emulator.is_mine(grantee_id);

GRANT SELECT ON ALL TABLES IN SCHEMA mz_internal TO PUBLIC;

-- ALTER DEFAULT PRIVILEGES (PostgreSQL keeps them; shown with Materialize's ids and object types).
CREATE OR REPLACE VIEW mz_catalog.mz_default_privileges AS
SELECT mz_emulator.role_id(d.defaclrole) AS role_id,
       (SELECT db.id FROM mz_emulator.databases db JOIN pg_namespace n ON n.oid = d.defaclnamespace
        WHERE db.name = (mz_emulator.split_schema(n.nspname)).database_name) AS database_id,
       CASE WHEN d.defaclnamespace = 0 THEN NULL ELSE 'u' || d.defaclnamespace END AS schema_id,
       CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function'
                            WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS object_type,
       coalesce(nullif(split_part(p, '=', 1), ''), 'p') AS grantee,
       split_part(split_part(p, '=', 2), '/', 1) AS privileges
FROM pg_catalog.pg_default_acl d,
     unnest(mz_emulator.privileges(d.defaclacl, d.defaclrole, '')) p;

GRANT SELECT ON ALL TABLES IN SCHEMA mz_catalog TO PUBLIC;

-- has_database_privilege / has_schema_privilege with Materialize names: databases are the emulator's,
-- schemas are "schema" (current database) or "database.schema".
CREATE OR REPLACE FUNCTION mz_catalog.has_database_privilege(p_role text, p_database text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT pg_has_role(p_role::regrole, d.owner, 'MEMBER')
        OR mz_emulator.holds(p_role::regrole, d.privileges, mz_emulator.privilege_letter(p_privilege))
    FROM mz_emulator.databases d WHERE d.name = p_database
$$;

CREATE OR REPLACE FUNCTION mz_catalog.has_database_privilege(p_database text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT mz_catalog.has_database_privilege(session_user::text, p_database, p_privilege) $$;

CREATE OR REPLACE FUNCTION mz_emulator.resolve_schema(p_schema text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN p_schema IN ('mz_catalog', 'mz_internal', 'pg_catalog', 'information_schema') THEN p_schema
                WHEN EXISTS (SELECT FROM pg_namespace WHERE nspname = p_schema) AND strpos(p_schema, '.') > 0 THEN p_schema
                ELSE mz_emulator.pg_schema(current_setting('mz.database', true), p_schema) END
$$;

CREATE OR REPLACE FUNCTION mz_catalog.has_schema_privilege(p_role text, p_schema text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.has_schema_privilege(p_role::name, mz_emulator.resolve_schema(p_schema), p_privilege)
$$;

CREATE OR REPLACE FUNCTION mz_catalog.has_schema_privilege(p_schema text, p_privilege text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.has_schema_privilege(mz_emulator.resolve_schema(p_schema), p_privilege)
$$;

-- Before ALTER TABLE | VIEW | MATERIALIZED VIEW | SCHEMA … OWNER TO role, which PostgreSQL then runs: Materialize's
-- rule in its words (PostgreSQL would say "must be able to SET ROLE …"): the session role must own the object and be
-- a member of the new owner, unless it is a superuser or RBAC checks are off. A missing object or role is left to
-- PostgreSQL's own report.
CREATE OR REPLACE FUNCTION mz_emulator.check_owner_change(p_owner oid, p_kind text, p_name text, p_role text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_new oid := (SELECT oid FROM pg_roles WHERE rolname = p_role);
BEGIN
    IF p_owner IS NULL OR v_new IS NULL THEN
        RETURN;
    END IF;
    PERFORM mz_emulator.require_owner(p_owner, p_kind, p_name);
    IF mz_emulator.rbac_enabled() AND NOT mz_emulator.is_superuser(session_user::regrole)
       AND NOT pg_has_role(session_user, v_new, 'MEMBER') THEN
        PERFORM mz_emulator.raise('42501', format('must be a member of %s', p_role));
    END IF;
END
$$;

-- The same for a relation named as the client's statement names it (PostgreSQL spelling, search path applies).
CREATE OR REPLACE FUNCTION mz_emulator.check_relation_owner_change(p_relation text, p_role text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_oid oid := pg_catalog.to_regclass(p_relation);
BEGIN
    IF v_oid IS NOT NULL THEN
        PERFORM mz_emulator.check_owner_change((SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_oid),
            upper((mz_emulator.relation_kind(v_oid)).kind), (mz_emulator.relation_kind(v_oid)).full_name, p_role);
    END IF;
END
$$;

-- ALTER DATABASE | CLUSTER … OWNER TO role: catalog owners. As in Materialize, the session role must own
-- the object and be a member of the new owner (unless it is a superuser or RBAC checks are off); the old
-- owner's privileges pass to the new owner.
CREATE OR REPLACE PROCEDURE mz_emulator.alter_owner(p_type text, p_name text, p_role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_owner oid;
    v_new oid;
    v_acl text[];
BEGIN
    IF p_type = 'database' THEN
        PERFORM mz_emulator.check_database(p_name);
        SELECT owner, privileges INTO v_owner, v_acl FROM mz_emulator.databases WHERE name = p_name;
    ELSE
        SELECT owner, privileges INTO v_owner, v_acl FROM mz_emulator.clusters WHERE name = p_name;
        IF NOT FOUND THEN
            PERFORM mz_emulator.raise('42704', format('unknown cluster ''%s''', p_name));
        END IF;
    END IF;
    SELECT oid INTO v_new FROM pg_roles WHERE rolname = p_role;
    IF v_new IS NULL THEN
        PERFORM mz_emulator.raise('42704', format('unknown role ''%s''', p_role));
    END IF;
    PERFORM mz_emulator.require_owner(v_owner, upper(p_type), p_name);
    IF mz_emulator.rbac_enabled() AND NOT mz_emulator.is_superuser(session_user::regrole)
       AND NOT pg_has_role(session_user, v_new, 'MEMBER') THEN
        PERFORM mz_emulator.raise('42501', format('must be a member of %s', p_role));
    END IF;
    v_acl := ARRAY(SELECT regexp_replace(
                              regexp_replace(a, '^' || mz_emulator.role_id(v_owner) || '=', mz_emulator.role_id(v_new) || '='),
                              '/' || mz_emulator.role_id(v_owner) || '$', '/' || mz_emulator.role_id(v_new))
                   FROM unnest(v_acl) a);
    IF p_type = 'database' THEN
        UPDATE mz_emulator.databases SET owner = v_new, privileges = v_acl WHERE name = p_name;
    ELSE
        UPDATE mz_emulator.clusters SET owner = v_new, privileges = v_acl WHERE name = p_name;
    END IF;
END
$$;

-- ── RBAC off: sessions run as a superuser role ────────────────────────────────────────────────────
-- With enable_rbac_checks off Materialize checks no privileges at all. PostgreSQL would still check table
-- and schema privileges of the session's role, so the database's default for `role` becomes
-- mz_rbac_bypass (SUPERUSER NOLOGIN; every role is a member while checks are off): a session logging in runs with
-- current_user mz_rbac_bypass. What a client sees stays the session's role: session_user is unchanged,
-- the proxy spells current_user/current_role as mz_catalog."current_user"() (session_user, as Materialize
-- has no SET ROLE), the emulator's checks and catalog owners use session_user, and the ddl_command_end
-- trigger below gives what such a session creates to its session_user. SET enable_session_rbac_checks = on
-- sets role to none (checks on for that session only); RESET/DISCARD ALL return to the database default.
-- (mz_rbac_bypass is created at the top of this file.)

CREATE OR REPLACE FUNCTION mz_catalog."current_user"() RETURNS name
LANGUAGE sql STABLE AS $$ SELECT session_user $$;

CREATE OR REPLACE FUNCTION mz_catalog."current_role"() RETURNS name
LANGUAGE sql STABLE AS $$ SELECT session_user $$;

-- Makes p_role (or every role) a member of mz_rbac_bypass, so it may take that role: while RBAC checks are
-- off, every role at the switch (apply_rbac_switch), and each role made later before its first login (the
-- proxy calls this, EmulatorContext.EnsureBypassMember). Switching checks on revokes the memberships.
CREATE OR REPLACE FUNCTION mz_emulator.grant_rbac_bypass(p_role name DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    r record;
    v_granted boolean := false;
BEGIN
    -- Members could take the role themselves (set_config): only while RBAC checks are off anyway.
    IF mz_emulator.system_rbac_checks() THEN
        RETURN false;
    END IF;
    FOR r IN SELECT rolname FROM pg_roles
             WHERE rolname NOT LIKE 'pg\_%' AND rolname <> 'mz_rbac_bypass' AND NOT rolsuper
               AND (p_role IS NULL OR rolname = p_role)
               AND NOT EXISTS (SELECT FROM pg_auth_members m
                               WHERE m.roleid = 'mz_rbac_bypass'::regrole AND m.member = pg_roles.oid) LOOP
        EXECUTE format('GRANT mz_rbac_bypass TO %I', r.rolname);
        v_granted := true;
    END LOOP;
    RETURN v_granted;
END
$$;

-- ALTER SYSTEM SET enable_rbac_checks: the database default for `role` follows (new sessions see it).
-- Called by superusers only (bootstrap, ALTER SYSTEM), as themselves: see alter_system_set.
CREATE OR REPLACE FUNCTION mz_emulator.apply_rbac_switch() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    r record;
BEGIN
    IF mz_emulator.system_rbac_checks() THEN
        EXECUTE format('ALTER DATABASE %I RESET role', current_database());
        FOR r IN SELECT m.member::regrole AS member FROM pg_auth_members m
                 WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = 'mz_rbac_bypass') LOOP
            EXECUTE format('REVOKE mz_rbac_bypass FROM %s', r.member);
        END LOOP;
    ELSE
        PERFORM mz_emulator.grant_rbac_bypass();
        EXECUTE format('ALTER DATABASE %I SET role = %L', current_database(), 'mz_rbac_bypass');
    END IF;
END
$$;
SELECT mz_emulator.apply_rbac_switch();


-- SET / RESET enable_session_rbac_checks (p_value NULL: RESET). On: checks for this session (role none);
-- off: back to the database default (mz_rbac_bypass while the system switch is off).
CREATE OR REPLACE PROCEDURE mz_emulator.set_session_rbac_checks(p_value text, p_local boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_on boolean;
BEGIN
    IF p_value IS NULL THEN
        SELECT s.reset_val INTO p_value FROM pg_catalog.pg_settings s WHERE s.name = 'mz.enable_session_rbac_checks';
    END IF;
    v_on := coalesce(nullif(p_value, '')::boolean, false);
    PERFORM pg_catalog.set_config('mz.enable_session_rbac_checks', CASE WHEN v_on THEN 'on' ELSE 'off' END, p_local);
    IF v_on OR mz_emulator.system_rbac_checks() THEN
        PERFORM pg_catalog.set_config('role', 'none', p_local);
    ELSE
        PERFORM pg_catalog.set_config('role', 'mz_rbac_bypass', p_local);
    END IF;
END
$$;

-- What a session running as mz_rbac_bypass creates belongs to its session_user.
CREATE OR REPLACE FUNCTION mz_emulator.on_ddl_command_end() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    d record;
    v_kind "char";
BEGIN
    IF current_user <> 'mz_rbac_bypass' THEN
        RETURN;
    END IF;
    FOR d IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag LIKE 'CREATE %' LOOP
        IF d.classid = 'pg_class'::regclass THEN
            SELECT relkind INTO v_kind FROM pg_class WHERE oid = d.objid;
            IF v_kind IN ('r', 'p', 'f') THEN
                EXECUTE format('ALTER TABLE %s OWNER TO %I', d.objid::regclass, session_user);
            ELSIF v_kind = 'v' THEN
                EXECUTE format('ALTER VIEW %s OWNER TO %I', d.objid::regclass, session_user);
            ELSIF v_kind = 'm' THEN
                EXECUTE format('ALTER MATERIALIZED VIEW %s OWNER TO %I', d.objid::regclass, session_user);
            ELSIF v_kind = 'S' THEN
                EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', d.objid::regclass, session_user);
            END IF;
        ELSIF d.classid = 'pg_namespace'::regclass THEN
            EXECUTE format('ALTER SCHEMA %s OWNER TO %I', d.object_identity, session_user);
        ELSIF d.classid = 'pg_type'::regclass AND d.object_type IN ('type', 'domain') THEN
            EXECUTE format('ALTER %s %s OWNER TO %I', upper(d.object_type), d.object_identity, session_user);
        ELSIF d.classid = 'pg_proc'::regclass THEN
            EXECUTE format('ALTER ROUTINE %s OWNER TO %I', d.object_identity, session_user);
        END IF;
    END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS mz_emulator_ddl_command_end;
CREATE EVENT TRIGGER mz_emulator_ddl_command_end ON ddl_command_end EXECUTE FUNCTION mz_emulator.on_ddl_command_end();

-- DROP ROLE of a role that still owns a cluster or a database (kept in the emulator's catalog, so
-- PostgreSQL cannot see the dependency) fails as Materialize fails it.
CREATE OR REPLACE FUNCTION mz_emulator.check_role_drop(p_roles text[]) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_role text;
    v_detail text;
BEGIN
    FOREACH v_role IN ARRAY p_roles LOOP
        SELECT string_agg(d, E'\n') INTO v_detail FROM (
            SELECT format('owner of cluster %s', c.name) AS d FROM mz_emulator.clusters c JOIN pg_roles r ON r.oid = c.owner WHERE r.rolname = v_role
            UNION ALL
            SELECT format('owner of database %s', b.name) FROM mz_emulator.databases b JOIN pg_roles r ON r.oid = b.owner WHERE r.rolname = v_role) x;
        IF v_detail IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = '2BP01',
                MESSAGE = format('role "%s" cannot be dropped because some objects depend on it', v_role), DETAIL = v_detail;
        END IF;
    END LOOP;
END
$$;
