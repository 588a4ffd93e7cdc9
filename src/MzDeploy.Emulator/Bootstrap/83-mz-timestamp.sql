-- mz_timestamp, Materialize's type of mz_now(): here a domain over timestamptz (what mz_now() returns in the
-- emulator), so `CAST('2024-01-15 12:00:00' AS mz_timestamp)` works and compares with timestamps as mz_now() does.
-- Unit tests lower `AT TIME '…'` to exactly that cast (docs: /sql/types/mz_timestamp/). Materialize also reads a
-- number of milliseconds since the epoch (a number, or text holding one) as an mz_timestamp; a domain cast can only
-- read its base type's text, so the emulator rewrites every cast to mz_timestamp into mz_emulator.to_mz_timestamp
-- (Statements/MzTimestampCasts.cs), which reads both. Re-run on every start.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE n.nspname = 'mz_catalog' AND t.typname = 'mz_timestamp') THEN
        CREATE DOMAIN mz_catalog.mz_timestamp AS timestamptz;
    END IF;
END
$$;
GRANT USAGE ON DOMAIN mz_catalog.mz_timestamp TO PUBLIC;

-- Milliseconds since the epoch (integers and numerics cast implicitly to numeric). Materialize's range starts at 0.
CREATE OR REPLACE FUNCTION mz_emulator.to_mz_timestamp(p_ms numeric) RETURNS mz_catalog.mz_timestamp
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_ms < 0 THEN
        PERFORM mz_emulator.raise('22008', 'mz_timestamp out of range');
    END IF;
    RETURN mz_emulator.ms_to_timestamptz(p_ms)::mz_catalog.mz_timestamp;
END
$$;

-- timestamptz, timestamp and date (the last two cast implicitly to timestamptz), as Materialize casts them.
CREATE OR REPLACE FUNCTION mz_emulator.to_mz_timestamp(p_at timestamptz) RETURNS mz_catalog.mz_timestamp
LANGUAGE sql IMMUTABLE AS $$ SELECT p_at::mz_catalog.mz_timestamp $$;

-- Text: milliseconds since the epoch, or a timestamp as timestamptz reads it. STABLE: timestamptz text depends on
-- the session's time zone.
CREATE OR REPLACE FUNCTION mz_emulator.to_mz_timestamp(p_text text) RETURNS mz_catalog.mz_timestamp
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_text ~ '^\s*[0-9]+(\.[0-9]*)?\s*$' THEN
        RETURN mz_emulator.to_mz_timestamp(p_text::numeric);
    END IF;
    BEGIN
        RETURN p_text::timestamptz::mz_catalog.mz_timestamp;
    EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
        PERFORM mz_emulator.raise('22007', format('invalid input syntax for type mz_timestamp: "%s"', p_text));
    END;
    RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION mz_emulator.to_mz_timestamp(numeric), mz_emulator.to_mz_timestamp(timestamptz),
    mz_emulator.to_mz_timestamp(text) TO PUBLIC;
