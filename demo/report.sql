-- crm_kpi demo: a survey KPI report over the sample data of demo/data.sql.
--
--   psql -f demo/report.sql      (demo/run does this on a throwaway cluster)
--
-- Each query is written the way an analyst would use the extension, so the
-- file doubles as a cookbook.  Two patterns recur:
--
--   * one-step: an aggregate returns the KPI directly, e.g. nps(score);
--   * two-step: an aggregate returns a survey_summary (nps_agg, csat_agg,
--     ces_agg), a small exact histogram of the scores; accessors read any
--     KPI and interval from it, and rollup() merges summaries, so they can be
--     stored (per day, per segment, ...) and combined later at any grain.
--
-- NULL scores (skipped questions) are ignored by every aggregate.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
SET TimeZone = 'UTC';           -- quarters and months are UTC buckets

\pset format aligned
\pset border 2
\pset linestyle unicode
\pset null '-'
\pset footer off

\echo '================================================================'
\echo '  crm_kpi demo report: customer and employee surveys, 2024-2025'
\echo '================================================================'
\echo

------------------------------------------------------------------------------
\echo '0. The data (demo/data.sql): answers per survey; NULL scores are skipped questions'
------------------------------------------------------------------------------

SELECT survey,
       count(*)                      AS answers,
       count(*) - count(score)       AS skipped,
       min(score) || '..' || max(score) AS "scores seen",
       min(answered_at)::date        AS "first answer",
       max(answered_at)::date        AS "last answer"
FROM (SELECT survey, score, answered_at FROM survey_responses
      UNION ALL
      SELECT 'enps (employees)', enps_score, answered_at FROM employee_survey) AS answers
GROUP BY survey
ORDER BY CASE survey WHEN 'nps' THEN 1 WHEN 'csat' THEN 2 WHEN 'ces' THEN 3 ELSE 4 END;

------------------------------------------------------------------------------
\echo '1. Net Promoter Score, all customers'
\echo '   promoters answer 9-10, passives 7-8, detractors 0-6;'
\echo '   NPS = % promoters - % detractors, on -100..100'
------------------------------------------------------------------------------

WITH answers AS (
	SELECT nps_agg(score) AS s,                     -- one summary of 0..10 scores
	       count(*) FILTER (WHERE score IS NULL) AS skipped
	FROM survey_responses
	WHERE survey = 'nps'
)
SELECT responses(s)                                AS responses,
       skipped,
       round(100 * promoter_share(s)::numeric, 1)  AS "promoters %",
       round(100 * passive_share(s)::numeric, 1)   AS "passives %",
       round(100 * detractor_share(s)::numeric, 1) AS "detractors %",
       round(nps(s)::numeric, 1)                   AS nps,
       round(nps_stderr(s)::numeric, 2)            AS stderr,
       round(ci.lower::numeric, 1)                 AS "95% CI low",
       round(ci.upper::numeric, 1)                 AS "95% CI high"
FROM answers, nps_ci(s) AS ci;                      -- adjusted Wald, 95% by default

------------------------------------------------------------------------------
\echo '2a. NPS by customer segment, with 95% confidence intervals'
------------------------------------------------------------------------------

SELECT segment,
       responses(s)                           AS responses,
       round(nps(s)::numeric, 1)              AS nps,
       round(ci.lower::numeric, 1)            AS "95% CI low",
       round(ci.upper::numeric, 1)            AS "95% CI high",
       round(100 * promoter_share(s)::numeric, 1)  AS "promoters %",
       round(100 * detractor_share(s)::numeric, 1) AS "detractors %"
FROM (SELECT c.segment, nps_agg(r.score) AS s
      FROM survey_responses AS r
      JOIN customers AS c USING (customer_id)
      WHERE r.survey = 'nps'
      GROUP BY c.segment) AS by_segment,
     nps_ci(s) AS ci
ORDER BY nps DESC;

------------------------------------------------------------------------------
\echo '2b. NPS by quarter and segment (one-step aggregate nps(score) with FILTER)'
------------------------------------------------------------------------------

