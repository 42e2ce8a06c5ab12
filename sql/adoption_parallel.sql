--
-- Adoption aggregates under forced-parallel plans give the serial result,
-- including over zero matching rows: the one-step aggregates, adoption_agg
-- and rollup(adoption_summary).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET extra_float_digits = 0;

-- 3,000 users over January 2025 and a few days around it (skipped), some
-- NULL users and days
CREATE TABLE ad_par_activity AS
SELECT i,
	i % 5 AS team,
	CASE WHEN i % 211 = 0 THEN NULL ELSE (i * 7919) % 3000 END::bigint AS user_id,
	CASE WHEN i % 307 = 0 THEN NULL ELSE date '2024-12-29' + (i * 31) % 37 END AS active_on
FROM generate_series(1, 200000) i;
ANALYZE ad_par_activity;

-- summaries per day, team and slice of users: enough rows for a parallel scan
CREATE TABLE ad_par_daily AS
SELECT active_on AS day, team, user_id % 40 AS slice,
	adoption_agg(user_id, active_on, '2025-01-01', '2025-02-01') AS s
FROM ad_par_activity GROUP BY 1, 2, 3;
ANALYZE ad_par_daily;

CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('one step', $$SELECT active_users(user_id, active_on, '2025-01-01', '2025-02-01'),
		average_dau(user_id, active_on, '2025-01-01', '2025-02-01'),
		dau_mau(user_id, active_on, '2025-01-01', '2025-02-01') FROM ad_par_activity$$),
	('one step, by team', $$SELECT team, dau_mau(user_id, active_on, '2025-01-01', '2025-02-01')
		FROM ad_par_activity GROUP BY team ORDER BY team$$),
	('one step, no rows', $$SELECT active_users(user_id, active_on, '2025-01-01', '2025-02-01'),
		dau_mau(user_id, active_on, '2025-01-01', '2025-02-01') FROM ad_par_activity WHERE i + 0 < 0$$),
	('summary', $$SELECT adoption_agg(user_id, active_on, '2025-01-01', '2025-02-01')::text FROM ad_par_activity$$),
	('summary, no rows', $$SELECT adoption_agg(user_id, active_on, '2025-01-01', '2025-02-01')::text
		FROM ad_par_activity WHERE i + 0 < 0$$),
	('rollup', $$SELECT rollup(s)::text FROM ad_par_daily$$),
	-- zero rows that the planner cannot foresee (an expression, not a column
	-- with statistics), so that it splits the aggregate as over matching rows
	('rollup, no rows', $$SELECT rollup(s)::text FROM ad_par_daily WHERE team + 0 < 0$$),
	-- 1.3.0: text and uuid ids, timestamptz times in a time zone
	('text ids', $$SELECT adoption_agg('user ' || user_id, active_on, '2025-01-01', '2025-02-01')::text
		FROM ad_par_activity$$),
	('uuid ids, timestamptz', $$SELECT adoption_agg(md5(user_id::text)::uuid,
		active_on + time '23:30', '2025-01-01', '2025-02-01', 'Asia/Tokyo')::text FROM ad_par_activity$$),
	('text ids, no rows', $$SELECT adoption_agg('user ' || user_id, active_on, '2025-01-01', '2025-02-01')::text,
		dau_mau(user_id::text, active_on, '2025-01-01', '2025-02-01') FROM ad_par_activity WHERE i + 0 < 0$$);

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

-- and the serial values themselves, checked against plain SQL
RESET max_parallel_workers_per_gather;
WITH jan AS (SELECT user_id, active_on FROM ad_par_activity
             WHERE user_id IS NOT NULL AND active_on >= '2025-01-01' AND active_on < '2025-02-01')
SELECT active_users(s) = (SELECT count(DISTINCT user_id) FROM jan) AS users_match,
	average_dau(s) = (SELECT count(DISTINCT (user_id, active_on)) FROM jan) / 31.0::float8 AS average_dau_match,
	rollup_text = s::text AS rollup_matches
FROM (SELECT adoption_agg(user_id, active_on, '2025-01-01', '2025-02-01') s FROM ad_par_activity) x,
	(SELECT rollup(s)::text AS rollup_text FROM ad_par_daily) r;
-- text ids: the same counts as bigint ones (count(DISTINCT) above)
SELECT active_users(s) = (SELECT count(DISTINCT user_id) FROM ad_par_activity
		WHERE active_on >= '2025-01-01' AND active_on < '2025-02-01') AS text_users_match
FROM (SELECT adoption_agg('user ' || user_id, active_on, '2025-01-01', '2025-02-01') s FROM ad_par_activity) x;
SELECT result FROM serial_results WHERE name IN ('one step, no rows', 'summary, no rows', 'rollup, no rows', 'text ids, no rows') ORDER BY name;
