--
-- Funnel time to convert: funnel_agg(path, from_step, to_step) (the two-step
-- funnel between any two steps), funnel_time_histogram (PostHog's
-- time-to-convert bins, or bins of a given width) and
-- funnel_converted_within.  Values worked by hand in the comments, each
-- cross-checked in this file against plain SQL over the same paths
-- (percentile_cont, count FILTER, floor division); PostHog's test cases
-- ported with their expected bins; a funnel of more than 10,000 times
-- (histogram mode) within 1 % of plain SQL; forced parallel = serial.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- Eight entities of a three-step funnel (visit, signup, purchase), as
-- funnel_path returns them, and one NULL path (no entity).  Times from step
-- 1 to step 3: 1800 s (7), 10800 s (1), 86400.5 s (8), 169200 s (3);
-- from step 2 to step 3: 1800 s (7), 7200 s (1), 43200.5 s (8), 86400 s (3).
CREATE TABLE ftime_paths (id integer, path timestamptz[]);
INSERT INTO ftime_paths VALUES
	(1, '{2021-06-08 18:00, 2021-06-08 19:00, 2021-06-08 21:00}'),
	(2, '{2021-06-09 13:00, 2021-06-09 13:37, NULL}'),
	(3, '{2021-06-11 07:00, 2021-06-12 06:00, 2021-06-13 06:00}'),
	(4, '{2021-06-10 00:00, NULL, NULL}'),
	(5, '{NULL, NULL, NULL}'),
	(6, NULL),
	(7, '{2021-06-10 10:00, 2021-06-10 10:00, 2021-06-10 10:30}'),
	(8, '{2021-06-10 00:00, 2021-06-10 12:00, 2021-06-11 00:00:00.5}');

-- Step 1 -> 3: 7 entities (non-NULL paths, as funnel_agg(path) counts
-- them), 6 reached step 1 (1, 2, 3, 4, 7, 8), 4 reached step 3 (1, 3, 7, 8)
SELECT funnel_agg(path, 1, 3) FROM ftime_paths;
SELECT funnel_entities(s), funnel_reached(s, 1), funnel_reached(s, 2), funnel_time_is_exact(s, 2),
	rate(funnel_conversion_proportion(s, 1, 2)) = 4 / 6::float8 AS rate_4_of_6
FROM (SELECT funnel_agg(path, 1, 3) AS s FROM ftime_paths) x;
-- funnel_agg(path) counts the same entities and reached steps
SELECT funnel_entities(a) = funnel_entities(p) AS same_entities,
	funnel_reached(a, 1) = funnel_reached(p, 1) AS same_first, funnel_reached(a, 2) = funnel_reached(p, 3) AS same_last
FROM (SELECT funnel_agg(path, 1, 3) AS a, funnel_agg(path) AS p FROM ftime_paths) x;

-- Percentiles, exact: median (10800 + 86400.5) / 2 = 48600.25 s = 13:30:00.25;
-- quartile 0.25: 1800 + 0.75 * 9000 = 8550 s = 02:22:30; max 169200 s = 47:00:00
SELECT funnel_median_time(s, 2), funnel_time_quantile(s, 2, 0.25), funnel_time_quantile(s, 2, 1)
FROM (SELECT funnel_agg(path, 1, 3) AS s FROM ftime_paths) x;
-- the same as percentile_cont over path[3] - path[1]
SELECT funnel_median_time(s, 2) = m AS median_matches, funnel_time_quantile(s, 2, 0.25) = q AS quartile_matches
FROM (SELECT funnel_agg(path, 1, 3) AS s FROM ftime_paths) x,
	(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY path[3] - path[1]) AS m,
		percentile_cont(0.25) WITHIN GROUP (ORDER BY path[3] - path[1]) AS q
	 FROM ftime_paths WHERE path[3] IS NOT NULL) p;
-- consecutive steps: funnel_agg(path, 2, 3) has funnel_agg(path)'s step-3 times
SELECT funnel_median_time(a, 2) AS median_2_3, funnel_median_time(a, 2) = funnel_median_time(p, 3) AS same_median,
	funnel_time_quantile(a, 2, 0.9) = funnel_time_quantile(p, 3, 0.9) AS same_p90, funnel_reached(a, 1) AS reached_2
