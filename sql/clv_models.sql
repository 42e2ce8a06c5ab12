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
