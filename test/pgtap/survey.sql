-- Survey KPIs: SQLSTATEs of every error, and values against independent
-- expectations (see sql/survey.sql and test/reference/survey_reference.py).
BEGIN;
SELECT plan(43);

-- values
SELECT is(nps(s), 25::float8, 'nps of 10, 9, 8, 3 is 25')
FROM (SELECT nps_agg(x) AS s FROM unnest('{10,9,8,3}'::int[]) x) y;
SELECT is((SELECT nps(x) FROM unnest('{NULL,NULL}'::int[]) x), NULL, 'nps of only NULLs is NULL');
SELECT is((SELECT nps(x) FROM unnest('{}'::int[]) x), NULL, 'nps of no rows is NULL');
SELECT is((SELECT responses(nps_agg(x)) FROM unnest('{}'::int[]) x), 0::bigint,
	'nps_agg of no rows is an empty summary');
SELECT is((SELECT csat(x) FROM unnest('{5,4,3,2}'::int[]) x), 50::float8, 'csat counts 4 and 5');
SELECT is((SELECT ces(x) FROM unnest('{7,6,2}'::int[]) x), 5::float8, 'ces is the mean');
SELECT is((SELECT round(nps_stderr('{"version":1,"scale":[0,10],"counts":[30,0,0,0,0,0,0,30,0,40,0]}')::numeric, 2)),
	8.31, 'NPS standard error for P=40, D=30, n=100 is 8.31');
SELECT is((SELECT round(lower::numeric, 6) FROM nps_ci('{"version":1,"scale":[0,10],"counts":[30,0,0,0,0,0,0,30,0,40,0]}')),
	-6.271937, 'adjusted Wald lower bound');
SELECT is((SELECT round(upper::numeric, 6) FROM csat_ci('{"version":1,"scale":[0,1],"counts":[90,10]}', 0.9500042097035593, 1)),
	17.436730, 'Wilson upper bound for 10 of 100 at z = 1.96');

-- scores out of range: 22003
SELECT throws_ok($$SELECT nps(x) FROM unnest('{5,11}'::int[]) x$$, '22003',
	'score 11 is out of range for scale 0..10', 'nps rejects 11');
SELECT throws_ok($$SELECT nps(-1)$$, '22003', 'score -1 is out of range for scale 0..10', 'nps rejects -1');
SELECT throws_ok($$SELECT nps_agg(12)$$, '22003', NULL, 'nps_agg rejects 12');
SELECT throws_ok($$SELECT csat(6)$$, '22003', 'score 6 is out of range for scale 1..5', 'csat rejects 6');
SELECT throws_ok($$SELECT csat_agg(0)$$, '22003', NULL, 'csat_agg rejects 0');
SELECT throws_ok($$SELECT ces(0)$$, '22003', 'score 0 is out of range for scale 1..7', 'ces rejects 0');
SELECT throws_ok($$SELECT survey_agg(11, 1, 10)$$, '22003', NULL, 'survey_agg rejects a score off its scale');
SELECT throws_ok($$SELECT nps(x) OVER (ORDER BY x) FROM unnest('{1,2,99}'::int[]) x$$, '22003', NULL,
	'nps as a window function rejects 99');

-- bad parameters: 22023, 22004
SELECT throws_ok($$SELECT survey_agg(1, 5, 5)$$, '22023', 'survey scale 5..5 is invalid', 'empty scale');
SELECT throws_ok($$SELECT survey_agg(1, 0, 500)$$, '22023', 'survey scale 0..500 is invalid', 'scale too wide');
SELECT throws_ok($$SELECT survey_agg(1, NULL, 5)$$, '22004', 'survey scale bounds must not be null', 'NULL bound');
SELECT throws_ok($$SELECT survey_agg(s, 1, h) FROM (VALUES (1, 5), (2, 7)) v(s, h)$$, '22023',
	'survey scale changed from 1..5 to 1..7 within one aggregate', 'scale must be constant');
SELECT throws_ok($$SELECT nps(csat_agg(3))$$, '22023', 'survey summary with scale 1..5 has no NPS',
	'nps needs the 0..10 scale');
