-- Clusters and replicas.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
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

-- The cluster's id, its row locked for the rest of the transaction. A concurrent transaction that
-- renamed or swapped the cluster first makes this fail (the name no longer matches once it commits),
-- as Materialize fails the later of two racing DDL transactions.
CREATE OR REPLACE FUNCTION mz_emulator.lock_cluster(p_name text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    v text;
BEGIN
    SELECT id INTO v FROM mz_emulator.clusters WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN
        IF EXISTS (SELECT FROM mz_emulator.clusters WHERE name = p_name) THEN
            PERFORM mz_emulator.raise('40001', 'another session modified the catalog while this DDL transaction was open');
        END IF;
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

-- ── Sizes, availability zones, limits ─────────────────────────────────────────────────────────────
-- Materialize refuses a size its region does not offer (`unknown cluster replica size abc`, with the
-- valid ones as a hint). The emulator offers Cloud's sizes (cc, C, M.1 and the older t-shirt names)
-- and the sizes of a local Materialize (`1`, `2-2`, `scale=1,workers=1`, …), listed in
-- mz_catalog.mz_cluster_replica_sizes.
INSERT INTO mz_emulator.replica_sizes (size, processes, workers, cpu_nano_cores, memory_bytes, disk_bytes, credits_per_hour)
SELECT v.size, v.processes, v.workers, v.workers::bigint * 500000000, v.workers::bigint * 4294967296, v.workers::bigint * 17179869184, v.workers * 0.25
FROM (VALUES ('300cc', 1, 6), ('600cc', 1, 12), ('800cc', 1, 16), ('1200cc', 1, 24), ('1600cc', 1, 32), ('3200cc', 1, 64),
             ('6400cc', 1, 128), ('128C', 1, 256), ('256C', 1, 512), ('512C', 1, 1024),
             ('M.1-nano', 1, 1), ('M.1-micro', 1, 1), ('M.1-xsmall', 1, 2), ('M.1-small', 1, 4), ('M.1-medium', 1, 8),
             ('M.1-large', 1, 16), ('M.1-1.5xlarge', 1, 24), ('M.1-2xlarge', 1, 32), ('M.1-3xlarge', 1, 48),
             ('M.1-4xlarge', 1, 64), ('M.1-8xlarge', 1, 128), ('M.1-16xlarge', 1, 256), ('M.1-32xlarge', 1, 512),
             ('M.1-64xlarge', 1, 1024), ('M.1-128xlarge', 1, 2048),
             ('3xsmall', 1, 1), ('2xsmall', 1, 1), ('xlarge', 1, 16), ('2xlarge', 1, 32),
             ('1', 1, 1), ('2', 1, 2), ('4', 1, 4), ('8', 1, 8), ('16', 1, 16), ('32', 1, 32),
             ('2-1', 2, 1), ('2-2', 2, 2), ('2-4', 2, 4),
             ('scale=1,workers=1', 1, 1), ('scale=1,workers=2', 1, 2), ('scale=1,workers=4', 1, 4),
             ('scale=1,workers=8', 1, 8), ('scale=2,workers=1', 2, 1), ('scale=2,workers=2', 2, 2),
             ('scale=2,workers=4', 2, 4), ('scale=4,workers=4', 4, 4)) AS v (size, processes, workers)
ON CONFLICT (size) DO NOTHING;

CREATE OR REPLACE FUNCTION mz_emulator.check_replica_size(p_size text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_size IS NOT NULL AND NOT EXISTS (SELECT FROM mz_emulator.replica_sizes WHERE size = p_size) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown cluster replica size %s', p_size),
            HINT = 'Valid cluster replica sizes are: '
                   || (SELECT string_agg(size, ', ' ORDER BY credits_per_hour, size) FROM mz_emulator.replica_sizes);
    END IF;
END
$$;

-- The emulator's region has the availability zones use1-az1 … use1-az6 (AWS us-east-1's names);
-- AVAILABILITY ZONES = ('…', …) naming another, or one twice, is refused as Materialize refuses it.
CREATE OR REPLACE FUNCTION mz_emulator.check_availability_zones(p_value text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
    v_zones text[] := ARRAY(SELECT m[1] FROM regexp_matches(coalesce(p_value, ''), '''((?:[^'']|'''')*)''', 'g') m);
    v_zone text;
BEGIN
    IF p_value IS NULL THEN
        RETURN;
    END IF;
    FOREACH v_zone IN ARRAY v_zones LOOP
        IF v_zone NOT IN ('use1-az1', 'use1-az2', 'use1-az3', 'use1-az4', 'use1-az5', 'use1-az6') THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown cluster replica availability zone %s', v_zone),
                HINT = 'Valid availability zones are: use1-az1, use1-az2, use1-az3, use1-az4, use1-az5, use1-az6';
        END IF;
    END LOOP;
    IF (SELECT count(DISTINCT z) FROM unnest(v_zones) z) <> cardinality(v_zones) THEN
        PERFORM mz_emulator.raise('22023', 'AVAILABILITY ZONES must not contain duplicates');
    END IF;
END
$$;

-- Materialize limits the replicas of one cluster (system variable max_replicas_per_cluster, 5 by default
-- in Cloud); an absurd REPLICATION FACTOR fails instead of creating thousands of rows.
CREATE OR REPLACE FUNCTION mz_emulator.check_replica_limit(p_desired bigint, p_current bigint) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_desired > 5 THEN
        PERFORM mz_emulator.raise('54000', format(
            'creating cluster replica would violate max_replicas_per_cluster limit (desired: %s, limit: 5, current: %s)',
            p_desired, p_current));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.check_cluster_modifiable(p_id text, p_name text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_id LIKE 's%' THEN
        PERFORM mz_emulator.raise('42501', format('system cluster ''%s'' cannot be modified', p_name));
    END IF;
    PERFORM mz_emulator.require_owner((SELECT owner FROM mz_emulator.clusters WHERE id = p_id), 'CLUSTER', p_name);
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

-- A cluster option's value as Materialize prints it in SHOW CREATE CLUSTER: INTROSPECTION DEBUGGING a
-- boolean, INTROSPECTION INTERVAL an interval literal (INTERVAL '00:00:01'), SCHEDULE = MANUAL in capitals;
-- every other option (AUTO SCALING STRATEGY, AVAILABILITY ZONES, options the emulator does not know) as
-- written, so a clone made from SHOW CREATE CLUSTER gets exactly what the original was given.
CREATE OR REPLACE FUNCTION mz_emulator.cluster_option_value(p_option text, p_value text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
    v text := btrim(p_value);
    v_plain text;
BEGIN
    -- The value without a leading INTERVAL keyword and without its quotes.
    v_plain := regexp_replace(v, '^interval\s+', '', 'i');
    IF v_plain ~ '^''.*''$' THEN
        v_plain := replace(substr(v_plain, 2, length(v_plain) - 2), '''''', '''');
    END IF;
    CASE p_option
        WHEN 'INTROSPECTION DEBUGGING' THEN
            CASE lower(v_plain)
                WHEN 'true', 'on', 't' THEN RETURN 'true';
                WHEN 'false', 'off', 'f' THEN RETURN 'false';
                ELSE PERFORM mz_emulator.raise('22023', format('invalid INTROSPECTION DEBUGGING: %s', v));
            END CASE;
        WHEN 'INTROSPECTION INTERVAL' THEN
            BEGIN
                RETURN 'INTERVAL ' || quote_literal(CASE WHEN v_plain ~ '^[0-9]+$' THEN (v_plain || ' seconds')::interval
                                                         ELSE v_plain::interval END::text);
            EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow THEN
                PERFORM mz_emulator.raise('22023', format('invalid INTROSPECTION INTERVAL: %s', v));
            END;
        WHEN 'SCHEDULE' THEN
            RETURN CASE WHEN upper(v) = 'MANUAL' THEN 'MANUAL' ELSE v END;
        ELSE
            RETURN v;
    END CASE;
    RETURN v;
END
$$;

-- A cluster with a SCHEDULE other than MANUAL (ON REFRESH …) gets its replicas from the schedule, so
-- Materialize refuses a REPLICATION FACTOR given with it (create and alter alike).
CREATE OR REPLACE FUNCTION mz_emulator.check_schedule_replication(p_schedule text, p_replication_factor_given boolean) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_replication_factor_given AND upper(btrim(coalesce(p_schedule, 'MANUAL'))) <> 'MANUAL' THEN
        PERFORM mz_emulator.raise('42601', 'REPLICATION FACTOR cannot be given together with any SCHEDULE other than MANUAL');
    END IF;
END
$$;

-- Options as written → as kept (see cluster_option_value).
CREATE OR REPLACE FUNCTION mz_emulator.cluster_options(p_options jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT coalesce(jsonb_object_agg(key, mz_emulator.cluster_option_value(key, value)), '{}')
    FROM jsonb_each_text(coalesce(p_options, '{}'))
$$;

-- WORKLOAD CLASS labels a cluster's metrics; Materialize keeps it for its system user (mz_system, here the
-- PostgreSQL superuser the emulator runs as), so a client's CREATE or ALTER naming it is refused.
CREATE OR REPLACE FUNCTION mz_emulator.check_workload_class(p_options jsonb) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_options ? 'WORKLOAD CLASS' AND session_user <> 'postgres' THEN
        PERFORM mz_emulator.raise('42501', 'WORKLOAD CLASS may only be set by the mz_system user');
    END IF;
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
    PERFORM mz_emulator.check_schedule_replication(p_options->>'SCHEDULE', p_replication_factor IS NOT NULL);
    PERFORM mz_emulator.check_workload_class(p_options);
    PERFORM mz_emulator.check_replica_size(p_size);
    PERFORM mz_emulator.check_replica_size(s) FROM unnest(p_replica_sizes) s;
    PERFORM mz_emulator.check_availability_zones(p_options->>'AVAILABILITY ZONES');
    PERFORM mz_emulator.check_replica_limit(
        CASE WHEN p_managed THEN coalesce(p_replication_factor, 1) ELSE coalesce(array_length(p_replica_names, 1), 0) END, 0);
    BEGIN  -- a racing CREATE CLUSTER of the same name waits here for the first and then fails (see create_schema)
        INSERT INTO mz_emulator.clusters (id, name, managed, size, replication_factor, options, owner, privileges)
        VALUES (v_id, p_name, p_managed, p_size,
                CASE WHEN p_managed THEN coalesce(p_replication_factor, 1) END,
                mz_emulator.cluster_options(p_options), session_user::regrole,
                ARRAY[mz_emulator.role_id(session_user::regrole) || '=UC/' || mz_emulator.role_id(session_user::regrole)]);
    EXCEPTION WHEN unique_violation THEN
        PERFORM mz_emulator.raise('42710', format('cluster ''%s'' already exists', p_name));
    END;
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
    PERFORM mz_emulator.check_workload_class(p_options);
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
    PERFORM mz_emulator.check_schedule_replication(coalesce(p_options->>'SCHEDULE', c.options->>'SCHEDULE'), p_options ? 'REPLICATION FACTOR');
    IF p_options ? 'REPLICATION FACTOR' THEN
        IF NOT c.managed THEN
            PERFORM mz_emulator.raise('42601', 'REPLICATION FACTOR is only valid for managed clusters');
        END IF;
        c.replication_factor := (p_options->>'REPLICATION FACTOR')::int;
    END IF;
    PERFORM mz_emulator.check_replica_size(c.size);
    PERFORM mz_emulator.check_availability_zones(p_options->>'AVAILABILITY ZONES');
    IF c.managed THEN
        PERFORM mz_emulator.check_replica_limit(c.replication_factor,
            (SELECT count(*) FROM mz_emulator.cluster_replicas WHERE cluster_id = c.id));
    END IF;
    UPDATE mz_emulator.clusters
    SET managed = c.managed, size = c.size, replication_factor = c.replication_factor,
        options = c.options || mz_emulator.cluster_options(p_options - 'SIZE' - 'REPLICATION FACTOR' - 'MANAGED')
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
    PERFORM mz_emulator.check_workload_class(jsonb_object(p_options, p_options));
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
    v_id text := mz_emulator.lock_cluster(p_name);
BEGIN
    PERFORM mz_emulator.begin_ddl();
    PERFORM mz_emulator.check_cluster_modifiable(v_id, p_name);
    PERFORM mz_emulator.check_cluster_name(p_new_name);
    UPDATE mz_emulator.clusters SET name = p_new_name WHERE id = v_id;
END
$$;

CREATE OR REPLACE PROCEDURE mz_emulator.swap_clusters(p_name text, p_other text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_a text := mz_emulator.lock_cluster(p_name);
    v_b text := mz_emulator.lock_cluster(p_other);
BEGIN
    PERFORM mz_emulator.begin_ddl();
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
        -- As Materialize: what depends on the cluster's objects goes too. Sinks on other clusters that read a
        -- materialized view of this one, and tables fed by its sources, are no PostgreSQL dependents of
        -- them, so they are dropped here; views over the materialized views go by PostgreSQL's CASCADE.
        DELETE FROM mz_emulator.catalog_items
        WHERE kind = 'sink' AND referenced && ARRAY(SELECT mz_emulator.relation_id(m.oid) FROM mz_emulator.relation_meta m
                                                    WHERE m.cluster_id = v_id);
        FOR r IN SELECT m.oid FROM mz_emulator.relation_meta m
                 WHERE m.source_id IN (SELECT id FROM mz_emulator.catalog_items WHERE cluster_id = v_id AND kind = 'source') LOOP
            IF EXISTS (SELECT FROM pg_class WHERE oid = r.oid) THEN
                EXECUTE format('DROP TABLE %s CASCADE', r.oid::regclass);
            END IF;
        END LOOP;
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
        PERFORM mz_emulator.raise('0A000', format('cannot modify managed cluster %s', c.name));
    END IF;
    IF p_size IS NULL THEN
        PERFORM mz_emulator.raise('42601', 'must specify SIZE for a cluster replica');
    END IF;
    PERFORM mz_emulator.check_replica_size(p_size);
    PERFORM mz_emulator.check_replica_limit(
        (SELECT count(*) FROM mz_emulator.cluster_replicas WHERE cluster_id = c.id) + 1,
        (SELECT count(*) FROM mz_emulator.cluster_replicas WHERE cluster_id = c.id));
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
        PERFORM mz_emulator.raise('0A000', format('cannot modify managed cluster %s', c.name));
    END IF;
    DELETE FROM mz_emulator.cluster_replicas WHERE cluster_id = c.id AND name = p_replica;
END
$$;

-- SHOW CREATE CLUSTER in Materialize's form: the name always quoted; for a managed cluster its
-- introspection settings, MANAGED, REPLICATION FACTOR, SIZE and SCHEDULE, defaults included (INTROSPECTION
-- DEBUGGING = false, INTROSPECTION INTERVAL = INTERVAL '00:00:01', SCHEDULE = MANUAL), then every other option
-- given (AUTO SCALING STRATEGY, AVAILABILITY ZONES, …) in name order, value as written.
CREATE OR REPLACE FUNCTION mz_emulator.show_create_cluster(p_name text)
RETURNS TABLE (name text, create_sql text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    c mz_emulator.clusters;
    v_options text[] := '{}';
    v_fixed text[] := ARRAY['INTROSPECTION DEBUGGING', 'INTROSPECTION INTERVAL', 'SCHEDULE'];
    k text;
BEGIN
    SELECT * INTO c FROM mz_emulator.clusters WHERE id = mz_emulator.cluster_id(p_name);
    IF c.managed THEN
        v_options := ARRAY[
            'INTROSPECTION DEBUGGING = ' || coalesce(c.options->>'INTROSPECTION DEBUGGING', 'false'),
            'INTROSPECTION INTERVAL = ' || coalesce(c.options->>'INTROSPECTION INTERVAL', 'INTERVAL ''00:00:01'''),
            'MANAGED = true',
            'REPLICATION FACTOR = ' || c.replication_factor,
            'SIZE = ' || quote_literal(c.size),
            'SCHEDULE = ' || coalesce(c.options->>'SCHEDULE', 'MANUAL')];
        -- A scheduled cluster's replicas follow its schedule: no REPLICATION FACTOR, so the statement can be run again.
        IF upper(coalesce(c.options->>'SCHEDULE', 'MANUAL')) <> 'MANUAL' THEN
            v_options := array_remove(v_options, 'REPLICATION FACTOR = ' || c.replication_factor);
        END IF;
    ELSE
        v_fixed := '{}';
        v_options := ARRAY['MANAGED = false', 'REPLICAS (' || coalesce((
            SELECT string_agg(mz_emulator.quoted(r.name) || ' (SIZE = ' || quote_literal(r.size) || ')', ', ' ORDER BY r.name)
            FROM mz_emulator.cluster_replicas r WHERE r.cluster_id = c.id), '') || ')'];
    END IF;
    FOR k IN SELECT jsonb_object_keys(c.options) ORDER BY 1 LOOP
        IF NOT k = ANY (v_fixed) THEN
            v_options := v_options || (k || ' = ' || (c.options->>k));
        END IF;
    END LOOP;
    name := c.name;
    create_sql := 'CREATE CLUSTER ' || mz_emulator.quoted(c.name) || ' (' || array_to_string(v_options, ', ') || ')';
    RETURN NEXT;
END
$$;
