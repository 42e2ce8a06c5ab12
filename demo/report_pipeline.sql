-- crm_kpi demo: sales pipeline, new-customer business and CRM health, over
-- the sample data of demo/data.sql and demo/data_pipeline.sql.
--
--   psql -f demo/report_pipeline.sql      (demo/run does this)
--
-- Written the way an analyst would use the extension.  pipeline_agg() returns
-- a pipeline_summary of deals; accessors read every KPI from it (win rate
-- with its interval, deal size, sales cycle, velocity, coverage) and
-- rollup() merges stored summaries.  The "as of" date of the data is
-- 2025-12-31: open deals are the pipeline on that day.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

\pset format aligned
\pset border 2
\pset linestyle unicode
\pset null '-'
\pset footer off

\echo '================================================================'
\echo '  crm_kpi demo report: sales pipeline, new customers, CRM health'
\echo '================================================================'
\echo

------------------------------------------------------------------------------
\echo '1. The pipeline on 2025-12-31, by sales team'
\echo '   open = open deals; weighted = sum of amount * stage probability;'
\echo '   win rate = won / (won + lost) of closed deals, with its 95% Wilson interval;'
\echo '   deal size and cycle (created to closed, days) are of won deals; medians exact (percentile_cont)'
------------------------------------------------------------------------------

SELECT coalesce(segment, 'all teams')                AS team,
       open_deals(s)                                 AS "open deals",
       round(open_pipeline(s)::numeric)              AS "open pipeline",
       round(weighted_pipeline(s)::numeric)          AS weighted,
       round(100 * win_rate(s)::numeric, 1)          AS "win rate %",
       round(100 * ci.lower::numeric, 1) || '..' || round(100 * ci.upper::numeric, 1) AS "95% CI",
       round(average_deal_size(s)::numeric)          AS "avg deal",
       round(median_deal_size(s)::numeric)           AS "median deal",
       round(average_sales_cycle(s)::numeric, 1)     AS "avg cycle d",
       round(median_sales_cycle(s)::numeric, 1)      AS "median cycle d",
       round(pipeline_velocity(s)::numeric)          AS "velocity /day"
FROM (SELECT segment, pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
      FROM deals
      GROUP BY GROUPING SETS ((segment), ())) AS by_team,
     win_rate_ci(s) AS ci
ORDER BY segment IS NULL, segment;

------------------------------------------------------------------------------
\echo '2. Coverage of the 2026-Q1 new-business quota (3.0 M): open and weighted pipeline / quota'
------------------------------------------------------------------------------

SELECT round(open_pipeline(s)::numeric)                  AS "open pipeline",
       round(pipeline_coverage(s, 3000000)::numeric, 2)  AS coverage,
       round(pipeline_coverage(s, 3000000, weighted => true)::numeric, 2) AS "weighted coverage"
FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
      FROM deals WHERE outcome = 'open') AS open_deals;

------------------------------------------------------------------------------
\echo '3. Is the sales process better? Win rate by half-year of closing, 2024-2025'
\echo '   the materialized view pipeline_monthly stores one pipeline_summary per closing month and team;'
\echo '   rollup() merges them'
------------------------------------------------------------------------------

DROP MATERIALIZED VIEW IF EXISTS pipeline_monthly;
CREATE MATERIALIZED VIEW pipeline_monthly AS
SELECT date_trunc('month', closed_on)::date AS month, segment,
       pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
FROM deals
WHERE outcome <> 'open'
GROUP BY 1, 2;

SELECT to_char(date_trunc('year', month), 'YYYY') || '-H' || (1 + (extract(month FROM month)::int - 1) / 6) AS half,
       won_deals(rollup(s)) + lost_deals(rollup(s))          AS "closed deals",
       round(100 * win_rate(rollup(s))::numeric, 1)          AS "win rate %",
       round(100 * (win_rate_ci(rollup(s))).lower::numeric, 1) AS "95% CI low",
       round(100 * (win_rate_ci(rollup(s))).upper::numeric, 1) AS "95% CI high",
       round(won_amount(rollup(s))::numeric)                 AS "won amount"
