-- Pipeline, stage history, new-customer business and adoption: SQLSTATEs of
-- every error, and values against independent expectations (see
-- sql/pipeline.sql and test/reference/pipeline_reference.py).
BEGIN;
SELECT plan(88);

CREATE TEMP TABLE d (amount float8, probability float8, created_on date, closed_on date, outcome text);
INSERT INTO d VALUES
	(1000, 0.2, '2025-01-01', NULL, 'open'), (500, 0.5, '2025-01-05', NULL, 'open'),
	(2000, NULL, '2025-01-01', '2025-01-31', 'won'), (3000, NULL, '2025-01-01', '2025-03-02', 'won'),
	(700, NULL, '2025-01-10', '2025-01-20', 'lost');
CREATE TEMP TABLE p AS SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s FROM d;

-- values, by hand: open 1500, weighted 450, win rate 2/3, average size 2500,
-- average cycle 45 days, velocity 2 * 2/3 * 2500 / 45 = 74.074074...
SELECT is(open_pipeline(s), 1500::numeric, 'open pipeline sums open amounts') FROM p;
SELECT is(weighted_pipeline(s), 450::numeric, 'weighted pipeline sums amount * probability') FROM p;
SELECT is(win_rate(s), 2::float8 / 3, 'win rate is won / closed') FROM p;
SELECT is(average_deal_size(s), 2500::numeric, 'average deal size of won deals') FROM p;
SELECT is(average_sales_cycle(s), 45::float8, 'average cycle of won deals in days') FROM p;
SELECT is(round(pipeline_velocity(s)::numeric, 9), 74.074074074, 'velocity = open * win rate * size / cycle') FROM p;
SELECT is(pipeline_coverage(s, 500), 3::float8, 'coverage is open pipeline / quota') FROM p;
SELECT is(median_deal_size(s), 2500::float8, 'median deal size, exact: (2000 + 3000) / 2') FROM p;
SELECT is(median_sales_cycle(s), 45::float8, 'median cycle, exact: (30 + 60) / 2') FROM p;
SELECT ok(deal_size_is_exact(s) AND sales_cycle_is_exact(s), 'two won deals are kept exactly') FROM p;
SELECT is((SELECT round(lower::numeric, 9) FROM win_rate_ci(
	(SELECT pipeline_agg(1, NULL, date '2025-01-01', date '2025-01-02', o)
	 FROM (SELECT CASE WHEN i <= 10 THEN 'won' ELSE 'lost' END FROM generate_series(1, 100) i) v(o)),
	0.9500042097035593)), 0.055228542, 'Wilson lower bound for 10 of 100 at z = 1.96');
SELECT is((SELECT win_rate(pipeline_agg(amount, probability, created_on, closed_on, outcome)) FROM d WHERE false),
	NULL, 'no win rate without closed deals');
SELECT is((SELECT open_deals(pipeline_agg(amount, probability, created_on, closed_on, outcome)) FROM d WHERE false),
	0::bigint, 'pipeline_agg of no rows is an empty summary');
SELECT ok(abs(median_deal_size(pipeline_agg(1.7e308::float8, NULL, date '2025-01-01', NULL, 'won'))
	- 1.7e308) <= 1.7e306, 'the sketch reads amounts near the float8 maximum back finite and within 1 %');
SELECT is(win_proportion(s)::text, '{"version":1,"successes":2,"trials":3}', 'win_proportion is (won, won + lost)')
FROM p;
SELECT is((rate_ci(win_proportion(s))).lower, (win_rate_ci(s)).lower, 'rate_ci of win_proportion is win_rate_ci')
FROM p;
SELECT is(customer_acquisition_cost(10000, 20), 500::float8, 'CAC = spend / new customers');
SELECT is(customer_acquisition_cost(10000, 0), NULL, 'CAC of zero new customers is NULL');
SELECT is(cac_payback_months(500, 100, 0.8), 6.25::float8, 'payback = CAC / (ARPA * margin)');
SELECT is(adoption_rate(45, 60), 75::float8, 'adoption = 100 * active / seats');
SELECT is((SELECT active_users(u, d, '2025-01-01', '2025-02-01')
	FROM (VALUES (1, date '2025-01-03'), (1, '2025-01-03'), (2, '2025-01-31')) v(u, d)), 2::bigint,
	'active users are distinct');

-- pipeline_agg input: 22003, 22023, 22008
SELECT throws_ok($$SELECT pipeline_agg(-5, 0.5, date '2025-01-01', NULL, 'open')$$, '22003',
	'deal amount -5 is out of range', 'a negative amount');
