-- mz_timestamp, Materialize's type of mz_now(): here a domain over timestamptz (what mz_now() returns in the
-- emulator), so `CAST('2024-01-15 12:00:00' AS mz_timestamp)` works and compares with timestamps as mz_now() does.
-- Unit tests lower `AT TIME '…'` to exactly that cast (docs: /sql/types/mz_timestamp/). Materialize also reads a
-- number of milliseconds since the epoch as an mz_timestamp; this domain reads only timestamp text.
-- Re-run on every start.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE n.nspname = 'mz_catalog' AND t.typname = 'mz_timestamp') THEN
        CREATE DOMAIN mz_catalog.mz_timestamp AS timestamptz;
    END IF;
END
$$;
GRANT USAGE ON DOMAIN mz_catalog.mz_timestamp TO PUBLIC;
