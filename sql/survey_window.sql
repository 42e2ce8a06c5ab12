--
-- Moving-aggregate support: window frames computed incrementally (the
-- inverse transition removes rows leaving the frame) equal plain
-- aggregation over each frame.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE win_answers AS
SELECT i,
	timestamptz '2025-01-01 00:00+00' + i * interval '7 hours' AS answered_at,
	CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 31) % 11 END AS score,
	1 + (i * 7) % 5 AS csat_score,
	1 + (i * 5) % 7 AS ces_score
FROM generate_series(1, 2000) i;

-- the survey aggregates use the moving-aggregate implementation
SELECT a.aggfnoid::regprocedure, a.aggmtransfn::regprocedure, a.aggminvtransfn::regprocedure
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_kpi'
WHERE a.aggtranstype = 'survey_summary'::regtype
ORDER BY a.aggfnoid::regprocedure::text;

-- 30-day rolling NPS, CSAT and CES against a correlated subquery per row
SELECT count(*) AS rows,
	count(*) FILTER (WHERE w_nps IS DISTINCT FROM p_nps) AS nps_mismatches,
	count(*) FILTER (WHERE w_csat IS DISTINCT FROM p_csat) AS csat_mismatches,
	count(*) FILTER (WHERE w_ces IS DISTINCT FROM p_ces) AS ces_mismatches,
	count(*) FILTER (WHERE w_sum IS DISTINCT FROM p_sum) AS survey_agg_mismatches
FROM (
	SELECT nps(score) OVER w AS w_nps, csat(csat_score) OVER w AS w_csat,
		ces(ces_score) OVER w AS w_ces, survey_agg(score, 0, 10) OVER w AS w_sum_s,
		x.*
	FROM win_answers a,
	LATERAL (SELECT nps(b.score) AS p_nps, csat(b.csat_score) AS p_csat,
			ces(b.ces_score) AS p_ces, survey_agg(b.score, 0, 10)::text AS p_sum
		FROM win_answers b
		WHERE b.answered_at BETWEEN a.answered_at - interval '30 days' AND a.answered_at) x
	WINDOW w AS (ORDER BY answered_at RANGE BETWEEN '30 days' PRECEDING AND CURRENT ROW)
) y, LATERAL (SELECT w_sum_s::text AS w_sum) z;

-- frames that empty out again: NULL NPS, never an error
SELECT i, score, nps(score) OVER (ORDER BY i ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) AS next_two,
	nps_agg(score) OVER (ORDER BY i ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) AS s
FROM win_answers WHERE i BETWEEN 24 AND 28 ORDER BY i;

-- rolling rollup of stored daily summaries (every day has answers): 7-day windows
CREATE TABLE win_daily AS
SELECT date_trunc('day', answered_at) AS day, nps_agg(score) AS s
FROM win_answers GROUP BY 1;
SELECT count(*) AS days,
	count(*) FILTER (WHERE w IS DISTINCT FROM p) AS mismatches
FROM (
	SELECT rollup(s) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)::text AS w,
		(SELECT nps_agg(score)::text FROM win_answers b
		 WHERE date_trunc('day', b.answered_at) BETWEEN d.day - interval '6 days' AND d.day) AS p
	FROM win_daily d
) x;
