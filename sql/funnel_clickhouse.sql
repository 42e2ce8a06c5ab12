-- ClickHouse's windowFunnel functional tests, ported case by case:
-- tests/queries/0_stateless/00632_aggregation_window_funnel.sql and its
-- .reference (ClickHouse/ClickHouse, the .reference read at commit 0882b32b)
-- and 01646_fix_window_funnel_inconistency,
-- checked against the windowFunnel source we follow,
-- src/AggregateFunctions/AggregateFunctionWindowFunnel.cpp at commit
-- 0215c755e1a36a1697e84e7a1f31602cb89884a4 (allow_reentry, PR #86916, and
-- the strict_deduplication fix of #37177).  ClickHouse's integer timestamps
-- are seconds here (to_timestamp), its windows intervals of as many seconds;
-- the expected values are the .reference's unless a comment says where the
-- stored .reference and the stored source disagree (see doc/conversion.md,
-- "ClickHouse release followed").
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- 00632: funnel_test, events 1000..1008 at 0..8 s
CREATE TEMP TABLE ch_funnel_test AS
SELECT to_timestamp(s) AS t, 1000 + s AS ev FROM generate_series(0, 8) s;
-- the .reference prints 1 for each "select N = windowFunnel(...)": each
-- expected level N is in the label
SELECT 1 AS expected, window_funnel(interval '10000 s', t, ev = 1000) FROM ch_funnel_test
UNION ALL SELECT 2, window_funnel(interval '10000 s', t, ev = 1000, ev = 1001) FROM ch_funnel_test
UNION ALL SELECT 3, window_funnel(interval '10000 s', t, ev = 1000, ev = 1001, ev = 1002) FROM ch_funnel_test
UNION ALL SELECT 4, window_funnel(interval '10000 s', t, ev = 1000, ev = 1001, ev = 1002, ev = 1008) FROM ch_funnel_test
UNION ALL SELECT 1, window_funnel(interval '1 s', t, ev = 1000) FROM ch_funnel_test
UNION ALL SELECT 3, window_funnel(interval '2 s', t, ev = 1003, ev = 1004, ev = 1005, ev = 1006, ev = 1007) FROM ch_funnel_test
UNION ALL SELECT 4, window_funnel(interval '3 s', t, ev = 1003, ev = 1004, ev = 1005, ev = 1006, ev = 1007) FROM ch_funnel_test
UNION ALL SELECT 5, window_funnel(interval '4 s', t, ev = 1003, ev = 1004, ev = 1005, ev = 1006, ev = 1007) FROM ch_funnel_test;

-- 00632: funnel_test2 (DateTime 2018-01-01 01:01:01..08, events 1001..1008);
-- funnel_test_u64 repeats these cases at 1e14 + 1..8 s, the same offsets
CREATE TEMP TABLE ch_funnel_test2 AS
SELECT timestamptz '2018-01-01 01:01:00+00' + s * interval '1 second' AS t, 1000 + s AS ev
FROM generate_series(1, 8) s;
SELECT 5 AS expected, window_funnel(interval '4 s', t, ev = 1003, ev = 1004, ev = 1005, ev = 1006, ev = 1007) FROM ch_funnel_test2
UNION ALL SELECT 2, window_funnel(interval '10000 s', t, ev = 1001, ev = 1008) FROM ch_funnel_test2
UNION ALL SELECT 1, window_funnel(interval '10000 s', t, ev = 1008, ev = 1001) FROM ch_funnel_test2
UNION ALL SELECT 4, window_funnel(interval '4 s', t, ev <= 1007, ev >= 1002, ev <= 1006, ev >= 1004) FROM ch_funnel_test2;

-- 00632: funnel_test_strict, 1005 twice (50 s, 51 s): strict_deduplication 6, default 7
CREATE TEMP TABLE ch_funnel_test_strict AS
SELECT to_timestamp(s) AS t, ev
FROM (VALUES (0, 1000), (10, 1001), (20, 1002), (30, 1003), (40, 1004), (50, 1005), (51, 1005),
	(60, 1006), (70, 1007), (80, 1008)) v(s, ev);
SELECT 6 AS expected, window_funnel(interval '10000 s', 'strict_deduplication', t,
	ev = 1000, ev = 1001, ev = 1002, ev = 1003, ev = 1004, ev = 1005, ev = 1006) FROM ch_funnel_test_strict
UNION ALL SELECT 7, window_funnel(interval '10000 s', t,
	ev = 1000, ev = 1001, ev = 1002, ev = 1003, ev = 1004, ev = 1005, ev = 1006) FROM ch_funnel_test_strict;

-- 00632: funnel_test_strict_order (PR #9773's table), users 1..7
CREATE TEMP TABLE ch_funnel_strict_order AS
SELECT u, to_timestamp(i) AS dt, substr(s, i, 1) AS e
FROM (VALUES (1, 'abc'), (2, 'adbc'), (3, 'aabbcc'), (4, 'aaaabbcc'), (5, 'aabbdcc'), (6, 'ccbbaa'),
	(7, 'acb')) v(u, s), generate_series(1, length(s)) i;
-- .reference: default [1,3] [2,3] [3,3] [4,3] [5,3] [6,1]; strict_order
-- [1,3] [2,1] [3,3] [4,3] [5,2] [6,1]; strict_deduplication + strict_order
-- [1,3] [2,1] [3,2] [4,2] [5,2] [6,1]
SELECT u, window_funnel(interval '86400 s', dt, e = 'a', e = 'b', e = 'c') AS "default",
	window_funnel(interval '86400 s', 'strict_order', dt, e = 'a', e = 'b', e = 'c') AS strict_order,
	window_funnel(interval '86400 s', 'strict_deduplication, strict_order', dt, e = 'a', e = 'b', e = 'c') AS dedup_order
FROM ch_funnel_strict_order WHERE u <= 6 GROUP BY u ORDER BY u;
-- user 7 (a, c, b), window 10, strict_order: [7,1]
SELECT u, window_funnel(interval '10 s', 'strict_order', dt, e = 'a', e = 'b', e = 'c')
FROM ch_funnel_strict_order WHERE u = 7 GROUP BY u;

-- 00632: strict_BiteTheDDDD (ClickHouse #27469): a b c b d, strict_deduplication -> 3
SELECT 3 AS expected, window_funnel(interval '86400 s', 'strict_deduplication', to_timestamp(i),
	e = 'a', e = 'b', e = 'c', e = 'd')
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'b'), (5, 'd')) v(i, e);

-- 00632: funnel_test_non_null, conditions on NULLable columns
CREATE TEMP TABLE ch_funnel_non_null AS
SELECT * FROM (VALUES (to_timestamp(1), 1, 'a1', 'b1'), (to_timestamp(2), 1, 'a2', 'b2'),
	(to_timestamp(1), 2, 'a1', NULL), (to_timestamp(2), 2, 'a2', NULL),
	(to_timestamp(1), 3, NULL, NULL),
	(to_timestamp(1), 4, NULL, 'b1'), (to_timestamp(2), 4, 'a2', NULL), (to_timestamp(3), 4, NULL, 'b3')) v(dt, u, a, b);
-- .reference: [1,2] [2,2] [3,0] [4,0]; [1,2] [2,1] [3,0] [4,0];
-- [1,0] [2,0] [3,1] [4,0]; [1,0] [2,0] [3,1] [4,2]; strict_order [1,0] [2,0] [3,1] [4,1]
SELECT u,
	window_funnel(interval '86400 s', dt, coalesce(a, '') = 'a1', coalesce(a, '') = 'a2') AS a1_a2,
	window_funnel(interval '86400 s', dt, coalesce(a, '') = 'a1', coalesce(b, '') = 'b2') AS a1_b2,
	window_funnel(interval '86400 s', dt, a IS NULL AND b IS NULL) AS both_null,
	window_funnel(interval '86400 s', dt, a IS NULL, coalesce(b, '') = 'b3') AS anull_b3,
	window_funnel(interval '86400 s', 'strict_order', dt, a IS NULL, coalesce(b, '') = 'b3') AS anull_b3_order
FROM ch_funnel_non_null GROUP BY u ORDER BY u;

-- 00632: funnel_test_strict_increase, 1001..1003 at the same instant
CREATE TEMP TABLE ch_funnel_strict_increase AS
SELECT to_timestamp(s) AS t, ev FROM (VALUES (0, 1000), (1, 1001), (1, 1002), (1, 1003), (2, 1004)) v(s, ev);
SELECT 5 AS expected, window_funnel(interval '10000 s', t, ev = 1000, ev = 1001, ev = 1002, ev = 1003, ev = 1004) FROM ch_funnel_strict_increase
UNION ALL SELECT 2, window_funnel(interval '10000 s', 'strict_increase', t, ev = 1000, ev = 1001, ev = 1002, ev = 1003, ev = 1004) FROM ch_funnel_strict_increase
UNION ALL SELECT 3, window_funnel(interval '10000 s', t, ev = 1004, ev = 1004, ev = 1004) FROM ch_funnel_strict_increase
UNION ALL SELECT 1, window_funnel(interval '10000 s', 'strict_once', t, ev = 1004, ev = 1004, ev = 1004) FROM ch_funnel_strict_increase
UNION ALL SELECT 1, window_funnel(interval '10000 s', 'strict_increase', t, ev = 1004, ev = 1004, ev = 1004) FROM ch_funnel_strict_increase;

-- 00632: funnel_test2 of failures and successes, window 200, steps
-- (failure, failure, success): 123 -> 3, 234 -> 2, 345 -> 1 for
-- strict_once + strict_increase, strict_once, strict_once + strict_deduplication
CREATE TEMP TABLE ch_funnel_results AS
SELECT * FROM (VALUES (100, 'failure', 234), (200, 'success', 345), (210, 'failure', 345),
	(230, 'success', 345), (250, 'failure', 234), (180, 'failure', 123), (220, 'failure', 123),
	(250, 'success', 123)) v(event_ts, result, uid);
SELECT uid,
	window_funnel(interval '200 s', 'strict_once, strict_increase', to_timestamp(event_ts),
		result = 'failure', result = 'failure', result = 'success') AS once_increase,
	window_funnel(interval '200 s', 'strict_once', to_timestamp(event_ts),
		result = 'failure', result = 'failure', result = 'success') AS once,
	window_funnel(interval '200 s', 'strict_once, strict_deduplication', to_timestamp(event_ts),
		result = 'failure', result = 'failure', result = 'success') AS once_dedup
FROM ch_funnel_results GROUP BY uid ORDER BY uid;

-- 01646_fix_window_funnel_inconistency: 1004 and 1003 at one instant, 1002 a
-- day before, steps (1004, 1003, 1002), rows in either order: level 2 for
-- the one user both times (.reference "2	1", "---", "2	1")
SELECT window_funnel(interval '70000000 days', ts, ev = 1004, ev = 1003, ev = 1002) AS rows_1004_first,
	(SELECT window_funnel(interval '70000000 days', ts, ev = 1004, ev = 1003, ev = 1002)
	 FROM (VALUES (timestamptz '2019-01-29 10:00:00+00', 1003), ('2019-01-29 10:00:00+00', 1004),
		('2019-01-28 10:00:00+00', 1002)) w(ts, ev)) AS rows_1003_first
FROM (VALUES (timestamptz '2019-01-29 10:00:00+00', 1004), ('2019-01-29 10:00:00+00', 1003),
	('2019-01-28 10:00:00+00', 1002)) v(ts, ev);

-- 00632: funnel_test_allow_reentry, users 1..5
CREATE TEMP TABLE ch_funnel_reentry AS
SELECT u, to_timestamp(i) AS dt, substr(s, i, 1) AS e
FROM (VALUES (1, 'abac'), (2, 'ababc'), (3, 'abcbd'), (4, 'acb'), (5, 'abcabcd')) v(u, s),
	generate_series(1, length(s)) i;
-- The .reference (0882b32b) gives strict_order [1,2] [2,2] [3,3] [4,1] [5,3];
-- allow_reentry [1,3] [2,3] [3,3] [4,1] [5,3]; 4 steps strict_order
-- [1,2] [2,2] [3,4] [4,1] [5,3]; 4 steps allow_reentry [1,3] [2,3] [3,4]
-- [4,1] [5,4]; with strict_deduplication [1,3] [2,1] [3,3] [4,1] [5,3].
-- The source at 0215c755 gives, replayed by hand, what we give:
-- strict_order 3, 3, 3, 1, 3: a step-1 event (a) restarts a chain and
--   keeps the deeper steps (so user 1's c extends a-b), as before PR #86916
--   and in PR #9773's table (aabbcc -> 3);
-- allow_reentry 3, 3, 3, 2, 3: a step whose previous step is not reached
--   (user 4's c) is ignored, so b then reaches step 2;
-- 4 steps strict_order 3, 3, 4, 1, 4 and allow_reentry 3, 3, 4, 2, 4;
-- with strict_deduplication 3, 2, 3, 2, 3: user 2's second b ends the
--   funnel at the deepest step reached, 2 (#37177), not at the previous
--   event's step number, 1.
SELECT u,
	window_funnel(interval '86400 s', 'strict_order', dt, e = 'a', e = 'b', e = 'c') AS strict_order,
	window_funnel(interval '86400 s', 'strict_order, allow_reentry', dt, e = 'a', e = 'b', e = 'c') AS reentry,
	window_funnel(interval '86400 s', 'strict_order', dt, e = 'a', e = 'b', e = 'c', e = 'd') AS strict_order_4,
	window_funnel(interval '86400 s', 'strict_order, allow_reentry', dt, e = 'a', e = 'b', e = 'c', e = 'd') AS reentry_4,
	window_funnel(interval '86400 s', 'strict_order, allow_reentry, strict_deduplication', dt,
		e = 'a', e = 'b', e = 'c') AS reentry_dedup
FROM ch_funnel_reentry GROUP BY u ORDER BY u;

-- 00632: funnel_test_ecommerce, window 600, the re-entry funnel whose steps
-- are (begin_checkout, view_product_detail, begin_checkout, complete_payment)
CREATE TEMP TABLE ch_funnel_ecommerce AS
SELECT * FROM (VALUES (100, 1, 'begin_checkout'), (200, 1, 'view_product_detail'), (300, 1, 'begin_checkout'),
	(400, 1, 'complete_payment'),
	(100, 2, 'begin_checkout'), (200, 2, 'view_product_detail'), (250, 2, 'view_product_detail'),
	(300, 2, 'begin_checkout'), (400, 2, 'complete_payment'),
	(100, 3, 'begin_checkout'), (200, 3, 'view_product_detail'), (300, 3, 'complete_payment')) v(ts, user_id, action);
-- The .reference gives 3 steps strict_order [1,2] [2,2] [3,3], allow_reentry
-- [1,3] [2,3] [3,3]; 4 steps [1,1] [2,1] [3,1] in both modes.  The source at
-- 0215c755, replayed by hand: 3 steps strict_order 3, 3, 3 (the second
-- begin_checkout restarts step 1, payment extends checkout-detail) and
-- allow_reentry 3, 3, 3; 4 steps strict_order 1, 1, 1 (the first
-- begin_checkout is also step 3, out of order at its instant) and
-- allow_reentry 4, 4, 2 (that step 3 is ignored; the second begin_checkout
-- is step 3 after detail, payment step 4; user 3 has no second checkout).
-- With strict_once too (ClickHouse's getEventLevelStrictOnce, which has the
-- same allow_reentry branch): 4, 4, 2, the second checkout being a row of
-- its own, not one the chain used.
SELECT user_id,
	window_funnel(interval '600 s', 'strict_order', to_timestamp(ts),
		action = 'begin_checkout', action = 'view_product_detail', action = 'complete_payment') AS normal,
	window_funnel(interval '600 s', 'strict_order, allow_reentry', to_timestamp(ts),
		action = 'begin_checkout', action = 'view_product_detail', action = 'complete_payment') AS reentry,
	window_funnel(interval '600 s', 'strict_order', to_timestamp(ts),
		action = 'begin_checkout', action = 'view_product_detail', action = 'begin_checkout',
		action = 'complete_payment') AS normal_4,
	window_funnel(interval '600 s', 'strict_order, allow_reentry', to_timestamp(ts),
		action = 'begin_checkout', action = 'view_product_detail', action = 'begin_checkout',
		action = 'complete_payment') AS reentry_4,
	window_funnel(interval '600 s', 'strict_order, allow_reentry, strict_once', to_timestamp(ts),
		action = 'begin_checkout', action = 'view_product_detail', action = 'begin_checkout',
		action = 'complete_payment') AS reentry_once_4
FROM ch_funnel_ecommerce GROUP BY user_id ORDER BY user_id;
-- funnel_path shows the re-entry journey of user 1: checkout 100 s, detail
-- 200 s, checkout again 300 s, payment 400 s
SELECT funnel_path(interval '600 s', 'strict_order, allow_reentry', to_timestamp(ts), false,
	action = 'begin_checkout', action = 'view_product_detail', action = 'begin_checkout',
	action = 'complete_payment')
FROM ch_funnel_ecommerce WHERE user_id = 1;

-- strict_once, hand counts: the random entity 739 (steps 3, window 0; rows
-- at 1 s {1}, 0 s {1, 2}, 1 s {1, 2, 3}, 2 s {1}) reaches 2 as in ClickHouse:
-- the 1 s row {1} starts a chain that the 1 s row {1, 2, 3} continues (the
-- 0 s chain is out of the window); its path is 1 s, 1 s
SELECT window_funnel(interval '0 s', 'strict_once', to_timestamp(t), VARIADIC s ORDER BY n) AS level,
	funnel_path(interval '0 s', 'strict_once', to_timestamp(t), false, VARIADIC s ORDER BY n) AS path
FROM (VALUES (1, 1, '{t,f,f}'::bool[]), (2, 0, '{t,t,f}'), (3, 1, '{t,t,t}'), (4, 2, '{t,f,f}')) v(n, t, s);
-- beyond 64 steps (a second mask word): 70 rows of one instant that each
-- satisfy all 70 steps reach 70, 69 such rows 69; rows 1..64 at 0 s each
-- satisfying its own step, then 6 rows at 1 s satisfying steps 65..70, 70
SELECT (SELECT window_funnel(interval '1 s', 'strict_once', timestamptz '2020-01-01', VARIADIC array_fill(true, ARRAY[70]))
		FROM generate_series(1, 70)) AS rows_70,
	(SELECT window_funnel(interval '1 s', 'strict_once', timestamptz '2020-01-01', VARIADIC array_fill(true, ARRAY[70]))
		FROM generate_series(1, 69)) AS rows_69,
	(SELECT window_funnel(interval '1 s', 'strict_once', timestamptz '2020-01-01' + (i > 64)::int * interval '1 s',
			VARIADIC ARRAY(SELECT CASE WHEN i <= 64 THEN k = i ELSE k > 64 END FROM generate_series(1, 70) k))
		FROM generate_series(1, 70) i) AS two_instants;

-- allow_reentry needs strict_order (ClickHouse: BAD_ARGUMENTS)
SELECT window_funnel(interval '600 s', 'allow_reentry', to_timestamp(ts), action = 'begin_checkout')
FROM ch_funnel_ecommerce;

-- Every mode and combination of modes against ClickHouse's algorithm itself:
-- test/reference/clickhouse_funnel_reference.py ports getEventLevel (and the
-- order add() and sort() give the events) from the source at commit
-- 0215c755 and writes 1,800 random entities (1,200 with 1 to 12 rows within
-- 12 s, 600 dense ones with 4 to 14 rows within 3 s: many ties; rows of no
-- step, of one step, of several steps; 1 to 5 steps; windows 0 to 100 s)
-- with the level ClickHouse gives each under the 24 accepted combinations of
-- modes.  Rows are fed in their order (ClickHouse's strict_once tells rows
-- apart by arrival).  Every entity agrees ("differ" 0 throughout); before
-- strict_once kept every usable chain of an instant (FunnelInstantOnce), 11
-- to 13 of the first 1,200 differed under strict_once without
-- strict_increase (entity 739, steps 3, window 0, rows 1:{1} 0:{1,2}
-- 1:{1,2,3} 2:{1} (time:steps): ClickHouse 2).
CREATE TEMP TABLE ch_random_events (entity int, steps int, win int, "row" int, ts int, mask int);
\copy ch_random_events FROM 'test/data/clickhouse_funnel_events.csv' (FORMAT csv, HEADER)
CREATE TEMP TABLE ch_random_modes (i int, mode text);
\copy ch_random_modes FROM 'test/data/clickhouse_funnel_modes.csv' (FORMAT csv, HEADER)
CREATE TEMP TABLE ch_random_digits (entity int, levels text);
\copy ch_random_digits FROM 'test/data/clickhouse_funnel_levels.csv' (FORMAT csv, HEADER)
CREATE TEMP TABLE ch_random_levels AS
SELECT d.entity, m.mode, substr(d.levels, m.i, 1)::int AS level FROM ch_random_digits d, ch_random_modes m;
SELECT count(DISTINCT entity) AS entities, count(*) AS "rows",
	count(*) FILTER (WHERE mask = 0) AS rows_of_no_step,
	count(*) FILTER (WHERE mask & (mask - 1) <> 0) AS rows_of_several_steps
FROM ch_random_events;
SELECT l.mode, count(*) AS entities, count(*) FILTER (WHERE w.level IS DISTINCT FROM l.level) AS differ,
	count(*) FILTER (WHERE w.level < l.level) AS ours_shallower,
	count(*) FILTER (WHERE l.level = 0) AS level_0, count(*) FILTER (WHERE l.level > 1) AS beyond_step_1
FROM ch_random_levels l
LEFT JOIN (SELECT m.mode, e.entity,
		window_funnel(make_interval(secs => e.win), m.mode, to_timestamp(e.ts),
			VARIADIC ARRAY(SELECT (e.mask >> (k - 1)) & 1 = 1 FROM generate_series(1, e.steps) k)
			ORDER BY e."row") AS level
	FROM ch_random_events e CROSS JOIN (SELECT DISTINCT mode FROM ch_random_levels) m
	GROUP BY m.mode, e.entity) w USING (mode, entity)
GROUP BY l.mode ORDER BY l.mode;
