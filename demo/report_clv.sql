-- crm_kpi demo: a customer lifetime value report over demo/data_clv.sql.
--
--   psql -f demo/report_clv.sql      (demo/run does this on a throwaway cluster)
--
-- Historic CLV is what each customer has brought so far (exact numeric sums);
-- predictive CLV fits the BG/NBD purchase model and the Gamma-Gamma spend
-- model on the orders up to 2025-03-31 (weeks as the time unit), checks the
-- predictions against the last quarter, and answers "which customers should
-- we keep?" with P(alive) and predicted 12-month CLV.

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
\echo '  crm_kpi demo report: customer lifetime value, orders of 2024-01 to 2025-06'
\echo '================================================================'
\echo

------------------------------------------------------------------------------
\echo '1. Historic CLV per segment, 2024-01-01..2025-06-30'
\echo '   clv(amount): revenue; clv(amount, cost): margin; discounted: the margin'
\echo '   valued at 2025-06-30 at 10 % a year (older orders compound up)'
------------------------------------------------------------------------------

SELECT c.segment,
       count(DISTINCT o.customer_id)                         AS customers,
       count(*)                                              AS orders,
       clv(o.amount)                                         AS revenue,
       clv(o.amount, o.cost)                                 AS margin,
       round(clv(o.amount, o.cost, o.order_date, '2025-06-30', 0.10), 2) AS "margin at 2025-06-30",
       round(clv(o.amount, o.cost) / count(DISTINCT o.customer_id), 2)   AS "margin per customer"
FROM clv_orders o JOIN customers c USING (customer_id)
GROUP BY c.segment
ORDER BY "margin per customer" DESC;

------------------------------------------------------------------------------
\echo '2. The classic formula: CLV = m r / (1 + d - r), margin m per year,'
\echo '   retention r per year, discount rate d = 10 %'
------------------------------------------------------------------------------

SELECT r AS retention,
       round(retention_clv(1000, r, 0.10)::numeric, 2)       AS "CLV of 1,000 a year",
       round(retention_clv(1000, r, 0.10, true)::numeric, 2) AS "first margin at once"
FROM unnest(ARRAY[0.5, 0.7, 0.8, 0.9]) AS r;

------------------------------------------------------------------------------
\echo '3. RFM summaries, calibration up to 2025-03-31, in weeks'
\echo '   frequency = repeat purchase days, recency and age in weeks'
------------------------------------------------------------------------------

CREATE TEMP TABLE rfm AS
SELECT customer_id, rfm_agg(order_date, amount, '2025-03-31', '7 days') AS s
FROM clv_orders GROUP BY customer_id;
DELETE FROM rfm WHERE s IS NULL;           -- first order after the calibration end

SELECT count(*)                                  AS customers,
       count(*) FILTER (WHERE frequency(s) > 0)  AS "repeat buyers",
       sum(frequency(s))                         AS "repeat purchases",
       round(avg(recency(s))::numeric, 1)        AS "mean recency",
       round(avg(customer_age(s))::numeric, 1)   AS "mean age"
FROM rfm;
\echo '   three customers'' summaries, read with the accessors (monetary value = mean'
\echo '   amount of the repeat purchase days)'
SELECT customer_id                                AS customer,
       frequency(s)                               AS frequency,
       round(recency(s)::numeric, 1)              AS "recency (weeks)",
       round(customer_age(s)::numeric, 1)         AS "age (weeks)",
       round(monetary_value(s)::numeric, 2)       AS "monetary value"
FROM rfm ORDER BY customer_id LIMIT 3;

------------------------------------------------------------------------------
\echo '4. Fitted models: BG/NBD (purchases) and Gamma-Gamma (order value)'
------------------------------------------------------------------------------

CREATE TEMP TABLE models AS
SELECT bgnbd_fit(s) AS bg,
       gamma_gamma_fit(s) FILTER (WHERE monetary_value(s) > 0) AS gg
FROM rfm;

SELECT 'BG/NBD' AS model, format('r %s, alpha %s, a %s, b %s', round(r::numeric, 3),
           round(alpha::numeric, 3), round(a::numeric, 3), round(b::numeric, 3)) AS parameters,
       round(log_likelihood(bg)::numeric, 1) AS "log-likelihood", customers(bg) AS customers,
       converged(bg) AS converged
FROM models, parameters(bg)
UNION ALL
SELECT 'Gamma-Gamma', format('p %s, q %s, gamma %s', round(p::numeric, 3), round(q::numeric, 3),
           round(gamma::numeric, 3)),
       round(log_likelihood(gg)::numeric, 1), customers(gg), converged(gg)
FROM models, parameters(gg);

------------------------------------------------------------------------------
\echo '5. Do the predictions hold?  Expected repeat purchases in the 13 weeks'
\echo '   after the calibration end against what happened, by calibration frequency'
------------------------------------------------------------------------------

SELECT CASE WHEN frequency(r.s) >= 6 THEN '6+' ELSE frequency(r.s)::text END AS "repeat purchases",
       count(*)                                                      AS customers,
       round(avg(expected_purchases(m.bg, r.s, 13))::numeric, 2)     AS predicted,
       round(avg(coalesce(h.actual, 0))::numeric, 2)                 AS actual
FROM rfm r CROSS JOIN models m
LEFT JOIN (SELECT customer_id, count(DISTINCT order_date) AS actual
           FROM clv_orders WHERE order_date > '2025-03-31' GROUP BY customer_id) h USING (customer_id)
GROUP BY 1 ORDER BY min(frequency(r.s));

------------------------------------------------------------------------------
\echo '6. Which customers should we keep?  P(alive) at 2025-03-31 and predicted'
\echo '   CLV of the next 12 months (months of 52/12 weeks, 1 % a month, margin 40 %)'
------------------------------------------------------------------------------

CREATE TEMP TABLE scored AS
SELECT r.customer_id, c.name, c.segment, r.s,
       probability_alive(m.bg, r.s) AS p_alive,
       predicted_clv(m.bg, m.gg, r.s, 12, 52.0 / 12, 0.01, 0.40) AS pclv
FROM rfm r CROSS JOIN models m JOIN customers c USING (customer_id);

SELECT CASE WHEN pclv >= pct AND p_alive >= 0.5 THEN '1 keep: valuable and active'
            WHEN pclv >= pct THEN '2 win back: valuable, probably gone'
            WHEN p_alive >= 0.5 THEN '3 grow: active, low value'
            ELSE '4 let go: low value, probably gone' END AS "segment",
       count(*)                                   AS customers,
       round(avg(p_alive)::numeric, 2)            AS "mean P(alive)",
       round(sum(pclv)::numeric, 0)               AS "predicted 12-month CLV",
       round((100 * sum(pclv) / sum(sum(pclv)) OVER ())::numeric, 1) AS "share %"
FROM scored, (SELECT percentile_cont(0.8) WITHIN GROUP (ORDER BY pclv) AS pct FROM scored) t
GROUP BY 1 ORDER BY 1;

\echo '   the ten most valuable customers to win back (valuable, P(alive) < 0.5):'
SELECT name, segment, frequency(s) AS "repeat purchases",
       round(recency(s)::numeric, 1) AS "last order (week)", round(customer_age(s)::numeric, 1) AS "age (weeks)",
       round(p_alive::numeric, 2) AS "P(alive)", round(pclv::numeric, 2) AS "predicted CLV"
FROM scored WHERE p_alive < 0.5 ORDER BY pclv DESC LIMIT 10;
