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
