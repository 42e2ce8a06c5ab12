-- CLV holdout validation: SQLSTATEs of every error of holdout_agg,
-- holdout_summary, rollup, calibration_table and holdout_totals, and values
-- against independent expectations (see sql/clv_holdout.sql and
-- test/reference/clv_holdout_reference.py).
BEGIN;
SELECT plan(65);

-- values
SELECT is((SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), c, 1, 5)::text
	FROM (VALUES (rfm_summary(0, 0, 3)), (NULL)) v(c)),
	format('{"version":2,"bins":[[0,1,1,%s]]}', expected_purchases(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), 5)),
	'holdout_agg of one customer: one bin, the prediction is expected_purchases; NULL rows skipped');
SELECT is((SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), 1, 5) WHERE false)::text,
	'{"version":2,"bins":[]}', 'holdout_agg of no rows is the empty summary');
SELECT is((SELECT round(predicted::numeric, 12) FROM calibration_table(
	(SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), rfm_summary(2, 30.428571428571427, 38.857142857142854), 1, 39))) t
	WHERE frequency = 2), 1.226115806149,
	'customer 1 of CDNOW: E[X(39)] = 1.22611580614932 (mpmath, reference script)');
SELECT results_eq($$SELECT frequency, customers, actual FROM calibration_table(
		'{"version":1,"bins":[[0,4,2,1],[2,1,3,2],[5,2,1,1],[101,2,9,4]]}', 4)$$,
	$$VALUES (0, 4::bigint, 0.5::float8), (1, 0, NULL), (2, 1, 3), (3, 0, NULL), (4, 4, 2.5)$$,
	'calibration_table: one row per frequency, the last "max_frequency or more", NULL means when empty');
SELECT results_eq($$SELECT * FROM holdout_totals('{"version":1,"bins":[[0,4,2,1],[2,1,3,2],[5,2,1,1],[101,2,9,4]]}', 4)$$,
	$$VALUES (9::bigint, 15::bigint, 8::float8, (1 + 1 + 5)::float8 / 9)$$,
	'holdout_totals: totals and sum |A - P| / N over the rows');
SELECT is((SELECT rollup(s)::text FROM (VALUES ('{"version":1,"bins":[[0,1,2,0.5]]}'::holdout_summary),
	('{"version":1,"bins":[[0,2,0,0.25],[7,1,1,1]]}'), (NULL)) v(s)),
	'{"version":2,"bins":[[0,3,2,0.75],[7,1,1,1]]}', 'rollup adds the bins, skips NULL');
SELECT is((SELECT holdout_agg(m, rfm_summary(0, 0, 3), 1, 5) IS NOT NULL
	FROM (SELECT bgnbd_fit(s) AS m FROM (VALUES (rfm_summary(2, 30.43, 38.86)), (rfm_summary(1, 1.71, 38.86)),
		(rfm_summary(0, 0, 38.86)), (rfm_summary(5, 37, 38.86))) v(s)) f WHERE converged(m)), true,
	'a converged fitted model predicts');

-- errors of the aggregate
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), -1, 5)$$,
	'22023', 'number of holdout purchases -1 is negative', 'negative holdout purchases');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), 1, 0)$$,
	'22023', 'holdout length 0 is invalid', 'holdout length 0');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), 1, -2)$$,
	'22023', NULL, 'negative holdout length');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), 1, 'NaN')$$,
	'22023', NULL, 'NaN holdout length');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), 1, '-Infinity')$$,
	'22023', NULL, 'infinite holdout length');
SELECT throws_ok($$SELECT holdout_agg('{"version":1,"r":0.5,"alpha":2,"a":300000,"b":4,"log_likelihood":-10,"customers":5,"converged":false}'::bgnbd_model,
	rfm_summary(0, 0, 3), 1, 5)$$, '22023', 'bgnbd_model fitted on 5 customers did not converge', 'a model that did not converge');
SELECT throws_ok($$SELECT holdout_agg('{"version":1,"r":0.5,"alpha":2,"s":300000,"beta":4,"log_likelihood":-10,"customers":5,"converged":false}'::pareto_nbd_model,
	rfm_summary(0, 0, 3), 1, 5)$$, '22023', 'pareto_nbd_model fitted on 5 customers did not converge',
	'a Pareto/NBD model that did not converge');
SELECT throws_ok($$SELECT holdout_agg(pareto_nbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), -1, 5)$$,
	'22023', NULL, 'Pareto/NBD: negative holdout purchases');
SELECT throws_ok($$SELECT holdout_agg(pareto_nbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), '{1}', 0, 3)$$,
	'22023', NULL, 'Pareto/NBD: holdout period length 0');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 3), 9223372036854775807, 5)
	FROM generate_series(1, 2)$$, '22003', NULL, 'holdout purchases past bigint');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(0.243, 1e-300, 0.793, 2.426), rfm_summary(0, 0, 0), 1, 1e300)$$,
	'22003', NULL, 'a horizon the expectation cannot reach');