FROM pipeline_monthly
GROUP BY 1
ORDER BY 1;

\echo '   2025 against 2024: two-proportion z test on win_proportion() (the shared proportion_summary)'

SELECT round(100 * rate(p25)::numeric, 1)             AS "2025 win rate %",
       round(100 * rate(p24)::numeric, 1)             AS "2024 win rate %",
       round(100 * c.difference::numeric, 1)          AS "difference (points)",
       round(c.z::numeric, 2)                         AS z,
       demo_p_value(c.p_value)                        AS "p-value"
FROM (SELECT win_proportion(rollup(s) FILTER (WHERE month >= date '2025-01-01')) AS p25,
             win_proportion(rollup(s) FILTER (WHERE month < date '2025-01-01')) AS p24
      FROM pipeline_monthly) AS years,
     proportion_compare(p25, p24) AS c;

------------------------------------------------------------------------------
\echo '4. Stage conversion: where do deals go from each stage? (stage_conversions)'
\echo '    share = deals that moved from -> to / deals that entered "from"; to "-": ended there (or still in it)'
------------------------------------------------------------------------------

SELECT c.from_stage                        AS "from",
       coalesce(c.to_stage, '-')           AS "to",
       c.deals,
       round(100 * c.share::numeric, 1)    AS "share %",
       round(c.median_days::numeric, 1)    AS "median days"
FROM (SELECT stage_conversions(deal_id::text, stage, entered_at) AS m
      FROM deal_stage_history) AS h,
     unnest(h.m) AS c
ORDER BY array_position(ARRAY['lead', 'qualified', 'demo', 'proposal', 'negotiation', 'won', 'lost'],
                        c.from_stage),
         c.deals DESC;

------------------------------------------------------------------------------
\echo '5. Stuck deals: the open deals longest in their current stage (stage_durations per deal)'
------------------------------------------------------------------------------

SELECT d.deal_id, d.segment, round(d.amount) AS amount, v.stage AS "current stage",
       v.entered_at::date                  AS "since",
       date '2025-12-31' - v.entered_at::date AS "days in stage",
       round(prev.days::numeric, 1)        AS "days in the stage before"
FROM (SELECT deal_id, stage_durations(stage, entered_at) AS visits
      FROM deal_stage_history GROUP BY deal_id) AS h
JOIN deals AS d USING (deal_id)
CROSS JOIN LATERAL (SELECT * FROM unnest(h.visits) WITH ORDINALITY AS u(stage, entered_at, left_at, days, n)
                    ORDER BY n DESC LIMIT 1) AS v
LEFT JOIN LATERAL (SELECT * FROM unnest(h.visits) WITH ORDINALITY AS u(stage, entered_at, left_at, days, n)
                   WHERE u.n = v.n - 1) AS prev ON true
WHERE d.outcome = 'open'
ORDER BY "days in stage" DESC, d.deal_id
LIMIT 8;

------------------------------------------------------------------------------
\echo '6. New-customer business by quarter: quantity and what it cost'
\echo '    new customers: first won deal; CAC = acquisition spend / new customers;'
\echo '    ARPA = average monthly contract value of the new customers; payback = CAC / (ARPA * 75% margin);'
\echo '    LTV = ARPA * 75% / 1.5% monthly churn; spend ratio = spend / new customers'' first-year revenue'
------------------------------------------------------------------------------

