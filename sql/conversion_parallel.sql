--
-- Conversion aggregates under forced-parallel plans give the serial result,
-- including over zero matching rows: the proportion aggregates (combine
-- function), the per-entity funnels (their events cross worker boundaries:
-- combine, serialize, deserialize), the sequences (sequence_match,
-- sequence_count: likewise), funnel_breakdown (with the events' properties)
-- and funnel_agg / rollup(funnel_summary).
-- A 70-step funnel reaches levels beyond 64, where an event's steps take a
-- second mask word: serially, with each entity's events merged from two
-- partitions (partitionwise aggregation: the combine function runs in a
-- serial plan, with no worker scheduling to leave it out) and across workers,
-- each checked against the levels and paths its data was built to give.
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

-- 70 steps (step k: "step = k"), 12-hour window, default mode.  Entity u is
-- built to reach level L = the u % 12'th of 0, 1, 63, 64, 65, ..., 69, 70, 70,
-- 70 (20 entities per level, 60 at 70): it has one event of every step k but
-- L + 1, at 00:k (k minutes past midnight), except step 70 at 12:01; its
-- step L + 1 comes at 12:01:01; entities at level 0 have no step 1 at all.
-- A chain starts at step 1 (00:01), so its window ends at 12:01 inclusive:
-- steps 1..L follow each other in time, step L + 1 is one second too late,
-- and no later step counts without it.  So window_funnel gives L and
-- funnel_path the times of steps 1..L (step 70 at 12:01), NULL beyond, which
-- f70_expected writes down from the construction, not from the events.
-- The events are partitioned by the parity of their step: the odd partition
-- holds steps 65, 67, 69, so a combine that loses the mask words beyond the
-- first of the states it merges in stops every chain at 64 or 65.
CREATE TABLE par_steps (u int, step int, ts timestamptz) PARTITION BY LIST ((step % 2));
CREATE TABLE par_steps_even PARTITION OF par_steps FOR VALUES IN (0);
CREATE TABLE par_steps_odd PARTITION OF par_steps FOR VALUES IN (1);
CREATE TABLE par_targets AS
SELECT u, (ARRAY[0, 1, 63, 64, 65, 66, 67, 68, 69, 70, 70, 70])[1 + u % 12] AS level
FROM generate_series(1, 240) u;
-- in time order of step, as a log would have them
INSERT INTO par_steps
SELECT u, k, timestamptz '2025-03-01' + CASE WHEN k = level + 1 THEN interval '12:01:01'
		WHEN k = 70 THEN interval '12:01' ELSE k * interval '1 minute' END
FROM par_targets, generate_series(1, 70) k
WHERE level > 0 OR k > 1
ORDER BY k, u;
ANALYZE par_steps;
CREATE TEMP TABLE f70_expected AS
SELECT u, level, ARRAY(SELECT CASE WHEN k <= level THEN timestamptz '2025-03-01'
		+ CASE WHEN k = 70 THEN interval '12:01' ELSE k * interval '1 minute' END END
	FROM generate_series(1, 70) k ORDER BY k) AS path
FROM par_targets;
SELECT format($$SELECT u, window_funnel(interval '12 hours', ts, %1$s) AS level,
	funnel_path(interval '12 hours', 'default', ts, false, %1$s) AS path
	FROM par_steps GROUP BY u$$, string_agg(format('step = %s', k), ', ' ORDER BY k)) AS funnel70
FROM generate_series(1, 70) k \gset

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
	-- funnel_breakdown: the events' properties cross workers with them
	('funnel breakdown per entity', $$SELECT f, l, s, count(*) FROM (SELECT u,
		funnel_breakdown(interval '12 hours', 'default', 'first_touch', ts, chr(97 + i % 5), step = 5,
			step = 1, step = 2, step = 3, step = 4) AS f,
		funnel_breakdown(interval '12 hours', 'strict_once', 'last_touch', ts,
			CASE WHEN i % 3 = 0 THEN NULL ELSE chr(97 + i % 7) END, false, step = 1, step = 2, step = 3) AS l,
		funnel_breakdown(interval '12 hours', 'default', 'step_2', ts, i::text, step = 5,
			step = 1, step = 2, step = 3, step = 4) AS s
		FROM par_events GROUP BY u) x GROUP BY f, l, s ORDER BY f, l, s$$),
	-- a few step events per entity (a step only where i % 7 = 0: about 3 of
	-- its 40 rows), spread over the table: the leader merges states of a few
	-- events each into one deserialized from a worker (within its first
	-- capacity).  Grouped by u over all rows, as the cases above, so that
	-- every PostgreSQL version aggregates in the workers
	('funnel breakdown, few events per entity', $$SELECT f, count(*) FROM (SELECT u,
		funnel_breakdown(interval '12 hours', 'default', 'first_touch', ts, repeat(chr(97 + i % 5), i % 40),
			false, step = 1 AND i % 7 = 0, step = 2 AND i % 7 = 0, step = 3 AND i % 7 = 0) AS f
		FROM par_events GROUP BY u) x GROUP BY f ORDER BY f$$),
	('funnel breakdown, no rows', $$SELECT funnel_breakdown(interval '1 hour', 'default', 'step_1', ts, 'x',
		false, step = 1)::text FROM par_events WHERE i + 0 < 0$$),
	('funnel breakdown per entity, no rows', $$SELECT u, funnel_breakdown(interval '1 hour', 'default',
		'first_touch', ts, 'x', false, step = 1) FROM par_events WHERE i + 0 < 0 GROUP BY u$$),
	('funnel summary, no rows', $$SELECT funnel_agg(p)::text FROM (SELECT u,
		funnel_path(interval '1 hour', '', ts, false, step = 1) AS p FROM par_events WHERE i < 0 GROUP BY u) x$$),
	('rollup', $$SELECT rollup(s)::text FROM par_funnels$$),
	-- zero rows that the planner cannot foresee (an expression, not a column
	-- with statistics), so that it splits the aggregate as over matching rows
	('rollup, no rows', $$SELECT rollup(s)::text FROM par_funnels WHERE day + 0 < 0$$),
	-- funnel_agg(level, steps) straight over the table: workers send their
	-- flat funnel_summary states, none when they saw no rows
	('funnel levels', $$SELECT funnel_agg(i % 5, 4)::text FROM par_events$$),
	('funnel levels by group', $$SELECT u % 7, funnel_agg(i % 5, 4)::text FROM par_events GROUP BY 1 ORDER BY 1$$),
	('funnel levels, no rows', $$SELECT funnel_agg(i % 5, 4)::text FROM par_events WHERE i + 0 < 0$$),
	('funnel levels by group, no rows', $$SELECT u % 7, funnel_agg(i % 5, 4)::text FROM par_events WHERE i + 0 < 0 GROUP BY 1$$),
	-- sequence_match, sequence_count: the events of an entity cross workers
	('sequence per entity', $$SELECT m, c, count(*) FROM (SELECT u,
		sequence_match('(?1).*(?2)(?t<=3600)(?3)', ts, step = 1, step = 2, step = 3) AS m,
		sequence_count('(?1).*(?2)', ts, step = 1, step = 2) AS c
		FROM par_events GROUP BY u) x GROUP BY m, c ORDER BY m, c$$),
	('sequence, whole table', $$SELECT sequence_count('(?1).*(?2)', ts, step = 1, step = 2),
		sequence_count('(?1)(?t>=3600)(?2)', ts, step = 4, step = 5),
		sequence_match('(?1)(?2)(?3)(?4)(?5)', ts, VARIADIC ARRAY[step = 1, step = 2, step = 3, step = 4, step = 5])
		FROM par_events$$),
	-- ClickHouse 02713_sequence_match_serialization_fix: times 1..99, (?1)
	-- odd, (?2) even, (?1)(?2) -> 1 whether or not the state is serialized
	('sequence, 02713', $$SELECT sequence_match('(?1)(?2)', timestamptz '2025-01-01' + i * interval '1 second',
		i % 2 = 1, i % 2 = 0) FROM par_events WHERE i < 100$$),
	('sequence, no rows', $$SELECT sequence_match('(?1)', ts, step = 1)::text, sequence_count('(?1)', ts, step = 1)::text
		FROM par_events WHERE i + 0 < 0$$),
	('sequence per entity, no rows', $$SELECT u, sequence_count('(?1)', ts, step = 1)
		FROM par_events WHERE i + 0 < 0 GROUP BY u$$);

\set ECHO none
\i test/parallel.sql
\set ECHO all

-- serial: no plan splits an aggregate
SET max_parallel_workers_per_gather = 0;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();
SELECT pg_temp.plan_shape(:'funnel70');
CREATE TEMP TABLE f70_serial AS :funnel70;

-- partitionwise: each partition's events aggregated apart, then combined
SET enable_partitionwise_aggregate = on;
SELECT pg_temp.plan_shape(:'funnel70');
CREATE TEMP TABLE f70_partitionwise AS :funnel70;
RESET enable_partitionwise_aggregate;

-- forced parallel: each plan has a Partial Aggregate under a Gather (the
-- funnels' events are split between the workers)
SET enable_sort = off;
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();
SELECT pg_temp.plan_shape(:'funnel70');
CREATE TEMP TABLE f70_parallel AS :funnel70;

SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;
-- ClickHouse's 02713 gives 1 for (?1)(?2); no rows give NULL, per entity no row
SELECT s.name, s.result, p.result AS parallel
FROM serial_results s JOIN parallel_results p USING (name)
WHERE name IN ('sequence, 02713', 'sequence, no rows', 'sequence per entity, no rows') ORDER BY name;

-- the 70-step funnel under the three plans: entities per level built, and
-- how many of them each plan gives that level and path
SELECT e.level, count(*) AS entities,
	count(*) FILTER (WHERE (s.level, s.path) = (e.level, e.path)) AS serial,
	count(*) FILTER (WHERE (w.level, w.path) = (e.level, e.path)) AS partitionwise,
	count(*) FILTER (WHERE (p.level, p.path) = (e.level, e.path)) AS parallel
FROM f70_expected e LEFT JOIN f70_serial s USING (u) LEFT JOIN f70_partitionwise w USING (u)
	LEFT JOIN f70_parallel p USING (u)
GROUP BY e.level ORDER BY e.level;

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

DROP TABLE par_events, par_funnels, par_steps, par_targets;
