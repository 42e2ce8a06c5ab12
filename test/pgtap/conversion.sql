-- Conversion: SQLSTATEs of every error, and values against independent
-- expectations (see sql/conversion.sql).
BEGIN;
SELECT plan(93);
SET LOCAL TimeZone = 'UTC';

-- values
SELECT is((SELECT conversion_rate(x) FROM unnest('{t,f,t,NULL}'::bool[]) x), 2 / 3::float8,
	'conversion_rate skips NULLs');
SELECT is((SELECT conversion_rate(x) FROM unnest('{}'::bool[]) x), NULL, 'conversion_rate of no rows is NULL');
SELECT is((SELECT trials(proportion_agg(x)) FROM unnest('{}'::bool[]) x), 0::bigint,
	'proportion_agg of no rows is an empty summary');
SELECT is((SELECT round(upper::numeric, 12) FROM rate_ci(proportion(10, 100), 0.9500042097035593)),
	0.174367304368, 'Wilson upper bound for 10 of 100 at z = 1.96');
SELECT is((SELECT round((z * z)::numeric, 8) FROM proportion_compare(proportion(10, 100), proportion(20, 100))),
	3.92156863, 'z^2 is the 2x2 Pearson chi-square');
SELECT is((SELECT window_funnel(interval '1 hour', t, e = 'A', e = 'B', e = 'C')
	FROM (VALUES (timestamptz '2020-01-01 00:00:01', 'A'), ('2020-01-01 00:00:02', 'D'),
		('2020-01-01 00:00:03', 'B'), ('2020-01-01 00:00:04', 'C')) v(t, e)), 3, 'ADBC: 3 by default');
SELECT is((SELECT window_funnel(interval '1 hour', 'strict_order', t, e = 'A', e = 'B', e = 'C')
	FROM (VALUES (timestamptz '2020-01-01 00:00:01', 'A'), ('2020-01-01 00:00:02', 'D'),
		('2020-01-01 00:00:03', 'B'), ('2020-01-01 00:00:04', 'C')) v(t, e)), 1, 'ADBC: 1 with strict_order');

-- bad proportions: 22023
SELECT throws_ok($$SELECT proportion(4, 3)$$, '22023', 'invalid proportion: 4 successes in 3 trials',
	'more successes than trials');
SELECT throws_ok($$SELECT proportion(-1, 3)$$, '22023', NULL, 'negative successes');
SELECT throws_ok($$SELECT proportion(0, -3)$$, '22023', NULL, 'negative trials');
SELECT throws_ok($$SELECT proportion_agg(k, n) FROM (VALUES (4::bigint, 3::bigint)) v(k, n)$$, '22023', NULL,
	'proportion_agg checks each row');
SELECT throws_ok($$SELECT rate_ci(proportion(1, 2), 1.5)$$, '22023', 'confidence level 1.5 is out of range',
	'bad confidence level');
SELECT throws_ok($$SELECT proportion_summary_uncombine(proportion(1, 2), proportion(2, 2))$$, '22023', NULL,
	'removing what was not added');
SELECT throws_ok($$SELECT proportion_agg(k, n) FROM (VALUES (1::bigint, 9223372036854775807), (1, 1)) v(k, n)$$,
	'22003', 'proportion_summary count overflows', 'count overflow');
-- malformed literals: 22P02, 22P03
SELECT throws_ok($$SELECT '{"version":1,"successes":5,"trials":3}'::proportion_summary$$, '22P02', NULL,
	'inconsistent text literal');
SELECT throws_ok($$SELECT '{"version":1,"successes":5}'::proportion_summary$$, '22P02', NULL,
	'truncated text literal');
\ir ../binary_copy.sql
SELECT throws_ok($$SELECT pg_temp.load_binary('proportion_summary', '\x01' || int8send(7) || int8send(6))$$,
	'22P03', NULL, 'inconsistent binary input');
SELECT throws_ok($$SELECT pg_temp.load_binary('proportion_summary', '\x01' || int8send(7))$$,
	'22P03', NULL, 'short binary input');

-- bad funnel parameters: 22023, 22004, 22008, 54000, 2202E
SELECT throws_ok($$SELECT window_funnel(interval '-1 second', now(), true)$$, '22023',
	'funnel window "-00:00:01" is negative', 'negative window');
