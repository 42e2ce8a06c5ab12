-- crm_kpi demo: sales pipeline, new-customer business and CRM adoption data,
-- generated in SQL after demo/data.sql (it uses its customers and
-- employee_survey tables).
--
--   psql -f demo/data.sql -f demo/data_pipeline.sql   (demo/run does this)
--
-- Deterministic (demo_random of demo/data.sql, keyed by customer, deal,
-- month, user and day), invented, and telling a story that
-- demo/report_pipeline.sql brings out:
--
--   * Every customer acquired in 2024-2025 (customers.signed_up_at) has a
--     won new-business deal closing that day; prospects' deals were lost or
--     are still open.  Enterprise deals are ten times the size of SMB ones
--     and take four times as long; Enterprise wins less often.
--   * Win rates improve in 2025 after a sales-process change in January.
--   * Outbound marketing costs the most per new customer; referrals the least.
--   * The CRM had 120 licensed seats, 150 from 2025-01; adoption was poor
--     until a training programme in March 2025, then climbs.
--   * "As of" date: 2025-12-31 (open deals are open on that day).

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS deals, deal_stage_history, marketing_spend, crm_seats, crm_activity CASCADE;

------------------------------------------------------------------------------
-- deals: new-business deals won (one per customer acquired 2024-2025), lost
-- prospects, and the open pipeline at the end of 2025
------------------------------------------------------------------------------

CREATE TABLE deals (
	deal_id     integer PRIMARY KEY,
	customer_id integer REFERENCES customers,  -- the customer won; NULL for prospects
	segment     text NOT NULL,                 -- the sales team: SMB, Mid-Market, Enterprise
	channel     text NOT NULL,                 -- lead source (acquisition channel)
	amount      numeric(12,2) NOT NULL,        -- annual contract value
	stage       text NOT NULL,                 -- current stage
	probability double precision,              -- stage probability of open deals
	created_on  date NOT NULL,
	closed_on   date,                          -- NULL while open
	outcome     text NOT NULL CHECK (outcome IN ('open', 'won', 'lost'))
);

COMMENT ON TABLE deals IS
	'demo: sales deals 2024-2025: annual contract value, segment, lead channel, stage, created/closed dates, outcome open/won/lost';

