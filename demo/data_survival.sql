-- crm_kpi demo: subscriptions and a contract cohort for the survival report.
--
--   psql -f demo/data.sql -f demo/data_survival.sql   (demo/run does this)
--
-- Deterministic (demo_random of demo/data.sql, keyed by customer); uses the
-- customers table of demo/data.sql.  The story demo/report_survival.sql
-- brings out:
--
--   * Each customer has one subscription, started at sign-up; its plan
--     follows the segment (SMB mostly Basic, Mid-Market Pro, Enterprise
--     Enterprise).  Basic customers cancel fastest, Enterprise slowest, and
--     within a plan some customers are much more loyal than others.
--   * Subscriptions still running on the as-of date 2025-12-31 are censored
--     there: their lifetime so far is a lower bound, not a cancellation.
--   * contract_cohort: the 1,500 customers who signed annual contracts in
--     2019, and how many of them renewed each year up to 2025: churn
--     probabilities differ across customers (beta-distributed, mean 1/4), so
--     the yearly retention rate rises as the disloyal leave - the pattern the
--     shifted-beta-geometric model projects.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
-- sign-up days (signed_up_at::date) are UTC days, whatever the server default
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS subscriptions, contract_cohort CASCADE;

CREATE TABLE subscriptions (
	subscription_id integer PRIMARY KEY,
	customer_id     integer NOT NULL REFERENCES customers,
	plan            text NOT NULL CHECK (plan IN ('Basic', 'Pro', 'Enterprise')),
	started_on      date NOT NULL,
	canceled_on     date CHECK (canceled_on >= started_on)
);

COMMENT ON TABLE subscriptions IS
	'demo: one subscription per customer, started at sign-up; canceled_on NULL while still active on 2025-12-31';

INSERT INTO subscriptions
WITH r AS MATERIALIZED (
	SELECT customer_id, segment, signed_up_at::date AS started_on,
	       demo_random('subscription plan', customer_id) AS u_plan,
	       demo_random('subscription loyalty', customer_id) AS u_loyalty,
	       demo_random('subscription life', customer_id) AS u_life
	FROM customers
), p AS (
	SELECT *, CASE segment
	              WHEN 'SMB' THEN CASE WHEN u_plan < 0.8 THEN 'Basic' ELSE 'Pro' END
	              WHEN 'Mid-Market' THEN CASE WHEN u_plan < 0.2 THEN 'Basic' WHEN u_plan < 0.9 THEN 'Pro' ELSE 'Enterprise' END
	              ELSE CASE WHEN u_plan < 0.3 THEN 'Pro' ELSE 'Enterprise' END END AS plan
	FROM r
), l AS (
	-- exponential lifetime in days, the hazard scaled per customer (0.2x..2.2x)
	SELECT *, -ln(1 - u_life) / (CASE plan WHEN 'Basic' THEN 1 / 500.0 WHEN 'Pro' THEN 1 / 1100.0
	                                       ELSE 1 / 2600.0 END * (0.2 + 2 * u_loyalty)) AS lifetime
	FROM p
)
SELECT customer_id, customer_id, plan, started_on,
       CASE WHEN started_on + ceil(lifetime)::int <= date '2025-12-31'
            THEN started_on + ceil(lifetime)::int END
FROM l;

CREATE TABLE contract_cohort (
	year   integer PRIMARY KEY,
	active bigint NOT NULL
);

COMMENT ON TABLE contract_cohort IS
	'demo: of the 1,500 customers who signed annual contracts in 2019, how many were still active after each yearly renewal (year 0 = 2019)';

INSERT INTO contract_cohort
WITH c AS MATERIALIZED (
	-- churn probability theta ~ Beta(1, 3) by its inverse CDF; the year of
	-- leaving is geometric(theta)
	SELECT g, 1 - (1 - demo_random('contract churn', g)) ^ (1 / 3.0) AS theta,
	       demo_random('contract leave', g) AS u
	FROM generate_series(1, 1500) g
), t AS (
	SELECT CASE WHEN theta >= 1 THEN 1 ELSE greatest(1, ceil(ln(1 - u) / ln(1 - theta))) END AS leaves_in
	FROM c
)
SELECT y, count(*) FILTER (WHERE leaves_in > y)
FROM generate_series(0, 6) y, t GROUP BY y;

ANALYZE subscriptions;
ANALYZE contract_cohort;
