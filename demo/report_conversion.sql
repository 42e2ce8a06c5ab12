-- crm_kpi demo: conversion rates and funnels over demo/data_conversion.sql.
--
--   psql -f demo/report_conversion.sql   (demo/run does this after report.sql)
--
-- The patterns:
--
--   * conversion_rate(boolean) is avg(converted::int) that also merges and
--     compares: proportion_agg() gives a proportion_summary, rate_ci() its
--     Wilson interval, proportion_compare() a two-proportion z test;
--   * window_funnel(window, ts, step conditions...) per entity (GROUP BY
--     visitor_id) gives the deepest step reached in order within the
--     window; funnel_path() the timestamps of those steps;
--   * funnel_agg(path) over entities gives a funnel_summary, and
--     funnel_steps(summary) one row per step for BI tools.

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
\echo '  conversion: rates, A/B tests and funnels, 2024-2025'
\echo '================================================================'
\echo

------------------------------------------------------------------------------
\echo '7a. Visitor-to-purchase conversion rate by checkout variant, with Wilson 95% intervals'
\echo '    proportion_agg(purchased) per variant, over one row per visitor (bool_or of its events)'
------------------------------------------------------------------------------

SELECT variant,
       trials(p)                                        AS visitors,
       successes(p)                                     AS purchased,
       round(100 * rate(p)::numeric, 2)                 AS "rate %",
       round(100 * (rate_ci(p)).lower::numeric, 2)      AS "95% low",
       round(100 * (rate_ci(p)).upper::numeric, 2)      AS "95% high",
       round(100 * one_step::numeric, 2)                AS "conversion_rate %"
FROM (SELECT variant, proportion_agg(purchased) AS p, conversion_rate(purchased) AS one_step
      FROM (SELECT visitor_id, variant, bool_or(event = 'purchase') AS purchased
            FROM web_events GROUP BY visitor_id, variant) per_visitor
      GROUP BY variant) v
ORDER BY variant;

\echo
\echo '7b. A/B test: is B''s purchase rate different from A''s?  proportion_compare(B, A)'

WITH per_variant AS (
	SELECT variant, proportion_agg(purchased) AS p
	FROM (SELECT visitor_id, variant, bool_or(event = 'purchase') AS purchased
	      FROM web_events GROUP BY visitor_id, variant) v
	GROUP BY variant
)
SELECT round(100 * c.difference::numeric, 2)  AS "B - A, points",
       round(100 * c.stderr::numeric, 2)      AS "std. error",
       round(c.z::numeric, 2)                 AS z,
       demo_p_value(c.p_value)                AS "p-value",
       CASE WHEN c.p_value < 0.05 THEN 'significant at 5%' ELSE 'not significant' END AS verdict
FROM (SELECT p FROM per_variant WHERE variant = 'B') b,
     (SELECT p FROM per_variant WHERE variant = 'A') a,
     proportion_compare(b.p, a.p) c;

------------------------------------------------------------------------------
\echo
\echo '8a. Sign-up funnel, 7-day window from the visit: one row per step (funnel_steps)'
\echo '    an error page between two steps ends the chain (exclusion event of funnel_path)'
------------------------------------------------------------------------------

SELECT f.step,
       (ARRAY['visit', 'signup', 'activate', 'purchase'])[f.step] AS "event",
       f.entities                                               AS visitors,
       round(100 * f.conversion_from_previous::numeric, 1)      AS "% of previous",
       round(100 * f.previous_lower::numeric, 1) || '..' ||
       round(100 * f.previous_upper::numeric, 1)                AS "95% interval",
       round(100 * f.conversion_from_first::numeric, 1)         AS "% of visits",
       justify_hours(date_trunc('minute', f.median_time_from_previous)) AS "median time from previous"
FROM funnel_steps((
	SELECT funnel_agg(path)
	FROM (SELECT visitor_id,
	             funnel_path(interval '7 days', 'default', happened_at, event = 'error',
	                         event = 'visit', event = 'signup', event = 'activate', event = 'purchase') AS path
	      FROM web_events GROUP BY visitor_id) per_visitor)) f;