SELECT throws_ok($$SELECT window_funnel(interval '1 month', now(), true)$$, '22023', NULL, 'window in months');
SELECT throws_ok($$SELECT window_funnel(NULL, now(), true)$$, '22004', NULL, 'NULL window');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', now(), VARIADIC '{}'::bool[])$$, '22023',
	'a funnel needs at least one step', 'zero steps');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', now(), VARIADIC array_fill(true, ARRAY[10001]))$$,
	'54000', NULL, 'too many steps');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', now(), VARIADIC '{{t,f},{f,t}}'::bool[])$$,
	'2202E', NULL, 'two-dimensional steps');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', 'strict', now(), true)$$, '22023',
	'unknown funnel mode "strict"', 'unknown mode');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', 'allow_reentry', now(), true)$$, '22023',
	'funnel mode allow_reentry requires strict_order', 'allow_reentry without strict_order');
SELECT throws_ok($$SELECT funnel_path(interval '1 hour', 'strict_once, allow_reentry', now(), false, true)$$, '22023',
	'funnel mode allow_reentry requires strict_order', 'allow_reentry without strict_order (funnel_path)');
SELECT is((SELECT window_funnel(interval '1 hour', 'strict_order, allow_reentry', now(), true)), 1,
	'allow_reentry with strict_order is a known mode');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', 'unordered, strict_order', now(), true)$$, '22023',
	'funnel mode unordered cannot be combined with strict_order', 'unordered with a strict mode');
SELECT throws_ok($$SELECT funnel_path(interval '1 hour', 'strict_deduplication, unordered', now(), false, true)$$,
	'22023', 'funnel mode unordered cannot be combined with strict_deduplication', 'unordered with a strict mode (funnel_path)');
SELECT throws_ok($$SELECT window_funnel(interval '1 month', 'unordered', now(), true)$$, '22023',
	NULL, 'unordered: a window with a month part');
SELECT is((SELECT window_funnel(interval '1 hour', 'unordered', t, b, a)
	FROM (VALUES (now(), true, false), (now() - interval '1 minute', false, true)) v(t, a, b)), 2,
	'unordered is a known mode');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', NULL, now(), true)$$, '22004', NULL, 'NULL mode');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', now(), VARIADIC s)
	FROM (VALUES ('{t}'::bool[]), ('{t,f}')) v(s)$$, '22023',
	'funnel step count changed from 1 to 2 within one aggregate', 'step count changes');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', 'infinity'::timestamptz, true)$$, '22008', NULL,
	'infinite timestamp');
SELECT throws_ok($$SELECT window_funnel(interval '1 hour', now(), true, 2)$$, '42804',
	'funnel step 2 must be a boolean condition, not integer', 'a step that is not a condition');
SELECT throws_ok($$SELECT funnel_path(interval '1 hour', '', now(), false, VARIADIC '{1}'::int[])$$, '42804',
	NULL, 'an array of steps that are not conditions');
SELECT throws_ok($$SELECT funnel_agg(ARRAY[NULL, now()])$$, '22023', NULL, 'a path with a gap');
SELECT throws_ok($$SELECT funnel_agg(ARRAY[now(), now() - interval '1 s'])$$, '22023', NULL,
	'a path that goes back in time');
SELECT throws_ok($$SELECT funnel_agg(p) FROM (VALUES (ARRAY[now()]), (ARRAY[now(), now()])) v(p)$$, '22023', NULL,
	'paths of different lengths');
SELECT throws_ok($$SELECT funnel_agg('{{2020-01-01}}'::timestamptz[])$$, '2202E', NULL, 'two-dimensional path');
SELECT throws_ok($$SELECT funnel_agg(4, 3)$$, '22003', 'funnel level 4 is out of range for 3 steps',
	'level beyond the steps');
SELECT throws_ok($$SELECT funnel_agg(1, NULL)$$, '22004', NULL, 'NULL number of steps');
SELECT throws_ok($$SELECT rollup(s) FROM (VALUES
	('{"version":1,"steps":1,"entities":0,"reached":[0],"times":[]}'::funnel_summary),
	('{"version":1,"steps":2,"entities":0,"reached":[0,0],"times":[[]]}')) v(s)$$, '22023',
	'cannot merge funnel summaries with 1 and 2 steps', 'merging summaries of different funnels');
SELECT throws_ok($$SELECT funnel_conversion_proportion('{"version":1,"steps":2,"entities":0,"reached":[0,0],"times":[[]]}', 2, 1)$$,
	'22023', NULL, 'conversion backwards');
SELECT throws_ok($$SELECT funnel_reached('{"version":1,"steps":2,"entities":0,"reached":[0,0],"times":[[]]}', 3)$$,
	'22023', NULL, 'step beyond the funnel');
SELECT throws_ok($$SELECT * FROM funnel_steps('{"version":1,"steps":2,"entities":0,"reached":[0,0],"times":[[]]}', 0)$$,
	'22023', NULL, 'bad confidence level');
