--
-- Plain columns for BI tools (issue 13): the scalar accessors of the survey
-- family's record results.  Each must equal the record field it mirrors
-- (compared exactly, IS NOT DISTINCT FROM) and the published value.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- P = 40, D = 30, n = 100 (Rocks 2016, "Interval estimation for the 'net
-- promoter score'", The American Statistician 70(4); SE 8.31): adjusted Wald
-- [-6.271937088, 25.689412816], Wald [-6.280683604, 26.280683604]
SELECT round(nps_lower(s)::numeric, 9) AS adjusted_lower, round(nps_upper(s)::numeric, 9) AS adjusted_upper,
	round(nps_lower(s, 0.95, 'wald')::numeric, 9) AS wald_lower,
	round(nps_upper(s, method => 'wald')::numeric, 9) AS wald_upper,
	nps_lower(s) IS NOT DISTINCT FROM (nps_ci(s)).lower
		AND nps_upper(s) IS NOT DISTINCT FROM (nps_ci(s)).upper
		AND nps_lower(s, 0.95, 'wald') IS NOT DISTINCT FROM (nps_ci(s, 0.95, 'wald')).lower
		AND nps_upper(s, 0.95, 'wald') IS NOT DISTINCT FROM (nps_ci(s, 0.95, 'wald')).upper
		AND nps_lower(s, 0.8) IS NOT DISTINCT FROM (nps_ci(s, 0.8)).lower AS same_as_nps_ci
FROM (SELECT '{"version":1,"scale":[0,10],"counts":[30,0,0,0,0,0,0,30,0,40,0]}'::survey_summary AS s) x;

-- Wilson intervals, published vectors at z = 1.96 (the test cases of
-- "Compute the Wilson score interval", codegolf.stackexchange.com question
-- 105389), in percent; satisfied_from 1 on a 0..1 scale
SELECT k, n, abs(csat_lower(s, 0.9500042097035593, 1) - exp_lower) < 1e-9
		AND abs(csat_upper(s, 0.9500042097035593, 1) - exp_upper) < 1e-9 AS matches_published,
	csat_lower(s, 0.9500042097035593, 1) IS NOT DISTINCT FROM (csat_ci(s, 0.9500042097035593, 1)).lower
		AND csat_upper(s, 0.9500042097035593, 1) IS NOT DISTINCT FROM (csat_ci(s, 0.9500042097035593, 1)).upper
		AS same_as_csat_ci
FROM (VALUES
	(0, 1, 0, 79.34567085261071),
	(1, 2, 9.452865480086611, 90.5471345199134),
	(10, 100, 5.522854161313612, 17.43673043676654),
	(0, 100, 0, 3.699480747600191)
) v(k, n, exp_lower, exp_upper),
LATERAL (SELECT format('{"version":1,"scale":[0,1],"counts":[%s,%s]}', n - k, k)::survey_summary AS s) x;
-- the default threshold (top two of 1..5) and a NULL one are the same;
-- 40 answers 2,3,5,12,18: Wilson 95 % [59.806038579, 85.812881361]
SELECT round(csat_lower(s)::numeric, 9) AS lower, round(csat_upper(s)::numeric, 9) AS upper,
	csat_lower(s) IS NOT DISTINCT FROM (csat_ci(s)).lower
		AND csat_upper(s, 0.95, NULL) IS NOT DISTINCT FROM (csat_ci(s)).upper
		AND csat_lower(s, 0.9, 5) IS NOT DISTINCT FROM (csat_ci(s, 0.9, 5)).lower AS same_as_csat_ci
FROM (SELECT '{"version":1,"scale":[1,5],"counts":[2,3,5,12,18]}'::survey_summary AS s) x;

-- CES: 40 answers 1,2,4,6,9,11,7 on 1..7, mean 5.025, Student t 95 %
-- [4.525918034, 5.524081966] (t(0.975, 39) = 2.022690901)
SELECT round(ces_lower(s)::numeric, 9) AS lower, round(ces_upper(s)::numeric, 9) AS upper,
	ces_lower(s) IS NOT DISTINCT FROM (mean_score_ci(s)).lower
		AND ces_upper(s) IS NOT DISTINCT FROM (mean_score_ci(s)).upper
		AND mean_score_lower(s) IS NOT DISTINCT FROM (mean_score_ci(s)).lower
		AND mean_score_upper(s, 0.99) IS NOT DISTINCT FROM (mean_score_ci(s, 0.99)).upper
		AS same_as_mean_score_ci
FROM (SELECT '{"version":1,"scale":[1,7],"counts":[1,2,4,6,9,11,7]}'::survey_summary AS s) x;

-- Two quarters (sql/survey.sql, section 4): difference -44, p 0.000139536
SELECT nps_difference(a, b), round(nps_p_value(a, b)::numeric, 9) AS p_value,
	nps_difference(a, b) IS NOT DISTINCT FROM (nps_compare(a, b)).difference
		AND nps_p_value(a, b) IS NOT DISTINCT FROM (nps_compare(a, b)).p_value AS same_as_nps_compare
FROM (SELECT '{"version":1,"scale":[0,10],"counts":[10,2,3,5,5,8,7,15,15,15,15]}'::survey_summary AS a,
	'{"version":1,"scale":[0,10],"counts":[3,1,2,0,4,5,6,10,14,20,35]}'::survey_summary AS b) x;

-- NULLs as the records have them: an empty summary, one score (no t
-- interval), identical variance-free samples (no p), NULL arguments
SELECT nps_lower(nps_agg(s)) AS empty_nps, csat_upper(csat_agg(s)) AS empty_csat,
	mean_score_lower(ces_agg(s)) AS empty_mean
FROM (VALUES (1)) v(s) WHERE false;
SELECT ces_lower(ces_agg(4)) AS one_score, nps_difference(nps_agg(10), nps_agg(10)) AS difference,
	nps_p_value(nps_agg(10), nps_agg(10)) AS p_value;
SELECT nps_lower(NULL) AS null_summary, csat_lower(csat_agg(4), NULL) AS null_level,
	nps_p_value(nps_agg(3), NULL) AS null_b;

-- a BI tool's query: one row per group, bounds as plain columns
SELECT g, nps_lower(s) IS NOT DISTINCT FROM (nps_ci(s)).lower
	AND nps_upper(s) IS NOT DISTINCT FROM (nps_ci(s)).upper AS same_as_nps_ci
FROM (SELECT i % 3 AS g, nps_agg((i * 7) % 11) AS s FROM generate_series(1, 300) i GROUP BY 1) x
ORDER BY g;
-- in a view, under any search_path, and once the extension has moved: the
-- accessors find their record function in their own schema
CREATE VIEW nps_bounds AS
SELECT nps_lower(s) AS lower, nps_upper(s) AS upper
FROM (SELECT '{"version":1,"scale":[0,10],"counts":[30,0,0,0,0,0,0,30,0,40,0]}'::survey_summary AS s) x;
BEGIN;
CREATE SCHEMA kpi_elsewhere;
ALTER EXTENSION crm_kpi SET SCHEMA kpi_elsewhere;
SET LOCAL search_path = pg_catalog;
SELECT round(lower::numeric, 9) AS lower, round(upper::numeric, 9) AS upper FROM public.nps_bounds;
SELECT round(kpi_elsewhere.mean_score_upper('{"version":1,"scale":[1,7],"counts":[1,2,4,6,9,11,7]}')::numeric, 9)
	AS moved_mean_score_upper;
ROLLBACK;
DROP VIEW nps_bounds;
