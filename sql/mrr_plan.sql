--
-- MRR movements by plan (issue 15): mrr_movements_by_plan over one
-- customer_mrr_summary per plan.  Expected values: a ledger worked by hand
-- in the comments (every movement of every plan and period), and a
-- plain-SQL reference (window functions, no crm_kpi function) over the
-- demo's subscriptions with a plan derived from the price, row by row.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- 1. A hand-built ledger, January to April 2024 (periods 0..3), plans
-- Basic and Pro:
--	customer  Jan              Feb                Mar       Apr
--	1         Basic 50         Pro 100            Pro 100   Basic 50
--	2         Pro 100          Basic 100          -         Pro 120
--	3         Basic 50+Pro 100 Basic 50+Pro 150   Pro 150   Pro 150
--	4         -                -                  Basic 30  Basic 20
-- Jan (0): all 3 customers, 300; Basic 2 (1, 3), 100; Pro 2 (2, 3), 200.
-- Feb (1): overall: 1 expands +50 (upgrade), 2 moves at constant MRR (no
--	movement), 3 expands +50: expansion 2 customers, 100; end 3, 400.
--	Basic: 1 moved out 50, 2 moved in 100; end 2 (2, 3), 150.
--	Pro: 1 moved in 100, 2 moved out 100, 3 expansion 50; end 2 (1, 3), 250.
-- Mar (2): overall: 2 churns 100, 3 contracts 50 (drops Basic), 4 new 30;
--	end 3, 280.  Basic: 2 churn 100 (the customer left), 3 moved out 50,
--	4 new 30; end 1, 30.  Pro: no movement; end 2, 250.
-- Apr (3): overall: 1 contracts 50 (downgrade), 2 reactivates 120, 4
--	contracts 10: contraction 2, 60; reactivation 1, 120; end 4, 340.
--	Basic: 1 moved in 50, 4 contraction 10; end 2, 70.  Pro: 1 moved out
--	100, 2 reactivation 120; end 2 (2, 3), 270.
CREATE TABLE mrr_plan_ledger (customer bigint, plan text, month timestamptz, mrr numeric);
INSERT INTO mrr_plan_ledger VALUES
	(1, 'Basic', '2024-01-01', 50), (1, 'Pro', '2024-02-01', 100), (1, 'Pro', '2024-03-01', 100),
	(1, 'Basic', '2024-04-01', 50),
	(2, 'Pro', '2024-01-01', 100), (2, 'Basic', '2024-02-01', 100), (2, 'Pro', '2024-04-01', 120),
	(3, 'Basic', '2024-01-01', 50), (3, 'Pro', '2024-01-01', 100), (3, 'Basic', '2024-02-01', 50),
	(3, 'Pro', '2024-02-01', 150), (3, 'Pro', '2024-03-01', 150), (3, 'Pro', '2024-04-01', 150),
	(4, 'Basic', '2024-03-01', 30), (4, 'Basic', '2024-04-01', 20);
CREATE TABLE mrr_plan_parts AS
SELECT plan, customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4) AS s
FROM mrr_plan_ledger GROUP BY plan;
CREATE TABLE mrr_plan_rows AS
SELECT m.* FROM mrr_movements_by_plan((SELECT array_agg(s ORDER BY plan) FROM mrr_plan_parts),
									  (SELECT array_agg(plan ORDER BY plan) FROM mrr_plan_parts)) m;
SELECT period, coalesce(plan, '(all)') AS plan, customers_start AS c0, customers_end AS c1,
	starting_mrr AS start, new_mrr AS new, expansion_mrr AS exp, contraction_mrr AS contr,
	churned_mrr AS churn, reactivation_mrr AS react, moved_in_mrr AS "in", moved_out_mrr AS "out",
	ending_mrr AS "end"
FROM mrr_plan_rows;
SELECT period, coalesce(plan, '(all)') AS plan, new_customers AS new, expansion_customers AS exp,
	contraction_customers AS contr, churned_customers AS churn, reactivated_customers AS react,
	moved_in_customers AS "in", moved_out_customers AS "out"