SELECT to_char(date_trunc('quarter', r.answered_at), 'YYYY-"Q"Q')          AS quarter,
       round(nps(r.score)::numeric, 1)                                     AS "all customers",
       round((nps(r.score) FILTER (WHERE c.segment = 'SMB'))::numeric, 1)        AS "SMB",
       round((nps(r.score) FILTER (WHERE c.segment = 'Mid-Market'))::numeric, 1) AS "Mid-Market",
       round((nps(r.score) FILTER (WHERE c.segment = 'Enterprise'))::numeric, 1) AS "Enterprise",
       count(r.score)                                                      AS responses
FROM survey_responses AS r
JOIN customers AS c USING (customer_id)
WHERE r.survey = 'nps'
GROUP BY date_trunc('quarter', r.answered_at)
ORDER BY date_trunc('quarter', r.answered_at);

------------------------------------------------------------------------------
\echo '2c. Quarter over quarter: is the change in NPS significant?'
\echo '    nps_compare(this quarter, previous quarter) on summaries paired by lag()'
------------------------------------------------------------------------------

WITH quarterly AS (
	SELECT date_trunc('quarter', answered_at) AS quarter,
	       nps_agg(score)                     AS s
	FROM survey_responses
	WHERE survey = 'nps'
	GROUP BY 1
),
paired AS (
	SELECT quarter, s,
	       lag(s) OVER (ORDER BY quarter) AS previous
	FROM quarterly
)
SELECT to_char(quarter, 'YYYY-"Q"Q')           AS quarter,
       responses(s)                            AS responses,
       round(nps(s)::numeric, 1)               AS nps,
       round(nps(previous)::numeric, 1)        AS "previous",
       round(cmp.difference::numeric, 1)       AS difference,
       round(cmp.stderr::numeric, 2)           AS stderr,
       round(cmp.z::numeric, 2)                AS z,
       demo_p_value(cmp.p_value)               AS "p-value",
       CASE WHEN cmp.p_value < 0.05 THEN 'significant'
            WHEN cmp.p_value >= 0.05 THEN 'not significant'
       END                                     AS "verdict (p < 0.05)"
FROM paired
LEFT JOIN LATERAL nps_compare(s, previous) AS cmp ON true   -- NULL for the first quarter
ORDER BY paired.quarter;

------------------------------------------------------------------------------
\echo '2d. Year over year by segment: 2025 against 2024'
------------------------------------------------------------------------------

WITH yearly AS (
	SELECT c.segment,
	       nps_agg(r.score) FILTER (WHERE r.answered_at <  '2025-01-01') AS y2024,
	       nps_agg(r.score) FILTER (WHERE r.answered_at >= '2025-01-01') AS y2025
	FROM survey_responses AS r
	JOIN customers AS c USING (customer_id)
	WHERE r.survey = 'nps'
	GROUP BY c.segment
)
SELECT segment,
       round(nps(y2024)::numeric, 1)      AS "NPS 2024",
       round(nps(y2025)::numeric, 1)      AS "NPS 2025",
       round(cmp.difference::numeric, 1)  AS difference,
       round(cmp.z::numeric, 2)           AS z,
       demo_p_value(cmp.p_value)          AS "p-value",
       CASE WHEN cmp.p_value < 0.05 THEN 'significant' ELSE 'not significant' END AS verdict
FROM yearly, nps_compare(y2025, y2024) AS cmp
ORDER BY difference DESC;

------------------------------------------------------------------------------
\echo '3a. Two-step pattern: store daily summaries once, roll them up at any grain'
\echo '    CREATE MATERIALIZED VIEW nps_daily: one nps_agg summary per day and segment'
------------------------------------------------------------------------------

DROP MATERIALIZED VIEW IF EXISTS nps_daily;
CREATE MATERIALIZED VIEW nps_daily AS
SELECT (r.answered_at AT TIME ZONE 'UTC')::date AS day,   -- UTC days, whatever the session TimeZone
       c.segment,
       nps_agg(r.score)                        AS summary
FROM survey_responses AS r
JOIN customers AS c USING (customer_id)
WHERE r.survey = 'nps'
GROUP BY 1, 2;
CREATE UNIQUE INDEX ON nps_daily (day, segment);           -- allows REFRESH ... CONCURRENTLY

