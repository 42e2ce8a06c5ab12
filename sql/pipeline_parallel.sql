--
-- Pipeline, stage history and activity aggregates under forced-parallel
-- plans give the serial result, including over zero matching rows.
--
-- Counts, sketches, money sums (exact: doc/pipeline.md), stage matrices and
-- activity counts are exact, so they must be identical, summaries to the
-- last digit of their text.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';

SELECT setseed(0.125);
CREATE TABLE pl_par_deals AS
SELECT i, i % 7 AS g,
	CASE WHEN i % 19 = 0 THEN NULL ELSE round((100 + 50000 * random() ^ 2)::numeric, 2) END AS amount,
	(i % 10) / 10.0 AS probability,
	(ARRAY['open', 'won', 'lost'])[1 + i % 3] AS outcome,
	timestamptz '2024-01-01' + i * interval '5 minutes' AS created_at,
	timestamptz '2024-01-01' + i * interval '5 minutes' + floor(random() * 120) * interval '1 day' AS closed_at
FROM generate_series(1, 300000) i;
ANALYZE pl_par_deals;

CREATE TABLE pl_par_daily AS
SELECT i % 20000 AS day, pipeline_agg(amount, probability, created_at, closed_at, outcome) AS s
FROM pl_par_deals GROUP BY 1;
ANALYZE pl_par_daily;

CREATE TABLE pl_par_history AS
SELECT 'deal' || (i / 4) AS deal,
	(ARRAY['lead', 'qualified', 'proposal', 'won', 'lost'])[1 + (i::bigint * 7919) % 5] AS stage,
	timestamptz '2025-01-01' + ((i::bigint * 104729) % 1000) * interval '1 hour' AS entered_at
FROM generate_series(1, 200000) i;
ANALYZE pl_par_history;

CREATE TABLE pl_par_activity AS
SELECT (i::bigint * 7919) % 5000 AS user_id, date '2025-01-01' + (i * 31) % 59 AS active_on
FROM generate_series(1, 300000) i;
ANALYZE pl_par_activity;

-- A summary and figures read from it
CREATE FUNCTION pl_figures(s pipeline_summary) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT concat_ws(' ', s::text, open_pipeline(s), weighted_pipeline(s), won_amount(s),
		average_sales_cycle(s), win_rate(s), median_deal_size(s), median_sales_cycle(s))
$$;

CREATE TEMP TABLE pl_queries (name text, query text);
INSERT INTO pl_queries VALUES
	('pipeline', $$SELECT pl_figures(pipeline_agg(amount, probability, created_at, closed_at, outcome))
		FROM pl_par_deals$$),
	('pipeline by group', $$SELECT g, pl_figures(pipeline_agg(amount, probability, created_at, closed_at, outcome))
		FROM pl_par_deals GROUP BY g ORDER BY g$$),
	('pipeline, boolean outcomes', $$SELECT pl_figures(pipeline_agg(amount, CASE WHEN i % 23 <> 0 THEN probability END,
		created_at, closed_at, outcome <> 'open', outcome = 'won')) FROM pl_par_deals$$),
	('pipeline, boolean outcomes, no rows', $$SELECT pipeline_agg(amount, probability, created_at, closed_at,
		outcome <> 'open', outcome = 'won')::text FROM pl_par_deals WHERE i < 0$$),
	('pipeline, no rows', $$SELECT pipeline_agg(amount, probability, created_at, closed_at, outcome)::text
		FROM pl_par_deals WHERE i < 0$$),
	('pipeline, no rows, by group', $$SELECT g, pipeline_agg(amount, probability, created_at, closed_at, outcome)::text
		FROM pl_par_deals WHERE i < 0 GROUP BY g$$),
	('rollup', $$SELECT pl_figures(rollup(s)) FROM pl_par_daily$$),
	-- zero rows that the planner cannot foresee (an expression, not a column
	-- with statistics), so that it splits the aggregate as over matching rows
	('rollup, no rows', $$SELECT rollup(s)::text FROM pl_par_daily WHERE day + 0 < 0$$),
	('stage conversions', $$SELECT stage_conversions(deal, stage, entered_at)::text FROM pl_par_history$$),
	('stage conversions, no rows', $$SELECT stage_conversions(deal, stage, entered_at)::text
		FROM pl_par_history WHERE length(deal) < 0$$),
	('stage durations', $$SELECT md5(string_agg(v::text, ',' ORDER BY deal)) FROM
		(SELECT deal, stage_durations(stage, entered_at) AS v FROM pl_par_history GROUP BY deal) s$$),
	('activity', $$SELECT active_users(user_id, active_on, '2025-01-01', '2025-02-01'),
		average_dau(user_id, active_on, '2025-01-01', '2025-02-01'),
		dau_mau(user_id, active_on, '2025-01-01', '2025-02-01') FROM pl_par_activity$$),
	('activity, no rows', $$SELECT active_users(user_id, active_on, '2025-01-01', '2025-02-01'),
		dau_mau(user_id, active_on, '2025-01-01', '2025-02-01') FROM pl_par_activity WHERE user_id < 0$$);

\set ECHO none
\i test/parallel.sql
\set ECHO all

-- serial: no plan splits an aggregate
SET max_parallel_workers_per_gather = 0;
SELECT name, pg_temp.plan_shape(query) FROM pl_queries ORDER BY name;
CREATE TEMP TABLE pl_serial_results AS SELECT * FROM pg_temp.run_queries('pl_queries');

-- forced parallel: each plan has a Partial Aggregate under a Gather
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM pl_queries ORDER BY name;
CREATE TEMP TABLE pl_parallel_results AS SELECT * FROM pg_temp.run_queries('pl_queries');

SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM pl_serial_results s JOIN pl_parallel_results p USING (name) ORDER BY name;

-- and the serial values themselves, checked against plain SQL
RESET max_parallel_workers_per_gather;
SELECT open_deals(s) = n_open AS open_deals, abs(won_amount(s) - won) < 1e-6 AS won_amount,
	win_rate(s) = n_won::float8 / n_closed AS win_rate
FROM (SELECT pipeline_agg(amount, probability, created_at, closed_at, outcome) AS s,
		count(*) FILTER (WHERE outcome = 'open' AND amount IS NOT NULL) AS n_open,
		sum(amount) FILTER (WHERE outcome = 'won') AS won,
		count(*) FILTER (WHERE outcome = 'won' AND amount IS NOT NULL) AS n_won,
		count(*) FILTER (WHERE outcome <> 'open' AND amount IS NOT NULL) AS n_closed
	FROM pl_par_deals) x;
