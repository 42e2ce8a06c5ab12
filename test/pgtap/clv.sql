-- CLV family: SQLSTATEs of every error, and values against independent
-- expectations (see sql/clv.sql and test/reference/clv_reference.py).
BEGIN;
SELECT plan(85);

-- values
SELECT is((SELECT clv(a) FROM unnest('{0.1,0.2,NULL,-0.05}'::numeric[]) a), 0.25,
	'clv sums exactly, skips NULL, counts refunds');
SELECT is((SELECT clv(a) FROM unnest('{}'::numeric[]) a), NULL, 'clv of no rows is NULL');
SELECT is((SELECT clv(a, c) FROM (VALUES (10.00, 4.00), (5.00, NULL), (3.00, 1.50)) v(a, c)), 7.50,
	'clv(amount, cost) skips rows with a NULL cost');
SELECT is((SELECT round(clv(100.00, 0, '2023-01-01', '2024-01-01', 0.10), 6)),
	round(100 * 1.1 ^ (365 / 365.25), 6), 'clv compounds to a later reference date');
SELECT is(round(retention_clv(100, 0.8, 0.1)::numeric, 4), 266.6667, 'retention_clv m r / (1 + d - r)');
SELECT is(round(retention_clv(100, 0.8, 0.1, true)::numeric, 4), 366.6667,
	'retention_clv with the first margin at once');
SELECT is((SELECT frequency(rfm_agg(d, 1, '2024-01-31', '1 day'))
	FROM unnest('{2024-01-01,2024-01-01,2024-01-05}'::date[]) d), 1::bigint,
	'rfm_agg merges same-day purchases');
SELECT ok((SELECT rfm_agg(d, 1, '2024-01-31', '1 day') FROM unnest('{2024-02-01}'::date[]) d) IS NULL,
	'rfm_agg is NULL without a purchase up to the observation end');
SELECT is(round(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426),
	rfm_summary(2, 30.43, 38.86), 39)::numeric, 3), 1.226, 'FHL 2005: 1.226 purchases in 39 weeks');
SELECT is(probability_alive(bgnbd_model(0.243, 4.414, 0.793, 2.426), rfm_summary(0, 0, 5)), 1::float8,
	'P(alive) without repeat purchases is 1');
SELECT is(expected_spend(gamma_gamma_model(1, 0.5, 10), rfm_summary(0, 0, 5)), NULL,
	'expected spend is NULL where the mean is infinite');
SELECT ok((SELECT bgnbd_fit(s) FROM (SELECT NULL::rfm_summary) v(s) WHERE false) IS NULL,
	'bgnbd_fit of no rows is NULL');
SELECT ok((SELECT gamma_gamma_fit(rfm_summary(0, 0, 3))) IS NULL,
	'gamma_gamma_fit without a repeat buyer is NULL');
SELECT is((SELECT converged(bgnbd_fit(rfm_summary(0, 0, 5 + i % 3))) FROM generate_series(1, 50) i), false,
	'a BG/NBD fit without repeat purchases does not converge');

-- bad parameters: 22023
SELECT throws_ok($$SELECT clv(1.0, 0, '2024-01-01', '2024-01-01', -1)$$, '22023',
	'annual discount rate -1 is out of range', 'clv rejects a rate of -100 %');
SELECT throws_ok($$SELECT clv(1.0, 0, '2024-01-01', 'infinity', 0.1)$$, '22023', NULL,
	'clv rejects an infinite reference date');
SELECT throws_ok($$SELECT retention_clv(1, 1.1, 0.1)$$, '22023',
	'retention rate 1.1 is out of range for discount rate 0.1', 'retention_clv needs r < 1 + d');
SELECT throws_ok($$SELECT retention_clv(1, -0.5, 0.1)$$, '22023', NULL, 'retention_clv needs r >= 0');
SELECT throws_ok($$SELECT retention_clv(1, 0.5, -2)$$, '22023', 'discount rate -2 is out of range',
	'retention_clv needs d > -1');
SELECT throws_ok($$SELECT rfm_agg(current_date, 1, current_date, '1 month')$$, '22023',
	'RFM time unit of 1 months and 0 days is invalid', 'rfm_agg rejects months');
