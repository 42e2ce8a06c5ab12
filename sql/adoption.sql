--
-- CRM adoption: adoption_summary, adoption_agg, rollup and the accessors
-- (active_users, average_dau, dau_mau).  The one-step aggregates' own tests
-- are in pipeline.sql.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET extra_float_digits = 0;

-- a hand-checked log over January 2025 (31 days): user 7 on days 0 and 2
-- (twice on day 0), user 3 on day 30, user 12 on day 4 and on Feb 1 (outside
-- the period), a NULL user and a NULL day (skipped).  Bitmaps, one hex digit
-- per 4 days, 1 for the first: user 3 day 30 = digit 7 value 4; user 7 days
-- 0 and 2 = digit 0 value 1 + 4 = 5; user 12 day 4 = digit 1 value 1.
CREATE TABLE ad_log (u bigint, d date);
INSERT INTO ad_log VALUES (7, '2025-01-01'), (7, '2025-01-01'), (7, '2025-01-03'),
	(3, '2025-01-31'), (12, '2025-01-05'), (12, '2025-02-01'), (NULL, '2025-01-02'), (5, NULL);
SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') FROM ad_log;
SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01')::text
	= '{"version":2,"period_start":"2025-01-01","period_end":"2025-02-01","users":[[3,"00000004"],[7,"50000000"],[12,"01000000"]]}'
	AS hand_summary
FROM ad_log;
-- 3 users; 4 user-days over 31 days; DAU/MAU = 4 / 31 / 3
SELECT active_users(s) = 3 AS users, average_dau(s) = 4 / 31.0::float8 AS average_dau,
	dau_mau(s) = 4 / 31.0::float8 / 3 AS dau_mau
