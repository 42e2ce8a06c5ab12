-- bench/clv/setup.sql: the CLV family's benchmark data.  Run by bench/run
-- (psql -v rows=N) after harness.sql.
--
-- Tables
--   orders        :rows orders of :rows / 10 customers over two years:
--                 amount and cost numeric(12,2), ~1 % of amounts NULL
--   cdnow_rfm     RFM summaries (weeks, calibration end 1997-09-30) of the
--                 full CDNOW cohort, 23,570 customers (cdnow_cohort.sql)
--   sim_rfm       RFM summaries of 1,000,000 customers simulated from the
--                 BG/NBD process with the CDNOW parameters (daily purchase
--                 days, weeks as the unit), as a calibration period would
--                 produce them
--   sim_bgbb      frequency, recency, periods of 1,000,000 customers
--                 simulated from the BG/BB process (bgbb_sim.sql)

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';

SELECT setseed(0.20261127) \gset

CREATE TABLE orders (
	customer_id integer NOT NULL,
	order_date  date NOT NULL,
	amount      numeric(12,2),          -- ~1 % NULL
	cost        numeric(12,2) NOT NULL
);
INSERT INTO orders
SELECT floor(random() * greatest(:rows / 10, 1))::integer,
	date '2023-01-01' + floor(random() * 730)::integer,
	CASE WHEN random() < 0.01 THEN NULL ELSE round((5 + random() * 195)::numeric, 2) END,
	round((random() * 50)::numeric, 2)
FROM generate_series(1, :rows);

-- The full CDNOW cohort: one row per customer again, weeks as the unit
\ir cdnow_cohort.sql
CREATE TABLE cdnow_rfm AS
SELECT rfm_summary(frequency, recency_days / 7.0, age_days / 7.0) AS s
FROM cdnow_cohort, generate_series(1, customers);

-- 1,000,000 simulated customers.  Per customer: first purchase day uniform
-- over the cohort's 12 weeks; purchase rate per week lambda ~ Gamma(r =
-- 0.243, alpha = 4.414); dropout probability p ~ Beta(a = 0.793, b = 2.426),
-- so the number of repeat purchases before dropping out is geometric.  Gamma
-- variates by Wilson-Hilferty (shape >= 1) and Gamma(k) = Gamma(k + 1)
-- U^(1/k) (shape < 1); normal variates by Box-Muller.  The k-th repeat
-- purchase falls at the sum of k exponential gaps; purchase days are whole
-- days, the observation end is day 272 of the cohort (1997-09-30).
CREATE TEMP TABLE sim_customers AS
WITH u AS (
	SELECT i, floor(random() * 84)::integer AS first_day,
		random() AS u1, random() AS u2, random() AS u3, random() AS u4,
		random() AS u5, random() AS u6, random() AS u7, random() AS u8
	FROM generate_series(1, 1000000) i),
z AS (
	SELECT i, first_day, u7, u8,
		sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2) AS z1,
		sqrt(-2 * ln(1 - u3)) * cos(2 * pi() * u4) AS z2,
		sqrt(-2 * ln(1 - u5)) * cos(2 * pi() * u6) AS z3
	FROM u)
SELECT i, first_day,
	1.243 * greatest(0, 1 - 1 / (9 * 1.243) + z1 / (3 * sqrt(1.243))) ^ 3
		* (1 - u7) ^ (1 / 0.243) / 4.414 AS lambda,
	floor(ln(1 - random()) / ln(1 - least(1 - 1e-12, greatest(1e-12, ga / (ga + gb))))) AS repeats
FROM (SELECT *,
		1.793 * greatest(0, 1 - 1 / (9 * 1.793) + z2 / (3 * sqrt(1.793))) ^ 3 * (1 - u8) ^ (1 / 0.793) AS ga,
		2.426 * greatest(1e-9, 1 - 1 / (9 * 2.426) + z3 / (3 * sqrt(2.426))) ^ 3 AS gb
	  FROM z) g;
CREATE TABLE sim_rfm AS
SELECT c.i AS customer_id,
	rfm_summary(coalesce(r.x, 0), coalesce(r.last_day, 0) / 7.0, (272 - c.first_day) / 7.0) AS s
FROM sim_customers c LEFT JOIN (
	SELECT i, count(DISTINCT d) AS x, max(d) AS last_day
	FROM (SELECT c.i, c.first_day,
			least(1e6, floor(7 * sum(-ln(1 - random()) / c.lambda)
				OVER (PARTITION BY c.i ORDER BY k)))::integer AS d
		  FROM sim_customers c, generate_series(1, least(c.repeats, 60)::integer) k
		  WHERE c.lambda > 0) t
	WHERE d BETWEEN 1 AND 272 - first_day
	GROUP BY i) r ON r.i = c.i;

\ir bgbb_sim.sql

VACUUM ANALYZE orders;
VACUUM ANALYZE cdnow_rfm;
VACUUM ANALYZE sim_rfm;
VACUUM ANALYZE sim_bgbb;

SELECT bench_prewarm(ARRAY['orders', 'cdnow_rfm', 'sim_rfm', 'sim_bgbb']);
