-- cohort_activity_summary, the state of retention_curve() and retention_agg()
-- over events (Citus ships it between nodes as text): properties over random
-- cohorts, and random mutations of its text and binary forms.
--   * every summary reads back exactly: text -> summary -> text, and
--     send -> receive -> send;
--   * summaries of pieces whose entities overlap roll up to the summary of
--     the whole, and the accessors on that rollup give what the one-step
--     aggregates give;
--   * mutated literals and payloads are read (and round-trip) or rejected
--     with 22P02 / 22P03, never another error.
BEGIN;
SELECT plan(23);
SELECT setseed(0.61);
SET LOCAL TimeZone = 'UTC';

\ir ../fuzz.sql

-- 60 random cohorts: calendar periods (day, week, month) in one of five
-- zones, or rolling ones; 1 to 130 periods (bitmaps of one to three words);
-- censored at a random as_of or not; either mode for the curve
CREATE TEMP TABLE configs AS
SELECT c, p.period, p.alignment, 1 + floor(random() * 130)::int AS periods,
	CASE WHEN random() < 0.5 THEN timestamptz '2024-01-01' + random() * interval '500 days' END AS as_of,
	(ARRAY['UTC', 'Europe/Paris', 'America/St_Johns', 'Asia/Kolkata', 'Pacific/Kiritimati'])[1 + floor(random() * 5)::int] AS zone,
	(ARRAY['on', 'on_or_after'])[1 + floor(random() * 2)::int] AS mode
FROM generate_series(1, 60) c,
	LATERAL (SELECT (ARRAY['1 day', '1 week', '1 month', '3 days', '36 hours'])[1 + floor(random() * 5 + c * 0)::int]::interval) i(period),
	LATERAL (SELECT i.period, CASE WHEN i.period IN ('1 day', '1 week', '1 month') THEN 'calendar' ELSE 'rolling' END) p(period, alignment);

-- up to 40 entities a cohort (ids anywhere in bigint), each with its start
-- and 0 to 12 events (a NULL activity: a member never active), every event
-- in one of four pieces, so an entity is in several
CREATE TEMP TABLE entities AS
SELECT c, (random() * 2e18 - 1e18)::bigint * (1 + floor(random() * 4)::int) AS entity,
	timestamptz '2024-01-01' + random() * interval '200 days' AS start
FROM configs, generate_series(1, floor(random() * 41)::int + c * 0);
CREATE TEMP TABLE events AS
SELECT e.c, e.entity, e.start,
	CASE WHEN random() < 0.9 THEN e.start + random() * interval '400 days' END AS at,
	floor(random() * 4)::int AS piece
FROM (SELECT DISTINCT ON (c, entity) * FROM entities) e, generate_series(1, floor(random() * 13)::int + e.c * 0);

CREATE TEMP TABLE wholes AS
SELECT g.c, cohort_activity_agg(e.entity, e.start, e.at, g.period, g.periods, g.alignment, g.as_of, g.zone) AS s
FROM configs g JOIN events e USING (c) GROUP BY g.c;
CREATE TEMP TABLE pieces AS
SELECT g.c, e.piece, cohort_activity_agg(e.entity, e.start, e.at, g.period, g.periods, g.alignment, g.as_of, g.zone) AS s
FROM configs g JOIN events e USING (c) GROUP BY g.c, e.piece;

SELECT ok((SELECT count(*) FROM wholes) >= 50
		AND (SELECT count(*) FROM pieces) >= 150
		AND (SELECT count(DISTINCT periods / 64) FROM configs) = 3,
	'random cohorts of one- to three-word bitmaps, most with entities');

SELECT is_empty($$
	SELECT s::text FROM (SELECT s FROM wholes UNION ALL SELECT s FROM pieces) x
	WHERE s::text::cohort_activity_summary::text <> s::text
$$, 'every summary reads back from its text as the same text');

SELECT is_empty($$
	SELECT s::text FROM (SELECT s FROM wholes UNION ALL SELECT s FROM pieces) x
	WHERE cohort_activity_summary_send(pg_temp.load_binary('cohort_activity_summary',
		cohort_activity_summary_send(s))::cohort_activity_summary) <> cohort_activity_summary_send(s)
$$, 'every summary reads back from its binary form as the same bytes');

SELECT is_empty($$
	SELECT c FROM wholes w FULL JOIN (SELECT c, rollup(s) AS s FROM pieces GROUP BY c) r USING (c)
	WHERE r.s::text IS DISTINCT FROM w.s::text
$$, 'the rollup of the pieces is the summary of the whole');

