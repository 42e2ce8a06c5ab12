-- Funnel time to convert: SQLSTATEs of every error of funnel_agg(path,
-- from_step, to_step), funnel_time_histogram and funnel_converted_within
-- (values: sql/funnel_time.sql).
BEGIN;
SELECT plan(24);
SET LOCAL TimeZone = 'UTC';

CREATE TEMP TABLE ftap (path timestamptz[]);
INSERT INTO ftap VALUES ('{2021-01-01, 2021-01-02, 2021-01-04}'), ('{2021-01-01, NULL, NULL}'),
	('{2021-01-01, 2021-01-01, 2021-01-01}');
CREATE TEMP TABLE ftap_s AS SELECT funnel_agg(path) AS s3, funnel_agg(path, 1, 3) AS s2,
	funnel_agg(CASE WHEN path[2] IS NULL THEN 1 ELSE 3 END, 3) AS lv FROM ftap;

-- funnel_agg(path, from_step, to_step)
SELECT throws_ok($$SELECT funnel_agg(path, 0, 2) FROM ftap$$, '22023',
	'funnel steps 0 to 2 are out of range for a path of 3 steps', 'from_step 0');
SELECT throws_ok($$SELECT funnel_agg(path, 2, 2) FROM ftap$$, '22023',
	'funnel steps 2 to 2 are out of range for a path of 3 steps', 'from_step = to_step');
SELECT throws_ok($$SELECT funnel_agg(path, 3, 2) FROM ftap$$, '22023', NULL, 'from_step > to_step');
SELECT throws_ok($$SELECT funnel_agg(path, 1, 4) FROM ftap$$, '22023',
	'funnel steps 1 to 4 are out of range for a path of 3 steps', 'to_step beyond the path');
SELECT throws_ok($$SELECT funnel_agg(path, NULL, 2) FROM ftap$$, '22004', 'the funnel steps must not be null',
	'NULL from_step');
SELECT throws_ok($$SELECT funnel_agg(path, 1, NULL) FROM ftap$$, '22004', NULL, 'NULL to_step');
SELECT throws_ok($$SELECT funnel_agg(p, 1, 2) FROM (VALUES ('{2021-01-02, 2021-01-01}'::timestamptz[])) v(p)$$,
	'22023', NULL, 'the checks of funnel_agg(path): steps out of order');
SELECT throws_ok($$SELECT funnel_agg(p, 1, 2) FROM (VALUES ('{NULL, 2021-01-01}'::timestamptz[])) v(p)$$,
	'22023', 'funnel path has step 2 without step 1', 'the checks of funnel_agg(path): a gap');
SELECT throws_ok($$SELECT funnel_agg(p, 1, 2) FROM (VALUES ('{2021-01-01, infinity}'::timestamptz[])) v(p)$$,
	'22008', NULL, 'the checks of funnel_agg(path): an infinite step');
SELECT throws_ok($$SELECT funnel_agg(p, 1, 2) FROM (VALUES ('{{2021-01-01, 2021-01-02}}'::timestamptz[])) v(p)$$,
	'2202E', NULL, 'the checks of funnel_agg(path): two dimensions');
SELECT throws_ok($$SELECT funnel_agg(p, 1, 2) FROM (VALUES ('{4713-01-01 BC, 294276-01-01}'::timestamptz[])) v(p)$$,
	'22008', NULL, 'a time beyond an interval');

-- funnel_time_histogram
SELECT throws_ok($$SELECT * FROM funnel_time_histogram((SELECT s3 FROM ftap_s), 1)$$, '22023',
	'funnel step 1 is out of range for the times of a funnel of 3 steps', 'step 1 has no times');
SELECT throws_ok($$SELECT * FROM funnel_time_histogram((SELECT s3 FROM ftap_s), 4)$$, '22023', NULL, 'step beyond');
SELECT throws_ok($$SELECT * FROM funnel_time_histogram((SELECT s3 FROM ftap_s), 2, 0)$$, '22023',
	'funnel time histogram bins 0 is out of range', 'no bins');
SELECT throws_ok($$SELECT * FROM funnel_time_histogram((SELECT s3 FROM ftap_s), 2, 91)$$, '22023', NULL,
	'more than PostHog''s 90 bins');
SELECT throws_ok($$SELECT * FROM funnel_time_histogram((SELECT s3 FROM ftap_s), 2, interval '0')$$, '22023',
	'funnel time histogram bin width "00:00:00" is not positive', 'zero width');
SELECT throws_ok($$SELECT * FROM funnel_time_histogram((SELECT s3 FROM ftap_s), 2, interval '-1 hour')$$, '22023',
	NULL, 'negative width');
SELECT throws_ok($$SELECT * FROM funnel_time_histogram((SELECT s3 FROM ftap_s), 2, interval '1 month')$$, '22023',
	'funnel time histogram bin width "1 mon" has a month part', 'months');
SELECT throws_ok($$SELECT * FROM funnel_time_histogram((SELECT s3 FROM ftap_s), 2, interval '1 microsecond')$$,
	'22023', 'funnel time histogram would have 86400000001 bins, more than 10000', 'too many bins of a width');
SELECT is((SELECT count(*) FROM funnel_time_histogram((SELECT s3 FROM ftap_s), 2, 90)), 91::bigint,
	'90 bins give 91 rows, as PostHog');

-- funnel_converted_within
SELECT throws_ok($$SELECT funnel_converted_within((SELECT s2 FROM ftap_s), 1, interval '1 day')$$, '22023', NULL,
	'step 1 has no times');
SELECT throws_ok($$SELECT funnel_converted_within((SELECT s2 FROM ftap_s), 2, interval '-1 day')$$, '22023',
	'funnel conversion time "-1 days" is negative', 'negative within');
SELECT throws_ok($$SELECT funnel_converted_within((SELECT s2 FROM ftap_s), 2, interval '1 year')$$, '22023', NULL,
	'months');
SELECT throws_ok($$SELECT funnel_converted_within((SELECT lv FROM ftap_s), 2, interval '1 day')$$, '22023',
	'funnel summary has times for 0 of the 2 entities that reached step 2', 'a summary without times');

SELECT * FROM finish();
ROLLBACK;
