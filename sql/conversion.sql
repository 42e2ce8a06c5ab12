-- Conversion: proportions (conversion_rate, proportion_summary) and funnels
-- (window_funnel, funnel_path, funnel_summary).  Expected values come from
-- hand counts, published vectors (Wilson at z = 1.96; ClickHouse's and
-- GaussDB's windowFunnel examples; ClickHouse PR #9773's strict_order table)
-- and a 2x2 Pearson chi-square computed by hand; see doc/conversion.md.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SELECT setseed(0.5);

------------------------------------------------------------------------------
-- Proportions
------------------------------------------------------------------------------

-- 3 conversions in 4 non-NULL values (the NULL is skipped): 0.75
SELECT conversion_rate(c) FROM (VALUES (true), (false), (NULL), (true), (true)) v(c);
-- no non-NULL value: NULL, as avg() gives
SELECT conversion_rate(c) FROM (VALUES (NULL::boolean), (NULL)) v(c);
SELECT conversion_rate(c) FROM (VALUES (true)) v(c) WHERE false;
-- the summary of no rows is empty: trials 0, rate NULL
SELECT proportion_agg(c), trials(proportion_agg(c)), rate(proportion_agg(c)), rate_ci(proportion_agg(c))
FROM (VALUES (true)) v(c) WHERE false;
SELECT proportion_agg(c), successes(proportion_agg(c)), trials(proportion_agg(c))
FROM (VALUES (true), (false), (NULL), (true), (true)) v(c);
-- pre-aggregated counts: 2 of 5 plus 7 of 10 plus a skipped NULL row = 9 of 15
SELECT proportion_agg(k, n), rate(proportion_agg(k, n))
FROM (VALUES (2, 5), (7, 10), (NULL, 3)) v(k, n);
SELECT proportion(0, 0), rate(proportion(0, 0)), proportion(3, 3);

-- published Wilson vectors at z = 1.96 (level 0.9500042097035593 gives
-- z = 1.96): (k successes, n - k failures) -> [lower, upper]
SELECT k, f, abs(lower - lo) < 1e-12 AND abs(upper - hi) < 1e-12 AS matches
FROM (VALUES
	(0, 1, 0, 0.7934567085261071),
	(1, 0, 0.20654329147389294, 1),
	(1, 1, 0.09452865480086611, 0.905471345199134),
	(10, 90, 0.05522854161313612, 0.1743673043676654),
	(50, 50, 0.40382982859014716, 0.5961701714098528),
	(0, 100, 0, 0.03699480747600191)) v(k, f, lo, hi),
	rate_ci(proportion(k, k + f), 0.9500042097035593);
-- the default level is 0.95 (z = 1.959964): a slightly narrower interval
SELECT round(lower::numeric, 6), round(upper::numeric, 6) FROM rate_ci(proportion(10, 100));

-- two-proportion z test.  10/100 against 20/100: pooled p = 0.15,
-- stderr = sqrt(0.15 * 0.85 * (1/100 + 1/100)) = 0.0504975247; Pearson's
-- chi-square of the 2x2 table [[10, 90], [20, 80]] is
-- 200 * (10*80 - 90*20)^2 / (100 * 100 * 30 * 170) = 3.92156863 = z^2, so
-- z = -1.98029509, p = erfc(1.98029509 / sqrt(2)) = 0.0476703807
SELECT round(difference::numeric, 10), round(stderr::numeric, 10), round(z::numeric, 8),
	round(p_value::numeric, 10), round((z * z)::numeric, 8)
FROM proportion_compare(proportion(10, 100), proportion(20, 100));
-- 45/100 against 30/120: chi-square 220 * (45*90 - 55*30)^2 / (100*120*75*145)
-- = 9.71034483 = z^2, difference 0.2, p = 0.0018323363
SELECT round(difference::numeric, 10), round((z * z)::numeric, 8), round(p_value::numeric, 10)
FROM proportion_compare(proportion(45, 100), proportion(30, 120));
-- an empty side: all NULL; no variance (all converted): z and p NULL
SELECT * FROM proportion_compare(proportion(0, 0), proportion(1, 2));
SELECT * FROM proportion_compare(proportion(5, 5), proportion(3, 3));

-- rollup merges exactly, and the empty rollup is the empty summary
CREATE TABLE visits (day date, channel text, converted boolean);
INSERT INTO visits
SELECT date '2025-01-01' + i % 30, (ARRAY['ads', 'mail', 'seo'])[1 + i % 3],
	CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7919) % 10 < 3 END
FROM generate_series(1, 3000) i;
CREATE TABLE visits_daily AS
SELECT day, channel, proportion_agg(converted) AS p FROM visits GROUP BY day, channel;
SELECT (SELECT rollup(p) FROM visits_daily)::text = (SELECT proportion_agg(converted) FROM visits)::text AS same,
	(SELECT rate(rollup(p)) FROM visits_daily) = (SELECT avg(converted::int) FROM visits)::float8 AS same_rate,
	(SELECT rollup(p) FROM visits_daily WHERE false) AS empty;
SELECT channel, successes(rollup(p)), trials(rollup(p)), count(*) AS days
FROM visits_daily GROUP BY channel ORDER BY channel;
-- hand count of the same: successes = rows with (i * 7919) % 10 < 3, i % 17 <> 0
SELECT (ARRAY['ads', 'mail', 'seo'])[1 + i % 3] AS channel,
	count(*) FILTER (WHERE (i * 7919) % 10 < 3), count(*)