SELECT is_empty($$
	SELECT g.c FROM configs g
	LEFT JOIN (SELECT c, rollup(s) AS s FROM pieces GROUP BY c) r USING (c)
	LEFT JOIN (SELECT g.c,
			retention_agg(e.entity, e.start, e.at, g.period, g.periods, g.alignment, g.as_of, g.zone) AS summary,
			retention_curve(e.entity, e.start, e.at, g.period, g.periods, g.mode, g.alignment, g.as_of, g.zone) AS curve
		FROM configs g JOIN events e USING (c) GROUP BY g.c) o USING (c)
	WHERE retention_summary(r.s)::text IS DISTINCT FROM o.summary::text
		OR retention_curve(r.s, g.mode) IS DISTINCT FROM o.curve
$$, 'retention_summary() and retention_curve() of the rollup give the one-step results');

SELECT is_empty($$
	SELECT g.c FROM configs g
	LEFT JOIN (SELECT c, rollup(s) AS s FROM pieces GROUP BY c) r USING (c)
	LEFT JOIN (SELECT g.c, retention_agg(e.entity, e.start, e.at, g.period, g.periods, g.alignment, NULL, g.zone) AS plain
		FROM configs g JOIN events e USING (c) GROUP BY g.c) o USING (c)
	WHERE retention_summary(r.s, NULL)::text IS DISTINCT FROM o.plain::text
$$, 'retention_summary(s, NULL) is the one-step summary censored at now()');

-- the same cohorts with text ids (the bigint as text, so that some sort
-- before others as bytes and not as numbers) and uuid ids (of its md5)
CREATE TEMP TABLE id_wholes AS
SELECT g.c, cohort_activity_agg(e.entity::text, e.start, e.at, g.period, g.periods, g.alignment, g.as_of, g.zone) AS t,
	cohort_activity_agg(md5(e.entity::text)::uuid, e.start, e.at, g.period, g.periods, g.alignment, g.as_of, g.zone) AS u
FROM configs g JOIN events e USING (c) GROUP BY g.c;
CREATE TEMP TABLE id_pieces AS
SELECT g.c, e.piece, cohort_activity_agg(e.entity::text, e.start, e.at, g.period, g.periods, g.alignment, g.as_of, g.zone) AS t,
	cohort_activity_agg(md5(e.entity::text)::uuid, e.start, e.at, g.period, g.periods, g.alignment, g.as_of, g.zone) AS u
FROM configs g JOIN events e USING (c) GROUP BY g.c, e.piece;

SELECT is_empty($$
	SELECT c FROM (SELECT c, t, u FROM id_wholes UNION ALL SELECT c, t, u FROM id_pieces) x
	WHERE t::text::cohort_activity_summary::text <> t::text OR u::text::cohort_activity_summary::text <> u::text
		OR pg_temp.load_binary('cohort_activity_summary', cohort_activity_summary_send(t)) <> t::text
		OR pg_temp.load_binary('cohort_activity_summary', cohort_activity_summary_send(u)) <> u::text
$$, 'text and uuid id summaries read back from their text and binary forms');

SELECT is_empty($$
	SELECT c FROM id_wholes w JOIN (SELECT c, rollup(t) AS t, rollup(u) AS u FROM id_pieces GROUP BY c) r USING (c)
	WHERE r.t::text <> w.t::text OR r.u::text <> w.u::text
$$, 'the rollup of text and uuid id pieces is the summary of the whole');

SELECT is_empty($$
	SELECT c FROM id_wholes i JOIN wholes w USING (c)
	WHERE retention_summary(i.t)::text <> retention_summary(w.s)::text
		OR retention_summary(i.u)::text <> retention_summary(w.s)::text
$$, 'text and uuid ids count what their bigint ids count');

