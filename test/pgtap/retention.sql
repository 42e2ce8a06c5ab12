-- Retention family: SQLSTATEs of every error, and values against
-- independent expectations (see sql/retention.sql and
-- test/reference/retention_reference.py).
BEGIN;
SELECT plan(73);
SET LOCAL TimeZone = 'UTC';

CREATE TEMP TABLE ev (entity bigint, start timestamptz, at timestamptz);
INSERT INTO ev VALUES (1, '2024-01-10', '2024-01-10'), (1, '2024-01-10', '2024-03-05'),
	(2, '2024-01-10', '2024-02-10'), (3, '2024-01-10', '2024-01-11');

-- values (hand counts: e1 periods 0, 2; e2 period 1; e3 period 0)
SELECT is((SELECT retention_curve(entity, start, at, '1 month', 3) FROM ev),
	ARRAY[2/3::float8, 1/3::float8, 1/3::float8], 'on: 2/3, 1/3, 1/3');
SELECT is((SELECT retention_curve(entity, start, at, '1 month', 3, 'on_or_after', 'calendar', NULL) FROM ev),
	ARRAY[1, 2/3::float8, 1/3::float8], 'on or after: 3/3, 2/3, 1/3');
SELECT is((SELECT retention_curve(entity, start, at, '1 month', 3, 'on', 'calendar', '2024-03-01') FROM ev),
	ARRAY[2/3::float8, 1/3::float8, NULL], 'censored at 2024-03-01: period 2 is NULL');
SELECT is((SELECT sum(r[2]) FROM (SELECT retention(d = 1, d = 2) r FROM (VALUES (1, 1), (1, 2), (2, 2)) v(u, d)
	GROUP BY u) x), 1::bigint, 'ClickHouse retention: cond2 counts only with cond1');
SELECT is((SELECT customer_churn_rate(mrr_agg(c, at, 10, '2024-01-01', '1 month', 2), 1)
	FROM (VALUES (1, '2024-01-05'::timestamptz), (2, '2024-01-06'), (3, '2024-01-07'), (1, '2024-02-01'), (4, '2024-02-01')) v(c, at)),
	2/3::float8, 'customer churn: 2 of the 3 starting customers left; the new one does not count');
SELECT is((SELECT customer_retention_rate(mrr_agg(c, at, 10, '2024-01-01', '1 month', 2), 1)
	FROM (VALUES (1, '2024-01-05'::timestamptz), (2, '2024-01-06'), (3, '2024-01-07'), (1, '2024-02-01'), (4, '2024-02-01')) v(c, at)),
	1/3::float8, 'retention rate (S - churned)/S = (3 - 2)/3');
SELECT is((SELECT customer_churn_proportion(mrr_agg(c, at, 10, '2024-01-01', '1 month', 2), 1)::text
	FROM (VALUES (1, '2024-01-05'::timestamptz), (2, '2024-01-06'), (3, '2024-01-07'), (1, '2024-02-01'), (4, '2024-02-01')) v(c, at)),
	'{"version":1,"successes":2,"trials":3}', 'customer churn as a proportion: 2 of 3');
SELECT is((SELECT retention_proportion(retention_agg(entity, start, at, '1 month', 3), 1)::text FROM ev),
	'{"version":1,"successes":1,"trials":3}', 'retention in period 1 as a proportion: 1 of 3');
SELECT ok((SELECT bool_and(gross_revenue_retention IS NULL OR gross_revenue_retention <= 1)
	FROM mrr_movements((SELECT mrr_agg(c % 50, timestamptz '2024-01-01' + c * interval '1 day', c % 7, '2024-01-01', '1 month', 12)
	FROM generate_series(1, 360) c))), 'GRR is at most 1');

-- bad periods and parameters: 22023
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '1 month', 0) FROM ev$$, '22023',
	'number of periods 0 is out of range', 'zero periods');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '1 month', -3) FROM ev$$, '22023',
	'number of periods -3 is out of range', 'negative periods');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '1 month', 5000) FROM ev$$, '22023',
	'number of periods 5000 is out of range', 'too many periods');
