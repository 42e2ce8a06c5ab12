-- new_customers_agg and acquisition_efficiency (src/pipeline/new_customers.c):
-- SQLSTATEs of every error, and values of a small ledger worked by hand
-- (the definitions of doc/pipeline.md section 5; recomputed by
-- test/reference/new_customers_reference.py).
BEGIN;
SELECT plan(31);

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
SELECT is((SELECT (acquisition_efficiency(c, 50)).cac FROM new_customers((SELECT new_customers_agg(customer, at, amount, '3 months', 30) FROM o)) c
	WHERE c.period_start = '2025-04-01'), 50::numeric / 1, 'CAC = spend / new customers');
SELECT is((SELECT (acquisition_efficiency(c, 50)).spend_per_first_days_revenue FROM new_customers((SELECT new_customers_agg(customer, at, amount, '3 months', 30) FROM o)) c
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
SELECT CASE WHEN current_setting('server_version_num')::int >= 140000 THEN
		throws_ok($$SELECT new_customers_agg(1, now(), 'Infinity'::numeric, '1 month', 30)$$, '22023',
			NULL, 'an infinite amount')
	ELSE skip('numeric has no infinities before PostgreSQL 14') END;
SELECT throws_ok($$SELECT new_customers_agg(1, now(), 'NaN'::numeric, '1 month', 30)$$, '22023',
	'net revenue NaN is not finite', 'a NaN amount');
SELECT throws_ok($$SELECT acquisition_efficiency(ROW(now(), 1, 0, 0, 1, 1, 1)::new_customer_cohort, -0.01)$$, '22023',
	NULL, 'a negative spend');
SELECT throws_ok($$SELECT acquisition_efficiency(ROW(now(), 1, 0, 0, 1, 1, 1)::new_customer_cohort, 'NaN')$$, '22023',
	NULL, 'a NaN spend');


-- the summary: rollup of summaries split by month equals one aggregate;
-- parameters that differ do not merge
SELECT is((SELECT rollup(s)::text FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s
	FROM o GROUP BY date_trunc('month', at)) p),
	(SELECT new_customers_agg(customer, at, amount, '1 month', 30)::text FROM o), 'rollup of monthly summaries = one aggregate');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s FROM o
	UNION ALL SELECT new_customers_agg(customer, at, amount, '1 month', 31) FROM o) p$$, '22023',
	'cannot merge new customers summaries of month, 30 days, UTC and month, 31 days, UTC', 'rollup of two windows');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s FROM o
	UNION ALL SELECT new_customers_agg(customer::text, at, amount, '1 month', 30) FROM o) p$$, '22023',
	NULL, 'rollup of integer and text ids');
-- corrupt literals
SELECT throws_ok($$SELECT '{"version":1}'::new_customers_summary$$, '22P02', NULL, 'a truncated literal');
SELECT throws_ok($$SELECT '{"version":1,"period":"month","first_days":30,"time_zone":"UTC","purchases":[[1,0,1e5]]}'::new_customers_summary$$,
	'22P02', NULL, 'an amount in exponent notation');
SELECT throws_ok($$SELECT '{"version":1,"period":"month","first_days":30,"time_zone":"Nowhere","purchases":[]}'::new_customers_summary$$,
	'22P02', NULL, 'an unknown time zone');
SELECT throws_ok($$SELECT '{"version":1,"period":"month","first_days":30,"time_zone":"UTC","ids":"uuid","purchases":[["x",0,1]]}'::new_customers_summary$$,
	'22P02', NULL, 'a uuid id that is not a uuid');
\ir ../binary_copy.sql
SELECT throws_ok($$SELECT pg_temp.load_binary('new_customers_summary', decode('0200', 'hex'))$$, '22P03',
	NULL, 'binary version 2');
SELECT throws_ok($$SELECT pg_temp.load_binary('new_customers_summary', decode('01' || '03' || '0000001e' || '03' || '555443'
	|| '01' || '0000000000000001' || '0000000000000001' || '7fffffffffffffff' || 'ffffffff', 'hex'))$$, '22P03',
	NULL, 'binary: an infinite purchase time');

SELECT * FROM finish();
ROLLBACK;
