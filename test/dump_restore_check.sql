-- What must read the same before a dump and after its restore.
REFRESH MATERIALIZED VIEW nps_daily;
SELECT id, s FROM stored ORDER BY id;
SELECT day, s FROM nps_daily ORDER BY day;
SELECT * FROM nps_monthly ORDER BY month;
REFRESH MATERIALIZED VIEW pipeline_daily;
SELECT id, s FROM pipeline_stored ORDER BY id;
SELECT day, s FROM pipeline_daily ORDER BY day;
SELECT * FROM pipeline_monthly ORDER BY month;
