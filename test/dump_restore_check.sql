-- What must read the same before a dump and after its restore.
REFRESH MATERIALIZED VIEW nps_daily;
SELECT id, s FROM stored ORDER BY id;
SELECT day, s FROM nps_daily ORDER BY day;
SELECT * FROM nps_monthly ORDER BY month;
REFRESH MATERIALIZED VIEW survival_daily;
SELECT id, s, m FROM stored_survival ORDER BY id;
SELECT day, s FROM survival_daily ORDER BY day;
SELECT * FROM survival_monthly ORDER BY month;
SELECT customer_id, s FROM clv_rfm ORDER BY customer_id;
SELECT bg, gg FROM clv_models;
SELECT * FROM clv_predictions ORDER BY customer_id;
REFRESH MATERIALIZED VIEW pipeline_daily;
SELECT id, s FROM pipeline_stored ORDER BY id;
SELECT day, s FROM pipeline_daily ORDER BY day;
SELECT * FROM pipeline_monthly ORDER BY month;
