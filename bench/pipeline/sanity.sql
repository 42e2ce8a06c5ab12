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

-- new_customers_agg against the recipe of doc/pipeline.md section 5, every
-- row as text (digits and scales too), with 2 workers
SELECT bench_workers(2) \gset
SELECT bench_check('new_customers_agg = SQL recipe (2 workers)', a = b, format('%s vs %s periods', na, nb))
FROM (SELECT string_agg(c::text, ' ' ORDER BY c.period_start) AS a, count(*) AS na
	FROM new_customers((SELECT new_customers_agg(customer_id, ordered_at, amount, '3 months', 90, 'UTC')
		FROM orders)) c) x,
	(SELECT string_agg(row(period_start, n, r, r::float8 / n, fd, fd / n, net)::new_customer_cohort::text,
			' ' ORDER BY period_start) AS b, count(*) AS nb
	FROM (SELECT period_start, count(*) AS n, count(*) FILTER (WHERE repeat) AS r,
			sum(first_days_revenue) AS fd, sum(net_revenue) AS net
		FROM (SELECT customer_id, date_trunc('quarter', min(first_at), 'UTC') AS period_start,
				coalesce(sum(amount) FILTER (WHERE ordered_at < first_at + interval '90 days'), 0) AS first_days_revenue,
				coalesce(bool_or(ordered_at > first_at AND ordered_at < first_at + interval '90 days'
					AND amount >= 0), false) AS repeat,
				sum(amount) AS net_revenue
			FROM (SELECT customer_id, ordered_at, amount,
					min(ordered_at) OVER (PARTITION BY customer_id) AS first_at FROM orders) o
			GROUP BY customer_id) c
		GROUP BY period_start) p) y;
SELECT bench_workers(0) \gset
