-- bench/clv/measure.sql: the CLV comparisons at one worker setting.  Run by
-- bench/run with psql -v workers=0|2 -v reps=N after setup.sql.
--
-- Grouped queries are wrapped in an outer count(x): the work measured is the
-- aggregation, not sending a million rows to the client.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

-- clv per customer against the plain SQL sum per customer (target 1.2)
SELECT bench_compare(
	ARRAY['clv per customer vs sum'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT clv(amount) AS x FROM orders GROUP BY customer_id) s$q$,
	ARRAY[$q$SELECT count(x) FROM (SELECT sum(amount) AS x FROM orders GROUP BY customer_id) s$q$],
	ARRAY[1.2]);
SELECT bench_compare(
	ARRAY['clv(amount, cost) per customer vs sum'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT clv(amount, cost) AS x FROM orders GROUP BY customer_id) s$q$,
	ARRAY[$q$SELECT count(x) FROM (SELECT sum(amount - cost) AS x FROM orders GROUP BY customer_id) s$q$],
	ARRAY[1.2]);
-- discounted: against the analyst's SQL (float factor taken into numeric)
SELECT bench_compare(
	ARRAY['clv discounted per customer vs analyst SQL'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT clv(amount, cost, order_date, '2025-01-01', 0.08) AS x
		FROM orders GROUP BY customer_id) s$q$,
	ARRAY[$q$SELECT count(x) FROM (SELECT sum((amount - cost)
			* power(1.08::float8, ('2025-01-01'::date - order_date) / 365.25)::numeric) AS x
		FROM orders GROUP BY customer_id) s$q$],
	ARRAY[1.2], informational => true);

-- BG/NBD fits: absolute targets, against the scan of the same summaries
SELECT bench_compare(
	ARRAY['bgnbd_fit 1 M simulated customers vs count'], :workers, :reps,
	$q$SELECT bgnbd_fit(s) FROM sim_rfm$q$,
	ARRAY[$q$SELECT count(s) FROM sim_rfm$q$],
	NULL, abs_target_ms => 1000);
SELECT bench_compare(
	ARRAY['bgnbd_fit CDNOW cohort (23,570) vs count'], :workers, :reps,
	$q$SELECT bgnbd_fit(s) FROM cdnow_rfm$q$,
	ARRAY[$q$SELECT count(s) FROM cdnow_rfm$q$],
	NULL, abs_target_ms => 1000, expect_parallel => false);

-- holdout validation (1.3.0): one BG/NBD conditional expectation per
-- customer, binned, against the analyst's plain SQL of the same table
-- (expected_purchases per customer, grouped by frequency; the outer query
-- reads every sum, so that the planner computes them all)
SELECT bench_compare(
	ARRAY['holdout_agg CDNOW cohort (23,570) vs plain SQL'], :workers, :reps,
	$q$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, frequency(s) % 3, 39) FROM cdnow_rfm$q$,
	ARRAY[$q$SELECT sum(n + a + e) FROM (SELECT least(frequency(s), 101), count(*) AS n, sum(frequency(s) % 3) AS a,
			sum(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, 39)) AS e
		FROM cdnow_rfm GROUP BY 1) x$q$],
	ARRAY[1.2], expect_parallel => false);
SELECT bench_compare(
	ARRAY['holdout_agg 1 M simulated customers vs plain SQL'], :workers, :reps,
	$q$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, frequency(s) % 3, 39) FROM sim_rfm$q$,
	ARRAY[$q$SELECT sum(n + a + e) FROM (SELECT least(frequency(s), 101), count(*) AS n, sum(frequency(s) % 3) AS a,
			sum(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, 39)) AS e
		FROM sim_rfm GROUP BY 1) x$q$],
	ARRAY[1.2]);
-- tracked over 39 weekly periods: 39 expectations per customer, against the
-- plain SQL of the same cumulative expectations per week
SELECT bench_compare(
	ARRAY['holdout_agg tracked 39 weeks CDNOW cohort vs plain SQL'], :workers, :reps,
	$q$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s,
		ARRAY[frequency(s) % 39 + 0.5], 1, 39) FROM cdnow_rfm$q$,
	ARRAY[$q$SELECT sum(e) FROM (SELECT k, sum(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, k)) AS e
		FROM cdnow_rfm, generate_series(1, 39) k GROUP BY k) x$q$],
	ARRAY[1.2], informational => true);
-- tracked over the calibration period too (BTYD's PlotTrackingCum): 39
-- calibration and 39 holdout weeks, 79 unconditional expectations per
-- customer, against the plain SQL of the same cumulative expectations
SELECT bench_compare(
	ARRAY['holdout_agg tracked 39 + 39 weeks CDNOW cohort vs plain SQL'], :workers, :reps,
	$q$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s,
		ARRAY[-(customer_age(s) * (frequency(s) % 5)) / 5], ARRAY[frequency(s) % 39 + 0.5], 1, 39, 39) FROM cdnow_rfm$q$,
	ARRAY[$q$SELECT sum(e) FROM (SELECT k, sum(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), k + customer_age(s)))
			FILTER (WHERE k + customer_age(s) > 0) AS e
		FROM cdnow_rfm, generate_series(-38, 39) k GROUP BY k) x$q$],
	ARRAY[1.2], informational => true);
-- Pareto/NBD fits (issue 14): within 3 times bgnbd_fit's targets (the fit
-- takes 1.6-1.9 times bgnbd_fit's time on the same data; bench/README.md)
SELECT bench_compare(
	ARRAY['pareto_nbd_fit 1 M simulated customers vs count'], :workers, :reps,
	$q$SELECT pareto_nbd_fit(s) FROM sim_rfm$q$,
	ARRAY[$q$SELECT count(s) FROM sim_rfm$q$],
	NULL, abs_target_ms => 3000);
SELECT bench_compare(
	ARRAY['pareto_nbd_fit CDNOW cohort (23,570) vs count'], :workers, :reps,
	$q$SELECT pareto_nbd_fit(s) FROM cdnow_rfm$q$,
	ARRAY[$q$SELECT count(s) FROM cdnow_rfm$q$],
	NULL, abs_target_ms => 3000, expect_parallel => false);
-- the standard errors' aggregates, informational
SELECT bench_compare(
	ARRAY['bgnbd_std_errors CDNOW cohort (23,570) vs count'], :workers, :reps,
	$q$SELECT bgnbd_std_errors(s) FROM cdnow_rfm$q$,
	ARRAY[$q$SELECT count(s) FROM cdnow_rfm$q$],
	NULL, informational => true, abs_target_ms => 1000, expect_parallel => false);
-- the L2-penalized fit (1.3.0): the same search over a penalized objective
SELECT bench_compare(
	ARRAY['bgnbd_fit penalizer 0.01 CDNOW cohort (23,570) vs count'], :workers, :reps,
	$q$SELECT bgnbd_fit(s, 0.01) FROM cdnow_rfm$q$,
	ARRAY[$q$SELECT count(s) FROM cdnow_rfm$q$],
	NULL, informational => true, abs_target_ms => 1000, expect_parallel => false);

-- BG/BB fit over 1 M simulated customers (a few hundred cells): the same
-- order as the BG/NBD fit
SELECT bench_compare(
	ARRAY['bgbb_fit 1 M simulated customers vs count'], :workers, :reps,
	$q$SELECT bgbb_fit(frequency, recency, periods) FROM sim_bgbb$q$,
	ARRAY[$q$SELECT count(*) FROM sim_bgbb$q$],
	NULL, abs_target_ms => 1000);
