-- crm_kpi demo: a retention report over demo/data.sql and
-- demo/data_retention.sql: cohort retention, lifecycle, MRR movements, churn.
--
--   psql -f demo/report_retention.sql      (demo/run does this)
--
-- Two patterns again:
--
--   * one step: retention_curve(entity, cohort_start, activity, period, N)
--     or retention_agg(...) straight from the events, grouped by cohort;
--   * two steps: activity_agg(...) per entity (an activity_summary: the
--     periods it was active in), then retention_agg(summary) per cohort (a
--     retention_summary of counts) -- both can be stored and merged with
--     rollup(), e.g. daily pieces in materialized views.
--
-- Periods are calendar months in the session time zone (UTC here).  The
-- data ends on 2025-12-31: with as_of => '2026-01-01', months a cohort has
-- not finished are shown as "-" (NULL), not as a fake drop to 0.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

\pset format aligned
\pset border 2
\pset linestyle unicode
\pset null '-'
\pset footer off

\echo
\echo '================================================================'
\echo '  crm_kpi demo report: retention, churn and MRR, 2024-2025'
\echo '================================================================'
\echo

------------------------------------------------------------------------------
\echo 'R1. Monthly signup cohorts of 2024-2025: % of each cohort active in month k'
\echo '    after signup (month 0 = signup month), censored at 2026-01-01'
------------------------------------------------------------------------------

SELECT to_char(cohort, 'YYYY-MM') AS cohort,
       cohort_size(s)             AS customers,
       round(100 * r[1]) AS "m0", round(100 * r[2]) AS "m1", round(100 * r[3]) AS "m2",
       round(100 * r[4]) AS "m3", round(100 * r[5]) AS "m4", round(100 * r[6]) AS "m5",
       round(100 * r[7]) AS "m6", round(100 * r[9]) AS "m8", round(100 * r[12]) AS "m11"
FROM (SELECT cohort, s, retention_curve(s)::numeric[] AS r
      FROM (SELECT date_trunc('month', signed_up_at) AS cohort,
                   retention_agg(customer_id, signed_up_at, at, '1 month', 12,
                                 'calendar', '2026-01-01') AS s
            FROM product_events
            GROUP BY 1) c) x
ORDER BY cohort;

------------------------------------------------------------------------------
\echo 'R2. All 2024 cohorts together: active "on" month k vs "on or after" month k'
\echo '    (one row per period: the tidy form BI tools want)'
------------------------------------------------------------------------------

WITH users AS (                                   -- step 1: one activity_summary per customer
	SELECT customer_id, signed_up_at,
	       activity_agg(signed_up_at, at, '1 month', 12) AS a
	FROM product_events
	WHERE signed_up_at < '2025-01-01'
	GROUP BY customer_id, signed_up_at
), cohort AS (                                    -- step 2: one retention_summary
	SELECT retention_agg(a, '2026-01-01') AS s FROM users
)
SELECT t.period                          AS month,
       t.cohort_size                     AS customers,
       t.retained                        AS "active on",
       round(100 * t.share::numeric, 1)  AS "on %",
       o.retained                        AS "active on or after",
       round(100 * o.share::numeric, 1)  AS "on or after %"
FROM cohort, retention_table(s) AS t
JOIN retention_table(s, 'on_or_after') AS o USING (period)
ORDER BY t.period;

------------------------------------------------------------------------------
\echo 'R3. Referral customers stay more active (month-3 and month-6 retention,'
\echo '    2024 cohorts, Wilson 95% interval of month 6 from retention_proportion())'
------------------------------------------------------------------------------

SELECT c.acquisition_channel                          AS channel,
       cohort_size(s)                                 AS customers,
       round(100 * retention_rate(s, 3)::numeric, 1)  AS "month 3 %",
       round(100 * retention_rate(s, 6)::numeric, 1)  AS "month 6 %",
       round(100 * ci.lower::numeric, 1)              AS "95% CI low",
       round(100 * ci.upper::numeric, 1)              AS "95% CI high",
       round(100 * retention_rate(s, 6, 'on_or_after')::numeric, 1) AS "month 6+ %"
FROM (SELECT c.acquisition_channel,
             retention_agg(e.customer_id, e.signed_up_at, e.at, '1 month', 12,
                           'calendar', '2026-01-01') AS s
      FROM product_events e JOIN customers c USING (customer_id)
      WHERE e.signed_up_at < '2025-01-01'
      GROUP BY c.acquisition_channel) AS c,
     rate_ci(retention_proportion(s, 6)) AS ci
