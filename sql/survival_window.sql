--
-- Moving-aggregate support of the survival aggregates: window frames
-- computed incrementally (the inverse transition removes rows leaving the
-- frame) equal plain aggregation over each frame.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE surv_win AS
SELECT i,
	i / 3 AS signup_day,
	CASE WHEN i % 17 = 0 THEN NULL ELSE ((i * 37) % 90)::float8 + CASE WHEN i % 5 = 0 THEN 0.5 ELSE 0 END END AS duration,
	(i * 7) % 3 <> 0 AS event
FROM generate_series(1, 1500) i;

-- the survival aggregates use the moving-aggregate implementation
SELECT a.aggfnoid::regprocedure, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.proname = 'survival_agg' OR a.aggtranstype = 'survival_summary'::regtype
ORDER BY a.aggfnoid::regprocedure::text COLLATE "C";

-- 30-day rolling survival summaries (by signup day), boolean and 0/1
-- events, against a correlated subquery per row
SELECT count(*) AS rows,
	count(*) FILTER (WHERE w_bool IS DISTINCT FROM p_s) AS bool_mismatches,
	count(*) FILTER (WHERE w_int IS DISTINCT FROM p_s) AS status_mismatches,
	count(*) FILTER (WHERE w_median IS DISTINCT FROM p_median) AS median_mismatches
FROM (
	SELECT survival_agg(duration, event) OVER w::text AS w_bool,
		survival_agg(duration, event::int) OVER w::text AS w_int,
		median_survival(survival_agg(duration, event) OVER w) AS w_median, x.*
	FROM surv_win a,
	LATERAL (SELECT survival_agg(b.duration, b.event)::text AS p_s,
			median_survival(survival_agg(b.duration, b.event)) AS p_median
		FROM surv_win b
		WHERE b.signup_day BETWEEN a.signup_day - 30 AND a.signup_day) x
	WINDOW w AS (ORDER BY signup_day RANGE BETWEEN 30 PRECEDING AND CURRENT ROW)
) y;

-- frames that empty out again: an empty summary, never an error
SELECT i, duration, event,
	survival_agg(duration, event) OVER (ORDER BY i ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) AS next_two
FROM surv_win WHERE i BETWEEN 1497 AND 1500 ORDER BY i;

-- rolling rollup of stored daily summaries: 7-day windows
CREATE TABLE surv_win_daily AS
SELECT signup_day AS day, survival_agg(duration, event) AS s FROM surv_win GROUP BY 1;
SELECT count(*) AS days,
	count(*) FILTER (WHERE w IS DISTINCT FROM p) AS rollup_mismatches
FROM (
	SELECT rollup(s) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)::text AS w,
		(SELECT rollup(b.s)::text FROM surv_win_daily b
		 WHERE b.day BETWEEN a.day - 6 AND a.day) AS p
	FROM surv_win_daily a
) y;

-- the inverses reject what was never added
SELECT survival_uncombine(survival_agg(5, true), survival_agg(6, true));
SELECT survival_uncombine(survival_agg(5, true), survival_agg(5, false));
SELECT survival_uncombine(rollup(s), rollup(s))::text AS to_empty FROM surv_win_daily;
