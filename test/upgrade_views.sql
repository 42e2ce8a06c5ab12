-- Run by test/run in a database where crm_kpi is at an earlier version
-- (1.1.0): tables, and views over every aggregate whose state 1.2.0 changes
-- (funnel_agg, survival_agg, pipeline_agg, rollup of their summaries, clv,
-- retention_curve and retention_agg over events), over
-- mrr_agg, over the aggregates whose option arguments 1.2.0 makes kpi_text
-- (window_funnel, funnel_path, activity_agg, retention_curve, retention_agg)
-- and over those whose result it makes a domain (stage_conversions,
-- stage_durations), with their results, serial and forced-parallel, computed
-- by the new library through the old catalog's support functions; a
-- materialized view of pipeline summaries stored through the old catalog.
SET client_min_messages = warning;

CREATE TABLE v_paths AS
SELECT u, ARRAY[t0, t0 + (u % 97) * interval '1 minute',
		CASE WHEN u % 3 <> 0 THEN t0 + (u % 97) * interval '1 minute' + (u % 89) * interval '1 hour' END] AS path,
	u % 4 AS level
FROM (SELECT u, timestamptz '2025-01-01' + u * interval '1 minute' AS t0
	FROM generate_series(1, 20000) u) s;
CREATE TABLE v_lifetimes AS
SELECT i, (i % 700)::float8 + CASE WHEN i % 7 = 0 THEN 0.5 ELSE 0 END AS d, i % 3 <> 0 AS e
FROM generate_series(1, 30000) i;
CREATE TABLE v_mrr AS
SELECT c, timestamptz '2025-01-01' + ((c * 7 + k * 31) % 180) * interval '1 day' AS at,
	(10 + (c * k) % 50)::float8 AS m
FROM generate_series(1, 3000) c, generate_series(1, 4) k;
CREATE TABLE v_events AS
SELECT u % 200 AS u, timestamptz '2025-01-01' + u * interval '37 minutes' AS t,
	(ARRAY['a', 'b', 'c'])[1 + u % 3] AS e, 's' || (u % 4) AS stage
FROM generate_series(1, 6000) u;
CREATE TABLE v_deals AS
SELECT i, (i * 7919 % 100000) / 100.0 + 0.01 AS amount, (i % 10) / 10.0 AS p,
	date '2025-01-01' + i % 60 AS created_on, date '2025-01-01' + i % 60 + i % 45 AS closed_on,
	(ARRAY['open', 'won', 'lost'])[1 + i % 3] AS outcome
FROM generate_series(1, 30000) i;
ANALYZE v_paths, v_lifetimes, v_mrr, v_events, v_deals;

CREATE VIEW v_funnel AS
SELECT funnel_agg(path) AS by_path, funnel_agg(level, 3) AS by_level FROM v_paths;
CREATE VIEW v_funnel_daily AS
SELECT u % 50 AS day, funnel_agg(path) AS s FROM v_paths GROUP BY 1;
CREATE VIEW v_funnel_rollup AS SELECT rollup(s) AS s FROM v_funnel_daily;
CREATE VIEW v_survival AS
SELECT survival_agg(d, e) AS by_event, survival_agg(d, e::int) AS by_status FROM v_lifetimes;
CREATE VIEW v_survival_rollup AS
SELECT rollup(s) AS s, survival_combine(rollup(s), survival_agg(1, true)) AS plus_one
FROM (SELECT i % 40 AS g, survival_agg(d, e) AS s FROM v_lifetimes GROUP BY 1) x;
CREATE VIEW v_survival_window AS
SELECT i, survival_agg(d, e) OVER (ORDER BY i ROWS BETWEEN 20 PRECEDING AND CURRENT ROW) AS s
FROM v_lifetimes WHERE i <= 500;
CREATE VIEW v_mrr_summary AS
SELECT mrr_agg(c, at, m, '2025-01-01', '1 month', 6) AS s FROM v_mrr;
CREATE VIEW v_mrr_rollup AS
SELECT rollup(s) AS s FROM (SELECT c % 5 AS g, mrr_agg(c, at, m, '2025-01-01', '1 month', 6) AS s
	FROM v_mrr GROUP BY 1) x;
CREATE VIEW v_options AS
SELECT u, funnel_path('1 day', 'default', t, e = 'c', e = 'a', e = 'b') AS path,
	window_funnel('1 day', 'strict_order', t, e = 'a', e = 'b') AS level,
	activity_agg(timestamptz '2025-01-01', t, '1 day', 30, 'rolling') AS activity,
	stage_durations(stage, t) AS durations
FROM v_events GROUP BY u;
CREATE VIEW v_cohorts AS
SELECT u % 5 AS g,
	retention_curve(u, timestamptz '2025-01-01', t, '1 day', 30, 'on_or_after', 'calendar', '2025-01-20') AS curve,
	retention_agg(u, timestamptz '2025-01-01', t, '1 day', 30, 'rolling', '2025-01-20') AS summary,
	stage_conversions(u::text, stage, t) AS conversions
