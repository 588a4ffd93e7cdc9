-- The time domain of a read transaction (docs: /sql/begin/#read-only-transactions): the first query's schemas;
-- later queries may read only objects in those schemas (Statements/TimeDomain.cs wraps the queries it checks).
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.

-- p_schemas: the user schemas (PostgreSQL spelling) a query names. The first call of a transaction records
-- them (a transaction-local setting, so the domain ends with the transaction, implicit ones included); a later
-- call naming another schema fails. STABLE, so PostgreSQL calls it once per query as a one-time filter.
CREATE OR REPLACE FUNCTION mz_emulator.in_time_domain(p_schemas text[]) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    v_domain text[] := string_to_array(nullif(current_setting('mz.time_domain', true), ''), E'\x1f');
    v_outside text[];
BEGIN
    IF v_domain IS NULL THEN
        PERFORM set_config('mz.time_domain', array_to_string(p_schemas, E'\x1f'), true);
        RETURN true;
    END IF;
    v_outside := ARRAY(SELECT s FROM unnest(p_schemas) s WHERE s <> ALL (v_domain));
    IF cardinality(v_outside) > 0 THEN
        RAISE EXCEPTION USING ERRCODE = '25000',
            MESSAGE = 'Transactions can only reference objects in the same timedomain. '
                      || 'See https://materialize.com/docs/sql/begin/#same-timedomain-error',
            DETAIL = 'The query reads schemas outside the transaction''s time domain: '
                     || (SELECT string_agg((mz_emulator.split_schema(s)).database_name || '.' || (mz_emulator.split_schema(s)).schema_name, ', ')
                         FROM unnest(v_outside) s)
                     || '. Only objects in these schemas are available: '
                     || (SELECT string_agg((mz_emulator.split_schema(s)).database_name || '.' || (mz_emulator.split_schema(s)).schema_name, ', ')
                         FROM unnest(v_domain) s) || '.';
    END IF;
    RETURN true;
END
$$;