ORDER BY 3 DESC;

------------------------------------------------------------------------------
\echo 'R4. Lifecycle per month, 2025 (PostHog definitions): new = active in its'
\echo '    signup month, returning = active two months running, resurrecting ='
\echo '    active again after a gap, dormant = first inactive month after activity'
\echo '    signs: dormant is negative, customers leaving the active base (as'
\echo '    PostHog draws it below the axis); new + returning + resurrecting = active'
------------------------------------------------------------------------------

SELECT to_char(l.period_start, 'YYYY-MM')                     AS month,
       count(*) FILTER (WHERE l.status = 'new')             AS new,
       count(*) FILTER (WHERE l.status = 'returning')       AS returning,
       count(*) FILTER (WHERE l.status = 'resurrecting')    AS resurrecting,
       -count(*) FILTER (WHERE l.status = 'dormant')        AS dormant
FROM (SELECT customer_id, activity_agg(signed_up_at, at, '1 month', 24) AS a
      FROM product_events GROUP BY customer_id) AS u,
     lifecycle(u.a) AS l
WHERE l.period_start >= '2025-01-01' AND l.period_start < '2026-01-01'
GROUP BY 1 ORDER BY 1;

------------------------------------------------------------------------------
\echo 'R5. ClickHouse-style retention(): of the customers active in their signup'
\echo '    week, how many came back in weeks 1, 4 and 12 after it? (2025 signups)'
------------------------------------------------------------------------------

SELECT sum(r[1]) AS "signup week",
       sum(r[2]) AS "week 1", sum(r[3]) AS "week 4", sum(r[4]) AS "week 12"
FROM (SELECT customer_id,
             retention(at < signed_up_at + interval '7 days',
                       at >= signed_up_at + interval '7 days' AND at < signed_up_at + interval '14 days',
                       at >= signed_up_at + interval '28 days' AND at < signed_up_at + interval '35 days',
                       at >= signed_up_at + interval '84 days' AND at < signed_up_at + interval '91 days') AS r
      FROM product_events
      WHERE signed_up_at >= '2025-01-01'
      GROUP BY customer_id) AS per_customer;

------------------------------------------------------------------------------
\echo 'R6. MRR movements per month, 2025 (ChartMogul definitions): the April'
\echo '    pricing change shows as churn in April-May, part of it reactivates later'
\echo '    signs: MRR lost (contraction, churned) is negative, so that net new is'
\echo '    the sum of the five movements and end MRR = start MRR + net new'
------------------------------------------------------------------------------

SELECT to_char(m.period_start, 'YYYY-MM')             AS month,
       round(m.starting_mrr::numeric, 2)              AS "start MRR",
       round(m.new_mrr::numeric, 2)                   AS new,
       round(m.expansion_mrr::numeric, 2)             AS expansion,
       -round(m.contraction_mrr::numeric, 2)          AS contraction,
       -round(m.churned_mrr::numeric, 2)              AS churned,
       round(m.reactivation_mrr::numeric, 2)          AS reactivation,
       round(m.net_new_mrr::numeric, 2)               AS "net new",
       round(m.ending_mrr::numeric, 2)                AS "end MRR",
       round(100 * m.net_revenue_retention::numeric, 1)   AS "NRR %",
       round(100 * m.gross_revenue_retention::numeric, 1) AS "GRR %"
FROM (SELECT mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 24) AS s
      FROM mrr_snapshots) AS x,
     mrr_movements(x.s) AS m
WHERE m.period_start >= '2025-01-01'
ORDER BY m.period;

------------------------------------------------------------------------------
\echo 'R7. Customer churn by segment, 2025 (churned / customers at the start of'
\echo '    each month, summed over the months), retention rate (S - churned)/S, and the'
\echo '    average monthly churn as an annual rate'
------------------------------------------------------------------------------

