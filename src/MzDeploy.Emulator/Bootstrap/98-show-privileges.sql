-- SHOW PRIVILEGES (docs: /sql/show-privileges/) and the mz_internal views it reads: every privilege on the
-- system, clusters, databases, user schemas and user objects, one row per privilege, with role NAMES (grantor,
-- grantee; PUBLIC for everyone) where the catalogs' privileges columns hold mz_aclitem text with role ids.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), after the catalog views.

CREATE OR REPLACE VIEW mz_internal.mz_show_schema_privileges AS
SELECT mz_emulator.role_name(a.grantor) AS grantor, mz_emulator.role_name(a.grantee) AS grantee,
       d.name AS database, s.name, a.privilege_type, a.grantee AS grantee_id
FROM mz_catalog.mz_schemas s
LEFT JOIN mz_catalog.mz_databases d ON d.id = s.database_id,
     mz_internal.mz_aclexplode(s.privileges) a
WHERE s.id LIKE 'u%';

CREATE OR REPLACE VIEW mz_internal.mz_show_object_privileges AS
SELECT mz_emulator.role_name(a.grantor) AS grantor, mz_emulator.role_name(a.grantee) AS grantee,
       d.name AS database, s.name AS schema, o.name, o.type AS object_type, a.privilege_type, a.grantee AS grantee_id
FROM mz_catalog.mz_objects o
JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id
LEFT JOIN mz_catalog.mz_databases d ON d.id = s.database_id,
     mz_internal.mz_aclexplode(o.privileges) a
WHERE o.id LIKE 'u%';

CREATE OR REPLACE VIEW mz_internal.mz_show_all_privileges AS
SELECT grantor, grantee, NULL::text AS database, NULL::text AS schema, NULL::text AS name, 'system'::text AS object_type,
       privilege_type
FROM mz_internal.mz_show_system_privileges
UNION ALL
SELECT grantor, grantee, NULL, NULL, name, 'cluster', privilege_type FROM mz_internal.mz_show_cluster_privileges
UNION ALL
SELECT DISTINCT grantor, grantee, NULL, NULL, name, 'database', privilege_type FROM mz_internal.mz_show_database_privileges
UNION ALL
SELECT grantor, grantee, database, NULL, name, 'schema', privilege_type FROM mz_internal.mz_show_schema_privileges
UNION ALL
SELECT grantor, grantee, database, schema, name, object_type, privilege_type FROM mz_internal.mz_show_object_privileges;

-- Whether the privileges of p_grantee (a role name, or PUBLIC) are p_role's: its own, a role's it is a member
-- of, and PUBLIC's (SHOW PRIVILEGES FOR role).
CREATE OR REPLACE FUNCTION mz_emulator.privileges_apply_to(p_grantee text, p_role text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT p_grantee = 'PUBLIC'
        OR EXISTS (SELECT FROM pg_roles r WHERE r.rolname = p_grantee AND pg_has_role(p_role::regrole, r.oid, 'MEMBER'))
$$;

GRANT SELECT ON ALL TABLES IN SCHEMA mz_internal TO PUBLIC;
