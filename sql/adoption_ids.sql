--
-- CRM adoption, issue 13: ids of every type (exact distinct counts against
-- count(DISTINCT)), timestamp and timestamptz activity times, the period so
-- far (as_of), adoption_rate at most 100 %, and the format version 2 (a
-- literal of version 1 still reads).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET extra_float_digits = 0;

-- 4,000 users (ids 0..3999) over January 2025, 40,000 rows, some outside
-- the month.  The same users as smallint, integer, bigint, uuid (md5 of the
-- id) and text ids of two 64-bit-hash-prone shapes ('cust-' || n, md5).
CREATE TABLE ai_log AS
SELECT (i * 7919) % 4000 AS n, timestamp '2024-12-30 08:00' + ((i * 37) % 36) * interval '1 day'
	+ (i % 13) * interval '1 hour' AS at
FROM generate_series(1, 40000) i;
CREATE VIEW ai_ids AS
SELECT n::smallint AS i2, n::integer AS i4, n::bigint AS i8, md5(n::text)::uuid AS u,
	'cust-' || n AS t, md5(n::text) AS h, ('cust-' || n)::varchar(20) AS v, at, at::date AS d
FROM ai_log;

-- independent: count(DISTINCT) of the users and of (user, day) in January
CREATE TABLE ai_expected AS
SELECT count(DISTINCT n) AS users, count(DISTINCT (n, at::date)) AS user_days
FROM ai_log WHERE at >= '2025-01-01' AND at < '2025-02-01';
SELECT users > 3000 AND user_days > 20000 AS enough FROM ai_expected;

SELECT count(*) AS id_types_agreeing
FROM ai_expected e,
	(SELECT active_users(i2, d, '2025-01-01', '2025-02-01') AS a2, active_users(i4, d, '2025-01-01', '2025-02-01') AS a4,
		active_users(i8, d, '2025-01-01', '2025-02-01') AS a8, active_users(u, d, '2025-01-01', '2025-02-01') AS au,
		active_users(t, d, '2025-01-01', '2025-02-01') AS at, active_users(h, d, '2025-01-01', '2025-02-01') AS ah,
		active_users(v, d, '2025-01-01', '2025-02-01') AS av,
		average_dau(u, d, '2025-01-01', '2025-02-01') AS du, dau_mau(t, d, '2025-01-01', '2025-02-01') AS mt
	 FROM ai_ids) x
WHERE a2 = e.users AND a4 = e.users AND a8 = e.users AND au = e.users AND at = e.users
	AND ah = e.users AND av = e.users
	AND du = e.user_days / 31.0::float8 AND mt = e.user_days / 31.0::float8 / e.users;

-- rollup over summaries built from different id subsets (per hour of day):
-- the same users merge into one
SELECT active_users(rollup(s)) = (SELECT users FROM ai_expected) AS rollup_uuid,
	average_dau(rollup(s)) = (SELECT user_days FROM ai_expected) / 31.0::float8 AS rollup_dau
FROM (SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') AS s
	  FROM ai_ids GROUP BY extract(hour FROM at)) x;
SELECT active_users(rollup(s)) = (SELECT users FROM ai_expected) AS rollup_text
FROM (SELECT adoption_agg(t, d, '2025-01-01', '2025-02-01') AS s
	  FROM ai_ids GROUP BY extract(hour FROM at)) x;

-- text and binary round trips of uuid and text summaries
SELECT s::text::adoption_summary::text = s::text AS text_round_trip,
	active_users(s::text::adoption_summary) = active_users(s) AS same_users