FROM generate_series(1, 3000) i WHERE i % 17 <> 0 GROUP BY 1 ORDER BY 1;

-- text round trip, jsonb-castable
SELECT p::text::proportion_summary::text = p::text AS round_trip, p::text::jsonb ->> 'trials' AS trials
FROM (SELECT proportion(7, 1000) p) s;
-- corrupt literals
SELECT '{"version":1,"successes":5,"trials":3}'::proportion_summary;
SELECT '{"version":2,"successes":1,"trials":3}'::proportion_summary;
SELECT '{"version":1,"successes":-1,"trials":3}'::proportion_summary;
SELECT '{"version":1,"trials":3,"successes":1}'::proportion_summary;
SELECT '{"version":1,"successes":1,"trials":3} x'::proportion_summary;
-- binary input through COPY: version 1, 7 successes, 1000 trials
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
SELECT pg_temp.load_binary('proportion_summary', '\x01' || int8send(7) || int8send(1000));
SELECT encode(proportion_summary_send(proportion(7, 1000)), 'hex');
\set SHOW_CONTEXT never
SELECT pg_temp.load_binary('proportion_summary', '\x02' || int8send(7) || int8send(1000));
SELECT pg_temp.load_binary('proportion_summary', '\x01' || int8send(7) || int8send(6));
SELECT pg_temp.load_binary('proportion_summary', '\x01' || int8send(7));
\set SHOW_CONTEXT errors

-- errors
SELECT proportion(4, 3);
SELECT proportion(-1, 3);
SELECT proportion_agg(k, n) FROM (VALUES (4, 3)) v(k, n);
SELECT rate_ci(proportion(1, 2), 1.5);

------------------------------------------------------------------------------
-- Funnels per entity
------------------------------------------------------------------------------

-- events of one entity from a string: the i-th letter happens at second i
CREATE FUNCTION pg_temp.seq(s text) RETURNS TABLE (t timestamptz, e text)
LANGUAGE sql AS $$
	SELECT timestamptz '2020-01-01 00:00:00+00' + i * interval '1 second', substr(s, i, 1)
	FROM generate_series(1, length(s)) i
$$;

-- ClickHouse's documentation example: 4 steps over 1003, 1009, 1007, 1010
-- (window 6048000000000000 seconds there; any window over 4 days here) -> 4
SELECT window_funnel(interval '7 days', ts, ev = 1003, ev = 1009, ev = 1007, ev = 1010)
FROM (VALUES (timestamptz '2019-01-28 11:00:00+00', 1001), ('2019-01-29 12:10:00+00', 1003),
	('2019-01-30 11:00:00+00', 1009), ('2019-01-31 09:00:00+00', 1007),
	('2019-02-01 08:00:00+00', 1010)) v(ts, ev);

-- ClickHouse PR #9773's table: default and strict_order
-- ABC 3/3, ADBC 3/1, AABBCC 3/3, AAAABBCC 3/3, AABBDCC 3/2, BBCCAA 1/1
SELECT s,
	(SELECT window_funnel(interval '1 hour', t, e = 'A', e = 'B', e = 'C') FROM pg_temp.seq(s)) AS "default",
	(SELECT window_funnel(interval '1 hour', 'strict_order', t, e = 'A', e = 'B', e = 'C') FROM pg_temp.seq(s)) AS strict_order
FROM unnest(ARRAY['ABC', 'ADBC', 'AABBCC', 'AAAABBCC', 'AABBDCC', 'BBCCAA']) s;
-- strict_order: A-B-D-C for A, B, C, D -> 2 (D breaks the chain)
SELECT window_funnel(interval '1 hour', 'strict_order', t, e = 'A', e = 'B', e = 'C', e = 'D') FROM pg_temp.seq('ABDC');