SELECT throws_ok($$SELECT rollup(s) FROM (VALUES ('{"version":1,"bins":[[3,9223372036854775807,0,0]]}'::holdout_summary),
	('{"version":1,"bins":[[3,1,0,0]]}')) v(s)$$, '22003', NULL, 'rollup past bigint');

-- errors of the accessors
SELECT throws_ok($$SELECT * FROM calibration_table('{"version":1,"bins":[]}', -1)$$, '22023',
	'max_frequency -1 is out of range', 'calibration_table max_frequency < 0');
SELECT throws_ok($$SELECT * FROM calibration_table('{"version":1,"bins":[]}', 102)$$, '22023', NULL,
	'calibration_table max_frequency > 101');
SELECT throws_ok($$SELECT * FROM holdout_totals('{"version":1,"bins":[]}', 200)$$, '22023', NULL,
	'holdout_totals max_frequency > 101');

-- corrupt literals
SELECT throws_ok($$SELECT '{"version":3,"bins":[]}'::holdout_summary$$, '22P02', NULL, 'unknown text version');
SELECT throws_ok($$SELECT '{"version":1,"bins":[[2,1,0,0],[1,1,0,0]]}'::holdout_summary$$, '22P02', NULL,
	'bins out of order');
SELECT throws_ok($$SELECT '{"version":1,"bins":[[0,0,0,0]]}'::holdout_summary$$, '22P02', NULL, 'a listed empty bin');
SELECT throws_ok($$SELECT '{"version":1,"bins":[[0,1,0,-1]]}'::holdout_summary$$, '22P02', NULL, 'a negative prediction');
SELECT throws_ok($$SELECT '{"version":1,"bins":[[0,-1,0,0]]}'::holdout_summary$$, '22P02', NULL, 'a negative count');
SELECT throws_ok($$SELECT '{"version":1,"bins":[[0,1,0,NaN]]}'::holdout_summary$$, '22P02', NULL, 'a NaN prediction');
SELECT throws_ok($$SELECT '{"version":1,"bins":[[0,1,0,0]] }x'::holdout_summary$$, '22P02', NULL, 'trailing text');
\ir ../binary_copy.sql
-- an untracked summary's period length of -0 reads as 0: the same value
-- through the text form (a fuzzing finding, seed 859523908)
SELECT is(holdout_summary_send(pg_temp.load_binary('holdout_summary',
		'\x02000000010000000000000000000000017fffffffffffffff4008000035afe54780000000000000000000000000000000'::bytea)::holdout_summary),
	holdout_summary_send(pg_temp.load_binary('holdout_summary',
		'\x02000000010000000000000000000000017fffffffffffffff4008000035afe54780000000000000000000000000000000'::bytea)::holdout_summary::text::holdout_summary),
	'binary period length -0 reads as 0');
SELECT throws_ok($$SELECT pg_temp.load_binary('holdout_summary', '\x03'::bytea || int4send(0))$$, '22P03', NULL,
	'unknown binary version');
SELECT throws_ok($$SELECT pg_temp.load_binary('holdout_summary', '\x01'::bytea || int4send(1) || int4send(0))$$,
	'22P03', NULL, 'a truncated bin');
SELECT throws_ok($$SELECT pg_temp.load_binary('holdout_summary', '\x01'::bytea || int4send(1) || int4send(102)
	|| int8send(1) || int8send(0) || float8send(0))$$, '22P03', NULL, 'a bin past 101');
SELECT throws_ok($$SELECT pg_temp.load_binary('holdout_summary', '\x01'::bytea || int4send(1) || int4send(0)
	|| int8send(1) || int8send(0) || float8send('Infinity'))$$, '22P03', NULL, 'an infinite prediction');

-- tracking
SELECT results_eq($$SELECT period, actual, actual_cumulative FROM holdout_tracking(
		(SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{0.5, 2, 2.5, 6, 6.5}', 2, 3)))$$,
	$$VALUES (1, 2::bigint, 2::bigint), (2, 1, 3), (3, 1, 4)$$,
	'holdout_tracking: purchases per period ((k - 1) L, k L], later ones ignored');
SELECT is((SELECT round(expected_cumulative::numeric, 12) FROM holdout_tracking(
		(SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), rfm_summary(2, 30.428571428571427, 38.857142857142854),
			'{}', 13, 3))) WHERE period = 3), 1.226115806149,
	'the last cumulative expectation is E[X(periods x length)] (reference script)');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1, NULL}', 1, 3)$$,
	'22004', NULL, 'a NULL holdout time');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{0}', 1, 3)$$,
	'22023', 'holdout purchase time 0 is invalid', 'a holdout time at the calibration end');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{NaN}', 1, 3)$$,
	'22023', NULL, 'a NaN holdout time');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1}', 'NaN', 3)$$,
	'22023', NULL, 'a NaN period length');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1}', 1, 0)$$,
	'22023', NULL, 'no periods');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1}', 1, p)
	FROM (VALUES (3), (4)) v(p)$$, '22023', 'holdout periods changed within one aggregate', 'periods changing');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1}', 1e308, 3)$$,
	'22003', NULL, 'a holdout beyond the largest double');
