-- Orders that have not shipped some time after they were placed. mz_now() makes this a
-- temporal filter: an order enters the view the moment it becomes overdue, without a refresh.
CREATE MATERIALIZED VIEW stalled_orders
IN CLUSTER orders
AS
SELECT
    o.id,
    o.customer,
    o.status,
    o.amount,
    o.created_at
FROM materialize.sales.orders AS o
WHERE mz_now() > o.created_at + INTERVAL '30 minutes'
  AND o.status <> 'shipped';

COMMENT ON MATERIALIZED VIEW stalled_orders IS 'Open orders that have waited too long to ship.';