SELECT throws_ok($$SELECT activity_agg(start, at, '1 month', 1025) FROM ev$$, '22023', NULL,
	'too many periods for activity_agg');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '0 days', 3, 'on', 'rolling', NULL) FROM ev$$, '22023',
	'retention period "00:00:00" is invalid', 'zero-length period');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '-7 days', 3, 'on', 'rolling', NULL) FROM ev$$, '22023',
	'retention period "-7 days" is invalid', 'negative period');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '3 days', 3) FROM ev$$, '22023',
	'retention period "3 days" is invalid', 'no calendar period of 3 days');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '1 month', 3, 'on', 'rolling', NULL) FROM ev$$, '22023',
	'retention period "1 mon" is invalid', 'rolling months');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '1 month', 3, 'sometimes', 'calendar', NULL) FROM ev$$,
	'22023', 'unrecognized retention mode "sometimes"', 'unknown mode');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '1 month', 3, 'on', 'lunar', NULL) FROM ev$$,
	'22023', 'unrecognized period alignment "lunar"', 'unknown alignment');
SELECT throws_ok($$SELECT activity_agg(start, at, '1 month', 3, 'lunar') FROM ev$$,
	'22023', 'unrecognized period alignment "lunar"', 'unknown alignment in activity_agg');
SELECT throws_ok($$SELECT retention_curve(1, '2024-01-10', '2024-01-09', '1 month', 3)$$, '22023',
	'activity at 2024-01-09 00:00:00+00 precedes its cohort start 2024-01-10 00:00:00+00', 'activity before start');
SELECT throws_ok($$SELECT activity_agg('2024-01-10', '2024-01-09', '1 month', 3)$$, '22023', NULL,
	'activity before start in activity_agg');
SELECT throws_ok($$SELECT retention_curve(1, s, '2024-03-01', '1 month', 3) FROM unnest('{2024-01-01,2024-02-01}'::timestamptz[]) s$$,
	'22023', 'entity 1 has two cohort starts, 2024-01-01 00:00:00+00 and 2024-02-01 00:00:00+00', 'two starts');
SELECT throws_ok($$SELECT activity_agg(s, '2024-03-01', '1 month', 3) FROM unnest('{2024-01-01,2024-02-01}'::timestamptz[]) s$$,
	'22023', NULL, 'two starts in one activity summary');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, p, 3) FROM ev, unnest('{1 month, 1 week}'::interval[]) p$$,
	'22023', 'retention parameters changed within one aggregate', 'period changes');
SELECT throws_ok($$SELECT activity_agg(start, at, '1 month', n) FROM ev, generate_series(2, 3) n$$,
	'22023', 'retention period changed within one aggregate', 'periods change in activity_agg');
SELECT throws_ok($$SELECT rollup(a) FROM (SELECT activity_agg(s, NULL, '1 month', 3) AS a
	FROM unnest('{2024-01-01,2024-02-01}'::timestamptz[]) s GROUP BY s) x$$,
	'22023', NULL, 'rollup of two entities');
SELECT throws_ok($$SELECT rollup(a) FROM (SELECT activity_agg('2024-01-01', NULL, '1 month', n) AS a
	FROM generate_series(2, 3) n GROUP BY n) x$$, '22023', NULL, 'rollup of activity with different periods');
SELECT throws_ok($$SELECT retention_agg(a) FROM (SELECT activity_agg('2024-01-01', NULL, p, 3) AS a
	FROM unnest('{1 month, 1 day}'::interval[]) p GROUP BY p) x$$, '22023', NULL,
	'retention_agg of mixed periods');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT retention_agg(1, '2024-01-01', NULL, '1 month', n) AS s
	FROM generate_series(2, 3) n GROUP BY n) x$$, '22023', NULL, 'rollup of mismatched retention summaries');
SELECT throws_ok($$SELECT retention_rate(retention_agg(1, '2024-01-01', NULL, '1 month', 3), 3)$$, '22023',
	'period 3 is out of range for a retention summary of 3 periods', 'period past the last');
