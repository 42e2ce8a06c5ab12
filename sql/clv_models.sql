--
-- CLV models beyond the point fit (issue 14): unconverged fits refused by
-- the predictions, standard errors from the observed information.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- 1. Unconverged fits.  A young cohort in which nobody has dropped out yet:
-- 200 customers observed for 30 weeks, each with 1 to 10 repeat purchases,
-- the last in the 30th week (t_x = T).  The BG/NBD likelihood keeps growing
-- as the drop-out probability p ~ Beta(a, b) goes to 0 (a -> 0, b -> inf):
-- the fit stops on its search box with converged = false.
CREATE TABLE models_active AS
SELECT bgnbd_fit(rfm_summary(i % 10 + 1, 30, 30, 10 + i % 7)) AS bg,
	gamma_gamma_fit(rfm_summary(1, 30, 30, 12.5)) AS gg
FROM generate_series(1, 200) i;
SELECT customers(bg), converged(bg), a < 1e-4 AS a_to_0, b > 1e4 AS b_to_inf,
	customers(gg), converged(gg)
FROM models_active, parameters(bg);
-- every prediction from it is refused (22023), naming the model
\set VERBOSITY terse
SELECT probability_alive(bg, rfm_summary(2, 20, 30)) FROM models_active;
SELECT expected_purchases(bg, rfm_summary(2, 20, 30), 10) FROM models_active;
SELECT expected_purchases(bg, 10) FROM models_active;
SELECT purchase_probability(bg, 10, 1) FROM models_active;
SELECT purchase_probability(bg, rfm_summary(2, 20, 30), 10, 1) FROM models_active;
-- Gamma-Gamma of identical spends: no heterogeneity to identify
SELECT expected_spend(gg, rfm_summary(2, 20, 30, 12.5)) FROM models_active;
SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gg, rfm_summary(2, 20, 30, 12.5), 12, 4, 0.01)
FROM models_active;
SELECT predicted_clv(bg, gamma_gamma_model(6.25, 3.74, 15.44), rfm_summary(2, 20, 30, 12.5), 12, 4, 0.01)
FROM models_active;
\set VERBOSITY default
-- the message's detail and hint
SELECT probability_alive(bgnbd_fit(rfm_summary(3, 8, 10)), rfm_summary(2, 20, 30));
-- a model of given parameters (0 customers, converged = false) is used as
-- it is: published CDNOW parameters, P(alive) = 0.7187 (FHL 2005 eq. 13,
-- clv_reference.py)
SELECT converged(m), customers(m), round(probability_alive(m, rfm_summary(1, 2, 3))::numeric, 4)
FROM (SELECT bgnbd_model(0.243, 4.414, 0.793, 2.426) AS m) g;