\echo
\echo '8b. The same funnel by variant: where does B win?  (funnel_conversion -> proportion_compare)'

WITH s AS (
	SELECT variant, funnel_agg(path) AS f
	FROM (SELECT visitor_id, variant,
	             funnel_path(interval '7 days', 'default', happened_at, event = 'error',
	                         event = 'visit', event = 'signup', event = 'activate', event = 'purchase') AS path
	      FROM web_events GROUP BY visitor_id, variant) per_visitor
	GROUP BY variant
)
SELECT step.name                                                              AS "step",
       round(100 * rate(funnel_conversion_proportion(a.f, step.k - 1, step.k))::numeric, 1) AS "A %",
       round(100 * rate(funnel_conversion_proportion(b.f, step.k - 1, step.k))::numeric, 1) AS "B %",
       demo_p_value(c.p_value)                                                AS "p-value (B vs A)"
FROM (SELECT f FROM s WHERE variant = 'A') a, (SELECT f FROM s WHERE variant = 'B') b,
     (VALUES (2, 'visit -> signup'), (3, 'signup -> activate'), (4, 'activate -> purchase')) AS step(k, name),
     proportion_compare(funnel_conversion_proportion(b.f, step.k - 1, step.k),
                        funnel_conversion_proportion(a.f, step.k - 1, step.k)) c
ORDER BY step.k;

\echo
\echo '8c. The same funnel by first-touch source: each visitor counts under the source of their first'
\echo '    step event (funnel_breakdown next to funnel_path, then funnel_agg + funnel_steps per source)'

WITH s AS (
	SELECT source, funnel_agg(path) AS f
	FROM (SELECT visitor_id,
	             funnel_breakdown(interval '7 days', 'default', 'first_touch', happened_at, source, event = 'error',
	                              event = 'visit', event = 'signup', event = 'activate', event = 'purchase') AS source,
	             funnel_path(interval '7 days', 'default', happened_at, event = 'error',
	                         event = 'visit', event = 'signup', event = 'activate', event = 'purchase') AS path
	      FROM web_events GROUP BY visitor_id) per_visitor
	GROUP BY source
)
SELECT s.source                                                  AS "first touch",
       v.entities                                                AS visitors,
       round(100 * g.conversion_from_previous::numeric, 1)       AS "signed up %",
       round(100 * g.previous_lower::numeric, 1) || '..' ||
       round(100 * g.previous_upper::numeric, 1)                 AS "signup 95% interval",
       round(100 * p.conversion_from_first::numeric, 1)          AS "purchased % of visits",
       round(100 * p.first_lower::numeric, 1) || '..' ||
       round(100 * p.first_upper::numeric, 1)                    AS "purchase 95% interval"
FROM s,
     LATERAL (SELECT * FROM funnel_steps(s.f) WHERE step = 1) v,
     LATERAL (SELECT * FROM funnel_steps(s.f) WHERE step = 2) g,
     LATERAL (SELECT * FROM funnel_steps(s.f) WHERE step = 4) p
ORDER BY v.entities DESC, s.source;

\echo
\echo '8d. Time to convert, visit -> purchase (steps 1 to 4 of the funnel above): days from the visit'
\echo '    funnel_agg(path, 1, 4) -> funnel_time_histogram(summary, 2, interval ''1 day'')'

SELECT h.bin - 1 || '-' || h.bin || ' days'                 AS "time from visit",
       h.entities                                         AS purchases,
       round(100 * h.share::numeric, 1)                   AS "% of purchases",
       round(100 * h.cumulative_share::numeric, 1)        AS "cumulative %"
FROM funnel_time_histogram((
	SELECT funnel_agg(path, 1, 4)
	FROM (SELECT visitor_id,
	             funnel_path(interval '7 days', 'default', happened_at, event = 'error',
	                         event = 'visit', event = 'signup', event = 'activate', event = 'purchase') AS path
	      FROM web_events GROUP BY visitor_id) per_visitor), 2, interval '1 day') h
ORDER BY h.bin;

\echo
\echo '    ... and the visitors who purchased within 1, 3 and 7 days of the visit (funnel_converted_within)'

