--
-- Survival aggregates under forced-parallel plans give the serial result,
-- including over zero matching rows.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- durations 0..999 days (some fractional), one event in three censored
CREATE TABLE surv_par_lifetimes AS
SELECT i,
	i % 7 AS g,
	CASE WHEN i % 101 = 0 THEN NULL
		ELSE ((i::bigint * 7919) % 1000)::float8 + CASE WHEN i % 13 = 0 THEN 0.5 ELSE 0 END END AS duration,
	i % 3 <> 0 AS event
FROM generate_series(1, 300000) i;
ANALYZE surv_par_lifetimes;

CREATE TABLE surv_par_daily AS
SELECT i % 5000 AS day, survival_agg(duration, event) AS s FROM surv_par_lifetimes GROUP BY 1;
ANALYZE surv_par_daily;

-- sBG rows: one row per (cohort, period), survivors falling geometrically
CREATE TABLE surv_par_cohorts AS
SELECT c AS cohort, p AS period, floor(100000 * 0.8 ^ p * (1 + c % 3) / (1 + 0.01 * p * (c % 5)))::bigint AS survivors
FROM generate_series(1, 200) c, generate_series(0, 24) p;
ANALYZE surv_par_cohorts;

CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('all', $$SELECT survival_agg(duration, event)::text, survival_agg(duration, event::int)::text,
		median_survival(survival_agg(duration, event))::text FROM surv_par_lifetimes$$),
	('by group', $$SELECT g, survival_agg(duration, event)::text FROM surv_par_lifetimes GROUP BY g ORDER BY g$$),
	('no rows', $$SELECT survival_agg(duration, event)::text FROM surv_par_lifetimes WHERE i < 0$$),
	('no rows, by group', $$SELECT g, survival_agg(duration, event)::text FROM surv_par_lifetimes WHERE i < 0 GROUP BY g$$),
	('rollup', $$SELECT rollup(s)::text FROM surv_par_daily$$),
	-- zero rows that the planner cannot foresee (an expression, not a column
	-- with statistics), so that it splits the aggregate as over matching rows
	('rollup, no rows', $$SELECT rollup(s)::text FROM surv_par_daily WHERE day + 0 < 0$$),
	('sbg', $$SELECT sbg_fit(period, survivors)::text FROM surv_par_cohorts WHERE cohort = 7$$),
	('sbg by cohort', $$SELECT cohort, sbg_fit(period, survivors)::text FROM surv_par_cohorts GROUP BY cohort ORDER BY cohort$$),
	('sbg, no rows', $$SELECT sbg_fit(period, survivors)::text FROM surv_par_cohorts WHERE cohort + 0 < 0$$),
	('sbg standard errors', $$SELECT sbg_std_errors(period, survivors)::text FROM surv_par_cohorts WHERE cohort = 7$$),
	('sbg standard errors, no rows', $$SELECT sbg_std_errors(period, survivors)::text FROM surv_par_cohorts WHERE cohort + 0 < 0$$);

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
SELECT subjects(s) = (SELECT count(duration) FROM surv_par_lifetimes) AS subjects_match,
	events(s) = (SELECT count(*) FROM surv_par_lifetimes WHERE event AND duration IS NOT NULL) AS events_match,
	(SELECT count(*) FROM kaplan_meier(s, 0.95, true))
		= (SELECT count(DISTINCT duration) FROM surv_par_lifetimes) AS one_row_per_duration
FROM (SELECT survival_agg(duration, event) s FROM surv_par_lifetimes) x;
