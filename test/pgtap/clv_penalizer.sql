-- CLV fits with the L2 penalizer: SQLSTATEs of its errors (see
-- sql/clv_penalizer.sql for the values, against
-- test/reference/clv_penalizer_reference.py).
BEGIN;
SELECT plan(14);

SELECT throws_ok($$SELECT bgnbd_fit(rfm_summary(1, 2, 3), -0.5)$$, '22023', 'penalizer -0.5 is invalid',
	'bgnbd_fit: negative penalizer');
SELECT throws_ok($$SELECT bgnbd_fit(rfm_summary(1, 2, 3), 'NaN')$$, '22023', NULL, 'bgnbd_fit: NaN penalizer');
SELECT throws_ok($$SELECT bgnbd_std_errors(rfm_summary(1, 2, 3), '-Infinity')$$, '22023', NULL,
	'bgnbd_std_errors: infinite penalizer');
SELECT throws_ok($$SELECT pareto_nbd_fit(rfm_summary(1, 2, 3), 'Infinity')$$, '22023', NULL,
	'pareto_nbd_fit: infinite penalizer');
SELECT throws_ok($$SELECT pareto_nbd_std_errors(rfm_summary(1, 2, 3), NULL)$$, '22004', 'penalizer must not be NULL',
	'pareto_nbd_std_errors: NULL penalizer');
SELECT throws_ok($$SELECT gamma_gamma_fit(rfm_summary(1, 2, 3, 4), -1e-300)$$, '22023', NULL,
	'gamma_gamma_fit: negative penalizer');
SELECT throws_ok($$SELECT gamma_gamma_std_errors(rfm_summary(1, 2, 3, 4), NULL)$$, '22004', NULL,
	'gamma_gamma_std_errors: NULL penalizer');
SELECT throws_ok($$SELECT bgbb_fit(1, 2, 3, 4, -1)$$, '22023', NULL, 'bgbb_fit: negative penalizer');
SELECT throws_ok($$SELECT bgbb_std_errors(1, 2, 3, 4, NULL)$$, '22004', NULL, 'bgbb_std_errors: NULL penalizer');
SELECT throws_ok($$SELECT bgnbd_fit(rfm_summary(1, 2, 3), c) FROM (VALUES (0.1), (0.2)) v(c)$$, '22023',
	'penalizer changed within one model fit: 0.1 and 0.2', 'bgnbd_fit: the penalizer changes between rows');
SELECT throws_ok($$SELECT gamma_gamma_fit(rfm_summary(1, 2, 3, 4), c) FROM (VALUES (0), (0.2)) v(c)$$, '22023', NULL,
	'gamma_gamma_fit: the penalizer changes between rows');
SELECT throws_ok($$SELECT bgbb_fit(1, 2, 3, 4, c) FROM (VALUES (0.5), (0.25)) v(c)$$, '22023', NULL,
	'bgbb_fit: the penalizer changes between rows');
-- a NULL summary row still checks its penalizer
SELECT throws_ok($$SELECT bgnbd_fit(s, c) FROM (VALUES (rfm_summary(1, 2, 3), 0.1), (NULL, -1)) v(s, c)$$, '22023',
	NULL, 'bgnbd_fit: the penalizer of a skipped row is checked too');
SELECT is((SELECT bgnbd_fit(s, 0)::text FROM (VALUES (rfm_summary(1, 2, 3)), (rfm_summary(0, 0, 5))) v(s)),
	(SELECT bgnbd_fit(s)::text FROM (VALUES (rfm_summary(1, 2, 3)), (rfm_summary(0, 0, 5))) v(s)),
	'bgnbd_fit: penalizer 0 is the unpenalized fit');

SELECT * FROM finish();
ROLLBACK;
