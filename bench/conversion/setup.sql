-- bench/conversion/setup.sql: the conversion family's benchmark data.  Run
-- by bench/run (psql -v rows=N) after harness.sql.
--
-- Tables
--   events   :rows product events of :rows / 10 users over 90 days: step
--            1..4 of a signup funnel (visit, signup, activate, purchase) or
--            0 for any other event, and converted (~4 % true, ~2 % NULL);
--            an index on (user_id, step, ts) for the plain-SQL funnel
--   users    the :rows / 10 users (the plain-SQL funnel's entity list)
-- View
--   sql_funnel_levels   the deepest step (0..4) each user reaches in 7 days,
--                       in plain SQL: the baseline of the funnel benchmark
--   sql_unordered_levels  the most steps (0..4) each user does in any order
--                       within 7 days, in plain SQL (unordered funnel)

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';

-- Deterministic: the same :rows always give the same tables.
SELECT setseed(0.1127) \gset

-- Each user's events fall in a random two-week stretch, and deeper steps
-- are rarer, so that the 7-day funnel converts at about 60 / 45 / 25 %.
CREATE TABLE events (
	user_id   integer NOT NULL,
	ts        timestamptz NOT NULL,
	step      integer NOT NULL,     -- 0 (other) or 1..4
	converted boolean
);
INSERT INTO events
SELECT u, timestamptz '2025-01-01' + (u % 76) * interval '1 day'
		+ random() * interval '14 days',
	CASE WHEN r < 0.30 THEN 0 WHEN r < 0.60 THEN 1 WHEN r < 0.80 THEN 2
		WHEN r < 0.92 THEN 3 ELSE 4 END,
	CASE WHEN random() < 0.02 THEN NULL ELSE random() < 0.04 END
FROM (SELECT 1 + (i % (:rows / 10)) AS u, random() AS r
	FROM generate_series(0, :rows - 1) i) s;
CREATE INDEX ON events (user_id, step, ts);

CREATE TABLE users AS SELECT DISTINCT user_id FROM events;

-- The best plain SQL we know for window_funnel's result: for every step-1
-- event, the earliest step 2 at or after it, the earliest step 3 at or
-- after that, ... all within 7 days of the step-1 event (index lookups);
-- a user's level is the deepest over all of their step-1 events.  Taking
-- the earliest next step is optimal for a chain, and a chain that starts
-- later never has less of its window left, so this is windowFunnel's
-- default semantics (sanity.sql checks it user by user).
CREATE VIEW sql_funnel_levels AS
SELECT u.user_id,
	coalesce(max(CASE WHEN d.t4 IS NOT NULL THEN 4 WHEN c.t3 IS NOT NULL THEN 3
		WHEN b.t2 IS NOT NULL THEN 2 WHEN a.ts IS NOT NULL THEN 1 END), 0) AS level
FROM users u
LEFT JOIN events a ON a.user_id = u.user_id AND a.step = 1
LEFT JOIN LATERAL (SELECT min(e.ts) AS t2 FROM events e WHERE e.user_id = a.user_id
	AND e.step = 2 AND e.ts >= a.ts AND e.ts <= a.ts + interval '7 days') b ON true
LEFT JOIN LATERAL (SELECT min(e.ts) AS t3 FROM events e WHERE e.user_id = a.user_id
	AND e.step = 3 AND e.ts >= b.t2 AND e.ts <= a.ts + interval '7 days') c ON true
LEFT JOIN LATERAL (SELECT min(e.ts) AS t4 FROM events e WHERE e.user_id = a.user_id
	AND e.step = 4 AND e.ts >= c.t3 AND e.ts <= a.ts + interval '7 days') d ON true
GROUP BY u.user_id;

-- The plain SQL an analyst writes for an unordered funnel (window_funnel mode
-- unordered): for every event of a step, the steps with an event in the 7
-- days from it (an EXISTS per step, index lookups); a user's level is the
-- most over those events (sanity.sql checks it user by user).
CREATE VIEW sql_unordered_levels AS
SELECT u.user_id,
	coalesce(max((SELECT count(*) FROM generate_series(1, 4) k WHERE EXISTS (SELECT 1 FROM events e
		WHERE e.user_id = a.user_id AND e.step = k AND e.ts >= a.ts AND e.ts <= a.ts + interval '7 days'))), 0)
		AS level
FROM users u
LEFT JOIN events a ON a.user_id = u.user_id AND a.step BETWEEN 1 AND 4
GROUP BY u.user_id;

VACUUM ANALYZE events;
VACUUM ANALYZE users;

SELECT bench_prewarm(ARRAY['events', 'events_user_id_step_ts_idx', 'users']);

-- Time to convert: each user's funnel_path (visit .. purchase, 7 days), the
-- input of funnel_agg(path, from_step, to_step) (measure.sql times only
-- what follows the per-user funnel)
CREATE TABLE user_paths AS
SELECT user_id, funnel_path(interval '7 days', 'default', ts, false, step = 1, step = 2, step = 3, step = 4) AS path
FROM events GROUP BY user_id;
VACUUM ANALYZE user_paths;
