-- The statement log and injected faults.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
-- ── Test knobs and the statement log ──────────────────────────────────────────────────────────────
-- The proxy keeps both in memory (Hosting/StatementRecorder.cs): it logs and checks every client
-- statement itself and appends the log to mz_emulator.statement_log in batches. It reloads the faults
-- when a session that mentioned them goes idle, and on the NOTIFY these functions send.

-- Before the proxy kept the log itself, it called this for every statement.
DROP FUNCTION IF EXISTS mz_emulator.record_statement(int, text);

CREATE OR REPLACE FUNCTION mz_emulator.inject_fault(
    p_pattern text, p_nth int DEFAULT 1, p_action text DEFAULT 'error',
    p_message text DEFAULT 'fault injected by the emulator') RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v_id int;
BEGIN
    INSERT INTO mz_emulator.faults (pattern, nth, action, message)
    VALUES (p_pattern, p_nth, p_action, p_message) RETURNING id INTO v_id;
    PERFORM pg_notify('mz_emulator_faults', v_id::text);
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.clear_faults() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    DELETE FROM mz_emulator.faults;
    PERFORM pg_notify('mz_emulator_faults', '');
END
$$;

CREATE OR REPLACE FUNCTION mz_emulator.clear_statement_log() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ TRUNCATE mz_emulator.statement_log $$;

GRANT SELECT ON mz_emulator.statement_log, mz_emulator.faults TO PUBLIC;

-- The log is test tooling written in bulk while clients run: unlogged (no WAL), so recording costs
-- PostgreSQL as little as possible. A clean stop keeps it; a crash of PostgreSQL empties it.
DO $$
BEGIN
    IF (SELECT relpersistence FROM pg_catalog.pg_class WHERE oid = 'mz_emulator.statement_log'::regclass) = 'p' THEN
        ALTER TABLE mz_emulator.statement_log SET UNLOGGED;
    END IF;
END
$$;
