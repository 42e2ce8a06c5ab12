-- Pipeline transparency (pipeline_hygiene_summary) and lead KPIs: SQLSTATEs
-- of every error, and values against hand computations (see
-- sql/pipeline_leads.sql).
BEGIN;
SELECT plan(26);

-- three open deals as of 2025-06-30, stale after 10 days: 500 touched
-- 06-25 (fresh, next step, close date, fields t t); 300 touched 06-01
-- (stale, no next step, close date, fields t f); NULL amount, never touched
-- (stale, no next step, no close date, fields f NULL).
CREATE TEMP TABLE h AS
SELECT pipeline_hygiene_agg(a, t, NULL, n, c, f, '2025-06-30+00', 10) AS s
FROM (VALUES (500::float8, timestamptz '2025-06-25+00', true, true, ARRAY[true, true]),
	(300, '2025-06-01+00', false, true, ARRAY[true, false]),
	(NULL, NULL, NULL, false, ARRAY[false, NULL])) v(a, t, n, c, f);

SELECT is(hygiene_records(s), 3::bigint, 'three deals') FROM h;
SELECT is(hygiene_amount(s), 800::float8, 'amount 500 + 300, NULL counted without amount') FROM h;
SELECT is(stale_deals(s), 2::bigint, 'stale: touched 06-01 and never touched') FROM h;
SELECT is(stale_amount(s), 300::float8, 'stale amount') FROM h;
SELECT is(deals_without_next_step(s), 2::bigint, 'false and NULL next step') FROM h;
SELECT is(amount_without_close_date(s), 0::float8, 'the deal without a close date has no amount') FROM h;
SELECT is(complete_records(s), 1::bigint, 'one deal with both fields') FROM h;
SELECT is(field_filled_counts(s), ARRAY[2, 1]::bigint[], 'fields filled: 2 and 1 (NULL is not filled)') FROM h;
SELECT is(rate(completeness(s)), 1::float8 / 3, 'completeness 1 of 3') FROM h;
SELECT is((SELECT rollup(s)::text FROM h), (SELECT s::text FROM h), 'rollup of one summary is itself');

-- errors: 22023 parameters, 22004 NULLs, 22003 amounts and overflow,
-- 22008 as_of, 54000 too many fields, 2202E arrays, 22P02 / 22P03 input
SELECT throws_ok($$SELECT pipeline_hygiene_agg(x) FROM (VALUES (ARRAY[true]), (ARRAY[true, false])) v(x)$$,
	'22023', NULL, 'records of different field counts');
SELECT throws_ok($$SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{}', a, 1)
	FROM (VALUES ('2025-01-01+00'::timestamptz), ('2025-01-02+00')) v(a)$$,
	'22023', NULL, 'as_of changing within one aggregate');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT pipeline_hygiene_agg(ARRAY[true]) s
	UNION ALL SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{true}', '2025-01-01+00', 1)) x$$,
	'22023', NULL, 'rollup of a summary with and one without staleness');
SELECT throws_ok($$SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{}', '2025-01-01+00', -1)$$,
	'22023', 'stale_days -1 is negative', 'negative stale_days');
SELECT throws_ok($$SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, NULL, '2025-01-01+00', 1)$$,
	'22004', 'required_fields_filled must not be null', 'NULL required fields');
SELECT throws_ok($$SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{}', '2025-01-01+00', NULL)$$,
	'22004', NULL, 'as_of without stale_days');
SELECT throws_ok($$SELECT pipeline_hygiene_agg('NaN'::float8, NULL, NULL, true, true, '{}', NULL, NULL)$$,
	'22003', NULL, 'a NaN amount');
SELECT throws_ok($$SELECT pipeline_hygiene_agg(-0.01::numeric, NULL, NULL, true, true, '{}', NULL, NULL)$$,
	'22003', NULL, 'a negative amount');
SELECT throws_ok($$SELECT pipeline_hygiene_agg(1e308::float8, NULL, NULL, true, true, '{}', NULL, NULL) FROM generate_series(1, 2)$$,
	'22003', 'pipeline_hygiene_summary count or amount overflows', 'an amount sum past float8');
SELECT throws_ok($$SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{}', '-infinity', 1)$$,
	'22008', 'as_of must be finite', 'an infinite as_of');
SELECT throws_ok($$SELECT pipeline_hygiene_agg(array_fill(true, ARRAY[65]))$$,
	'54000', NULL, 'more than 64 required fields');
SELECT throws_ok($$SELECT pipeline_hygiene_agg(ARRAY[[true], [false]])$$,
	'2202E', NULL, 'a two-dimensional field array');
SELECT throws_ok($$SELECT '{"version":1,"records":1,"amount":"x"}'::pipeline_hygiene_summary$$,
	'22P02', NULL, 'garbage text');
SELECT throws_ok($$SELECT '{"version":1,"records":2,"amount":1,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[3,0],"filled":[],"as_of":null,"stale_days":null}'::pipeline_hygiene_summary$$,
	'22P02', NULL, 'more complete records than records');
\ir ../binary_copy.sql
SELECT throws_ok($$SELECT pg_temp.load_binary('pipeline_hygiene_summary', '\x0100'::bytea || int2send(65::int2)
	|| int4send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(0)
	|| float8send(0) || float8send(0) || float8send(0) || float8send(0) || float8send(0))$$,
	'22P03', NULL, 'binary: 65 fields');
SELECT throws_ok($$SELECT pg_temp.load_binary('pipeline_hygiene_summary', '\x0100'::bytea || int2send(0::int2)
	|| int4send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(0)
	|| float8send(5) || float8send(0) || float8send(0) || float8send(0) || float8send(0))$$,
	'22P03', NULL, 'binary: an amount without records');

SELECT * FROM finish();
ROLLBACK;
