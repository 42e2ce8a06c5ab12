--
-- The BG/BB model (Fader, Hardie & Shang 2010, "Customer-Base Analysis in a
-- Discrete-Time Noncontractual Setting"): fit, model type, predictions.
--
-- Expected values: the paper's published estimates on the donations data
-- (alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33,225.6; Table 6
-- P(alive in 2002) 0.11, 0.59, 0.93), Hardie's BG/BB spreadsheet as quoted by
-- lifetimes' tests (sum of the conditional expectations over the next 5
-- years 12,884.2), and test/reference/bgbb_reference.py (mpmath, written
-- from the paper's equations, its own Newton fit from another start).  Data:
-- test/data/lifetimes_donations.csv (provenance in test/reference/README.md).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET extra_float_digits = 0;

-- 1. The donations data: 11,104 donors of 1995 over the n = 6 campaigns of
-- 1996-2001, in 22 (frequency, recency) cells with counts
CREATE TABLE bgbb_donations (frequency bigint, recency bigint, periods bigint, donors bigint);
\copy bgbb_donations FROM 'test/data/lifetimes_donations.csv' (FORMAT csv, HEADER)
SELECT count(*) AS cells, sum(donors) AS donors FROM bgbb_donations;
-- the same donors one row each
CREATE TABLE bgbb_donors AS
SELECT frequency, recency, periods FROM bgbb_donations, generate_series(1, donors);

-- 2. The fit.  Published: 1.204, 0.750, 0.657, 2.783, LL -33,225.6; the
-- reference's maximum: 1.2035224, 0.7497164, 0.6567182, 2.7834422,
-- LL -33225.5812743 (at the published, rounded parameters: -33225.5817545)
CREATE TABLE bgbb_fits AS
SELECT 'weighted' AS input, bgbb_fit(frequency, recency, periods, donors) AS m FROM bgbb_donations
UNION ALL
SELECT 'one row a donor', bgbb_fit(frequency, recency, periods) FROM bgbb_donors;
SELECT input, round((parameters(m)).alpha::numeric, 3) AS alpha, round((parameters(m)).beta::numeric, 3) AS beta,
	round((parameters(m)).gamma::numeric, 3) AS gamma, round((parameters(m)).delta::numeric, 3) AS delta,
	round(log_likelihood(m)::numeric, 1) AS log_likelihood, customers(m), converged(m)
FROM bgbb_fits ORDER BY input;
-- against the reference's maximum: parameters within 1e-5, LL within 1e-7
SELECT input, abs((parameters(m)).alpha - 1.2035223516) < 1e-5 AS alpha,
	abs((parameters(m)).beta - 0.749716358173) < 1e-5 AS beta,
	abs((parameters(m)).gamma - 0.656718208442) < 1e-5 AS gamma,
	abs((parameters(m)).delta - 2.78344223258) < 1e-5 AS delta,
	abs(log_likelihood(m) + 33225.5812743) < 1e-7 AS log_likelihood
FROM bgbb_fits ORDER BY input;
-- both inputs give one model
SELECT count(DISTINCT m::text) AS distinct_models FROM bgbb_fits;
-- as a window aggregate the final function runs after each row and leaves
-- the state as it was: each running fit counts its rows, and the last one
-- equals the plain fit of the same rows
CREATE TABLE bgbb_window AS
SELECT i, customers(m) AS customers, m::text AS m
FROM (SELECT i, bgbb_fit(x, t, 4) OVER (ORDER BY i) AS m
	  FROM (SELECT i, i % 3 AS x, CASE WHEN i % 3 = 0 THEN 0 ELSE i % 3 + i % 2 END AS t
			FROM generate_series(1, 20) i) d) w;
SELECT count(*) FILTER (WHERE customers <> i) AS wrong_counts,
	(SELECT m FROM bgbb_window WHERE i = 20) = (SELECT bgbb_fit(i % 3, CASE WHEN i % 3 = 0 THEN 0 ELSE i % 3 + i % 2 END, 4)::text
		FROM generate_series(1, 20) i) AS last_is_the_fit
FROM bgbb_window;
-- no customers: NULL; NULL arguments are skipped
SELECT bgbb_fit(frequency, recency, periods) IS NULL AS no_rows FROM bgbb_donors WHERE false;
SELECT bgbb_fit(x, t, n, c) IS NULL AS only_nulls
FROM (VALUES (NULL::bigint, 1::bigint, 2::bigint, 3::bigint), (1, 1, 2, NULL)) v(x, t, n, c);
-- degenerate data: nobody ever transacts again, the transaction probability
-- runs off to 0 and the fit does not converge
SELECT converged(bgbb_fit(0, 0, 6, 100)) AS no_repeat_converged;
-- standard errors from the observed information.  Reference
-- (bgbb_reference.py, std_errors: the inverse of minus the Hessian of the
-- log-likelihood at the MLE, central differences at 40 digits): alpha
-- 0.0693913623889, beta 0.0294477166604, gamma 0.0510098589564, delta
-- 0.320819003043; ours, by Richardson-extrapolated differences in doubles,
-- agree to 1e-6 relative.  The interval is estimate -/+ 1.959963984540054 se.
SELECT p.parameter, round(p.estimate::numeric, 3) AS estimate,
	abs(p.std_err / r.se - 1) < 1e-6 AS std_err_as_reference,
	abs(p.lower - (p.estimate - 1.959963984540054 * p.std_err)) < 1e-12 AS lower_ok
FROM (SELECT bgbb_fit(frequency, recency, periods, donors) AS m,
		bgbb_std_errors(frequency, recency, periods, donors) AS se FROM bgbb_donations) f,
	parameter_estimates(f.m, f.se) p
JOIN (VALUES ('alpha', 0.0693913623889), ('beta', 0.0294477166604), ('gamma', 0.0510098589564),
	('delta', 0.320819003043)) r(parameter, se) USING (parameter);
-- one row a donor gives the same; a fit that does not converge has NULL ones
SELECT (SELECT bgbb_std_errors(frequency, recency, periods) FROM bgbb_donors)
		= (SELECT bgbb_std_errors(frequency, recency, periods, donors) FROM bgbb_donations) AS rows_as_cells,
	bgbb_std_errors(0, 0, 6, 100) AS unconverged,
	(SELECT bgbb_std_errors(frequency, recency, periods) FROM bgbb_donors WHERE false) IS NULL AS no_rows;

-- 3. Predictions at the published parameters (reference values in the comments)
CREATE TABLE bgbb_published AS SELECT bgbb_model(1.204, 0.750, 0.657, 2.783) AS m;
SELECT m FROM bgbb_published;
SELECT parameters(m), log_likelihood(m), customers(m), converged(m) FROM bgbb_published;
-- P(alive at n + 1 = 2002), Table 6: 0.11, 0.59, 0.93; the reference:
-- 0.108016584169, 0.589514116434, 0.930402542373, 0.0694080932065, 0.766734049996
SELECT x, t, n, round(probability_alive(m, x, t, n)::numeric, 11) AS p_alive
FROM bgbb_published, (VALUES (0, 0, 6), (2, 4, 6), (6, 6, 6), (1, 1, 6), (3, 5, 6)) v(x, t, n);
-- expected transactions at the next n* opportunities (eq. 13); the reference:
-- 0.072802877475, 1.05734894191, 3.7521156076, 0.842672858342, 3.22463441061
SELECT x, t, n, k, round(expected_purchases(m, x, t, n, k)::numeric, 10) AS expected
FROM bgbb_published, (VALUES (0, 0, 6, 5), (2, 4, 6, 5), (6, 6, 6, 5), (6, 6, 6, 1), (3, 5, 6, 10)) v(x, t, n, k);
-- a new donor's expected transactions over the first n opportunities
-- (eq. 7); the reference: 0.498490276356, 2.21963139349, 3.38757111106
SELECT n, round(expected_purchases(m, n)::numeric, 11) AS expected
FROM bgbb_published, (VALUES (1), (6), (11)) v(n);
-- no future opportunities: 0
SELECT expected_purchases(m, 6, 6, 6, 0) AS next_zero, expected_purchases(m, 0) AS first_zero FROM bgbb_published;

-- the distribution of a new donor's repeat transactions over the first 6
-- opportunities (eq. 8): it sums to 1 and its mean is eq. 7; the
-- reference's 11,104 x P(X(6) = 0) and (= 6): 3455.7618, 1252.394
SELECT round(sum(purchase_probability(m, 6, x))::numeric, 14) AS total,
	round(sum(x * purchase_probability(m, 6, x))::numeric, 11) AS mean
FROM bgbb_published, generate_series(0, 6) x;
SELECT round((11104 * purchase_probability(m, 6, 0))::numeric, 4) AS none,
	round((11104 * purchase_probability(m, 6, 6))::numeric, 3) AS every_year,
	purchase_probability(m, 6, 7) AS more_than_periods
FROM bgbb_published;
-- the parameters as columns
SELECT alpha(m), beta(m), gamma(m), delta(m) FROM bgbb_published;

-- 4. Predictions from the fit.  Hardie's spreadsheet (lifetimes' test): the
-- donors' expected transactions over 2002-2006 sum to 12,884.2; Table 6
-- again; the reference at its maximum: 12884.1568488
SELECT round(sum(donors * expected_purchases(m, frequency, recency, periods, 5))::numeric, 1) AS expected_2002_2006,
	abs(sum(donors * expected_purchases(m, frequency, recency, periods, 5)) - 12884.1568488) < 1e-3 AS near_reference