FROM v_events GROUP BY 1;
CREATE VIEW v_cohort_events AS
SELECT u % 5 AS g, retention_curve(u, timestamptz '2025-01-01', t, '1 week', 8) AS curve,
	retention_agg(u, timestamptz '2025-01-01', t, '1 week', 8) AS summary
FROM v_events GROUP BY 1;
CREATE VIEW v_pipeline AS
SELECT pipeline_agg(amount, p, created_on, closed_on, outcome) AS s FROM v_deals;
CREATE MATERIALIZED VIEW v_pipeline_daily AS
SELECT created_on AS day, pipeline_agg(amount, p, created_on, closed_on, outcome) AS s
FROM v_deals GROUP BY 1;
CREATE VIEW v_pipeline_rollup AS
SELECT date_trunc('month', day) AS month, rollup(s) AS s FROM v_pipeline_daily GROUP BY 1;
CREATE TABLE v_orders AS
SELECT i, i % 500 AS customer, date '2024-01-01' + i % 400 AS day,
	((i * 7919) % 100000) / 100.0 AS amount, ((i * 31) % 5000) / 100.0 AS cost
FROM generate_series(1, 30000) i;
ANALYZE v_orders;
CREATE VIEW v_clv AS
SELECT customer, clv(amount) AS a, clv(amount, cost) AS m, clv(amount, cost, day, '2025-01-01', 0.08) AS d
FROM v_orders GROUP BY customer;
CREATE VIEW v_clv_window AS
SELECT i, clv(amount) OVER w AS a, clv(amount, cost) OVER w AS m,
	clv(amount, cost, day, '2025-01-01', 0.08) OVER w AS d
FROM v_orders WHERE i <= 2000 WINDOW w AS (ORDER BY i ROWS BETWEEN 20 PRECEDING AND CURRENT ROW);

-- Every view's rows as text, in a stable order
CREATE FUNCTION v_results() RETURNS TABLE (view_name text, result text)
LANGUAGE sql AS $$
	SELECT 'v_funnel', (SELECT string_agg(t::text, ';') FROM v_funnel t)
	UNION ALL SELECT 'v_funnel_daily', (SELECT string_agg(t::text, ';' ORDER BY day) FROM v_funnel_daily t)
	UNION ALL SELECT 'v_funnel_rollup', (SELECT string_agg(t::text, ';') FROM v_funnel_rollup t)
	UNION ALL SELECT 'v_survival', (SELECT string_agg(t::text, ';') FROM v_survival t)
	UNION ALL SELECT 'v_survival_rollup', (SELECT string_agg(t::text, ';') FROM v_survival_rollup t)
	UNION ALL SELECT 'v_survival_window', (SELECT string_agg(t::text, ';' ORDER BY i) FROM v_survival_window t)
	UNION ALL SELECT 'v_mrr_summary', (SELECT string_agg(t::text, ';') FROM v_mrr_summary t)
	UNION ALL SELECT 'v_mrr_rollup', (SELECT string_agg(t::text, ';') FROM v_mrr_rollup t)
	UNION ALL SELECT 'v_options', (SELECT string_agg(t::text, ';' ORDER BY u) FROM v_options t)
	UNION ALL SELECT 'v_cohorts', (SELECT string_agg(t::text, ';' ORDER BY g) FROM v_cohorts t)
	UNION ALL SELECT 'v_cohort_events', (SELECT string_agg(t::text, ';' ORDER BY g) FROM v_cohort_events t)
	UNION ALL SELECT 'v_pipeline', (SELECT string_agg(t::text, ';') FROM v_pipeline t)
	UNION ALL SELECT 'v_pipeline_daily', (SELECT string_agg(t::text, ';' ORDER BY day) FROM v_pipeline_daily t)
	UNION ALL SELECT 'v_pipeline_rollup', (SELECT string_agg(t::text, ';' ORDER BY month) FROM v_pipeline_rollup t)
	UNION ALL SELECT 'v_clv', (SELECT string_agg(t::text, ';' ORDER BY customer) FROM v_clv t)
	UNION ALL SELECT 'v_clv_window', (SELECT string_agg(t::text, ';' ORDER BY i) FROM v_clv_window t)
$$;

SET max_parallel_workers_per_gather = 0;
CREATE TABLE v_before AS SELECT * FROM v_results();
-- forced parallel: the old serialize/deserialize functions between workers
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
CREATE TABLE v_before_parallel AS SELECT * FROM v_results();

-- adoption: a view over the one-step aggregates, whose state 1.2.0 makes
-- adoption_summary, read serial and forced-parallel through the old catalog
CREATE TABLE v_activity AS
SELECT u % 700 AS u, date '2025-01-01' + (u * 13) % 35 AS d FROM generate_series(1, 30000) u;
ANALYZE v_activity;
CREATE VIEW v_adoption AS
SELECT active_users(u, d, '2025-01-01', '2025-02-01') AS users,
	average_dau(u, d, '2025-01-01', '2025-02-01') AS dau, dau_mau(u, d, '2025-01-01', '2025-02-01') AS ratio
FROM v_activity;
CREATE TABLE v_adoption_before AS SELECT 'parallel' AS plan, v::text AS result FROM v_adoption v;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
INSERT INTO v_adoption_before SELECT 'serial', v::text FROM v_adoption v;
