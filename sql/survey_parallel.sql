--
-- Survey aggregates under forced-parallel plans give the serial result,
-- including over zero matching rows.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE par_answers AS
SELECT i,
	i % 7 AS g,
	CASE WHEN i % 17 = 0 THEN NULL ELSE (i::bigint * 7919 % 11)::int END AS nps_score,
	1 + (i * 31) % 5 AS csat_score,
	1 + (i * 13) % 7 AS ces_score
FROM generate_series(1, 300000) i;
ANALYZE par_answers;

CREATE TABLE par_daily AS
SELECT i % 20000 AS day, nps_agg(nps_score) AS s FROM par_answers GROUP BY 1;
ANALYZE par_daily;

-- The queries, each as text so that both plans run the same statement
CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('all', $$SELECT nps(nps_score)::text, nps_agg(nps_score)::text, csat(csat_score)::text,
		csat_agg(csat_score)::text, ces(ces_score)::text, ces_agg(ces_score)::text,
		survey_agg(nps_score, 0, 10)::text FROM par_answers$$),
	('by group', $$SELECT g, nps(nps_score)::text, nps_agg(nps_score)::text,
		csat(csat_score)::text, ces(ces_score)::text, survey_agg(ces_score, 1, 7)::text
		FROM par_answers GROUP BY g ORDER BY g$$),
	('no rows', $$SELECT nps(nps_score)::text, nps_agg(nps_score)::text, csat(csat_score)::text,
		ces(ces_score)::text, survey_agg(nps_score, 0, 10)::text FROM par_answers WHERE i < 0$$),
	('no rows, by group', $$SELECT g, nps(nps_score)::text FROM par_answers WHERE i < 0 GROUP BY g$$),
	('rollup', $$SELECT rollup(s)::text, nps(rollup(s))::text FROM par_daily$$),
	-- zero rows that the planner cannot foresee (an expression, not a column
	-- with statistics), so that it splits the aggregate as over matching rows
	('rollup, no rows', $$SELECT rollup(s)::text FROM par_daily WHERE day + 0 < 0$$);

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
SELECT nps(nps_score) = 100.0 * (count(*) FILTER (WHERE nps_score >= 9)
		- count(*) FILTER (WHERE nps_score <= 6))::float8 / count(nps_score) AS nps_matches_sql,
	responses(nps_agg(nps_score)) = count(nps_score) AS responses_match,
	ces(ces_score) = avg(ces_score)::float8 AS ces_matches_avg
FROM par_answers;