SELECT throws_ok($$SELECT pipeline_agg('Infinity', 0.5, date '2025-01-01', NULL, 'open')$$, '22003',
	NULL, 'an infinite amount');
SELECT throws_ok($$SELECT pipeline_agg(5, 50, date '2025-01-01', NULL, 'open')$$, '22003',
	'deal probability 50 is out of range', 'a probability in percent');
SELECT throws_ok($$SELECT pipeline_agg(5, 'NaN', now(), NULL, 'open')$$, '22003', NULL, 'a NaN probability');
SELECT is((SELECT open_deals_without_probability(pipeline_agg(5, NULL, date '2025-01-01', NULL, 'open'))),
	1::bigint, 'an open deal without probability is counted apart');
SELECT is((SELECT weighted_pipeline(pipeline_agg(5, NULL, date '2025-01-01', NULL, 'open'))),
	0::numeric, 'an open deal without probability is left out of the weighted pipeline');
SELECT throws_ok($$SELECT pipeline_agg(5, NULL, date '2025-01-01', NULL, 'closed')$$, '22023',
	'deal outcome "closed" is not recognized', 'an unknown outcome');
SELECT throws_ok($$SELECT pipeline_agg(5, NULL, date '2025-01-01', NULL, '  Closed Won ')$$, '22023',
	'deal outcome "  Closed Won " is not recognized', 'an unknown outcome is named as given');
SELECT is((SELECT won_deals(pipeline_agg(5, NULL, date '2025-01-01', NULL, E' wOn\t'))),
	1::bigint, 'an outcome in any case with white space around it');
SELECT throws_ok($$SELECT pipeline_agg(5, 0.5, date '2025-01-01', NULL, false, true)$$, '22023',
	'deal outcome is_closed false, is_won true is not recognized', 'an open deal marked won');
SELECT is((SELECT lost_deals(pipeline_agg(5::numeric, NULL, now(), now(), true, false))),
	1::bigint, 'a closed deal not won is lost');
SELECT throws_ok($$SELECT pipeline_agg(5, NULL, timestamptz '2025-01-02', timestamptz '2025-01-01', 'won')$$,
	'22023', 'deal closed 1 days before it was created', 'closed before created');
SELECT throws_ok($$SELECT pipeline_agg(5, NULL, timestamptz '-infinity', timestamptz '2025-01-01', 'won')$$,
	'22008', 'deal dates must be finite', 'an infinite date');
SELECT throws_ok($$SELECT pipeline_agg(1e308, 0.5, now(), NULL, 'open') FROM generate_series(1, 2)$$,
	'22003', 'pipeline_summary sum or count overflows', 'a sum past float8');

-- accessors: 22023
SELECT throws_ok($$SELECT deal_size_quantile(s, -0.1) FROM p$$, '22023', NULL, 'a quantile below 0');
SELECT throws_ok($$SELECT sales_cycle_quantile(s, 'NaN') FROM p$$, '22023', NULL, 'a NaN quantile');
SELECT throws_ok($$SELECT win_rate_ci(s, 0) FROM p$$, '22023', NULL, 'a level of 0');
SELECT throws_ok($$SELECT pipeline_coverage(s, -100) FROM p$$, '22023', 'quota -100 is not positive',
	'a negative quota');
SELECT throws_ok($$SELECT pipeline_coverage(s, 'Infinity', true) FROM p$$, '22023', NULL, 'an infinite quota');

-- text input: 22P02; corrupt stored value: XX001
SELECT throws_ok($$SELECT 'garbage'::pipeline_summary$$, '22P02', NULL, 'garbage text');
SELECT throws_ok($$SELECT '{"version":1}'::pipeline_summary$$, '22P02', NULL, 'a truncated literal');
SELECT throws_ok($$SELECT replace(s::text, '"won_deals":2', '"won_deals":3')::pipeline_summary FROM p$$,
	'22P02', NULL, 'a count the sketch does not match');
SELECT throws_ok($$SELECT replace(s::text, '[1500]', '[1e999]')::pipeline_summary FROM p$$,
	'22P02', NULL, 'an infinite sum');
SELECT throws_ok($$SELECT replace(s::text, '[1500]', '[1500,-1501]')::pipeline_summary FROM p$$,
	'22P02', NULL, 'a negative sum');
SELECT throws_ok($$SELECT replace(s::text, '"deal_sizes":[2000,3000]', '"deal_sizes":[2000,-3000]')::pipeline_summary FROM p$$,
	'22P02', NULL, 'a negative exact deal size');
