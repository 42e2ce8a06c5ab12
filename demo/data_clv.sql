-- crm_kpi demo, CLV family: the orders of the demo customers, generated in SQL.
--
--   psql -f demo/data.sql -f demo/data_clv.sql      (demo/run does this)
--
-- Deterministic (demo_random of demo/data.sql, keyed by customer and order):
-- every run on every PostgreSQL version gives the same rows.  Each customer of
-- demo/data.sql buys the way the BG/NBD model assumes: a personal purchase
-- rate (some buy every few weeks, most rarely) and, after each purchase, a
-- personal chance of leaving for good; a personal mean order value, higher
-- for larger segments.  Enterprise and referral customers buy more often and
-- stay longer.  About 2 % of orders are refunds (negative amounts); the cost
-- of goods is 55-65 % of the amount.  Orders run from 2024-01-01 to
-- 2025-06-30; demo/report_clv.sql calibrates on orders up to 2025-03-31 and
-- checks its predictions against the last quarter.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS clv_orders CASCADE;

CREATE TABLE clv_orders (
	order_id    integer PRIMARY KEY,
	customer_id integer NOT NULL REFERENCES customers,
	order_date  date NOT NULL,
	amount      numeric(12,2) NOT NULL,    -- negative: a refund
	cost        numeric(12,2) NOT NULL
);

COMMENT ON TABLE clv_orders IS
	'demo: customer orders 2024-01-01..2025-06-30 (amount and cost of goods, refunds negative), for the CLV report';

CREATE TEMP TABLE buyer AS
WITH r AS MATERIALIZED (
	SELECT c.customer_id, c.segment, c.acquisition_channel, c.signed_up_at,
	       demo_random('buyer first', c.customer_id) AS u_first,
	       demo_normal('buyer rate', c.customer_id) AS z_rate,
	       demo_random('buyer rate scale', c.customer_id) AS u_rate_scale,
	       demo_random('buyer drop', c.customer_id) AS u_drop,
	       demo_random('buyer spend', c.customer_id) AS u_spend
	FROM customers c
)
SELECT customer_id, segment,
       -- first order: sign-up day if in the window, else within 2024-H1
       greatest(date '2024-01-01', signed_up_at::date) + floor(u_first * 180)::int AS first_order,
       -- orders per week while active: Gamma(0.6)-like spread, x2 for Enterprise, x1.5 for referrals
       (0.6 * greatest(0, 1 - 1 / 5.4 + z_rate / (3 * sqrt(1.6))) ^ 3
            * (1 - u_rate_scale) ^ (1 / 0.6) / 4 + 0.01)
         * CASE segment WHEN 'Enterprise' THEN 2 ELSE 1 END
         * CASE acquisition_channel WHEN 'referral' THEN 1.5 ELSE 1 END AS rate,
       -- chance of leaving after each order
       least(0.9, (0.02 + 0.4 * u_drop ^ 2)
         * CASE segment WHEN 'Enterprise' THEN 0.5 ELSE 1 END
         * CASE acquisition_channel WHEN 'referral' THEN 0.6 ELSE 1 END) AS p_leave,
       -- mean order value
       CASE segment WHEN 'SMB' THEN 60 WHEN 'Mid-Market' THEN 150 ELSE 400 END
         * (0.5 + u_spend) AS mean_value
FROM r;

INSERT INTO clv_orders
-- the k-th purchase of a customer (k = 0, 1, ...) draws its gap since the
-- previous one, whether the customer left before it, refund and amount
SELECT row_number() OVER (ORDER BY customer_id, order_date, k)::int,
       customer_id, order_date,
       round((CASE WHEN demo_random('order refund', customer_id, k) < 0.02 THEN -0.5 ELSE 1 END
              * mean_value * exp(0.4 * demo_normal('order amount', customer_id, k) - 0.08))::numeric, 2),
       0
FROM (SELECT b.customer_id, b.mean_value, k,
             b.first_order + floor(7 * sum(CASE WHEN k = 0 THEN 0
                                                ELSE -ln(1 - demo_random('order gap', b.customer_id, k)) / b.rate END)
                 OVER (PARTITION BY b.customer_id ORDER BY k))::int AS order_date,
             bool_and(k = 0 OR demo_random('order leave', b.customer_id, k) >= b.p_leave)
                 OVER (PARTITION BY b.customer_id ORDER BY k) AS active
      FROM buyer b, generate_series(0, 120) AS k
      WHERE b.first_order <= date '2025-06-30') AS o
WHERE active AND order_date <= date '2025-06-30';

UPDATE clv_orders SET cost = round(amount * (0.55 + 0.1 * ((order_id * 7919) % 1000) / 1000.0), 2);

ANALYZE clv_orders;

SELECT count(*) AS orders, count(DISTINCT customer_id) AS buyers FROM clv_orders \gset
\echo 'CLV demo data loaded:' :orders 'orders of' :buyers 'customers'
