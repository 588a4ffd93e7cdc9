-- mz_now() (a timestamptz here, Materialize's mz_timestamp) with a number of milliseconds since the epoch on
-- the left (`created_ms + 30000 > mz_now()`), and `<>` either way round: Materialize casts numbers to
-- mz_timestamp on either side of a comparison (docs: /sql/functions/now_and_mz_now/, /sql/types/mz_timestamp/).
-- The timestamptz-on-the-left operators are in 80-rbac.sql. Re-run on every start.
CREATE OR REPLACE FUNCTION mz_emulator.ms_lt_tstz(numeric, timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT mz_emulator.ms_to_timestamptz($1) < $2 $$;
CREATE OR REPLACE FUNCTION mz_emulator.ms_le_tstz(numeric, timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT mz_emulator.ms_to_timestamptz($1) <= $2 $$;
CREATE OR REPLACE FUNCTION mz_emulator.ms_gt_tstz(numeric, timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT mz_emulator.ms_to_timestamptz($1) > $2 $$;
CREATE OR REPLACE FUNCTION mz_emulator.ms_ge_tstz(numeric, timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT mz_emulator.ms_to_timestamptz($1) >= $2 $$;
CREATE OR REPLACE FUNCTION mz_emulator.ms_eq_tstz(numeric, timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT mz_emulator.ms_to_timestamptz($1) = $2 $$;
CREATE OR REPLACE FUNCTION mz_emulator.ms_ne_tstz(numeric, timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT mz_emulator.ms_to_timestamptz($1) <> $2 $$;
CREATE OR REPLACE FUNCTION mz_emulator.tstz_ne_ms(timestamptz, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 <> mz_emulator.ms_to_timestamptz($2) $$;
DO $$
DECLARE
    o record;
BEGIN
    FOR o IN SELECT * FROM (VALUES ('<', 'numeric', 'timestamptz', 'ms_lt_tstz'), ('<=', 'numeric', 'timestamptz', 'ms_le_tstz'),
                                   ('>', 'numeric', 'timestamptz', 'ms_gt_tstz'), ('>=', 'numeric', 'timestamptz', 'ms_ge_tstz'),
                                   ('=', 'numeric', 'timestamptz', 'ms_eq_tstz'), ('<>', 'numeric', 'timestamptz', 'ms_ne_tstz'),
                                   ('<>', 'timestamptz', 'numeric', 'tstz_ne_ms')) v(op, l, r, fn) LOOP
        IF NOT EXISTS (SELECT FROM pg_operator p JOIN pg_namespace n ON n.oid = p.oprnamespace
                       WHERE n.nspname = 'mz_catalog' AND p.oprname = o.op
                         AND p.oprleft = o.l::regtype AND p.oprright = o.r::regtype) THEN
            EXECUTE format('CREATE OPERATOR mz_catalog.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = mz_emulator.%I)', o.op, o.l, o.r, o.fn);
        END IF;
    END LOOP;
END
$$;