-- strict_deduplication, the fixed semantics (ClickHouse #37177): install@0,
-- start@5, login@10, install@15, window 60 over (install, start, login, end)
-- -> 3 (a repeated step 1 restarts a chain, it does not end the funnel);
-- A-B-C-B-D over A, B, C, D -> 3 (the repeated B ends it)
SELECT window_funnel(interval '60 seconds', 'strict_deduplication', timestamptz '2020-01-01' + s * interval '1 second',
	e = 'install', e = 'start', e = 'login', e = 'end')
FROM (VALUES (0, 'install'), (5, 'start'), (10, 'login'), (15, 'install')) v(s, e);
SELECT window_funnel(interval '1 hour', 'strict_deduplication', t, e = 'A', e = 'B', e = 'C', e = 'D') FROM pg_temp.seq('ABCBD');
SELECT window_funnel(interval '1 hour', t, e = 'A', e = 'B', e = 'C', e = 'D') FROM pg_temp.seq('ABCBD');

-- the same event for two steps (ClickHouse #34986), window 50 s, events at
-- 100 s and 200 s: default 2 (one event satisfies both steps), strict_once 1,
-- strict_increase 1
SELECT window_funnel(interval '50 seconds', t, true, true) AS "default",
	window_funnel(interval '50 seconds', 'strict_once', t, true, true) AS strict_once,
	window_funnel(interval '50 seconds', 'strict_increase', t, true, true) AS strict_increase
FROM (VALUES (100), (200)) v(s), LATERAL (SELECT timestamptz '2020-01-01' + s * interval '1 second' AS t) x;
-- three page visits at 100, 100, 300 s for three identical steps:
-- strict_increase 1 (the step-1 event at 300 restarts the chain),
-- strict_once + strict_increase 2
SELECT window_funnel(interval '1 hour', 'strict_increase', t, true, true, true) AS strict_increase,
	window_funnel(interval '1 hour', 'strict_once, strict_increase', t, true, true, true) AS once_increase
FROM (VALUES (100), (100), (300)) v(s), LATERAL (SELECT timestamptz '2020-01-01' + s * interval '1 second' AS t) x;

-- GaussDB's windowFunnel(0, 'default', ...) example: with a window of 0 only
-- step 1 counts (user 2 never browsed) -> 1, 0, 1, 1, 1, 1
SELECT u, window_funnel(interval '0', ts, e = 'browse', e = 'click', e = 'order', e = 'pay')
FROM (VALUES (1, 0, 'browse'), (1, 10, 'click'), (1, 20, 'order'), (1, 30, 'pay'),
	(2, 0, 'click'), (2, 10, 'order'),
	(3, 0, 'browse'), (3, 10, 'click'),
	(4, 0, 'browse'), (4, 5, 'click'), (4, 7, 'order'), (4, 9, 'pay'),
	(5, 0, 'browse'), (5, 1, 'click'), (5, 2, 'order'),
	(6, 0, 'browse'), (6, 3, 'click'), (6, 4, 'order')) v(u, s, e),
	LATERAL (SELECT timestamptz '2024-05-01' + s * interval '1 second' AS ts) x
GROUP BY u ORDER BY u;

-- the window is inclusive and runs from the chain's step 1:
-- A@1 B@2 C@4: window 3 s reaches C (4 - 1 = 3), window 2 s does not
SELECT window_funnel(interval '3 seconds', t, e = 'A', e = 'B', e = 'C'),
	window_funnel(interval '2 seconds', t, e = 'A', e = 'B', e = 'C')
FROM pg_temp.seq('ABxC');
-- a later step 1 starts a new chain; deeper steps already reached are kept:
-- A B A . . . . C with window 5: the first chain reached 2; the second
-- (A@3) reaches C@8 only if B follows it, so 2
SELECT window_funnel(interval '5 seconds', t, e = 'A', e = 'B', e = 'C') FROM pg_temp.seq('ABA....C');
-- same timestamp: taken in step order, so one instant can hold steps 1 and 2
SELECT window_funnel(interval '0', t, e IN ('A', 'B'), e = 'B')
FROM (VALUES (timestamptz '2020-01-01', 'B'), ('2020-01-01', 'A')) v(t, e);

-- events arrive in any order: 2,000 random entities, their events shuffled,
-- against the same events in time order
CREATE TABLE funnel_events AS
SELECT u, timestamptz '2025-01-01' + (random() * 7200)::int * interval '1 second' AS ts,
	1 + (random() * 4)::int AS step
FROM generate_series(1, 2000) u, generate_series(1, 1 + (u % 9)) j;
SELECT count(*) AS entities, count(*) FILTER (WHERE a <> b) AS differ
FROM (SELECT u, window_funnel(interval '30 minutes', ts, step = 1, step = 2, step = 3, step = 4) AS a,
		(SELECT window_funnel(interval '30 minutes', ts, step = 1, step = 2, step = 3, step = 4)
		 FROM (SELECT * FROM funnel_events f2 WHERE f2.u = f.u ORDER BY ts, step) o) AS b
	FROM (SELECT * FROM funnel_events ORDER BY random()) f GROUP BY u) s;

-- NULLs: a NULL timestamp, or a NULL array of steps passed as VARIADIC,
-- skips the row; a NULL condition is false; no rows, or only skipped ones,
-- give NULL
SELECT window_funnel(interval '1 hour', t, e = 'A', e = 'B', NULL::boolean)
FROM (VALUES (timestamptz '2020-01-01 00:00', 'A'), (NULL, 'B'), ('2020-01-01 00:10', 'B')) v(t, e);
SELECT window_funnel(interval '1 hour', t, VARIADIC s)
FROM (VALUES (timestamptz '2020-01-01', ARRAY[true, false]), ('2020-01-01 00:01', NULL)) v(t, s);
SELECT window_funnel(interval '1 hour', t, true) FROM (VALUES (NULL::timestamptz)) v(t);
SELECT window_funnel(interval '1 hour', t, true) FROM (VALUES (now())) v(t) WHERE false;

-- funnel_path: the timestamps of the first chain to reach the deepest step
SELECT funnel_path(interval '1 hour', 'default', t, false, e = 'A', e = 'B', e = 'C') FROM pg_temp.seq('AxBAB');
SELECT funnel_path(interval '1 hour', 'default', t, false, e = 'A', e = 'B', e = 'C') FROM pg_temp.seq('xx');
-- exclusion: X between steps ends the chains in progress.  A B X C: the
-- chain keeps A, B; a chain started after X completes
SELECT funnel_path(interval '1 hour', '', t, e = 'X', e = 'A', e = 'B', e = 'C') FROM pg_temp.seq('ABXC');
SELECT funnel_path(interval '1 hour', '', t, e = 'X', e = 'A', e = 'B', e = 'C') FROM pg_temp.seq('ABXCABC');
-- an exclusion before any step, or after the funnel is complete, changes nothing
SELECT funnel_path(interval '1 hour', '', t, e = 'X', e = 'A', e = 'B', e = 'C') FROM pg_temp.seq('XABCX');
-- the number of steps reached is the count of non-NULL elements
SELECT num_nonnulls(VARIADIC funnel_path(interval '1 hour', '', t, false, e = 'A', e = 'B', e = 'C'))
FROM pg_temp.seq('AB');

-- many steps (ClickHouse stops at 32): 100 steps, event i is step i; in
-- reverse time order only step 1 is reached, in time order all 100
SELECT window_funnel(interval '1 day', t, VARIADIC (SELECT array_agg(i = k) FROM generate_series(1, 100) k))
FROM generate_series(1, 100) i, LATERAL (SELECT timestamptz '2020-01-01' + (101 - i) * interval '1 minute' AS t) x;
SELECT window_funnel(interval '1 day', t, VARIADIC (SELECT array_agg(i = k) FROM generate_series(1, 100) k))
FROM generate_series(1, 100) i, LATERAL (SELECT timestamptz '2020-01-01' + i * interval '1 minute' AS t) x;

-- a million events for one entity, in reverse time order: A B C D repeating,
-- one second apart, window 2 s: no chain reaches D (3 s after its A), and
-- every chain reaches C
SELECT window_funnel(interval '2 seconds', t, i % 4 = 0, i % 4 = 1, i % 4 = 2, i % 4 = 3)
FROM (SELECT timestamptz '2020-01-01' + i * interval '1 second' AS t, i
	FROM generate_series(1000000, 1, -1) i) s;

-- 25,000 repetitions of A B C . one second apart over steps A, B, C, D: every
-- chain reaches C and none D; the path is that of the first chain to reach C
-- (0, 1, 2 s), kept while the replay drops the nodes of the 24,999 chains
-- replaced since.  strict_once over (A or B, A or B, C, D): B at 1 s cannot
-- be step 1 and step 2 of one chain, so it extends the chain of A: 3
SELECT funnel_path(interval '10 seconds', '', t, false, e = 'A', e = 'B', e = 'C', e = 'D') AS path,
	window_funnel(interval '10 seconds', 'strict_once', t, e IN ('A', 'B'), e IN ('A', 'B'), e = 'C', e = 'D') AS once
FROM (SELECT timestamptz '2020-01-01' + i * interval '1 second' AS t, substr('ABC.', i % 4 + 1, 1) AS e
	FROM generate_series(0, 99999) i) s;

------------------------------------------------------------------------------
-- Funnels across entities
------------------------------------------------------------------------------

-- ten entities with hand-made paths over 3 steps:
--   4 reach step 3, 3 stop at step 2, 2 stop at step 1, 1 reaches nothing;
--   step 1 -> 2 takes 60 s for 5 entities and 600 s for 2 (median 60 s);
--   step 2 -> 3 takes 0, 0, 3600, 7200 s (median of 4 by rank ceil(4/2) = 2: 0 s)
CREATE TABLE paths (u int, path timestamptz[]);
INSERT INTO paths VALUES
	(1, ARRAY['2025-01-01 00:00', '2025-01-01 00:01', '2025-01-01 00:01']::timestamptz[]),
	(2, ARRAY['2025-01-01 00:00', '2025-01-01 00:01', '2025-01-01 00:01']::timestamptz[]),
	(3, ARRAY['2025-01-01 00:00', '2025-01-01 00:01', '2025-01-01 01:01']::timestamptz[]),
	(4, ARRAY['2025-01-01 00:00', '2025-01-01 00:10', '2025-01-01 02:10']::timestamptz[]),
	(5, ARRAY['2025-01-01 00:00', '2025-01-01 00:01', NULL]::timestamptz[]),
	(6, ARRAY['2025-01-01 00:00', '2025-01-01 00:01', NULL]::timestamptz[]),
	(7, ARRAY['2025-01-01 00:00', '2025-01-01 00:10', NULL]::timestamptz[]),
	(8, ARRAY['2025-01-01 00:00', NULL, NULL]::timestamptz[]),
	(9, ARRAY['2025-01-01 00:00', NULL, NULL]::timestamptz[]),
	(10, ARRAY[NULL, NULL, NULL]::timestamptz[]),
	(11, NULL);
SELECT funnel_agg(path) FROM paths;
SELECT step, entities, conversion_from_previous, conversion_from_first, median_time_from_previous
FROM funnel_steps((SELECT funnel_agg(path) FROM paths));
-- Wilson bounds of step 2 from step 1: 7 of 9 at 0.95
SELECT round(previous_lower::numeric, 6), round(previous_upper::numeric, 6)
FROM funnel_steps((SELECT funnel_agg(path) FROM paths)) WHERE step = 2;
SELECT round(lower::numeric, 6), round(upper::numeric, 6) FROM rate_ci(proportion(7, 9));
-- accessors
SELECT funnel_entities(s), funnel_reached(s, 1), funnel_reached(s, 3),
	rate(funnel_conversion_proportion(s)), funnel_conversion_proportion(s, 0),
	funnel_conversion_proportion(s, 2, 3), funnel_median_time(s, 2), funnel_median_time(s, 1)
FROM (SELECT funnel_agg(path) AS s FROM paths) x;
-- the deprecated aliases (names before 1.2.0) return what their replacements do
SELECT entities(s) = funnel_entities(s) AS entities,
	reached(s, 3) = funnel_reached(s, 3) AND reached(s, 1) = funnel_reached(s, 1) AS reached,
	median_time(s, 2) = funnel_median_time(s, 2) AND median_time(s, 1) IS NULL AS median_time,
	funnel_conversion(s)::text = funnel_conversion_proportion(s)::text
		AND funnel_conversion(s, 2, 3)::text = funnel_conversion_proportion(s, 2, 3)::text
		AND funnel_conversion(s, 0)::text = funnel_conversion_proportion(s, 0)::text AS funnel_conversion
FROM (SELECT funnel_agg(path) AS s FROM paths) x;
-- the level-only form counts entities reaching at least each step, which is
-- what count(level >= k) gives (not count(level = k))
SELECT funnel_agg(level, 3) FROM (VALUES (3), (3), (2), (1), (0), (NULL)) v(level);
-- no rows: NULL
SELECT funnel_agg(path) FROM paths WHERE false;

-- median times against percentile_disc(0.5) over exact durations: 3,000
-- entities, durations spread over 1 s .. 10 days: within 1 %
CREATE TABLE many_paths AS
SELECT u, ARRAY[t0, t0 + d1, CASE WHEN u % 3 <> 0 THEN t0 + d1 + d2 END] AS path, d1, d2, u % 3 <> 0 AS has3
FROM (SELECT u, timestamptz '2025-01-01' + u * interval '1 minute' AS t0,
	(exp(random() * ln(864000)) * 1000000)::bigint * interval '1 microsecond' AS d1,
	(exp(random() * ln(864000)) * 1000000)::bigint * interval '1 microsecond' AS d2
	FROM generate_series(1, 3000) u) s;
SELECT abs(extract(epoch FROM funnel_median_time(s, 2)) / extract(epoch FROM (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY d1) FROM many_paths)) - 1) < 0.01 AS step2_within_1pct,
	abs(extract(epoch FROM funnel_median_time(s, 3)) / extract(epoch FROM (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY d2) FROM many_paths WHERE has3)) - 1) < 0.01 AS step3_within_1pct
