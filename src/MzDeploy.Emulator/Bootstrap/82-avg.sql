-- avg() of integers and numerics as Materialize computes it (docs: /sql/functions/#aggregate-functions: "Returns
-- numeric if x is int"; /sql/types/numeric/: 39 digits of precision, scale at most 39, "Materialize trims all
-- trailing zeroes off of numeric values"): avg(1, 2) is 1.5 (PostgreSQL: 1.5000000000000000) and avg(1, 2, 2) is
-- 1.66666666666666666666666666666666666667 (PostgreSQL stops at 16 significant digits). The aggregates live in
-- mz_catalog, which every session's search_path puts before pg_catalog (mz_emulator.pg_search_path), so an
-- unqualified avg(int) finds them and avg of any other type (real, double precision, interval) PostgreSQL's.
-- Re-run on every start.

-- A numeric rounded to 39 significant digits (at most 39 after the point), trailing zeros trimmed.
CREATE OR REPLACE FUNCTION mz_emulator.numeric_39(p_value numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT pg_catalog.trim_scale(CASE WHEN p_value = 0 THEN 0::numeric
        ELSE pg_catalog.round(p_value, least(39, 38 - pg_catalog.floor(pg_catalog.log(pg_catalog.abs(p_value)))::int)) END)
$$;

-- The quotient with 40 digits after the point before rounding (PostgreSQL's division keeps about 16).
CREATE OR REPLACE FUNCTION mz_emulator.avg_quotient(p_sum numeric, p_count numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_count = 0 THEN NULL
                ELSE mz_emulator.numeric_39((p_sum + 0.0000000000000000000000000000000000000000) / p_count) END
$$;

-- smallint and integer: PostgreSQL's own transition functions (state {count, sum} as bigint[]).
CREATE OR REPLACE FUNCTION mz_emulator.avg_int_final(p_state bigint[]) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT mz_emulator.avg_quotient(p_state[2]::numeric, p_state[1]::numeric) $$;

-- bigint and numeric: state {count, sum} as numeric[]; STRICT, so NULL inputs are skipped as avg skips them.
CREATE OR REPLACE FUNCTION mz_emulator.avg_bigint_step(p_state numeric[], p_value bigint) RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT ARRAY[p_state[1] + 1, p_state[2] + p_value] $$;
CREATE OR REPLACE FUNCTION mz_emulator.avg_numeric_step(p_state numeric[], p_value numeric) RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT ARRAY[p_state[1] + 1, p_state[2] + p_value] $$;
CREATE OR REPLACE FUNCTION mz_emulator.avg_numeric_final(p_state numeric[]) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT mz_emulator.avg_quotient(p_state[2], p_state[1]) $$;

CREATE OR REPLACE AGGREGATE mz_catalog.avg(smallint) (
    SFUNC = pg_catalog.int2_avg_accum, STYPE = bigint[], INITCOND = '{0,0}', FINALFUNC = mz_emulator.avg_int_final);
CREATE OR REPLACE AGGREGATE mz_catalog.avg(integer) (
    SFUNC = pg_catalog.int4_avg_accum, STYPE = bigint[], INITCOND = '{0,0}', FINALFUNC = mz_emulator.avg_int_final);
CREATE OR REPLACE AGGREGATE mz_catalog.avg(bigint) (
    SFUNC = mz_emulator.avg_bigint_step, STYPE = numeric[], INITCOND = '{0,0}', FINALFUNC = mz_emulator.avg_numeric_final);
CREATE OR REPLACE AGGREGATE mz_catalog.avg(numeric) (
    SFUNC = mz_emulator.avg_numeric_step, STYPE = numeric[], INITCOND = '{0,0}', FINALFUNC = mz_emulator.avg_numeric_final);