FROM (SELECT adoption_agg(t, d, '2025-01-01', '2025-02-01') AS s FROM ai_ids) x;
\i test/binary_copy.sql
SELECT pg_temp.load_binary('adoption_summary', adoption_summary_send(s)) = s::text AS binary_round_trip
FROM (SELECT adoption_agg(t, d, '2025-01-01', '2025-02-01') AS s FROM ai_ids) x;
SELECT pg_temp.load_binary('adoption_summary', adoption_summary_send(s)) = s::text AS binary_round_trip_uuid
FROM (SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') AS s FROM ai_ids) x;
-- text ids of every length from 0 to 40 bytes, each of a length differing
-- from the others of its length in one byte (every position; 'a' repeated
-- and one 'b'), each seen twice: the dictionary hashes and compares every
-- byte.  41 * 42 / 2 = 861 ids; independent: count(DISTINCT).  Rolled up from
-- two summaries (odd and even lengths share none), and read back from text
-- and binary.
CREATE TABLE ai_lengths AS
SELECT CASE WHEN k = 0 THEN repeat('a', len) ELSE overlay(repeat('a', len) PLACING 'b' FROM k FOR 1) END AS t,
	len
FROM generate_series(0, 40) len, generate_series(0, 40) k, generate_series(1, 2) twice
WHERE k <= len;
SELECT count(DISTINCT t) AS distinct_ids, active_users(t, date '2025-01-02', '2025-01-01', '2025-02-01') AS counted
FROM ai_lengths;
SELECT active_users(rollup(s)) AS rolled_up, active_users(rollup(s::text::adoption_summary)) AS from_text,
	active_users(rollup(pg_temp.load_binary('adoption_summary', adoption_summary_send(s))::adoption_summary)) AS from_binary
FROM (SELECT adoption_agg(t, date '2025-01-02', '2025-01-01', '2025-02-01') AS s
	  FROM ai_lengths GROUP BY len % 2) x;
-- the binary form of a text summary, by hand: version 2, first day 9132,
-- 4 days, 1 user, kind 3 (text), 1 id of 2 bytes 'ab', one word with bit 0
SELECT pg_temp.load_binary('adoption_summary', '\x02000023ac00000004000000000000000103000000010000000261620000000000000001'::bytea) AS hand_text_binary;
-- corrupt: 2 users but 1 id (22P03)
\set SHOW_CONTEXT never
SELECT pg_temp.load_binary('adoption_summary', '\x02000023ac000000040000000000000002030000000100000002616200000000000000010000000000000001'::bytea);
\set SHOW_CONTEXT errors
-- a hand-written text summary: quotes, backslashes and unicode in text ids
SELECT '{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[["a\"b","1"],["c\\d","3"],["é","8"]]}'::adoption_summary;
SELECT active_users(s) AS three, average_dau(s) = 4 / 4.0 AS one_per_day
FROM (SELECT '{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[["a\"b","1"],["c\\d","3"],["é","8"]]}'::adoption_summary AS s) x;
SELECT '{"version":2,"ids":"uuid","period_start":"2025-01-01","period_end":"2025-01-02","users":[["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","1"]]}'::adoption_summary;
-- a repeated id, ids out of (byte) order, an "ids" without users, an
-- unknown kind: 22P02
SELECT '{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[["b","1"],["a","2"]]}'::adoption_summary;
SELECT '{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[["a","1"],["a","2"]]}'::adoption_summary;
SELECT '{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[]}'::adoption_summary;
SELECT '{"version":2,"ids":"integer","period_start":"2025-01-01","period_end":"2025-01-05","users":[[1,"1"]]}'::adoption_summary;
-- a version 1 literal still reads, prints as version 2, the same figures
SELECT s AS v1_read, active_users(s), average_dau(s) = 3 / 31.0::float8 AS dau
FROM (SELECT '{"version":1,"period_start":"2025-01-01","period_end":"2025-02-01","users":[[3,"00000004"],[7,"50000000"]]}'::adoption_summary AS s) x;
-- merging integer and text ids: 22023
SELECT rollup(s) FROM (VALUES
	('{"version":2,"period_start":"2025-01-01","period_end":"2025-01-05","users":[[1,"1"]]}'::adoption_summary),
	('{"version":2,"ids":"text","period_start":"2025-01-01","period_end":"2025-01-05","users":[["a","1"]]}')) v(s);

-- Timestamps: the day of a timestamp is its date
SELECT active_users(i8, at, timestamp '2025-01-01', timestamp '2025-02-01') = (SELECT users FROM ai_expected) AS ts_users,
	average_dau(t, at, timestamp '2025-01-01', timestamp '2025-02-01') = (SELECT user_days FROM ai_expected) / 31.0::float8 AS ts_dau
FROM ai_ids;
-- timestamptz: the day in the time_zone argument, else the session's
-- TimeZone; independent: count(DISTINCT (at AT TIME ZONE zone)::date)
SET TimeZone = 'UTC';
CREATE TABLE ai_tz AS SELECT n, at AT TIME ZONE 'UTC' AS atz FROM ai_log;
SELECT active_users(n, atz, '2025-01-01', '2025-02-01') = (SELECT count(DISTINCT n) FROM ai_tz WHERE atz >= '2025-01-01' AND atz < '2025-02-01') AS session_users,
	average_dau(n, atz, '2025-01-01', '2025-02-01') = (SELECT count(DISTINCT (n, atz::date)) FROM ai_tz WHERE atz >= '2025-01-01' AND atz < '2025-02-01') / 31.0::float8 AS session_dau
FROM ai_tz;
SELECT average_dau(n, atz, '2025-01-01', '2025-02-01', 'Asia/Tokyo') =
	(SELECT count(DISTINCT (n, (atz AT TIME ZONE 'Asia/Tokyo')::date)) FROM ai_tz
	 WHERE (atz AT TIME ZONE 'Asia/Tokyo')::date BETWEEN '2025-01-01' AND '2025-01-31') / 31.0::float8 AS tokyo_dau
FROM ai_tz;
-- timestamptz bounds are days of the session's TimeZone: not at midnight
-- there, 22023
SELECT active_users(n, atz, timestamptz '2025-01-01 00:00+00', timestamptz '2025-02-01 00:00+00') > 0 AS utc_bounds
FROM ai_tz;
SELECT active_users(n, atz, timestamptz '2025-01-01 00:00+09', timestamptz '2025-02-01') FROM ai_tz;
-- a time zone that changes between rows: 22023
SELECT active_users(n, atz, '2025-01-01', '2025-02-01', CASE WHEN n % 2 = 0 THEN 'UTC' ELSE 'Asia/Tokyo' END) FROM ai_tz;
SELECT active_users(n, atz, '2025-01-01', '2025-02-01', 'Mars/Olympus') FROM ai_tz;
RESET TimeZone;
-- overload resolution: a date column keeps the date aggregate; all
-- unknown literals resolve (to timestamptz, the preferred type)
SELECT pg_typeof(adoption_agg(1, d, '2025-01-01', '2025-02-01')) FROM (VALUES (date '2025-01-02')) v(d);
SELECT active_users(1, '2025-01-02', '2025-01-01', '2025-02-01') AS one_user;
SELECT active_users('x', '2025-01-02', '2025-01-01', '2025-02-01') AS one_text_user;

-- The period so far.  Users 1 and 2 active every day from January 1 to 10
-- (20 user-days), as of January 10: DAU 2, DAU/MAU 1 (the whole month: 20 /
-- 31 = 0.645 DAU, DAU/MAU 0.3226).  As of January 5: 10 user-days over 5
-- days.  Before the period: no day counted.
CREATE TABLE ai_sofar AS
SELECT adoption_agg(u, d::date, '2025-01-01', '2025-02-01') AS s
FROM generate_series(1, 2) u, generate_series(date '2025-01-01', date '2025-01-10', interval '1 day') d;
SELECT dau_mau(s) = 20 / 31.0::float8 / 2 AS whole_month, dau_mau(s, '2025-01-10') AS as_of_10,
	average_dau(s, '2025-01-10') AS dau_10, average_dau(s, '2025-01-05') AS dau_5,
	active_users(s, '2024-12-31') AS users_before, average_dau(s, '2024-12-31') AS dau_before,
	dau_mau(s, '2024-12-31') AS mau_before, average_dau(s, '2099-01-01') = 20 / 31.0::float8 AS after_end,
	average_dau(s, 'infinity') = 20 / 31.0::float8 AS infinity
FROM ai_sofar;
-- a user active only after as_of is not counted as of it
SELECT active_users(s, '2025-01-02') AS one
FROM (SELECT adoption_agg(u, d, '2025-01-01', '2025-02-01') AS s
	  FROM (VALUES (1, date '2025-01-01'), (2, date '2025-01-03')) v(u, d)) x;

-- adoption_rate: at most 100 %; more active users than seats is an error
SELECT adoption_rate(8, 10) AS eighty, adoption_rate(10, 10) AS hundred, adoption_rate(3, 0) AS no_seats;
SELECT adoption_rate(11, 10);
