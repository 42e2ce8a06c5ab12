-- Objects that store survey summaries, for test/run's dump/restore check:
-- a table column, a materialized view of daily summaries, and a view.
CREATE EXTENSION crm_kpi;
CREATE TABLE answers AS
SELECT i, date '2025-01-01' + i % 90 AS day, (i * 7) % 11 AS score
FROM generate_series(1, 5000) i;
CREATE TABLE stored (id int PRIMARY KEY, s survey_summary);
INSERT INTO stored
SELECT 1, nps_agg(score) FROM answers
UNION ALL SELECT 2, survey_agg(score % 5 + 1, 1, 5) FROM answers;
CREATE MATERIALIZED VIEW nps_daily AS
SELECT day, nps_agg(score) AS s FROM answers GROUP BY day;
CREATE VIEW nps_monthly AS
SELECT date_trunc('month', day) AS month, nps(rollup(s)) AS nps, (nps_ci(rollup(s))).*
FROM nps_daily GROUP BY 1;
-- survival_summary and sbg_model: a table column, a materialized view of
-- summaries per day, and a view over their rollup
CREATE TABLE stored_survival (id int PRIMARY KEY, s survival_summary, m sbg_model);
INSERT INTO stored_survival
SELECT 1, survival_agg(i % 97 + 0.25, i % 3 <> 0),
	(SELECT sbg_fit(p, (1000 * 0.8 ^ p)::bigint) FROM generate_series(0, 6) p)
FROM answers;
CREATE MATERIALIZED VIEW survival_daily AS
SELECT day, survival_agg(i % 365, i % 4 <> 0) AS s FROM answers GROUP BY day;
CREATE VIEW survival_monthly AS
SELECT date_trunc('month', day) AS month, median_survival(rollup(s)) AS median,
	(median_survival_ci(rollup(s))).*
FROM survival_daily GROUP BY 1;

-- CLV: stored RFM summaries and fitted models, and a view predicting from them
CREATE TABLE clv_rfm AS
SELECT i AS customer_id, rfm_summary(i % 4, CASE WHEN i % 4 = 0 THEN 0 ELSE 1 + i % 9 END,
	10 + i % 20, CASE WHEN i % 4 = 0 THEN 0 ELSE 5 + i % 30 END) AS s
FROM generate_series(1, 500) i;
CREATE TABLE clv_models AS
SELECT bgnbd_fit(s) AS bg, gamma_gamma_fit(s) AS gg FROM clv_rfm;
-- (these synthetic fits do not converge, and predictions refuse such fits
-- since 1.3.0: the view predicts from models of the published CDNOW
-- parameters, stored too)
CREATE TABLE clv_chosen_models AS
SELECT bgnbd_model(0.243, 4.414, 0.793, 2.426) AS bg, gamma_gamma_model(6.25, 3.74, 15.44) AS gg;
CREATE VIEW clv_predictions AS
SELECT customer_id, probability_alive(bg, s), expected_purchases(bg, s, 10),
	predicted_clv(bg, gg, s, 6, 4, 0.01)
FROM clv_rfm, clv_chosen_models;
-- holdout summaries (1.3.0): tracked ones per part in a materialized view,
-- a view of the calibration table and the tracking of their rollup
CREATE MATERIALIZED VIEW clv_holdout_parts AS
SELECT customer_id % 7 AS part,
	holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, ARRAY[customer_id % 5 + 0.5], 1, 6) AS h,
	holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, ARRAY[-customer_age(s) * (customer_id % 3) / 3],
		ARRAY[customer_id % 5 + 0.5], 1, 4, 6) AS w
FROM clv_rfm GROUP BY 1;
CREATE VIEW clv_holdout_check AS
SELECT t.*, (SELECT string_agg(k::text, ' ' ORDER BY k.period) FROM holdout_tracking(r.h) k) AS tracking
FROM (SELECT rollup(h) AS h FROM clv_holdout_parts) r, calibration_table(r.h, 3) t;
-- the same, tracked over 4 calibration periods too (format 2)
CREATE VIEW clv_holdout_whole_check AS
SELECT k.* FROM (SELECT rollup(w) AS w FROM clv_holdout_parts) r, holdout_tracking(r.w) k;

