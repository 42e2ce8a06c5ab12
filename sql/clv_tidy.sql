--
-- Plain columns for BI tools (issue 13): the parameters of the fitted CLV
-- models as scalars, as alpha(m) and beta(m) read an sbg_model.  Each must
-- equal the field of parameters(m) it mirrors (exactly) and the published
-- fit on CDNOW (as in sql/clv.sql).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE tidy_cdnow (customer int, x int, t_x double precision, t double precision,
	zbar double precision);
\copy tidy_cdnow FROM 'test/data/lifetimes_cdnow_customers_summary_with_transactions.csv' (FORMAT csv, HEADER)
CREATE TABLE tidy_fits AS
SELECT bgnbd_fit(rfm_summary(x, t_x, t, zbar)) AS bg,
	gamma_gamma_fit(rfm_summary(x, t_x, t, zbar)) AS gg
FROM tidy_cdnow;

-- BG/NBD, published (Fader, Hardie and Lee 2005): r = 0.243, alpha = 4.414,
-- a = 0.793, b = 2.426
SELECT round(r(bg)::numeric, 3) AS r, round(alpha(bg)::numeric, 3) AS alpha,
	round(a(bg)::numeric, 3) AS a, round(b(bg)::numeric, 3) AS b,
	r(bg) = p.r AND alpha(bg) = p.alpha AND a(bg) = p.a AND b(bg) = p.b AS same_as_parameters
FROM tidy_fits, parameters(bg) p;
-- Gamma-Gamma, published: p = 6.25, q = 3.74, gamma = 15.44 (within 0.01
-- with lifetimes' 2-decimal mean values)
SELECT abs(p(gg) - 6.25) <= 0.01 AS p_ok, abs(q(gg) - 3.74) <= 0.01 AS q_ok,
	abs(gamma(gg) - 15.44) <= 0.01 AS gamma_ok,
	p(gg) = x.p AND q(gg) = x.q AND gamma(gg) = x.gamma AS same_as_parameters
FROM tidy_fits, parameters(gg) x;
-- a model of given parameters reads back as given; NULL model: NULL
SELECT r(m), alpha(m), a(m), b(m)
FROM (SELECT bgnbd_model(0.243, 4.414, 0.793, 2.426) AS m) x;
SELECT p(m), q(m), gamma(m)
FROM (SELECT gamma_gamma_model(6.25, 3.74, 15.44) AS m) x;
SELECT r(NULL::bgnbd_model) AS r, gamma(NULL::gamma_gamma_model) AS gamma;
