--
-- CLV aggregates under forced-parallel plans give the serial result,
-- including over zero matching rows.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- 300,000 orders of 3,000 customers; amounts in quarters, so that the float
-- sums of rfm_agg's mean value are exact in any order
CREATE TABLE par_orders AS
SELECT i,
	i % 3000 AS customer,
	date '2024-01-01' + ((i::bigint * 7919) % 700)::int AS day,
	CASE WHEN i % 53 = 0 THEN NULL ELSE ((i * 31) % 4000) / 4.0 END AS amount,
	((i * 17) % 400) / 4.0 AS cost
FROM generate_series(1, 300000) i;
ANALYZE par_orders;

-- 20,000 generated customers' summaries, a seventh of them without repeats
CREATE TABLE par_rfm AS
SELECT i AS customer, rfm_summary(i % 7, CASE WHEN i % 7 = 0 THEN 0 ELSE 1 + (i * 13) % (9 + i % 50) END,
	10 + i % 50, CASE WHEN i % 7 = 0 THEN 0 ELSE 5 + i % 40 END) AS s
FROM generate_series(1, 20000) i;
ANALYZE par_rfm;

-- the customers' CLV summaries, for rollup
CREATE TABLE par_clv AS SELECT customer, clv_agg(amount) AS s FROM par_orders GROUP BY customer;
ANALYZE par_clv;

-- The queries, each as text so that both plans run the same statement
CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('clv, all', $$SELECT clv(amount), clv(amount, cost),
		clv(amount, cost, day, '2025-01-01', 0.08) FROM par_orders$$),
	('clv, by customer', $$SELECT customer, clv(amount), clv(amount, cost),
		clv(amount, cost, day, '2025-01-01', 0.08)
		FROM par_orders GROUP BY customer ORDER BY customer$$),
	('clv, no rows', $$SELECT clv(amount), clv(amount, cost),
		clv(amount, cost, day, '2025-01-01', 0.08) FROM par_orders WHERE i < 0$$),
	('clv_agg, all', $$SELECT clv_agg(amount), clv_agg(amount, cost),
		clv_agg(amount, cost, day, '2025-01-01', 0.08) FROM par_orders$$),
	('clv_agg, by customer', $$SELECT customer, clv_agg(amount), clv_agg(amount, cost),
		clv_agg(amount, cost, day, '2025-01-01', 0.08)
		FROM par_orders GROUP BY customer ORDER BY customer$$),
	('clv_agg, no rows', $$SELECT clv_agg(amount), clv_agg(amount, cost),
		clv_agg(amount, cost, day, '2025-01-01', 0.08) FROM par_orders WHERE i + 0 < 0$$),
	('clv rollup, all', $$SELECT rollup(s), clv(rollup(s)) FROM par_clv$$),
	('clv rollup, no rows', $$SELECT rollup(s), clv(rollup(s)) FROM par_clv WHERE customer + 0 < 0$$),
	('rfm, by customer', $$SELECT customer, rfm_agg(day, amount, '2025-06-30', '7 days')::text
		FROM par_orders GROUP BY customer ORDER BY customer$$),
	('rfm, no rows', $$SELECT rfm_agg(day, amount, '2025-06-30', '7 days')::text
		FROM par_orders WHERE i < 0$$),
	('fits', $$SELECT bgnbd_fit(s)::text, gamma_gamma_fit(s)::text FROM par_rfm$$),
	('fits, no rows', $$SELECT bgnbd_fit(s)::text, gamma_gamma_fit(s)::text
		FROM par_rfm WHERE frequency(s) > 100$$),
	('std errors', $$SELECT bgnbd_std_errors(s)::text, gamma_gamma_std_errors(s)::text FROM par_rfm$$),
	('std errors, no rows', $$SELECT bgnbd_std_errors(s)::text, gamma_gamma_std_errors(s)::text
		FROM par_rfm WHERE frequency(s) > 100$$),
	('pareto_nbd', $$SELECT pareto_nbd_fit(s)::text, pareto_nbd_std_errors(s)::text
		FROM par_rfm WHERE customer % 10 = 0$$),
	('pareto_nbd, no rows', $$SELECT pareto_nbd_fit(s)::text, pareto_nbd_std_errors(s)::text
		FROM par_rfm WHERE frequency(s) > 100$$);

\set ECHO none
\i test/parallel.sql
\set ECHO all

-- serial: no plan splits an aggregate
SET max_parallel_workers_per_gather = 0;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();

-- forced parallel: each plan has a Partial Aggregate under a Gather
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();

SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;

-- and the serial values themselves, checked against plain SQL
RESET max_parallel_workers_per_gather;
SELECT clv(amount) = sum(amount) AS clv_is_sum,
	clv(amount, cost) = sum(amount - cost) AS margin_is_sum,
	clv_agg(amount)::text = format('{"version":1,"count":%s,"scale_count":%s,"sum":"%s"}',
		count(amount), count(amount) FILTER (WHERE scale(amount) = (SELECT max(scale(amount)) FROM par_orders)),
		sum(amount)) AS summary_by_hand
FROM par_orders;
SELECT clv(rollup(s)) = (SELECT sum(amount) FROM par_orders) AS rollup_is_sum FROM par_clv;
SELECT count(*) AS customers,
	count(*) FILTER (WHERE frequency(r.s) <> x.days - 1
		OR recency(r.s) <> (x.last - x.first) / 7.0
		OR customer_age(r.s) <> ('2025-06-30' - x.first) / 7.0) AS differ
FROM (SELECT customer, rfm_agg(day, amount, '2025-06-30', '7 days') AS s
	  FROM par_orders GROUP BY customer) r
JOIN (SELECT customer, count(DISTINCT day) AS days, min(day) AS first, max(day) AS last
	  FROM par_orders WHERE amount IS NOT NULL AND day <= '2025-06-30' GROUP BY customer) x
	USING (customer);
SELECT customers(bgnbd_fit(s)) = count(*) AS all_customers,
	customers(gamma_gamma_fit(s)) = count(*) FILTER (WHERE frequency(s) > 0) AS repeat_buyers
FROM par_rfm;
-- the BG/NBD fit of these generated customers does not converge (a and b
-- run off to infinity: no drop-out is identified), so its standard errors
-- are all NULL; the Gamma-Gamma fit converges and has them all
SELECT converged(bgnbd_fit(s)) AS bg_converged,
	bgnbd_std_errors(s) = '{NULL,NULL,NULL,NULL}' AS bg_se_null,
	converged(gamma_gamma_fit(s)) AS gg_converged,
	array_position(gamma_gamma_std_errors(s), NULL) IS NULL AS gg_se_all
FROM par_rfm;
-- (the Pareto/NBD fit of every tenth customer: its maximum is on the
-- likelihood's limit beta / alpha ~ 100, reported unconverged)
SELECT customers(m) = 2000 AS pareto_customers, converged(m) AS pareto_converged
FROM (SELECT pareto_nbd_fit(s) AS m FROM par_rfm WHERE customer % 10 = 0) f;