-- Retention summaries: stored activity, cohort and MRR summaries, a
-- materialized view of daily cohort pieces, a view rolling them up.
CREATE TABLE retention_events AS
SELECT i % 300 AS entity, timestamptz '2025-01-01 00:00+00' + (i % 300) * interval '5 hours' AS start,
	timestamptz '2025-01-01 00:00+00' + (i % 300) * interval '5 hours' + (i % 50) * interval '3 days' AS at
FROM generate_series(1, 3000) i;
CREATE TABLE retention_stored (id int PRIMARY KEY, a activity_summary, r retention_summary, m mrr_summary);
INSERT INTO retention_stored
SELECT 1, (SELECT activity_agg(start, at, '1 week', 30) FROM retention_events WHERE entity = 7),
	(SELECT retention_agg(entity, start, at, '1 month', 6, 'calendar', '2025-05-01') FROM retention_events),
	(SELECT mrr_agg(entity, at, 10 + entity % 3, '2025-01-01', '1 month', 6) FROM retention_events);
CREATE MATERIALIZED VIEW retention_daily AS
SELECT start::date AS day, retention_agg(entity, start, at, '7 days', 20, 'rolling', '2025-06-01') AS s
FROM retention_events GROUP BY 1;
CREATE VIEW retention_monthly AS
SELECT date_trunc('month', day) AS month, retention_curve(rollup(s), 'on_or_after') AS curve
FROM retention_daily GROUP BY 1;

-- customer MRR summaries: a table column, a materialized view per month, a
-- view of the movements of their rollup
CREATE TABLE customer_mrr_stored AS
SELECT entity % 4 AS id, customer_mrr_agg(entity, at, 10 + entity % 3, '2025-01-01', '1 month', 6, 'UTC') AS s
FROM retention_events GROUP BY 1;
CREATE MATERIALIZED VIEW customer_mrr_monthly AS
SELECT date_trunc('month', at, 'UTC') AS month,
	customer_mrr_agg(entity, at, 10 + entity % 3, '2025-01-01', '1 month', 6, 'UTC') AS s
FROM retention_events GROUP BY 1;
CREATE VIEW customer_mrr_movements AS
SELECT m.* FROM (SELECT mrr_summary(rollup(s)) AS s FROM customer_mrr_monthly) x, mrr_movements(x.s) m;

-- pipeline summaries: a table column, a materialized view, a view
CREATE TABLE pipeline_stored AS
SELECT i % 3 AS id, pipeline_agg(i * 10.25, (i % 10) / 10.0, date '2025-01-01' + i % 90,
	date '2025-01-01' + i % 90 + i % 40, (ARRAY['open', 'won', 'lost'])[1 + i % 3]) AS s
FROM generate_series(1, 3000) i GROUP BY 1;
CREATE MATERIALIZED VIEW pipeline_daily AS
SELECT day, pipeline_agg(score * 100.5, 0.5, day, day + score, CASE WHEN i % 2 = 0 THEN 'won' ELSE 'lost' END) AS s
FROM answers GROUP BY day;
CREATE VIEW pipeline_monthly AS
SELECT date_trunc('month', day) AS month, win_rate(rollup(s)), median_deal_size(rollup(s)),
	(win_rate_ci(rollup(s))).*
FROM pipeline_daily GROUP BY 1;

-- cohort activity summaries: a table column, a materialized view of daily
-- summaries (whose entities overlap), a view rolling them up per month
CREATE TABLE cohort_activity_stored AS
SELECT 1 AS id, cohort_activity_agg(entity, start, at, '1 month', 6, 'calendar', '2025-05-01', 'Europe/Paris') AS s
FROM retention_events;
CREATE MATERIALIZED VIEW cohort_activity_daily AS
SELECT at::date AS day, cohort_activity_agg(entity, start, at, '7 days', 20, 'rolling', NULL) AS s
FROM retention_events GROUP BY 1;
CREATE VIEW cohort_activity_monthly AS
SELECT date_trunc('month', day) AS month, retention_curve(rollup(s), 'on_or_after') AS curve,
	retention_summary(rollup(s), '2025-06-01') AS summary
