-- What must read the same before a dump and after its restore.
REFRESH MATERIALIZED VIEW nps_daily;
SELECT id, s FROM stored ORDER BY id;
SELECT day, s FROM nps_daily ORDER BY day;
SELECT * FROM nps_monthly ORDER BY month;
REFRESH MATERIALIZED VIEW retention_daily;
SELECT id, a, r, m FROM retention_stored ORDER BY id;
SELECT day, s FROM retention_daily ORDER BY day;
SELECT * FROM retention_monthly ORDER BY month;
