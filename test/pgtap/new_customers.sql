-- new_customers_agg and acquisition_efficiency (src/pipeline/new_customers.c):
-- SQLSTATEs of every error, and values of a small ledger worked by hand
-- (the definitions of doc/pipeline.md section 5; recomputed by
-- test/reference/new_customers_reference.py).
BEGIN;
SELECT plan(22);

SET LOCAL TimeZone = 'UTC';
CREATE TEMP TABLE o (customer bigint, at timestamptz, amount numeric);
-- customer 1: first 2025-03-30 40.00, again 2025-04-05 (6 days: early) 60.00,
-- 2025-06-01 (63 days: late) 100.00 -> March, first 30 days 100.00, net 200.00, repeat;
-- customer 2: first 2025-04-02 25.5, refund 2025-04-03 -5.5 -> April, first
-- 30 days 20.0, net 20.0, no repeat (a refund is not a purchase)
INSERT INTO o VALUES (1, '2025-03-30', 40.00), (1, '2025-04-05', 60.00), (1, '2025-06-01', 100.00),
	(2, '2025-04-02', 25.5), (2, '2025-04-03', -5.5);
CREATE TEMP TABLE r AS
SELECT c.* FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM o)) c;

SELECT is((SELECT count(*) FROM r), 2::bigint, 'one row per period with new customers');
SELECT is((SELECT new_customers FROM r WHERE period_start = '2025-03-01'), 1::bigint, 'March: one new customer');
SELECT is((SELECT repeat_customers FROM r WHERE period_start = '2025-03-01'), 1::bigint, 'March: the purchase 6 days later is a repeat');
SELECT is((SELECT first_days_revenue FROM r WHERE period_start = '2025-03-01'), 100.00, 'March: first 30 days 40 + 60');
SELECT is((SELECT net_revenue FROM r WHERE period_start = '2025-03-01'), 200.00, 'March: net revenue of every row');
SELECT is((SELECT repeat_customers FROM r WHERE period_start = '2025-04-01'), 0::bigint, 'April: a refund is not a repeat purchase');
SELECT is((SELECT first_days_revenue::text FROM r WHERE period_start = '2025-04-01'), '20.0', 'April: 25.5 - 5.5, the scale of sum(numeric)');
SELECT is((SELECT early_retention FROM r WHERE period_start = '2025-04-01'), 0::float8, 'April: early retention 0 / 1');
SELECT is((SELECT (acquisition_efficiency(c, 50)).cac FROM unnest((SELECT new_customers_agg(customer, at, amount, '3 months', 30) FROM o)) c
	WHERE c.period_start = '2025-04-01'), 50::numeric / 1, 'CAC = spend / new customers');
SELECT is((SELECT (acquisition_efficiency(c, 50)).spend_per_first_days_revenue FROM unnest((SELECT new_customers_agg(customer, at, amount, '3 months', 30) FROM o)) c
	WHERE c.period_start = '2025-04-01'), 50::numeric / 20.0, 'spend per unit of first-30-days revenue');

-- errors
SELECT throws_ok($$SELECT new_customers_agg(customer, at, amount, '2 months', 30) FROM o$$, '22023',
	NULL, 'a period that is no calendar period');
SELECT throws_ok($$SELECT new_customers_agg(customer, at, amount, '1 month', 0) FROM o$$, '22023',
	'first_days 0 is out of range', 'first_days below 1');
SELECT throws_ok($$SELECT new_customers_agg(customer, at, amount, '1 month', 36526) FROM o$$, '22023',
	'first_days 36526 is out of range', 'first_days past 100 years');
SELECT throws_ok($$SELECT new_customers_agg(customer, at, amount, NULL, 30) FROM o$$, '22004',
	NULL, 'a NULL period');
SELECT throws_ok($$SELECT new_customers_agg(customer, at, amount, '1 month', 30, NULL) FROM o$$, '22004',
	NULL, 'a NULL time zone');
SELECT throws_ok($$SELECT new_customers_agg(customer, at, amount, '1 month', 30, 'Nowhere/Atlantis') FROM o$$, '22023',
	NULL, 'an unknown time zone');
SELECT throws_ok($$SELECT new_customers_agg(customer, at, amount, CASE WHEN customer = 1 THEN interval '1 month' ELSE '1 day' END, 30) FROM o$$,
	'22023', NULL, 'the period changes between rows');
SELECT throws_ok($$SELECT new_customers_agg(1, timestamptz '-infinity', 1, '1 month', 30)$$, '22008',
	NULL, 'an infinite purchase time');
SELECT throws_ok($$SELECT new_customers_agg(1, now(), 'Infinity'::numeric, '1 month', 30)$$, '22023',
	NULL, 'an infinite amount');
SELECT throws_ok($$SELECT new_customers_agg(1, now(), 'NaN'::numeric, '1 month', 30)$$, '22023',
	'net revenue NaN is not finite', 'a NaN amount');
SELECT throws_ok($$SELECT acquisition_efficiency(ROW(now(), 1, 0, 0, 1, 1, 1)::new_customer_cohort, -0.01)$$, '22023',
	NULL, 'a negative spend');
SELECT throws_ok($$SELECT acquisition_efficiency(ROW(now(), 1, 0, 0, 1, 1, 1)::new_customer_cohort, 'NaN')$$, '22023',
	NULL, 'a NaN spend');

SELECT * FROM finish();
ROLLBACK;
