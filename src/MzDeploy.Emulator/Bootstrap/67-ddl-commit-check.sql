-- A DDL transaction (BEGIN; ALTER … SWAP WITH / RENAME TO …; COMMIT) fails at COMMIT when another session
-- committed a catalog change after the transaction's first SWAP/RENAME, as Materialize fails it
-- (SQLSTATE 40001, "another session modified the catalog while this DDL transaction was open"): a deferred
-- constraint trigger runs the check as part of COMMIT, so the COMMIT itself fails and the transaction is
-- rolled back. Re-run on every start.

-- One row per transaction that changed the catalog (native DDL through the event trigger below, the
-- emulator's catalog tables through statement triggers). Unlogged: a crash forgets open transactions anyway.
CREATE UNLOGGED TABLE IF NOT EXISTS mz_emulator.catalog_changes (
    xid xid8 PRIMARY KEY,
    changed_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);

CREATE OR REPLACE FUNCTION mz_emulator.note_catalog_change() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    INSERT INTO mz_emulator.catalog_changes (xid) VALUES (pg_current_xact_id()) ON CONFLICT (xid) DO NOTHING
$$;

CREATE OR REPLACE FUNCTION mz_emulator.on_catalog_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM mz_emulator.note_catalog_change();
END
$$;

DROP EVENT TRIGGER IF EXISTS mz_emulator_catalog_changes;
CREATE EVENT TRIGGER mz_emulator_catalog_changes ON ddl_command_end EXECUTE FUNCTION mz_emulator.on_catalog_ddl();

CREATE OR REPLACE FUNCTION mz_emulator.on_catalog_table_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM mz_emulator.note_catalog_change();
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['databases', 'clusters', 'cluster_replicas', 'catalog_items', 'comments'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS catalog_changes ON mz_emulator.%I', t);
        EXECUTE format('CREATE TRIGGER catalog_changes AFTER INSERT OR UPDATE OR DELETE ON mz_emulator.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION mz_emulator.on_catalog_table_change()', t);
    END LOOP;
END
$$;

-- At COMMIT of a transaction that changed the catalog: if it is a DDL transaction (mz_emulator.begin_ddl
-- kept the snapshot of its first SWAP/RENAME), any other transaction's catalog change committed since
-- that snapshot fails it.
CREATE OR REPLACE FUNCTION mz_emulator.check_ddl_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_snapshot pg_snapshot := nullif(pg_catalog.current_setting('mz.ddl_snapshot', true), '')::pg_snapshot;
BEGIN
    IF v_snapshot IS NOT NULL AND EXISTS (
        SELECT FROM mz_emulator.catalog_changes c
        WHERE c.xid >= pg_snapshot_xmin(v_snapshot) AND c.xid <> pg_current_xact_id()
          AND NOT pg_visible_in_snapshot(c.xid, v_snapshot)) THEN
        PERFORM mz_emulator.raise('40001', 'another session modified the catalog while this DDL transaction was open');
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS check_ddl_commit ON mz_emulator.catalog_changes;
CREATE CONSTRAINT TRIGGER check_ddl_commit AFTER INSERT ON mz_emulator.catalog_changes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION mz_emulator.check_ddl_commit();

-- Called by mz_emulator.begin_ddl and rename_relation at each SWAP/RENAME: the first one keeps the snapshot
-- for the COMMIT check, arms it (this transaction's own change row), and forgets changes older than an hour.
CREATE OR REPLACE FUNCTION mz_emulator.arm_ddl_commit_check() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF coalesce(pg_catalog.current_setting('mz.ddl_snapshot', true), '') <> '' THEN
        RETURN;
    END IF;
    PERFORM pg_catalog.set_config('mz.ddl_snapshot', pg_current_snapshot()::text, true);
    PERFORM mz_emulator.note_catalog_change();
    DELETE FROM mz_emulator.catalog_changes WHERE changed_at < pg_catalog.clock_timestamp() - interval '1 hour';
END
$$;
