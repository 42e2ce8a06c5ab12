--
-- Moving windows over the proportion aggregates: the inverse transition
-- functions make frames O(n); the results equal plain aggregation over each
-- frame.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET extra_float_digits = 0;

CREATE TABLE conv_win_visits AS
SELECT i, timestamptz '2025-01-01 00:00:00+00' + i * interval '37 minutes' AS visited_at,
	CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 7919) % 10 < 3 END AS converted
FROM generate_series(1, 3000) i;

-- the proportion aggregates use the moving-aggregate implementation
SELECT a.aggfnoid::regprocedure, a.aggmtransfn, a.aggminvtransfn
FROM pg_aggregate a
WHERE a.aggtranstype = 'proportion_summary'::regtype
ORDER BY a.aggfnoid::regprocedure::text COLLATE "C";

-- 7-day rolling conversion rate against a correlated subquery per row
SELECT count(*) AS rows,
	count(*) FILTER (WHERE w_rate IS DISTINCT FROM p_rate) AS rate_mismatches,
	count(*) FILTER (WHERE w_sum IS DISTINCT FROM p_sum) AS summary_mismatches
FROM (
	SELECT conversion_rate(converted) OVER w AS w_rate,
		proportion_agg(converted) OVER w AS w_sum_p, x.*
	FROM conv_win_visits a,
	LATERAL (SELECT (count(*) FILTER (WHERE b.converted))::float8 / nullif(count(b.converted), 0) AS p_rate,
			format('{"version":1,"successes":%s,"trials":%s}',
				count(*) FILTER (WHERE b.converted), count(b.converted)) AS p_sum
		FROM conv_win_visits b
		WHERE b.visited_at BETWEEN a.visited_at - interval '7 days' AND a.visited_at) x
	WINDOW w AS (ORDER BY visited_at RANGE BETWEEN '7 days' PRECEDING AND CURRENT ROW)
) y, LATERAL (SELECT w_sum_p::text AS w_sum) z;

-- frames that empty out again: NULL rate, empty summary, never an error
SELECT i, converted, conversion_rate(converted) OVER f AS next_two, proportion_agg(converted) OVER f AS s
FROM conv_win_visits WHERE i BETWEEN 24 AND 28
WINDOW f AS (ORDER BY i ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) ORDER BY i;

-- rolling rollup of stored daily summaries and of pre-aggregated counts
CREATE TABLE conv_win_daily AS
SELECT date_trunc('day', visited_at) AS day, proportion_agg(converted) AS p,
	count(*) FILTER (WHERE converted) AS k, count(converted) AS n
FROM conv_win_visits GROUP BY 1;
SELECT count(*) AS days,
	count(*) FILTER (WHERE w IS DISTINCT FROM q) AS rollup_mismatches,
	count(*) FILTER (WHERE wc IS DISTINCT FROM q) AS counts_mismatches
FROM (
	SELECT rollup(p) OVER seven::text AS w, proportion_agg(k, n) OVER seven::text AS wc,
		(SELECT proportion_agg(converted)::text FROM conv_win_visits b
		 WHERE date_trunc('day', b.visited_at) BETWEEN d.day - interval '6 days' AND d.day) AS q
	FROM conv_win_daily d
	WINDOW seven AS (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
) x;

DROP TABLE conv_win_visits, conv_win_daily;