SELECT throws_ok($$SELECT rfm_agg(current_date, 1, current_date, '-1 day')$$, '22023', NULL,
	'rfm_agg rejects a negative unit');
SELECT throws_ok($$SELECT rfm_agg(current_date, 1, 'infinity', '1 day')$$, '22023', NULL,
	'rfm_agg rejects an infinite observation end');
SELECT throws_ok($$SELECT rfm_agg(d, 1, '2024-02-01', '1 day') FROM unnest('{-infinity}'::date[]) d$$,
	'22023', 'purchase date must be finite', 'rfm_agg rejects an infinite purchase date');
SELECT throws_ok($$SELECT rfm_agg(d, 1, e, '1 day') FROM (VALUES ('2024-01-01'::date, '2024-02-01'::date),
	('2024-01-02', '2024-03-01')) v(d, e)$$, '22023', NULL, 'rfm_agg rejects a changing observation end');
SELECT throws_ok($$SELECT rfm_agg(current_date, 'Infinity', current_date, '1 day')$$, '22023', NULL,
	'rfm_agg rejects an infinite amount');
SELECT throws_ok($$SELECT rfm_summary(0, 1, 2)$$, '22023', NULL, 'rfm_summary: x = 0 needs t_x = 0');
SELECT throws_ok($$SELECT rfm_summary(1, 3, 2)$$, '22023', NULL, 'rfm_summary: t_x <= T');
SELECT throws_ok($$SELECT gamma_gamma_fit(rfm_summary(1, 1, 2, 0))$$, '22023',
	'monetary value 0 of a repeat buyer is not positive', 'gamma_gamma_fit needs positive spend');
SELECT throws_ok($$SELECT bgnbd_model(0, 1, 1, 1)$$, '22023', 'bgnbd_model parameter r = 0 is invalid',
	'bgnbd_model needs positive parameters');
SELECT throws_ok($$SELECT gamma_gamma_model(1, 1, 'NaN')$$, '22023', NULL,
	'gamma_gamma_model needs finite parameters');
SELECT throws_ok($$SELECT expected_purchases(bgnbd_model(1, 1, 1, 1), 'Infinity')$$, '22023', NULL,
	'expected_purchases needs a finite horizon');
SELECT throws_ok($$SELECT purchase_probability(bgnbd_model(1, 1, 1, 1), 1, -1)$$, '22023',
	'number of purchases -1 is negative', 'purchase_probability needs n >= 0');
SELECT throws_ok($$SELECT purchase_probability(bgnbd_model(1, 1, 1, 1), rfm_summary(1, 1, 2), 1, -2)$$,
	'22023', 'number of purchases -2 is negative', 'conditional purchase_probability needs n >= 0');
SELECT throws_ok($$SELECT predicted_clv(bgnbd_model(1, 1, 1, 1), gamma_gamma_model(1, 2, 3),
	rfm_summary(1, 1, 2, 3), 3, -4, 0.01)$$, '22023', 'period length -4 is invalid',
	'predicted_clv needs a positive period length');
SELECT throws_ok($$SELECT predicted_clv(bgnbd_model(1, 1, 1, 1), gamma_gamma_model(1, 2, 3),
	rfm_summary(1, 1, 2, 3), 3, 4, 'NaN')$$, '22023', NULL, 'predicted_clv needs a discount rate');
SELECT throws_ok($$SELECT predicted_clv(bgnbd_model(1, 1, 1, 1), gamma_gamma_model(1, 2, 3),
	rfm_summary(1, 1, 2, 3), -3, 4, 0.01)$$, '22023', NULL, 'predicted_clv needs periods >= 0');

-- NULL parameters: 22004
SELECT throws_ok($$SELECT clv(1.0, 0, current_date, NULL, 0.1)$$, '22004', NULL,
	'clv needs a reference date');
SELECT throws_ok($$SELECT rfm_agg(current_date, 1, NULL, '1 day')$$, '22004', NULL,
	'rfm_agg needs an observation end');
