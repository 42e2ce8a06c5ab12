-- crm_kpi demo: a deterministic sample CRM data set, generated in SQL.
--
--   psql -f demo/data.sql      (demo/run does this on a throwaway cluster)
--
-- Every random draw is demo_random(stream, key...), a hash of the draw's name
-- and of its row's key (customer id, response number, ...), so every run on
-- every PostgreSQL version produces the same rows, whatever order a plan
-- reads them in: no external files.  The numbers are invented but tell a
-- story that demo/report.sql brings out:
--
--   * Enterprise NPS starts low (onboarding pains) and climbs steadily over
--     2024-2025; SMB and Mid-Market stay roughly flat.
--   * 2025-Q2 has a visible dip in every score (a pricing change and an
--     outage in April 2025); it recovers in 2025-Q3.
--   * Phone support is the weak spot: lower CSAT and a higher effort (CES)
--     than chat, e-mail and in-app.  The Support team's eNPS is low too.
--   * Customers acquired through referrals are happier than the others.
--   * About 3% of customer answers and 4% of employee answers are NULL
--     (skipped questions); the crm_kpi aggregates skip them.
--
-- This file covers the survey KPIs (NPS, CSAT, CES, eNPS) only.  Later KPI
-- families will add more tables to this data set: orders (revenue, AOV,
-- repeat purchase), events (activation, engagement), deals (pipeline, win
-- rate, sales cycle) and subscriptions (MRR, churn, retention).
--
-- It also creates the two functions every demo/data_*.sql draws from, kept
-- with the demo tables: demo_random(stream, key...), uniform in [0, 1), and
-- demo_normal(stream, key...), standard normal; and demo_p_value(p), how
-- every demo/report*.sql prints a p-value.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
-- Timestamps are generated and bucketed in UTC, whatever the server default.
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS employee_survey, survey_responses, customers CASCADE;

------------------------------------------------------------------------------
-- demo_random and demo_normal: the random draws of the demo data
------------------------------------------------------------------------------

-- Uniform in [0, 1): the first 52 bits of the md5 of the stream name and the
-- key, over 2^52 (exact in double precision).  random() after setseed() gave
-- other rows on other PostgreSQL versions (another generator before 15, draws
-- in the order of the plan).  Each draw names its own stream and passes its
-- row's natural key, so that draws of one row are independent.
CREATE OR REPLACE FUNCTION demo_random(stream text, VARIADIC key bigint[])
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT ('x' || substr(md5(stream || ':' || array_to_string(key, ',')), 1, 13))::bit(52)::bigint
	       / 4503599627370496.0::double precision
$$;

-- Standard normal, by Box-Muller from two uniform streams.
CREATE OR REPLACE FUNCTION demo_normal(stream text, VARIADIC key bigint[])
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT sqrt(-2 * ln(1 - demo_random(stream || ' radius', VARIADIC key)))
	       * cos(2 * pi() * demo_random(stream || ' angle', VARIADIC key))
$$;

-- A p-value as a report prints it: four decimals, and "< 0.0001" below
-- that, where four decimals would print a misleading 0.0000 (and exponent
-- notation reads as noise in a report).  NULL stays NULL.
CREATE OR REPLACE FUNCTION demo_p_value(p double precision)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN p < 0.0001 THEN '< 0.0001' ELSE to_char(p, 'FM0.0000') END
$$;

COMMENT ON FUNCTION demo_p_value(double precision) IS
	'demo: a p-value for the reports: four decimals, "< 0.0001" when smaller';
COMMENT ON FUNCTION demo_random(text, bigint[]) IS
	'demo: uniform draw in [0, 1) from a hash of the stream name and the key: the same on every run and PostgreSQL version';
COMMENT ON FUNCTION demo_normal(text, bigint[]) IS
	'demo: standard normal draw (Box-Muller over two demo_random streams) from a hash of the stream name and the key';

------------------------------------------------------------------------------
-- customers: ~2,000 accounts
------------------------------------------------------------------------------

