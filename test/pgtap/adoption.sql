-- CRM adoption summaries: SQLSTATEs of every error, and properties over
-- random summaries: text and binary forms round-trip exactly (Citus ships
-- states as text), the one-step aggregates equal the accessors of rollup()
-- over per-group summaries, and mutated literals and payloads are read or
-- rejected with 22P02 / 22P03, never another error.
BEGIN;
SELECT plan(34);
SELECT setseed(0.31);

\ir ../fuzz.sql

-- errors
SELECT throws_ok($$SELECT '{"version":3,"period_start":"2025-01-01","period_end":"2025-02-01","users":[]}'::adoption_summary$$,
	'22P02', NULL, 'an unknown text version is rejected');
SELECT throws_ok($$SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[2,"1"],[1,"1"]]}'::adoption_summary$$,
	'22P02', NULL, 'unsorted users are rejected');
SELECT throws_ok($$SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[1,"1"],[1,"1"]]}'::adoption_summary$$,
	'22P02', NULL, 'a duplicate user is rejected');
SELECT throws_ok($$SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[1,"8"]]}'::adoption_summary$$,
	'22P02', NULL, 'a day past the period is rejected');
SELECT throws_ok($$SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2026-01-03","users":[]}'::adoption_summary$$,
	'22P02', NULL, 'a period of more than 366 days is rejected');
SELECT throws_ok($$SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[]}}'::adoption_summary$$,
	'22P02', NULL, 'trailing garbage is rejected');
SELECT throws_ok($$SELECT pg_temp.load_binary('adoption_summary', '\x01000023ac0000001f00000000000000020000000000000003'::bytea)$$,
	'22P03', NULL, 'a binary user count beyond the bytes left is rejected');
SELECT throws_ok($$SELECT pg_temp.load_binary('adoption_summary', '\x05000023ac0000001f0000000000000000'::bytea)$$,
	'22P03', 'unsupported adoption_summary binary format version 5', 'an unknown binary version is rejected');
SELECT throws_ok($$SELECT rollup(s) FROM (VALUES ('{"version":1,"period_start":"2025-01-01","period_end":"2025-02-01","users":[]}'::adoption_summary),
		('{"version":1,"period_start":"2025-01-01","period_end":"2025-03-01","users":[]}')) v(s)$$,
	'22023', 'cannot merge adoption summaries of periods [2025-01-01, 2025-02-01) and [2025-01-01, 2025-03-01)',
	'merging summaries of two periods names both');
SELECT throws_ok($$SELECT adoption_agg(1, date '2025-01-01', '2025-01-01', NULL)$$, '22004', NULL,
	'a NULL period bound is an error');
SELECT throws_ok($$SELECT adoption_agg(1, date '2025-01-01', '2025-01-02', '2025-01-01')$$, '22023', NULL,
	'a reversed period is an error');

-- random summaries: periods of 1 to 366 days anywhere in the date range
-- (some in 2025, two at its ends), users from the whole bigint range, days
-- in and around the period
CREATE TEMP TABLE periods AS
SELECT k, ps, ps + len AS pe
FROM (SELECT k, 1 + floor(random() * 366)::int AS len,
		CASE WHEN k % 4 = 0 THEN date '2025-01-01' + floor(random() * 365)::int
			 ELSE date '4713-11-24 BC' + floor(random() * 2147000000)::int END AS ps
	  FROM generate_series(1, 150) k) x
UNION ALL VALUES (151, date '4713-11-24 BC', date '4713-11-24 BC' + 366),
	(152, date '5874897-12-31' - 366, date '5874897-12-31'),
	(153, date '2025-02-01', date '2025-03-01');
CREATE TEMP TABLE activity AS
SELECT k, CASE WHEN random() < 0.05 THEN NULL
		WHEN random() < 0.1 THEN (ARRAY[-9223372036854775808, 9223372036854775807, 0, -1])[1 + floor(random() * 4)::int]
		ELSE floor(random() * 60)::bigint - 20 END AS u,
	CASE WHEN k = 153 THEN ps - 1 - floor(random() * 30)::int		-- none in the period
		 WHEN k > 150 THEN ps + floor(random() * (pe - ps))::int
		 ELSE ps + floor(random() * (pe - ps + 4))::int - 2 END AS d, ps, pe
FROM periods, generate_series(1, 1 + (k * 37) % 90) i;
CREATE TEMP TABLE states AS
SELECT k, adoption_agg(u, d, ps, pe) AS s FROM activity GROUP BY k;

SELECT ok((SELECT count(*) FROM states WHERE active_users(s) > 5) > 100
	AND (SELECT count(*) FROM states WHERE active_users(s) = 0) > 0
	AND (SELECT count(*) FROM states WHERE s::text LIKE '%BC%') > 0,
	'the random summaries include many users, empty summaries and BC periods');
SELECT is_empty($$SELECT k FROM states WHERE s::text::adoption_summary::text <> s::text$$,
	'random summaries: text -> summary -> text is the same text');
SELECT is_empty($$SELECT k FROM states
	WHERE adoption_summary_send(pg_temp.load_binary('adoption_summary', adoption_summary_send(s))::adoption_summary)
		<> adoption_summary_send(s)$$,
	'random summaries: send -> recv -> send is the same bytes');
SELECT is_empty($$SELECT k FROM states
	WHERE pg_temp.load_binary('adoption_summary', adoption_summary_send(s)) <> s::text$$,
	'random summaries: binary input gives the same summary as its text');
SELECT is_empty($$SELECT k FROM states
	WHERE active_users(s) <> jsonb_array_length(s::text::jsonb->'users')$$,
	'active_users counts the users of the text form');