SELECT throws_ok($$SELECT replace(s::text, '"cycle_lengths":[30,60]', '"cycle_lengths":[30,60,60]')::pipeline_summary FROM p$$,
	'22P02', NULL, 'more exact cycle lengths than cycles');
SELECT throws_ok($$SELECT replace(s::text, '"deal_sizes":[2000,3000]', '"deal_size_sketch":{"zeros":0,"buckets":[]}')::pipeline_summary FROM p$$,
	'22P02', NULL, 'a sketch without the won deals');
\ir ../binary_copy.sql
SELECT is((SELECT won_amount(pipeline_agg(a, NULL, now(), NULL, 'won')) FROM (VALUES (0.10::numeric), (0.20)) v(a)),
	0.30, 'won amount of numeric amounts, exact: 0.10 + 0.20 = 0.30');
SELECT throws_ok($$SELECT won_amount(pipeline_agg(a, NULL, now(), NULL, 'won'))
	FROM (VALUES (11258999068426.24::numeric), (11258999068426.24)) v(a)$$, '22003', NULL,
	'a numeric sum past 2^51 units of its last decimal');
SELECT throws_ok($$SELECT replace(s::text, '"amounts":"double"', '"amounts":"none"')::pipeline_summary FROM p$$,
	'22P02', NULL, 'no amounts with deals');
SELECT throws_ok($$SELECT replace(s::text, '"amounts":"double"', '"amounts":"numeric","amount_scale":19')::pipeline_summary FROM p$$,
	'22P02', NULL, 'an amount scale past 18');
SELECT throws_ok($$SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(-3::int2) || int8send(0)
	|| int8send(1) || int8send(0) || int8send(0) || int8send(0) || int4send(1) || float8send(0) || int4send(1)
	|| float8send(0) || int4send(1) || float8send(5) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x01'::bytea || int4send(1) || float8send(5) || '\x01'::bytea || int4send(0))$$,
	'22P03', NULL, 'a binary amount scale of -3');
SELECT throws_ok($$SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(-2::int2) || int8send(0) || int8send(1)
	|| int8send(0) || int8send(0) || int8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(5) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x02'::bytea)$$, '22P03', NULL, 'a distribution marked neither sketch nor exact');
SELECT throws_ok($$SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(-2::int2) || int8send(0) || int8send(1)
	|| int8send(0) || int8send(0) || int8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(5) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x01'::bytea || int4send(1) || float8send('-Infinity')
	|| '\x01'::bytea || int4send(0))$$, '22P03', NULL, 'an infinite exact value');
SELECT throws_ok($$SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(-2::int2) || int8send(0) || int8send(1)
	|| int8send(0) || int8send(0) || int8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(5) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x01'::bytea || int4send(2) || float8send(5) || float8send(5)
	|| '\x01'::bytea || int4send(0))$$, '22P03', NULL, 'two exact values for one won deal');

-- stage history: 22008, 54000
SELECT throws_ok($$SELECT stage_conversions('x', 'lead', timestamptz 'infinity')$$, '22008', NULL,
	'an infinite stage entry');
SELECT throws_ok($$SELECT stage_durations('s' || i, now()) FROM generate_series(1, 1001) i$$, '54000',
	'stage history has more than 1000 distinct stages', 'too many stages');

-- new-customer business: 22023
SELECT throws_ok($$SELECT customer_acquisition_cost(-1, 5)$$, '22023',
	'acquisition spend -1 is negative or not finite', 'negative spend');
SELECT throws_ok($$SELECT customer_acquisition_cost(1, -5)$$, '22023', NULL, 'negative new customers');
SELECT throws_ok($$SELECT cac_payback_months(-1, 100, 0.5)$$, '22023', NULL, 'negative CAC');
SELECT throws_ok($$SELECT cac_payback_months(100, 100, 1.5)$$, '22023', 'gross margin 1.5 is out of range',
	'a margin above 1');
SELECT throws_ok($$SELECT customer_lifetime_value(100, 0.5, -0.1)$$, '22023', NULL, 'a negative churn');
SELECT throws_ok($$SELECT customer_lifetime_value('NaN', 0.5, 0.1)$$, '22023', NULL, 'a NaN ARPA');
SELECT throws_ok($$SELECT ltv_cac_ratio(1, -1)$$, '22023', NULL, 'a negative CAC');
SELECT throws_ok($$SELECT acquisition_spend_ratio(-1, 1)$$, '22023', NULL, 'negative spend (ratio)');
SELECT throws_ok($$SELECT acquisition_spend_ratio(1, -1)$$, '22023', NULL, 'negative revenue');