CREATE TABLE customers (
	customer_id         integer PRIMARY KEY,
	name                text NOT NULL,
	segment             text NOT NULL
		CHECK (segment IN ('SMB', 'Mid-Market', 'Enterprise')),
	region              text NOT NULL,
	acquisition_channel text NOT NULL,
	signed_up_at        timestamptz NOT NULL
);

COMMENT ON TABLE customers IS
	'demo: customer accounts with segment, region, acquisition channel (inbound, outbound, partner, referral) and sign-up time';

INSERT INTO customers
WITH r AS MATERIALIZED (
	SELECT g, demo_random('customer name1', g) AS u_name1,
	       demo_random('customer name2', g) AS u_name2,
	       demo_random('customer segment', g) AS u_segment,
	       demo_random('customer region', g) AS u_region,
	       demo_random('customer channel', g) AS u_channel,
	       demo_random('customer age', g) AS u_age,
	       demo_random('customer signup', g) AS u_signup
	FROM generate_series(1, 2000) AS g
)
SELECT g,
       (ARRAY['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli',
              'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka', 'Gringotts',
              'Aperture', 'Massive', 'Pied Piper', 'Dunder', 'Oscorp', 'Nakatomi',
              'Monarch'])[1 + floor(u_name1 * 20)::int]
       || ' ' ||
       (ARRAY['Labs', 'Systems', 'Logistics', 'Foods', 'Health', 'Capital',
              'Robotics', 'Media', 'Energy', 'Retail', 'Analytics',
              'Holdings'])[1 + floor(u_name2 * 12)::int],
       CASE WHEN u_segment < 0.55 THEN 'SMB'
            WHEN u_segment < 0.85 THEN 'Mid-Market'
            ELSE 'Enterprise' END,
       CASE WHEN u_region < 0.45 THEN 'North America'
            WHEN u_region < 0.75 THEN 'EMEA'
            WHEN u_region < 0.92 THEN 'APAC'
            ELSE 'LATAM' END,
       CASE WHEN u_channel < 0.40 THEN 'inbound'
            WHEN u_channel < 0.65 THEN 'outbound'
            WHEN u_channel < 0.82 THEN 'partner'
            ELSE 'referral' END,
       -- 70% signed up 2020-2023, the rest during 2024 and 2025 (new customers
       -- keep arriving until the end of the reports' period, 2025-12-31)
       date_trunc('second',
         CASE WHEN u_age < 0.70
              THEN timestamptz '2020-01-01'
                   + u_signup * (timestamptz '2024-01-01' - timestamptz '2020-01-01')
              ELSE timestamptz '2024-01-01'
                   + u_signup * (timestamptz '2026-01-01' - timestamptz '2024-01-01') END)
FROM r
ORDER BY g;

------------------------------------------------------------------------------
-- survey_responses: ~30,000 answers to NPS, CSAT and CES surveys, 2024-2025
------------------------------------------------------------------------------

CREATE TABLE survey_responses (
	response_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id integer NOT NULL REFERENCES customers,
	survey      text NOT NULL CHECK (survey IN ('nps', 'csat', 'ces')),
	-- nps: 0..10, csat: 1..5, ces: 1..7; NULL when the question was skipped
	score       integer CHECK (score BETWEEN 0 AND 10),
	answered_at timestamptz NOT NULL,
	channel     text NOT NULL CHECK (channel IN ('email', 'in-app', 'phone', 'chat'))
);

COMMENT ON TABLE survey_responses IS
	'demo: customer survey answers, 2024-2025: survey nps (0..10), csat (1..5) or ces (1..7); score NULL when skipped; channel the survey or the rated support contact went through';

INSERT INTO survey_responses (customer_id, survey, score, answered_at, channel)
WITH r AS MATERIALIZED (
	SELECT g, demo_random('response customer', g) AS u_customer,
	       demo_random('response survey', g) AS u_survey,
	       demo_random('response time', g) AS u_time,
	       demo_random('response channel', g) AS u_channel,
	       demo_random('response category', g) AS u_category,
	       demo_random('response score', g) AS u_score,
	       demo_random('response skip', g) AS u_skip,
	       -- ~ bell curve, mean 1.5, sd 0.5
	       demo_random('response ces1', g) + demo_random('response ces2', g)
	         + demo_random('response ces3', g) AS u_sum3
	FROM generate_series(1, 35000) AS g
),
x AS MATERIALIZED (
	SELECT r.*, c.customer_id, c.segment, c.acquisition_channel, a.answered_at,
	       -- 0 at 2024-01-01, 1 at 2026-01-01
	       extract(epoch FROM a.answered_at - timestamptz '2024-01-01')
	         / extract(epoch FROM timestamptz '2026-01-01' - timestamptz '2024-01-01') AS t,
	       a.answered_at >= timestamptz '2025-04-01'
	         AND a.answered_at < timestamptz '2025-07-01' AS dip,
	       CASE WHEN u_survey < 0.50 THEN 'nps'
	            WHEN u_survey < 0.85 THEN 'csat'
	            ELSE 'ces' END AS survey
	FROM r
	JOIN customers AS c ON c.customer_id = 1 + floor(r.u_customer * 2000)::int
	-- uniform over 2024-2025, kept if the customer had signed up by then: a
	-- customer answers in proportion to its time as a customer, so the
	-- customers who signed up late in 2025 add no burst of answers at the
	-- end of the period (about 85 % of the draws are kept: ~30,000 answers)
	CROSS JOIN LATERAL (
		SELECT timestamptz '2024-01-01'
		       + u_time * (timestamptz '2026-01-01' - timestamptz '2024-01-01')
		       AS answered_at
	) AS a
	WHERE a.answered_at >= c.signed_up_at
),
y AS (
	SELECT x.*,
	       CASE WHEN survey = 'nps'
	            THEN CASE WHEN u_channel < 0.60 THEN 'email' ELSE 'in-app' END
	            ELSE CASE WHEN u_channel < 0.25 THEN 'email'
	                      WHEN u_channel < 0.40 THEN 'in-app'
	                      WHEN u_channel < 0.65 THEN 'phone'
	                      ELSE 'chat' END
	       END AS channel
	FROM x
),
z AS (
	SELECT y.*,
	       -- NPS: target (promoter share - detractor share); passives stay ~30%
	       greatest(-0.65, least(0.65,
	           CASE segment WHEN 'SMB' THEN 0.18
	                        WHEN 'Mid-Market' THEN 0.30
	                        ELSE 0.00 + 0.48 * t END     -- Enterprise improves
	           + CASE WHEN acquisition_channel = 'referral' THEN 0.08 ELSE 0 END
	           - CASE WHEN dip THEN 0.18 ELSE 0 END)) AS nps_target,
	       -- CSAT: probability of a 4 or 5
	       CASE channel WHEN 'in-app' THEN 0.88
	                    WHEN 'chat' THEN 0.85
	                    WHEN 'email' THEN 0.79
	                    ELSE 0.64 END                     -- phone
	           + CASE WHEN segment = 'Enterprise' THEN 0.02 ELSE 0 END
	           - CASE WHEN dip THEN 0.06 ELSE 0 END AS csat_target,
	       -- CES: mean agreement with "made it easy", 1..7
	       CASE channel WHEN 'in-app' THEN 5.8
	                    WHEN 'chat' THEN 5.5
	                    WHEN 'email' THEN 5.0
	                    ELSE 4.1 END                      -- phone
	           - CASE WHEN dip THEN 0.3 ELSE 0 END AS ces_target
	FROM y
)
SELECT customer_id, survey,
       CASE
         WHEN u_skip < 0.03 THEN NULL                    -- skipped the question
         WHEN survey = 'nps' THEN
           CASE WHEN u_category < (0.70 - nps_target) / 2      -- detractor 0..6,
                THEN 6 - floor(7 * u_score ^ 2)::int           -- mostly 5s and 6s
                WHEN u_category < (0.70 - nps_target) / 2 + 0.30
                THEN CASE WHEN u_score < 0.45 THEN 7 ELSE 8 END -- passive
                ELSE CASE WHEN u_score < 0.55 THEN 9 ELSE 10 END -- promoter
           END
         WHEN survey = 'csat' THEN
           CASE WHEN u_category < csat_target
                THEN CASE WHEN u_score < 0.55 THEN 5 ELSE 4 END
                ELSE CASE WHEN u_score < 0.50 THEN 3
                          WHEN u_score < 0.80 THEN 2
                          ELSE 1 END
           END
         ELSE                                            -- ces
           greatest(1, least(7, round(ces_target + 2.4 * (u_sum3 - 1.5))::int))
       END,
       date_trunc('second', answered_at), channel
FROM z
ORDER BY answered_at, g;

CREATE INDEX ON survey_responses (survey, answered_at);
CREATE INDEX ON survey_responses (customer_id);

------------------------------------------------------------------------------
-- employee_survey: quarterly eNPS pulse ("How likely are you to recommend
-- working here?"), 300 employees in six teams, 2024-2025
------------------------------------------------------------------------------

CREATE TABLE employee_survey (
	employee_id integer NOT NULL,
	team        text NOT NULL,
	answered_at timestamptz NOT NULL,
	enps_score  integer CHECK (enps_score BETWEEN 0 AND 10),  -- NULL when skipped
	PRIMARY KEY (employee_id, answered_at)
);

COMMENT ON TABLE employee_survey IS
	'demo: quarterly employee pulse survey, 2024-2025: eNPS answer 0..10 per employee and team; enps_score NULL when skipped';

INSERT INTO employee_survey
WITH employees AS MATERIALIZED (
	SELECT e AS employee_id,
	       CASE WHEN e <=  90 THEN 'Engineering'
	            WHEN e <= 150 THEN 'Sales'
	            WHEN e <= 195 THEN 'Customer Success'
	            WHEN e <= 250 THEN 'Support'
	            WHEN e <= 280 THEN 'Marketing'
	            ELSE 'Finance' END AS team
	FROM generate_series(1, 300) AS e
),
pulses AS MATERIALIZED (
	SELECT e.employee_id, e.team, q.quarter_start,
	       demo_random('pulse answer', e.employee_id, q.n) AS u_answer,
	       demo_random('pulse day', e.employee_id, q.n) AS u_day,
	       demo_random('pulse category', e.employee_id, q.n) AS u_category,
	       demo_random('pulse score', e.employee_id, q.n) AS u_score,
	       demo_random('pulse skip', e.employee_id, q.n) AS u_skip
	FROM generate_series(timestamptz '2024-01-01', timestamptz '2025-10-01',
	                     interval '3 months') WITH ORDINALITY AS q(quarter_start, n)
	CROSS JOIN employees AS e
),
targets AS (
	SELECT p.*,
	       CASE team WHEN 'Engineering' THEN 0.30
	                 WHEN 'Sales' THEN 0.10
	                 WHEN 'Customer Success' THEN 0.22
	                 WHEN 'Support' THEN -0.18
	                 WHEN 'Marketing' THEN 0.25
	                 ELSE 0.05 END                         -- Finance
	       - CASE WHEN quarter_start = timestamptz '2025-04-01' THEN 0.10 ELSE 0 END
	         AS enps_target
	FROM pulses AS p
	WHERE u_answer < 0.75                                  -- 75% answer each pulse
)
SELECT employee_id, team,
       date_trunc('second', quarter_start + interval '14 days' + u_day * interval '14 days'),
       CASE WHEN u_skip < 0.04 THEN NULL
            WHEN u_category < (0.65 - enps_target) / 2
            THEN 6 - floor(7 * u_score ^ 2)::int
            WHEN u_category < (0.65 - enps_target) / 2 + 0.35
            THEN CASE WHEN u_score < 0.5 THEN 7 ELSE 8 END
            ELSE CASE WHEN u_score < 0.6 THEN 9 ELSE 10 END
       END
FROM targets
ORDER BY quarter_start, employee_id;

ANALYZE customers, survey_responses, employee_survey;

SELECT (SELECT count(*) FROM customers) AS customers,
       (SELECT count(*) FROM survey_responses) AS survey_responses,
       (SELECT count(*) FROM employee_survey) AS employee_answers
\gset
\echo 'demo data loaded:' :customers 'customers,' :survey_responses 'survey responses,' :employee_answers 'employee survey answers'