SELECT w.days || CASE WHEN w.days = 1 THEN ' day' ELSE ' days' END AS "within",
       successes(c)                                       AS purchased,
       trials(c)                                          AS visitors,
       round(100 * rate(c)::numeric, 1)                   AS "% of visitors",
       round(100 * ci.lower::numeric, 1) || '..' ||
       round(100 * ci.upper::numeric, 1)                  AS "95% interval",
       (SELECT funnel_time_is_exact(s.f, 2))              AS exact
FROM (SELECT funnel_agg(path, 1, 4) AS f
      FROM (SELECT visitor_id,
                   funnel_path(interval '7 days', 'default', happened_at, event = 'error',
                               event = 'visit', event = 'signup', event = 'activate', event = 'purchase') AS path
            FROM web_events GROUP BY visitor_id) per_visitor) s,
     (VALUES (1), (3), (7)) AS w(days),
     LATERAL (SELECT funnel_converted_within(s.f, 2, w.days * interval '1 day') AS c) x,
     rate_ci(c) ci
ORDER BY w.days;

------------------------------------------------------------------------------
\echo
\echo '8e. Steps in any order (window_funnel mode unordered): a funnel assumed as signup -> pricing page ->'
\echo '    activate -> purchase finds nobody past step 1, since visitors see the pricing page before signing up;'
\echo '    in any order within 7 days, the steps done show up'
------------------------------------------------------------------------------

WITH levels AS (
	SELECT visitor_id,
	       window_funnel(interval '7 days', happened_at, event = 'signup', event = 'pricing page',
	                     event = 'activate', event = 'purchase') AS in_order,
	       window_funnel(interval '7 days', 'unordered', happened_at, event = 'signup', event = 'pricing page',
	                     event = 'activate', event = 'purchase') AS any_order
	FROM web_events GROUP BY visitor_id
), s AS (
	SELECT funnel_agg(in_order, 4) AS o, funnel_agg(any_order, 4) AS u FROM levels
)
SELECT k                                          AS "steps done",
       funnel_reached(s.o, k)                     AS "in this order",
       funnel_reached(s.u, k)                     AS "in any order",
       funnel_reached(s.u, k) - funnel_reached(s.o, k) AS "only in another order"
FROM s, generate_series(1, 4) AS k
ORDER BY k;

------------------------------------------------------------------------------
\echo
\echo '9a. Sales process, stage to stage: lead -> qualified -> opportunity -> won within 180 days'
\echo '    (how many leads become customers, and how long each stage takes)'
------------------------------------------------------------------------------

SELECT f.step,
       (ARRAY['lead', 'qualified', 'opportunity', 'won'])[f.step] AS stage,
       f.entities                                                AS leads,
       round(100 * f.conversion_from_previous::numeric, 1)       AS "% of previous stage",
       round(100 * f.conversion_from_first::numeric, 1)          AS "% of leads",
       round((extract(epoch FROM f.median_time_from_previous) / 86400)::numeric, 1) AS "median days in previous stage"
FROM funnel_steps((
	SELECT funnel_agg(path)
	FROM (SELECT lead_id,
	             funnel_path(interval '180 days', 'default', entered_at, false,
	                         stage = 'lead', stage = 'qualified', stage = 'opportunity', stage = 'won') AS path
	      FROM lead_events GROUP BY lead_id) per_lead)) f;

\echo
\echo '9b. Lead-to-won conversion by channel, with Wilson 95% intervals (funnel summary per channel)'

SELECT channel,
       funnel_reached(f, 1)                                                      AS leads,
       funnel_reached(f, 4)                                                      AS won,
       round(100 * rate(funnel_conversion_proportion(f))::numeric, 1)            AS "won %",
       round(100 * (rate_ci(funnel_conversion_proportion(f))).lower::numeric, 1) || '..' ||
       round(100 * (rate_ci(funnel_conversion_proportion(f))).upper::numeric, 1) AS "95% interval",
       round(100 * rate(funnel_conversion_proportion(f, 1, 2))::numeric, 1) AS "qualified %"