SELECT throws_ok($$SELECT '{"version":1,"steps":2,"entities":3,"reached":[4,1],"times":[[]]}'::funnel_summary$$,
	'22P02', NULL, 'inconsistent funnel text literal');
SELECT throws_ok($$SELECT pg_temp.load_binary('funnel_summary', '\x01' || int4send(2))$$,
	'22P03', NULL, 'short funnel binary input');
SELECT throws_ok($$SELECT pg_temp.load_binary('funnel_summary', '\x01' || int4send(1) || int8send(5) || int8send(4) || '\x00')$$,
	'22P03', NULL, 'funnel binary input with trailing bytes');
-- format 2: exact times
SELECT throws_ok($$SELECT '{"version":2,"steps":2,"entities":2,"reached":[2,2],"times":[{"exact":[5,0]}]}'::funnel_summary$$,
	'22P02', NULL, 'exact times out of order');
SELECT throws_ok($$SELECT '{"version":2,"steps":2,"entities":2,"reached":[2,2],"times":[{"exact":[0,5],"x":1}]}'::funnel_summary$$,
	'22P02', NULL, 'exact times with a stray key');
SELECT throws_ok($$SELECT '{"version":2,"steps":2,"entities":1,"reached":[1,1],"times":[{"exact":[0]},[[1,1]]]}'::funnel_summary$$,
	'22P02', NULL, 'more step pairs than steps');
SELECT throws_ok($$SELECT pg_temp.load_binary('funnel_summary', '\x02' || int4send(2) || int8send(1) || int8send(1) || int8send(1) || int4send(10001))$$,
	'22P03', NULL, 'binary: more exact times than are kept');
SELECT throws_ok($$SELECT pg_temp.load_binary('funnel_summary', '\x02' || int4send(2) || int8send(2) || int8send(2) || int8send(2) || int4send(2) || int8send(5) || int8send(0))$$,
	'22P03', NULL, 'binary: exact times out of order');
SELECT throws_ok($$SELECT pg_temp.load_binary('funnel_summary', '\x02' || int4send(2) || int8send(1) || int8send(1) || int8send(1) || int4send(-1) || int4send(0))$$,
	'22P03', NULL, 'binary: an empty histogram (a pair without times is exact)');
SELECT is(pg_temp.load_binary('funnel_summary', '\x02' || int4send(2) || int8send(2) || int8send(2) || int8send(2) || int4send(2) || int8send(0) || int8send(5)),
	'{"version":2,"steps":2,"entities":2,"reached":[2,2],"times":[{"exact":[0,5]}]}', 'binary: exact times read');
SELECT throws_ok($$SELECT funnel_time_quantile('{"version":2,"steps":2,"entities":1,"reached":[1,1],"times":[{"exact":[7]}]}', 2, 1.5)$$,
	'22023', 'quantile fraction 1.5 is out of range', 'a quantile fraction beyond 1');
SELECT throws_ok($$SELECT funnel_time_quantile('{"version":2,"steps":2,"entities":1,"reached":[1,1],"times":[{"exact":[7]}]}', 3, 0.5)$$,
	'22023', NULL, 'a quantile of a step beyond the funnel');
SELECT throws_ok($$SELECT * FROM funnel_steps('{"version":2,"steps":2,"entities":1,"reached":[1,1],"times":[{"exact":[7]}]}', ARRAY['a', 'b', 'c'], 0.95)$$,
	'22023', '3 step names given for a funnel of 2 steps', 'more step names than steps');
SELECT throws_ok($$SELECT * FROM funnel_steps('{"version":2,"steps":2,"entities":1,"reached":[1,1],"times":[{"exact":[7]}]}', ARRAY[NULL, 'b'], 0.95)$$,
	'22004', 'the name of step 1 is null', 'a NULL step name');
SELECT throws_ok($$SELECT * FROM funnel_steps('{"version":2,"steps":2,"entities":1,"reached":[1,1],"times":[{"exact":[7]}]}', ARRAY[['a'], ['b']], 0.95)$$,
	'2202E', NULL, 'two-dimensional step names');
SELECT throws_ok($$SELECT rate_upper(proportion(1, 2), 1)$$,
	'22023', NULL, 'rate_upper at a confidence level of 1');

-- extreme timestamps (issue 10): exact answers or 22008, never a crash
SELECT throws_ok($$SELECT funnel_agg(ARRAY['4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00']::timestamptz[])$$,
	'22008', 'interval out of range', 'a path time beyond the longest interval');
SELECT throws_ok($$SELECT funnel_agg(ARRAY['2025-01-01', 'infinity']::timestamptz[])$$,
	'22008', 'funnel path step 2 is infinity, not a finite timestamp', 'an infinite path timestamp');