SELECT throws_ok($$SELECT retained(retention_agg(1, '2024-01-01', NULL, '1 month', 3), -1)$$, '22023', NULL,
	'negative period');
SELECT throws_ok($$SELECT retention_summary_uncombine(retention_agg(1, '2024-01-01', NULL, '1 month', 3),
	retention_agg(e, '2024-01-01', NULL, '1 month', 3)) FROM generate_series(1, 2) e$$, '22023', NULL,
	'removing a summary that was not merged in');
SELECT throws_ok($$SELECT retention(VARIADIC array_fill(true, ARRAY[33]))$$, '22023',
	'retention() takes 1 to 32 conditions, not 33', '33 conditions');
SELECT throws_ok($$SELECT retention(VARIADIC CASE WHEN x = 1 THEN '{true}'::boolean[] ELSE '{true,false}' END)
	FROM generate_series(1, 2) x$$, '22023', 'retention() got 2 conditions after 1', 'condition count changes');
SELECT is((SELECT mrr_agg(c, at, 10, '2024-01-01', '1 month', 2)::text
	FROM (VALUES (1, '2023-12-31'::timestamptz), (2, '2024-01-31')) v(c, at)),
	(SELECT mrr_agg(2, '2024-01-31', 10, '2024-01-01', '1 month', 2)::text),
	'MRR rows before the origin are ignored (since 1.3.0)');
SELECT throws_ok($$SELECT mrr_agg(1, '2024-01-31', 10, '2024-01-01', '30 days', 3)$$, '22023', NULL,
	'MRR needs calendar periods');
SELECT throws_ok($$SELECT customer_churn_rate(mrr_agg(1, '2024-01-31', 10, '2024-01-01', '1 month', 3), 1, 'serviced')$$,
	'22023', 'unrecognized churn denominator "serviced"', 'unknown denominator');
SELECT throws_ok($$SELECT net_revenue_retention(mrr_agg(1, '2024-01-31', 10, '2024-01-01', '1 month', 3), 3)$$,
	'22023', 'period 3 is out of range for an MRR summary of 3 periods', 'MRR period past the last');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT mrr_agg(1, '2024-01-31', 10, o, '1 month', 3) AS s
	FROM unnest('{2024-01-01,2023-12-01}'::timestamptz[]) o GROUP BY o) x$$, '22023',
	'cannot merge MRR summaries with different periods or origins', 'MRR summaries of different origins');

SELECT throws_ok($$SELECT mrr_summary_uncombine(mrr_agg(1, '2024-01-31', 10, '2024-01-01', '1 month', 3),
	mrr_agg(2, '2024-01-31', 20, '2024-01-01', '1 month', 3))$$, '22023',
	'cannot remove an MRR summary that was not merged in', 'removing an MRR summary that was not merged in');

-- NULL parameters: 22004
SELECT throws_ok($$SELECT retention_curve(entity, start, at, NULL, 3) FROM ev$$, '22004',
	'retention period and number of periods must not be null', 'NULL period');
SELECT throws_ok($$SELECT retention_curve(entity, start, at, '1 month', 3, NULL, 'calendar', NULL) FROM ev$$, '22004',
	'retention mode must not be null', 'NULL mode');
SELECT throws_ok($$SELECT activity_agg(start, at, '1 month', 3, NULL) FROM ev$$, '22004',
	'period alignment must not be null', 'NULL alignment');
SELECT throws_ok($$SELECT mrr_agg(1, '2024-01-31', 10, NULL, '1 month', 3)$$, '22004', NULL, 'NULL origin');

-- out of range values: 22003, 22008
SELECT throws_ok($$SELECT mrr_agg(1, '2024-01-31', -5, '2024-01-01', '1 month', 3)$$, '22003',
	'MRR -5 is out of range', 'negative MRR');