WITH first_purchase AS (
	SELECT customer_id, min(closed_on) AS first_on,
	       (array_agg(amount ORDER BY closed_on))[1] AS first_year_revenue
	FROM deals WHERE outcome = 'won' AND customer_id IS NOT NULL
	GROUP BY customer_id
),
new_business AS (
	SELECT date_trunc('quarter', first_on)::date AS quarter,
	       count(*)                AS new_customers,
	       sum(first_year_revenue) AS revenue
	FROM first_purchase GROUP BY 1
),
spend AS (
	SELECT date_trunc('quarter', month)::date AS quarter, sum(amount) AS spend
	FROM marketing_spend GROUP BY 1
),
kpis AS (
	SELECT quarter, new_customers, spend, revenue,
	       customer_acquisition_cost(spend, new_customers) AS cac,
	       revenue / new_customers / 12                     AS arpa
	FROM new_business JOIN spend USING (quarter)
)
SELECT to_char(quarter, 'YYYY-"Q"Q')                                AS quarter,
       new_customers                                                AS "new customers",
       round(spend)                                                 AS spend,
       round(cac::numeric)                                          AS cac,
       round(arpa)                                                  AS "ARPA /month",
       round(cac_payback_months(cac, arpa, 0.75)::numeric, 1)       AS "payback months",
       round(ltv_cac_ratio(customer_lifetime_value(arpa, 0.75, 0.015), cac)::numeric, 1) AS "LTV:CAC",
       round(acquisition_spend_ratio(spend, revenue)::numeric, 2)   AS "spend ratio"
FROM kpis
ORDER BY quarter;

------------------------------------------------------------------------------
\echo '6b. And their quality: new customers by quarter of their first order (demo/data_clv.sql orders)'
\echo '    repeat = bought again within 90 days of the first order (a refund is no purchase);'
\echo '    early retention = repeat / new; first 90 days = their net revenue in those days, also per customer;'
\echo '    net to date = all their orders up to 2025-06-30 (new_customers_agg; 2025-Q2: 90 days not yet over)'
------------------------------------------------------------------------------

SELECT to_char(period_start, 'YYYY-"Q"Q')              AS quarter,
       new_customers                                  AS "new customers",
       repeat_customers                               AS repeat,
       round(100 * early_retention::numeric, 1)       AS "early retention %",
       round(first_days_revenue)                      AS "first 90 days",
       round(revenue_per_new_customer, 2)             AS "per customer",
       round(net_revenue)                             AS "net to date"
FROM new_customers((SELECT new_customers_agg(customer_id, order_date, amount, '3 months', 90, 'UTC')
                    FROM clv_orders));

------------------------------------------------------------------------------
\echo '6c. Section 6 in one pass: new customers of won deals (new_customers_agg, first year = 365 days)'
\echo '    against the quarter''s spend (acquisition_efficiency): CAC, first-year ACV, spend ratio'
------------------------------------------------------------------------------

SELECT to_char(c.period_start, 'YYYY-"Q"Q')          AS quarter,
       c.new_customers                              AS "new customers",
       round(s.spend)                               AS spend,
       round(e.cac)                                 AS cac,
       round(c.revenue_per_new_customer)            AS "first-year ACV",
       round(e.spend_per_first_days_revenue, 2)     AS "spend ratio"
FROM new_customers((SELECT new_customers_agg(customer_id, closed_on, amount, '3 months', 365, 'UTC')
                    FROM deals WHERE outcome = 'won' AND customer_id IS NOT NULL)) c
JOIN (SELECT date_trunc('quarter', month, 'UTC') AS period_start, sum(amount) AS spend
      FROM marketing_spend GROUP BY 1) s USING (period_start),
     acquisition_efficiency(c, s.spend) e
ORDER BY c.period_start;

------------------------------------------------------------------------------
\echo '7. CAC by acquisition channel, 2024-2025'
------------------------------------------------------------------------------

SELECT channel,
       new_customers                                        AS "new customers",
       round(spend)                                         AS spend,
       round(customer_acquisition_cost(spend, new_customers)::numeric) AS cac
FROM (SELECT channel, sum(amount) AS spend FROM marketing_spend GROUP BY channel) AS s
JOIN (SELECT channel, count(*) AS new_customers
      FROM deals WHERE outcome = 'won' AND customer_id IS NOT NULL
      GROUP BY channel) AS n USING (channel)
ORDER BY cac;

------------------------------------------------------------------------------
\echo '8. CRM health by quarter: adoption (active users / licensed seats), stickiness (DAU/MAU),'
\echo '    and the eNPS of the teams that use the CRM (Sales, Customer Success, Support)'
\echo '    active users and DAU/MAU are exact distinct counts over the last month of each quarter'
------------------------------------------------------------------------------