FROM (SELECT funnel_agg(path, 2, 3) AS a, funnel_agg(path) AS p FROM ftime_paths) x;

-- PostHog's histogram, automatic: 4 times -> ceil(cbrt(4)) = 2 bins;
-- floor(min) = 1800 s, ceil(max) = 169200 s, width ceil(167400 / 2) = 83700 s;
-- 3 half-open bins from 1800 s: [1800, 85500) 2 (1800, 10800),
-- [85500, 169200) 1 (86400.5), [169200, 252900) 1 (169200)
SELECT bin, lower, upper, entities, share, cumulative_share
FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 3) FROM ftime_paths), 2);
-- bins NULL is the automatic count, as the default
SELECT count(*) AS rows_auto FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 3) FROM ftime_paths), 2, NULL::integer);
-- 3 bins: width ceil(167400 / 3) = 55800 s: [1800, 57600) 2, [57600, 113400) 1,
-- [113400, 169200) 0, [169200, 225000) 1
SELECT bin, extract(epoch FROM lower)::bigint AS lower_s, extract(epoch FROM upper)::bigint AS upper_s, entities
FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 3) FROM ftime_paths), 2, 3);
-- the same bins by plain SQL: floor((t - 1800 s) / 55800 s) over the times
SELECT count(*) FILTER (WHERE h.entities = p.n) AS bins_matching, count(*) AS bins
FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 3) FROM ftime_paths), 2, 3) h
LEFT JOIN LATERAL (SELECT count(*) AS n FROM ftime_paths
	WHERE path[3] IS NOT NULL
	  AND floor((extract(epoch FROM path[3] - path[1]) - 1800) / 55800) + 1 = h.bin) p ON true;

-- Bins of a width, aligned at 0: one day: [0, 1 day) 2 (1800, 10800),
-- [1 day, 2 days) 2 (86400.5, 169200)
SELECT bin, lower, upper, entities, share, cumulative_share
FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 3) FROM ftime_paths), 2, interval '1 day');
-- 12 hours: bins 0..3 of 43200 s: 2, 0, 1, 1; a day is 24 hours
SELECT bin, lower, upper, entities
FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 3) FROM ftime_paths), 2, interval '12 hours');
-- the same counts as width_bucket-style plain SQL, floor(t / 43200 s)
SELECT array_agg(n ORDER BY b) AS plain_sql_counts
FROM (SELECT b, count(t) AS n FROM generate_series(0, 3) b
	LEFT JOIN (SELECT floor(extract(epoch FROM path[3] - path[1]) / 43200) AS t FROM ftime_paths
		WHERE path[3] IS NOT NULL) x ON x.t = b GROUP BY b) y;

-- Converted within: of the 6 that reached step 1, those that reached step 3
-- at most within after it: 1 day: 2 (86400.5 s is half a second too late);
-- 1 day 0.5 s: 3 (inclusive); 7 days: 4; 0: none
SELECT w, successes(c), trials(c), rate(c)
FROM unnest(ARRAY[interval '1 day', interval '1 day 00:00:00.5', interval '7 days', interval '0']) w,
	LATERAL (SELECT funnel_converted_within(funnel_agg(path, 1, 3), 2, w) AS c FROM ftime_paths) x;
-- plain SQL: count FILTER over path[3] - path[1] <= within, of path[1] IS NOT NULL
SELECT w, successes(c) = p.ok AND trials(c) = p.n AS matches
FROM unnest(ARRAY[interval '1 day', interval '1 day 00:00:00.5', interval '7 days', interval '0']) w,
	LATERAL (SELECT funnel_converted_within(funnel_agg(path, 1, 3), 2, w) AS c FROM ftime_paths) x,
	LATERAL (SELECT count(*) FILTER (WHERE path[3] - path[1] <= w) AS ok, count(*) FILTER (WHERE path[1] IS NOT NULL) AS n
		FROM ftime_paths) p;
