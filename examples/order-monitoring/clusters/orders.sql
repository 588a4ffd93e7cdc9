-- Compute for the order-monitoring views: keeps stalled_orders and the per-customer index up to date.
CREATE CLUSTER orders (SIZE = '25cc');