SELECT segment,
       sum(m.customers_start)                                   AS "customer-months",
       sum(m.churned_customers)                                 AS churned,
       round(100 * (sum(m.churned_customers)::numeric / sum(m.customers_start)), 2) AS "monthly churn %",
       round(100 * annual_churn_rate(sum(m.churned_customers)::float8 / sum(m.customers_start))::numeric, 1)
                                                                AS "annualized %",
       round(100 * avg(m.customer_retention_rate)::numeric, 1)  AS "avg monthly CRR %",
       round(100 * (sum(m.starting_mrr + m.expansion_mrr - m.contraction_mrr - m.churned_mrr)
                    / sum(m.starting_mrr))::numeric, 1)         AS "NRR %",
       round(100 * (sum(m.starting_mrr - m.contraction_mrr - m.churned_mrr)
                    / sum(m.starting_mrr))::numeric, 1)         AS "GRR %"
FROM (SELECT c.segment, mrr_agg(s.customer_id, s.month, s.mrr, '2024-01-01', '1 month', 24) AS s
      FROM mrr_snapshots s JOIN customers c USING (customer_id)
      GROUP BY c.segment) AS x,
     mrr_movements(x.s) AS m
WHERE m.period_start >= '2025-01-01'
GROUP BY segment
ORDER BY 4;

------------------------------------------------------------------------------
\echo 'R8. Segment summaries merge: rollup() of the three segments gives the company'
------------------------------------------------------------------------------

SELECT to_char(m.period_start, 'YYYY-MM') AS month,
       m.customers_end                    AS customers,
       round(100 * m.customer_churn_rate::numeric, 2) AS "churn %",
       round(m.ending_mrr::numeric, 2)                AS "MRR"
FROM (SELECT rollup(s) AS s
      FROM (SELECT c.segment, mrr_agg(s.customer_id, s.month, s.mrr, '2024-01-01', '1 month', 24) AS s
            FROM mrr_snapshots s JOIN customers c USING (customer_id)
            GROUP BY c.segment) AS per_segment) AS x,
     mrr_movements(x.s) AS m
WHERE m.period_start >= '2025-03-01' AND m.period_start < '2025-08-01'
ORDER BY m.period;

------------------------------------------------------------------------------
\echo 'R9. Is SMB churn really higher than Enterprise churn? customer_churn_proportion() is a'
\echo '    proportion_summary: rolled up over the months of 2025 it is churned /'
\echo '    customer-months, with its Wilson interval and a two-proportion z test'
------------------------------------------------------------------------------

WITH by_segment AS (
	SELECT x.segment, rollup(customer_churn_proportion(x.s, k)) AS churn
	FROM (SELECT c.segment, mrr_agg(m.customer_id, m.month, m.mrr, '2024-01-01', '1 month', 24) AS s
	      FROM mrr_snapshots m JOIN customers c USING (customer_id)
	      GROUP BY c.segment) AS x,
	     generate_series(12, 23) AS k                    -- the months of 2025
	GROUP BY x.segment
)
SELECT a.segment || ' vs ' || b.segment                AS comparison,
       round(100 * rate(a.churn)::numeric, 2)          AS "churn % (first)",
       round(100 * rate(b.churn)::numeric, 2)          AS "churn % (second)",
       round(100 * ci.lower::numeric, 2) || '..' || round(100 * ci.upper::numeric, 2) AS "first, 95% CI",
       round(t.z::numeric, 2)                          AS z,
       demo_p_value(t.p_value)                         AS "p-value"
FROM by_segment a
JOIN by_segment b ON (a.segment, b.segment) IN (('SMB', 'Enterprise'), ('Mid-Market', 'Enterprise'), ('SMB', 'Mid-Market')),
     rate_ci(a.churn) AS ci,
     proportion_compare(a.churn, b.churn) AS t
ORDER BY 1;

------------------------------------------------------------------------------
\echo 'R10. ARR, ARPA and quick ratio per month, 2025 (ChartMogul / Baremetrics):'
\echo '     ARR = 12 x MRR, ARPA = MRR / paying customers, quick ratio = (new +'
\echo '     expansion + reactivation) / (contraction + churned), lowest in April-May'
------------------------------------------------------------------------------

SELECT to_char(m.period_start, 'YYYY-MM')      AS month,
       m.customers_end                         AS customers,
       round(arr(x.s, m.period), 2)            AS "ARR",
       round(arpa(x.s, m.period), 2)           AS "ARPA",
       round(quick_ratio(x.s, m.period)::numeric, 2) AS "quick ratio"
FROM (SELECT mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 24) AS s
      FROM mrr_snapshots) AS x,
     mrr_movements(x.s) AS m
WHERE m.period_start >= '2025-01-01'
ORDER BY m.period;