FROM (SELECT funnel_agg(path) AS s FROM many_paths) x;

-- rollup of summaries per day equals one pass; A/B of two funnels
CREATE TABLE funnel_daily AS
SELECT u % 7 AS day, u % 2 AS variant, funnel_agg(path) AS s FROM many_paths GROUP BY 1, 2;
SELECT (SELECT rollup(s) FROM funnel_daily)::text = (SELECT funnel_agg(path) FROM many_paths)::text AS same;
SELECT round(difference::numeric, 6) AS difference, p_value > 0.05 AS not_significant
FROM proportion_compare(
	(SELECT funnel_conversion_proportion(rollup(s), 1, 3) FROM funnel_daily WHERE variant = 0),
	(SELECT funnel_conversion_proportion(rollup(s), 1, 3) FROM funnel_daily WHERE variant = 1));
-- hand count: variant 0 (even u) reaching step 3 (u % 3 <> 0): 1000 of 1500;
-- variant 1: 1000 of 1500 too, so the difference is 0
SELECT u % 2, count(*) FILTER (WHERE u % 3 <> 0), count(*) FROM generate_series(1, 3000) u GROUP BY 1 ORDER BY 1;

-- text and binary round trips
SELECT s::text::funnel_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('funnel_summary', funnel_summary_send(s)) = s::text AS binary_round_trip
FROM (SELECT funnel_agg(path) AS s FROM many_paths) x;
SELECT '{"version":1,"steps":1,"entities":0,"reached":[0],"times":[]}'::funnel_summary;
-- corrupt literals
SELECT '{"version":1,"steps":2,"entities":3,"reached":[4,1],"times":[[]]}'::funnel_summary;
SELECT '{"version":1,"steps":2,"entities":5,"reached":[4,5],"times":[[]]}'::funnel_summary;
SELECT '{"version":1,"steps":2,"entities":5,"reached":[4,1],"times":[[[3,1],[3,1]]]}'::funnel_summary;
SELECT '{"version":1,"steps":2,"entities":5,"reached":[4,1],"times":[[[3,2]]]}'::funnel_summary;
SELECT '{"version":1,"steps":2,"entities":5,"reached":[4,1],"times":[[[9999,1]]]}'::funnel_summary;
SELECT '{"version":1,"steps":2,"entities":5,"reached":[4,1],"times":[]}'::funnel_summary;
SELECT '{"version":1,"steps":0,"entities":5,"reached":[],"times":[]}'::funnel_summary;
SELECT '{"version":3,"steps":1,"entities":0,"reached":[0],"times":[]}'::funnel_summary;
\set SHOW_CONTEXT never
SELECT pg_temp.load_binary('funnel_summary', '\x01' || int4send(2) || int8send(5) || int8send(4) || int8send(1) || int4send(1) || int4send(3) || int8send(1));
SELECT pg_temp.load_binary('funnel_summary', '\x01' || int4send(2) || int8send(5) || int8send(4) || int8send(1) || int4send(1) || int4send(3));
SELECT pg_temp.load_binary('funnel_summary', '\x01' || int4send(2) || int8send(5) || int8send(4) || int8send(1) || int4send(1) || int4send(3) || int8send(-1));
SELECT pg_temp.load_binary('funnel_summary', '\x01' || int4send(2) || int8send(5) || int8send(4) || int8send(1) || int4send(1) || int4send(3) || int8send(2));
SELECT pg_temp.load_binary('funnel_summary', '\x01' || int4send(2) || int8send(5) || int8send(4) || int8send(1) || int4send(1) || int4send(3) || int8send(1) || '\x00');
\set SHOW_CONTEXT errors

