--
-- Unordered funnels: mode 'unordered' of window_funnel and funnel_path, as
-- PostHog's "unordered" funnel order type (funnel-udf/src/unordered_steps.rs
-- of PostHog/posthog at commit 8f6eaa2a26a10f00aea73972dc41f207b096eaf4).
-- A window starts at an instant s and holds the events at s .. s + window
-- (inclusive), none after the first exclusion event later than s; the level
-- is the most distinct steps one window holds, the path the times of the
-- first, second, ... step completed in the earliest window reaching it.
-- Hand-built logs with the levels and paths derived in the comments, then a
-- plain-SQL formulation over random logs, PostHog's test cases, 70 steps,
-- errors, and forced-parallel plans.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Steps a, b, c: "e contains the letter" (so 'ab' is a row of steps a and b);
-- x is an exclusion event; times in seconds from the epoch, window 10 s.
CREATE TABLE uo_hand (u int, s int, e text);
INSERT INTO uo_hand VALUES
	-- 1: c, b, a in reverse order: 3 at once, path 0, 1, 2 (ordered: 1)
	(1, 0, 'c'), (1, 1, 'b'), (1, 2, 'a'),
	-- 2: a@0 b@5 c@11: [0, 10] holds a, b; [5, 15] b, c; [11, 21] c: 2,
	-- the earliest window (from 0): 0, 5
	(2, 0, 'a'), (2, 5, 'b'), (2, 11, 'c'),
	-- 3: as 2 with c@10, at the window's end (inclusive): 3, path 0, 5, 10
	(3, 0, 'a'), (3, 5, 'b'), (3, 10, 'c'),
	-- 4: repeated steps b@0 b@3 a@4 b@6 c@14: [0, 10] and [3, 13] hold a, b;
	-- [4, 14] a, b, c: 3; its first a, b, c at 4, 6, 14
	(4, 0, 'b'), (4, 3, 'b'), (4, 4, 'a'), (4, 6, 'b'), (4, 14, 'c'),
	-- 5: ties: c, a, b at one instant: 3, path 7, 7, 7
	(5, 7, 'c'), (5, 7, 'a'), (5, 7, 'b'),
	-- 6: one row of steps a and b at 0, c at 20: 2, path 0, 0
	(6, 0, 'ab'), (6, 20, 'c'),
	-- 7: no step: 0, path all NULL
	(7, 0, 'z'),
	-- 8: other events between the steps change nothing: b, z, c, z, a: 3
	(8, 0, 'b'), (8, 1, 'z'), (8, 2, 'c'), (8, 3, 'z'), (8, 4, 'a'),
	-- 9: a@0 x@2 b@3 c@4: the window from 0 ends at the exclusion (a: 1);
	-- from 2 (the exclusion itself starts a window) [2, 12] holds b, c: 2,
	-- path 3, 4.  Without exclusions: 3, path 0, 3, 4
	(9, 0, 'a'), (9, 2, 'x'), (9, 3, 'b'), (9, 4, 'c'),
	-- 10: a@0 b@2 x@2 c@3: the exclusion at 2 is taken after the step at 2:
	-- from 0, a and b (2, path 0, 2); from 2 no exclusion later: b, c (2):
	-- the earliest wins, 0, 2
	(10, 0, 'a'), (10, 2, 'b'), (10, 2, 'x'), (10, 3, 'c'),
	-- 11: x@0 a@0 b@1 c@30: an exclusion at the window's start does not end
	-- it: 2, path 0, 1
	(11, 0, 'x'), (11, 0, 'a'), (11, 1, 'b'), (11, 30, 'c'),
	-- 12: a@0 b@0 c@1 with a window of 0 (below): 2, path 0, 0
	(12, 0, 'a'), (12, 0, 'b'), (12, 1, 'c');

SELECT u,
	window_funnel(interval '10 s', 'unordered', to_timestamp(s), e LIKE '%a%', e LIKE '%b%', e LIKE '%c%') AS level,
	window_funnel(interval '10 s', to_timestamp(s), e LIKE '%a%', e LIKE '%b%', e LIKE '%c%') AS ordered,
	funnel_path(interval '10 s', 'unordered', to_timestamp(s), e = 'x', e LIKE '%a%', e LIKE '%b%', e LIKE '%c%')
		AS path_excluding_x,
	funnel_path(interval '10 s', 'unordered', to_timestamp(s), false, e LIKE '%a%', e LIKE '%b%', e LIKE '%c%')
		AS path