FROM (SELECT channel, funnel_agg(path) AS f
      FROM (SELECT lead_id, channel,
                   funnel_path(interval '180 days', 'default', entered_at, false,
                               stage = 'lead', stage = 'qualified', stage = 'opportunity', stage = 'won') AS path
            FROM lead_events GROUP BY lead_id, channel) per_lead
      GROUP BY channel) s
ORDER BY rate(funnel_conversion_proportion(f)) DESC;

\echo
\echo '9c. Two-step: funnel summaries stored per month of the lead (a materialized view),'
\echo '    rolled up per quarter without rescanning the events'

DROP MATERIALIZED VIEW IF EXISTS lead_funnel_monthly;
CREATE MATERIALIZED VIEW lead_funnel_monthly AS
SELECT date_trunc('month', started) AS month, funnel_agg(path) AS funnel
FROM (SELECT lead_id, min(entered_at) AS started,
             funnel_path(interval '180 days', 'default', entered_at, false,
                         stage = 'lead', stage = 'qualified', stage = 'opportunity', stage = 'won') AS path
      FROM lead_events GROUP BY lead_id) per_lead
GROUP BY 1;

SELECT to_char(date_trunc('quarter', month), 'YYYY-"Q"Q')           AS quarter,
       funnel_reached(rollup(funnel), 1)                            AS leads,
       funnel_reached(rollup(funnel), 4)                            AS won,
       round(100 * rate(funnel_conversion_proportion(rollup(funnel)))::numeric, 1) AS "won %",
       round((extract(epoch FROM funnel_median_time(rollup(funnel), 4)) / 86400)::numeric, 1) AS "median days opportunity -> won"
FROM lead_funnel_monthly
GROUP BY 1
ORDER BY 1;

------------------------------------------------------------------------------
\echo
\echo '10a. Checkout sessions that go back to the product page: ClickHouse''s re-entry funnel'
\echo '     begin_checkout -> view_product_detail -> begin_checkout -> complete_payment within 1 hour;'
\echo '     strict_order ends every funnel at the first checkout (it is also step 3, out of order),'
\echo '     allow_reentry ignores such out-of-order steps (window_funnel levels, sessions per level)'
------------------------------------------------------------------------------

SELECT level,
       count(*) FILTER (WHERE mode = 'strict_order')                AS "strict_order",
       count(*) FILTER (WHERE mode = 'strict_order, allow_reentry') AS "strict_order, allow_reentry"
FROM (SELECT m.mode, window_funnel(interval '1 hour', m.mode::kpi_text, happened_at,
                                   event = 'begin_checkout', event = 'view_product_detail',
                                   event = 'begin_checkout', event = 'complete_payment') AS level
      FROM checkout_events, (VALUES ('strict_order'), ('strict_order, allow_reentry')) AS m(mode)
      GROUP BY session_id, m.mode) per_session
GROUP BY level
ORDER BY level;

\echo
\echo '10b. Patterns in the sessions (sequence_match, sequence_count, ClickHouse''s pattern syntax):'
\echo '     went back = (?1)(?2) a checkout directly followed by a product page view;'
\echo '     quick payment = (?1)(?t<=300)(?2) a payment at most 5 minutes after a checkout;'
\echo '     checkouts = sequence_count((?1)) over the checkout events'

SELECT went_back                                   AS "went back",
       count(*)                                    AS sessions,
       count(*) FILTER (WHERE paid)                AS paid,
       count(*) FILTER (WHERE quick_payment)       AS "quick payment",
       sum(checkouts)                              AS checkouts
FROM (SELECT session_id,
             sequence_match('(?1)(?2)', happened_at, event = 'begin_checkout', event = 'view_product_detail') AS went_back,
             sequence_match('(?1).*(?2)', happened_at, event = 'begin_checkout', event = 'complete_payment') AS paid,
             sequence_match('(?1)(?t<=300)(?2)', happened_at, event = 'begin_checkout', event = 'complete_payment') AS quick_payment,
             sequence_count('(?1)', happened_at, event = 'begin_checkout') AS checkouts
      FROM checkout_events GROUP BY session_id) per_session
GROUP BY went_back
ORDER BY went_back;