-- errors
SELECT window_funnel(interval '-1 second', t, true) FROM pg_temp.seq('A');
SELECT window_funnel(interval '1 month', t, true) FROM pg_temp.seq('A');
SELECT window_funnel(NULL, t, true) FROM pg_temp.seq('A');
SELECT window_funnel(interval '1 hour', t, VARIADIC ARRAY[]::boolean[]) FROM pg_temp.seq('A');
SELECT window_funnel(interval '1 hour', 'strict', t, true) FROM pg_temp.seq('A');
SELECT window_funnel(interval '1 hour', NULL, t, true) FROM pg_temp.seq('A');
SELECT window_funnel(interval '1 hour', t, VARIADIC CASE WHEN e = 'A' THEN ARRAY[true] ELSE ARRAY[true, false] END)
FROM pg_temp.seq('AB');
SELECT window_funnel(interval '1 hour', t, true) FROM (VALUES (timestamptz 'infinity')) v(t);
SELECT window_funnel(interval '1 hour', t, e = 'A', 2) FROM pg_temp.seq('A');
SELECT window_funnel(interval '1 hour', t, e = 'A', NULL) FROM pg_temp.seq('A');
SELECT window_funnel(interval '1 hour', t, VARIADIC ARRAY[1, 2]) FROM pg_temp.seq('A');
SELECT funnel_agg(p) FROM (VALUES (ARRAY[NULL, '2025-01-01']::timestamptz[])) v(p);
SELECT funnel_agg(p) FROM (VALUES (ARRAY['2025-01-02', '2025-01-01']::timestamptz[])) v(p);
SELECT funnel_agg(p) FROM (VALUES (ARRAY['2025-01-01']::timestamptz[]), (ARRAY['2025-01-01', NULL]::timestamptz[])) v(p);
SELECT funnel_agg(level, 3) FROM (VALUES (4)) v(level);
SELECT rollup(s) FROM (VALUES ('{"version":1,"steps":1,"entities":0,"reached":[0],"times":[]}'::funnel_summary),
	('{"version":1,"steps":2,"entities":0,"reached":[0,0],"times":[[]]}')) v(s);
