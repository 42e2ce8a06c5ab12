-- bench/sanity.sql: a benchmark of wrong answers is worthless, so check the
-- figures of the timed queries against plain SQL once, untimed.  Run by
-- bench/run after setup.sql.  Prints one line per check, "ok" or "MISMATCH".
--
-- Every check is a plain SELECT: INSERT ... SELECT would never get a
-- parallel plan, and the 2-worker checks are there to exercise the combine
-- function.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

-- Whole table and 100,000 groups, serial and with 2 workers.
SELECT bench_workers(0) \gset
\set label 'serial'
\ir sanity_scan.sql
SELECT bench_workers(2) \gset
\set label '2 workers'
\ir sanity_scan.sql
SELECT bench_workers(0) \gset

-- Rolling window (exercises the inverse transition function).
SELECT bench_check('window 30d: nps OVER w = analyst SQL', count(*) FILTER (WHERE NOT same) = 0,
	format('%s rows, %s differ', count(*), count(*) FILTER (WHERE NOT same)))
FROM (SELECT a IS NOT DISTINCT FROM b OR abs(a - b) < 1e-9 AS same
	FROM (SELECT nps(score) OVER w AS a,
		(100.0 * (count(*) FILTER (WHERE score >= 9) OVER w
			- count(*) FILTER (WHERE score <= 6) OVER w)
			/ nullif(count(score) OVER w, 0))::float8 AS b
		FROM responses_1m
		WINDOW w AS (ORDER BY answered_at
			RANGE BETWEEN '30 days' PRECEDING AND CURRENT ROW)) w) s;

-- Stored summaries: all of them roll up to the whole table.
SELECT bench_check('rollup(all daily summaries) = nps(score)', abs(a - b) < 1e-9,
	format('%s vs %s', a, b))
FROM (SELECT (SELECT nps(rollup(s)) FROM daily_all) AS a,
	(SELECT nps(score) FROM responses) AS b) s;
SELECT bench_check('daily: 10,000 summaries', n = 10000 OR n = (SELECT count(*) FROM daily_all),
	format('%s summaries of %s', n, (SELECT count(*) FROM daily_all)))
FROM (SELECT count(*) AS n FROM daily) s;