WITH months AS (
	SELECT m::date AS month_start, (m + interval '1 month')::date AS month_end
	FROM generate_series(date '2024-03-01', date '2025-12-01', interval '3 months') AS m
),
usage AS (
	SELECT month_start,
	       active_users(a.user_id, a.active_on, month_start, month_end) AS active,
	       dau_mau(a.user_id, a.active_on, month_start, month_end)      AS stickiness
	FROM months
	JOIN crm_activity AS a ON a.active_on >= month_start AND a.active_on < month_end
	GROUP BY month_start, month_end
),
enps AS (
	SELECT date_trunc('quarter', answered_at)::date AS quarter, nps_agg(enps_score) AS s
	FROM employee_survey
	WHERE team IN ('Sales', 'Customer Success', 'Support')
	GROUP BY 1
)
SELECT to_char(u.month_start, 'YYYY-"Q"Q')                     AS quarter,
       seats.seats                                            AS seats,
       u.active                                               AS "active users",
       round(adoption_rate(u.active, seats.seats)::numeric, 1) AS "adoption %",
       round(100 * u.stickiness::numeric, 1)                  AS "DAU/MAU %",
       round(nps(e.s)::numeric, 1)                            AS "eNPS (CRM teams)",
       responses(e.s)                                         AS "eNPS answers"
FROM usage AS u
JOIN crm_seats AS seats ON seats.month = u.month_start
LEFT JOIN enps AS e ON e.quarter = date_trunc('quarter', u.month_start)::date
ORDER BY u.month_start;

------------------------------------------------------------------------------
\echo '9. The 2025-Q4 pipeline from 2025-10-01 to mid-quarter (2025-11-15): what changed (pipeline_changes)'
\echo '    the open deals closing in Q4 on each day (deal_snapshots); every deal in one category, in this order:'
\echo '    won/lost, then close date moved into the quarter (pulled in) or out of it (pushed out = slipped past'
\echo '    the quarter end; moved out = earlier or cleared), then the amount change; closing = opening + changes'
------------------------------------------------------------------------------

SELECT w.category, w.deals, round(w.amount) AS amount
FROM pipeline_waterfall((
	SELECT pipeline_changes(a.amount, a.close_on, a.status, b.amount, b.close_on, b.status,
	                        date '2025-10-01', date '2025-12-31')
	FROM (SELECT * FROM deal_snapshots WHERE snapshot_on = '2025-10-01') AS a
	FULL JOIN (SELECT * FROM deal_snapshots WHERE snapshot_on = '2025-11-15') AS b USING (deal_id))) AS w;

------------------------------------------------------------------------------
\echo '10. Forecast of the open pipeline on 2025-12-31 by team (pipeline_forecast)'
\echo '    weighted = sum of amount * stage probability; expected = sum of amount * the stage''s historical'
\echo '    win rate (stage_win_rates of the stage history); 95% interval from the deals'' outcomes and the'
\echo '    rates'' uncertainty: an estimate'
------------------------------------------------------------------------------

WITH rates AS (
	SELECT r.*
	FROM (SELECT stage_conversions(deal_id::text, stage, entered_at) AS m
	      FROM deal_stage_history) AS h,
	     stage_win_rates(h.m) AS r
)
SELECT coalesce(f.team, 'all teams')       AS team,
       (f.f).deals                         AS "open deals",
       round((f.f).pipeline)               AS pipeline,
       round((f.f).weighted)               AS weighted,
       round((f.f).expected)               AS expected,
       round((f.f).lower)                  AS "95% low",
       round((f.f).upper)                  AS "95% high"
FROM (SELECT d.segment AS team,
             pipeline_forecast(d.amount, d.probability, d.stage, r.win_rate, r.deals) AS f
      FROM deals AS d
      LEFT JOIN rates AS r USING (stage)
      WHERE d.outcome = 'open'
      GROUP BY ROLLUP (d.segment)) AS f
ORDER BY f.team IS NULL, f.team;
