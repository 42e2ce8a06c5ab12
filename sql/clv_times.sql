--
-- CLV with timestamps (1.3.0): the discounted clv() and clv_agg() on
-- timestamp and timestamptz order and reference times (fractional days /
-- 365.25), rfm_agg() on timestamp and timestamptz purchases (each taken as
-- its calendar day, as lifetimes does at freq 'D').  Expected values: by
-- hand in the comments, power() in plain SQL for the discount factors, and
-- the date forms over purchase::date.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET extra_float_digits = 0;

-- 1. Discounted CLV on timestamps.  By hand: 2023-01-01 00:00 to
-- 2024-01-01 12:00 is 365.5 days; 1.1 ^ (365.5 / 365.25) = 1.1 *
-- exp(ln 1.1 * 0.25 / 365.25) = 1.1 * exp(0.0000652359) = 1.10007176, so
-- 100 is worth 110.007176
SELECT round(clv(100.00, 0, timestamp '2023-01-01 00:00', timestamp '2024-01-01 12:00', 0.10), 6) AS by_hand_110_007176,
	round(100 * power(1.1::float8, 365.5 / 365.25)::numeric, 6) AS plain_sql;
-- timestamptz: the absolute time elapsed, whatever the session's zone.  In
-- New York 2024-03-09 12:00 to 2024-03-10 12:00 is 23 hours (the
-- spring-forward change): 100 * 1.1 ^ ((23 / 24) / 365.25)
SET TimeZone = 'America/New_York';
SELECT round(clv(100.00, 0, timestamptz '2024-03-09 12:00', timestamptz '2024-03-10 12:00', 0.10), 9) AS tz_23_hours,
	round(100 * power(1.1::float8, (23.0 / 24) / 365.25)::numeric, 9) AS plain_sql,
	round(clv(100.00, 0, timestamp '2024-03-09 12:00', timestamp '2024-03-10 12:00', 0.10), 9) AS wall_clock_24_hours,
	round(100 * power(1.1::float8, 1 / 365.25)::numeric, 9) AS plain_sql_24;
SET TimeZone = 'Asia/Tokyo';
SELECT round(clv(100.00, 0, timestamptz '2024-03-09 12:00-05', timestamptz '2024-03-10 12:00-04', 0.10), 9) AS same_instants_in_tokyo;
RESET TimeZone;

-- the same orders as dates, midnight timestamps and timestamptz values give
-- the same sums and summaries (UTC: no daylight-saving change)
SET TimeZone = 'UTC';
CREATE TABLE orders_t (customer int, day date, amount numeric, cost numeric);
INSERT INTO orders_t VALUES
	(1, '2023-02-10', 100.10, 60.00), (1, '2023-08-05', 20.20, 0.05), (1, '2024-06-01', -30.00, -18.00),
	(1, '2024-06-02', NULL, 1.00), (2, '2022-12-31', 45.00, 5.00), (2, '2024-12-31', 15.55, 0);
SELECT customer,
	clv(amount, cost, day, date '2025-01-01', 0.08) AS by_date,
	clv(amount, cost, day::timestamp, timestamp '2025-01-01', 0.08) = clv(amount, cost, day, date '2025-01-01', 0.08) AS timestamp_same,
	clv(amount, cost, day::timestamptz, timestamptz '2025-01-01', 0.08) = clv(amount, cost, day, date '2025-01-01', 0.08) AS timestamptz_same,
	clv(clv_agg(amount, cost, day::timestamp, timestamp '2025-01-01', 0.08)) = clv(amount, cost, day, date '2025-01-01', 0.08) AS clv_agg_timestamp_same,
	clv_agg(amount, cost, day::timestamptz, timestamptz '2025-01-01', 0.08)::text
		= clv_agg(amount, cost, day, date '2025-01-01', 0.08)::text AS clv_agg_timestamptz_same
FROM orders_t GROUP BY customer ORDER BY customer;
-- fractional days: an order at 18:00 the day before counts 0.25 day more
-- than at midnight; by hand 10 * 1.08 ^ (366.25 / 365.25) for an order at
-- 2023-12-31 18:00 against 2025-01-01 (2024 is a leap year: 366 days)
SELECT round(clv(10.00, 0, timestamp '2023-12-31 18:00', timestamp '2025-01-01', 0.08), 9) AS fractional,
	round(10 * power(1.08::float8, 366.25 / 365.25)::numeric, 9) AS plain_sql;
-- moving windows: each frame of the timestamp forms is the sum over its rows
SELECT day, amount,
	clv(amount, 0, day + time '06:00', timestamp '2025-01-01', 0.08) OVER w AS moving,
	round(sum(amount * power(1.08::float8, (extract(epoch FROM timestamp '2025-01-01' - (day + time '06:00'))::float8 / 86400) / 365.25)::numeric) OVER w, 6)
		AS plain_sql_rounded,
	clv(clv_agg(amount, 0, (day + time '06:00')::timestamptz, timestamptz '2025-01-01', 0.08) OVER w)
		= clv(amount, 0, day + time '06:00', timestamp '2025-01-01', 0.08) OVER w AS timestamptz_same
