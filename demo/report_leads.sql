-- crm_kpi demo: lead KPIs ("leads at what effort") and pipeline hygiene
-- ("do reps have the whole customer context?"), over the sample data of
-- demo/data_pipeline.sql and demo/data_leads.sql.
--
--   psql -f demo/report_leads.sql      (demo/run does this)
--
-- Written the way an analyst would use the extension.  lead_agg() returns a
-- lead_summary per channel and month, stored in a materialized view and
-- merged per channel by rollup(); pipeline_hygiene_agg() returns a
-- pipeline_hygiene_summary per owner and stage, merged per owner.  Rates are
-- proportion_summary values, read with rate() and rate_ci().

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
\echo '  crm_kpi demo report: lead KPIs and pipeline hygiene'
\echo '================================================================'
\echo

DROP MATERIALIZED VIEW IF EXISTS lead_monthly, deal_hygiene;
CREATE MATERIALIZED VIEW lead_monthly AS
SELECT l.channel, date_trunc('month', l.created_at)::date AS month,
       lead_agg(l.created_at, l.first_response_at, l.deal_id IS NOT NULL, d.outcome = 'won', l.activities) AS s
FROM leads AS l LEFT JOIN deals AS d USING (deal_id)
WHERE l.created_at >= timestamptz '2024-01-01'
GROUP BY 1, 2;

CREATE MATERIALIZED VIEW deal_hygiene AS
SELECT r.owner, d.stage,
       pipeline_hygiene_agg(d.amount, r.last_activity_at, h.stage_changed_at,
                            r.next_step IS NOT NULL, r.expected_close_on IS NOT NULL,
                            ARRAY[r.contact_name IS NOT NULL, r.industry IS NOT NULL, r.budget IS NOT NULL],
                            timestamptz '2025-12-31', 14) AS h
FROM deal_records AS r
JOIN deals AS d USING (deal_id)
JOIN (SELECT deal_id, max(entered_at) AS stage_changed_at FROM deal_stage_history GROUP BY deal_id) AS h USING (deal_id)
GROUP BY 1, 2;

------------------------------------------------------------------------------
\echo 'L1. Leads 2024-2025 by channel: at what effort?'
\echo '   lead -> opp = leads that became opportunities (95% Wilson interval); opp -> win = won of them;'
\echo '   speed to lead = creation to first response (minutes; median and 90th percentile, percentile_cont);'
\echo '   activities per deal: median over the opportunities; cost = 2024-2025 spend / leads, / won'
------------------------------------------------------------------------------

SELECT coalesce(l.channel, 'all channels')                       AS channel,
       leads(s)                                                  AS leads,
       opportunities(s)                                          AS opps,
       round(100 * rate(lead_to_opportunity(s))::numeric, 1)     AS "lead->opp %",
       round(100 * ci.lower::numeric, 1) || '..' || round(100 * ci.upper::numeric, 1) AS "95% CI",
       won_opportunities(s)                                      AS won,
       round(100 * rate(opportunity_to_win(s))::numeric, 1)      AS "opp->win %",
       round(100 * rate(response_rate(s))::numeric, 1)           AS "responded %",
       round((extract(epoch FROM median_speed_to_lead(s)) / 60)::numeric, 1)       AS "median speed min",
       round((extract(epoch FROM speed_to_lead_quantile(s, 0.9)) / 60)::numeric, 1)   AS "p90 speed min",
       median_activities_per_deal(s)                             AS "activities/deal",
       round(cost_per_lead(s, spend), 2)                         AS "cost/lead",
       round(cost_per_win(s, spend))                             AS "cost/win"
FROM (SELECT channel, rollup(s) AS s FROM lead_monthly GROUP BY GROUPING SETS ((channel), ())) AS l
JOIN (SELECT channel, sum(amount) AS spend FROM marketing_spend GROUP BY GROUPING SETS ((channel), ())) AS m
  ON m.channel IS NOT DISTINCT FROM l.channel,
     rate_ci(lead_to_opportunity(s)) AS ci
ORDER BY l.channel IS NULL, l.channel;

------------------------------------------------------------------------------
\echo 'L2. Pipeline hygiene on 2025-12-31, by owner: missing information stops deals'
\echo '   stale = neither activity nor stage change in the last 14 days; complete = contact, industry'
\echo '   and budget all filled; amounts are the open deals'' annual contract values'
------------------------------------------------------------------------------

SELECT coalesce(owner, 'all owners')                             AS owner,
       hygiene_records(h)                                        AS "open deals",
       round(hygiene_amount(h)::numeric)                         AS amount,
       stale_deals(h)                                            AS stale,
       round(stale_amount(h)::numeric)                           AS "stale amount",
       deals_without_next_step(h)                                AS "no next step",
       deals_without_close_date(h)                               AS "no close date",
       round(100 * rate(completeness(h))::numeric, 1)            AS "complete %"
FROM (SELECT owner, rollup(h) AS h FROM deal_hygiene GROUP BY GROUPING SETS ((owner), ())) AS o
ORDER BY owner IS NULL, owner;

------------------------------------------------------------------------------
\echo 'L3. Record completeness of the open deals, field by field (95% Wilson interval)'
------------------------------------------------------------------------------

SELECT f.name                                                    AS field,
       successes(f.filled)                                       AS filled,
       trials(f.filled)                                          AS "of deals",
       round(100 * rate(f.filled)::numeric, 1)                   AS "filled %",
       round(100 * ci.lower::numeric, 1) || '..' || round(100 * ci.upper::numeric, 1) AS "95% CI"
FROM (SELECT rollup(h) AS h FROM deal_hygiene) AS a,
     field_completeness(a.h, ARRAY['contact', 'industry', 'budget']) AS f,
     rate_ci(f.filled) AS ci
ORDER BY f.field;
