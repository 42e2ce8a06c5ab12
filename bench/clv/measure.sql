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

-- BG/BB fit over 1 M simulated customers (a few hundred cells): the same
-- order as the BG/NBD fit
SELECT bench_compare(
	ARRAY['bgbb_fit 1 M simulated customers vs count'], :workers, :reps,
	$q$SELECT bgbb_fit(frequency, recency, periods) FROM sim_bgbb$q$,
	ARRAY[$q$SELECT count(*) FROM sim_bgbb$q$],
	NULL, abs_target_ms => 1000);
