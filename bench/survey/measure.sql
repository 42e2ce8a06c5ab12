-- bench/measure.sql: every comparison at one worker setting.  Run by bench/run
-- with psql -v workers=0|2 -v reps=N after setup.sql.  Each line printed is a
-- row of bench_result: case, workers, ours ms, baseline ms, ratio, target,
-- ok/MISS (medians of reps interleaved runs).
--
-- Grouped and windowed queries are wrapped in an outer count(x) so that one
-- row comes back: the work measured is the aggregation, not sending 100,000
-- rows to the client.  x is referenced, so the planner cannot drop it.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

-- Whole table: nps(score) against the scan's own cost (count(score)) and
-- against the SQL an analyst would write.
SELECT bench_compare(
	ARRAY['nps vs count(score)', 'nps vs analyst SQL'], :workers, :reps,
	$q$SELECT nps(score) FROM responses$q$,
	ARRAY[
		$q$SELECT count(score) FROM responses$q$,
		$q$SELECT 100.0 * (count(*) FILTER (WHERE score >= 9)
			- count(*) FILTER (WHERE score <= 6)) / nullif(count(score), 0)
		FROM responses$q$],
	ARRAY[1.10, 0.8]);

-- GROUP BY 100 and 100,000 groups (informational targets).
SELECT bench_compare(
	ARRAY[g || ': nps vs count(score)', g || ': nps vs analyst SQL'], :workers, :reps,
	format($q$SELECT count(x) FROM (SELECT nps(score) AS x
		FROM responses GROUP BY %I) s$q$, g),
	ARRAY[
		format($q$SELECT count(x) FROM (SELECT count(score) AS x
			FROM responses GROUP BY %I) s$q$, g),
		format($q$SELECT count(x) FROM (SELECT 100.0 * (count(*) FILTER (WHERE score >= 9)
			- count(*) FILTER (WHERE score <= 6)) / nullif(count(score), 0) AS x
		FROM responses GROUP BY %I) s$q$, g)],
	ARRAY[1.15, 0.8], informational => true)
FROM unnest(ARRAY['g100', 'g100k']) WITH ORDINALITY AS u(g, n)
ORDER BY n;

-- 30-day rolling window over 1 M rows: nps(score) OVER w against count(*)
-- OVER w, both moving aggregates (inverse transition functions).  No
-- index-only scan: count(*) alone would read just the index while nps(score)
-- reads the heap; both should read the same rows the same way.
SELECT bench_compare(
	ARRAY['window 30d: nps vs count(*)'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT nps(score) OVER w AS x FROM responses_1m
		WINDOW w AS (ORDER BY answered_at
			RANGE BETWEEN '30 days' PRECEDING AND CURRENT ROW)) s$q$,
	ARRAY[
		$q$SELECT count(x) FROM (SELECT count(*) OVER w AS x FROM responses_1m
			WINDOW w AS (ORDER BY answered_at
				RANGE BETWEEN '30 days' PRECEDING AND CURRENT ROW)) s$q$],
	ARRAY[2.0], expect_parallel => false,
	gucs => ARRAY['enable_indexonlyscan=off']);

-- rollup of 10,000 stored daily summaries; the baseline is recomputing the
-- same figure from the raw rows.  Absolute target: milliseconds.
SELECT bench_compare(
	ARRAY['rollup 10k daily vs raw nps(score)'], :workers, :reps,
	$q$SELECT nps(rollup(s)) FROM daily$q$,
	ARRAY[$q$SELECT nps(score) FROM responses$q$],
	NULL, abs_target_ms => 50, expect_parallel => false);

SELECT bench_compare(
	ARRAY['rollup by month vs raw by month'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT date_trunc('month', day) AS month,
		nps(rollup(s)) AS x FROM daily GROUP BY 1) s$q$,
	ARRAY[$q$SELECT count(x) FROM (SELECT date_trunc('month', answered_at) AS month,
		nps(score) AS x FROM responses GROUP BY 1) s$q$],
	NULL, abs_target_ms => 50, expect_parallel => false);