-- a rate like any other: rate_ci and proportion_compare apply.  Wilson at
-- z = 1.959964 for 2 of 6: (1/3 + z^2/12 -+ z sqrt(1/3 * 2/3 / 6 + z^2/144))
-- / (1 + z^2/6) = (0.653455 -+ 0.494726) / 1.640243 = 0.096771, 0.700007
SELECT round(lower::numeric, 6) AS lower, round(upper::numeric, 6) AS upper
FROM rate_ci((SELECT funnel_converted_within(funnel_agg(path, 1, 3), 2, interval '1 day') FROM ftime_paths));
-- on the three-step summary of funnel_agg(path): step 3 from step 2 (5 reached
-- step 2; within 12 hours: 1800, 7200 s; 43200.5 s is not)
SELECT successes(c), trials(c) FROM (SELECT funnel_converted_within(funnel_agg(path), 3, interval '12 hours') AS c
	FROM ftime_paths) x;

-- NULL and empty: no rows, no times: no histogram rows, converted within 0 of 0
SELECT funnel_agg(path, 1, 3) IS NULL AS null_without_rows FROM ftime_paths WHERE id < 0;
SELECT funnel_agg(path, 1, 3) FROM ftime_paths WHERE id IN (4, 5, 6);
SELECT count(*) AS rows_without_times
FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 3) FROM ftime_paths WHERE id IN (4, 5, 6)), 2);
SELECT funnel_converted_within(funnel_agg(path, 1, 3), 2, interval '1 day') FROM ftime_paths WHERE id IN (4, 5, 6);
SELECT count(*) AS rows_of_null FROM funnel_time_histogram(NULL::funnel_summary, 2);
SELECT count(*) AS rows_of_null_width FROM funnel_time_histogram(NULL::funnel_summary, 2, interval '1 day');
SELECT funnel_converted_within(NULL, 2, interval '1 day') IS NULL AS null_summary;
-- one time: the bin width is PostHog's 60 s fallback
SELECT bin, lower, upper, entities FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 3) FROM ftime_paths WHERE id = 7), 2);

--
-- PostHog's cases, from posthog/hogql_queries/insights/funnels/test/
-- test_funnel_time_to_convert.py (PostHog/posthog, commit 0751027339fe):
-- steps one, two, three; from step 0 to step 1 (our steps 1 -> 2).  Users a
-- (3600 s), b (2220 s; the comment says 2200, the events are 37 minutes
-- apart), c (82800 s).  Expected bins (lower bound in seconds, persons):
-- test_auto_bin_count_single_step: [2220, 2], [42510, 0], [82800, 1];
-- test_custom_bin_count_single_step (bin_count 7): [2220, 2], [13732, 0],
-- [25244, 0], [36756, 0], [48268, 0], [59780, 0], [71292, 1], [82804, 0].
-- test_basic_strict gives the auto bins too (user d's conversion is broken
-- by another event: strict_order here).
CREATE TABLE ftime_posthog (person text, event text, ts timestamptz);
INSERT INTO ftime_posthog VALUES
	('a', 'step one', '2021-06-08 18:00:00'), ('a', 'step two', '2021-06-08 19:00:00'),
	('a', 'step three', '2021-06-08 21:00:00'),
	('b', 'step one', '2021-06-09 13:00:00'), ('b', 'step two', '2021-06-09 13:37:00'),
	('b', 'blah', '2021-06-09 13:38:00'), ('b', 'step three', '2021-06-09 13:39:00'),
	('c', 'step one', '2021-06-11 07:00:00'), ('c', 'step two', '2021-06-12 06:00:00'),
	('d', 'step one', '2021-06-11 07:00:00'), ('d', 'blah', '2021-06-12 07:00:00'),
	('d', 'step two', '2021-06-12 09:00:00');
-- test_auto_bin_count_single_step and test_custom_bin_count_single_step
-- have neither "blah" nor user d: an ordered funnel (default mode)
CREATE TABLE ftime_posthog_paths AS
SELECT person, funnel_path(interval '7 days', '', ts, false,
	event = 'step one', event = 'step two', event = 'step three') AS path