------------------------------------------------------------------------------
\echo 'R11. MRR by price tier, 2025-03 to 2025-06 (tiers from the price: Starter'
\echo '     below 200, Growth below 2,000, Scale above): a customer whose price'
\echo '     crosses a tier moves out of one and into the next (an expansion or'
\echo '     contraction overall), it does not churn in one tier and start in another'
------------------------------------------------------------------------------

SELECT to_char(m.period_start, 'YYYY-MM')  AS month,
       coalesce(m.plan, 'all tiers')       AS tier,
       m.starting_mrr                      AS "start MRR",
       m.new_mrr + m.reactivation_mrr      AS "new + reactivated",
       m.expansion_mrr                     AS expansion,
       -m.contraction_mrr                  AS contraction,
       -m.churned_mrr                      AS churned,
       m.moved_in_mrr                      AS "moved in",
       -m.moved_out_mrr                    AS "moved out",
       m.ending_mrr                        AS "end MRR",
       m.moved_in_customers                AS "customers in",
       m.moved_out_customers               AS "customers out"
FROM (SELECT array_agg(s ORDER BY tier) AS s, array_agg(tier ORDER BY tier) AS tiers
      FROM (SELECT CASE WHEN mrr < 200 THEN 'Starter' WHEN mrr < 2000 THEN 'Growth' ELSE 'Scale' END AS tier,
                   customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 24) AS s
            FROM mrr_snapshots GROUP BY 1) AS per_tier) AS x,
     mrr_movements_by_plan(x.s, x.tiers) AS m
WHERE m.period_start >= '2025-03-01' AND m.period_start < '2025-07-01'
ORDER BY m.period, m.plan NULLS FIRST;

------------------------------------------------------------------------------
\echo 'R12. Revenue retention of the 2024 cohorts (first paying month), 6 and 12'
\echo '     months on: NRR = cohort MRR / its starting MRR, GRR caps each customer'
\echo '     at its starting MRR; "2024-01" holds every customer paying in January'
------------------------------------------------------------------------------

SELECT to_char(c.cohort_start, 'YYYY-MM')   AS cohort,
       c.cohort_customers                   AS customers,
       c.starting_mrr                       AS "starting MRR",
       round(100 * max(c.net_revenue_retention) FILTER (WHERE c.period - c.cohort = 6)::numeric, 1)    AS "NRR 6 %",
       round(100 * max(c.gross_revenue_retention) FILTER (WHERE c.period - c.cohort = 6)::numeric, 1)  AS "GRR 6 %",
       round(100 * max(c.net_revenue_retention) FILTER (WHERE c.period - c.cohort = 12)::numeric, 1)   AS "NRR 12 %",
       round(100 * max(c.gross_revenue_retention) FILTER (WHERE c.period - c.cohort = 12)::numeric, 1) AS "GRR 12 %"
FROM mrr_cohort_table((SELECT customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 24)
                       FROM mrr_snapshots)) AS c
WHERE c.cohort_start < '2025-01-01'
GROUP BY c.cohort, c.cohort_start, c.cohort_customers, c.starting_mrr
ORDER BY c.cohort;

------------------------------------------------------------------------------
\echo 'R13. The currency stays with the data: each summary records its currency'
\echo '     (ISO 4217); the subscriptions are in EUR, converted to USD first at one'
\echo '     budget rate (1 EUR = 1.08 USD, a join to a table of rates); merging the'
\echo '     EUR and USD summaries would be an error naming both'
------------------------------------------------------------------------------

SELECT to_char(m.period_start, 'YYYY-MM')       AS month,
       m.customers_end                          AS customers,
       arr(e.s, m.period)                       AS "ARR",
       currency(e.s)                            AS currency,
       round(arr(u.s, m.period), 2)             AS "converted ARR",
       currency(u.s)                            AS "converted currency"
FROM (SELECT mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 24, 'UTC', 'EUR') AS s
      FROM mrr_snapshots) AS e,
     (SELECT mrr_agg(s.customer_id, s.month, s.mrr * r.rate, '2024-01-01', '1 month', 24, 'UTC', r.currency) AS s
      FROM mrr_snapshots s JOIN (VALUES ('USD', 1.08)) AS r(currency, rate) ON true) AS u,
     mrr_movements(e.s) AS m
WHERE m.period_start >= '2025-10-01'
ORDER BY m.period;
