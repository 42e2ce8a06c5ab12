--
-- Retention aggregates under forced-parallel plans give the serial result,
-- including over zero matching rows.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- 20,000 users signed up over 2024 (cohort start), 200,000 events after it
-- (the signup month is a column: ANALYZE then counts its 12 values exactly,
-- and the planner's choice of a partial aggregate for the queries by cohort
-- no longer rests on a sampled estimate of the groups of an expression)
CREATE TABLE par_events AS
SELECT i,
	(i::bigint * 7919) % 20000 AS user_id,
	timestamptz '2024-01-01' + ((i::bigint * 7919) % 20000) * interval '26 minutes' AS signup,
	timestamptz '2024-01-01' + ((i::bigint * 7919) % 20000) * interval '26 minutes'
		+ ((i::bigint * 104729) % 400) * interval '1 day' + (i % 1440) * interval '1 minute' AS at,
	date_trunc('month', timestamptz '2024-01-01' + ((i::bigint * 7919) % 20000) * interval '26 minutes')
		AS cohort,
	CASE WHEN i % 13 = 0 THEN 0 ELSE 10 + (i % 7) * 5 END AS mrr
FROM generate_series(1, 200000) i;
ANALYZE par_events;

CREATE TABLE par_users AS
SELECT user_id, date_trunc('month', signup) AS cohort,
	activity_agg(signup, at, '1 month', 12) AS a
FROM par_events GROUP BY user_id, signup;
ANALYZE par_users;

-- The queries, each as text so that both plans run the same statement
CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('curve by cohort', $$SELECT cohort,
		retention_curve(user_id, signup, at, '1 month', 12)::text,
		retention_curve(user_id, signup, at, '1 month', 12, 'on_or_after', 'calendar', '2025-01-01')::text,
		retention_agg(user_id, signup, at, '7 days', 20, 'rolling', '2025-01-15')::text
		FROM par_events GROUP BY 1 ORDER BY 1$$),
	('all events', $$SELECT retention_agg(user_id, signup, at, '1 week', 30)::text FROM par_events$$),
	('activity per user', $$SELECT count(*), sum(cardinality(active_periods(a))),
		md5(string_agg(a::text, ',' ORDER BY user_id)) FROM (SELECT user_id,
		activity_agg(signup, at, '1 month', 12) AS a FROM par_events GROUP BY user_id) u$$),
	('cohorts of summaries', $$SELECT cohort, retention_agg(a)::text, retention_agg(a, '2024-10-01')::text
		FROM par_users GROUP BY cohort ORDER BY cohort$$),
	('rollup', $$SELECT rollup(s)::text FROM (SELECT cohort, retention_agg(a) AS s FROM par_users
		GROUP BY cohort) c$$),
	('clickhouse', $$SELECT sum(r[1]), sum(r[2]), sum(r[3]) FROM (SELECT user_id,
		retention(at < signup + interval '1 day', at >= signup + interval '30 days',
			at >= signup + interval '300 days') AS r FROM par_events GROUP BY user_id) u$$),
	('mrr', $$SELECT mrr_agg(user_id, at, mrr, '2024-01-01', '1 month', 26)::text FROM par_events$$),
	('time zone', $$SELECT retention_curve(user_id, signup, at, '1 month', 12, 'on', 'calendar', NULL, 'Asia/Kolkata')::text,
		retention_agg(user_id, signup, at, '1 week', 30, 'calendar', '2024-11-01', 'America/St_Johns')::text,
		mrr_agg(user_id, at, mrr, '2024-01-01', '1 month', 26, 'Pacific/Kiritimati')::text FROM par_events$$),
	('no rows', $$SELECT retention_curve(user_id, signup, at, '1 month', 12)::text,
		retention_agg(user_id, signup, at, '1 month', 12)::text,
		mrr_agg(user_id, at, mrr, '2024-01-01', '1 month', 26)::text,
		retention(at > signup)::text FROM par_events WHERE i < 0$$),
	-- zero rows that the planner cannot foresee (an expression, not a column
	-- with statistics), so that it splits the aggregate as over matching rows;
	-- by user, only when it expects about every row to match
	('no rows, by group', $$SELECT user_id, retention_curve(user_id, signup, at, '1 month', 12)::text
		FROM par_events WHERE i + 0 <> i GROUP BY user_id$$),
	('summaries, no rows', $$SELECT retention_agg(a)::text FROM par_users WHERE user_id + 0 < 0$$),
	-- censoring by default (issue 13): workers share the leader's transaction
	-- time, so the default as_of is now() in every plan; the events shifted
	-- so that the last cohorts are young whenever the test runs
	('default as_of', $$SELECT retention_curve(user_id, signup + d, at + d, '1 month', 12)::text
		= retention_curve(user_id, signup + d, at + d, '1 month', 12, 'on', 'calendar', now())::text,
		retention_agg(user_id, signup + d, at + d, '1 week', 30)::text
		= retention_agg(user_id, signup + d, at + d, '1 week', 30, 'calendar', now())::text
		FROM par_events, (SELECT date_trunc('month', now()) - timestamptz '2024-07-01' AS d) x$$);

-- cohort activity summaries: the summary aggregate, rollup of stored
-- summaries whose entities overlap (pieces by activity month), and none
CREATE TABLE par_pieces AS
SELECT date_trunc('month', at) AS month, user_id % 100 AS bucket,
	cohort_activity_agg(user_id, signup, at, '1 month', 12) AS s