FROM uo_hand GROUP BY u ORDER BY u;
-- a window of 0 (12: 2), of 1 s (12: 3), and of 10 s after one row of the
-- same instant leaves (5 without b: 2)
SELECT window_funnel(interval '0', 'unordered', to_timestamp(s), e = 'a', e = 'b', e = 'c') AS w0,
	window_funnel(interval '1 s', 'unordered', to_timestamp(s), e = 'a', e = 'b', e = 'c') AS w1
FROM uo_hand WHERE u = 12;
SELECT window_funnel(interval '10 s', 'unordered', to_timestamp(s), e = 'a', e = 'b', e = 'c')
FROM uo_hand WHERE u = 5 AND e <> 'b';
-- one step: any step event gives 1; 'default, unordered' is 'unordered'
SELECT window_funnel(interval '10 s', 'default, unordered', to_timestamp(s), e = 'c') FROM uo_hand WHERE u = 2;
-- no row: NULL
SELECT window_funnel(interval '10 s', 'unordered', to_timestamp(s), e = 'a') IS NULL AS no_rows
FROM uo_hand WHERE u < 0;
-- the path feeds funnel_agg like an ordered one (times between completions)
-- (paths above: 12 entities, 11 reach a step and 11 two, 8 three; times
-- from the first completion to the second 0, 0, 0, 1, 1, 2, 2, 2, 3, 5, 5 s,
-- median 2 s; to the third 0, 1, 1, 1, 1, 2, 5, 8 s, median 1 s)
SELECT step, entities, median_time_from_previous FROM funnel_steps((SELECT funnel_agg(path) FROM (
	SELECT funnel_path(interval '10 s', 'unordered', to_timestamp(s), false, e LIKE '%a%', e LIKE '%b%', e LIKE '%c%')
		AS path
	FROM uo_hand GROUP BY u) x));

-- PostHog's test_funnel_unordered.py (posthog/hogql_queries/insights/funnels/
-- test/, commit 047c6377ea74e81772b54cac097ee34c612a064a):
-- test_basic_unordered_funnel (steps: user signed up, $pageview, insight
-- viewed; each person's events in the order the test creates them, 1 s
-- apart, within the 14-day default window): "Completed 1 step" 8,
-- "Completed 2 steps" 5, "Completed 3 steps" 3; and
-- test_big_multi_step_unordered_funnel (the same persons, 4 steps with
-- "crying", person 2's second event and person 4's second are "crying"):
-- 8, 5, 3, 1.
CREATE TABLE uo_posthog (test text, person int, i int, event text);
INSERT INTO uo_posthog
SELECT t, p, i, ev
FROM (VALUES
	('basic', 1, ARRAY['user signed up']),
	('basic', 2, ARRAY['$pageview', 'user signed up']),
	('basic', 3, ARRAY['user signed up', '$pageview', 'blaah blaa', 'insight viewed']),
	('basic', 4, ARRAY['insight viewed', '$pageview', 'user signed up']),
	('basic', 5, ARRAY['$pageview', 'user signed up', 'blaah blaa', 'insight viewed']),
	('basic', 6, ARRAY['blaah blaa', 'insight viewed']),
	('basic', 7, ARRAY['$pageview', 'blaah blaa']),
	('basic', 8, ARRAY['insight viewed', '$pageview']),
	('big', 1, ARRAY['user signed up']),
	('big', 2, ARRAY['$pageview', 'crying']),
	('big', 3, ARRAY['user signed up', '$pageview', 'blaah blaa', 'insight viewed']),
	('big', 4, ARRAY['insight viewed', 'crying', 'user signed up']),
	('big', 5, ARRAY['$pageview', 'user signed up', 'crying', 'insight viewed']),
	('big', 6, ARRAY['blaah blaa', 'insight viewed']),
	('big', 7, ARRAY['$pageview', 'blaah blaa']),
	('big', 8, ARRAY['insight viewed', '$pageview'])) v(t, p, evs),
	unnest(evs) WITH ORDINALITY AS x(ev, i);
