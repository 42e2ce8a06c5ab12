--
-- coxph_fit under forced-parallel plans gives the serial model, to the last
-- bit: the partial states merge by adding the counts of identical rows, and
-- the fit sorts the distinct rows into one total order (by time, then by a
-- hash of the rest of the row, then by the rest) before it sums anything,
-- whatever order they were merged in.  Including
-- over zero matching rows (NULL).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- 200,000 subjects: a continuous and a categorical covariate, durations
-- 1..400 with a risk depending on both, one in four censored
CREATE TABLE cox_par_subjects AS
SELECT i,
	i % 5 AS g,
	((i::bigint * 7919) % 1000) / 100.0 AS score,
	(i % 3)::float8 AS plan,
	CASE WHEN i % 997 = 0 THEN NULL
		ELSE 1 + ((i::bigint * 104729) % 400)::float8 * (1 + (i % 3)) / (1 + ((i::bigint * 7919) % 1000) / 250.0) END AS duration,
	i % 4 <> 0 AS event
FROM generate_series(1, 200000) i;
ANALYZE cox_par_subjects;

CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('all', $$SELECT coxph_fit(duration, event, ARRAY[score, plan])::text FROM cox_par_subjects$$),
	('named, breslow', $$SELECT coxph_fit(duration, event, ARRAY[score, plan], ARRAY['score', 'plan'], 'breslow')::text
		FROM cox_par_subjects$$),
	('entry times', $$SELECT coxph_fit(least(duration / 2, 20), duration, event, ARRAY[score, plan])::text FROM cox_par_subjects$$),
	('entry times, named, breslow', $$SELECT coxph_fit(least(duration / 2, 20), duration, event, ARRAY[score, plan], ARRAY['score', 'plan'], 'breslow')::text
		FROM cox_par_subjects$$),
	('categorical', $$SELECT coxph_fit(round(duration / 100), event, ARRAY[plan])::text FROM cox_par_subjects$$),
	('by group', $$SELECT g, coxph_fit(duration, event, ARRAY[score, plan])::text FROM cox_par_subjects GROUP BY g ORDER BY g$$),
	('no rows', $$SELECT coxph_fit(duration, event, ARRAY[score, plan])::text FROM cox_par_subjects WHERE i + 0 < 0$$),
	('no rows, by group', $$SELECT g, coxph_fit(duration, event, ARRAY[score])::text FROM cox_par_subjects WHERE i + 0 < 0 GROUP BY g$$);

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
-- the fits are real models; no rows: NULL, or no groups
SELECT name, CASE WHEN length(result) > 100 THEN 'a model' ELSE result END AS result
FROM parallel_results ORDER BY name;
SELECT converged(coxph_fit(duration, event, ARRAY[score, plan])) FROM cox_par_subjects;
