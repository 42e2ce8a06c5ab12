--
-- Conversion aggregates under forced-parallel plans give the serial result,
-- including over zero matching rows: the proportion aggregates (combine
-- function), the per-entity funnels (their events cross worker boundaries:
-- combine, serialize, deserialize) and funnel_agg / rollup(funnel_summary).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SELECT setseed(0.25);

CREATE TABLE par_events AS
SELECT i,
	i % 5000 AS u,
	timestamptz '2025-01-01' + floor(random() * 864000) * interval '1 second' AS ts,
	1 + floor(random() * 5)::int AS step,
	CASE WHEN i % 23 = 0 THEN NULL ELSE (i * 31) % 7 < 2 END AS converted
FROM generate_series(1, 200000) i;
ANALYZE par_events;

CREATE TABLE par_funnels AS
SELECT u % 2500 AS day, funnel_agg(p) AS s
FROM (SELECT u, funnel_path(interval '12 hours', 'default', ts, step = 5, step = 1, step = 2, step = 3, step = 4) AS p
	FROM par_events GROUP BY u) x GROUP BY 1;
ANALYZE par_funnels;

-- The queries, each as text so that both plans run the same statement
CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('conversion', $$SELECT conversion_rate(converted)::text, proportion_agg(converted)::text,
		proportion_agg(i % 3, 3)::text FROM par_events$$),
	('conversion by group', $$SELECT u % 7, conversion_rate(converted)::text,
		proportion_agg(converted)::text FROM par_events GROUP BY 1 ORDER BY 1$$),
	('conversion, no rows', $$SELECT conversion_rate(converted)::text, proportion_agg(converted)::text
		FROM par_events WHERE i < 0$$),
	('funnel, whole table', $$SELECT window_funnel(interval '1 hour', ts, step = 1, step = 2, step = 3)::text,
		funnel_path(interval '1 hour', 'strict_increase', ts, step = 5, step = 1, step = 2, step = 3)::text
		FROM par_events WHERE u = 17$$),
	('funnel per entity', $$SELECT level, count(*) FROM (SELECT u,
		window_funnel(interval '12 hours', 'strict_once', ts, step = 1, step = 2, step = 3, step = 4) AS level
		FROM par_events GROUP BY u) x GROUP BY level ORDER BY level$$),
	('funnel summary', $$SELECT funnel_agg(p)::text FROM (SELECT u,
		funnel_path(interval '12 hours', 'default', ts, step = 5, step = 1, step = 2, step = 3, step = 4) AS p
		FROM par_events GROUP BY u) x$$),
	('funnel, no rows', $$SELECT window_funnel(interval '1 hour', ts, step = 1, step = 2)::text,
		funnel_path(interval '1 hour', '', ts, false, step = 1)::text FROM par_events WHERE i < 0$$),
	('funnel summary, no rows', $$SELECT funnel_agg(p)::text FROM (SELECT u,
		funnel_path(interval '1 hour', '', ts, false, step = 1) AS p FROM par_events WHERE i < 0 GROUP BY u) x$$),
	('rollup', $$SELECT rollup(s)::text FROM par_funnels$$),
	('rollup, no rows', $$SELECT rollup(s)::text FROM par_funnels WHERE day < 0$$),
	('rollup by group', $$SELECT day % 3, rollup(s)::text FROM par_funnels GROUP BY 1 ORDER BY 1$$),
	-- funnel_agg(level, steps) straight over the table: workers send their
	-- flat funnel_summary states, none when they saw no rows
	('funnel levels', $$SELECT funnel_agg(i % 5, 4)::text FROM par_events$$),
	('funnel levels by group', $$SELECT u % 7, funnel_agg(i % 5, 4)::text FROM par_events GROUP BY 1 ORDER BY 1$$),
	('funnel levels, no rows', $$SELECT funnel_agg(i % 5, 4)::text FROM par_events WHERE i < 0$$),
	('funnel levels by group, no rows', $$SELECT u % 7, funnel_agg(i % 5, 4)::text FROM par_events WHERE i < 0 GROUP BY 1$$);
-- more than 64 steps: the mask words beyond the first cross worker boundaries
INSERT INTO queries
SELECT 'funnel, 70 steps', format($$SELECT level, count(*) FROM (SELECT u,
	window_funnel(interval '12 hours', 'strict_once', ts, %s) AS level
	FROM par_events GROUP BY u) x GROUP BY level ORDER BY level$$,
	string_agg(format('step = %s', 1 + k % 5), ', ' ORDER BY k))
FROM generate_series(0, 69) k;

\set ECHO none
\i test/parallel.sql
\set ECHO all

-- serial
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();

-- forced parallel: every plan below has a Partial Aggregate under a Gather
SET enable_sort = off;
SELECT pg_temp.force_parallel() AS forced;

EXPLAIN (COSTS OFF) SELECT conversion_rate(converted) FROM par_events;
EXPLAIN (COSTS OFF) SELECT window_funnel(interval '1 hour', ts, step = 1, step = 2) FROM par_events;
EXPLAIN (COSTS OFF) SELECT u, window_funnel(interval '1 hour', ts, step = 1, step = 2) FROM par_events GROUP BY u;
EXPLAIN (COSTS OFF) SELECT rollup(s) FROM par_funnels;
EXPLAIN (COSTS OFF) SELECT funnel_agg(i % 5, 4) FROM par_events;

-- the workers really ran: each one's partial state reached the leader
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT window_funnel(interval '1 hour', ts, step = 1, step = 2) FROM par_events;

CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();

SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;

-- and the serial values themselves, checked against plain SQL
SELECT conversion_rate(converted) = avg(converted::int)::float8 AS rate_matches_avg,
	trials(proportion_agg(converted)) = count(converted) AS trials_match
FROM par_events;
-- the funnel summary counts entities reaching at least step k, which the
-- per-entity levels give as count(*) FILTER (WHERE level >= k) (here
-- without the exclusion event, step 5, that the queries above use)
SELECT
	(SELECT array_agg(entities ORDER BY step) FROM funnel_steps((SELECT funnel_agg(p) FROM (SELECT u,
		funnel_path(interval '12 hours', 'default', ts, false, step = 1, step = 2, step = 3, step = 4) AS p
		FROM par_events GROUP BY u) x)))
	= (SELECT ARRAY[count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
		count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)]
	   FROM (SELECT u, window_funnel(interval '12 hours', ts, step = 1, step = 2, step = 3, step = 4) AS level
		FROM par_events GROUP BY u) x) AS reached_matches_levels;

DROP TABLE par_events, par_funnels;
