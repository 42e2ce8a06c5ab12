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