FROM cohort_activity_daily GROUP BY 1;

-- adoption_summary: a table column, a materialized view of summaries per
-- day and team, and a view over their rollup
CREATE TABLE adoption_stored (id int PRIMARY KEY, s adoption_summary);
INSERT INTO adoption_stored
SELECT 1, adoption_agg(i % 300, day, '2025-01-01', '2025-02-01') FROM answers
UNION ALL SELECT 2, adoption_agg(i, day, '2025-03-01', '2025-03-02') FROM answers WHERE false
UNION ALL SELECT 3, adoption_agg(i, day, '2024-03-01', '2025-03-01') FROM answers;
CREATE MATERIALIZED VIEW adoption_daily AS
SELECT day, i % 3 AS team, adoption_agg(i % 300, day, '2025-02-01', '2025-03-01') AS s
FROM answers GROUP BY 1, 2;
CREATE VIEW adoption_monthly AS
SELECT team, active_users(rollup(s)), average_dau(rollup(s)), dau_mau(rollup(s)), rollup(s)
FROM adoption_daily GROUP BY team;

-- clv_summary: a table column, a materialized view of daily summaries, a
-- view over their rollup
CREATE TABLE clv_stored AS
SELECT i % 4 AS id, clv_agg(i * 10.25 - 3000, i % 7 * 1.5) AS s
FROM generate_series(1, 3000) i GROUP BY 1
UNION ALL SELECT 4, clv_agg(x) FROM (VALUES (1.5), ('NaN')) v(x);
CREATE MATERIALIZED VIEW clv_daily AS
SELECT day, clv_agg(score * 10.05) AS s FROM answers GROUP BY day;
CREATE VIEW clv_monthly AS
SELECT date_trunc('month', day) AS month, clv(rollup(s)), rollup(s) AS s
FROM clv_daily GROUP BY 1;

-- coxph_model: a table of fitted models (named, Breslow, with entry times)
-- and a view predicting from them
CREATE TABLE coxph_stored AS
SELECT 1 AS id, coxph_fit(i % 97 + 0.5, i % 3 <> 0, ARRAY[score, i % 2]::float8[], ARRAY['score', 'odd']) AS m
FROM answers
UNION ALL SELECT 2, coxph_fit(i % 97 + 0.5, i % 3 <> 0, ARRAY[score]::float8[], 'breslow') FROM answers
UNION ALL SELECT 3, coxph_fit(i % 5, i % 97 + 5.5, i % 3 <> 0, ARRAY[score]::float8[]) FROM answers;
CREATE VIEW coxph_predictions AS
SELECT id, c.term, c.coefficient, c.std_err, coxph_survival_at(m, array_fill(5::float8, ARRAY[cardinality(c2.terms)]), 30) AS s30
FROM coxph_stored, coxph_coefficients(m) c,
	LATERAL (SELECT array_agg(term) AS terms FROM coxph_coefficients(m)) c2;
-- new_customers_summary: a table column (integer and text ids), a
-- materialized view of daily summaries, a view over their rollup
CREATE TABLE new_customers_stored AS
SELECT 1 AS id, new_customers_agg(i % 300, timestamptz '2025-01-01' + i * interval '7 hours',
	i * 1.25 - 100, '1 month', 30, 'Europe/Paris') AS s
FROM generate_series(1, 3000) i
UNION ALL SELECT 2, new_customers_agg('c' || i % 50, timestamptz '2025-01-01' + i * interval '1 day',
	CASE WHEN i % 9 = 0 THEN NULL ELSE i END, '7 days', 14, 'UTC')
FROM generate_series(1, 400) i;
CREATE MATERIALIZED VIEW new_customers_daily AS
SELECT day, new_customers_agg(i % 97, day::timestamp AT TIME ZONE 'UTC', score * 10.5, '1 month', 30, 'UTC') AS s
FROM answers GROUP BY day;
CREATE VIEW new_customers_monthly AS
SELECT c.* FROM (SELECT rollup(s) AS s FROM new_customers_daily) r, new_customers(r.s) c;
