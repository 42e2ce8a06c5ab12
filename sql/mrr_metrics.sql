--
-- ARR, ARPA, quick ratio and the movements as tidy rows (issue 15).
-- Expected values: a ledger worked by hand in the comments (every movement
-- of every period), and a plain-SQL reference of the movements (window
-- functions, no crm_kpi function) over the demo's subscriptions, compared
-- row by row.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- 1. A hand-built ledger, January to May 2024 (periods 0..4)
--	customer   Jan   Feb   Mar   Apr   May
--	A          100   150   150   120   120
--	B          200   200     0     0     0
--	C            0    50    50    50    50
--	D           80     0    80   100   100
--	E            0     0     0  30.5  30.5
--	F           60    40    40     0     0
-- Jan (0): A B D F, 4 customers, MRR 440: ARR 5280, ARPA 110
-- Feb (1): new C 50; expansion A +50; contraction F -20; churn D 80;
--	reactivation none.  A B C F, 4 customers, MRR 440 + 50 + 50 - 20 - 80
--	= 440: ARR 5280, ARPA 110; quick ratio (50 + 50 + 0) / (20 + 80) = 1
-- Mar (2): churn B 200; reactivation D 80; nothing else.  A C D F, MRR
--	440 - 200 + 80 = 320: ARR 3840, ARPA 80; quick ratio 80 / 200 = 0.4
-- Apr (3): new E 30.5; expansion D +20; contraction A -30; churn F 40.
--	A C D E, MRR 320 + 30.5 + 20 - 30 - 40 = 300.5: ARR 3606, ARPA 75.125;
--	quick ratio 50.5 / 70 = 0.72142857142857...
-- May (4): no movement: quick ratio NULL (nothing lost); ARR 3606
CREATE TABLE mrr_metrics_ledger (customer text, month timestamptz, mrr numeric);
INSERT INTO mrr_metrics_ledger VALUES
	('A', '2024-01-01', 100), ('A', '2024-02-01', 150), ('A', '2024-03-01', 150),
	('A', '2024-04-01', 120), ('A', '2024-05-01', 120),
	('B', '2024-01-01', 200), ('B', '2024-02-01', 200),
	('C', '2024-02-01', 50), ('C', '2024-03-01', 50), ('C', '2024-04-01', 50), ('C', '2024-05-01', 50),
	('D', '2024-01-01', 80), ('D', '2024-03-01', 80), ('D', '2024-04-01', 100), ('D', '2024-05-01', 100),
	('E', '2024-04-01', 30.5), ('E', '2024-05-01', 30.5),
	('F', '2024-01-01', 60), ('F', '2024-02-01', 40), ('F', '2024-03-01', 40);
CREATE TABLE mrr_metrics_s AS
SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 5) AS s FROM mrr_metrics_ledger;

SELECT k AS period, arr(s, k), arpa(s, k), quick_ratio(s, k)
FROM mrr_metrics_s, generate_series(0, 4) k ORDER BY k;
-- every movement of every period, with its customers
SELECT * FROM mrr_movement_table((SELECT s FROM mrr_metrics_s));
-- the types: amounts numeric, counts bigint
SELECT pg_typeof(arr(s, 0)) AS arr, pg_typeof(arpa(s, 0)) AS arpa,
	pg_typeof(quick_ratio(s, 1)) AS quick_ratio FROM mrr_metrics_s;
SELECT DISTINCT pg_typeof(customers) AS customers, pg_typeof(mrr) AS mrr
FROM mrr_movement_table((SELECT s FROM mrr_metrics_s));
-- the tidy rows agree with mrr_movements' columns (counts of new, churned,
-- reactivated customers and the five amounts)
SELECT count(*) AS disagreeing
FROM mrr_movements((SELECT s FROM mrr_metrics_s)) m
JOIN LATERAL (SELECT sum(t.mrr) FILTER (WHERE movement = 'new') AS new_mrr,
					 sum(t.mrr) FILTER (WHERE movement = 'expansion') AS expansion_mrr,
					 sum(t.mrr) FILTER (WHERE movement = 'contraction') AS contraction_mrr,
					 sum(t.mrr) FILTER (WHERE movement = 'churn') AS churned_mrr,
					 sum(t.mrr) FILTER (WHERE movement = 'reactivation') AS reactivation_mrr,
					 sum(t.customers) FILTER (WHERE movement = 'new') AS new_customers,
					 sum(t.customers) FILTER (WHERE movement = 'churn') AS churned_customers,
					 sum(t.customers) FILTER (WHERE movement = 'reactivation') AS reactivated_customers
			  FROM mrr_movement_table((SELECT s FROM mrr_metrics_s)) t
			  WHERE t.period = m.period) t ON true
