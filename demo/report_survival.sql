-- crm_kpi demo: customer lifetime survival and contract retention, over the
-- sample data of demo/data.sql and demo/data_survival.sql.
--
--   psql -f demo/report_survival.sql      (demo/run does this)
--
-- A subscription's lifetime runs from its start to its cancellation, or to
-- the as-of date 2025-12-31 if it is still running (censored): survival_agg
-- (days, canceled) builds a survival_summary per plan, and the accessors read
-- the Kaplan-Meier curve, the median lifetime with its interval and a
-- log-rank test from it.  The contract cohort gets a shifted-beta-geometric
-- fit that projects its retention beyond the years observed.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;

\pset format aligned
\pset border 2
\pset linestyle unicode
\pset null '-'
\pset footer off

\echo '================================================================'
\echo '  crm_kpi demo report: customer lifetimes and contract retention'
\echo '================================================================'
\echo

CREATE TEMP VIEW lifetimes AS
SELECT plan, coalesce(canceled_on, date '2025-12-31') - started_on AS days,
       canceled_on IS NOT NULL AS canceled
FROM subscriptions;

CREATE TEMP TABLE by_plan AS
SELECT plan, survival_agg(days, canceled) AS s FROM lifetimes GROUP BY plan;

\echo 'Subscription lifetime by plan (days; still active on 2025-12-31 = censored)'
SELECT plan, subjects(s) AS subscriptions, events(s) AS canceled,
       median_survival(s) AS median_days,
       (median_survival_ci(s)).lower AS "median 95% low", (median_survival_ci(s)).upper AS "median 95% high",
       round(100 * survival_at(s, 365)::numeric, 1) AS "% after 1 year",
       round(100 * survival_at(s, 730)::numeric, 1) AS "% after 2 years",
       round(restricted_mean_survival(s, 730)::numeric, 0) AS "mean days of first 730"
FROM by_plan ORDER BY median_survival(s) NULLS LAST;

\echo
\echo 'Do the plans differ?  Log-rank test (as R survdiff)'
SELECT round(chisq::numeric, 1) AS chisq, df, demo_p_value(p_value) AS "p-value"
FROM logrank_test((SELECT array_agg(s) FROM by_plan));
SELECT round(chisq::numeric, 1) AS "chisq Pro vs Enterprise", df, demo_p_value(p_value) AS "p-value"
FROM logrank_test((SELECT array_agg(s) FROM by_plan WHERE plan IN ('Pro', 'Enterprise')));

\echo
\echo 'Kaplan-Meier curve of the Basic plan, first 10 cancellation days (95% log interval)'
SELECT "time" AS day, at_risk, events AS canceled, censored,
       round(survival::numeric, 4) AS survival, round(std_err::numeric, 4) AS std_err,
       round(lower::numeric, 4) AS lower, round(upper::numeric, 4) AS upper
FROM by_plan, kaplan_meier(s) WHERE plan = 'Basic' ORDER BY "time" LIMIT 10;

\echo
\echo 'Retention curve by plan at yearly marks (share still subscribed, %)'
SELECT plan, y AS years, round(100 * survival_at(s, 365 * y)::numeric, 1) AS "% active"
FROM by_plan, generate_series(1, 4) y ORDER BY plan, y \crosstabview plan years "% active"

\echo
\echo 'Contract cohort of 2019 (1,500 annual contracts): shifted-beta-geometric fit on 2019-2023'
CREATE TEMP TABLE sbg AS
SELECT sbg_fit(year, active) FILTER (WHERE year <= 4) AS m FROM contract_cohort;
SELECT round(alpha(m)::numeric, 3) AS alpha, round(beta(m)::numeric, 3) AS beta,
       round(log_likelihood(m)::numeric, 2) AS log_likelihood, converged(m),
       round((alpha(m) / (alpha(m) + beta(m)))::numeric, 3) AS "mean churn probability"
FROM sbg;

\echo
\echo 'Projection to 2029 against what happened in 2024-2025 (years 5-6 were not fitted)'
SELECT 2019 + p.period AS year, c.active AS actual, round(p.expected_active) AS projected,
       round(100 * p.retention_rate::numeric, 1) AS "retention rate %"
FROM sbg, sbg_projection(m, 10) p LEFT JOIN contract_cohort c ON c.year = p.period
ORDER BY p.period;