SELECT throws_ok($$SELECT rfm_agg(current_date, 1, current_date, NULL)$$, '22004', NULL,
	'rfm_agg needs a unit');

-- out of range: 22003
SELECT throws_ok($$SELECT clv(1.0, 0, '2024-01-01', '5000-01-01', 1e6)$$, '22003', NULL,
	'clv reports an overflowing discount factor');
SELECT throws_ok($$SELECT expected_purchases(bgnbd_model(0.5, 1, 200, 200), 1e300)$$, '22003', NULL,
	'expected_purchases reports a horizon its series cannot reach');

-- issue 10: the reproducers of the crash at a = 1 (values: sql/clv.sql, section 11)
SELECT ok(expected_purchases(bgnbd_model(0.25, 4, 1, 2.5), 10) BETWEEN 0.462264082138231 AND 0.462264082138232,
	'expected_purchases at a = 1 is the limit (mpmath 0.46226408213823135)');
SELECT ok(predicted_clv(bgnbd_model(0.25, 4, 1, 2.5), gamma_gamma_model(6, 4, 15), rfm_summary(2, 1, 2, 10), 12, 1, 0.01)
	BETWEEN 27.8402264217341 AND 27.8402264217342, 'predicted_clv at a = 1 (mpmath 27.840226421734169)');
SELECT is((SELECT converged(bgnbd_fit(s)) FROM (VALUES (rfm_summary(0, 0, 0))) v(s)), false,
	'a BG/NBD fit of customers of age 0 does not converge');
SELECT throws_ok($$SELECT expected_purchases(bgnbd_fit(s), 10) FROM (VALUES (rfm_summary(0, 0, 0))) v(s)$$,
	'22023', NULL, 'predictions refuse an unconverged fit');
SELECT ok(expected_purchases(bgnbd_model(1, 1e-6, 1, 1), 10)
	BETWEEN 16.1180957509583 AND 16.1180957509584, 'the expectation at its parameters (alpha = 1e-6: integrated) is 16.118 (mpmath)');
SELECT throws_ok($$SELECT expected_spend(gamma_gamma_fit(rfm_summary(1, 30, 30, 12.5)), rfm_summary(1, 30, 30, 12.5))$$,
	'22023', 'gamma_gamma_model fitted on 1 customers did not converge', 'expected_spend refuses an unconverged fit');
SELECT throws_ok($$SELECT probability_alive(pareto_nbd_fit(rfm_summary(3, 8, 10)), rfm_summary(1, 2, 3))$$,
	'22023', 'pareto_nbd_model fitted on 1 customers did not converge', 'Pareto/NBD predictions refuse an unconverged fit');
SELECT throws_ok($$SELECT pareto_nbd_model(0.5, 10, 0, 11)$$, '22023', NULL, 'pareto_nbd_model: s = 0');
SELECT throws_ok($$SELECT probability_alive(pareto_nbd_model(1, 1e-3, 1, 1e3), rfm_summary(0, 0, 10))$$,
	'22003', NULL, 'Pareto/NBD P(alive) whose series needs more than 10^6 terms (z = 1 - 1e-6)');
SELECT throws_ok($$SELECT expected_purchases(pareto_nbd_model(0.5, 10, 0.6, 11), rfm_summary(1, 2, 3), 'NaN')$$,
	'22023', NULL, 'Pareto/NBD: a NaN horizon');
SELECT throws_ok($$SELECT '{"version":2,"r":0.5,"alpha":10,"s":0.6,"beta":11,"log_likelihood":0,"customers":0,"converged":false}'::pareto_nbd_model$$,
	'22P02', NULL, 'pareto_nbd_model: an unknown version');
SELECT throws_ok($$SELECT * FROM parameter_estimates(pareto_nbd_model(0.5, 10, 0.6, 11), '{1,2,3}')$$,
	'22023', NULL, 'parameter_estimates(pareto_nbd_model): one standard error per parameter');
SELECT throws_ok($$SELECT * FROM parameter_estimates(bgnbd_model(0.243, 4.414, 0.793, 2.426), '{1,2,3}')$$,
	'22023', 'bgnbd_model has 4 parameters, not 3 standard errors', 'parameter_estimates: one standard error per parameter');