INSERT INTO deals
WITH won AS (
	SELECT c.customer_id, c.segment, c.acquisition_channel AS channel,
	       c.signed_up_at::date AS closed_on,
	       demo_random('won amount', c.customer_id) AS u_amount,
	       demo_random('won cycle', c.customer_id) AS u_cycle
	FROM customers AS c
	WHERE c.signed_up_at >= timestamptz '2024-01-01'
),
prospects AS (
	SELECT g, demo_random('prospect segment', g) AS u_segment,
	       demo_random('prospect channel', g) AS u_channel,
	       demo_random('prospect created', g) AS u_created,
	       demo_random('prospect amount', g) AS u_amount,
	       demo_random('prospect cycle', g) AS u_cycle,
	       demo_random('prospect stage', g) AS u_stage
	FROM generate_series(1, 1800) AS g
),
prospect_deals AS (
	SELECT p.*,
	       CASE WHEN u_segment < 0.50 THEN 'SMB' WHEN u_segment < 0.80 THEN 'Mid-Market'
	            ELSE 'Enterprise' END AS segment,
	       CASE WHEN u_channel < 0.35 THEN 'inbound' WHEN u_channel < 0.70 THEN 'outbound'
	            WHEN u_channel < 0.85 THEN 'partner' ELSE 'referral' END AS channel,
	       -- 1,500 lost, created until 2025-11, fewer each month (the sales
	       -- process improves); then 300 open ones created in the second half
	       -- of 2025
	       CASE WHEN g <= 1500 THEN date '2024-01-01' + floor(u_created ^ 1.5 * 680)::int
	            ELSE date '2025-07-01' + floor(u_created * 184)::int END AS created_on
	FROM prospects AS p
),
all_deals AS (
	SELECT customer_id, segment, channel, u_amount, 'won' AS outcome,
	       closed_on - cycle_days AS created_on, closed_on, NULL::text AS stage
	FROM won
	CROSS JOIN LATERAL (SELECT floor(CASE segment WHEN 'SMB' THEN 12 + 30 * u_cycle
	                                              WHEN 'Mid-Market' THEN 30 + 70 * u_cycle
	                                              ELSE 60 + 160 * u_cycle END)::int AS cycle_days) AS l
	UNION ALL
	SELECT NULL, segment, channel, u_amount,
	       CASE WHEN g <= 1500 THEN 'lost' ELSE 'open' END,
	       created_on,
	       created_on + floor(CASE segment WHEN 'SMB' THEN 8 + 30 * u_cycle
	                                       WHEN 'Mid-Market' THEN 20 + 60 * u_cycle
	                                       ELSE 40 + 120 * u_cycle END)::int,
	       (ARRAY['qualified', 'demo', 'proposal', 'negotiation'])[1 + floor(u_stage * 4)::int]
	FROM prospect_deals
)
SELECT row_number() OVER (ORDER BY created_on, segment, u_amount),
       customer_id, segment, channel,
       round((CASE segment WHEN 'SMB' THEN 6000 WHEN 'Mid-Market' THEN 24000 ELSE 90000 END
              * exp(0.6 * (u_amount - 0.5) * 2))::numeric, -1),
       CASE outcome WHEN 'open' THEN stage ELSE outcome END,
       CASE WHEN outcome = 'open' THEN CASE stage WHEN 'qualified' THEN 0.1 WHEN 'demo' THEN 0.25
                                                  WHEN 'proposal' THEN 0.5 ELSE 0.75 END END,
       created_on,
       CASE WHEN outcome <> 'open' THEN least(closed_on, date '2025-12-31') END,
       outcome
FROM all_deals
-- open deals were created before the end of 2025
WHERE created_on <= date '2025-12-31';

------------------------------------------------------------------------------
-- deal_stage_history: every entry of a deal into a stage (lead, qualified,
-- demo, proposal, negotiation, won or lost); lost deals drop out at some
-- stage, open deals are in their current stage
------------------------------------------------------------------------------

CREATE TABLE deal_stage_history (
	deal_id    integer NOT NULL REFERENCES deals,
	stage      text NOT NULL,
	entered_at timestamptz NOT NULL
);

COMMENT ON TABLE deal_stage_history IS
	'demo: stage history of the deals: one row per entry of a deal into a stage';

INSERT INTO deal_stage_history
WITH path AS (
	SELECT d.deal_id, d.outcome, d.stage AS current_stage, d.created_on, d.closed_on,
	       -- lost deals leave after stage 1..5; Enterprise ones later
	       CASE WHEN d.outcome = 'lost' THEN 1 + floor(demo_random('deal lost after', d.deal_id) * 4.99)::int END
	         AS lost_after,
	       ARRAY['lead', 'qualified', 'demo', 'proposal', 'negotiation'] AS stages
	FROM deals AS d
),
steps AS (
	SELECT p.*, k, p.stages[k] AS step_stage
	FROM path AS p
	CROSS JOIN LATERAL generate_series(1, 5) AS k
	WHERE (p.outcome = 'won')
	   OR (p.outcome = 'lost' AND k <= p.lost_after)
	   OR (p.outcome = 'open' AND k <= array_position(p.stages, p.current_stage))
)
SELECT deal_id, step_stage,
       -- stages share the cycle (open deals: up to the end of 2025) in order
       created_on + (k - 1 + 0.5 * demo_random('deal stage entered', deal_id, k)) / 5.0
         * (coalesce(closed_on, date '2025-12-31') - created_on) * interval '1 day'
FROM steps
UNION ALL
SELECT deal_id, outcome, closed_on + interval '17 hours'
FROM deals WHERE outcome <> 'open';