SELECT throws_ok($$SELECT nps_compare(nps_agg(1), ces_agg(1))$$, '22023', NULL, 'nps_compare needs 0..10 twice');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT nps_agg(5) UNION ALL SELECT csat_agg(5)) x(s)$$, '22023',
	'cannot merge survey summaries with scales 0..10 and 1..5', 'rollup of mismatched scales');
SELECT throws_ok($$SELECT nps_ci(nps_agg(5), 0)$$, '22023', 'confidence level 0 is out of range', 'level 0');
SELECT throws_ok($$SELECT csat_ci(csat_agg(5), 1.5)$$, '22023', 'confidence level 1.5 is out of range', 'level 1.5');
SELECT throws_ok($$SELECT mean_score_ci(ces_agg(5), 'NaN')$$, '22023', NULL, 'level NaN');
SELECT throws_ok($$SELECT nps_ci(nps_agg(5), 0.9, 'bootstrap')$$, '22023',
	'unrecognized NPS interval method "bootstrap"', 'unknown method');
SELECT throws_ok($$SELECT csat(csat_agg(5), 9)$$, '22023', 'satisfied_from 9 is outside the scale 1..5',
	'threshold off the scale');
SELECT throws_ok($$SELECT ces_agree(ces_agg(5), 0)$$, '22023', 'agree_from 0 is outside the scale 1..7',
	'agree_from off the scale');
SELECT throws_ok($$SELECT survey_summary_deaccum(nps_agg(5), 6)$$, '22023', NULL, 'removing a score that is not there');
SELECT throws_ok($$SELECT survey_summary_uncombine(nps_agg(5), nps_agg(6))$$, '22023', NULL,
	'removing a summary that is not there');

-- malformed and corrupt literals: 22P02; overflow: 22003
SELECT throws_ok($$SELECT 'x'::survey_summary$$, '22P02', NULL, 'garbage');
SELECT throws_ok($$SELECT '{"version":9,"scale":[0,1],"counts":[0,0]}'::survey_summary$$, '22P02', NULL,
	'unknown version');
SELECT throws_ok($$SELECT '{"version":1,"scale":[0,1],"counts":[0,-2]}'::survey_summary$$, '22P02', NULL,
	'negative count');
SELECT throws_ok($$SELECT '{"version":1,"scale":[0,1],"counts":[0]}'::survey_summary$$, '22P02', NULL,
	'too few counts');
SELECT throws_ok($$SELECT survey_summary_accum('{"version":1,"scale":[0,1],"counts":[0,9223372036854775807]}', 1)$$,
	'22003', 'survey_summary count overflows', 'a count past bigint');
SELECT throws_ok($$SELECT rollup(s) FROM (VALUES ('{"version":1,"scale":[0,1],"counts":[9223372036854775807,0]}'::survey_summary),
	('{"version":1,"scale":[0,1],"counts":[1,0]}')) v(s)$$, '22003', 'survey_summary count overflows',
	'a merge past bigint');

SELECT throws_ok($$SELECT survey_summary_accum('{"version":1,"scale":[0,1],"counts":[9223372036854775807,0]}', 0)$$,
	'22003', 'survey_summary count overflows', 'a total past bigint');
SELECT throws_ok($$SELECT csat(csat_agg(x), 9) FROM generate_series(1, 0) x$$, '22023', NULL,
	'a threshold off the scale is an error even for an empty summary');

-- corrupt binary input: 22P03
\ir ../binary_copy.sql
SELECT throws_ok($$SELECT pg_temp.load_survey_binary('\x02000000000000000100000000000000000000000000000000')$$,
	'22P03', 'unsupported survey_summary binary format version 2', 'binary version 2');
SELECT throws_ok($$SELECT pg_temp.load_survey_binary('\x01000000000000000100000000000000000000000000000000ff')$$,
	'22P03', 'invalid survey_summary binary input', 'binary byte too many');
SELECT throws_ok($$SELECT pg_temp.load_survey_binary('\x010000000000000001ffffffffffffffff0000000000000000')$$,
	'22P03', 'invalid survey_summary binary input', 'binary negative count');

SELECT * FROM finish();
ROLLBACK;
