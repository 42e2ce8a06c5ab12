-- crm_kpi demo: leads and the record hygiene of the open pipeline, generated
-- in SQL after demo/data_pipeline.sql (it uses its deals, deal_stage_history
-- and marketing_spend).
--
--   psql -f demo/data.sql ... -f demo/data_pipeline.sql -f demo/data_leads.sql   (demo/run does this)
--
-- Deterministic (demo_random of demo/data.sql, keyed by deal and lead),
-- invented, and telling a story that demo/report_leads.sql brings out:
--
--   * Every deal came from a lead of its channel; many more leads never
--     became opportunities: four for each inbound deal, three outbound, two
--     partner, one referral.  One lead in eight never got a response.
--   * Speed to lead: referrals are called back within the hour, inbound
--     leads within hours, partner leads wait a day or two (they come through
--     the partner's portal); outbound leads are the reps' own first contact.
--   * Open deals (the pipeline on 2025-12-31) belong to eight reps; "rep 7"
--     neglects the CRM: stale deals, no next steps, empty fields.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS leads, deal_records CASCADE;

------------------------------------------------------------------------------
-- leads: one per deal (its opportunity) and the leads that never became one
------------------------------------------------------------------------------

CREATE TABLE leads (
	lead_id           integer PRIMARY KEY,
	channel           text NOT NULL,           -- lead source (acquisition channel)
	created_at        timestamptz NOT NULL,
	first_response_at timestamptz,             -- first call or e-mail back; NULL: never
	deal_id           integer REFERENCES deals, -- the opportunity it became; NULL: none
	activities        integer                  -- calls, e-mails, meetings logged on its deal
);

COMMENT ON TABLE leads IS
	'demo: leads 2024-2025 by channel, their first response, the deal (opportunity) each became and the activities on it';

INSERT INTO leads
WITH converted AS (
	SELECT d.channel, d.deal_id, 0 AS k,
	       d.created_on - floor(10 * demo_random('lead age', d.deal_id))::int
	         + (8 + 10 * demo_random('lead hour', d.deal_id)) * interval '1 hour' AS created_at,
	       demo_random('lead response', d.deal_id) AS u_response,
	       false AS unanswered,
	       floor(3 + (coalesce(d.closed_on, date '2025-12-31') - d.created_on) / 4.0
	             + 6 * demo_random('deal activities', d.deal_id))::int AS activities
	FROM deals AS d
),
unconverted AS (
	SELECT d.channel, NULL::integer AS deal_id, k,
	       timestamptz '2024-01-01' + 730 * demo_random('lost lead created', d.deal_id, k) * interval '1 day'
	         AS created_at,
	       demo_random('lost lead response', d.deal_id, k) AS u_response,
	       demo_random('lost lead unanswered', d.deal_id, k) < 0.2 AS unanswered,
	       NULL::integer AS activities
	FROM deals AS d
	CROSS JOIN LATERAL generate_series(1, CASE d.channel WHEN 'inbound' THEN 4 WHEN 'outbound' THEN 3
	                                                     WHEN 'partner' THEN 2 ELSE 1 END) AS k
),
all_leads AS (
	SELECT * FROM converted UNION ALL SELECT * FROM unconverted
)
SELECT row_number() OVER (ORDER BY created_at, channel, deal_id, k),
       channel, created_at,
       CASE WHEN NOT unanswered THEN created_at + interval '1 minute' *
            round(CASE channel WHEN 'referral' THEN 5 + 55 * u_response ^ 2
                               WHEN 'inbound' THEN 10 + 600 * u_response ^ 3
                               WHEN 'partner' THEN 120 + 2880 * u_response ^ 2
                               ELSE 1 + 20 * u_response END) END,
       deal_id, activities
FROM all_leads
WHERE created_at < timestamptz '2026-01-01';

------------------------------------------------------------------------------
-- deal_records: the CRM record of each open deal on 2025-12-31 (its owner,
-- last activity, next step, expected close and three required fields)
------------------------------------------------------------------------------

CREATE TABLE deal_records (
	deal_id           integer PRIMARY KEY REFERENCES deals,
	owner             text NOT NULL,
	last_activity_at  timestamptz,             -- NULL: no activity logged
	next_step         text,
	expected_close_on date,
	contact_name      text,
	industry          text,
	budget            numeric(12,2)
);

COMMENT ON TABLE deal_records IS
	'demo: CRM records of the open deals on 2025-12-31: owner, last activity, next step, expected close date, contact, industry, budget';

INSERT INTO deal_records
SELECT deal_id, owner,
       CASE WHEN u[1] >= 0.05 THEN timestamptz '2025-12-31'
            - CASE WHEN sloppy THEN 90 * u[2] ELSE 40 * u[2] ^ 2 END * interval '1 day' END,
       CASE WHEN u[3] >= CASE WHEN sloppy THEN 0.5 ELSE 0.12 END THEN 'follow-up call' END,
       CASE WHEN u[4] >= CASE WHEN sloppy THEN 0.3 ELSE 0.08 END THEN date '2026-01-15' + floor(90 * u[5])::int END,
       CASE WHEN u[6] >= CASE WHEN sloppy THEN 0.2 ELSE 0.03 END THEN 'contact ' || deal_id END,
       CASE WHEN u[7] >= CASE WHEN sloppy THEN 0.4 ELSE 0.15 END
            THEN (ARRAY['software', 'retail', 'finance'])[1 + floor(3 * u[8])::int] END,
       CASE WHEN u[9] >= CASE WHEN sloppy THEN 0.5 ELSE 0.25 END THEN amount END
FROM (SELECT d.deal_id, d.amount, owner, owner = 'rep 7' AS sloppy,
             ARRAY(SELECT demo_random('deal record', d.deal_id, i) FROM generate_series(1, 9) AS i) AS u
      FROM deals AS d
      CROSS JOIN LATERAL (SELECT 'rep ' || (1 + floor(8 * demo_random('deal owner', d.deal_id))::int) AS owner) AS o
      WHERE d.outcome = 'open') AS r;