------------------------------------------------------------------------------
-- marketing_spend: acquisition spend per month and channel, 2024-01..2025-12
-- (the months in which customers of demo/data.sql were acquired)
------------------------------------------------------------------------------

CREATE TABLE marketing_spend (
	month   date NOT NULL,
	channel text NOT NULL,
	amount  numeric(12,2) NOT NULL CHECK (amount >= 0),
	PRIMARY KEY (month, channel)
);

COMMENT ON TABLE marketing_spend IS
	'demo: sales and marketing spend on acquisition per month and channel (inbound, outbound, partner, referral)';

INSERT INTO marketing_spend
SELECT m::date, ch,
       round((CASE ch WHEN 'inbound' THEN 60000 WHEN 'outbound' THEN 95000
                      WHEN 'partner' THEN 30000 ELSE 6000 END
              * (0.85 + 0.3 * demo_random('spend', to_char(m, 'YYYYMM')::int, c.n)))::numeric, 2)
FROM generate_series(date '2024-01-01', date '2025-12-01', interval '1 month') AS m,
     unnest(ARRAY['inbound', 'outbound', 'partner', 'referral']) WITH ORDINALITY AS c(ch, n);

------------------------------------------------------------------------------
-- crm_seats and crm_activity: licensed CRM seats per month, and the CRM
-- activity log of the employees who use it (Sales, Customer Success and
-- Support of demo/data.sql's employee_survey: employees 91..250)
------------------------------------------------------------------------------

CREATE TABLE crm_seats (
	month date PRIMARY KEY,
	seats integer NOT NULL CHECK (seats >= 0)
);

COMMENT ON TABLE crm_seats IS 'demo: licensed CRM seats per month';

INSERT INTO crm_seats
SELECT m::date, CASE WHEN m < date '2025-01-01' THEN 120 ELSE 150 END
FROM generate_series(date '2024-01-01', date '2025-12-01', interval '1 month') AS m;

CREATE TABLE crm_activity (
	user_id    bigint NOT NULL,      -- employee_id of employee_survey
	active_on  date NOT NULL,
	action     text NOT NULL         -- what the user did (several a day)
);

COMMENT ON TABLE crm_activity IS
	'demo: CRM activity log 2024-2025: one row per action of a CRM user (employee) on a day';

INSERT INTO crm_activity
WITH users AS (
	SELECT e AS user_id,
	       CASE WHEN e <= 150 THEN 'Sales' WHEN e <= 195 THEN 'Customer Success' ELSE 'Support' END AS team,
	       demo_random('crm user', e) AS u_user
	FROM generate_series(91, 250) AS e
),
days AS (
	SELECT d::date AS day, to_char(d, 'YYYYMMDD')::int AS day_key,
	       -- 0 before the training (2025-03), rising to 1 by 2025-09
	       greatest(0, least(1, (d::date - date '2025-03-01') / 180.0)) AS trained
	FROM generate_series(date '2024-01-01', date '2025-12-31', interval '1 day') AS d
	WHERE extract(isodow FROM d) < 6
),
user_days AS (
	SELECT u.user_id, d.day, d.day_key,
	       1 + floor(demo_random('crm action count', u.user_id, d.day_key) * 3)::int AS actions
	FROM users AS u
	CROSS JOIN days AS d
	WHERE u.user_id < 91 + CASE WHEN d.day < date '2025-01-01' THEN 120 ELSE 150 END  -- has a seat
	  AND u.u_user < 0.55 + 0.35 * d.trained                    -- uses the CRM at all
	  AND demo_random('crm active', u.user_id, d.day_key)
	      < CASE u.team WHEN 'Sales' THEN 0.5 WHEN 'Customer Success' THEN 0.4 ELSE 0.25 END
	                 + 0.25 * d.trained                         -- on this working day
)
SELECT ud.user_id, ud.day, a.action
FROM user_days AS ud
CROSS JOIN LATERAL (
	SELECT (ARRAY['call', 'email', 'note', 'update deal'])
	         [1 + floor(demo_random('crm action kind', ud.user_id, ud.day_key, i) * 4)::int] AS action
	FROM generate_series(1, ud.actions) AS i
) AS a;

ANALYZE deals, deal_stage_history, marketing_spend, crm_seats, crm_activity;

SELECT (SELECT count(*) FROM deals) AS deals,
       (SELECT count(*) FROM deal_stage_history) AS stage_rows,
       (SELECT count(*) FROM marketing_spend) AS spend_rows,
       (SELECT count(*) FROM crm_activity) AS activity_rows
\gset
\echo 'pipeline demo data loaded:' :deals 'deals,' :stage_rows 'stage history rows,' :spend_rows 'spend rows,' :activity_rows 'CRM activity rows'

------------------------------------------------------------------------------
-- deal_snapshots: the deals as the CRM showed them on 2025-10-01 and on
-- 2025-11-15 (a nightly snapshot table, two nights kept), for the waterfall
-- of the 2025-Q4 pipeline at mid-quarter.  Each snapshot holds the deals created by then, with their status
-- that day and the expected close date and amount the rep had entered: a
-- deal that closed later was expected within a few weeks of its actual
-- close (some slip, some are pulled in); amounts were revised by up to
-- +/-20 % for half of them; open deals of the end of 2025 expect to close in
-- Q1 2026, some of them first expected in Q4.  A clean-up in November
-- removed duplicate deals (ids from 1000000) present on 2025-10-01.
------------------------------------------------------------------------------

CREATE TABLE deal_snapshots (
	snapshot_on date NOT NULL,
	deal_id     integer NOT NULL,
	status      text NOT NULL,                 -- open, won or lost that day
	close_on    date,                          -- expected (open) or actual (closed) close date
	amount      numeric(12,2),
	PRIMARY KEY (snapshot_on, deal_id)
);

COMMENT ON TABLE deal_snapshots IS
	'demo: nightly snapshots of the deals on 2025-10-01 and 2025-11-15: status, expected or actual close date, amount';

INSERT INTO deal_snapshots
WITH s AS (
	SELECT d.*, v.snapshot_on, v.k,
	       closed_on IS NOT NULL AND closed_on <= v.snapshot_on AS closed
	FROM deals AS d
	CROSS JOIN (VALUES (date '2025-10-01', 1), (date '2025-11-15', 2)) AS v(snapshot_on, k)
	WHERE d.created_on <= v.snapshot_on
)
SELECT snapshot_on, deal_id,
       CASE WHEN closed THEN outcome ELSE 'open' END,
       CASE
           WHEN closed THEN closed_on
           WHEN closed_on IS NOT NULL   -- closes later: expected -30 .. +20 days from it
               THEN closed_on + (floor(demo_random('snapshot close', deal_id, k) * 51) - 30)::int
           WHEN demo_random('snapshot no date', deal_id, k) < 0.05 THEN NULL
           WHEN k = 1 AND demo_random('snapshot first expected', deal_id) < 0.4
               THEN date '2025-10-01' + floor(demo_random('snapshot q4 date', deal_id) * 92)::int
           ELSE date '2026-01-01' + floor(demo_random('snapshot q1 date', deal_id) * 90)::int
       END,
       CASE WHEN k = 1 AND NOT closed AND demo_random('snapshot revised', deal_id) < 0.5
            THEN round(amount * (0.8 + 0.4 * demo_random('snapshot amount', deal_id))::numeric, 2)
            ELSE amount END
FROM s
UNION ALL
SELECT date '2025-10-01', 1000000 + deal_id, 'open',
       date '2025-10-01' + floor(demo_random('snapshot duplicate date', deal_id) * 92)::int, amount
FROM deals
WHERE created_on <= date '2025-10-01' AND (closed_on IS NULL OR closed_on > date '2025-10-01')
  AND demo_random('snapshot duplicate', deal_id) < 0.03;

ANALYZE deal_snapshots;
