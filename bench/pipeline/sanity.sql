-- bench/pipeline/sanity.sql: the figures of the timed queries against plain
-- SQL, once, untimed, serial and with 2 workers.  Prints "ok" or "MISMATCH".

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

SELECT bench_workers(0) \gset
\set label 'serial'
\ir sanity_scan.sql
SELECT bench_workers(2) \gset
\set label '2 workers'
\ir sanity_scan.sql
SELECT bench_workers(0) \gset

-- Stored summaries: all of them roll up to the whole table.
SELECT bench_check('rollup(daily) = pipeline_agg(all)', a = b, format('%s vs %s', a, b))
FROM (SELECT (SELECT concat_ws(' ', open_deals(s), won_deals(s), lost_deals(s), round(won_amount(s)::numeric, 2))
		FROM (SELECT rollup(s) AS s FROM deals_daily) x) AS a,
	(SELECT concat_ws(' ', open_deals(s), won_deals(s), lost_deals(s), round(won_amount(s)::numeric, 2))
		FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s FROM deals) x) AS b) s;

-- text and uuid ids count the same users as bigint ones
SELECT bench_check('dau_mau text, uuid ids = bigint ids', a = b AND a = c, format('%s, %s, %s', a, b, c))
FROM (SELECT dau_mau(user_id, active_on, '2025-01-01', '2025-02-01') AS a,
		dau_mau(user_email, active_on, '2025-01-01', '2025-02-01') AS b,
		dau_mau(user_uuid, active_on, '2025-01-01', '2025-02-01') AS c FROM crm_activity) x;

-- DAU/MAU against count(DISTINCT)
SELECT bench_check('dau_mau = count(DISTINCT) SQL', a = b AND u = v, format('%s vs %s, %s vs %s', a, b, u, v))
FROM (SELECT active_users(user_id, active_on, '2025-01-01', '2025-02-01') AS u,
		dau_mau(user_id, active_on, '2025-01-01', '2025-02-01') AS a FROM crm_activity) x,
	(SELECT count(DISTINCT user_id) AS v,
		count(DISTINCT (user_id, active_on))::float8 / 31 / count(DISTINCT user_id) AS b FROM crm_activity) y;
