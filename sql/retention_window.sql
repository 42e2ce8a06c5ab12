--
-- rollup(retention_summary) as a moving window (its inverse subtracts
-- counts) against plain aggregation over each frame.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- one retention summary per signup day (daily cohort pieces)
CREATE TABLE win_days AS
SELECT signup::date AS day, retention_agg(user_id, signup, at, '1 week', 8) AS s
FROM (SELECT i % 3000 AS user_id,
		timestamptz '2024-01-01' + (i % 3000) * interval '7 hours' AS signup,
		timestamptz '2024-01-01' + (i % 3000) * interval '7 hours'
			+ ((i * 7919) % 60) * interval '1 day' AS at
	  FROM generate_series(1, 30000) i) e
GROUP BY 1;

-- 7-day moving cohorts, and the whole-table running total
SELECT count(*) AS frames,
	count(*) FILTER (WHERE w.s::text IS DISTINCT FROM p.s::text) AS mismatches
FROM (SELECT day, rollup(s) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS s
	  FROM win_days) w
JOIN LATERAL (SELECT rollup(d.s) AS s FROM win_days d
			  WHERE d.day BETWEEN w.day - 6 AND w.day) p ON true;

SELECT count(*) AS frames,
	count(*) FILTER (WHERE w.rate IS DISTINCT FROM p.rate) AS mismatches
FROM (SELECT day, retention_rate(rollup(s) OVER (ORDER BY day ROWS BETWEEN 13 PRECEDING AND CURRENT ROW), 1) AS rate
	  FROM win_days) w
JOIN LATERAL (SELECT retention_rate(rollup(d.s), 1) AS rate FROM win_days d
			  WHERE d.day BETWEEN w.day - 13 AND w.day) p ON true;

-- one frame by hand: the first 7 days' cohort size is the users who signed
-- up then (every 7 hours: days 1-7 hold 24 users)
SELECT cohort_size(rollup(s) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW))
FROM win_days ORDER BY day OFFSET 6 LIMIT 1;

-- rollup(mrr_summary) over a moving frame of customer groups (its inverse
-- subtracts movements) against plain aggregation over each frame
CREATE TABLE win_mrr AS
SELECT customer % 40 AS grp,
	mrr_agg(customer, timestamptz '2024-01-01' + m * interval '1 month',
		10 + (customer * m) % 7, '2024-01-01', '1 month', 12) AS s
FROM generate_series(1, 400) customer, generate_series(0, 11) m
WHERE (customer + m) % 5 <> 0
GROUP BY 1;
SELECT count(*) AS frames,
	count(*) FILTER (WHERE w.s::text IS DISTINCT FROM p.s::text) AS mismatches
FROM (SELECT grp, rollup(s) OVER (ORDER BY grp ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS s
	  FROM win_mrr) w
JOIN LATERAL (SELECT rollup(d.s) AS s FROM win_mrr d
			  WHERE d.grp BETWEEN w.grp - 4 AND w.grp) p ON true;