WHERE m.period > 0
  AND (t.new_mrr::float8, t.expansion_mrr::float8, t.contraction_mrr::float8, t.churned_mrr::float8,
	   t.reactivation_mrr::float8, t.new_customers, t.churned_customers, t.reactivated_customers)
	IS DISTINCT FROM (m.new_mrr, m.expansion_mrr, m.contraction_mrr, m.churned_mrr, m.reactivation_mrr,
					  m.new_customers, m.churned_customers, m.reactivated_customers);

-- 2. Edges: ARPA is NULL in a period where nobody pays (here period 0, the
-- only customer starting in period 1); quick ratio NULL for period 0; a
-- summary of one period has no movement rows; out of range -> error
SELECT arpa(s, 0) AS arpa_nobody, arr(s, 0) AS arr_0, arpa(s, 1) AS arpa_1, quick_ratio(s, 0) AS qr_0,
	quick_ratio(s, 1) AS qr_1_nothing_lost
FROM (SELECT mrr_agg(1, '2024-02-01', 12.3456, '2024-01-01', '1 month', 2) AS s) x;
SELECT count(*) AS rows_of_one_period
FROM mrr_movement_table((SELECT mrr_agg(1, '2024-01-01', 10, '2024-01-01', '1 month', 1)));
SELECT arr(s, 5) FROM mrr_metrics_s;
SELECT quick_ratio(s, -1) FROM mrr_metrics_s;
-- a summary read back from its text form (1.1.0's version 1 included)
-- gives the same accessors
SELECT arr(s, 2) AS arr_2, arpa(s, 3) AS arpa_3, quick_ratio(s, 3) AS qr_3
FROM (SELECT s::text::mrr_summary AS s FROM mrr_metrics_s) x;
SELECT arr(s, 1), arpa(s, 1), quick_ratio(s, 1)
FROM (SELECT '{"version":1,"period":"month","periods":2,"origin":648,"customers":[2,1],"mrr":[30,15.5],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,1],"expansion_mrr":[0,5.5],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,1],"churned_mrr":[0,20],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'::mrr_summary AS s) x;

-- 3. The demo's subscriptions (demo/data.sql, demo/data_retention.sql,
-- loaded into a schema of their own) against a plain-SQL reference of the
-- movements: each customer's MRR per month over the full grid of months
-- (0 where not paying), the previous month's by lag(), and whether the
-- customer paid in any earlier month by a running max; classified as
-- ChartMogul does and summed per month and movement.
CREATE SCHEMA mrr_metrics_demo;
SELECT setting AS bindir FROM pg_config WHERE name = 'BINDIR' \gset
\setenv CRM_PSQL :bindir/psql
\setenv PGDATABASE :DBNAME
\setenv PGOPTIONS '-c search_path=mrr_metrics_demo,public'
\! for f in data data_retention; do "$CRM_PSQL" -X -q -v ON_ERROR_STOP=1 -f "demo/$f.sql" >/dev/null || echo "demo/$f.sql failed"; done
\setenv PGOPTIONS ''
SELECT count(*) > 1000 AS demo_loaded FROM mrr_metrics_demo.mrr_snapshots;
CREATE TABLE mrr_metrics_demo_s AS
SELECT mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 24) AS s
FROM mrr_metrics_demo.mrr_snapshots;
CREATE TABLE mrr_metrics_reference AS
WITH grid AS (
	SELECT c.customer_id, g.k, coalesce(s.mrr, 0) AS mrr
	FROM (SELECT DISTINCT customer_id FROM mrr_metrics_demo.mrr_snapshots) c
	CROSS JOIN generate_series(0, 23) g(k)
	LEFT JOIN mrr_metrics_demo.mrr_snapshots s
		ON s.customer_id = c.customer_id AND s.month = date '2024-01-01' + g.k * interval '1 month'),
