--
-- Survey aggregates over smallint, bigint, numeric and double precision
-- scores under forced-parallel plans give the serial result, including over
-- zero matching rows; and the serial result is plain SQL's.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE par_typed AS
SELECT i,
	i % 7 AS g,
	CASE WHEN i % 17 = 0 THEN NULL ELSE (i::bigint * 7919 % 11)::smallint END AS s2,
	(1 + (i * 31) % 5)::bigint AS c8,
	(1 + (i * 13) % 7)::numeric(3, 1) AS en,
	CASE WHEN i % 19 = 0 THEN NULL ELSE (i::bigint * 7919 % 11)::float8 END AS sf
FROM generate_series(1, 300000) i;
ANALYZE par_typed;

CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('all', $$SELECT nps(s2)::text, nps_agg(s2)::text, csat(c8)::text, csat_agg(c8)::text,
		ces(en)::text, ces_agg(en)::text, nps(sf)::text, nps_agg(sf)::text,
		survey_agg(s2, 0, 10)::text, survey_agg(c8, 1, 5)::text, survey_agg(en, 1, 7)::text,
		survey_agg(sf, 0, 10)::text FROM par_typed$$),
	('by group', $$SELECT g, nps(s2)::text, csat(c8)::text, ces(en)::text, nps(sf)::text,
		survey_agg(en, 1, 7)::text FROM par_typed GROUP BY g ORDER BY g$$),
	('no rows', $$SELECT nps(s2)::text, nps_agg(sf)::text, csat(c8)::text, ces(en)::text,
		survey_agg(en, 1, 7)::text, survey_agg(sf, 0, 10)::text FROM par_typed WHERE i + 0 < 0$$),
	('no rows, by group', $$SELECT g, ces(en)::text FROM par_typed WHERE i + 0 < 0 GROUP BY g$$);

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
SELECT nps(s2) = 100.0 * (count(*) FILTER (WHERE s2 >= 9)
		- count(*) FILTER (WHERE s2 <= 6))::float8 / count(s2) AS nps_smallint_matches_sql,
	nps(sf) = 100.0 * (count(*) FILTER (WHERE sf >= 9)
		- count(*) FILTER (WHERE sf <= 6))::float8 / count(sf) AS nps_double_matches_sql,
	csat(c8) = 100.0 * count(*) FILTER (WHERE c8 >= 4) / count(c8)::float8 AS csat_bigint_matches_sql,
	abs(ces(en) - avg(en)::float8) < 1e-12 AS ces_numeric_matches_avg,
	responses(survey_agg(sf, 0, 10)) = count(sf) AS responses_match
FROM par_typed;