FROM ftime_posthog WHERE person <> 'd' AND event <> 'blah' GROUP BY person;
-- test_basic_strict: all the events, strict order
CREATE TABLE ftime_posthog_strict AS
SELECT person, funnel_path(interval '7 days', 'strict_order', ts, false,
	event = 'step one', event = 'step two', event = 'step three') AS path
FROM ftime_posthog GROUP BY person;
SELECT person, path FROM ftime_posthog_strict ORDER BY person;
-- test_auto_bin_count_single_step
SELECT extract(epoch FROM lower)::bigint AS bin_from_seconds, entities AS person_count
FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 2) FROM ftime_posthog_paths), 2);
-- test_custom_bin_count_single_step: 7 bins (+ 1)
SELECT extract(epoch FROM lower)::bigint AS bin_from_seconds, entities AS person_count
FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 2) FROM ftime_posthog_paths), 2, 7);
-- test_basic_strict: b's "blah" after step two and d's between its steps;
-- strict_order ends d's funnel at "blah": a, b, c convert
SELECT extract(epoch FROM lower)::bigint AS bin_from_seconds, entities AS person_count
FROM funnel_time_histogram((SELECT funnel_agg(path, 1, 2) FROM ftime_posthog_strict), 2);
-- and PostHog's average_conversion_time 29540 s = (3600 + 2220 + 82800) / 3,
-- by plain SQL over the same paths
SELECT avg(extract(epoch FROM path[2] - path[1]))::numeric(10, 2) AS average_conversion_time
FROM ftime_posthog_strict WHERE path[2] IS NOT NULL;

-- test_funnel_time_to_convert_bins.py (PostHog/posthog, commit 9728f99b29db):
-- compute_shared_bin_boundaries' lower bounds (bins + 1 of them).
-- Range [50, 300] s, 27 samples -> ceil(cbrt(27)) = 3 bins, width
-- ceil(250 / 3) = 84: 50, 134, 218, 302 (27 is a perfect cube: no 4th bin)
CREATE TABLE ftime_cube AS
SELECT i, ARRAY[timestamptz '2021-01-01', timestamptz '2021-01-01'
	+ (CASE WHEN i = 1 THEN 50 WHEN i = 27 THEN 300 ELSE 50 + i * 9 END) * interval '1 second'] AS path
FROM generate_series(1, 27) i;
SELECT array_agg(extract(epoch FROM lower)::bigint ORDER BY bin) AS boundaries
FROM funnel_time_histogram((SELECT funnel_agg(path) FROM ftime_cube), 2);
-- [100, 200] s, 8 samples -> 2 bins, width 50: 100, 150, 200
SELECT array_agg(extract(epoch FROM lower)::bigint ORDER BY bin) AS boundaries
FROM funnel_time_histogram((SELECT funnel_agg(ARRAY[timestamptz '2021-01-01', timestamptz '2021-01-01'
	+ (100 + (i - 1) * 100 / 7) * interval '1 second']) FROM generate_series(1, 8) i), 2);
-- [0, 100] s, 8 samples, 4 bins: width 25: 0, 25, 50, 75, 100
SELECT array_agg(extract(epoch FROM lower)::bigint ORDER BY bin) AS boundaries
FROM funnel_time_histogram((SELECT funnel_agg(ARRAY[timestamptz '2021-01-01', timestamptz '2021-01-01'
	+ ((i - 1) * 100 / 7) * interval '1 second']) FROM generate_series(1, 8) i), 2, 4);

--
-- More than 10,000 times: a histogram pair.  30,000 entities, step 1 -> 3
-- times spread over 0..~10 days, with some zero times.  Each log bucket is
-- counted in the bin of the value it reads back as, within 1 % of every
-- time in it: a bin [lo, hi) holds at least the times in [lo / 0.99,
-- hi / 1.01) and at most those in [lo / 1.01, hi / 0.99).
CREATE TABLE ftime_big AS
SELECT i, ARRAY[t0, t0,
	t0 + CASE WHEN i % 97 = 0 THEN interval '0' ELSE ((i * 7919) % 864000) * interval '1 second' + i * interval '1 microsecond' END] AS path