FROM (SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') AS s FROM ad_log) x;
-- the one-step aggregates give the accessors' values
SELECT active_users(u, d, '2025-01-01', '2025-02-01') = 3 AS users,
	average_dau(u, d, '2025-01-01', '2025-02-01') = 4 / 31.0::float8 AS average_dau,
	dau_mau(u, d, '2025-01-01', '2025-02-01') = 4 / 31.0::float8 / 3 AS dau_mau
FROM ad_log;

-- dates print in ISO form whatever the DateStyle; BC dates as date_out's ISO
SET DateStyle = 'SQL, DMY';
SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') FROM ad_log WHERE u = 3;
SELECT '{"version":1,"period_start":"0044-03-15 BC","period_end":"0044-04-15 BC","users":[[-9223372036854775808,"00000001"],[9223372036854775807,"80000000"]]}'::adoption_summary;
RESET DateStyle;
-- a 366-day period: the last digit holds days 364 and 365 only
SELECT adoption_agg(u, d, '2024-01-01', '2025-01-01')
FROM (VALUES (1, date '2024-01-01'), (1, date '2024-12-31'), (2, date '2024-12-30')) v(u, d);

-- text and binary round trips (binary input through COPY)
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
SELECT s::text::adoption_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('adoption_summary', adoption_summary_send(s)) = s::text AS binary_round_trip,
	s::text::jsonb->'users'->1->>1 AS user_7
FROM (SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') AS s FROM ad_log) x;
-- the binary form: version 2, first day 9132 (2025-01-01 - 2000-01-01), 31
-- days, 1 user, id kind 1 (integer), id 3, one word with bit 30
SELECT adoption_summary_send(adoption_agg(u, d, '2025-01-01', '2025-02-01'))
	= '\x02000023ac0000001f00000000000000010100000000000000030000000040000000'::bytea AS hand_binary
FROM ad_log WHERE u = 3;

-- two steps: summaries per group rolled up equal the one-step results, and
-- plain SQL's distinct counts
CREATE TABLE ad_gen AS
SELECT i % 997 AS u, date '2025-03-01' + (i * 7 % 45) - 5 AS d, i % 4 AS team
FROM generate_series(1, 20000) i;
CREATE TABLE ad_daily AS
SELECT d, team, adoption_agg(u, d, '2025-03-01', '2025-04-01') AS s FROM ad_gen GROUP BY d, team;
SELECT active_users(r) = (SELECT count(DISTINCT u) FROM ad_gen WHERE d >= '2025-03-01' AND d < '2025-04-01') AS users,
	average_dau(r) = (SELECT count(DISTINCT (u, d)) FROM ad_gen WHERE d >= '2025-03-01' AND d < '2025-04-01') / 31.0::float8 AS average_dau,
	dau_mau(r) = (SELECT dau_mau(u, d, '2025-03-01', '2025-04-01') FROM ad_gen) AS dau_mau,
	r::text = (SELECT adoption_agg(u, d, '2025-03-01', '2025-04-01')::text FROM ad_gen) AS same_summary
FROM (SELECT rollup(s) AS r FROM ad_daily) x;
-- per team, as a window over the stored summaries
SELECT DISTINCT team, active_users(rollup(s) OVER (PARTITION BY team))
	= (SELECT count(DISTINCT u) FROM ad_gen g WHERE g.team = ad_daily.team
	   AND d >= '2025-03-01' AND d < '2025-04-01') AS users
FROM ad_daily ORDER BY team;

-- many groups: hashed aggregation spilling to disk (its aggregate context is
-- reset between batches, with the states' shared context), grouping sets and
-- window frames give what sorted aggregation gives
SET enable_hashagg = off;
CREATE TEMP TABLE ad_sorted AS
SELECT u % 500 AS acct, adoption_agg(u, d, '2025-03-01', '2025-04-01')::text AS s,
	dau_mau(u, d, '2025-03-01', '2025-04-01') AS r
FROM ad_gen GROUP BY 1;
RESET enable_hashagg;
SET enable_sort = off;
SET work_mem = '64kB';
SELECT count(*) = 500 AS all_groups, bool_and(h.s = o.s AND h.r IS NOT DISTINCT FROM o.r) AS same_as_sorted
FROM (SELECT u % 500 AS acct, adoption_agg(u, d, '2025-03-01', '2025-04-01')::text AS s,
		dau_mau(u, d, '2025-03-01', '2025-04-01') AS r
	  FROM ad_gen GROUP BY 1) h JOIN ad_sorted o USING (acct);
RESET work_mem;
RESET enable_sort;
SELECT bool_and(g.s = o.s) AS grouping_sets_same
FROM (SELECT u % 500 AS acct, team, adoption_agg(u, d, '2025-03-01', '2025-04-01')::text AS s
	  FROM ad_gen GROUP BY GROUPING SETS ((u % 500), (team))) g
JOIN ad_sorted o USING (acct) WHERE g.team IS NULL;
SELECT bool_and(w.r IS NOT DISTINCT FROM o.r) AS window_same
FROM (SELECT DISTINCT u % 500 AS acct, dau_mau(u, d, '2025-03-01', '2025-04-01') OVER (PARTITION BY u % 500) AS r
	  FROM ad_gen) w JOIN ad_sorted o USING (acct);

-- NULL and empty input
SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') IS NULL AS no_rows FROM ad_log WHERE false;
SELECT rollup(s) IS NULL AS no_rows FROM ad_daily WHERE false;
SELECT rollup(s) IS NULL AS only_nulls FROM (VALUES (NULL::adoption_summary)) v(s);
SELECT s, active_users(s), average_dau(s), dau_mau(s)
FROM (SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') AS s FROM ad_log WHERE u = 12 AND d > '2025-01-31') x;
SELECT rollup(s) FROM (VALUES (NULL::adoption_summary),
	('{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[1,"1"]]}'),
	('{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[1,"2"],[2,"2"]]}')) v(s);

-- merging summaries of two periods names both, in ISO form
SET DateStyle = 'German';
SELECT rollup(s) FROM (VALUES ('{"version":1,"period_start":"2025-01-01","period_end":"2025-02-01","users":[]}'::adoption_summary),
	('{"version":1,"period_start":"2025-02-01","period_end":"2025-03-01","users":[]}')) v(s);
SELECT adoption_agg(1, d, d, d + 1) FROM (VALUES (date '2025-01-01'), ('2025-01-02')) v(d);
RESET DateStyle;

-- corrupt literals (22P02, the detail says what is wrong)
SELECT '{"version":3,"period_start":"2025-01-01","period_end":"2025-02-01","users":[]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-01","users":[]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2026-01-03","users":[]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-02-30","period_end":"2025-03-01","users":[]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-1-01","period_end":"2025-02-01","users":[]}'::adoption_summary;
SELECT '{"version":1,"period_start":"infinity","period_end":"2025-02-01","users":[]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[2,"1"],[1,"1"]]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[1,"1"],[1,"2"]]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[1,"4"]]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[1,"0"]]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-06","users":[[1,"1"]]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-06","users":[[1,"1A"]]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[[9223372036854775808,"1"]]}'::adoption_summary;
SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-01-03","users":[]} x'::adoption_summary;
-- corrupt binary input (22P03): version, period, user count, trailing bytes,
-- a day past the period
\set SHOW_CONTEXT never
SELECT pg_temp.load_binary('adoption_summary', '\x03000023ac0000001f0000000000000000'::bytea);
SELECT pg_temp.load_binary('adoption_summary', '\x01000023ac000001700000000000000000'::bytea);
SELECT pg_temp.load_binary('adoption_summary', '\x01000023ac0000001f000000000000000200000000000000030000000040000000'::bytea);
SELECT pg_temp.load_binary('adoption_summary', '\x01000023ac0000001f000000000000000100000000000000030000000040000000ff'::bytea);
SELECT pg_temp.load_binary('adoption_summary', '\x01000023ac0000001f000000000000000100000000000000030000000080000000'::bytea);
\set SHOW_CONTEXT errors