SELECT test, ARRAY(SELECT funnel_reached(funnel_agg(level, nsteps), k) FROM generate_series(1, max(nsteps)) k
	ORDER BY k) AS completed FROM (
	SELECT test, person, CASE test WHEN 'basic' THEN 3 ELSE 4 END AS nsteps,
		CASE test WHEN 'basic' THEN
			window_funnel(interval '14 days', 'unordered', timestamptz '2020-01-01' + i * interval '1 s',
				event = 'user signed up', event = '$pageview', event = 'insight viewed')
		ELSE window_funnel(interval '14 days', 'unordered', timestamptz '2020-01-01' + i * interval '1 s',
				event = 'user signed up', event = '$pageview', event = 'insight viewed', event = 'crying')
		END AS level
	FROM uo_posthog GROUP BY test, person) x
GROUP BY test ORDER BY test;

-- PostHog's algorithm itself: test/reference/posthog_unordered_reference.py
-- ports unordered_steps.rs (commit 8f6eaa2a) and gives the level and step
-- times of 600 random entities (rows of one step each, 1 to 7 steps,
-- windows of 0 to 30 s, many ties; 200 dense ones); all agree
CREATE TABLE uo_ph_events (entity int, steps int, "window" int, "row" int, ts int, step int);
\copy uo_ph_events FROM 'test/data/posthog_unordered_events.csv' (FORMAT csv, HEADER)
CREATE TABLE uo_ph_results (entity int, level int, times text);
\copy uo_ph_results FROM 'test/data/posthog_unordered_results.csv' (FORMAT csv, HEADER)
SELECT count(*) AS entities,
	count(*) FILTER (WHERE o.level = r.level AND o.path = ARRAY(
		SELECT CASE WHEN k <= r.level THEN to_timestamp((string_to_array(r.times, ' '))[k]::int) END
		FROM generate_series(1, o.steps) k ORDER BY k)) AS level_and_times_agree,
	max(r.level) AS max_level
FROM (SELECT entity, min(steps) AS steps,
		window_funnel("window" * interval '1 s', 'unordered', to_timestamp(ts),
			VARIADIC ARRAY(SELECT step = k FROM generate_series(1, 7) k ORDER BY k)) AS level,
		(funnel_path("window" * interval '1 s', 'unordered', to_timestamp(ts), false,
			VARIADIC ARRAY(SELECT step = k FROM generate_series(1, 7) k ORDER BY k)))[1:min(steps)] AS path
	FROM uo_ph_events GROUP BY entity) o
JOIN uo_ph_results r USING (entity);

-- A plain-SQL formulation over random logs: 400 users, events of kinds 1..6
-- at whole seconds 0..39 (many ties); steps: kind 1, kind 2 or 6, kind 3 or 6,
-- kind 4 (a kind-6 row is two steps); kind 5 is the exclusion event; window
-- 10 s.  For every instant t of a user's events: the steps of the events at
-- t .. t + 10 s, none after the first exclusion later than t; the level is
-- the most of them, the path the sorted earliest time of each step in the
-- earliest window with the most.
-- Uniform draws in [0, 1) from a hash of their key, so that the data are
-- the same on every PostgreSQL version (random() after setseed() draws other
-- numbers before 15; hash functions do not change between versions)
CREATE FUNCTION pg_temp.uniform(key bigint) RETURNS double precision LANGUAGE sql IMMUTABLE
AS $$ SELECT (hashint8extended(key, 0) & 9007199254740991)::float8 / 9007199254740992 $$;
CREATE TABLE uo_random AS
SELECT u, to_timestamp(floor(pg_temp.uniform(2 * (100 * u + g)) * 40)) AS ts,
	1 + floor(pg_temp.uniform(2 * (100 * u + g) + 1) * 6)::int AS kind
FROM generate_series(1, 400) u, generate_series(1, 1 + (u % 13)) g;
CREATE TEMP TABLE uo_steps AS
SELECT u, ts, step FROM uo_random
	JOIN (VALUES (1, 1), (2, 2), (6, 2), (3, 3), (6, 3), (4, 4)) m(kind, step) USING (kind);
CREATE TEMP TABLE uo_sql AS
WITH starts AS (SELECT DISTINCT u, ts AS t FROM uo_random),
windows AS (
	SELECT u, t, x AS excluded, count(DISTINCT step) AS level,
		array_agg(first_ts ORDER BY first_ts) FILTER (WHERE first_ts IS NOT NULL) AS times
	FROM (SELECT st.u, st.t, x.x, w.step, min(w.ts) AS first_ts
		FROM starts st
		CROSS JOIN (VALUES (false), (true)) x(x)
		LEFT JOIN uo_steps w ON w.u = st.u AND w.ts >= st.t AND w.ts <= st.t + interval '10 s'
			AND (NOT x.x OR w.ts <= coalesce((SELECT min(e.ts) FROM uo_random e
				WHERE e.u = st.u AND e.kind = 5 AND e.ts > st.t), 'infinity'))
		GROUP BY st.u, st.t, x.x, w.step) per_step
	GROUP BY u, t, x)
