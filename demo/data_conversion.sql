-- crm_kpi demo: sample data for the conversion family (conversion rates,
-- funnels), generated in SQL after demo/data.sql.  demo/report_conversion.sql
-- reads it.  Deterministic (demo_random of demo/data.sql, keyed by visitor
-- and lead); the story it tells:
--
--   * web_events: 20,000 visitors of the sign-up funnel (visit, sign-up,
--     activation, purchase) in 2025, split between checkout variants A and
--     B.  Variant B converts visitors to purchases noticeably better; its
--     effect on sign-ups is small.  Some visitors hit an error page between
--     steps (the exclusion event of the funnel report).  Each event carries
--     the traffic source of its session: the visit's (search, ads,
--     newsletter, direct), later steps sometimes a direct return, so first
--     and last touch differ; newsletter visitors go further.
--   * lead_events: 4,000 sales leads of 2024-2025 moving through lead ->
--     qualified -> opportunity -> won, with the days in between; referral
--     leads qualify and win more often, outbound leads least, and deals take
--     weeks to months.
--   * checkout_events: 3,000 checkout sessions; a third go back to the
--     product page and begin the checkout again before paying (or not): the
--     journeys ClickHouse's allow_reentry funnel mode is for.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS web_events, lead_events, checkout_events CASCADE;

------------------------------------------------------------------------------
-- web_events: one row per event of a visitor
------------------------------------------------------------------------------

CREATE TABLE web_events (
	visitor_id  integer NOT NULL,
	variant     text NOT NULL CHECK (variant IN ('A', 'B')),
	event       text NOT NULL,
	happened_at timestamptz NOT NULL,
	source      text NOT NULL
);

COMMENT ON TABLE web_events IS
	'demo: sign-up funnel events (visit, signup, activate, purchase, error, other pages) of visitors in checkout variants A and B, with the traffic source of each event';

-- Each visitor draws how far they will go; the steps that happen come with
-- delays of minutes (sign-up), hours to days (activation) and days
-- (purchase), sometimes more than the 7-day window.  Page views in between.
INSERT INTO web_events
WITH v AS MATERIALIZED (
	SELECT g AS visitor_id,
	       CASE WHEN demo_random('visitor variant', g) < 0.5 THEN 'A' ELSE 'B' END AS variant,
	       timestamptz '2025-01-01' + demo_random('visitor time', g) * interval '360 days' AS t0,
	       demo_random('visitor depth', g) AS u_depth, demo_random('visitor error', g) AS u_err,
	       demo_random('visitor delay1', g) AS d1, demo_random('visitor delay2', g) AS d2,
	       demo_random('visitor delay3', g) AS d3
	FROM generate_series(1, 20000) AS g
), s AS (
	SELECT *,
	       CASE WHEN u_depth < 0.45 THEN 1
	            WHEN u_depth < 0.70 THEN 2
	            WHEN u_depth < (CASE variant WHEN 'A' THEN 0.86 ELSE 0.82 END) THEN 3
	            ELSE 4 END AS depth,
	       t0 + (2 + 60 * d1) * interval '1 minute' AS t_signup,
	       t0 + (2 + 60 * d1) * interval '1 minute' + (1 + 80 * d2 * d2) * interval '1 hour' AS t_activate,
	       t0 + (2 + 60 * d1) * interval '1 minute' + (1 + 80 * d2 * d2) * interval '1 hour'
	          + (0.5 + 6 * d3) * interval '1 day' AS t_purchase
	FROM v
)
SELECT visitor_id, variant, e.event, e.happened_at,
       -- the visit's source (a third of those who will activate come from
       -- the newsletter); a later step is a direct return 30 % of the time
       CASE WHEN e.k BETWEEN 2 AND 4 AND demo_random('event source', visitor_id, e.k) < 0.3 THEN 'direct'
            WHEN depth >= 3 AND demo_random('visitor source boost', visitor_id) < 0.3 THEN 'newsletter'
            ELSE (ARRAY['search', 'ads', 'newsletter', 'direct'])
                 [1 + floor(demo_random('visitor source', visitor_id) * 4)::int] END
FROM s, LATERAL (VALUES
	('visit', t0, true, 1),
	('signup', t_signup, depth >= 2, 2),
	('activate', t_activate, depth >= 3, 3),
	('purchase', t_purchase, depth >= 4, 4),
	('pricing page', t0 + interval '1 minute', true, 5),
	('error', t_signup + interval '30 minutes', depth >= 2 AND u_err < 0.08, 6)) AS e(event, happened_at, happens, k)
WHERE e.happens;

