--
-- Censoring by default (issue 13): a period's share is retained / eligible,
-- eligible being the entities whose period has ended by as_of (default: the
-- transaction time, now()); NULL where none has, 0 for a cohort that churned
-- completely; and the tidy rows of retention_table(cohort, s).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET extra_float_digits = 0;

-- By hand, monthly periods, 4 of them, as_of 2024-04-10 (in April): the
-- January cohort has reached periods 0-2 (Jan, Feb, Mar ended), February's
-- 0-1, March's 0, April's none.
--   Jan: e1 active Jan, Feb, Mar; e2 Jan, Mar; e3 Jan
--   Feb: e4 Feb; e5 Feb                   (churned completely after period 0)
--   Mar: e6 Mar, Apr (Apr not ended); e7 Mar
--   Apr: e8 Apr
-- Per cohort, mode on: Jan {3/3, 1/3, 2/3, NULL}, Feb {2/2, 0/2, NULL, NULL},
-- Mar {2/2, NULL, NULL, NULL}, Apr all NULL.  All cohorts together (a
-- segment): period 0 7/7 (Apr not eligible), period 1 1/5 (e1 of Jan's 3 and
-- Feb's 2), period 2 2/3 (e1, e2), period 3 NULL; on_or_after: 7/7, 2/5 (e1,
-- and e2 active later in Mar), 2/3, NULL.
CREATE TABLE cen_events (entity bigint, start timestamptz, at timestamptz);
INSERT INTO cen_events VALUES
	(1, '2024-01-05', '2024-01-05'), (1, '2024-01-05', '2024-02-07'), (1, '2024-01-05', '2024-03-30'),
	(2, '2024-01-10', '2024-01-10'), (2, '2024-01-10', '2024-03-02'),
	(3, '2024-01-20', '2024-01-21'),
	(4, '2024-02-03', '2024-02-03'), (5, '2024-02-15', '2024-02-16'),
	(6, '2024-03-02', '2024-03-02'), (6, '2024-03-02', '2024-04-01'), (7, '2024-03-09', '2024-03-09'),
	(8, '2024-04-02', '2024-04-02');

-- per cohort, one step
SELECT date_trunc('month', start) AS cohort,
	retention_curve(entity, start, at, '1 month', 4, 'on', 'calendar', '2024-04-10') AS curve
FROM cen_events GROUP BY 1 ORDER BY 1;
-- the segment: every cohort together, one step and two steps (activity
-- summaries, then retention_agg), both modes
SELECT retention_curve(entity, start, at, '1 month', 4, 'on', 'calendar', '2024-04-10') AS curve_on,
	retention_curve(entity, start, at, '1 month', 4, 'on_or_after', 'calendar', '2024-04-10') AS curve_on_or_after
FROM cen_events;
SELECT retention_curve(s) AS curve_on, retention_curve(s, 'on_or_after') AS curve_on_or_after,
	eligible(s, 0) AS e0, eligible(s, 1) AS e1, eligible(s, 2) AS e2, eligible(s, 3) AS e3,
	retention_rate(s, 1) AS rate1, retention_rate(s, 3) AS rate3, cohort_size(s) AS size
FROM (SELECT retention_agg(a, '2024-04-10') AS s
	  FROM (SELECT entity, activity_agg(start, at, '1 month', 4) AS a FROM cen_events GROUP BY entity) u) x;
-- rollup of the per-cohort summaries gives the segment's counts
SELECT rollup(s)::text = (SELECT retention_agg(entity, start, at, '1 month', 4, 'calendar', '2024-04-10')::text
		FROM cen_events) AS rollup_same
FROM (SELECT retention_agg(entity, start, at, '1 month', 4, 'calendar', '2024-04-10') AS s
	  FROM cen_events GROUP BY date_trunc('month', start)) c;
-- the fully churned February cohort: 0 in period 1 (2 eligible), not NULL;
-- its proportion is 0 of 2, its Wilson upper bound 3.841459/(2+3.841459) =
-- 0.657620 (z^2 = 3.841459 at 95 %, no successes: lower 0, upper
-- z^2/(n + z^2))
SELECT retention_rate(s, 1) AS rate, eligible(s, 1) AS eligible, retained(s, 1) AS retained,
	retention_rate(s, 2) AS not_reached, (rate_ci(retention_proportion(s, 1), 0.95)).*,
	retention_proportion(s, 2) IS NULL AS proportion_not_reached
FROM (SELECT retention_agg(entity, start, at, '1 month', 4, 'calendar', '2024-04-10') AS s
	  FROM cen_events WHERE start >= '2024-02-01' AND start < '2024-03-01') x;
-- the same events counted with the 1.2.0 rule (every entity eligible) would
-- show fake drops: as_of after every period (2025) gives them, as history
SELECT date_trunc('month', start) AS cohort,
	retention_curve(entity, start, at, '1 month', 4, 'on', 'calendar', '2025-01-01') AS curve
FROM cen_events GROUP BY 1 ORDER BY 1;

-- retention_table(cohort, s): tidy rows.  The rate and the Wilson bounds
-- against the formula in plain SQL (z = 1.959963984540054 at 95 %):
-- center = (p + z^2/2n) / (1 + z^2/n), half = z / (1 + z^2/n) *
-- sqrt(p (1 - p) / n + z^2 / 4n^2), clipped to 0..1 and exactly 0 (1) with no
-- successes (failures)
CREATE TABLE cen_cohorts AS
SELECT date_trunc('month', start)::date AS cohort,
	retention_agg(entity, start, at, '1 month', 4, 'calendar', '2024-04-10') AS s
