-- bench/conversion/measure.sql: the conversion family's comparisons at one
-- worker setting.  Run by bench/run with psql -v workers=0|2 -v reps=N after
-- setup.sql.  Each line printed is a row of bench_result.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

-- Conversion rate: against avg(converted::int), the SQL an analyst writes,
-- and against count(converted), the scan's own cost.
SELECT bench_compare(
	ARRAY['conversion_rate vs avg(converted::int)', 'conversion_rate vs count(converted)'], :workers, :reps,
	$q$SELECT conversion_rate(converted) FROM events$q$,
	ARRAY[$q$SELECT avg(converted::int) FROM events$q$,
		$q$SELECT count(converted) FROM events$q$],
	ARRAY[1.1, 1.15]);

-- The funnel report: users reaching at least each of 4 steps within 7 days
-- of step 1.  Ours: window_funnel per user, then count(level >= k); the
-- baseline: the same counts over the plain-SQL levels (sql_funnel_levels in
-- setup.sql).  Target: at least 5 times faster.  Also against count(*) per
-- user over the same rows, to show what the grouping itself costs.
SELECT bench_compare(
	ARRAY['funnel 4 steps 7d vs plain SQL', 'funnel 4 steps 7d vs count(*) per user'], :workers, :reps,
	$q$SELECT count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
		count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)
	FROM (SELECT user_id, window_funnel(interval '7 days', ts,
		step = 1, step = 2, step = 3, step = 4) AS level FROM events GROUP BY user_id) x$q$,
	ARRAY[$q$SELECT count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
		count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)
	FROM sql_funnel_levels$q$,
		$q$SELECT count(x) FROM (SELECT user_id, count(*) AS x FROM events GROUP BY user_id) s$q$],
	ARRAY[0.2, 3.0], expect_parallel => false);

-- The unordered funnel (window_funnel mode unordered): users doing at least
-- k of the 4 steps in any order within 7 days.  Baseline: the same counts
-- over the analyst's plain SQL (sql_unordered_levels in setup.sql: an EXISTS
-- per step from every step event).  Target: at least 5 times faster (timed
-- once, 1M rows serial on a busy machine: 420-455 ms against 6,390 ms).
SELECT bench_compare(
	ARRAY['unordered funnel 4 steps 7d vs plain SQL'], :workers, :reps,
	$q$SELECT count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
		count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)
	FROM (SELECT user_id, window_funnel(interval '7 days', 'unordered', ts,
		step = 1, step = 2, step = 3, step = 4) AS level FROM events GROUP BY user_id) x$q$,
	ARRAY[$q$SELECT count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
		count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)
	FROM sql_unordered_levels$q$],
	ARRAY[0.2], expect_parallel => false);

-- The full report with times (funnel_path + funnel_agg), against the
-- level-only funnel (informational: what the timestamps and histograms cost).
SELECT bench_compare(
	ARRAY['funnel_agg(funnel_path) vs window_funnel report'], :workers, :reps,
	$q$SELECT count(*) FROM funnel_steps((SELECT funnel_agg(p) FROM (SELECT user_id,
		funnel_path(interval '7 days', 'default', ts, false, step = 1, step = 2, step = 3, step = 4) AS p
		FROM events GROUP BY user_id) x))$q$,
	ARRAY[$q$SELECT count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
		count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)
	FROM (SELECT user_id, window_funnel(interval '7 days', ts,
		step = 1, step = 2, step = 3, step = 4) AS level FROM events GROUP BY user_id) x$q$],
	ARRAY[1.5], informational => true, expect_parallel => false);

-- Sequences: users with a purchase (step 4) within a day after a visit
-- (step 1), other events allowed between.  Ours: sequence_match per user;
-- the baseline: the self-join an analyst writes, an EXISTS over pairs of
-- events with the index on (user_id, step, ts) (sanity.sql checks them
-- equal user by user).  Target: no slower than 1.1 times (timed once, 1M
-- rows serial: 480-530 ms against 540 ms for the self-join).
SELECT bench_compare(
	ARRAY['sequence_match (?1)(?t<=86400)(?2) vs self-join'], :workers, :reps,
	$q$SELECT count(*) FILTER (WHERE m) FROM (SELECT user_id,
		sequence_match('(?1)(?t<=86400)(?2)', ts, step = 1, step = 4) AS m FROM events GROUP BY user_id) x$q$,
	ARRAY[$q$SELECT count(*) FROM users u WHERE EXISTS (SELECT 1 FROM events a JOIN events b
		ON b.user_id = a.user_id AND b.step = 4 AND b.ts >= a.ts AND b.ts <= a.ts + interval '1 day'
		WHERE a.user_id = u.user_id AND a.step = 1)$q$],
	ARRAY[1.1], expect_parallel => false);

-- Time to convert from visit (step 1) to purchase (step 4) in one-hour bins:
-- funnel_agg(path, 1, 4) + funnel_time_histogram against the plain SQL
-- histogram, width_bucket over path[4] - path[1] with count(*) per bin
-- (sanity.sql checks them equal while the times are exact).  Timed once,
-- --rows 1000000 --reps 3 (100,000 paths), load ~4.5: serial 11.0 ms against
-- 10.3 ms; at 2 workers 19.3 ms against 10.1 ms, the start-up of the
-- parallel plan the planner picks for ours on so small a table (the
-- baseline stays serial).
SELECT bench_compare(
	ARRAY['funnel_agg(path, 1, 4) + funnel_time_histogram vs width_bucket'], :workers, :reps,
	$q$SELECT count(*) FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 4) FROM user_paths), 2,
		interval '1 hour')$q$,
	ARRAY[$q$SELECT count(*) FROM (SELECT width_bucket(extract(epoch FROM path[4] - path[1])::float8, 0, 604800, 168) AS b,
		count(*) FROM user_paths WHERE path[4] IS NOT NULL GROUP BY b) x$q$],
	ARRAY[1.5]);

-- Funnel broken down by first-touch source: users reaching each of 4 steps
-- within 7 days, per source of their earliest step event (source: a text
-- property computed from the timestamp, the same expression on both sides).
-- Ours: window_funnel and funnel_breakdown in one GROUP BY user_id; the
-- baseline: the plain-SQL levels joined with each user's first touch by
-- DISTINCT ON (sanity.sql checks them equal).  Informational (timed once,
-- 1M rows, load average 5: 1,690 ms against 5,370 ms serial, 1,440 against
-- 3,200 ms with 2 workers).
SELECT bench_compare(
	ARRAY['funnel_breakdown first_touch vs plain SQL'], :workers, :reps,
	$q$SELECT src, count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
		count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)
	FROM (SELECT user_id, window_funnel(interval '7 days', ts, step = 1, step = 2, step = 3, step = 4) AS level,
		funnel_breakdown(interval '7 days', 'default', 'first_touch', ts,
			(ARRAY['ads', 'seo', 'mail', 'direct'])[1 + (extract(epoch FROM ts)::bigint % 4)::int], false,
			step = 1, step = 2, step = 3, step = 4) AS src
		FROM events GROUP BY user_id) x GROUP BY src$q$,
	ARRAY[$q$SELECT src, count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
		count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)
	FROM sql_funnel_levels l LEFT JOIN (SELECT DISTINCT ON (user_id) user_id,
			(ARRAY['ads', 'seo', 'mail', 'direct'])[1 + (extract(epoch FROM ts)::bigint % 4)::int] AS src
		FROM events WHERE step BETWEEN 1 AND 4 ORDER BY user_id, ts) f USING (user_id)
	GROUP BY src$q$],
	ARRAY[1.0], informational => true, expect_parallel => false);