FROM par_events GROUP BY 1, 2;
ANALYZE par_pieces;
INSERT INTO queries VALUES
	('cohort activity', $$SELECT cohort,
		md5(cohort_activity_agg(user_id, signup, at, '1 month', 12)::text),
		md5(cohort_activity_agg(user_id, signup, at, '7 days', 20, 'rolling', '2025-01-15', 'UTC')::text)
		FROM par_events GROUP BY 1 ORDER BY 1$$),
	('cohort activity rollup', $$SELECT md5(rollup(s)::text), retention_summary(rollup(s))::text,
		retention_curve(rollup(s), 'on_or_after')::text FROM par_pieces$$),
	('cohort activity, no rows', $$SELECT cohort_activity_agg(user_id, signup, at, '1 month', 12)::text
		FROM par_events WHERE i + 0 < 0$$),
	-- text and uuid entity ids (issue 13): dictionaries merged across workers
	('text and uuid ids', $$SELECT retention_curve('user-' || user_id, signup, at, '1 month', 12, 'on', 'calendar', '2026-01-01')::text,
		retention_agg(md5(user_id::text)::uuid, signup, at, '1 week', 30, 'calendar', '2026-01-01')::text,
		md5(cohort_activity_agg('user-' || user_id, signup, at, '1 month', 12)::text),
		md5(cohort_activity_agg(md5(user_id::text)::uuid, signup, at, '7 days', 20, 'rolling', NULL)::text)
		FROM par_events$$),
	('text and uuid ids, no rows', $$SELECT retention_curve('user-' || user_id, signup, at, '1 month', 12)::text,
		cohort_activity_agg(md5(user_id::text)::uuid, signup, at, '1 month', 12)::text
		FROM par_events WHERE i + 0 < 0$$);
-- customer MRR summaries (mrr_agg's state): one step, and two steps over
-- summaries per user group and month
CREATE TABLE par_customer_mrr AS
SELECT user_id % 50 AS grp, date_trunc('month', at) AS month,
	customer_mrr_agg(user_id, at, mrr, '2024-01-01', '1 month', 26, 'UTC') AS s
FROM par_events GROUP BY 1, 2;
ANALYZE par_customer_mrr;
INSERT INTO queries VALUES
	('customer mrr', $$SELECT md5(customer_mrr_agg(user_id, at, mrr, '2024-01-01', '1 month', 26, 'UTC')::text),
		mrr_agg(user_id, at, mrr, '2024-01-01', '1 month', 26, 'UTC')::text FROM par_events$$),
	('customer mrr rollup', $$SELECT md5(rollup(s)::text), mrr_summary(rollup(s))::text FROM par_customer_mrr$$),
	('customer mrr, no rows', $$SELECT customer_mrr_agg(user_id, at, mrr, '2024-01-01', '1 month', 26)::text,
		mrr_agg(user_id, at, mrr, '2024-01-01', '1 month', 26)::text FROM par_events WHERE i + 0 < 0$$),
	('customer mrr rollup, no rows', $$SELECT rollup(s)::text FROM par_customer_mrr WHERE grp + 0 < 0$$);
-- the two steps give the one-step result
SELECT mrr_summary(rollup(s))::text = (SELECT mrr_agg(user_id, at, mrr, '2024-01-01', '1 month', 26, 'UTC')::text
									   FROM par_events) AS two_steps
FROM par_customer_mrr;

\set ECHO none
\i test/parallel.sql
\set ECHO all

-- serial: no plan splits an aggregate
SET max_parallel_workers_per_gather = 0;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();

-- forced parallel: each plan has a Partial Aggregate under a Gather
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();

SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;

-- the two-step form gives the one-step results
SELECT retention_summary(rollup(s))::text = (SELECT retention_agg(user_id, signup, at, '1 month', 12)::text
		FROM par_events) AS summary,
	retention_curve(rollup(s))::text = (SELECT retention_curve(user_id, signup, at, '1 month', 12)::text
		FROM par_events) AS curve
FROM par_pieces;

-- text and uuid ids count the same users as their bigint ids
SELECT retention_curve('user-' || user_id, signup, at, '1 month', 12, 'on', 'calendar', '2026-01-01')
		= retention_curve(user_id, signup, at, '1 month', 12, 'on', 'calendar', '2026-01-01') AS text_ids,
	retention_agg(md5(user_id::text)::uuid, signup, at, '1 week', 30, 'calendar', '2026-01-01')::text
		= retention_agg(user_id, signup, at, '1 week', 30, 'calendar', '2026-01-01')::text AS uuid_ids
FROM par_events;

-- and the serial values themselves, checked against plain SQL: the analyst's
-- count(DISTINCT user) per cohort and month offset
RESET max_parallel_workers_per_gather;
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
	THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'off', false) AS forced;
WITH plain AS (
	SELECT date_trunc('month', signup) AS cohort,
		(extract(year FROM at) * 12 + extract(month FROM at))
		- (extract(year FROM signup) * 12 + extract(month FROM signup)) AS period,
		count(DISTINCT user_id) AS retained
	FROM par_events GROUP BY 1, 2),
ours AS (
	SELECT c.cohort, t.period, t.retained
	FROM (SELECT date_trunc('month', signup) AS cohort,
		retention_agg(user_id, signup, at, '1 month', 12) AS s FROM par_events GROUP BY 1) c,
		retention_table(c.s) t)
SELECT count(*) AS cells, count(*) FILTER (WHERE coalesce(p.retained, 0) <> o.retained) AS mismatches
FROM ours o LEFT JOIN plain p USING (cohort, period);
