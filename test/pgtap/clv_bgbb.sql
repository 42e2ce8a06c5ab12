-- BG/BB (src/clv/clv_bgbb.c): SQLSTATEs of every error, published values,
-- and malformed bgbb_model input (random mutations of valid literals and
-- payloads, each read and round-tripping or rejected with 22P02 / 22P03).
-- Expected values: see sql/clv_bgbb.sql and test/reference/bgbb_reference.py.
BEGIN;
SELECT plan(29);
SELECT setseed(0.61);

-- values: Fader, Hardie & Shang 2010, Table 6 (P(alive in 2002)) at the
-- published parameters, and the reference's eq. 7
SELECT is(round(probability_alive(bgbb_model(1.204, 0.750, 0.657, 2.783), 2, 4, 6)::numeric, 2), 0.59,
	'FHS 2010 Table 6: P(alive) 0.59 for 2 donations, the last in 1999');
SELECT is(round(expected_purchases(bgbb_model(1.204, 0.750, 0.657, 2.783), 6)::numeric, 9), 2.219631393,
	'eq. 7: a new donor''s expected donations over 6 campaigns');
SELECT ok((SELECT bgbb_fit(x, t, n) FROM (VALUES (1::bigint, 1::bigint, 1::bigint)) v(x, t, n) WHERE false) IS NULL,
	'bgbb_fit of no rows is NULL');
SELECT is(converged(bgbb_fit(0, 0, 6, 100)), false, 'a fit without repeat transactions does not converge');
SELECT is((SELECT customers(bgbb_fit(x, t, 3, 5)) FROM (VALUES (0::bigint, 0::bigint), (1, 2)) v(x, t)), 10::bigint,
	'the weighted fit counts its customers');

-- bad customers, counts and horizons: 22023; a customer or horizon of too
-- long a series: 22003; a fit of too long series in all: 54000
SELECT throws_ok($$SELECT probability_alive(bgbb_model(1, 1, 1, 1), 3, 2, 6)$$, '22023',
	'BG/BB customer (frequency 3, recency 2, periods 6) is invalid', 'frequency above recency');
SELECT throws_ok($$SELECT probability_alive(bgbb_model(1, 1, 1, 1), 0, 1, 6)$$, '22023', NULL,
	'recency without a transaction');
SELECT throws_ok($$SELECT expected_purchases(bgbb_model(1, 1, 1, 1), 1, 2, 1, 3)$$, '22023', NULL,
	'recency above periods');
SELECT throws_ok($$SELECT probability_alive(bgbb_model(1, 1, 1, 1), -1, 0, 6)$$, '22023', NULL,
	'negative frequency');
SELECT throws_ok($$SELECT probability_alive(bgbb_model(1, 1, 1, 1), 1, 1, 9007199254740992)$$, '22023', NULL,
	'periods of 2^53');
SELECT throws_ok($$SELECT expected_purchases(bgbb_model(1, 1, 1, 1), 1, 1, 6, -1)$$, '22023',
	'BG/BB future periods -1 is negative', 'negative future periods');
SELECT throws_ok($$SELECT expected_purchases(bgbb_model(1, 1, 1, 1), -6)$$, '22023', NULL,
	'negative periods of a new customer');
SELECT throws_ok($$SELECT bgbb_fit(x, t, n, c) FROM (VALUES (1::bigint, 1::bigint, 6::bigint, -2::bigint)) v(x, t, n, c)$$,
	'22023', 'BG/BB customer count -2 of (frequency 1, recency 1, periods 6) is not positive',
	'a cell without customers');
SELECT throws_ok($$SELECT bgbb_fit(x, t, n) FROM (VALUES (2::bigint, 1::bigint, 6::bigint)) v(x, t, n)$$,
	'22023', NULL, 'bgbb_fit rejects an invalid customer');
SELECT throws_ok($$SELECT bgbb_model(1, 0, 1, 1)$$, '22023', 'bgbb_model parameter beta = 0 is invalid',
	'bgbb_model needs positive parameters');
SELECT throws_ok($$SELECT bgbb_model(1, 1, 'Infinity', 1)$$, '22023', NULL, 'bgbb_model needs finite parameters');
SELECT throws_ok($$SELECT expected_purchases(bgbb_model(1, 1, 1, 1), 100000001)$$, '22003', NULL,
	'a horizon beyond 10^7 opportunities');
SELECT throws_ok($$SELECT probability_alive(bgbb_model(1, 1, 1, 1), 1, 1, 10000002)$$, '22003', NULL,
	'more than 10^7 opportunities after the last transaction');
SELECT throws_ok($$SELECT bgbb_fit(x, x, 60000) FROM (VALUES (1::bigint), (2)) v(x)$$, '54000', NULL,
	'a fit whose likelihood series would be too long (over 10^5 terms per evaluation)');
SELECT throws_ok($$SELECT bgbb_fit(x, t, n, c) FROM (VALUES (1::bigint, 1::bigint, 6::bigint, 9223372036854775807::bigint),
	(0, 0, 6, 1)) v(x, t, n, c)$$, '22003', NULL, 'more customers than a bigint');
SELECT throws_ok($$SELECT '{"version":1,"alpha":1,"beta":2,"gamma":3,"delta":4,"log_likelihood":1,"customers":0,"converged":false}'::bgbb_model$$,
	'22P02', NULL, 'a model of given parameters has log-likelihood 0');

\ir ../fuzz.sql
CREATE TEMP TABLE bgbb_text AS
SELECT * FROM pg_temp.fuzz_text_cases('bgbb_model', ARRAY[
	'{"version":1,"alpha":1.2035223183292236,"beta":0.7497163505767304,"gamma":0.6567182494746979,"delta":2.7834424430430103,"log_likelihood":-33225.581274346965,"customers":11104,"converged":true}',
	'{"version":1,"alpha":1.204,"beta":0.75,"gamma":0.657,"delta":2.783,"log_likelihood":0,"customers":0,"converged":false}'],
	'{}[],:" -.0123456789eEtruefals', 800, 2);
SELECT pg_temp.fuzz_checks('bgbb_text', '22P02', 20, 500, 'bgbb_model text literals', 'bgbb_model',
	'(parameters(v)).alpha > 0 AND (parameters(v)).delta > 0 AND customers(v) >= 0');
CREATE TEMP TABLE bgbb_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('bgbb_model', ARRAY[
	'{"version":1,"alpha":1.204,"beta":0.75,"gamma":0.657,"delta":2.783,"log_likelihood":-33225.6,"customers":11104,"converged":true}'], 300);
SELECT pg_temp.fuzz_checks('bgbb_binary', '22P03', 10, 100, 'bgbb_model binary payloads', 'bgbb_model',
	'(parameters(v)).alpha > 0 AND (parameters(v)).delta > 0 AND customers(v) >= 0');

SELECT * FROM finish();
ROLLBACK;
