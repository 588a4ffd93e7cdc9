-- The columns of a table made from a source without a column list (CREATE TABLE t FROM SOURCE s (REFERENCE …)).
-- Part of the emulator's definitions: re-run on every start (CREATE OR REPLACE), in file-name order.
-- ── What is knowable without the upstream system ───────────────────────────────────────────────────

-- The tables of Materialize's load generators (PostgreSQL's spelling of their types): COUNTER and CLOCK
-- have one output each, whatever the reference; AUCTION, MARKETING and TPCH one table per reference.
CREATE OR REPLACE FUNCTION mz_emulator.load_generator_columns(p_generator text, p_reference text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT columns FROM (VALUES
        ('COUNTER', NULL, 'counter bigint'),
        ('CLOCK', NULL, '"time" timestamptz'),
        ('KEY VALUE', NULL, 'key bytea, value bytea'),
        ('AUCTION', 'organizations', 'id bigint, name text'),
        ('AUCTION', 'users', 'id bigint, org_id bigint, name text'),
        ('AUCTION', 'accounts', 'id bigint, org_id bigint, balance bigint'),
        ('AUCTION', 'auctions', 'id bigint, seller bigint, item text, end_time timestamptz'),
        ('AUCTION', 'bids', 'id bigint, buyer bigint, auction_id bigint, amount integer, bid_time timestamptz'),
        ('MARKETING', 'customers', 'id bigint, email text, income bigint'),
        ('MARKETING', 'impressions', 'id bigint, customer_id bigint, campaign_id bigint, impression_time timestamptz'),
        ('MARKETING', 'clicks', 'impression_id bigint, click_time timestamptz'),
        ('MARKETING', 'leads', 'id bigint, customer_id bigint, created_at timestamptz, converted_at timestamptz, conversion_amount bigint'),
        ('MARKETING', 'coupons', 'id bigint, lead_id bigint, created_at timestamptz, amount integer'),
        ('MARKETING', 'conversion_predictions', 'lead_id bigint, experiment_bucket text, predicted_at timestamptz, score double precision'),
        ('TPCH', 'region', 'r_regionkey integer, r_name text, r_comment text'),
        ('TPCH', 'nation', 'n_nationkey integer, n_name text, n_regionkey integer, n_comment text'),
        ('TPCH', 'supplier', 's_suppkey bigint, s_name text, s_address text, s_nationkey integer, s_phone text, s_acctbal numeric, s_comment text'),
        ('TPCH', 'part', 'p_partkey bigint, p_name text, p_mfgr text, p_brand text, p_type text, p_size integer, p_container text, p_retailprice numeric, p_comment text'),
        ('TPCH', 'partsupp', 'ps_partkey bigint, ps_suppkey bigint, ps_availqty integer, ps_supplycost numeric, ps_comment text'),
        ('TPCH', 'customer', 'c_custkey bigint, c_name text, c_address text, c_nationkey integer, c_phone text, c_acctbal numeric, c_mktsegment text, c_comment text'),
        ('TPCH', 'orders', 'o_orderkey bigint, o_custkey bigint, o_orderstatus text, o_totalprice numeric, o_orderdate date, o_orderpriority text, o_clerk text, o_shippriority integer, o_comment text'),
        ('TPCH', 'lineitem', 'l_orderkey bigint, l_partkey bigint, l_suppkey bigint, l_linenumber integer, l_quantity numeric, l_extendedprice numeric, l_discount numeric, l_tax numeric, l_returnflag text, l_linestatus text, l_shipdate date, l_commitdate date, l_receiptdate date, l_shipinstruct text, l_shipmode text, l_comment text')
    ) AS g (generator, reference, columns)
    WHERE g.generator = p_generator AND (g.reference IS NULL OR g.reference = p_reference)
$$;

-- The columns for a table from source p_source_id when the statement lists none: p_reference is the last part
-- of REFERENCE, p_format the word after the table's FORMAT (else the source's), p_text_columns the TEXT COLUMNS
-- option. Load generators: their known tables (an unknown reference fails as in Materialize). Kafka: one
-- column per format (JSON → data jsonb, TEXT → text text, BYTES or none → data bytea; AVRO/PROTOBUF need the
-- schema registry: no columns). PostgreSQL, MySQL, SQL Server: the upstream table is out of reach, so only the
-- TEXT COLUMNS are known (text); list the columns in the statement to get the others.
CREATE OR REPLACE FUNCTION mz_emulator.source_table_columns(
    p_source_id text, p_reference text, p_format text, p_text_columns text[]) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    i mz_emulator.catalog_items;
    v_generator text;
    v_format text;
    v_columns text;
BEGIN
    SELECT * INTO i FROM mz_emulator.catalog_items WHERE id = p_source_id;
    CASE i.connector
        WHEN 'load-generator' THEN
            v_generator := upper(regexp_replace(substring(i.create_sql FROM '(?i)load\s+generator\s+(key\s+value|\w+)'), '\s+', ' ', 'g'));
            v_columns := mz_emulator.load_generator_columns(v_generator, p_reference);
            IF v_columns IS NULL THEN
                PERFORM mz_emulator.raise('42704', format('reference to %s not found in source', coalesce(p_reference, '(none)')));
            END IF;
            RETURN v_columns;
        WHEN 'kafka' THEN
            v_format := upper(coalesce(p_format, substring(i.create_sql FROM '(?i)\mformat\s+(\w+)')));
            RETURN CASE v_format
                WHEN 'JSON' THEN 'data jsonb'
                WHEN 'TEXT' THEN 'text text'
                WHEN 'BYTES' THEN 'data bytea'
                WHEN 'AVRO' THEN ''
                WHEN 'PROTOBUF' THEN ''
                ELSE 'data bytea' END;
        ELSE
            RETURN coalesce((SELECT string_agg(quote_ident(c) || ' text', ', ') FROM unnest(p_text_columns) c), '');
    END CASE;
END
$$;
