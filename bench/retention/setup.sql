-- bench/retention/setup.sql: the retention family's benchmark data.  Run by
-- bench/run (psql -v rows=N) after harness.sql.
--
-- Tables
--   activity        :rows events of :rows / 10 users (10 M over 1 M by
--                   default): each user signs up in one of the 12 months of
--                   2024 (the monthly cohort, kept in a column as a users
--                   table would) and has 10 events, the first at signup and 9
--                   over the following year, fewer as months pass
--   user_activity   one activity_summary per user (the stored first step)
--   activity_ids    the rows of activity with each user's id also as text
--                   ('user-' || id) and as uuid (md5 of the id): the
--                   one-step curve over each id type (issue 13)
--   mrr_rows        :rows / 2 monthly MRR snapshots of :rows / 40 customers
--                   over 2024, with the MRR as float8 and numeric and a
--                   currency column (issue 15: the currency forms of mrr_agg)

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';

SELECT setseed(0.20261127) \gset

CREATE TABLE activity (
	user_id bigint NOT NULL,
	cohort  date NOT NULL,              -- month of signup
	signup  timestamptz NOT NULL,       -- cohort start (first activity)
	at      timestamptz NOT NULL        -- activity time, >= signup
);

-- Users: signup uniform over 2024.  Events: one at signup, then 9 with a
-- delay of 365 * u^2 days (u uniform), so later months see fewer returns.
INSERT INTO activity
SELECT u.id, date_trunc('month', u.signup)::date, u.signup,
	CASE WHEN e = 0 THEN u.signup
		ELSE u.signup + (365 * random() ^ 2) * interval '1 day' END
FROM (SELECT id, timestamptz '2024-01-01 00:00+00' + random() * interval '366 days' AS signup
	  FROM generate_series(1, greatest(:rows / 10, 1)) id) u,
	generate_series(0, 9) e;

CREATE TABLE user_activity AS
SELECT user_id, cohort, activity_agg(signup, at, '1 month', 12) AS a
FROM activity GROUP BY user_id, cohort, signup;

CREATE TABLE activity_ids AS
SELECT user_id, 'user-' || user_id AS user_text, md5(user_id::text)::uuid AS user_uuid,
	cohort, signup, at
FROM activity;

CREATE TABLE mrr_rows AS
SELECT c AS customer, timestamptz '2024-01-01 00:00+00' + (m * interval '1 month') AS month,
	round((10 + random() * 500)::numeric, 2)::float8 AS mrr,
	round((10 + random() * 500)::numeric, 2) AS mrr_num, 'EUR'::text AS currency
FROM generate_series(1, greatest(:rows / 40, 1)) c, generate_series(0, 11) m
WHERE random() < 0.83;

VACUUM ANALYZE activity;
VACUUM ANALYZE user_activity;
VACUUM ANALYZE activity_ids;
VACUUM ANALYZE mrr_rows;

SELECT bench_prewarm(ARRAY['activity', 'user_activity', 'activity_ids', 'mrr_rows']);
