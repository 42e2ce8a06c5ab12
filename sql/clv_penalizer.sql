-- The optional L2 penalizer of the CLV fits (lifetimes' penalizer_coef):
-- bgnbd_fit, pareto_nbd_fit, gamma_gamma_fit, bgbb_fit and their
-- _std_errors with a trailing penalizer c maximise LL - c N sum p^2.
-- Expected values: test/reference/clv_penalizer_reference.py (mpmath,
-- damped Newton at 40 digits on the other references' log-likelihoods).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- 1. The data: the lifetimes CDNOW summary (BG/NBD, Gamma-Gamma), the CDNOW
-- elog calibration (Pareto/NBD), the lifetimes donations (BG/BB)
CREATE TABLE pen_cdnow (customer int, x int, t_x double precision, t double precision,
	zbar double precision);
\copy pen_cdnow FROM 'test/data/lifetimes_cdnow_customers_summary_with_transactions.csv' (FORMAT csv, HEADER)
CREATE TABLE pen_elog (customer int, day date, sales double precision);
\copy pen_elog FROM 'test/data/cdnow_elog_calibration.csv' (FORMAT csv, HEADER)
CREATE TABLE pen_rfm AS
SELECT customer, rfm_agg(day, sales, '1997-09-30', '7 days') AS s FROM pen_elog GROUP BY customer;
CREATE TABLE pen_donations (frequency bigint, recency bigint, periods bigint, donors bigint);
\copy pen_donations FROM 'test/data/lifetimes_donations.csv' (FORMAT csv, HEADER)

-- 2. c = 0 is the unpenalized fit, bit for bit (model and standard errors)
SELECT bgnbd_fit(s, 0)::text = bgnbd_fit(s)::text AS bgnbd,
	bgnbd_std_errors(s, 0)::text = bgnbd_std_errors(s)::text AS bgnbd_se,
	gamma_gamma_fit(s, 0)::text = gamma_gamma_fit(s)::text AS gamma_gamma,
	gamma_gamma_std_errors(s, 0)::text = gamma_gamma_std_errors(s)::text AS gamma_gamma_se
FROM pen_cdnow, rfm_summary(x, t_x, t, zbar) s;
SELECT pareto_nbd_fit(s, 0)::text = pareto_nbd_fit(s)::text AS pareto_nbd,
	pareto_nbd_std_errors(s, 0)::text = pareto_nbd_std_errors(s)::text AS pareto_nbd_se
FROM pen_rfm;
SELECT bgbb_fit(frequency, recency, periods, donors, 0)::text = bgbb_fit(frequency, recency, periods, donors)::text AS bgbb,
	bgbb_std_errors(frequency, recency, periods, donors, 0)::text
		= bgbb_std_errors(frequency, recency, periods, donors)::text AS bgbb_se
FROM pen_donations;

-- 3. The penalized fits at c = 0.01 and 0.1: parameters, the unpenalized
-- log-likelihood at the penalized optimum, standard errors
CREATE TABLE pen_fits AS
SELECT c, 'bgnbd' AS model, '{r,alpha,a,b}'::text[] AS names, m::text::jsonb AS j, log_likelihood(m) AS ll, converged(m) AS converged,
	customers(m) AS customers, se
FROM (VALUES (0.01::float8), (0.1)) v(c),
	LATERAL (SELECT bgnbd_fit(s, c) AS m, bgnbd_std_errors(s, c) AS se
			 FROM pen_cdnow, rfm_summary(x, t_x, t, zbar) s) f
UNION ALL
SELECT c, 'gamma_gamma', '{p,q,gamma}', m::text::jsonb, log_likelihood(m), converged(m), customers(m), se
FROM (VALUES (0.01::float8), (0.1)) v(c),
	LATERAL (SELECT gamma_gamma_fit(s, c) AS m, gamma_gamma_std_errors(s, c) AS se
			 FROM pen_cdnow, rfm_summary(x, t_x, t, zbar) s) f
UNION ALL
SELECT c, 'pareto_nbd', '{r,alpha,s,beta}', m::text::jsonb, log_likelihood(m), converged(m), customers(m), se
FROM (VALUES (0.01::float8), (0.1)) v(c),
	LATERAL (SELECT pareto_nbd_fit(s, c) AS m, pareto_nbd_std_errors(s, c) AS se FROM pen_rfm) f
UNION ALL
SELECT c, 'bgbb', '{alpha,beta,gamma,delta}', m::text::jsonb, log_likelihood(m), converged(m), customers(m), se
FROM (VALUES (0.01::float8), (0.1)) v(c),
	LATERAL (SELECT bgbb_fit(frequency, recency, periods, donors, c) AS m,
				bgbb_std_errors(frequency, recency, periods, donors, c) AS se FROM pen_donations) f;
-- (rounded where the reference's value is far from a rounding boundary)
SELECT model, c, converged, customers, round(ll::numeric, 1) AS log_likelihood,
	(SELECT string_agg(round((j->>k)::numeric, 3)::text, ' ' ORDER BY o)
	 FROM unnest(names) WITH ORDINALITY n(k, o)) AS parameters,
	(SELECT string_agg(round(v::numeric, 5)::text, ' ') FROM unnest(se) v) AS std_errors
FROM pen_fits ORDER BY model, c;
-- the reference (test/reference/clv_penalizer_reference.py): the penalized
-- objective LL - c N sum p^2 within 1e-13 relative (found: <= 2e-15), the
-- parameters within 1e-6 (found: <= 2.1e-7, the simplex's tolerance on a
-- flat maximum), the unpenalized log-likelihood at them within 1e-8 (found:
-- <= 2.7e-9: first order in the parameters' error, as its gradient there
-- is the penalty's), the standard errors within 1e-6 (found: <= 6e-8)
CREATE TABLE pen_reference (model text, c float8, ll float8, p float8[], se float8[]);
INSERT INTO pen_reference VALUES
	('bgnbd', 0.01, -9660.8785784978326, '{0.15750826510158096,1.5294351707985793,0.33520415428726551,0.67836065889460794}', '{0.0060444381520639659,0.089660834066233398,0.03725709981408758,0.0778597588262416}'),
	('bgnbd', 0.1, -9828.9077539385333, '{0.1151490940359777,0.57123550015610069,0.16463489362484981,0.28649880026536377}', '{0.0041005292175673327,0.031411115679901691,0.016773030784102059,0.026695607408556031}'),
	('gamma_gamma', 0.01, -4385.472454969087, '{4.1092503717207679,0.96838547722001928,3.7808016122158208}', '{0.15291631157906067,0.039491567272482267,0.15266441108849248}'),
	('gamma_gamma', 0.1, -5122.3562602761626, '{1.2847618760739684,0.33594737059561413,1.1469251989388548}', '{0.051466689766476228,0.012422431615098494,0.052998192090081937}'),
	('bgbb', 0.01, -33361.765660088638, '{0.97753774808786878,0.61812878332814647,0.31420766221373765,1.0120609015936921}', '{0.02958571143129386,0.015632903271110279,0.0094101595945401692,0.03687834867150136}'),
	('bgbb', 0.1, -34003.787239206379, '{0.53478558022293176,0.39138694324166489,0.16668066269363998,0.49221311454522734}', '{0.010921811836191106,0.0078050298988035512,0.0046616635137838835,0.012811670898896933}'),
	('pareto_nbd', 0.01, -9815.3861251189238, '{0.21828421068948972,1.9964675231993301,0.13364956992015968,0.59992255929818642}', '{0.010143249707888207,0.09704163274180097,0.012569557425989626,0.10103247773378019}'),
	('pareto_nbd', 0.1, -10061.199521951288, '{0.14058752874896453,0.6592771279341637,0.079329696000722768,0.18215292514020162}', '{0.0058421332974836545,0.032556495540776317,0.00786408760368994,0.033081056094451825}');
SELECT f.model, f.c,
	abs((f.ll - f.c * f.customers * (SELECT sum(((f.j->>k)::float8) ^ 2) FROM unnest(f.names) k))
		/ (r.ll - r.c * f.customers * (SELECT sum(v ^ 2) FROM unnest(r.p) v)) - 1) < 1e-13 AS objective_ok,
	abs(f.ll / r.ll - 1) < 1e-8 AS ll_ok,
	(SELECT bool_and(abs((f.j->>k)::float8 / r.p[o] - 1) < 1e-6) FROM unnest(f.names) WITH ORDINALITY n(k, o)) AS parameters_ok,
	(SELECT bool_and(abs(f.se[o] / r.se[o] - 1) < 1e-6) FROM generate_subscripts(r.se, 1) o) AS std_errors_ok
FROM pen_fits f JOIN pen_reference r USING (model, c) ORDER BY 1, 2;
-- the penalty shrinks the parameters (lifetimes' test_penalizer_term_will_shrink_coefs_to_0:
-- every BG/NBD parameter smaller at 0.1 than unpenalized, smaller still at 10)
SELECT (SELECT bool_and(pen < un) FROM unnest(array[r(p1), alpha(p1), a(p1), b(p1)],
			array[r(m0), alpha(m0), a(m0), b(m0)]) u(pen, un)) AS shrunk_at_0_1,
	(SELECT bool_and(pen < un) FROM unnest(array[r(p10), alpha(p10), a(p10), b(p10)],
			array[r(p1), alpha(p1), a(p1), b(p1)]) u(pen, un)) AS shrunk_more_at_10,
	log_likelihood(m0) > log_likelihood(p1) AND log_likelihood(p1) > log_likelihood(p10) AS likelihood_falls
FROM (SELECT bgnbd_fit(s) AS m0, bgnbd_fit(s, 0.1) AS p1, bgnbd_fit(s, 10) AS p10
	  FROM pen_cdnow, rfm_summary(x, t_x, t, zbar) s) f;

-- 4. Edges: no rows, NULL summaries skipped, a penalized fit predicts
SELECT bgnbd_fit(s, 0.1) IS NULL AS bgnbd, pareto_nbd_fit(s, 0.1) IS NULL AS pareto_nbd,
	gamma_gamma_fit(s, 0.1) IS NULL AS gamma_gamma, bgnbd_std_errors(s, 0.1) IS NULL AS bgnbd_se
FROM pen_rfm WHERE false;
SELECT bgbb_fit(frequency, recency, periods, donors, 0.1) IS NULL AS bgbb FROM pen_donations WHERE false;
SELECT bgnbd_fit(s, 0.1)::text = (SELECT bgnbd_fit(s, 0.1)::text FROM pen_rfm) AS nulls_skipped
FROM (SELECT s FROM pen_rfm UNION ALL SELECT NULL::rfm_summary) v;
SELECT round(probability_alive(m, rfm_summary(2, 30.43, 38.86))::numeric, 6) > 0 AS predicts
FROM (SELECT bgnbd_fit(s, 0.1) AS m FROM pen_rfm) f;

-- 5. Errors: the penalizer is finite, >= 0, not NULL, the same on every row
SELECT bgnbd_fit(s, -0.1) FROM pen_rfm;
SELECT bgnbd_fit(s, 'NaN') FROM pen_rfm;
SELECT gamma_gamma_fit(s, 'Infinity') FROM pen_rfm;
SELECT pareto_nbd_fit(s, NULL) FROM pen_rfm;
SELECT bgnbd_fit(s, CASE WHEN customer < 100 THEN 0.1 ELSE 0.2 END) FROM pen_rfm;
SELECT bgbb_fit(frequency, recency, periods, donors, frequency * 0.01) FROM pen_donations;
SELECT bgbb_fit(frequency, recency, periods, donors, -1) FROM pen_donations;

-- 6. Forced parallel plans give the serial result, with no rows too
CREATE TABLE pen_par AS
SELECT i AS customer, rfm_summary(i % 9, CASE WHEN i % 9 = 0 THEN 0 ELSE 1 + i % 20 END, 25 + i % 15,
	CASE WHEN i % 9 = 0 THEN 0 ELSE 10 + i % 7 END) AS s, i % 3 AS x, CASE WHEN i % 3 = 0 THEN 0 ELSE i % 3 + i % 4 END AS tx, 6 AS n
FROM generate_series(1, 30000) i;
ANALYZE pen_par;
CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('bgnbd_fit', $$SELECT bgnbd_fit(s, 0.01)::text, bgnbd_std_errors(s, 0.01)::text FROM pen_par$$),
	('pareto_nbd_fit', $$SELECT pareto_nbd_fit(s, 0.01)::text, pareto_nbd_std_errors(s, 0.01)::text FROM pen_par$$),
	('gamma_gamma_fit', $$SELECT gamma_gamma_fit(s, 0.01)::text, gamma_gamma_std_errors(s, 0.01)::text FROM pen_par$$),
	('bgbb_fit', $$SELECT bgbb_fit(x, tx, n, 1, 0.01)::text, bgbb_std_errors(x, tx, n, 1, 0.01)::text FROM pen_par$$),
	('no rows', $$SELECT bgnbd_fit(s, 0.01)::text, pareto_nbd_fit(s, 0.01)::text, gamma_gamma_fit(s, 0.01)::text,
		bgbb_fit(x, tx, n, 1, 0.01)::text FROM pen_par WHERE customer + 0 < 0$$),
	('penalizer changes', $$SELECT bgnbd_fit(s, CASE WHEN customer = 29000 THEN 0.5 ELSE 0.01 END)::text FROM pen_par$$);

\set ECHO none
\i test/parallel.sql
\set ECHO all
CREATE FUNCTION pg_temp.run_or_error() RETURNS TABLE (name text, result text)
LANGUAGE plpgsql AS $$
DECLARE q record;
BEGIN
	FOR q IN SELECT * FROM queries ORDER BY 1 LOOP
		BEGIN
			RETURN QUERY EXECUTE format('SELECT %L, string_agg(r::text, %L) FROM (%s) r', q.name, E'\n', q.query);
		EXCEPTION WHEN OTHERS THEN
			RETURN QUERY SELECT q.name, 'ERROR ' || SQLSTATE;
		END;
	END LOOP;
END $$;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_or_error();
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_or_error();
SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial,
	CASE WHEN s.result LIKE 'ERROR%' THEN s.result END AS error
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;