CREATE INDEX ON web_events (visitor_id);

------------------------------------------------------------------------------
-- lead_events: one row per stage a sales lead entered
------------------------------------------------------------------------------

CREATE TABLE lead_events (
	lead_id    integer NOT NULL,
	channel    text NOT NULL,
	stage      text NOT NULL CHECK (stage IN ('lead', 'qualified', 'opportunity', 'won', 'lost')),
	entered_at timestamptz NOT NULL
);

COMMENT ON TABLE lead_events IS
	'demo: sales leads entering the stages lead, qualified, opportunity, won or lost, with their channel';

INSERT INTO lead_events
WITH l AS MATERIALIZED (
	SELECT g AS lead_id,
	       (ARRAY['referral', 'inbound', 'partner', 'outbound'])
	         [1 + floor(demo_random('lead channel', g) * 4)::int] AS channel,
	       timestamptz '2024-01-01' + demo_random('lead time', g) * interval '700 days' AS t0,
	       demo_random('lead qualify', g) AS u1, demo_random('lead opportunity', g) AS u2,
	       demo_random('lead win', g) AS u3,
	       demo_random('lead delay1', g) AS d1, demo_random('lead delay2', g) AS d2,
	       demo_random('lead delay3', g) AS d3
	FROM generate_series(1, 4000) AS g
), p AS (
	SELECT *,
	       CASE channel WHEN 'referral' THEN 1.3 WHEN 'inbound' THEN 1.0
	                    WHEN 'partner' THEN 0.9 ELSE 0.6 END AS k
	FROM l
), s AS (
	SELECT *,
	       u1 < 0.45 * k AS qualified,
	       u1 < 0.45 * k AND u2 < 0.55 AS opportunity,
	       u1 < 0.45 * k AND u2 < 0.55 AND u3 < 0.35 * k AS won,
	       t0 + (1 + 20 * d1) * interval '1 day' AS t_q,
	       t0 + (1 + 20 * d1 + 5 + 30 * d2) * interval '1 day' AS t_o,
	       t0 + (1 + 20 * d1 + 5 + 30 * d2 + 10 + 80 * d3 * d3) * interval '1 day' AS t_c
	FROM p
)
SELECT lead_id, channel, e.stage, e.entered_at
FROM s, LATERAL (VALUES
	('lead', t0, true),
	('qualified', t_q, qualified),
	('opportunity', t_o, opportunity),
	('won', t_c, won),
	('lost', t_c, opportunity AND NOT won)) AS e(stage, entered_at, happens)
WHERE e.happens;

CREATE INDEX ON lead_events (lead_id);

------------------------------------------------------------------------------
-- checkout_events: one row per event of a checkout session
------------------------------------------------------------------------------

CREATE TABLE checkout_events (
	session_id  integer NOT NULL,
	event       text NOT NULL,
	happened_at timestamptz NOT NULL
);

COMMENT ON TABLE checkout_events IS
	'demo: checkout sessions (begin_checkout, view_product_detail, complete_payment), some going back to the product page';

-- 3,000 sessions start the checkout; 35 % go back to the product page (1 to
-- 5 minutes later) and begin the checkout again (1 to 5 minutes after
-- that); 60 % pay, 2 to 10 minutes after their last checkout.
INSERT INTO checkout_events
WITH c AS MATERIALIZED (
	SELECT g AS session_id,
	       timestamptz '2025-01-01' + demo_random('checkout time', g) * interval '360 days' AS t0,
	       demo_random('checkout back', g) < 0.35 AS went_back,
	       demo_random('checkout paid', g) < 0.60 AS paid,
	       1 + 4 * demo_random('checkout detail delay', g) AS d1,
	       1 + 4 * demo_random('checkout again delay', g) AS d2,
	       2 + 8 * demo_random('checkout pay delay', g) AS d3
	FROM generate_series(1, 3000) AS g
), s AS (
	SELECT *, t0 + CASE WHEN went_back THEN (d1 + d2) * interval '1 minute' ELSE interval '0' END AS t_last
	FROM c
)
SELECT session_id, e.event, e.happened_at
FROM s, LATERAL (VALUES
	('begin_checkout', t0, true),
	('view_product_detail', t0 + d1 * interval '1 minute', went_back),
	('begin_checkout', t_last, went_back),
	('complete_payment', t_last + d3 * interval '1 minute', paid)) AS e(event, happened_at, happens)
WHERE e.happens;

CREATE INDEX ON checkout_events (session_id);

ANALYZE web_events;
ANALYZE lead_events;
ANALYZE checkout_events;
