-- Retention family: SQLSTATEs of every error, and values against
-- independent expectations (see sql/retention.sql and
-- test/reference/retention_reference.py).
BEGIN;
SELECT plan(50);
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
	1/3::float8, 'retention rate (E - N)/S = (2 - 1)/3');
SELECT is((SELECT customer_churn(mrr_agg(c, at, 10, '2024-01-01', '1 month', 2), 1)::text
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
SELECT throws_ok($$SELECT mrr_agg(1, '2023-12-31', 10, '2024-01-01', '1 month', 3)$$, '22023',
	'MRR row at 2023-12-31 00:00:00+00 precedes the origin 2024-01-01 00:00:00+00', 'MRR before the origin');
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

SELECT * FROM finish();
ROLLBACK;