SELECT throws_ok($$SELECT funnel_path(interval '1 day', '', t, false, true) FROM (VALUES (timestamptz '-infinity')) v(t)$$,
	'22008', 'funnel event timestamp must be finite, not -infinity', 'an infinite funnel_path event');
SELECT is((SELECT window_funnel(interval '1 day', t, e = 'A', e = 'B')
	FROM (VALUES (timestamptz '4713-01-01 00:00:00+00 BC', 'A'), ('294276-12-31 23:59:59+00', 'B')) v(t, e)),
	1, 'events 299,000 years apart are not within a day');
SELECT is((SELECT funnel_median_time(funnel_agg(ARRAY['2000-01-01+00', '294276-12-31 23:59:59+00']::timestamptz[]), 2)
		FROM generate_series(1, 10001)),
	-- 2562047788:00:54.775807, written so that PostgreSQL 13 and 14 read it
	interval '1 hour' * 2562047788 + interval '54.775807 s', 'the longest time in a histogram reads back as 2^63 - 1 us, not beyond bigint');
SELECT throws_ok($$SELECT '{"version":1,"steps":2,"entities":1,"reached":[1,1],"times":[[[2186,1]]]}'::funnel_summary$$,
	'22P02', NULL, 'a bucket beyond the longest duration');

-- resources: a summary's aggregation state follows its buckets (it held a
-- dense 17.6 kB histogram per step pair: 176 MB per group here)
CREATE FUNCTION pg_temp.hashagg_peak_kb(query text) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) ' || query INTO plan;
	RETURN (plan->0->'Plan'->>'Peak Memory Usage')::bigint;
END $f$;
SET LOCAL work_mem = '1GB';
SET LOCAL enable_sort = off;
CREATE TEMP TABLE wide_funnels AS
SELECT g, ('{"version":1,"steps":10000,"entities":1,"reached":[' || array_to_string(array_fill(1, ARRAY[10000]), ',')
	|| '],"times":[' || array_to_string(array_fill('[[5,1]]'::text, ARRAY[9999]), ',') || ']}')::funnel_summary AS s
FROM generate_series(1, 4) g;
SELECT cmp_ok(pg_temp.hashagg_peak_kb('SELECT g % 2, funnel_entities(rollup(s)) FROM wide_funnels GROUP BY g % 2'),
	'<', 20000::bigint, 'two rollup() groups of 10,000-step summaries take less than 20 MB');
RESET enable_sort;
RESET work_mem;

-- interrupts: window_funnel over 1,500 events of one instant, 10,000 steps
-- each, strict_once (each step walks the chain of the instant) replays for
-- seconds; a 200 ms statement_timeout must stop it soon after 200 ms (it
-- used to run to the end: interrupts were checked once per instant)
CREATE FUNCTION pg_temp.seconds_to_cancel(query text) RETURNS float8 LANGUAGE plpgsql AS $f$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	EXECUTE query;
	RETURN NULL;
EXCEPTION WHEN query_canceled THEN
	RETURN extract(epoch FROM clock_timestamp() - t0);
END $f$;
SET LOCAL statement_timeout = '200ms';
SELECT cmp_ok(pg_temp.seconds_to_cancel($$SELECT window_funnel(interval '1 day', 'strict_once', t,
		VARIADIC array_fill(true, ARRAY[10000]))
	FROM generate_series(1, 1500) i, (VALUES (timestamptz '2020-01-01')) v(t)$$),
	'<', 1.0::float8, 'window_funnel with 10,000 steps is canceled (57014) within a second');
RESET statement_timeout;
SELECT is((SELECT window_funnel(interval '1 day', 'strict_once', t, VARIADIC array_fill(true, ARRAY[100]))
	FROM generate_series(1, 30) i, (VALUES (timestamptz '2020-01-01')) v(t)),
	30, 'strict_once: 30 events of one instant reach 30 of 100 steps');

-- sequence_match, sequence_count: patterns (ClickHouse's SYNTAX_ERROR is
-- 42601, its BAD_ARGUMENTS 22023) and conditions
SELECT throws_ok($$SELECT sequence_match(NULL, now(), true)$$, '22004',
	'sequence pattern must not be null', 'NULL sequence pattern');
SELECT throws_ok($$SELECT sequence_match('(?1', now(), true)$$, '42601', NULL, 'pattern: missing )');
SELECT throws_ok($$SELECT sequence_match('(?1)x', now(), true)$$, '42601',
	'unexpected character at "x" (position 5) of sequence pattern "(?1)x"', 'pattern: a stray character');
