-- Orders as the shop writes them. Tables live in their own schema: a schema holds either
-- storage objects (tables, sources) or compute objects (views, materialized views), not both.
CREATE TABLE orders (
    id          bigint        NOT NULL,
    customer    text          NOT NULL,
    status      text          NOT NULL,  -- 'placed', 'packed' or 'shipped'
    amount      numeric(12,2) NOT NULL,
    created_at  timestamptz   NOT NULL
);

COMMENT ON TABLE orders IS 'Every order placed in the shop, one row per order.';
