--
-- survival_agg with interval durations (1.3.0): each duration in days,
-- extract(epoch from duration) / 86400 (a month of the interval 30 days, a
-- year 365.25).  Expected values: by hand in the comments, and the double
-- precision form over extract(epoch ...) / 86400 (PostgreSQL's own
-- definition of an interval's length), compared as text.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET extra_float_digits = 0;

-- 1. The unit.  By hand: 1 day 12:00 = 1.5 = 36:00:00 (the two merge into
-- one time); 1 mon = 30; 1 year = 365.25; 1 year 1 mon = 395.25;
-- 1 mon -29 days = 1; 00:00 = 0; 6:00 = 0.25.
SELECT survival_agg(d, e)::text
FROM (VALUES (interval '1 day 12:00', true), (interval '36:00:00', false), (interval '1 mon', true),
	(interval '1 year', false), (interval '1 year 1 mon', true), (interval '1 mon -29 days', true),
	(interval '00:00', false), (interval '6:00', true)) v(d, e);
-- the same durations as extract(epoch from d) / 86400
SELECT survival_agg(d, e)::text = survival_agg(extract(epoch FROM d)::float8 / 86400, e)::text AS same_as_epoch_days
FROM (VALUES (interval '1 day 12:00', true), (interval '36:00:00', false), (interval '1 mon', true),
	(interval '1 year', false), (interval '1 year 1 mon', true), (interval '1 mon -29 days', true),
	(interval '00:00', false), (interval '6:00', true), (interval '17 mons 3 days 01:02:03.5', false)) v(d, e);

-- 2. Durations from timestamps: ended_at - started_at.  By hand: days
-- 2, 2.5 (event), 3 (censored), 4 (event), 4 (event), 10.25 (censored).
-- Kaplan-Meier: at 2 S = 5/6; at 2.5 S = 5/6 * 4/5 = 2/3; 3 censored; at 4
-- S = 2/3 * (1 - 2/3) = 2/9 (2 events of 3 at risk); the median: first time
-- S <= 1/2, 4.
CREATE TABLE subscriptions (id int, started_at timestamp, ended_at timestamp, churned boolean,
	started_tz timestamptz, ended_tz timestamptz);
INSERT INTO subscriptions (id, started_at, ended_at, churned) VALUES
	(1, '2024-01-01 00:00', '2024-01-03 00:00', true),
	(2, '2024-01-01 12:00', '2024-01-04 00:00', true),
	(3, '2024-02-01 00:00', '2024-02-04 00:00', false),
	(4, '2024-02-27 00:00', '2024-03-02 00:00', true),
	(5, '2024-03-10 00:00', '2024-03-14 00:00', true),
	(6, '2024-03-01 18:00', '2024-03-12 00:00', false),
	(7, '2024-03-01 18:00', NULL, NULL);
SELECT survival_agg(ended_at - started_at, churned)::text,
	survival_agg(ended_at - started_at, churned::int)::text AS status_coded
FROM subscriptions;
SELECT "time", at_risk, events, censored, round(survival::numeric, 6) AS survival
FROM kaplan_meier((SELECT survival_agg(ended_at - started_at, churned) FROM subscriptions));
SELECT median_survival(survival_agg(ended_at - started_at, churned)) FROM subscriptions;
-- timestamptz differences are absolute time: in New York, 2024-03-10
-- 00:00 to 2024-03-14 00:00 crosses the spring-forward change, 4 days less
-- one hour (3.958333...); interval '96 hours' is 4 days
SET TimeZone = 'America/New_York';
UPDATE subscriptions SET started_tz = started_at, ended_tz = ended_at;
SELECT id, ended_tz - started_tz AS duration FROM subscriptions WHERE id = 5;
SELECT survival_agg(ended_tz - started_tz, churned)::text FROM subscriptions WHERE id = 5;
SELECT survival_agg(interval '96 hours', true)::text;
RESET TimeZone;

-- 3. Overload resolution: an interval column takes the interval form, a
-- number the double precision form; an untyped string literal is now
-- ambiguous (write interval '...' or '...'::float8)
SELECT survival_agg(interval '2 days', 1)::text AS interval_form,
	survival_agg(2, 1)::text AS double_form, survival_agg(2.5, true)::text AS numeric_literal;
SELECT survival_agg('2 days', true);
SELECT survival_agg('2'::float8, true)::text, survival_agg('2 days'::interval, true)::text;

-- 4. Errors: a negative interval, naming it (22003); a NULL row is skipped
SELECT survival_agg(interval '-1 day', true);
SELECT survival_agg(interval '1 day -25 hours', 1);
SELECT survival_agg(d, e)::text FROM (VALUES (interval '1 day', true), (NULL, true), (interval '2 days', NULL)) v(d, e);
SELECT survival_agg(d, e)::text FROM (VALUES (NULL::interval, true)) v(d, e);

-- 5. Moving windows: the interval form removes rows exactly; each frame
-- equals the double precision form over the same rows in days
CREATE TABLE churn AS
SELECT i, make_interval(days => (i * 37) % 50, hours => (i * 5) % 24) AS duration, i % 3 <> 0 AS event
FROM generate_series(1, 400) i;
SELECT count(*) AS frames,
	count(*) FILTER (WHERE w_interval = w_days) AS equal_frames,
	count(DISTINCT w_interval) > 100 AS frames_differ
FROM (SELECT survival_agg(duration, event) OVER w::text AS w_interval,
		survival_agg(extract(epoch FROM duration)::float8 / 86400, event) OVER w::text AS w_days
	FROM churn WINDOW w AS (ORDER BY i ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)) x;
SELECT count(*) FILTER (WHERE w_interval = w_days) AS equal_frames
FROM (SELECT survival_agg(duration, event::int) OVER w::text AS w_interval,
		survival_agg(extract(epoch FROM duration)::float8 / 86400, event::int) OVER w::text AS w_days
	FROM churn WINDOW w AS (ORDER BY i ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)) x;

-- 6. Forced parallel plans give the serial result, zero rows included
CREATE TABLE surv_times_par AS
SELECT i, i % 7 AS g,
	CASE WHEN i % 101 = 0 THEN NULL ELSE make_interval(days => (i * 7919) % 1000, mins => (i * 13) % 1440) END AS duration,
	i % 3 <> 0 AS event
FROM generate_series(1, 200000) i;
ANALYZE surv_times_par;

CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('all', $$SELECT survival_agg(duration, event)::text, survival_agg(duration, event::int)::text FROM surv_times_par$$),
	('by group', $$SELECT g, survival_agg(duration, event)::text FROM surv_times_par GROUP BY g ORDER BY g$$),
	('no rows', $$SELECT survival_agg(duration, event)::text, survival_agg(duration, event::int)::text FROM surv_times_par WHERE i + 0 < 0$$);

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
-- and the serial value against plain SQL: as many subjects and distinct times
SELECT subjects(s) = (SELECT count(duration) FROM surv_times_par) AS subjects_match,
	(SELECT count(*) FROM kaplan_meier(s, 0.95, true))
		= (SELECT count(DISTINCT extract(epoch FROM duration)) FROM surv_times_par) AS one_row_per_duration
FROM (SELECT survival_agg(duration, event) s FROM surv_times_par) x;
