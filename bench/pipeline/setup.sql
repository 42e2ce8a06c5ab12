-- bench/pipeline/setup.sql: the pipeline family's benchmark data.  Run by
-- bench/run (psql -v rows=N) after harness.sql.
--
-- Tables
--   deals            :rows deals: amount numeric(12,2) (as a CRM stores
--                    money), probability, created_on, closed_on, outcome
--                    ~30 % open, ~25 % won, ~45 % lost; team (100 groups)
--   deals_daily      pipeline_agg summaries per creation day and team
--   crm_activity     min(:rows, 2,000,000) rows of a CRM activity log:
--                    20,000 users over 2025-01 (one month)

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';

-- Deterministic: the same :rows always give the same table.
SELECT setseed(0.0611) \gset

CREATE TABLE deals (
	amount      numeric(12,2) NOT NULL,  -- lognormal-ish, 500 .. 500,000
	probability double precision,        -- stage probability of open deals
	created_on  date NOT NULL,
	closed_on   date,                    -- NULL while open
	outcome     text NOT NULL,           -- open, won, lost
	team        integer NOT NULL         -- 100 groups
);

INSERT INTO deals
SELECT amount, CASE WHEN outcome = 'open' THEN (1 + floor(random() * 9)) / 10 END,
	created_on,
	CASE WHEN outcome <> 'open' THEN created_on + floor(5 + 180 * random() ^ 2)::int END,
	outcome, team
FROM (SELECT round((500 * exp(random() * 6.9))::numeric, 2) AS amount,
		date '2023-01-01' + floor(random() * 1000)::int AS created_on,
		CASE WHEN u < 0.30 THEN 'open' WHEN u < 0.55 THEN 'won' ELSE 'lost' END AS outcome,
		floor(random() * 100)::integer AS team
	FROM (SELECT random() AS u FROM generate_series(1, :rows)) g) d;

CREATE TABLE deals_daily AS
SELECT created_on AS day, team % 10 AS segment,
	pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
FROM deals GROUP BY 1, 2;

CREATE TABLE crm_activity AS
SELECT floor(random() * 20000)::bigint AS user_id,
	date '2025-01-01' + floor(31 * random() ^ 1.5)::int AS active_on
FROM generate_series(1, least(:rows, 2000000));
-- the same users by email (text) and uuid ids (issue 13: ids of any type)
ALTER TABLE crm_activity ADD COLUMN user_email text, ADD COLUMN user_uuid uuid;
UPDATE crm_activity SET user_email = 'user' || user_id || '@example.com',
	user_uuid = md5(user_id::text)::uuid;

VACUUM ANALYZE deals;
VACUUM ANALYZE deals_daily;
VACUUM ANALYZE crm_activity;

SELECT bench_prewarm(ARRAY['deals', 'deals_daily', 'crm_activity']);

-- Pipeline hygiene (issue 15): open deals with their last touches, next
-- step, close date and three required fields
CREATE TABLE deal_hygiene AS
SELECT i % 50 AS owner, (ARRAY['qualify', 'propose', 'negotiate'])[1 + i % 3] AS stage,
	round((500 * exp(random() * 6.9))::numeric, 2) AS amount,
	timestamptz '2025-06-30+00' - random() * interval '90 days' AS last_activity_at,
	CASE WHEN random() < 0.9 THEN timestamptz '2025-06-30+00' - random() * interval '120 days' END AS stage_changed_at,
	CASE WHEN random() < 0.8 THEN 'call' END AS next_step,
	CASE WHEN random() < 0.85 THEN date '2025-09-30' END AS close_date,
	random() < 0.95 AS has_contact, random() < 0.7 AS has_industry, random() < 0.5 AS has_budget
FROM generate_series(1, least(:rows, 2000000)) i;
VACUUM ANALYZE deal_hygiene;
SELECT bench_prewarm(ARRAY['deal_hygiene']);

-- Lead KPIs (issue 15): leads of eight sources with response times,
-- outcomes and activity counts
CREATE TABLE lead_bench AS
SELECT i % 8 AS source, t AS created_at,
	CASE WHEN random() < 0.85 THEN t + (random() ^ 3) * interval '3 days' END AS first_response_at,
	opp AS became_opportunity, opp AND random() < 0.3 AS won,
	CASE WHEN opp THEN floor(random() * 40)::int END AS activities
FROM (SELECT i, timestamptz '2025-01-01+00' + random() * interval '365 days' AS t, random() < 0.2 AS opp
	FROM generate_series(1, least(:rows, 2000000)) i) g;
VACUUM ANALYZE lead_bench;
SELECT bench_prewarm(ARRAY['lead_bench']);

-- deal_pairs: min(:rows, 2,000,000) deals of the FULL JOIN of two snapshots
-- (pipeline_changes): at A open with a close date 90 days after creation
-- (10 % absent), at B the deal's outcome and close date (5 % absent), its
-- amount revised by up to +/-20 %
CREATE TABLE deal_pairs AS
SELECT CASE WHEN u < 0.1 THEN NULL ELSE amount END AS amount_a,
	created_on + 90 AS close_a,
	CASE WHEN u < 0.1 THEN NULL ELSE 'open' END AS status_a,
	round(amount * (0.8 + 0.4 * random())::numeric, 2) AS amount_b,
	coalesce(closed_on, created_on + floor(200 * random())::int) AS close_b,
	CASE WHEN u > 0.95 THEN NULL ELSE outcome END AS status_b
FROM (SELECT d.*, random() AS u FROM deals d LIMIT least(:rows, 2000000)) d;
VACUUM ANALYZE deal_pairs;
SELECT bench_prewarm(ARRAY['deal_pairs']);

-- purchases: min(:rows, 2,000,000) purchases of 200,000 customers over two
-- years, amounts numeric(12,2), ~2 % refunds (negative), for
-- new_customers_agg against the plain-SQL recipe
CREATE TABLE purchases AS
SELECT floor(200000 * random() ^ 2)::bigint AS customer_id,
	timestamptz '2024-01-01' + floor(random() * 730 * 86400) * interval '1 second' AS ordered_at,
	round(((CASE WHEN random() < 0.02 THEN -1 ELSE 1 END) * 20 * exp(random() * 4))::numeric, 2) AS amount
FROM generate_series(1, least(:rows, 2000000));
VACUUM ANALYZE purchases;
SELECT bench_prewarm(ARRAY['purchases']);