FROM mrr_plan_rows WHERE period > 0;
-- every row balances: ending = starting + new + expansion - contraction -
-- churn + reactivation + moved in - moved out (customers alike)
SELECT count(*) AS unbalanced FROM mrr_plan_rows
WHERE period > 0 AND (ending_mrr <> starting_mrr + new_mrr + expansion_mrr - contraction_mrr - churned_mrr
					  + reactivation_mrr + moved_in_mrr - moved_out_mrr
	OR customers_end <> customers_start + new_customers - churned_customers + reactivated_customers
					  + moved_in_customers - moved_out_customers);
-- the plans add up to the overall row: ending MRR, and the net of the
-- changes of staying customers (moves and expansion less contraction)
SELECT p.period, sum(p.ending_mrr) = o.ending_mrr AS ending_adds_up,
	sum(p.moved_in_mrr - p.moved_out_mrr + p.expansion_mrr - p.contraction_mrr)
		= o.expansion_mrr - o.contraction_mrr AS net_change_adds_up
FROM mrr_plan_rows p JOIN mrr_plan_rows o ON o.period = p.period AND o.plan IS NULL
WHERE p.plan IS NOT NULL AND p.period > 0 GROUP BY p.period, o.ending_mrr, o.expansion_mrr, o.contraction_mrr
ORDER BY p.period;
-- the overall rows are mrr_movements of all rows, as mrr_agg counts them
SELECT count(*) AS overall_differs
FROM mrr_plan_rows o
JOIN mrr_movements((SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4) FROM mrr_plan_ledger)) m
	USING (period)
WHERE o.plan IS NULL
  AND (o.customers_end, o.ending_mrr::float8, o.new_mrr::float8, o.expansion_mrr::float8,
	   o.contraction_mrr::float8, o.churned_mrr::float8, o.reactivation_mrr::float8,
	   o.new_customers, o.churned_customers, o.reactivated_customers)
	IS DISTINCT FROM (m.customers_end, m.ending_mrr, m.new_mrr, m.expansion_mrr, m.contraction_mrr,
					  m.churned_mrr, m.reactivation_mrr, m.new_customers, m.churned_customers,
					  m.reactivated_customers);
-- text ids give the same rows; so do summaries of each plan and month rolled up per plan
SELECT count(*) AS text_ids_differ FROM (
	SELECT * FROM mrr_plan_rows
	EXCEPT ALL
	SELECT m.* FROM (SELECT array_agg(s ORDER BY plan) AS s, array_agg(plan ORDER BY plan) AS p
					 FROM (SELECT plan, customer_mrr_agg('c' || customer, month, mrr, '2024-01-01', '1 month', 4) AS s
						   FROM mrr_plan_ledger GROUP BY plan) x) y,
		mrr_movements_by_plan(y.s, y.p) m) d;
SELECT count(*) AS rollup_differs FROM (
	SELECT * FROM mrr_plan_rows
	EXCEPT ALL
	SELECT m.* FROM (SELECT array_agg(s ORDER BY plan) AS s, array_agg(plan ORDER BY plan) AS p
					 FROM (SELECT plan, rollup(s) AS s
						   FROM (SELECT plan, month, customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4) AS s
								 FROM mrr_plan_ledger GROUP BY plan, month) z GROUP BY plan) x) y,
		mrr_movements_by_plan(y.s, y.p) m) d;

-- 2. Subscriptions: customer 1 on Basic 40 from 2024-01-10, upgraded to Pro
-- 60 on 2024-02-15 (Basic ends then): at the end of January Basic 40, of
-- February Pro 60: overall expansion 20 in period 1; Basic moved out 40,
-- Pro moved in 60; nothing churns, nothing is new after period 0.
SELECT m.period, coalesce(m.plan, '(all)') AS plan, m.starting_mrr, m.new_mrr, m.expansion_mrr,
	m.churned_mrr, m.moved_in_mrr, m.moved_out_mrr, m.ending_mrr
FROM (SELECT array_agg(s ORDER BY plan) AS s, array_agg(plan ORDER BY plan) AS p
	  FROM (SELECT plan, customer_mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 3) AS s
			FROM (VALUES (1, 'Basic', timestamptz '2024-01-10', timestamptz '2024-02-15', 40),
						 (1, 'Pro', '2024-02-15', NULL, 60)) v(customer, plan, starts, ends, mrr)
			GROUP BY plan) x) y, mrr_movements_by_plan(y.s, y.p) m
