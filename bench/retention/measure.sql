-- bench/retention/measure.sql: the retention comparisons at one worker
-- setting.  Run by bench/run with psql -v workers=0|2 -v reps=N after
-- setup.sql.  Grouped queries are wrapped in an outer count(x), so the work
-- measured is the aggregation.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

-- 12 monthly cohorts x 12 periods: retention_curve() against the analyst's
-- count(DISTINCT user_id) grouped by cohort and period: target 3 times
-- faster.
SELECT bench_compare(
	ARRAY['cohorts: curve vs count(DISTINCT)'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT cohort,
		retention_curve(user_id, signup, at, '1 month', 12) AS x
		FROM activity GROUP BY 1) s$q$,
	ARRAY[
		$q$SELECT count(x) FROM (SELECT cohort,
			(extract(year FROM at) * 12 + extract(month FROM at))
				- (extract(year FROM signup) * 12 + extract(month FROM signup)) AS period,
			count(DISTINCT user_id) AS x
			FROM activity GROUP BY 1, 2) s$q$],
	ARRAY[0.3333]);

-- The same against count(*) over the same rows grouped by cohort: the cost of
-- reading and grouping them (informational).
SELECT bench_compare(
	ARRAY['cohorts: curve vs count(*)'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT cohort,
		retention_curve(user_id, signup, at, '1 month', 12) AS x
		FROM activity GROUP BY 1) s$q$,
	ARRAY[$q$SELECT count(x) FROM (SELECT cohort, count(*) AS x
		FROM activity GROUP BY 1) s$q$],
	ARRAY[2.0], informational => true);

-- The second step alone: cohorts from the 1 M stored activity summaries.
SELECT bench_compare(
	ARRAY['stored summaries: retention_agg vs count(*)'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT cohort, retention_agg(a) AS x
		FROM user_activity GROUP BY 1) s$q$,
	ARRAY[$q$SELECT count(x) FROM (SELECT cohort, count(*) AS x
		FROM user_activity GROUP BY 1) s$q$],
	ARRAY[3.0], informational => true);

-- Entity ids of any type (issue 13): the one-step curve over the same users'
-- text and uuid ids against their bigint ids, the same rows (activity_ids):
-- a text or uuid id costs a dictionary lookup of its bytes per row; target
-- within 1.3 times the bigint curve.
SELECT bench_compare(
	ARRAY['ids: text curve vs bigint curve'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT cohort,
		retention_curve(user_text, signup, at, '1 month', 12) AS x
		FROM activity_ids GROUP BY 1) s$q$,
	ARRAY[$q$SELECT count(x) FROM (SELECT cohort,
		retention_curve(user_id, signup, at, '1 month', 12) AS x
		FROM activity_ids GROUP BY 1) s$q$],
	ARRAY[1.3]);
SELECT bench_compare(
	ARRAY['ids: uuid curve vs bigint curve'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT cohort,
		retention_curve(user_uuid, signup, at, '1 month', 12) AS x
		FROM activity_ids GROUP BY 1) s$q$,
	ARRAY[$q$SELECT count(x) FROM (SELECT cohort,
		retention_curve(user_id, signup, at, '1 month', 12) AS x
		FROM activity_ids GROUP BY 1) s$q$],
	ARRAY[1.3]);

-- Currencies (issue 15): mrr_agg recording a currency against the same
-- aggregate without one, the same rows: the currency costs three bytes
-- compared per row; target within 1.1 times.  Exact numeric amounts are
-- read from their digits (a numeric multiplication only past 4 decimals or
-- 16 digits): informational.
SELECT bench_compare(
	ARRAY['mrr: currency vs none'], :workers, :reps,
	$q$SELECT length(mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 12, 'UTC', currency)::text) FROM mrr_rows$q$,
	ARRAY[$q$SELECT length(mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 12, 'UTC')::text) FROM mrr_rows$q$],
	ARRAY[1.1]);
SELECT bench_compare(
	ARRAY['mrr: numeric amounts vs float8'], :workers, :reps,
	$q$SELECT length(mrr_agg(customer, month, mrr_num, '2024-01-01', '1 month', 12, 'UTC', currency)::text) FROM mrr_rows$q$,
	ARRAY[$q$SELECT length(mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 12, 'UTC', currency)::text) FROM mrr_rows$q$],
	ARRAY[2.0], informational => true);