-- adoption: 22004, 22023
SELECT throws_ok($$SELECT dau_mau(1, date '2025-01-01', '2025-01-01', NULL)$$, '22004',
	'activity period bounds must not be null', 'a NULL period bound');
SELECT throws_ok($$SELECT dau_mau(1, date '2025-01-01', '2025-01-01', '2025-01-01')$$, '22023', NULL,
	'an empty period');
SELECT throws_ok($$SELECT average_dau(1, date '2025-01-01', '2025-01-01', '2026-01-03')$$, '22023', NULL,
	'a period of more than 366 days');
SELECT throws_ok($$SELECT active_users(1, date '2025-01-01', '-infinity', '2025-01-03')$$, '22023', NULL,
	'an infinite period');
SELECT throws_ok($$SELECT active_users(1, d, d, d + 7) FROM (VALUES (date '2025-01-01'), ('2025-01-02')) v(d)$$,
	'22023', NULL, 'a period that changes');
SELECT throws_ok($$SELECT adoption_rate(5, -1)$$, '22023', 'number of licensed seats -1 is negative',
	'negative seats');
SELECT throws_ok($$SELECT adoption_rate(-5, 1)$$, '22023', NULL, 'negative active users');

-- issue 10: producers overflow with 22003, never a value their type rejects;
-- time differences past an interval are 22008; ratios past float8 are 22003
CREATE TEMP TABLE big AS SELECT '{"version":1,"open_deals":9223372036854775807,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary AS s;
SELECT ok(pipeline_summary_accum(NULL, 1, 0.5, now(), NULL, 'open') IS NULL, 'a NULL summary to pipeline_summary_accum');
SELECT throws_ok($$SELECT pipeline_summary_accum(s, 1, 0.5, now(), NULL, 'open') FROM big$$, '22003',
	'pipeline_summary sum or count overflows', 'pipeline_summary_accum past the bigint open deals');
SELECT throws_ok($$SELECT pipeline_summary_accum_date(s, 1, NULL, current_date, NULL, 'won') FROM big$$, '22003',
	'pipeline_summary sum or count overflows', 'pipeline_summary_accum_date past the bigint deals');
SELECT throws_ok($$SELECT pipeline_summary_combine(s, s) FROM big$$, '22003',
	'pipeline_summary sum or count overflows', 'pipeline_summary_combine past the bigint deals');
SELECT throws_ok($$SELECT rollup(s) FROM big, generate_series(1, 2)$$, '22003',
	'pipeline_summary sum or count overflows', 'rollup past the bigint deals');
SELECT is(round(deal_size_quantile('{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":9223372036854775807,"won_amount":[7.3e19,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[[100,9223372036854775807]]},"cycle_sketch":{"zeros":0,"buckets":[]}}', 1)::numeric, 9),
	7.315653261, 'the top quantile of 2^63 - 1 deals (gamma^100 * 2 / (gamma + 1))');
SELECT throws_ok($$SELECT pipeline_agg(1, NULL, timestamptz '4713-01-01 00:00:00+00 BC', timestamptz '294276-12-31 23:59:59+00', 'won')$$,
	'22008', 'interval out of range', 'a sales cycle past an interval');
SELECT throws_ok($$SELECT stage_durations(stage, at) FROM (VALUES ('a', timestamptz '4713-01-01 00:00:00+00 BC'), ('b', '294276-12-31 23:59:59+00')) v(stage, at)$$,
	'22008', 'interval out of range', 'a stage visit past an interval');
SELECT throws_ok($$SELECT stage_conversions('d', stage, at) FROM (VALUES ('a', timestamptz '4713-01-01 00:00:00+00 BC'), ('b', '294276-12-31 23:59:59+00')) v(stage, at)$$,
	'22008', 'interval out of range', 'a stage move past an interval');
SELECT throws_ok($$SELECT pipeline_coverage(pipeline_agg(1e300, 1, now(), NULL, 'open'), 1e-300)$$,
	'22003', 'pipeline coverage is out of range', 'coverage past float8');
SELECT throws_ok($$SELECT cac_payback_months(1e300, 1e-300, 0.5)$$, '22003', NULL, 'payback past float8');
SELECT throws_ok($$SELECT customer_lifetime_value(1e300, 1, 1e-300)$$, '22003', NULL, 'LTV past float8');
SELECT throws_ok($$SELECT ltv_cac_ratio(1e300, 1e-300)$$, '22003', NULL, 'LTV:CAC past float8');
SELECT throws_ok($$SELECT acquisition_spend_ratio(1e300, 1e-300)$$, '22003', NULL, 'spend ratio past float8');

SELECT * FROM finish();
ROLLBACK;
