-- bench/pipeline/measure.sql: the pipeline family's comparisons at one
-- worker setting.  Run by bench/run with psql -v workers=0|2 -v reps=N after
-- setup.sql.  Each line printed is a row of bench_result.
--
-- "ours" reads every KPI from one pipeline_agg summary; the analyst's SQL is
-- one pass of FILTERed aggregates over the same numeric(12,2) amounts (and
-- percentile_cont for the medians, which sorts).  Grouped queries are wrapped
-- in an outer count(x) so that one row comes back.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

-- Whole table: the pipeline KPIs without medians against the analyst's SQL
-- (target 1.2, the issue's line), and against the scan alone (count(*),
-- informational: what a pass over the deals costs at all).
SELECT bench_compare(
	ARRAY['pipeline vs analyst SQL'], :workers, :reps,
	$q$SELECT open_pipeline(s), weighted_pipeline(s), win_rate(s), average_deal_size(s),
		average_sales_cycle(s), pipeline_velocity(s), open_deals(s)
	FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
		FROM deals) x$q$,
	ARRAY[
		$q$SELECT open_pipeline, weighted, win_rate, avg_deal, avg_cycle,
			open_deals * win_rate * avg_deal / avg_cycle AS velocity, open_deals
		FROM (SELECT sum(amount) FILTER (WHERE outcome = 'open') AS open_pipeline,
			sum(amount * probability) FILTER (WHERE outcome = 'open') AS weighted,
			count(*) FILTER (WHERE outcome = 'won')::numeric
				/ nullif(count(*) FILTER (WHERE outcome IN ('won', 'lost')), 0) AS win_rate,
			avg(amount) FILTER (WHERE outcome = 'won') AS avg_deal,
			avg(closed_on - created_on) FILTER (WHERE outcome = 'won') AS avg_cycle,
			count(*) FILTER (WHERE outcome = 'open') AS open_deals
		FROM deals) a$q$],
	ARRAY[1.2]);
SELECT bench_compare(
	ARRAY['pipeline vs count(*)'], :workers, :reps,
	$q$SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) FROM deals$q$,
	ARRAY[$q$SELECT count(*) FROM deals$q$],
	ARRAY[4.0], informational => true);

-- Whole table, with the medians of deal size and cycle: one pass and a
-- sketch against percentile_cont's sorts (target: faster).
SELECT bench_compare(
	ARRAY['pipeline+medians vs analyst SQL'], :workers, :reps,
	$q$SELECT open_pipeline(s), weighted_pipeline(s), win_rate(s), average_deal_size(s),
		average_sales_cycle(s), pipeline_velocity(s), median_deal_size(s), median_sales_cycle(s)
	FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
		FROM deals) x$q$,
	ARRAY[
		$q$SELECT open_pipeline, weighted, win_rate, avg_deal, avg_cycle,
			open_deals * win_rate * avg_deal / avg_cycle AS velocity, median_deal, median_cycle
		FROM (SELECT sum(amount) FILTER (WHERE outcome = 'open') AS open_pipeline,
			sum(amount * probability) FILTER (WHERE outcome = 'open') AS weighted,
			count(*) FILTER (WHERE outcome = 'won')::numeric
				/ nullif(count(*) FILTER (WHERE outcome IN ('won', 'lost')), 0) AS win_rate,
			avg(amount) FILTER (WHERE outcome = 'won') AS avg_deal,
			avg(closed_on - created_on) FILTER (WHERE outcome = 'won') AS avg_cycle,
			count(*) FILTER (WHERE outcome = 'open') AS open_deals,
			percentile_cont(0.5) WITHIN GROUP (ORDER BY amount)
				FILTER (WHERE outcome = 'won') AS median_deal,
			percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_on - created_on)
				FILTER (WHERE outcome = 'won') AS median_cycle
		FROM deals) a$q$],
	ARRAY[1.0]);

-- GROUP BY team (100 groups), without medians (informational).
SELECT bench_compare(
	ARRAY['by team: pipeline vs analyst SQL'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT team, pipeline_velocity(pipeline_agg(amount, probability,
		created_on, closed_on, outcome)) AS x FROM deals GROUP BY team) s$q$,
	ARRAY[
		$q$SELECT count(x) FROM (SELECT team,
			count(*) FILTER (WHERE outcome = 'open')
			* (count(*) FILTER (WHERE outcome = 'won')::numeric
				/ nullif(count(*) FILTER (WHERE outcome IN ('won', 'lost')), 0))
			* avg(amount) FILTER (WHERE outcome = 'won')
			/ avg(closed_on - created_on) FILTER (WHERE outcome = 'won') AS x
		FROM deals GROUP BY team) s$q$],
	ARRAY[1.2], informational => true);