-- mutations: every value read round-trips (text, and binary) and counts its
-- entities
CREATE TEMP TABLE text_cases AS
SELECT * FROM pg_temp.fuzz_text_cases('cohort_activity_summary', ARRAY[
	'{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,1704412800000000,[0,1],true],[2,1705708800000000,[0,2],false],[3,1706659200000000,[],false]]}',
	'{"version":1,"period":"week","time_zone":"Asia/Kolkata","periods":70,"as_of":1710460800000000,"mode":"on_or_after","entities":[[-5,1704412800000000,[0,63,64,69],false],[9,1704412800000001,[],true]]}',
	'{"version":1,"period":"rolling","length":86400000000,"periods":2,"as_of":null,"mode":"on","entities":[[-9223372036854775808,-210866803200000000,[1],false],[9223372036854775807,9223371331199000000,[],true]]}',
	'{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"text","entities":[["",1704412800000000,[0,1],true],["a\"b",1705708800000000,[0,2],false],["\u00e9t\u00e9",1706659200000000,[],false]]}',
	'{"version":2,"period":"day","time_zone":"UTC","periods":2,"as_of":null,"mode":"on","ids":"uuid","entities":[["00000000-0000-0000-0000-000000000001",1704412800000000,[0],false],["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",1704412800000000,[],true]]}'],
	'{}[],:" -0123456789truefalsnuidx\\', 800, 1);
SELECT pg_temp.fuzz_checks('text_cases', '22P02', 20, 400, 'cohort_activity_summary text literals',
	'cohort_activity_summary',
	$c$coalesce(cohort_size(retention_summary(v)), 0) = jsonb_array_length(v::text::jsonb -> 'entities')
		AND pg_temp.load_binary('cohort_activity_summary', cohort_activity_summary_send(v)) = v::text$c$);

CREATE TEMP TABLE binary_cases AS
SELECT * FROM pg_temp.fuzz_binary_cases('cohort_activity_summary', ARRAY[
	'{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,1704412800000000,[0,1],true],[2,1705708800000000,[0,2],false],[3,1706659200000000,[],false]]}',
	'{"version":1,"period":"rolling","length":86400000000,"periods":70,"as_of":1710460800000000,"mode":"on_or_after","entities":[[-5,1704412800000000,[0,63,64,69],false],[9,1704412800000001,[],true]]}',
	'{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"text","entities":[["",1704412800000000,[0,1],true],["ab",1705708800000000,[0,2],false],["b",1706659200000000,[],false]]}',
	'{"version":2,"period":"day","time_zone":"UTC","periods":2,"as_of":null,"mode":"on","ids":"uuid","entities":[["00000000-0000-0000-0000-000000000001",1704412800000000,[0],false],["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",1704412800000000,[],true]]}'],
	300);
SELECT pg_temp.fuzz_checks('binary_cases', '22P03', 10, 100, 'cohort_activity_summary binary payloads',
	'cohort_activity_summary',
	$c$coalesce(cohort_size(retention_summary(v)), 0) = jsonb_array_length(v::text::jsonb -> 'entities')$c$);

-- SQLSTATEs of issue 13's additions: ids of different kinds, malformed
-- version 2 forms, retention_table's confidence
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT cohort_activity_agg('a'::text, '2024-01-01'::timestamptz, NULL::timestamptz, '1 month', 3)
	UNION ALL SELECT cohort_activity_agg('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '2024-01-01', NULL, '1 month', 3)) x(s)$$,
	'22023', NULL, 'summaries of text and uuid ids do not merge');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT cohort_activity_agg(1::bigint, '2024-01-01'::timestamptz, NULL::timestamptz, '1 month', 3)
	UNION ALL SELECT cohort_activity_agg('1'::text, '2024-01-01', NULL, '1 month', 3)) x(s)$$,
	'22023', NULL, 'summaries of integer and text ids do not merge');
SELECT throws_ok($$SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"text","entities":[["b",0,[],false],["a",0,[],false]]}'::cohort_activity_summary$$,
	'22P02', NULL, 'text ids out of order are malformed');
SELECT throws_ok($$SELECT pg_temp.load_binary('cohort_activity_summary',
	substr(cohort_activity_summary_send(cohort_activity_agg('abc'::text, '2024-01-01'::timestamptz, NULL::timestamptz, '1 month', 3)), 1, 34))$$,
	'22P03', NULL, 'a truncated id dictionary is malformed');
SELECT throws_ok($$SELECT * FROM retention_table(1, (SELECT retention_agg(1::bigint, '2024-01-01'::timestamptz, NULL::timestamptz, '1 month', 3)), 'on', 1.0)$$,
	'22023', NULL, 'retention_table refuses a confidence level of 1');
SELECT throws_ok($$SELECT * FROM retention_table(1, (SELECT retention_agg(1::bigint, '2024-01-01'::timestamptz, NULL::timestamptz, '1 month', 3)), 'on', NULL)$$,
	'22004', NULL, 'retention_table refuses a NULL confidence level');

SELECT * FROM finish();
ROLLBACK;