FROM orders_t WHERE amount IS NOT NULL
WINDOW w AS (ORDER BY day ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) ORDER BY day;

-- Errors: an infinite time (22023), an overflowing factor names the order
-- time (22003), a NULL reference time (22004); a NULL order time skips
SELECT clv(1.0, 0, timestamp '-infinity', timestamp '2024-01-01', 0.1);
SELECT clv(1.0, 0, timestamptz '2024-01-01', timestamptz 'infinity', 0.1);
SELECT clv(1.0, 0, timestamp '2024-01-01 06:00', timestamp '9000-01-01', 1e6);
SELECT clv(1.0, 0, timestamptz '2024-01-01 06:00', timestamptz '9000-01-01', 1e6);
SELECT clv(1.0, 0, timestamp '2024-01-01', NULL::timestamp, 0.1);
SELECT clv(a, 0, t, timestamp '2024-01-01', 0.1) FROM (VALUES (1.0, NULL::timestamp), (2.0, timestamp '2024-01-01')) v(a, t);
RESET TimeZone;

-- 2. Overload resolution.  Under New York, 2024-03-01 to 2024-04-01 is 31
-- days as dates and as timestamps, 31 days less an hour as timestamptz
-- (spring forward on 2024-03-10), so the factor tells the form apart:
--   date / timestamp: 100 * 1.1 ^ (31 / 365.25) = 100 * exp(0.0953102 *
--                     0.0848734) = 100 * exp(0.0080893) = 100.81221
--   timestamptz:      100 * 1.1 ^ ((31 - 1/24) / 365.25) = 100 *
--                     exp(0.0953102 * 0.0847593) = 100 * exp(0.0080784) = 100.81111
SET TimeZone = 'America/New_York';
SELECT round(100 * power(1.1::float8, 31 / 365.25)::numeric, 6) AS days_31,
	round(100 * power(1.1::float8, (31 - 1 / 24.0) / 365.25)::numeric, 6) AS days_31_less_1_hour;
CREATE TABLE resolve (d date, t timestamp, tz timestamptz);
INSERT INTO resolve VALUES ('2024-03-01', '2024-03-01', '2024-03-01');
SELECT round(clv(100.00, 0, d, '2024-04-01', 0.1), 6) AS date_and_literal,
	round(clv(100.00, 0, t, '2024-04-01', 0.1), 6) AS timestamp_and_literal,
	round(clv(100.00, 0, tz, '2024-04-01', 0.1), 6) AS timestamptz_and_literal,
	round(clv(100.00, 0, d, timestamp '2024-04-01', 0.1), 6) AS date_and_timestamp,
	round(clv(100.00, 0, d, timestamptz '2024-04-01', 0.1), 6) AS date_and_timestamptz,
	round(clv(100.00, 0, t, timestamptz '2024-04-01', 0.1), 6) AS timestamp_and_timestamptz
FROM resolve;
-- two untyped literals take the timestamptz form (timestamptz is the
-- preferred type of the date/time category): write date '...' for days
SELECT round(clv(100.00, 0, '2024-03-01', '2024-04-01', 0.1), 6) AS two_literals,
	round(clv(100.00, 0, date '2024-03-01', '2024-04-01', 0.1), 6) AS typed_date;
RESET TimeZone;