-- 1.3.0: ids of any type, timestamps, as_of, adoption_rate at most 100 %
SELECT throws_ok($$SELECT rollup(s) FROM (VALUES
	('{"version":2,"period_start":"2025-01-01","period_end":"2025-01-05","users":[[1,"1"]]}'::adoption_summary),
	('{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[["a","1"]]}')) v(s)$$,
	'22023', 'cannot merge integer ids with text ids', 'merging integer and text ids');
SELECT throws_ok($$SELECT '{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[["b","1"],["a","1"]]}'::adoption_summary$$,
	'22P02', NULL, 'text ids out of byte order are rejected');
SELECT throws_ok($$SELECT active_users(u, t, '2025-01-01', '2025-02-01', z) FROM (VALUES
	(1, timestamptz '2025-01-02', 'UTC'), (2, timestamptz '2025-01-03', 'Asia/Tokyo')) v(u, t, z)$$,
	'22023', NULL, 'a time zone that changes within one aggregate');
SELECT throws_ok($$SELECT active_users(1, timestamp '2025-01-02', timestamp '2025-01-01 12:00', timestamp '2025-02-01')$$,
	'22023', NULL, 'a timestamp bound not at the start of a day');
SELECT throws_ok($$SELECT adoption_rate(11, 10)$$, '22023',
	'number of active users 11 exceeds the number of licensed seats 10', 'more active users than seats');
SELECT is(active_users(s, '2025-01-02'), 1::bigint, 'as_of counts only the activity up to it')
FROM (SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') AS s
	  FROM (VALUES ('x', date '2025-01-01'), ('y', date '2025-01-03')) v(u, d)) x;
SELECT is((SELECT active_users(u::smallint, d, '2025-01-01', '2025-02-01') FROM activity WHERE false), NULL::bigint,
	'smallint ids, no rows: NULL');

-- one step = accessors of rollup() over per-group summaries (groups by user)
CREATE TEMP TABLE one_step AS
SELECT k, active_users(u, d, ps, pe) AS users, average_dau(u, d, ps, pe) AS dau, dau_mau(u, d, ps, pe) AS ratio
FROM activity GROUP BY k;
CREATE TEMP TABLE two_step AS
SELECT k, active_users(r) AS users, average_dau(r) AS dau, dau_mau(r) AS ratio
FROM (SELECT k, rollup(s) AS r
	  FROM (SELECT k, abs(u % 5) AS g,
				   adoption_agg(u, d, ps, pe) AS s
			FROM activity GROUP BY k, abs(u % 5)) per_group
	  GROUP BY k) x;
SELECT is((SELECT count(*) FROM one_step), 153::bigint, 'one step: a result per random log');
SELECT is_empty($$SELECT k FROM one_step o FULL JOIN two_step t USING (k)
	WHERE (o.users, o.dau, o.ratio) IS DISTINCT FROM (t.users, t.dau, t.ratio)$$,
	'one-step active_users, average_dau and dau_mau equal the accessors of rollup() over per-group summaries');
SELECT is_empty($$SELECT k FROM one_step o JOIN periods USING (k)
	WHERE o.users <> (SELECT count(DISTINCT u) FROM activity a WHERE a.k = o.k AND u IS NOT NULL
					  AND d >= a.ps AND d < a.pe)
	   OR o.dau <> (SELECT count(DISTINCT (u, d)) FROM activity a WHERE a.k = o.k AND u IS NOT NULL
					AND d >= a.ps AND d < a.pe)::float8 / (pe - ps)$$,
	'one-step results equal plain SQL distinct counts');

-- mutations of literals and payloads
CREATE TEMP TABLE text_cases AS
SELECT * FROM pg_temp.fuzz_text_cases('adoption_summary', ARRAY[
	'{"version":1,"period_start":"2025-01-01","period_end":"2025-02-01","users":[[3,"00000004"],[7,"50000000"],[12,"01000000"]]}',
	'{"version":1,"period_start":"0044-03-15 BC","period_end":"0044-03-22 BC","users":[[-9223372036854775808,"7f"],[5,"01"]]}',
	'{"version":1,"period_start":"2025-01-01","period_end":"2025-01-02","users":[]}',
	'{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[["a\\\"b","1"],["c\\\\d","3"],["é","8"]]}',
	'{"version":2,"ids":"uuid","period_start":"2025-01-01","period_end":"2025-01-02","users":[["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","1"],["b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","1"]]}'],
	'{}[],:" -0123456789abcdefBC', 1500, 1);
SELECT pg_temp.fuzz_checks('text_cases', '22P02', 10, 1000, 'adoption_summary text literals',
	'adoption_summary', $c$active_users(v) = jsonb_array_length(v::text::jsonb->'users')$c$);
CREATE TEMP TABLE binary_cases AS
SELECT * FROM pg_temp.fuzz_binary_cases('adoption_summary', ARRAY[
	'{"version":1,"period_start":"2025-01-01","period_end":"2025-02-01","users":[[3,"00000004"],[7,"50000000"],[12,"01000000"]]}',
	'{"version":1,"period_start":"2025-01-01","period_end":"2026-01-02","users":[[-1,"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002"]]}',
	'{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[["a\\\"b","1"],["c\\\\d","3"],["é","8"]]}',
	'{"version":2,"ids":"uuid","period_start":"2025-01-01","period_end":"2025-01-02","users":[["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","1"],["b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","1"]]}'], 300);
SELECT pg_temp.fuzz_checks('binary_cases', '22P03', 10, 100, 'adoption_summary binary payloads',
	'adoption_summary', $c$active_users(v) = jsonb_array_length(v::text::jsonb->'users')$c$);

SELECT * FROM finish();
ROLLBACK;