SELECT DISTINCT ON (u, excluded) u, excluded, level,
	ARRAY(SELECT times[k] FROM generate_series(1, 4) k ORDER BY k) AS path
FROM windows ORDER BY u, excluded, level DESC, t;
CREATE TEMP TABLE uo_ours AS
SELECT u,
	window_funnel(interval '10 s', 'unordered', ts, kind = 1, kind IN (2, 6), kind IN (3, 6), kind = 4) AS level,
	funnel_path(interval '10 s', 'unordered', ts, false, kind = 1, kind IN (2, 6), kind IN (3, 6), kind = 4) AS path,
	funnel_path(interval '10 s', 'unordered', ts, kind = 5, kind = 1, kind IN (2, 6), kind IN (3, 6), kind = 4)
		AS path_x,
	window_funnel(interval '10 s', ts, kind = 1, kind IN (2, 6), kind IN (3, 6), kind = 4) AS ordered
FROM uo_random GROUP BY u;
-- every user agrees; the levels spread over 1..4; an unordered level is
-- never below the ordered one (an ordered chain's steps lie in one window)
SELECT count(*) AS users,
	count(*) FILTER (WHERE o.level = s.level AND o.path IS NOT DISTINCT FROM s.path) AS level_and_path_agree,
	count(*) FILTER (WHERE o.path_x IS NOT DISTINCT FROM x.path) AS path_with_exclusions_agrees,
	count(*) FILTER (WHERE o.level < o.ordered) AS below_ordered,
	count(*) FILTER (WHERE o.level > o.ordered) AS above_ordered
FROM uo_ours o JOIN uo_sql s ON s.u = o.u AND NOT s.excluded JOIN uo_sql x ON x.u = o.u AND x.excluded;
SELECT level, count(*) FROM uo_ours GROUP BY level ORDER BY level;

-- 70 steps (the second mask word): step k at 71 - k s, in reverse order, so
-- the steps span 1 .. 70 s: a window of 69 s holds all 70, one of 68 s 69
-- (from 1 s, steps 70 .. 2; its path 1 .. 69 s); the path is 1 .. 70 s
CREATE TEMP TABLE uo_70 AS SELECT k, to_timestamp(71 - k) AS ts FROM generate_series(1, 70) k;
SELECT window_funnel(interval '69 s', 'unordered', ts,
		VARIADIC ARRAY(SELECT k = j FROM generate_series(1, 70) j ORDER BY j)) AS w69,
	window_funnel(interval '68 s', 'unordered', ts,
		VARIADIC ARRAY(SELECT k = j FROM generate_series(1, 70) j ORDER BY j)) AS w68,
	funnel_path(interval '69 s', 'unordered', ts, false,
		VARIADIC ARRAY(SELECT k = j FROM generate_series(1, 70) j ORDER BY j))
	= ARRAY(SELECT to_timestamp(j) FROM generate_series(1, 70) j ORDER BY j) AS path69,
	funnel_path(interval '68 s', 'unordered', ts, false,
		VARIADIC ARRAY(SELECT k = j FROM generate_series(1, 70) j ORDER BY j))
	= ARRAY(SELECT CASE WHEN j < 70 THEN to_timestamp(j) END FROM generate_series(1, 70) j ORDER BY j) AS path68
FROM uo_70;

-- 100 steps over random logs (two mask words; steps of both words in one
-- window): 60 users, 1..60 events of kinds 1..100 at whole seconds 0..99,
-- step k = kind k, window 30 s, against the same plain SQL
CREATE TABLE uo_random100 AS
SELECT u, to_timestamp(floor(pg_temp.uniform(1000000 + 2 * (100 * u + g)) * 100)) AS ts,
	1 + floor(pg_temp.uniform(1000000 + 2 * (100 * u + g) + 1) * 100)::int AS kind
FROM generate_series(1, 60) u, generate_series(1, u) g;
SELECT count(*) AS users, count(*) FILTER (WHERE o.level = s.level AND o.path = s.path) AS level_and_path_agree,
	min(o.level) AS min_level, max(o.level) AS max_level
FROM (SELECT u,
		window_funnel(interval '30 s', 'unordered', ts,
			VARIADIC ARRAY(SELECT kind = k FROM generate_series(1, 100) k ORDER BY k)) AS level,
		funnel_path(interval '30 s', 'unordered', ts, false,
			VARIADIC ARRAY(SELECT kind = k FROM generate_series(1, 100) k ORDER BY k)) AS path
	FROM uo_random100 GROUP BY u) o
JOIN (SELECT DISTINCT ON (u) u, level,
		ARRAY(SELECT times[k] FROM generate_series(1, 100) k ORDER BY k) AS path
	FROM (SELECT u, t, count(*) AS level, array_agg(first_ts ORDER BY first_ts) AS times
		FROM (SELECT st.u, st.t, w.kind, min(w.ts) AS first_ts
			FROM (SELECT DISTINCT u, ts AS t FROM uo_random100) st
			JOIN uo_random100 w ON w.u = st.u AND w.ts >= st.t AND w.ts <= st.t + interval '30 s'
			GROUP BY st.u, st.t, w.kind) per_step
		GROUP BY u, t) windows
	ORDER BY u, level DESC, t) s USING (u);

-- doc/conversion.md's example: the steps in reverse order, ordered 1, unordered 3
SELECT window_funnel(interval '1 day', ts, ev = 'visit', ev = 'signup', ev = 'purchase') AS ordered,
       window_funnel(interval '1 day', 'unordered', ts, ev = 'visit', ev = 'signup', ev = 'purchase') AS unordered,
       funnel_path(interval '1 day', 'unordered', ts, false, ev = 'visit', ev = 'signup', ev = 'purchase') AS path
FROM (VALUES ('2025-01-01 10:00+00'::timestamptz, 'purchase'), ('2025-01-01 11:00+00', 'signup'),
             ('2025-01-01 12:00+00', 'visit')) v(ts, ev);

-- Modes: unordered alone (the strict modes are about order)
SELECT window_funnel(interval '1 s', 'unordered, strict_order', now(), true);
SELECT funnel_path(interval '1 s', 'strict_once,unordered', now(), false, true);
SELECT window_funnel(interval '1 s', 'unordered, allow_reentry', now(), true);
SELECT window_funnel(interval '1 s', 'unorderd', now(), true);

-- Forced-parallel plans give the serial result, including over zero rows
CREATE TABLE uo_par AS
SELECT i, i % 3000 AS u, to_timestamp(floor(pg_temp.uniform(2000000 + 2 * i) * 86400)) AS ts,
	1 + floor(pg_temp.uniform(2000000 + 2 * i + 1) * 6)::int AS kind
FROM generate_series(1, 120000) i;
ANALYZE uo_par;
CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('unordered per entity', $$SELECT level, count(*), min(p::text), max(p::text) FROM (SELECT u,
		window_funnel(interval '1 hour', 'unordered', ts, kind = 1, kind = 2, kind = 3, kind = 4) AS level,
		funnel_path(interval '1 hour', 'unordered', ts, kind = 5, kind = 1, kind = 2, kind = 3, kind = 4) AS p
		FROM uo_par GROUP BY u) x GROUP BY level ORDER BY level$$),
	('unordered, whole table', $$SELECT window_funnel(interval '1 hour', 'unordered', ts, kind = 1, kind = 2)::text,
		funnel_path(interval '1 hour', 'unordered', ts, kind = 5, kind = 1, kind = 2, kind = 3)::text
		FROM uo_par WHERE u = 17$$),
	('unordered, no rows', $$SELECT window_funnel(interval '1 hour', 'unordered', ts, kind = 1)::text,
		funnel_path(interval '1 hour', 'unordered', ts, false, kind = 1)::text FROM uo_par WHERE i + 0 < 0$$),
	('unordered per entity, no rows', $$SELECT u, window_funnel(interval '1 hour', 'unordered', ts, kind = 1)
		FROM uo_par WHERE i + 0 < 0 GROUP BY u$$);
\set ECHO none
\i test/parallel.sql
\set ECHO all
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();
SET enable_sort = off;
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();
SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial, s.result IS NULL AS serial_null
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;
RESET ALL;

DROP TABLE uo_hand, uo_posthog, uo_ph_events, uo_ph_results, uo_random, uo_random100, uo_par;