SELECT funnel_conversion_proportion(s, 3, 2) FROM (SELECT funnel_agg(path) AS s FROM paths) x;
SELECT funnel_reached(s, 4) FROM (SELECT funnel_agg(path) AS s FROM paths) x;
SELECT funnel_steps(s, 0) FROM (SELECT funnel_agg(path) AS s FROM paths) x;

------------------------------------------------------------------------------
-- Extreme timestamps and durations: exact or a clear 22008, never a crash
------------------------------------------------------------------------------

-- 4713 BC to 294276 AD is 9,435,181,535,999,000,000 us, beyond bigint: no
-- interval holds it.  It used to go through log() as a negative number and
-- crash the server; now: 22008 "interval out of range"
SELECT funnel_agg(ARRAY['4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00']::timestamptz[]);
-- the window test is exact however far apart: two events 299,000 years
-- apart are not within a day (it used to give 2), nor within the longest
-- window, 106751991 days (9,223,372,022,400,000,000 us)
SELECT window_funnel(interval '1 day', t, e = 'A', e = 'B') AS one_day,
	window_funnel(interval '106751991 days', t, e = 'A', e = 'B') AS longest
FROM (VALUES (timestamptz '4713-01-01 00:00:00+00 BC', 'A'), ('294276-12-31 23:59:59+00', 'B')) v(t, e);
-- so funnel_path stops at step 1, and funnel_agg of its paths has no time
SELECT funnel_agg(p) FROM (SELECT funnel_path(interval '106751991 days', '', t, false, e = 'A', e = 'B') AS p
	FROM (VALUES (timestamptz '4713-01-01 00:00:00+00 BC', 'A'), ('294276-12-31 23:59:59+00', 'B')) v(t, e)) x;
-- at the window's end exactly (inclusive) from 4713 BC: 2; a microsecond later: 1
SELECT window_funnel(interval '106751991 days', t, e = 'A', e = 'B') AS at_end,
	window_funnel(interval '106751990 days 23:59:59.999999', t, e = 'A', e = 'B') AS one_us_short
FROM (VALUES (timestamptz '4713-01-01 00:00:00+00 BC', 'A'),
	(timestamptz '4713-01-01 00:00:00+00 BC' + interval '106751991 days', 'B')) v(t, e);
-- infinite timestamps: an event that takes part (a step or an exclusion) must
-- be finite (22008) in window_funnel and funnel_path, and so must every
-- timestamp of a path given to funnel_agg; an event that satisfies no step
-- is not kept (except with strict_order), so its timestamp does not matter
SELECT funnel_path(interval '1 day', '', t, e = 'X', e = 'A') FROM (VALUES (timestamptz '-infinity', 'X')) v(t, e);
SELECT funnel_path(interval '1 day', '', t, false, e = 'A') FROM (VALUES (timestamptz '-infinity', 'A')) v(t, e);
SELECT window_funnel(interval '1 day', 'strict_order', t, e = 'A') FROM (VALUES (timestamptz 'infinity', 'x')) v(t, e);
SELECT window_funnel(interval '1 day', t, e = 'A', e = 'B') AS ignored
FROM (VALUES (timestamptz '2025-01-01', 'A'), ('infinity', 'x'), ('-infinity', 'y')) v(t, e);
SELECT funnel_agg(ARRAY['infinity']::timestamptz[]);
SELECT funnel_agg(ARRAY['2025-01-01', 'infinity']::timestamptz[]);
SELECT funnel_agg(ARRAY['-infinity', '2025-01-01']::timestamptz[]);
-- a decreasing path is 22023 however far apart its steps are
SELECT funnel_agg(ARRAY['294276-12-31 23:59:59+00', '4713-01-01 00:00:00+00 BC']::timestamptz[]);

