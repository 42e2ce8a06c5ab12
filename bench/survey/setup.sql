-- bench/survey/setup.sql: the survey family's benchmark data.  Run by
-- bench/run (psql -v rows=N) after harness.sql.
--
-- Tables
--   responses      :rows survey answers: score 0..10 (~2 % NULL), answered_at
--                  spread over two years, group keys g100 and g100k
--   responses_1m   the first min(:rows, 1,000,000) rows of responses in
--                  answered_at order, with an index on answered_at (window case)
--   daily_all      nps_agg summaries per (UTC day, segment), segment = g100 % 14
--   daily          the first 10,000 rows of daily_all (rollup case)

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';

-- Deterministic: the same :rows always give the same table.
SELECT setseed(0.20261127) \gset

CREATE TABLE responses (
	answered_at timestamptz NOT NULL,
	score       integer,                -- 0..10, ~2 % NULL
	g100        integer NOT NULL,       -- 100 groups
	g100k       integer NOT NULL        -- 100,000 groups
);

-- Scores lean the way real NPS answers do: P(score <= k) = ((k + 1) / 11)^2,
-- so ~40 % detractors, ~27 % passives, ~33 % promoters.
INSERT INTO responses
SELECT timestamptz '2024-01-01 00:00:00+00' + random() * interval '730 days',
	CASE WHEN random() < 0.02 THEN NULL
		ELSE least(10, floor(11 * sqrt(random())))::integer END,
	floor(random() * 100)::integer,
	floor(random() * 100000)::integer
FROM generate_series(1, :rows);

-- 30-day rolling window input: 1 M rows (or all of them) in time order.
CREATE TABLE responses_1m AS
SELECT answered_at, score
FROM (SELECT answered_at, score FROM responses LIMIT 1000000) s
ORDER BY answered_at;
CREATE INDEX ON responses_1m (answered_at);

-- Stored daily summaries: one per UTC day and segment (730 x 14 = 10,220 at
-- most); daily keeps exactly 10,000 of them.
CREATE TABLE daily_all AS
SELECT (answered_at AT TIME ZONE 'UTC')::date AS day, g100 % 14 AS segment,
	nps_agg(score) AS s
FROM responses
GROUP BY 1, 2;
CREATE TABLE daily AS
SELECT * FROM daily_all ORDER BY day, segment LIMIT 10000;

VACUUM ANALYZE responses;
VACUUM ANALYZE responses_1m;
VACUUM ANALYZE daily_all;
VACUUM ANALYZE daily;

-- Cached before timing (pg_prewarm when the contrib module is there).
SELECT bench_prewarm(ARRAY['responses', 'responses_1m', 'responses_1m_answered_at_idx',
	'daily', 'daily_all']);