w AS (
	SELECT customer_id, k, mrr,
		lag(mrr) OVER c AS before,
		coalesce(max(mrr) OVER (c ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0 AS paid_earlier
	FROM grid WINDOW c AS (PARTITION BY customer_id ORDER BY k)),
classified AS (
	SELECT k, CASE WHEN before = 0 AND mrr > 0 AND NOT paid_earlier THEN 'new'
				   WHEN before = 0 AND mrr > 0 THEN 'reactivation'
				   WHEN before > 0 AND mrr = 0 THEN 'churn'
				   WHEN before > 0 AND mrr > before THEN 'expansion'
				   WHEN mrr > 0 AND mrr < before THEN 'contraction' END AS movement,
		abs(mrr - before) AS amount
	FROM w WHERE k > 0)
SELECT k AS period, m.movement, count(c.movement) AS customers, coalesce(sum(c.amount), 0) AS mrr
FROM generate_series(1, 23) k
CROSS JOIN unnest(ARRAY['new', 'expansion', 'contraction', 'churn', 'reactivation']) m(movement)
LEFT JOIN classified c USING (k, movement)
GROUP BY k, m.movement;
SELECT count(*) AS reference_rows, sum(customers) AS customer_movements FROM mrr_metrics_reference;
-- row by row: none differs either way (115 rows: 23 periods x 5 movements)
SELECT count(*) AS only_in_reference FROM (
	SELECT period, movement, customers, mrr FROM mrr_metrics_reference
	EXCEPT SELECT period, movement, customers, mrr FROM mrr_movement_table((SELECT s FROM mrr_metrics_demo_s))) x;
SELECT count(*) AS only_in_table FROM (
	SELECT period, movement, customers, mrr FROM mrr_movement_table((SELECT s FROM mrr_metrics_demo_s))
	EXCEPT SELECT period, movement, customers, mrr FROM mrr_metrics_reference) x;
-- ARR, ARPA and quick ratio of every month against their definitions in
-- plain SQL over the same rows
WITH months AS (
	SELECT ((extract(year FROM month) - 2024) * 12 + extract(month FROM month) - 1)::int AS k,
		sum(mrr) AS mrr, count(*) AS customers
	FROM mrr_metrics_demo.mrr_snapshots GROUP BY month),
q AS (
	SELECT period AS k, sum(mrr) FILTER (WHERE movement IN ('new', 'expansion', 'reactivation')) AS gained,
		sum(mrr) FILTER (WHERE movement IN ('contraction', 'churn')) AS lost
	FROM mrr_metrics_reference GROUP BY period)
SELECT count(*) AS months,
	count(*) FILTER (WHERE arr(d.s, m.k) <> 12 * m.mrr) AS arr_differs,
	count(*) FILTER (WHERE arpa(d.s, m.k) <> m.mrr / m.customers) AS arpa_differs,
	count(*) FILTER (WHERE quick_ratio(d.s, m.k) IS DISTINCT FROM
					 CASE WHEN q.lost > 0 THEN (q.gained / q.lost)::float8 END) AS quick_ratio_differs
FROM months m CROSS JOIN mrr_metrics_demo_s d LEFT JOIN q USING (k);
-- NRR and GRR by cohort over the demo's subscriptions against plain SQL:
-- each customer's cohort is its first month in the table, the cohort's
-- starting MRR its customers' MRR then, GRR each customer's MRR capped at
-- its starting MRR.  Counts and amounts exactly, the rates to 1e-12.
CREATE TABLE mrr_metrics_cohort_reference AS
WITH firsts AS (
	SELECT DISTINCT ON (customer_id) customer_id, month AS first_month, mrr AS first_mrr
	FROM mrr_metrics_demo.mrr_snapshots ORDER BY customer_id, month)
SELECT ((extract(year FROM f.first_month) - 2024) * 12 + extract(month FROM f.first_month) - 1)::int AS cohort,
	((extract(year FROM s.month) - 2024) * 12 + extract(month FROM s.month) - 1)::int AS period,
	count(*) AS customers, sum(s.mrr) AS mrr, sum(least(s.mrr, f.first_mrr)) AS capped
FROM mrr_metrics_demo.mrr_snapshots s JOIN firsts f USING (customer_id)
GROUP BY 1, 2;
SELECT count(*) AS reference_rows FROM mrr_metrics_cohort_reference;
WITH t AS (SELECT * FROM mrr_cohort_table((SELECT customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 24)
										   FROM mrr_metrics_demo.mrr_snapshots))),
r AS (SELECT r.*, s.customers AS cohort_customers, s.mrr AS starting_mrr
	  FROM mrr_metrics_cohort_reference r
	  JOIN mrr_metrics_cohort_reference s ON s.cohort = r.cohort AND s.period = r.cohort)
SELECT count(*) AS table_rows,
	count(*) FILTER (WHERE r.cohort IS NULL) AS not_in_reference,
	count(*) FILTER (WHERE (t.cohort_customers, t.customers, t.starting_mrr, t.mrr)
					 IS DISTINCT FROM (r.cohort_customers, r.customers, r.starting_mrr, r.mrr)) AS sums_differ,
	count(*) FILTER (WHERE abs(t.net_revenue_retention - (r.mrr / r.starting_mrr)::float8) > 1e-12
					 OR abs(t.gross_revenue_retention - (r.capped / r.starting_mrr)::float8) > 1e-12) AS rates_differ,
	(SELECT count(*) FROM mrr_metrics_cohort_reference) - count(r.cohort) AS reference_rows_missing
FROM t LEFT JOIN r USING (cohort, period);
SET client_min_messages = warning;
DROP SCHEMA mrr_metrics_demo CASCADE;
RESET client_min_messages;

-- 4. NRR and GRR by cohort (mrr_cohort_table) over the ledger of section 1.
-- Cohorts by first paying period: A B D F in 0 (start MRR 100 + 200 + 80
-- + 60 = 440), C in 1 (50), E in 3 (30.5); none in 2 (no rows).
-- Cohort 0, GRR capping each customer at its starting MRR:
--	k 0: 4 customers, 440: NRR 1, GRR 1
--	k 1: A 150, B 200, F 40 (D gone): 3, 390: NRR 390/440 = 0.88636...,
--	     GRR (100 + 200 + 40) / 440 = 0.77272...
--	k 2: A 150, D 80 (back), F 40: 3, 270: NRR 0.61363..., GRR (100 + 80 +
--	     40) / 440 = 0.5
--	k 3, 4: A 120, D 100: 2, 220: NRR 0.5, GRR (100 + 80) / 440 = 0.40909...
-- Cohort 1 (C, 50 throughout) and 3 (E, 30.5): NRR = GRR = 1.
SELECT * FROM mrr_cohort_table((SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 5)
								FROM mrr_metrics_ledger));
-- the same from the summaries of each month rolled up (any split of the rows)
WITH whole AS (SELECT * FROM mrr_cohort_table((SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 5)
											  FROM mrr_metrics_ledger))),
parts AS (SELECT * FROM mrr_cohort_table((SELECT rollup(s) FROM (
	SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 5) AS s
	FROM mrr_metrics_ledger GROUP BY month) x)))
SELECT (SELECT count(*) FROM whole) AS rows,
	(SELECT count(*) FROM (SELECT * FROM whole EXCEPT ALL SELECT * FROM parts) a)
	+ (SELECT count(*) FROM (SELECT * FROM parts EXCEPT ALL SELECT * FROM whole) b) AS differing;
-- no customer: no rows; a summary of customers that never pay: no rows
SELECT count(*) AS no_rows FROM mrr_cohort_table((SELECT customer_mrr_agg(c, at, 0, '2024-01-01', '1 month', 3)
	FROM (VALUES (1, timestamptz '2024-01-05'), (2, '2024-02-01')) v(c, at)));
