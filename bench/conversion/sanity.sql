-- bench/conversion/sanity.sql: the timed queries give the right answers.
-- Run by bench/run after setup.sql.  Prints one line per check, "ok" or
-- "MISMATCH".  The funnel check compares the per-user levels with the plain
-- SQL's (the view sql_funnel_levels), on the first 20,000 users.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

SELECT bench_check('conversion_rate = avg(converted::int)', a = b, format('%s vs %s', a, b))
FROM (SELECT conversion_rate(converted) AS a, avg(converted::int)::float8 AS b FROM events) s;

SELECT bench_check('window_funnel = plain SQL, per user', count(*) FILTER (WHERE a IS DISTINCT FROM b) = 0,
	format('%s users, %s differ', count(*), count(*) FILTER (WHERE a IS DISTINCT FROM b)))
FROM (SELECT user_id, window_funnel(interval '7 days', ts, step = 1, step = 2, step = 3, step = 4) AS a
	FROM events WHERE user_id <= 20000 GROUP BY user_id) o
FULL JOIN (SELECT user_id, level AS b FROM sql_funnel_levels WHERE user_id <= 20000) p USING (user_id);

SELECT bench_check('unordered window_funnel = plain SQL, per user', count(*) FILTER (WHERE a IS DISTINCT FROM b) = 0,
	format('%s users, %s differ', count(*), count(*) FILTER (WHERE a IS DISTINCT FROM b)))
FROM (SELECT user_id, window_funnel(interval '7 days', 'unordered', ts, step = 1, step = 2, step = 3, step = 4) AS a
	FROM events WHERE user_id <= 20000 GROUP BY user_id) o
FULL JOIN (SELECT user_id, level AS b FROM sql_unordered_levels WHERE user_id <= 20000) p USING (user_id);

SELECT bench_check('funnel_agg counts = count(level >= k)', a = b, format('%s vs %s', a, b))
FROM (SELECT (SELECT array_agg(entities ORDER BY step) FROM funnel_steps(funnel_agg(level, 4)))::text AS a,
		ARRAY[count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
			count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)]::text AS b
	FROM (SELECT user_id, window_funnel(interval '7 days', ts, step = 1, step = 2, step = 3, step = 4) AS level
		FROM events GROUP BY user_id) x) s;

SELECT bench_check('sequence_match = self-join, per user', count(*) FILTER (WHERE a IS DISTINCT FROM b) = 0,
	format('%s users, %s differ', count(*), count(*) FILTER (WHERE a IS DISTINCT FROM b)))
FROM (SELECT user_id, sequence_match('(?1)(?t<=86400)(?2)', ts, step = 1, step = 4) AS a
	FROM events WHERE user_id <= 20000 GROUP BY user_id) o
FULL JOIN (SELECT user_id, EXISTS (SELECT 1 FROM events a JOIN events b
		ON b.user_id = a.user_id AND b.step = 4 AND b.ts >= a.ts AND b.ts <= a.ts + interval '1 day'
		WHERE a.user_id = u.user_id AND a.step = 1) AS b
	FROM users u WHERE user_id <= 20000) p USING (user_id);

SELECT bench_check('funnel_time_histogram = width_bucket counts (exact times)', a = b, format('%s vs %s', a, b))
FROM (SELECT (SELECT array_agg(entities ORDER BY bin) FILTER (WHERE entities > 0)
		FROM funnel_time_histogram(funnel_agg(path, 1, 4), 2, interval '1 hour'))::text
		|| CASE WHEN funnel_time_is_exact(funnel_agg(path, 1, 4), 2) THEN '' ELSE ' (not exact)' END AS a
	FROM user_paths WHERE user_id <= 20000) o,
	(SELECT array_agg(n ORDER BY b)::text AS b FROM (SELECT width_bucket(extract(epoch FROM path[4] - path[1])::float8,
		0, 604800, 168) AS b, count(*) AS n FROM user_paths WHERE user_id <= 20000 AND path[4] IS NOT NULL GROUP BY b) x) p;
SELECT bench_check('funnel_breakdown first_touch = DISTINCT ON, per user', count(*) FILTER (WHERE a IS DISTINCT FROM b) = 0,
	format('%s users, %s differ', count(*), count(*) FILTER (WHERE a IS DISTINCT FROM b)))
FROM (SELECT user_id, funnel_breakdown(interval '7 days', 'default', 'first_touch', ts,
		(ARRAY['ads', 'seo', 'mail', 'direct'])[1 + (extract(epoch FROM ts)::bigint % 4)::int], false,
		step = 1, step = 2, step = 3, step = 4) AS a
	FROM events WHERE user_id <= 20000 GROUP BY user_id) o
FULL JOIN (SELECT DISTINCT ON (user_id) user_id,
		(ARRAY['ads', 'seo', 'mail', 'direct'])[1 + (extract(epoch FROM ts)::bigint % 4)::int] AS b
	FROM events WHERE user_id <= 20000 AND step BETWEEN 1 AND 4 ORDER BY user_id, ts) p USING (user_id);