SELECT throws_ok($$SELECT mrr_agg(1, '2024-01-31', 'NaN', '2024-01-01', '1 month', 3)$$, '22003', NULL, 'NaN MRR');
SELECT throws_ok($$SELECT annual_churn_rate(-0.1)$$, '22003', 'rate -0.1 is out of range', 'negative rate');
SELECT throws_ok($$SELECT monthly_retention_rate(2)$$, '22003', 'rate 2 is out of range', 'rate above 1');
SELECT throws_ok($$SELECT retention_curve(1, 'infinity', 'infinity', '1 month', 3)$$, '22008',
	'retention timestamps must be finite', 'infinite start');

-- extreme values (issue 10): 22008 where a value cannot be represented,
-- 22003 where a count overflows, 22023 for a bare support-function argument
SELECT throws_ok($$SELECT activity_agg('294270-01-01+00'::timestamptz, '294270-01-02+00', '1 day', 3)$$, '22008',
	'cohort start 294270-01-01 00:00:00+00 is out of range for an activity summary',
	'a cohort start whose Unix microseconds exceed a bigint');
SELECT throws_ok($$SELECT activity_agg('294247-01-10 04:00:54.775808+00'::timestamptz, NULL, '1 day', 3, 'rolling')$$,
	'22008', NULL, 'the first start past the limit, rolling');
SELECT lives_ok($$SELECT activity_agg('294247-01-10 04:00:54.775807+00'::timestamptz, NULL, '1 day', 3, 'rolling')::text::activity_summary$$,
	'the last start that fits reads back');
SELECT throws_ok($$SELECT l.* FROM (SELECT activity_agg('294247-01-10 04:00:54.775807+00'::timestamptz,
	'294247-01-10 04:00:54.775807+00', '36500 days', 3, 'rolling') AS a) x, lifecycle(a) l$$, '22008', 'timestamp out of range',
	'a period starting after 294276');
SELECT throws_ok($$SELECT retention_agg(a, 'infinity') FROM (SELECT activity_agg('2024-01-01', NULL, '1 month', 3)) x(a)$$, '22008',
	'retention timestamps must be finite', 'infinite as_of');
SELECT throws_ok($$SELECT mrr_agg(1, 'infinity', 10, '2024-01-01', '1 month', 3)$$, '22008',
	'retention timestamps must be finite', 'infinite MRR time');
SELECT throws_ok($$SELECT retention_final(-1)$$, '22023', 'invalid retention() state -1',
	'final of a state that no aggregate makes');
SELECT throws_ok($$SELECT retention_state_combine(0, 1)$$, '22023', 'invalid retention() state 1',
	'combine of a state with bits but no condition count');
SELECT throws_ok($$SELECT retention_state_accum(141733920768, '{true}')$$, '22023',
	'invalid retention() state 141733920768', 'accum of a state of 33 conditions');
SELECT throws_ok($$SELECT '{"version":1,"period":"month","periods":2,"origin":0,"customers":[1,0],"mrr":[1,0],"new_customers":[0,4611686018427387904],"new_mrr":[0,461168601842738.7904],"expansion_customers":[0,4611686018427387904],"expansion_mrr":[0,461168601842738.7904],"contraction_customers":[0,4611686018427387904],"contraction_mrr":[0,461168601842738.7904],"churned_customers":[0,4611686018427387905],"churned_mrr":[0,461168601842738.7905],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'::mrr_summary$$,
	'22P02', NULL, 'more churned, expanding and contracting customers than there were');