SELECT count(*)                                   AS "summaries stored",
       sum(responses(summary))                    AS "answers they hold",
       min(day)                                   AS "first day",
       max(day)                                   AS "last day",
       round(avg(responses(summary)), 1)          AS "answers per summary"
FROM nps_daily;

\echo '    Summaries merge exactly: rollup() of the daily ones equals one pass over the rows'

SELECT round(nps(rollup(summary))::numeric, 3)                      AS "NPS from nps_daily",
       (SELECT round(nps(score)::numeric, 3)
        FROM survey_responses WHERE survey = 'nps')                 AS "NPS from the raw rows",
       rollup(summary)::text = (SELECT nps_agg(score)::text
                                FROM survey_responses WHERE survey = 'nps')
                                                                    AS "same histogram"
FROM nps_daily;

------------------------------------------------------------------------------
\echo '3b. Monthly NPS from the daily summaries: nps(rollup(summary)) GROUP BY month'
------------------------------------------------------------------------------

SELECT to_char(date_trunc('month', day), 'YYYY-MM')                          AS month,
       responses(rollup(summary))                                            AS responses,
       round(nps(rollup(summary))::numeric, 1)                               AS "all customers",
       round(nps(rollup(summary) FILTER (WHERE segment = 'SMB'))::numeric, 1)        AS "SMB",
       round(nps(rollup(summary) FILTER (WHERE segment = 'Mid-Market'))::numeric, 1) AS "Mid-Market",
       round(nps(rollup(summary) FILTER (WHERE segment = 'Enterprise'))::numeric, 1) AS "Enterprise"
FROM nps_daily
GROUP BY date_trunc('month', day)
ORDER BY date_trunc('month', day);

------------------------------------------------------------------------------
\echo '3c. 30-day rolling NPS at each month end, computed two ways:'
\echo '    raw rows:  nps(score) OVER (ORDER BY answered_at'
\echo '                 RANGE BETWEEN ''30 days'' PRECEDING AND CURRENT ROW), at the month''s last answer'
\echo '    summaries: rollup(summary) OVER (ORDER BY day'
\echo '                 RANGE BETWEEN ''29 days'' PRECEDING AND CURRENT ROW), on the month''s last day'
\echo '    (the windows differ by a few hours at their edges, hence the odd 0.1-0.2 gap)'
------------------------------------------------------------------------------

WITH rolling_raw AS (
	SELECT answered_at,
	       nps(score)   OVER w AS nps_30d,
	       count(score) OVER w AS responses_30d
	FROM survey_responses
	WHERE survey = 'nps'
	WINDOW w AS (ORDER BY answered_at
	             RANGE BETWEEN '30 days' PRECEDING AND CURRENT ROW)
),
month_end_raw AS (                        -- the last answer of each month
	SELECT DISTINCT ON (date_trunc('month', answered_at))
	       date_trunc('month', answered_at)::date AS month, nps_30d, responses_30d
	FROM rolling_raw
	ORDER BY date_trunc('month', answered_at), answered_at DESC
),
daily AS (                                -- all segments together, one row per day
	SELECT day, rollup(summary) AS summary
	FROM nps_daily
	GROUP BY day
),
rolling_daily AS (
	SELECT day,
	       rollup(summary) OVER (ORDER BY day
	                             RANGE BETWEEN '29 days' PRECEDING AND CURRENT ROW)
	         AS summary_30d
	FROM daily
),
month_end_daily AS (                      -- the last day of each month
	SELECT DISTINCT ON (date_trunc('month', day))
	       date_trunc('month', day)::date AS month, summary_30d
	FROM rolling_daily
	ORDER BY date_trunc('month', day), day DESC
)
SELECT to_char(m.month, 'YYYY-MM')                    AS month,
       m.responses_30d                                AS "answers in window",
       round(m.nps_30d::numeric, 1)                   AS "30-day NPS (raw rows)",
       round(nps(d.summary_30d)::numeric, 1)          AS "30-day NPS (summaries)",
       round(ci.lower::numeric, 1)                    AS "95% CI low",
       round(ci.upper::numeric, 1)                    AS "95% CI high"
FROM month_end_raw AS m
JOIN month_end_daily AS d USING (month),
     nps_ci(d.summary_30d) AS ci
ORDER BY m.month;

