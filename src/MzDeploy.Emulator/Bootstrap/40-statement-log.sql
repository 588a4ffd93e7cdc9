-- The statement log and injected faults.
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
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