SELECT throws_ok($$SELECT mrr_summary_combine(s, s) FROM (VALUES ('{"version":1,"period":"month","periods":1,"origin":0,"customers":[4611686018427387904],"mrr":[461168601842738.7904],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary)) v(s)$$,
	'22003', 'mrr_summary value overflows', 'MRR summary sum past the bigint range');
SELECT throws_ok($$SELECT retention_summary_combine(s, s) FROM (VALUES ('{"version":1,"period":"month","periods":1,"entities":4611686018427387904,"eligible":[4611686018427387904],"on":[0],"on_or_after":[0]}'::retention_summary)) v(s)$$,
	'22003', 'retention_summary count overflows', 'retention summary sum past the bigint range');
SELECT throws_ok($$SELECT '{"version":1,"period":"month","periods":1024,"entities":0,"eligible":[0],"on":[0],"on_or_after":[0]}'::retention_summary$$,
	'22P02', NULL, 'a literal declaring more periods than it carries');

-- One start, two time zones: 2024-01-31 23:00 UTC is January in UTC and
-- February in Berlin, so the calendar months differ; the error names both
-- zones, which the summaries record.
SET LOCAL TimeZone = 'UTC';
CREATE TEMP TABLE tz_pieces AS
SELECT activity_agg(timestamptz '2024-01-31 23:00+00', timestamptz '2024-01-31 23:00+00', '1 month', 3) AS a;
SET LOCAL TimeZone = 'Europe/Berlin';
INSERT INTO tz_pieces
SELECT activity_agg(timestamptz '2024-01-31 23:00+00', timestamptz '2024-01-31 23:00+00', '1 month', 3);
SET LOCAL TimeZone = 'UTC';
SELECT throws_ok($$SELECT rollup(a) FROM tz_pieces$$, '22023',
	'cannot merge activity summaries counted in time zones "UTC" and "Europe/Berlin"',
	'activity summaries of one start built in two time zones');
-- 1.1.0's summaries did not record the zone: one start in two calendar
-- months (origins 648 and 649) can only have been counted in two zones
SELECT throws_ok($$SELECT rollup(a) FROM (VALUES
	('{"version":1,"period":"month","periods":3,"start":1706742000000000,"origin":648,"active":[0],"later":false}'::activity_summary),
	('{"version":1,"period":"month","periods":3,"start":1706742000000000,"origin":649,"active":[0],"later":false}')) v(a)$$, '22023',
	'cannot merge activity summaries of cohort start 2024-01-31 23:00:00+00 whose calendar periods were counted in different time zones',
	'1.1.0 activity summaries of one start built in two time zones');
RESET TimeZone;

-- customer_mrr_summary: SQLSTATEs of its errors
SELECT throws_ok($$SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[2,1],"mrr":[[1],[1]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'customer MRR literal with customers out of order');
SELECT throws_ok($$SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[0]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'customer MRR literal with a customer of no MRR');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT customer_mrr_agg(1, '2024-01-31', 10, '2024-01-01', '1 month', p) AS s
	FROM generate_series(2, 3) p GROUP BY p) x$$, '22023',
	'cannot merge customer MRR summaries with different periods or origins', 'customer MRR summaries of different periods');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT customer_mrr_agg(1, '2024-01-31', 10, '2024-01-01', '1 month', 3, z) AS s
	FROM unnest('{UTC,Europe/Paris}'::text[]) z GROUP BY z) x$$, '22023', NULL,
	'customer MRR summaries of two zones');
SELECT throws_ok($$SELECT customer_mrr_summary_uncombine(customer_mrr_agg(1, '2024-01-31', 10, '2024-01-01', '1 month', 3),
	customer_mrr_agg(2, '2024-01-31', 20, '2024-01-01', '1 month', 3))$$, '22023',
	'cannot remove a customer MRR summary that was not merged in', 'removing a customer MRR summary that was not merged in');
SELECT throws_ok($$SELECT customer_mrr_agg(1, '2024-01-31', 10, o, '1 month', 3)
	FROM unnest('{2024-01-01,2023-12-01}'::timestamptz[]) o$$, '22023',
	'MRR origin or period changed within one aggregate', 'customer MRR origin changed within one aggregate');
SELECT throws_ok($$SELECT customer_mrr_agg(1, '2024-01-31', -5, '2024-01-01', '1 month', 3)$$, '22003',
	'MRR -5 is out of range', 'negative MRR in a customer MRR summary');
SELECT throws_ok($$SELECT customer_mrr_agg(1, '2024-01-31', 10, '2024-01-01', NULL, 3)$$, '22004',
	'MRR origin, period and number of periods must not be null', 'NULL period of a customer MRR summary');

SELECT * FROM finish();
ROLLBACK;