------------------------------------------------------------------------------
\echo '4a. CSAT by support channel: % of 4-5 answers on 1..5, Wilson 95% interval'
------------------------------------------------------------------------------

SELECT coalesce(channel, 'all channels')     AS channel,
       responses(s)                          AS responses,
       round(csat(s)::numeric, 1)            AS "CSAT %",
       round(ci.lower::numeric, 1)           AS "95% CI low",
       round(ci.upper::numeric, 1)           AS "95% CI high",
       round(csat(s, 5)::numeric, 1)         AS "top box (5) %"
FROM (SELECT channel, csat_agg(score) AS s
      FROM survey_responses
      WHERE survey = 'csat'
      GROUP BY GROUPING SETS ((channel), ())) AS by_channel,
     csat_ci(s) AS ci
ORDER BY channel IS NULL, csat(s) DESC;

\echo '    Shortcut when only the number is needed: the aggregate csat(score)'

SELECT round(csat(score)::numeric, 1)                                    AS "CSAT %",
       round((csat(score) FILTER (WHERE channel = 'phone'))::numeric, 1) AS "phone CSAT %",
       round((csat(score) FILTER (WHERE channel <> 'phone'))::numeric, 1) AS "other channels CSAT %"
FROM survey_responses
WHERE survey = 'csat';

------------------------------------------------------------------------------
\echo '4b. CSAT score distribution: score_distribution(csat_agg(score))'
------------------------------------------------------------------------------

WITH summaries AS (
	SELECT csat_agg(score)                                  AS all_channels,
	       csat_agg(score) FILTER (WHERE channel = 'phone') AS phone
	FROM survey_responses
	WHERE survey = 'csat'
)
SELECT a.score,
       a.responses                             AS responses,
       round(100 * a.share::numeric, 1)        AS "share %",
       repeat('#', round(100 * a.share)::int)  AS "all channels",
       round(100 * p.share::numeric, 1)        AS "phone share %",
       repeat('#', round(100 * p.share)::int)  AS "phone"
FROM summaries,
     score_distribution(all_channels) AS a
JOIN score_distribution(phone)        AS p USING (score)
ORDER BY a.score DESC;

------------------------------------------------------------------------------
\echo '5. Customer Effort Score (1..7, "the company made it easy"), by support channel'
\echo '   ces = mean score with a Student t 95% interval; ces_agree = % answering 5-7'
------------------------------------------------------------------------------

SELECT coalesce(channel, 'all channels')     AS channel,
       responses(s)                          AS responses,
       round(ces(s)::numeric, 2)             AS ces,
       round(ci.lower::numeric, 2)           AS "95% CI low",
       round(ci.upper::numeric, 2)           AS "95% CI high",
       round(ces_agree(s)::numeric, 1)       AS "agree (5-7) %",
       round(ces_agree(s, 6)::numeric, 1)    AS "strongly (6-7) %"
FROM (SELECT channel, ces_agg(score) AS s
      FROM survey_responses
      WHERE survey = 'ces'
      GROUP BY GROUPING SETS ((channel), ())) AS by_channel,
     mean_score_ci(s, 0.95) AS ci
ORDER BY channel IS NULL, ces(s) DESC;

------------------------------------------------------------------------------
\echo '6. Employee NPS (eNPS) by team: nps(enps_score) on the employee pulse survey'
------------------------------------------------------------------------------

SELECT coalesce(team, 'whole company')       AS team,
       answers                               AS responses,
       round(enps::numeric, 1)               AS enps,
       round(ci.lower::numeric, 1)           AS "95% CI low",
       round(ci.upper::numeric, 1)           AS "95% CI high",
       CASE WHEN ci.upper < 0 THEN 'negative'
            WHEN ci.lower > 0 THEN 'positive'
            ELSE 'unclear' END               AS "eNPS sign (95%)"
FROM (SELECT team,
             count(enps_score)    AS answers,
             nps(enps_score)      AS enps,      -- the one-step aggregate
             nps_agg(enps_score)  AS s          -- the summary, for the interval
      FROM employee_survey
      GROUP BY GROUPING SETS ((team), ())) AS by_team,
     nps_ci(s) AS ci
ORDER BY team IS NULL, enps DESC;