WHERE m.period = 1;

-- 3. Edges: a NULL summary is a plan with no rows (a zero row per period);
-- no summary at all: no rows; errors
SELECT period, plan, customers_end, ending_mrr, moved_in_mrr
FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2)),
								 NULL], ARRAY['A', 'B']);
SELECT count(*) AS no_rows FROM mrr_movements_by_plan(ARRAY[NULL]::customer_mrr_summary[], ARRAY['A']);
SELECT count(*) AS no_rows FROM mrr_movements_by_plan('{}', '{}');
SELECT * FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2))],
									ARRAY['A', 'B']);
SELECT * FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2)),
										  (SELECT customer_mrr_agg(2, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2))],
									ARRAY['A', 'A']);
SELECT * FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2))],
									ARRAY[NULL::text]);
SELECT * FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2)),
										  (SELECT customer_mrr_agg(2, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 3))],
									ARRAY['A', 'B']);
SELECT * FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2)),
										  (SELECT customer_mrr_agg('x'::text, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2))],
									ARRAY['A', 'B']);

-- 4. The demo's subscriptions (demo/data.sql, demo/data_retention.sql, in
-- a schema of their own) with a plan derived from the price (Starter below
-- 200, Growth below 2000, Scale from 2000), so that expansions and
-- contractions across a threshold are plan changes, against a plain-SQL
-- reference: each (customer, plan)'s MRR and the customer's total over the
-- full grid of months, the previous month's by lag(), whether the customer
-- paid in an earlier month by a running max, classified as documented and
-- summed per month and plan (the overall rows with the total as the plan's
-- series).
CREATE SCHEMA mrr_plan_demo;
SELECT setting AS bindir FROM pg_config WHERE name = 'BINDIR' \gset
\setenv CRM_PSQL :bindir/psql
\setenv PGDATABASE :DBNAME
\setenv PGOPTIONS '-c search_path=mrr_plan_demo,public'
\! for f in data data_retention; do "$CRM_PSQL" -X -q -v ON_ERROR_STOP=1 -f "demo/$f.sql" >/dev/null || echo "demo/$f.sql failed"; done
\setenv PGOPTIONS ''
CREATE TABLE mrr_plan_demo_rows AS
SELECT customer_id, month,
	CASE WHEN mrr < 200 THEN 'Starter' WHEN mrr < 2000 THEN 'Growth' ELSE 'Scale' END AS plan, mrr
FROM mrr_plan_demo.mrr_snapshots;
-- plan changes happen: customers paying in two consecutive months on two plans
SELECT count(*) > 10 AS plan_changes FROM mrr_plan_demo_rows a JOIN mrr_plan_demo_rows b
	ON b.customer_id = a.customer_id AND b.month = a.month + interval '1 month' AND b.plan <> a.plan;
CREATE TABLE mrr_plan_reference AS
WITH customers AS (SELECT DISTINCT customer_id FROM mrr_plan_demo_rows),
grid AS (
	SELECT c.customer_id, p.plan, g.k, coalesce(r.mrr, 0) AS mrr
	FROM customers c CROSS JOIN (VALUES ('Starter'), ('Growth'), ('Scale')) p(plan)
	CROSS JOIN generate_series(0, 23) g(k)
	LEFT JOIN mrr_plan_demo_rows r ON r.customer_id = c.customer_id AND r.plan = p.plan
		AND r.month = date '2024-01-01' + g.k * interval '1 month'),
series AS (
	SELECT customer_id, plan, k, mrr, sum(mrr) OVER (PARTITION BY customer_id, k) AS total FROM grid
	UNION ALL
	SELECT customer_id, NULL, k, sum(mrr), sum(mrr) FROM grid GROUP BY customer_id, k),
