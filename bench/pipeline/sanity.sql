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

-- pipeline hygiene: the summary's figures equal plain SQL
SELECT bench_check('pipeline_hygiene_agg = plain SQL', a = b, format('%s vs %s', a, b))
FROM (SELECT concat_ws(' ', stale_deals(h), round(stale_amount(h)::numeric, 2), deals_without_next_step(h),
		deals_without_close_date(h), complete_records(h), field_filled_counts(h)) AS a
	FROM (SELECT pipeline_hygiene_agg(amount, last_activity_at, stage_changed_at, next_step IS NOT NULL,
		close_date IS NOT NULL, ARRAY[has_contact, has_industry, has_budget], '2025-06-30+00', 30) AS h
		FROM deal_hygiene) x) p,
	(SELECT concat_ws(' ', count(*) FILTER (WHERE stale), sum(amount) FILTER (WHERE stale),
		count(*) FILTER (WHERE next_step IS NULL), count(*) FILTER (WHERE close_date IS NULL),
		count(*) FILTER (WHERE has_contact AND has_industry AND has_budget),
		ARRAY[count(*) FILTER (WHERE has_contact), count(*) FILTER (WHERE has_industry),
			count(*) FILTER (WHERE has_budget)]) AS b
	FROM (SELECT *, coalesce(greatest(last_activity_at, stage_changed_at)
			< timestamptz '2025-06-30+00' - interval '30 days', true) AS stale FROM deal_hygiene) d) r;

-- lead KPIs: the summary's counts and medians equal plain SQL (the speed
-- median to the microsecond an interval holds, while exact; within 1 % once sketched)
SELECT bench_check('lead_agg = plain SQL', a = b OR (NOT exact AND counts_a = counts_b
		AND abs(med_a / med_b - 1) <= 0.01), format('%s vs %s', a, b))
FROM (SELECT concat_ws(' ', leads(s), opportunities(s), won_opportunities(s), responded_leads(s),
		median_activities_per_deal(s), median_speed_to_lead(s)) AS a,
		concat_ws(' ', leads(s), opportunities(s), won_opportunities(s), responded_leads(s),
		median_activities_per_deal(s)) AS counts_a,
		extract(epoch FROM median_speed_to_lead(s)) AS med_a, speed_to_lead_is_exact(s) AS exact
	FROM (SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities) AS s
		FROM lead_bench) x) p,
	(SELECT concat_ws(' ', count(*), count(*) FILTER (WHERE became_opportunity), count(*) FILTER (WHERE won),
		count(first_response_at), percentile_cont(0.5) WITHIN GROUP (ORDER BY activities) FILTER (WHERE became_opportunity),
		date_trunc('microseconds', percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_at - created_at))) AS b,
		concat_ws(' ', count(*), count(*) FILTER (WHERE became_opportunity), count(*) FILTER (WHERE won),
		count(first_response_at), percentile_cont(0.5) WITHIN GROUP (ORDER BY activities) FILTER (WHERE became_opportunity)) AS counts_b,
		extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_at - created_at)) AS med_b
	FROM lead_bench) r;

-- the waterfall equals its plain-SQL classification, category by category
SELECT bench_check('pipeline_changes = CASE + GROUP BY', n = 0, format('%s differing categories', n))
FROM (SELECT count(*) AS n
	FROM (SELECT c.* FROM (SELECT pipeline_changes(amount_a, close_a, status_a, amount_b, close_b, status_b,
				date '2024-01-01', date '2024-12-31') AS w FROM deal_pairs) x, unnest(x.w) c
			WHERE c.deals > 0) ours
		FULL JOIN (
			WITH f AS (
				SELECT *, coalesce(status_a = 'open' AND close_a BETWEEN '2024-01-01' AND '2024-12-31', false) AS in_a,
					coalesce(status_b = 'open' AND close_b BETWEEN '2024-01-01' AND '2024-12-31', false) AS in_b,
					coalesce(amount_a, 0) AS x_a, coalesce(amount_b, 0) AS x_b
				FROM deal_pairs),
			steps AS (
				SELECT 'opening' AS category, x_a AS amount FROM f WHERE in_a
				UNION ALL SELECT 'closing', x_b FROM f WHERE in_b
				UNION ALL SELECT CASE WHEN in_a AND status_b IS NULL THEN 'removed'
						WHEN in_a AND status_b IN ('won', 'lost') THEN status_b
						WHEN in_a AND NOT in_b AND close_b > '2024-12-31' THEN 'pushed_out'
						WHEN in_a AND NOT in_b THEN 'moved_out'
						WHEN in_a AND x_b > x_a THEN 'increased'
						WHEN in_a AND x_b < x_a THEN 'decreased'
						WHEN in_a THEN NULL
						WHEN status_a = 'open' THEN 'pulled_in' ELSE 'new' END,
					CASE WHEN in_a AND in_b THEN x_b - x_a WHEN in_a THEN -x_a ELSE x_b END
				FROM f WHERE in_a OR in_b)
			SELECT category, count(*) AS deals, sum(amount) AS amount FROM steps
			WHERE category IS NOT NULL GROUP BY 1) ref USING (category)
	WHERE ours.deals IS DISTINCT FROM ref.deals OR ours.amount IS DISTINCT FROM ref.amount) d;

-- the forecast equals its closed form computed per stage in SQL
SELECT bench_check('pipeline_forecast = per-stage SQL',
	abs(e1 - e2) <= 1e-9 * e2 AND abs(s1 - s2) <= 1e-9 * s2, format('%s, %s vs %s, %s', e1, s1, e2, s2))
FROM (SELECT (f).expected AS e1, (f).std_error AS s1
	FROM (SELECT pipeline_forecast(amount, probability, team::text, 0.2 + (team % 7) / 10.0, 100 + team) AS f
		FROM deals WHERE outcome = 'open') x) o,
	(SELECT sum(p * a) AS e2,
		sqrt(sum((p - p * p - p * (1 - p) / (n + 2)) * b + p * (1 - p) / (n + 2) * a * a)) AS s2
	FROM (SELECT 0.2 + (team % 7) / 10.0 AS p, 100 + team AS n, sum(amount::float8) AS a,
			sum(amount::float8 ^ 2) AS b
		FROM deals WHERE outcome = 'open' GROUP BY team) s) r;

-- new_customers_agg against the recipe of doc/pipeline.md section 5, every
-- row as text (digits and scales too), with 2 workers
SELECT bench_workers(2) \gset
SELECT bench_check('new_customers_agg = SQL recipe (2 workers)', a = b, format('%s vs %s periods', na, nb))
FROM (SELECT string_agg(c::text, ' ' ORDER BY c.period_start) AS a, count(*) AS na
	FROM new_customers((SELECT new_customers_agg(customer_id, ordered_at, amount, '3 months', 90, 'UTC')
		FROM purchases)) c) x,
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
					min(ordered_at) OVER (PARTITION BY customer_id) AS first_at FROM purchases) o
			GROUP BY customer_id) c
		GROUP BY period_start) p) y;
SELECT bench_workers(0) \gset
