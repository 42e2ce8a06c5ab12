-- Pipeline transparency (pipeline_hygiene_summary) and lead KPIs: SQLSTATEs
-- of every error, and values against hand computations (see
-- sql/pipeline_leads.sql).
BEGIN;
SELECT plan(40);

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

-- lead_summary: four leads by hand: responses after 10 and 30 minutes and
-- none; two opportunities (activities 3 and 5), one won
CREATE TEMP TABLE l AS
SELECT lead_agg(c, r, o, w, a) AS s
FROM (VALUES (timestamptz '2025-01-01 09:00+00', timestamptz '2025-01-01 09:10+00', true, true, 3),
	('2025-01-01 09:00+00', '2025-01-01 09:30+00', true, false, 5),
	('2025-01-01 10:00+00', NULL, false, false, NULL),
	(NULL, '2025-01-01 10:00+00', false, NULL, 1)) v(c, r, o, w, a);
SELECT is(leads(s), 4::bigint, 'four leads') FROM l;
SELECT is(rate(lead_to_opportunity(s)), 0.5::float8, 'lead to opportunity 2 of 4') FROM l;
SELECT is(rate(opportunity_to_win(s)), 0.5::float8, 'opportunity to win 1 of 2') FROM l;
SELECT is(rate(response_rate(s)), 0.5::float8, 'responded 2 of 4 (a response needs both times)') FROM l;
SELECT is(median_speed_to_lead(s), interval '20 minutes', 'median of 10 and 30 minutes') FROM l;
SELECT is(average_activities_per_deal(s), 4::float8, 'mean of 3 and 5 (the non-opportunity''s 1 ignored)') FROM l;
SELECT is(cost_per_opportunity(s, 900), 450::numeric, 'cost per opportunity 900 / 2') FROM l;
SELECT throws_ok($$SELECT lead_agg(now(), NULL, false, true, NULL)$$, '22023', NULL, 'a won lead that is no opportunity');
SELECT throws_ok($$SELECT lead_agg('2025-01-02+00', '2025-01-01+00', false, false, NULL)$$, '22023', NULL, 'a response before creation');
SELECT throws_ok($$SELECT lead_agg(now(), NULL, true, false, -1)$$, '22023', 'activities -1 is negative', 'negative activities');
SELECT throws_ok($$SELECT lead_agg('-infinity', '2025-01-01+00', false, false, NULL)$$, '22008', NULL, 'an infinite creation time');
SELECT throws_ok($$SELECT speed_to_lead_quantile(s, 2) FROM l$$, '22023', NULL, 'a quantile past 1');
SELECT throws_ok($$SELECT '{"version":1,"leads":1,"opportunities":1,"wins":2,"responded":0,"activity_deals":0,"activity_sum":0,"speed_to_lead":{"sketched":false,"values":[]},"activities":{"sketched":false,"values":[]}}'::lead_summary$$,
	'22P02', NULL, 'more wins than opportunities');
SELECT throws_ok($$SELECT pg_temp.load_binary('lead_summary', '\x01'::bytea || int8send(0) || int8send(0) || int8send(0)
	|| int8send(0) || int8send(0) || int8send(0) || '\x02'::bytea || int4send(0) || '\x00'::bytea || int4send(0))$$,
	'22P03', NULL, 'binary: a sketched flag of 2');

SELECT * FROM finish();
ROLLBACK;