SELECT throws_ok($$SELECT * FROM parameter_estimates(gamma_gamma_model(6.25, 3.74, 15.44), '{1,0,3}')$$,
	'22023', NULL, 'parameter_estimates: a standard error of 0');
SELECT throws_ok($$SELECT * FROM parameter_estimates(gamma_gamma_model(6.25, 3.74, 15.44), '{1,2,3}', 0)$$,
	'22023', NULL, 'parameter_estimates: level 0');
SELECT throws_ok($$SELECT * FROM parameter_estimates(gamma_gamma_model(6.25, 3.74, 15.44), '{1,2,3}', NULL)$$,
	'22004', NULL, 'parameter_estimates: NULL level');
SELECT is((SELECT bgnbd_std_errors(rfm_summary(i % 10 + 1, 30, 30)) FROM generate_series(1, 200) i),
	'{NULL,NULL,NULL,NULL}'::float8[], 'an unconverged fit has NULL standard errors');
SELECT throws_ok($$SELECT predicted_clv(bgnbd_fit(rfm_summary(3, 8, 10)), gamma_gamma_model(6, 4, 15), rfm_summary(2, 1, 2, 10), 12, 1, 0.01)$$,
	'22023', 'bgnbd_model fitted on 1 customers did not converge', 'predicted_clv refuses an unconverged fit');
-- issue 10: produced values read back, or the call fails with 22003
SELECT is((SELECT m::text::bgnbd_model::text = m::text FROM (SELECT bgnbd_fit(rfm_summary(0, 0, 1.7976931348623157e308)) AS m
	FROM generate_series(1, 2)) x), true, 'bgnbd_fit over ages of 1.8e308 reads back');
SELECT is((SELECT m::text::gamma_gamma_model::text = m::text FROM (SELECT gamma_gamma_fit(rfm_summary(1, 1, 2, 1.7976931348623157e308)) AS m
	FROM generate_series(1, 3)) x), true, 'gamma_gamma_fit over spends of 1.8e308 reads back');
SELECT is((SELECT monetary_value(rfm_agg(d, 1e308, '2020-01-10', '1 day')::text::rfm_summary)
	FROM unnest('{2020-01-01,2020-01-02,2020-01-03}'::date[]) d), 1e308::float8, 'rfm_agg: the mean of 1e308 and 1e308 is 1e308');
SELECT throws_ok($$SELECT rfm_agg(d, 1e308, '2020-01-10', '1 day') FROM unnest('{2020-01-01,2020-01-01}'::date[]) d$$,
	'22003', NULL, 'rfm_agg: a day''s total overflowing is 22003');
SELECT throws_ok($$SELECT expected_spend(gamma_gamma_model(1e308, 1e308, 1e308), rfm_summary(0, 0, 2, 0))$$,
	'22003', 'expected spend is out of range', 'expected_spend never returns Infinity');

-- malformed literals: 22P02 (binary: test/pgtap/clv_fuzz.sql)
SELECT throws_ok($$SELECT '{"version":1,"frequency":1}'::rfm_summary$$, '22P02', NULL, 'bad rfm_summary text');
SELECT throws_ok($$SELECT '{"version":1,"r":1}'::bgnbd_model$$, '22P02', NULL, 'bad bgnbd_model text');
SELECT throws_ok($$SELECT '{"version":2,"p":1,"q":1,"gamma":1,"log_likelihood":0,"customers":0,"converged":false}'::gamma_gamma_model$$,
	'22P02', NULL, 'gamma_gamma_model text of an unknown version');

-- clv_summary: the two-step form equals the one-step aggregate; its errors
SELECT is((SELECT clv(rollup(s)) FROM (SELECT clv_agg(a) AS s FROM unnest('{0.1,0.2,NULL,-0.05,7}'::numeric[])
	WITH ORDINALITY u(a, i) GROUP BY i % 2) x), 7.25, 'clv of rollup of clv_agg summaries is the sum');