-- 2. Standard errors from the observed information, on the lifetimes CDNOW
-- summary (2,357 customers; 946 repeat buyers).  Published (lifetimes
-- docs/Quickstart.md, bgf.summary): r 0.242593 se 0.012557, alpha 4.413532
-- se 0.378221, a 0.792886 se 0.185719, b 2.425752 se 0.705345.
-- clv_models_reference.py (mpmath, Newton's maximum, natural-scale Hessian):
-- se r 0.012557319583759944, alpha 0.37822141552658981, a 0.18571914309592723,
-- b 0.70534575510356921; p 1.1896870376579968, q 0.29016561513517092,
-- gamma 4.1599938783251164; their 95 % Wald bounds (z = 1.959964) below.
CREATE TABLE models_cdnow (customer int, x int, t_x double precision, t double precision,
	zbar double precision);
\copy models_cdnow FROM 'test/data/lifetimes_cdnow_customers_summary_with_transactions.csv' (FORMAT csv, HEADER)
CREATE TABLE models_cdnow_fits AS
SELECT bgnbd_fit(s) AS bg, bgnbd_std_errors(s) AS bg_se,
	gamma_gamma_fit(s) AS gg, gamma_gamma_std_errors(s) AS gg_se
FROM models_cdnow, rfm_summary(x, t_x, t, zbar) s;
-- the published standard errors to their decimals; the estimates within
-- 1e-6 of lifetimes' (b: 2.4257528 here, 2.4257534 by the reference)
SELECT e.parameter, round(e.std_err::numeric, 6) AS se, abs(e.estimate - pub.coef) <= 1e-6 AS coef_ok
FROM models_cdnow_fits, parameter_estimates(bg, bg_se) e
JOIN (VALUES ('r', 0.242593), ('alpha', 4.413532), ('a', 0.792886), ('b', 2.425752)) pub(parameter, coef)
	USING (parameter);
-- against the reference: standard errors and bounds within 1e-5 relative
SELECT e.parameter, abs(e.std_err / ref.se - 1) < 1e-5 AS se_ok,
	abs(e.lower / ref.lower - 1) < 1e-5 AS lower_ok, abs(e.upper / ref.upper - 1) < 1e-5 AS upper_ok
FROM models_cdnow_fits, parameter_estimates(bg, bg_se) e
JOIN (VALUES ('r', 0.012557319583759944, 0.2179810130779369, 0.26720480133099489),
	('alpha', 0.37822141552658981, 3.6722312085915518, 5.1548319138193008),
	('a', 0.18571914309592723, 0.42888331639111053, 1.1568889798064266),
	('b', 0.70534575510356921, 1.0433011598424167, 3.8082057131448263)) ref(parameter, se, lower, upper)
	USING (parameter);
SELECT e.parameter, round(e.estimate::numeric, 4) AS coef, abs(e.std_err / ref.se - 1) < 1e-5 AS se_ok,
	abs(e.lower / ref.lower - 1) < 1e-5 AS lower_ok, abs(e.upper / ref.upper - 1) < 1e-5 AS upper_ok
FROM models_cdnow_fits, parameter_estimates(gg, gg_se) e
JOIN (VALUES ('p', 1.1896870376579968, 3.917058743025276, 8.5805462363929179),
	('q', 0.29016561513517092, 3.1758742980706236, 4.3133026085043145),
	('gamma', 4.1599938783251164, 7.2943098320393875, 23.601186186888045)) ref(parameter, se, lower, upper)
	USING (parameter);
-- the estimates are the model's parameters exactly; a 90 % interval is
-- narrower by z(0.95) / z(0.975) = 1.644854 / 1.959964
SELECT bool_and(e.estimate = CASE e.parameter WHEN 'r' THEN r WHEN 'alpha' THEN alpha
		WHEN 'a' THEN a ELSE b END) AS estimates_are_parameters,
	bool_and(abs((e90.upper - e90.lower) / (e.upper - e.lower) - 1.6448536269514722 / 1.959963984540054) < 1e-12)
		AS level_90
FROM models_cdnow_fits, parameters(bg), parameter_estimates(bg, bg_se) e
JOIN parameter_estimates(bg, bg_se, 0.90) e90 USING (parameter);
-- without standard errors: the estimates alone; a NULL model: no rows
SELECT * FROM parameter_estimates(bgnbd_model(0.243, 4.414, 0.793, 2.426), NULL);
SELECT count(*) FROM parameter_estimates(NULL::gamma_gamma_model, '{1,2,3}');
-- an unconverged fit has no standard errors (the young cohort of section 1)
SELECT bgnbd_std_errors(rfm_summary(i % 10 + 1, 30, 30)) FROM generate_series(1, 200) i;
SELECT * FROM parameter_estimates((SELECT bgnbd_fit(rfm_summary(i % 10 + 1, 30, 30))
	FROM generate_series(1, 200) i), '{NULL,NULL,NULL,NULL}') WHERE std_err IS NULL AND lower IS NULL;
-- no rows: NULL
SELECT bgnbd_std_errors(s) IS NULL AS bg_null, gamma_gamma_std_errors(s) IS NULL AS gg_null
FROM (VALUES (rfm_summary(0, 0, 10))) v(s) WHERE false;
SELECT gamma_gamma_std_errors(rfm_summary(0, 0, 10)) IS NULL AS no_repeat_buyer;
-- errors (22023): wrong length, a non-positive standard error, a 2-D array,
-- a level outside (0, 1); 22004: a NULL level
\set VERBOSITY terse
SELECT * FROM parameter_estimates(bgnbd_model(0.243, 4.414, 0.793, 2.426), '{1,2,3}');
SELECT * FROM parameter_estimates(gamma_gamma_model(6.25, 3.74, 15.44), '{1,-2,3}');
SELECT * FROM parameter_estimates(gamma_gamma_model(6.25, 3.74, 15.44), '{{1,2,3}}');
SELECT * FROM parameter_estimates(gamma_gamma_model(6.25, 3.74, 15.44), '{1,2,3}', 1);
SELECT * FROM parameter_estimates(gamma_gamma_model(6.25, 3.74, 15.44), '{1,2,3}', NULL);
\set VERBOSITY default