-- rollup of the stored daily summaries (~10,000) against recomputing from the
-- raw deals.  Absolute target: milliseconds.
SELECT bench_compare(
	ARRAY['rollup daily vs raw pipeline_agg'], :workers, :reps,
	$q$SELECT pipeline_velocity(rollup(s)), median_deal_size(rollup(s)) FROM deals_daily$q$,
	ARRAY[$q$SELECT pipeline_velocity(s), median_deal_size(s)
		FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
			FROM deals) x$q$],
	NULL, abs_target_ms => 100, expect_parallel => false);

-- DAU/MAU and active users of one month (2 M log rows at most) against the
-- analyst's count(DISTINCT) (informational; count(DISTINCT) never runs in
-- parallel).
SELECT bench_compare(
	ARRAY['dau_mau vs count(DISTINCT)'], :workers, :reps,
	$q$SELECT active_users(user_id, active_on, '2025-01-01', '2025-02-01'),
		dau_mau(user_id, active_on, '2025-01-01', '2025-02-01') FROM crm_activity$q$,
	ARRAY[$q$SELECT count(DISTINCT user_id),
		count(DISTINCT (user_id, active_on))::float8 / 31 / count(DISTINCT user_id) FROM crm_activity$q$],
	ARRAY[1.0], informational => true);

-- The same with text (emails) and uuid ids: a dictionary of the ids' bytes
-- against bigint ids as their own keys (issue 13: within 1.3x)
SELECT bench_compare(
	ARRAY['dau_mau text ids vs bigint ids'], :workers, :reps,
	$q$SELECT active_users(user_email, active_on, '2025-01-01', '2025-02-01'),
		dau_mau(user_email, active_on, '2025-01-01', '2025-02-01') FROM crm_activity$q$,
	ARRAY[$q$SELECT active_users(user_id, active_on, '2025-01-01', '2025-02-01'),
		dau_mau(user_id, active_on, '2025-01-01', '2025-02-01') FROM crm_activity$q$],
	ARRAY[1.3]);
SELECT bench_compare(
	ARRAY['dau_mau uuid ids vs bigint ids'], :workers, :reps,
	$q$SELECT active_users(user_uuid, active_on, '2025-01-01', '2025-02-01'),
		dau_mau(user_uuid, active_on, '2025-01-01', '2025-02-01') FROM crm_activity$q$,
	ARRAY[$q$SELECT active_users(user_id, active_on, '2025-01-01', '2025-02-01'),
		dau_mau(user_id, active_on, '2025-01-01', '2025-02-01') FROM crm_activity$q$],
	ARRAY[1.3]);

-- New customers per quarter with their quality (first 90 days), against the
-- recipe of doc/pipeline.md section 5: min() over a window per customer,
-- filters, GROUP BY (target: within 1.5x; the summary keeps every row and
-- sorts them when it is flattened, as the recipe's window sorts them, and
-- new_customers() reads them in one pass)
SELECT bench_compare(
	ARRAY['new_customers_agg vs SQL recipe'], :workers, :reps,
	$q$SELECT count(*) FROM new_customers((SELECT new_customers_agg(customer_id, ordered_at, amount,
		'3 months', 90, 'UTC') FROM orders))$q$,
	ARRAY[
		$q$SELECT count(*) FROM (
			SELECT period_start, count(*), count(*) FILTER (WHERE repeat), sum(first_days_revenue),
				sum(first_days_revenue) / count(*), sum(net_revenue)
			FROM (SELECT customer_id, date_trunc('quarter', min(first_at), 'UTC') AS period_start,
					coalesce(sum(amount) FILTER (WHERE ordered_at < first_at + interval '90 days'), 0) AS first_days_revenue,
					coalesce(bool_or(ordered_at > first_at AND ordered_at < first_at + interval '90 days'
						AND amount >= 0), false) AS repeat,
					sum(amount) AS net_revenue
				FROM (SELECT customer_id, ordered_at, amount,
						min(ordered_at) OVER (PARTITION BY customer_id) AS first_at FROM orders) o
				GROUP BY customer_id) c
			GROUP BY period_start) r$q$],
	ARRAY[1.5], expect_parallel => false);
