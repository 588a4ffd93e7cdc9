-- How many stalled orders each customer has, and since when the oldest one has been waiting.
CREATE VIEW stalled_orders_by_customer AS
SELECT
    customer,
    count(*)        AS stalled_count,
    sum(amount)     AS stalled_amount,
    min(created_at) AS oldest_created_at
FROM materialize.monitoring.stalled_orders
GROUP BY customer;

-- Keep the result in memory on the orders cluster, so lookups by customer are instant.
CREATE INDEX stalled_orders_by_customer_idx
IN CLUSTER orders
ON stalled_orders_by_customer (customer);