FROM bgbb_donations, bgbb_fits WHERE input = 'weighted';
-- Hardie's spreadsheet (In-Sample Fit sheet, as lifetimes' test quotes it):
-- 3,454.9 donors expected to make no repeat donation in 1996-2001 and 1,253.1
-- every year; the reference at its maximum: 3454.882, 1253.1143
SELECT round((11104 * purchase_probability(m, 6, 0))::numeric, 1) AS none,
	round((11104 * purchase_probability(m, 6, 6))::numeric, 1) AS every_year
FROM bgbb_fits WHERE input = 'weighted';
SELECT frequency, recency, round(probability_alive(m, frequency, recency, periods)::numeric, 2) AS p_alive
FROM bgbb_donations, bgbb_fits
WHERE input = 'weighted' AND (frequency, recency) IN ((0, 0), (2, 4), (6, 6))
ORDER BY frequency;

-- 5. gamma = 1, where the closed forms of eqs. 7 and 13 are 0 / 0; the
-- reference's limits: 1.77671752908, 0.799200758284
SELECT round(expected_purchases(bgbb_model(1.204, 0.750, 1, 2.783), 6)::numeric, 11) AS first_6,
	round(expected_purchases(bgbb_model(1.204, 0.750, 1, 2.783), 2, 4, 6, 5)::numeric, 11) AS next_5;