w AS (
	SELECT plan, k, mrr AS b, total AS bb,
		lag(mrr) OVER s AS a, lag(total) OVER s AS aa,
		coalesce(max(total) OVER (s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0 AS paid_earlier
	FROM series WINDOW s AS (PARTITION BY customer_id, plan ORDER BY k)),
classified AS (
	SELECT plan, k, b, a,
		CASE WHEN aa = 0 AND bb > 0 AND b > 0 THEN CASE WHEN paid_earlier THEN 'reactivation' ELSE 'new' END
			 WHEN aa > 0 AND bb = 0 AND a > 0 THEN 'churn'
			 WHEN aa > 0 AND bb > 0 AND a = 0 AND b > 0 THEN 'moved_in'
			 WHEN aa > 0 AND bb > 0 AND a > 0 AND b = 0 THEN 'moved_out'
			 WHEN aa > 0 AND bb > 0 AND b > a THEN 'expansion'
			 WHEN aa > 0 AND bb > 0 AND b < a THEN 'contraction' END AS movement
	FROM w)
SELECT k AS period, plan,
	count(*) FILTER (WHERE a > 0) AS customers_start, count(*) FILTER (WHERE b > 0) AS customers_end,
	sum(a) AS starting_mrr,
	coalesce(sum(b) FILTER (WHERE movement = 'new'), 0) AS new_mrr,
	coalesce(sum(b - a) FILTER (WHERE movement = 'expansion'), 0) AS expansion_mrr,
	coalesce(sum(a - b) FILTER (WHERE movement = 'contraction'), 0) AS contraction_mrr,
	coalesce(sum(a) FILTER (WHERE movement = 'churn'), 0) AS churned_mrr,
	coalesce(sum(b) FILTER (WHERE movement = 'reactivation'), 0) AS reactivation_mrr,
	coalesce(sum(b) FILTER (WHERE movement = 'moved_in'), 0) AS moved_in_mrr,
	coalesce(sum(a) FILTER (WHERE movement = 'moved_out'), 0) AS moved_out_mrr,
	sum(b) AS ending_mrr,
	count(*) FILTER (WHERE movement = 'new') AS new_customers,
	count(*) FILTER (WHERE movement = 'expansion') AS expansion_customers,
	count(*) FILTER (WHERE movement = 'contraction') AS contraction_customers,
	count(*) FILTER (WHERE movement = 'churn') AS churned_customers,
	count(*) FILTER (WHERE movement = 'reactivation') AS reactivated_customers,
	count(*) FILTER (WHERE movement = 'moved_in') AS moved_in_customers,
	count(*) FILTER (WHERE movement = 'moved_out') AS moved_out_customers
FROM classified WHERE k > 0 GROUP BY k, plan;
CREATE TABLE mrr_plan_demo_result AS
SELECT m.* FROM (SELECT array_agg(s ORDER BY plan) AS s, array_agg(plan ORDER BY plan) AS p
				 FROM (SELECT plan, customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 24) AS s
					   FROM mrr_plan_demo_rows GROUP BY plan) x) y,
	mrr_movements_by_plan(y.s, y.p) m WHERE m.period > 0;
SELECT count(*) AS reference_rows, sum(moved_in_customers) AS moves_in, sum(moved_out_customers) AS moves_out
FROM mrr_plan_reference;
-- row by row, every column: none differs either way
SELECT (SELECT count(*) FROM (SELECT * FROM mrr_plan_reference
							  EXCEPT ALL SELECT period, plan, customers_start, customers_end, starting_mrr, new_mrr,
								expansion_mrr, contraction_mrr, churned_mrr, reactivation_mrr, moved_in_mrr,
								moved_out_mrr, ending_mrr, new_customers, expansion_customers,
								contraction_customers, churned_customers, reactivated_customers,
								moved_in_customers, moved_out_customers FROM mrr_plan_demo_result) a) AS only_in_reference,
	(SELECT count(*) FROM (SELECT period, plan, customers_start, customers_end, starting_mrr, new_mrr,
								expansion_mrr, contraction_mrr, churned_mrr, reactivation_mrr, moved_in_mrr,
								moved_out_mrr, ending_mrr, new_customers, expansion_customers,
								contraction_customers, churned_customers, reactivated_customers,
								moved_in_customers, moved_out_customers FROM mrr_plan_demo_result
						   EXCEPT ALL SELECT * FROM mrr_plan_reference) b) AS only_in_function;
SET client_min_messages = warning;
DROP SCHEMA mrr_plan_demo CASCADE;
RESET client_min_messages;