-- 3. rfm_agg on timestamps: each time is its calendar day.  By hand, with
-- observation end 2024-01-31 08:00 (its day, 2024-01-31): purchase days
-- 01-01 (10 + 5 at 09:00 and 18:00, one occasion), 01-08 (20), 01-15 (30),
-- 01-31 22:00 (99: the observation end's day, kept, as lifetimes keeps
-- every purchase of the end's period); 02-01 (7) is after the end.
-- frequency 3, recency 30 days, T 30 days, monetary (20 + 30 + 99) / 3 =
-- 49.6666...; in weeks: recency and T 30 / 7 = 4.285714...
CREATE TABLE purchases (customer int, at timestamp, amount numeric);
INSERT INTO purchases VALUES
	(1, '2024-01-01 09:00', 10), (1, '2024-01-01 18:00', 5), (1, '2024-01-08 23:59', 20),
	(1, '2024-01-15 00:01', 30), (1, '2024-01-31 22:00', 99), (1, '2024-02-01 00:00', 7),
	(2, '2024-01-20 23:30', 12), (3, '2024-02-02 10:00', 1), (4, NULL, 3), (4, '2024-01-30 01:00', NULL);
SELECT customer, rfm_agg(at, amount, timestamp '2024-01-31 08:00', '1 day')::text AS by_day,
	rfm_agg(at, amount, timestamp '2024-01-31 08:00', '7 days')::text AS by_week
FROM purchases GROUP BY customer ORDER BY customer;
-- the same as the date form over at::date (amounts numeric: the implicit
-- cast to double precision)
SELECT customer,
	rfm_agg(at, amount, timestamp '2024-01-31 08:00', '1 day')::text
		IS NOT DISTINCT FROM rfm_agg(at::date, amount, date '2024-01-31', '1 day')::text AS same_as_dates
FROM purchases GROUP BY customer ORDER BY customer;
-- timestamptz: the calendar day in the session's TimeZone.  2024-01-01
-- 20:00 UTC is 2024-01-02 05:00 in Tokyo: with purchases at 2024-01-01
-- 02:00 UTC and 20:00 UTC, one day in UTC (frequency 0, amount 1 + 2 = 3) and
-- two in Tokyo (frequency 1, recency 1, monetary 2); end 2024-01-10 00:00 UTC
-- is 2024-01-10 in both: T 9 days
CREATE TABLE purchases_tz (at timestamptz, amount float8);
INSERT INTO purchases_tz VALUES ('2024-01-01 02:00+00', 1), ('2024-01-01 20:00+00', 2);
SET TimeZone = 'UTC';
SELECT rfm_agg(at, amount, timestamptz '2024-01-10 00:00+00', '1 day')::text AS utc FROM purchases_tz;
SET TimeZone = 'Asia/Tokyo';
SELECT rfm_agg(at, amount, timestamptz '2024-01-10 00:00+00', '1 day')::text AS tokyo FROM purchases_tz;
-- another zone than the session's: the timestamp form over at AT TIME ZONE
SET TimeZone = 'UTC';
SELECT rfm_agg(at AT TIME ZONE 'Asia/Tokyo', amount, timestamp '2024-01-10', '1 day')::text AS tokyo_by_at_time_zone
FROM purchases_tz;
-- overload resolution: a date column with an untyped literal end stays the
-- date form; a timestamp column the timestamp form; a date column with a
-- timestamp end the timestamp form (the same days)
SELECT rfm_agg(at::date, amount, '2024-01-31', '1 day')::text AS date_column,
	rfm_agg(at, amount, '2024-01-31 08:00', '1 day')::text AS timestamp_column,
	rfm_agg(at::date, amount, timestamp '2024-01-31 08:00', '1 day')::text AS date_column_timestamp_end,
	rfm_agg(at::timestamptz, amount, '2024-01-31 08:00', '1 day')::text AS timestamptz_column
FROM purchases WHERE customer = 1;
-- errors: an infinite purchase or end (22023)
SELECT rfm_agg(timestamp 'infinity', 1.0, timestamp '2024-01-01', '1 day');
SELECT rfm_agg(timestamptz '2024-01-01', 1.0, timestamptz '-infinity', '1 day');
RESET TimeZone;

-- 4. Forced parallel plans give the serial result, zero rows included
SET TimeZone = 'UTC';
CREATE TABLE clv_times_par AS
SELECT i, i % 50 AS customer, timestamp '2023-01-01' + make_interval(mins => (i * 7919) % 1000000) AS at,
	round((10 + i % 90) * 1.13, 2) AS amount
FROM generate_series(1, 200000) i;
ANALYZE clv_times_par;

CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('clv', $$SELECT clv(amount, 0, at, timestamp '2025-01-01', 0.08), clv(amount, 0, at::timestamptz, timestamptz '2025-01-01', 0.08),
		clv_agg(amount, 0, at, timestamp '2025-01-01', 0.08)::text, clv_agg(amount, 0, at::timestamptz, timestamptz '2025-01-01', 0.08)::text
		FROM clv_times_par$$),
	('clv, no rows', $$SELECT clv(amount, 0, at, timestamp '2025-01-01', 0.08), clv(amount, 0, at::timestamptz, timestamptz '2025-01-01', 0.08),
		clv_agg(amount, 0, at, timestamp '2025-01-01', 0.08)::text, clv_agg(amount, 0, at::timestamptz, timestamptz '2025-01-01', 0.08)::text
		FROM clv_times_par WHERE i + 0 < 0$$),
	('rfm_agg', $$SELECT rfm_agg(at, amount, timestamp '2024-12-31 12:00', '7 days')::text,
		rfm_agg(at::timestamptz, amount, timestamptz '2024-12-31 12:00', '7 days')::text FROM clv_times_par WHERE customer = 7$$),
	('rfm_agg, no rows', $$SELECT rfm_agg(at, amount, timestamp '2024-12-31 12:00', '7 days')::text,
		rfm_agg(at::timestamptz, amount, timestamptz '2024-12-31 12:00', '7 days')::text FROM clv_times_par WHERE i + 0 < 0$$);

\set ECHO none
\i test/parallel.sql
\set ECHO all

SET max_parallel_workers_per_gather = 0;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();
SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;
RESET max_parallel_workers_per_gather;
-- and the serial values against the date forms over the same days
SELECT rfm_agg(at, amount, timestamp '2024-12-31 12:00', '7 days')::text
		= rfm_agg(at::date, amount, date '2024-12-31', '7 days')::text AS rfm_same_as_dates,
	clv(amount, 0, date_trunc('day', at), timestamp '2025-01-01', 0.08)
		= clv(amount, 0, at::date, date '2025-01-01', 0.08) AS clv_same_as_dates
FROM clv_times_par WHERE customer = 7;