-- the longest time a funnel_summary holds: 2000-01-01 to 294276-12-31
-- 23:59:59 is 9,223,371,331,199,000,000 us (days from the proleptic Gregorian calendar, by
-- hand).  Kept exactly, it reads back as PostgreSQL's own difference; in a
-- histogram (10,001 times, past the 10,000 kept exactly) it is in the last
-- bucket, 2185, which reads back as the largest interval of microseconds,
-- 2562047788:00:54.775807 = 2^63 - 1 us, within 1 % of it (it read back
-- beyond bigint, as a negative interval).  PostgreSQL 13 and 14 can neither
-- print that interval nor read its literal, so it is compared with one
-- built by arithmetic.
\set longest '(interval ''1 hour'' * 2562047788 + interval ''54.775807 s'')'
SELECT s, funnel_median_time(s, 2) = timestamptz '294276-12-31 23:59:59+00' - timestamptz '2000-01-01+00' AS exact
FROM (SELECT funnel_agg(ARRAY['2000-01-01+00', '294276-12-31 23:59:59+00']::timestamptz[]) AS s) x;
SELECT s, funnel_median_time(s, 2) = :longest AS longest,
	abs(extract(epoch FROM funnel_median_time(s, 2)) / 9223371331199 - 1) < 0.01 AS within_1pct
FROM (SELECT funnel_agg(ARRAY['2000-01-01+00', '294276-12-31 23:59:59+00']::timestamptz[]) AS s
	FROM generate_series(1, 10001)) x;
-- exactly 2^63 - 1 us (4713 BC to 287565 AD) is the longest time a path
-- holds, in bucket 2185, and reads back exactly; one microsecond more: 22008
SELECT s, funnel_median_time(s, 2) = :longest AS longest FROM (SELECT funnel_agg(ARRAY[t0, t0 + :longest]) AS s
	FROM (VALUES (timestamptz '4713-01-01 00:00:00+00 BC')) v(t0)) x;
SELECT funnel_agg(ARRAY[t0, t0 + :longest + interval '1 microsecond'])
FROM (VALUES (timestamptz '4713-01-01 00:00:00+00 BC')) v(t0);
-- durations from 1 us to 9,223,372,036,854 s (bucket 2185), a geometric grid,
-- 10,001 times each (a histogram), read back
-- within 1 % (the exact duration is PostgreSQL's own t1 - t0; date_part, as
-- extract returns double precision before 14 and numeric from 14 on; 1e-9 for
-- the rounding of the double quotient, as 198 us against 200 us is exactly 1 %)
SELECT count(*) AS durations, count(*) FILTER (WHERE abs(m / d - 1) <= 0.01 + 1e-9) AS within_1pct,
	round(max(d)::numeric) AS longest_seconds
FROM (SELECT (SELECT date_part('epoch', funnel_median_time(funnel_agg(p), 2)) FROM (SELECT ARRAY[t0, t1]) v(p), generate_series(1, 10001)) AS m,
		date_part('epoch', t1 - t0) AS d
	FROM (SELECT timestamptz '4713-01-01 00:00:00+00 BC' AS t0,
			timestamptz '4713-01-01 00:00:00+00 BC' + make_interval(secs => least(1.5 ^ k, 9223372036854)) AS t1
		FROM generate_series(-34, 74) k) g) x;
-- bucket 2186 and beyond hold no duration: rejected as text and as binary
SELECT '{"version":1,"steps":2,"entities":1,"reached":[1,1],"times":[[[2185,1]]]}'::funnel_summary;
SELECT '{"version":1,"steps":2,"entities":1,"reached":[1,1],"times":[[[2186,1]]]}'::funnel_summary;
\set SHOW_CONTEXT never
SELECT pg_temp.load_binary('funnel_summary', '\x01' || int4send(2) || int8send(1) || int8send(1) || int8send(1) || int4send(1) || int4send(2185) || int8send(1));
SELECT pg_temp.load_binary('funnel_summary', '\x01' || int4send(2) || int8send(1) || int8send(1) || int8send(1) || int4send(1) || int4send(2186) || int8send(1));
\set SHOW_CONTEXT errors

-- exact times: times added in any order are written in increasing order, in
-- microseconds (0, 1, 1 s = 1000000, 1 h = 3600000000)
SELECT funnel_agg(p) FROM (VALUES
	(ARRAY['2025-01-01 00:00', '2025-01-01 01:00']::timestamptz[]),
	(ARRAY['2025-01-01 00:00', '2025-01-01 00:00:01']::timestamptz[]),
	(ARRAY['2025-01-01 00:00', '2025-01-01 00:00']::timestamptz[]),
	(ARRAY['2025-01-01 00:00', '2025-01-01 00:00:00.000001']::timestamptz[]),
	(ARRAY['2025-01-01 00:00', '2025-01-01 00:00:01']::timestamptz[]),
	(ARRAY['2025-01-01 00:00', '2025-01-01 01:00']::timestamptz[])) v(p);
