-- Survey scores of every numeric type: SQLSTATEs of the errors (each naming
-- the value) and overload resolution.  Values: sql/survey_scores.sql.
BEGIN;
SELECT plan(26);

-- resolution: each type to its own overload, unknown literals too
SELECT is((SELECT nps(x) FROM unnest('{10,9,8,3}'::smallint[]) x), 25::float8, 'nps(smallint): 10, 9, 8, 3 is 25');
SELECT is((SELECT nps(x) FROM unnest('{10,9,8,3}'::bigint[]) x), 25::float8, 'nps(bigint)');
SELECT is((SELECT nps(x) FROM unnest('{10.0,9,8.00,3}'::numeric[]) x), 25::float8, 'nps(numeric) with scales');
SELECT is((SELECT nps(x) FROM unnest('{10,9,8,3}'::float8[]) x), 25::float8, 'nps(double precision)');
SELECT is((SELECT nps(x) FROM unnest('{10,9,8,3}'::real[]) x), 25::float8, 'nps(real), through double precision');
SELECT is(responses(nps_agg('9')), 1::bigint, 'nps_agg of an unknown literal resolves (to double precision)');
SELECT is(scale_high(survey_agg('4', 1, 5)), 5, 'survey_agg of an unknown literal resolves');
SELECT is((SELECT csat(x) FROM unnest('{5,4,3,2}'::numeric[]) x), 50::float8, 'csat(numeric) counts 4 and 5');
SELECT is((SELECT ces(x) FROM unnest('{7,6,2}'::bigint[]) x), 5::float8, 'ces(bigint) is the mean');

-- not an integer: 22P02, naming the value
SELECT throws_ok($$SELECT nps(7.5)$$, '22P02', 'score 7.5 is not an integer', 'nps rejects numeric 7.5');
SELECT throws_ok($$SELECT nps_agg('NaN'::numeric)$$, '22P02', 'score NaN is not an integer', 'numeric NaN');
SELECT throws_ok($$SELECT csat(4.5::float8)$$, '22P02', 'score 4.5 is not an integer', 'csat rejects 4.5');
SELECT throws_ok($$SELECT csat_agg('NaN'::float8)$$, '22P02', 'score NaN is not an integer', 'double NaN');
SELECT throws_ok($$SELECT ces_agg(0.000001)$$, '22P02', 'score 0.000001 is not an integer', 'ces_agg rejects 1e-6');
SELECT throws_ok($$SELECT survey_agg(2.25, 1, 5)$$, '22P02', 'score 2.25 is not an integer',
	'survey_agg(numeric) rejects 2.25');
SELECT throws_ok($$SELECT nps(x) OVER (ORDER BY i ROWS 1 PRECEDING) FROM (VALUES (1, 9.0), (2, 8.5)) v(i, x)$$,
	'22P02', 'score 8.5 is not an integer', 'nps(numeric) as a window function rejects 8.5');

-- off the scale or beyond any integer: 22003, naming the value
SELECT throws_ok($$SELECT nps(11.0)$$, '22003', 'score 11 is out of range for scale 0..10', 'numeric 11.0');
SELECT throws_ok($$SELECT nps(1e30)$$, '22003',
	'score 1000000000000000000000000000000 is out of range for scale 0..10', 'numeric 1e30');
SELECT throws_ok($$SELECT nps('Infinity'::float8)$$, '22003', 'score Infinity is out of range for scale 0..10',
	'double infinity');
SELECT throws_ok($$SELECT ces('-1e300'::float8)$$, '22003', 'score -1e+300 is out of range for scale 1..7',
	'double -1e300');
SELECT throws_ok($$SELECT nps(3000000000::bigint)$$, '22003', 'score 3000000000 is out of range for scale 0..10',
	'bigint past 32 bits');
SELECT throws_ok($$SELECT nps_agg('-9223372036854775808'::bigint)$$, '22003',
	'score -9223372036854775808 is out of range for scale 0..10', 'smallest bigint');
SELECT throws_ok($$SELECT csat(6::smallint)$$, '22003', 'score 6 is out of range for scale 1..5', 'smallint 6');
SELECT throws_ok($$SELECT survey_agg(0::bigint, 1, 5) OVER ()$$, '22003', 'score 0 is out of range for scale 1..5',
	'survey_agg(bigint) as a window function');
SELECT CASE WHEN current_setting('server_version_num')::int >= 140000 THEN
		throws_ok($$SELECT nps('-Infinity'::numeric)$$, '22003',
			'score -Infinity is out of range for scale 0..10', 'numeric -Infinity')
	ELSE skip('numeric has no infinities before PostgreSQL 14') END;
SELECT throws_ok($$SELECT survey_agg(s, 1, 5) FROM (VALUES (1::float8), ('4.0000001')) v(s)$$, '22P02',
	'score 4.0000001 is not an integer', 'nearly whole double');

SELECT * FROM finish();
ROLLBACK;