FROM cen_events GROUP BY 1;
SELECT t.* FROM cen_cohorts c, retention_table(c.cohort, c.s) t ORDER BY 1, 2;
SELECT count(*) AS cells,
	count(*) FILTER (WHERE t.rate IS NULL) = count(*) FILTER (WHERE t.eligible = 0) AS null_iff_none_eligible,
	max(abs(t.rate - v.p)) < 1e-15 AS rate_ok,
	max(abs(t.lower - CASE WHEN t.retained = 0 THEN 0 ELSE greatest(0, w.center - w.half) END)) < 1e-12 AS lower_ok,
	max(abs(t.upper - CASE WHEN t.retained = t.eligible THEN 1 ELSE least(1, w.center + w.half) END)) < 1e-12 AS upper_ok
FROM cen_cohorts c, retention_table(c.cohort, c.s) t,
	LATERAL (SELECT t.retained::float8 / nullif(t.eligible, 0) AS p, 1.959963984540054::float8 AS z, t.eligible::float8 AS n) v,
	LATERAL (SELECT (v.p + v.z ^ 2 / (2 * v.n)) / (1 + v.z ^ 2 / v.n) AS center,
		v.z / (1 + v.z ^ 2 / v.n) * sqrt(v.p * (1 - v.p) / v.n + v.z ^ 2 / (4 * v.n ^ 2)) AS half) w;
-- mode, confidence and labels of any type (a segment name; NULL)
SELECT t.* FROM retention_table('all'::text, (SELECT rollup(s) FROM cen_cohorts), 'on_or_after', 0.9) t;
SELECT t.cohort IS NULL AS null_label, t.period, t.rate FROM retention_table(NULL::int, (SELECT s FROM cen_cohorts
	WHERE cohort = '2024-01-01'), 'on') t;
SELECT count(*) AS no_rows FROM retention_table(1, NULL::retention_summary) t;
-- the 1.2.0 form keeps its columns; its share is the rate
SELECT t.* FROM cen_cohorts c, retention_table(c.s) t WHERE c.cohort = '2024-02-01';
\set SHOW_CONTEXT never
SELECT * FROM retention_table(1, (SELECT s FROM cen_cohorts LIMIT 1), 'on', 1.5);
SELECT * FROM retention_table(1, (SELECT s FROM cen_cohorts LIMIT 1), 'on', NULL);
SELECT * FROM retention_table(1, (SELECT s FROM cen_cohorts LIMIT 1), 'later');
\set SHOW_CONTEXT errors

-- The default as_of is the transaction time: without as_of (or with a NULL
-- one), the result is the one at an explicit now(), whatever the date the
-- test runs.  Events relative to now: a cohort started last month (period 0
-- over, period 1 running) and one started this month (nothing over yet).
CREATE TABLE cen_now AS
SELECT e AS entity, m + interval '1 day' * e AS start, m + interval '1 day' * e AS at
FROM (VALUES (date_trunc('month', now()) - interval '1 month'), (date_trunc('month', now()))) v(m),
	generate_series(1, 3) e;
UPDATE cen_now SET entity = entity + 10 WHERE start >= date_trunc('month', now());
SELECT date_trunc('month', start) = date_trunc('month', now()) AS this_month,
	retention_curve(entity, start, at, '1 month', 3) AS curve,
	retention_curve(entity, start, at, '1 month', 3)::text
		= retention_curve(entity, start, at, '1 month', 3, 'on', 'calendar', now())::text AS same_as_now,
	retention_curve(entity, start, at, '1 month', 3, 'on', 'calendar', NULL)::text
		= retention_curve(entity, start, at, '1 month', 3, 'on', 'calendar', now())::text AS null_is_now,
	retention_agg(entity, start, at, '1 month', 3)::text
		= retention_agg(entity, start, at, '1 month', 3, 'calendar', now())::text AS agg_same
FROM cen_now GROUP BY 1 ORDER BY 1;
SELECT retention_agg(a)::text = retention_agg(a, now())::text AS two_steps_same,
	retention_agg(a, NULL)::text = retention_agg(a, now())::text AS two_steps_null,
	retention_curve(retention_agg(a)) AS curve
FROM (SELECT entity, activity_agg(start, at, '1 month', 3) AS a FROM cen_now GROUP BY entity) u;
-- a cohort_activity_summary without as_of is censored when read, at now()
SELECT retention_summary(s)::text = retention_summary(s, now())::text AS summary_now,
	retention_summary(s, NULL)::text = retention_summary(s, now())::text AS summary_null,
	retention_curve(s) AS curve, s::text::jsonb -> 'as_of' AS recorded
FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) AS s FROM cen_now) x;
-- the functions that read the clock are STABLE
SELECT p.oid::regprocedure AS function, p.provolatile
FROM pg_proc p
WHERE p.oid IN ('retention_summary_accum(retention_summary, activity_summary)'::regprocedure,
	'retention_summary(cohort_activity_summary)'::regprocedure,
	'retention_summary(cohort_activity_summary, timestamptz)'::regprocedure,
	'retention_curve(cohort_activity_summary)'::regprocedure,
	'retention_curve(cohort_activity_summary, text)'::regprocedure)
ORDER BY p.oid::regprocedure::text COLLATE "C";