FROM (SELECT i, timestamptz '2025-01-01' + i * interval '1 minute' AS t0 FROM generate_series(1, 30000) i) x;
CREATE TABLE ftime_big_s AS SELECT funnel_agg(path, 1, 3) AS s FROM ftime_big;
CREATE TABLE ftime_big_t AS SELECT extract(epoch FROM path[3] - path[1])::float8 AS t FROM ftime_big;
SELECT funnel_time_is_exact(s, 2) AS exact, funnel_reached(s, 2) FROM ftime_big_s;
SELECT count(*) AS bins, sum(entities) AS times,
	count(*) FILTER (WHERE entities BETWEEN lo_n AND hi_n) AS bins_within_1pc
FROM funnel_time_histogram((SELECT s FROM ftime_big_s), 2, interval '1 day') h,
	LATERAL (SELECT count(*) FILTER (WHERE t >= extract(epoch FROM h.lower) / 0.99 AND t < extract(epoch FROM h.upper) / 1.01) AS lo_n,
		count(*) FILTER (WHERE t >= extract(epoch FROM h.lower) / 1.01 AND t < extract(epoch FROM h.upper) / 0.99) AS hi_n
		FROM ftime_big_t) p;
SELECT count(*) AS bins, sum(entities) AS times,
	count(*) FILTER (WHERE entities BETWEEN lo_n AND hi_n) AS bins_within_1pc
FROM funnel_time_histogram((SELECT s FROM ftime_big_s), 2) h,
	LATERAL (SELECT count(*) FILTER (WHERE t >= extract(epoch FROM h.lower) / 0.99 AND t < extract(epoch FROM h.upper) / 1.01) AS lo_n,
		count(*) FILTER (WHERE t >= extract(epoch FROM h.lower) / 1.01 AND t < extract(epoch FROM h.upper) / 0.99) AS hi_n
		FROM ftime_big_t) p;
SELECT w, trials(c), successes(c) BETWEEN lo_n AND hi_n AS within_1pc
FROM unnest(ARRAY[interval '1 hour', interval '1 day', interval '3 days', interval '7 days']) w,
	LATERAL (SELECT funnel_converted_within(s, 2, w) AS c FROM ftime_big_s) x,
	LATERAL (SELECT count(*) FILTER (WHERE t <= extract(epoch FROM w) / 1.01) AS lo_n,
		count(*) FILTER (WHERE t <= extract(epoch FROM w) / 0.99) AS hi_n FROM ftime_big_t) p;
-- the same 30,000 paths merged from 3 parts (rollup) give the same summary
SELECT rollup(s)::text = (SELECT s::text FROM ftime_big_s) AS rollup_same
FROM (SELECT funnel_agg(path, 1, 3)::text::funnel_summary AS s FROM ftime_big GROUP BY i % 3) x;

--
-- Forced parallel = serial, including zero rows
--
CREATE TABLE ftime_par AS
SELECT i, i % 50 AS grp, ARRAY[t0, t0 + (i % 11) * interval '1 hour',
	CASE WHEN i % 3 = 0 THEN NULL ELSE t0 + (i % 11) * interval '1 hour' + (i % 13) * interval '1 day' END] AS path
FROM (SELECT i, timestamptz '2025-01-01' + i * interval '1 minute' AS t0 FROM generate_series(1, 40000) i) x;
ANALYZE ftime_par;
CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('pair summary', $$SELECT funnel_agg(path, 1, 3)::text FROM ftime_par$$),
	('pair summary by group', $$SELECT grp, funnel_agg(path, 2, 3)::text FROM ftime_par GROUP BY 1 ORDER BY 1$$),
	('pair summary, no rows', $$SELECT funnel_agg(path, 1, 3)::text FROM ftime_par WHERE i + 0 < 0$$),
	('histogram', $$SELECT h.* FROM (SELECT funnel_agg(path, 1, 3) AS s FROM ftime_par) x,
		funnel_time_histogram(x.s, 2) h$$);
\set ECHO none
\i test/parallel.sql
\set ECHO all
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();
SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;
-- no rows: a NULL summary both ways (the row of one NULL column)
SELECT s.result, p.result AS parallel FROM serial_results s JOIN parallel_results p USING (name)
WHERE name = 'pair summary, no rows';