-- sparse histograms (here read from format 1): merging summaries adds the
-- counts of equal buckets; a pair without times (format 1: []) is an exact
-- empty one, so the second pair's buckets are the histogram
SELECT rollup(s) FROM (VALUES
	('{"version":1,"steps":3,"entities":5,"reached":[5,4,0],"times":[[[0,1],[5,2],[9,1]],[]]}'::funnel_summary),
	(NULL),
	('{"version":1,"steps":3,"entities":6,"reached":[6,5,2],"times":[[[5,1],[7,3],[10,1]],[[2185,2]]]}'),
	('{"version":1,"steps":3,"entities":0,"reached":[0,0,0],"times":[[],[]]}')) v(s);
-- a histogram with many buckets turns dense (from 273 buckets on) and
-- merges the same: durations in the middle of buckets 241..2184 (gamma^(i -
-- 1/2) us lands in bucket i + 1), six entities each (11,664 times: past the
-- 10,000 kept exactly), in one pass and rolled up from 7 groups (dense) and
-- 10 groups (sparse, turning dense as they merge); each group's times are
-- exact, and their merge turns into the histogram once past 10,000
CREATE TEMP TABLE mid_bucket_paths AS
SELECT i, ARRAY[t0, t0 + make_interval(secs => (1.01 / 0.99::float8) ^ (i - 0.5) / 1e6)] AS p
FROM generate_series(240, 2183) i, generate_series(1, 6) c, (VALUES (timestamptz '4713-01-01 00:00:00+00 BC')) v(t0);
SELECT (SELECT funnel_agg(p) FROM mid_bucket_paths)::text =
	'{"version":2,"steps":2,"entities":11664,"reached":[11664,11664],"times":[['
	|| (SELECT string_agg(format('[%s,6]', i + 1), ',' ORDER BY i) FROM generate_series(240, 2183) i) || ']]}' AS one_pass,
	(SELECT rollup(s) FROM (SELECT funnel_agg(p) AS s FROM mid_bucket_paths GROUP BY i % 7) x)::text =
	(SELECT funnel_agg(p) FROM mid_bucket_paths)::text AS dense_groups,
	(SELECT rollup(s) FROM (SELECT funnel_agg(p) AS s FROM mid_bucket_paths GROUP BY i % 10) x)::text =
	(SELECT funnel_agg(p) FROM mid_bucket_paths)::text AS sparse_groups;
-- counts that overflow bigint: 22003, never a value that cannot be read back
SELECT rollup(s) FROM (VALUES
	('{"version":1,"steps":1,"entities":9223372036854775807,"reached":[1],"times":[]}'::funnel_summary),
	('{"version":1,"steps":1,"entities":1,"reached":[1],"times":[]}')) v(s);
-- a literal declaring more steps than it carries is rejected before any allocation
SELECT '{"version":1,"steps":10000,"entities":0,"reached":[0],"times":[]}'::funnel_summary;

-- The state is an expanded funnel_summary, updated in place: 3,000 paths
-- through one state give what merging their one-path summaries gives, and
-- the hand count (every path reaches step 2, u % 3 <> 0 reach step 3)
SELECT (SELECT funnel_agg(path) FROM many_paths)::text =
	(SELECT rollup(s) FROM (SELECT funnel_agg(path) AS s FROM many_paths GROUP BY u) x)::text AS in_place_equals_merge,
	entities(s) = 3000 AND reached(s, 1) = 3000 AND reached(s, 2) = 3000 AND reached(s, 3) = 2000 AS hand_count
FROM (SELECT funnel_agg(path) AS s FROM many_paths) x;
-- levels u % 5 of 1,000 entities, 200 at each of 0..4: reached 800, 600, 400, 200
SELECT funnel_agg(u % 5, 4) FROM generate_series(1, 1000) u;
-- stored summaries roll up to the same; the rollup round-trips in text and binary
CREATE TABLE funnel_stored AS SELECT u % 11 AS k, funnel_agg(path) AS s FROM many_paths GROUP BY 1;
SELECT (SELECT funnel_agg(path) FROM many_paths)::text = r::text AS stored_rollup,
	r::text::funnel_summary::text = r::text AS text_round_trip,
	pg_temp.load_binary('funnel_summary', funnel_summary_send(r)) = r::text AS binary_round_trip
FROM (SELECT rollup(s) AS r FROM funnel_stored) x;
-- outside an aggregate the support functions never change their argument
SELECT entities(funnel_summary_combine(s, s)) AS doubled, entities(s) AS unchanged,
	entities(funnel_summary_accum_level(s, 1, 3)) AS one_more, entities(s) AS still_unchanged
FROM (SELECT funnel_agg(path) AS s FROM many_paths WHERE u <= 10) x;
-- a running window gives each row the summary of its frame
SELECT count(*) AS rows, count(*) FILTER (WHERE w IS DISTINCT FROM p) AS mismatches
FROM (SELECT funnel_agg(path) OVER (ORDER BY u)::text AS w,
		(SELECT funnel_agg(b.path) FROM many_paths b WHERE b.u <= a.u)::text AS p
	FROM many_paths a WHERE u <= 300) x;
DROP TABLE funnel_stored;
DROP TABLE visits, visits_daily, funnel_events, paths, many_paths, funnel_daily;