SELECT throws_ok($$SELECT sequence_count('(?1)(?t~3)(?1)', now(), true)$$, '42601', NULL,
	'pattern: unknown time comparison');
SELECT throws_ok($$SELECT sequence_count('(?1)(?t>99999999999999)(?1)', now(), true)$$, '42601', NULL,
	'pattern: a time beyond an int64 of microseconds');
SELECT throws_ok($$SELECT sequence_match('(?3)', now(), true, false)$$, '22023',
	'event condition "(?3)" of sequence pattern "(?3)" is not (?1) to (?2)', 'pattern: condition out of range');
SELECT throws_ok($$SELECT sequence_match('(?1)(?t>1)(?t<2)(?1)', now(), true)$$, '22023', NULL,
	'pattern: a time condition after a time condition');
SELECT throws_ok($$SELECT sequence_match(repeat('.', 4097), now(), true)$$, '54000', NULL,
	'pattern: over 4096 bytes');
SELECT throws_ok($$SELECT sequence_match('(?1)', now(), VARIADIC array_fill(true, ARRAY[33]))$$, '54000', NULL,
	'33 conditions (ClickHouse stops at 32)');
SELECT throws_ok($$SELECT sequence_match('', now(), VARIADIC '{}'::bool[])$$, '22023',
	'a sequence needs at least one condition', 'no condition');
SELECT throws_ok($$SELECT sequence_count('(?1)', now(), 1)$$, '42804',
	'sequence condition 1 must be a boolean condition, not integer', 'a condition that is not boolean');
SELECT throws_ok($$SELECT sequence_count('(?1)', 'infinity'::timestamptz, true)$$, '22008', NULL,
	'infinite timestamp');
SELECT throws_ok($$SELECT sequence_count('(?1)', now(), VARIADIC c)
	FROM (VALUES ('{t}'::bool[]), ('{t,f}')) v(c)$$, '22023',
	'sequence condition count changed from 1 to 2 within one aggregate', 'condition count changes');
-- ClickHouse's backtracking matcher gives up past 1,000,000 steps: one event
-- of condition 2, then 2000 of condition 1; for each choice of the last
-- (?1), (?t>=0) tries every later event for (?2): about 2000^2 / 2 steps
SELECT throws_ok($$SELECT sequence_match('(?1).*(?1).*(?1)(?t>=0)(?2)', t, i > 0, i = 0)
	FROM generate_series(0, 2000) i, LATERAL (SELECT timestamptz '2020-01-01' + i * interval '1 s' AS t) x$$,
	'54000', 'sequence pattern needs more than 1000000 matching steps for one entity', 'the matcher''s step limit');

-- funnel_breakdown: attribution errors (22023, 22004), and values
SELECT throws_ok($$SELECT funnel_breakdown(interval '1 hour', 'default', 'step_3', now(), 'x', false, true, true)$$,
	'22023', 'funnel breakdown attribution "step_3" is not a step of this funnel', 'attribution step out of range');
SELECT throws_ok($$SELECT funnel_breakdown(interval '1 hour', 'default', 'step_0', now(), 'x', false, true)$$,
	'22023', 'funnel breakdown attribution "step_0" is not a step of this funnel', 'attribution step 0');
SELECT throws_ok($$SELECT funnel_breakdown(interval '1 hour', 'default', 'first-touch', now(), 'x', false, true)$$,
	'22023', 'unknown funnel breakdown attribution "first-touch"', 'unknown attribution');
SELECT throws_ok($$SELECT funnel_breakdown(interval '1 hour', 'default', 'step_99999999999', now(), 'x', false, true)$$,
	'22023', NULL, 'attribution step beyond int32');
SELECT throws_ok($$SELECT funnel_breakdown(interval '1 hour', 'default', NULL, now(), 'x', false, true)$$,
	'22004', 'funnel breakdown attribution must not be null', 'NULL attribution');
SELECT is((SELECT funnel_breakdown(interval '1 hour', 'default', 'last_touch', t, p, false, true)
	FROM (VALUES (timestamptz '2025-01-01 10:00', 'a'), ('2025-01-01 11:00', ''), ('2025-01-01 12:00', NULL)) v(t, p)),
	'', 'last touch: the latest non-NULL value, which may be empty');
SELECT is((SELECT funnel_breakdown(interval '1 hour', 'default', 'step_2', t, p, false, s1, s2)
	FROM (VALUES (timestamptz '2025-01-01 10:00', 'a', true, false), ('2025-01-01 12:00', 'b', false, true)) v(t, p, s1, s2)),
	NULL, 'step_2 is NULL when the chain does not reach step 2');

SELECT * FROM finish();
ROLLBACK;