-- 6. The type: text and binary round trips, bad input
SELECT count(*) FILTER (WHERE m::text::bgbb_model::text <> m::text) AS text_round_trip_fails FROM bgbb_fits;
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
SELECT count(*) FILTER (WHERE pg_temp.load_binary('bgbb_model', bgbb_model_send(m)) <> m::text) AS binary_round_trip_fails
FROM bgbb_fits;
SELECT encode(bgbb_model_send(bgbb_model(1, 2, 3, 4)), 'hex');
SELECT '{"version":1,"alpha":1,"beta":2,"gamma":3,"delta":4,"log_likelihood":-5,"customers":7,"converged":true}'::bgbb_model;
\set SHOW_CONTEXT never
SELECT '{"version":2,"alpha":1,"beta":2,"gamma":3,"delta":4,"log_likelihood":0,"customers":0,"converged":false}'::bgbb_model;
SELECT '{"version":1,"alpha":1,"beta":2,"gamma":-3,"delta":4,"log_likelihood":0,"customers":0,"converged":false}'::bgbb_model;
SELECT '{"version":1,"r":1,"alpha":2,"a":3,"b":4,"log_likelihood":0,"customers":0,"converged":false}'::bgbb_model;
SELECT pg_temp.load_binary('bgbb_model', '\x01'::bytea || float8send(1) || float8send(2) || float8send(0) || float8send(4)
	|| float8send(0) || int8send(0) || '\x00'::bytea);
SELECT bgbb_model(1, 2, 'NaN', 4);

-- 7. Bad customers and counts
SELECT probability_alive(m, 3, 2, 6) FROM bgbb_published;
SELECT probability_alive(m, 0, 2, 6) FROM bgbb_published;
SELECT probability_alive(m, 1, 1, 0) FROM bgbb_published;
SELECT expected_purchases(m, 1, 1, 6, -1) FROM bgbb_published;
SELECT expected_purchases(m, -1) FROM bgbb_published;
SELECT purchase_probability(m, 6, -1) FROM bgbb_published;
SELECT expected_purchases(m, 1, 1, 6, 100000000) FROM bgbb_published;
SELECT probability_alive(m, 1, 1, 100000000) FROM bgbb_published;
SELECT bgbb_fit(x, t, n) FROM (VALUES (1::bigint, 2::bigint, 6::bigint), (2, 1, 6)) v(x, t, n);
SELECT bgbb_fit(x, t, n, c) FROM (VALUES (1::bigint, 2::bigint, 6::bigint, 0::bigint)) v(x, t, n, c);
\set SHOW_CONTEXT errors

-- 8. Extreme parameters, where lgamma differences would cancel (at 1e20
-- to 0): the Beta ratios are log rising factorials.  Against the reference
-- (mpmath loggamma at 400 digits), within 1e-11 relative
-- (rows 5 and 6: n = 200, more than 64 factors in the rising factorials)
SELECT k, abs(probability_alive(m, x, t, n) / p_ref - 1) < 1e-11 AS p_alive,
	abs(expected_purchases(m, x, t, n, 5) / e_ref - 1) < 1e-11 AS next_5,
	abs(purchase_probability(m, n, 0) / none_ref - 1) < 1e-11 AS none_in_n
FROM (VALUES (1, bgbb_model(1e-300, 1e300, 1e-300, 1e300), 2, 4, 6, 1.0, 1.0e-299, 1.0),
	(2, bgbb_model(1, 1e20, 1, 1e20), 2, 4, 6, 1.0, 1.5e-19, 1.0),
	(3, bgbb_model(1e300, 1e-300, 1e300, 1e-300), 6, 6, 6, 6.0e-300, 6.0e-300, 1.0),
	(4, bgbb_model(1e5, 2e5, 3e5, 4e5), 3, 5, 6, 0.26891012215871, 0.196412891960652, 0.693248297588598),
	(5, bgbb_model(1.204, 0.750, 0.657, 2.783), 50, 150, 200, 2.00354318712047e-6, 2.52372656885201e-6,
		0.287326245550333),
	(6, bgbb_model(1e5, 2e5, 3e5, 4e5), 70, 150, 200, 9.18631976631214e-22, 6.71128337832761e-22,
		0.692307801547112))
	v(k, m, x, t, n, p_ref, e_ref, none_ref)
ORDER BY k;