SELECT throws_ok($$SELECT * FROM holdout_tracking('{"version":1,"bins":[[0,1,0,0.5]]}')$$, '22023', NULL,
	'holdout_tracking of an untracked summary');
SELECT throws_ok($$SELECT '{"version":1,"bins":[[0,1,1,0.5]],"period_length":1,"periods":[[2,0.5]]}'::holdout_summary$$,
	'22P02', NULL, 'periods not adding up to the purchases');
SELECT throws_ok($$SELECT pg_temp.load_binary('holdout_summary', '\x01'::bytea || int4send(0) || float8send(1) || int4send(0))$$,
	'22P03', NULL, 'a period length without periods');

-- tracked over the calibration period too
SELECT is((SELECT string_agg(format('%s:%s:%s', period, actual, round(expected_cumulative::numeric, 12)), ' ')
	FROM holdout_tracking((SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(3, 4, 5),
		'{-4.5, -2, -1.5, -0.5, 0}', '{0.5, 1, 3}', 1, 2, 2)))),
	(SELECT string_agg(format('%s:%s:%s', k, a, round((expected_purchases(bgnbd_model(1, 2, 3, 4), k + 5.0)
		- expected_purchases(bgnbd_model(1, 2, 3, 4), 3.0))::numeric, 12)), ' ')
	 FROM (VALUES (-1, 1), (0, 2), (1, 2), (2, 0)) v(k, a)),
	'calibration periods -1, 0 and holdout periods 1, 2: repeat purchases and E[X(k + T)] - E[X(-C + T)]');
SELECT is((SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), rfm_summary(0, 0, 1),
		'{}', '{}', 1, 1, 1)::text),
	format('{"version":2,"bins":[[0,1,0,%s]],"period_length":1,"calibration_periods":1,"periods":[[0,%s],[0,%s]]}',
		expected_purchases(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), rfm_summary(0, 0, 1), 1),
		expected_purchases(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 1.0),
		expected_purchases(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 2.0)),
	'Pareto/NBD: the unconditional E[X(1)], E[X(2)] of a customer born one period before the calibration end');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{0.5}', '{}', 1, 2, 2)$$,
	'22023', 'calibration purchase time 0.5 is invalid', 'a calibration time after the calibration end');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-2.5}', '{}', 1, 2, 2)$$,
	'22023', 'calibration purchase time -2.5 is invalid', 'a calibration time before the first purchase');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{NaN}', '{}', 1, 2, 2)$$,
	'22023', NULL, 'a NaN calibration time');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1, NULL}', '{}', 1, 2, 2)$$,
	'22004', NULL, 'a NULL calibration time');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{{-1}}', '{}', 1, 2, 2)$$,
	'22023', NULL, 'a two-dimensional array of calibration times');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{0}', 1, 2, 2)$$,
	'22023', NULL, 'a holdout time at the calibration end, tracked');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1, 0, 2)$$,
	'22023', 'number of calibration periods 0 is out of range', 'no calibration periods');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1, 1999, 2)$$,
	'22023', NULL, 'more than 2000 periods in all');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1, 2, 0)$$,
	'22023', NULL, 'no holdout periods, tracked');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 'Infinity', 2, 2)$$,
	'22023', NULL, 'an infinite period length, tracked');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1e308, 2, 2)$$,
	'22003', NULL, 'a span beyond the largest double');
SELECT throws_ok($$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1, c, 2)
	FROM (VALUES (2), (3)) v(c)$$, '22023', 'holdout periods changed within one aggregate', 'calibration periods changing');
SELECT throws_ok($$SELECT rollup(s) FROM (VALUES ('{"version":2,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":1,"periods":[[0,0],[1,0.5]]}'::holdout_summary),
	('{"version":2,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":0,"periods":[[1,0.5]]}')) v(s)$$,
	'22023', 'cannot merge holdout summaries of different tracking periods', 'rollup of different calibration periods');
SELECT throws_ok($$SELECT '{"version":2,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":1,"periods":[[1,0.5]]}'::holdout_summary$$,
	'22P02', NULL, 'calibration periods without a holdout period');
SELECT throws_ok($$SELECT '{"version":1,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":0,"periods":[[1,0.5]]}'::holdout_summary$$,
	'22P02', NULL, 'calibration periods in format 1');
SELECT throws_ok($$SELECT pg_temp.load_binary('holdout_summary', '\x02'::bytea || int4send(1) || int4send(0)
	|| int8send(1) || int8send(1) || float8send(0.5) || float8send(1) || int4send(1) || int4send(1)
	|| int8send(1) || float8send(0.5))$$, '22P03', NULL, 'binary calibration periods without a holdout period');
SELECT throws_ok($$SELECT pg_temp.load_binary('holdout_summary', '\x02'::bytea || int4send(1) || int4send(0)
	|| int8send(1) || int8send(1) || float8send(0.5) || float8send(1) || int4send(-1) || int4send(1)
	|| int8send(1) || float8send(0.5))$$, '22P03', NULL, 'binary negative calibration periods');

SELECT * FROM finish();
ROLLBACK;