SELECT is((SELECT clv_agg(a)::text FROM unnest('{1.5,2.25,3}'::numeric[]) a),
	'{"version":1,"count":3,"scale_count":1,"sum":"6.75"}', 'clv_agg: count, values of the sum''s scale, sum');
SELECT ok((SELECT clv(clv_agg(a)) FROM unnest('{}'::numeric[]) a) IS NULL, 'clv of the empty summary is NULL');
SELECT throws_ok($$SELECT '{"version":1,"count":1,"scale_count":1,"sum":"1.50"} x'::clv_summary$$, '22P02', NULL,
	'clv_summary text with trailing garbage');
SELECT throws_ok($$SELECT '{"version":1,"count":1,"scale_count":0,"sum":"1.50"}'::clv_summary$$, '22P02', NULL,
	'clv_summary text whose scale count contradicts its sum');
SELECT throws_ok($$SELECT '{"version":1,"count":1,"scale_count":1,"sum":"1.500e0"}'::clv_summary$$, '22P02', NULL,
	'clv_summary text with a sum not in numeric''s own form');
SELECT throws_ok($$SELECT rollup(s) FROM (VALUES ('{"version":1,"count":9223372036854775807,"scale_count":9223372036854775807,"sum":"1"}'::clv_summary), ('{"version":1,"count":1,"scale_count":1,"sum":"1"}')) v(s)$$,
	'22003', 'clv_summary count overflows', 'rollup: a count past bigint is 22003');
SELECT throws_ok($$SELECT clv_summary_uncombine('{"version":1,"count":1,"scale_count":1,"sum":"1"}', '{"version":1,"count":1,"scale_count":1,"sum":"2"}')$$,
	'22023', NULL, 'removing a summary that was not merged in is 22023');
SELECT throws_ok($$SELECT clv(x) FROM (VALUES ('9e131071'::numeric), ('9e131071')) v(x)$$, '22003', NULL,
	'a sum beyond numeric''s range is 22003');

-- timestamps (1.3.0)
SELECT is((SELECT round(clv(100.00, 0, timestamp '2023-01-01 00:00', timestamp '2024-01-01 12:00', 0.10), 6)),
	110.007176, 'discounted clv on timestamps: 365.5 days, 100 * 1.1 ^ (365.5 / 365.25) (by hand)');
SELECT throws_ok($$SELECT clv(1.0, 0, timestamp '-infinity', timestamp '2024-01-01', 0.1)$$, '22023', NULL,
	'infinite order timestamp');
SELECT throws_ok($$SELECT clv_agg(1.0, 0, timestamptz '2024-01-01', timestamptz 'infinity', 0.1)$$, '22023', NULL,
	'infinite reference timestamptz');
SELECT throws_ok($$SELECT clv(1.0, 0, timestamp '2024-01-01 06:00', timestamp '9000-01-01', 1e6)$$, '22003', NULL,
	'overflowing discount factor on timestamps');
SELECT throws_ok($$SELECT clv(1.0, 0, timestamptz '2024-01-01', NULL::timestamptz, 0.1)$$, '22004', NULL,
	'NULL reference timestamptz');
SELECT throws_ok($$SELECT rfm_agg(timestamp 'infinity', 1.0, timestamp '2024-01-01', '1 day')$$, '22023', NULL,
	'infinite purchase timestamp');
SELECT throws_ok($$SELECT rfm_agg(timestamptz '2024-01-01', 1.0, timestamptz '-infinity', '1 day')$$, '22023', NULL,
	'infinite observation end timestamptz');
SELECT throws_ok($$SELECT rfm_agg(timestamp '2024-01-01', 1.0, timestamp '2024-01-02', '1 mon')$$, '22023', NULL,
	'a month unit on timestamps');
SELECT is((SELECT frequency(rfm_agg(t, 1.0, timestamp '2024-01-02 00:00', '1 day'))
	FROM unnest('{2024-01-01 00:00, 2024-01-01 23:59, 2024-01-02 23:00}'::timestamp[]) t), 1::bigint,
	'rfm_agg on timestamps: two calendar days, the end''s day included (by hand)');

SELECT * FROM finish();
ROLLBACK;
