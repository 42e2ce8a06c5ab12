-- crm_kpi demo, retention family: subscriptions (monthly MRR) and product
-- activity of the customers of demo/data.sql.  Deterministic: demo_random of
-- demo/data.sql, keyed by customer and month.
--
--   psql -f demo/data.sql -f demo/data_retention.sql   (demo/run does this)
--
-- The story demo/report_retention.sql brings out:
--
--   * Enterprise customers churn least and expand most (NRR above 100 %);
--     SMB customers churn most.
--   * The April 2025 pricing change (see demo/data.sql) shows up as a churn
--     spike in April and May 2025; some of those customers come back later
--     (reactivation).
--   * Product activity after signup decays to a plateau of about a third of
--     each cohort; referral customers stay more active.
--
-- Tables
--   mrr_snapshots    (customer_id, month, mrr): one row per paying customer
--                    and month, 2024-01 .. 2025-12
--   product_events   (customer_id, signed_up_at, at): product activity of the
--                    customers who signed up from 2024 on

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS mrr_snapshots, product_events CASCADE;

CREATE TABLE mrr_snapshots (
	customer_id integer NOT NULL REFERENCES customers,
	month       date NOT NULL,
	mrr         numeric(12, 2) NOT NULL CHECK (mrr > 0),
	PRIMARY KEY (customer_id, month)
);
COMMENT ON TABLE mrr_snapshots IS
	'demo: monthly recurring revenue of each paying customer and month, 2024-01..2025-12';

-- One customer at a time, month by month: churn (a segment hazard, 2.5 times
-- higher in April-May 2025), reactivation of churned customers (4 % a month),
-- expansion (+25 %, 7 % a month for Enterprise, 4 % for the others) and
-- contraction (1.5 % a month, -20 %).
DO $$
DECLARE
	c record;
	m date;
	active boolean;
	mrr numeric;
	base numeric;
	hazard float8;
	mk int;     -- the month's key for demo_random: 202401 .. 202512
BEGIN
	FOR c IN SELECT customer_id, segment, signed_up_at FROM customers ORDER BY customer_id LOOP
		base := CASE c.segment
			WHEN 'SMB' THEN (ARRAY[49, 99, 199])[1 + floor(demo_random('mrr plan', c.customer_id) * 3)::int]
			WHEN 'Mid-Market' THEN (ARRAY[490, 990])[1 + floor(demo_random('mrr plan', c.customer_id) * 2)::int]
			ELSE (ARRAY[2900, 4900, 9900])[1 + floor(demo_random('mrr plan', c.customer_id) * 3)::int] END;
		hazard := CASE c.segment WHEN 'SMB' THEN 0.03 WHEN 'Mid-Market' THEN 0.015 ELSE 0.007 END;
		mrr := base;
		-- customers from before 2024: 75 % are still paying in January 2024
		active := c.signed_up_at < '2024-01-01' AND demo_random('mrr paying in 2024-01', c.customer_id) < 0.75;
		FOR m IN SELECT generate_series('2024-01-01'::date, '2025-12-01', '1 month')::date LOOP
			mk := to_char(m, 'YYYYMM')::int;
			IF date_trunc('month', c.signed_up_at)::date = m THEN
				active := true;
			ELSIF c.signed_up_at < m THEN
				IF active THEN
					IF demo_random('mrr churn', c.customer_id, mk)
					   < hazard * (CASE WHEN m IN ('2025-04-01', '2025-05-01') THEN 2.5 ELSE 1 END) THEN
						active := false;
					ELSIF demo_random('mrr expansion', c.customer_id, mk)
					      < (CASE WHEN c.segment = 'Enterprise' THEN 0.07 ELSE 0.04 END) THEN
						mrr := round(mrr * 1.25, 2);
					ELSIF demo_random('mrr contraction', c.customer_id, mk) < 0.015 THEN
						mrr := round(mrr * 0.8, 2);
					END IF;
				ELSIF c.signed_up_at < '2024-01-01' OR m > date_trunc('month', c.signed_up_at) THEN
					IF demo_random('mrr reactivation', c.customer_id, mk) < 0.04
					   AND (c.signed_up_at >= '2024-01-01' OR m > '2024-03-01') THEN
						active := true;
						mrr := base;
					END IF;
				END IF;
			END IF;
			IF active THEN
				INSERT INTO mrr_snapshots VALUES (c.customer_id, m, mrr);
			END IF;
		END LOOP;
	END LOOP;
END $$;

CREATE TABLE product_events (
	customer_id  integer NOT NULL REFERENCES customers,
	signed_up_at timestamptz NOT NULL,
	at           timestamptz NOT NULL CHECK (at >= signed_up_at)
);
COMMENT ON TABLE product_events IS
	'demo: product activity (logins) of the customers who signed up from 2024 on, until 2025-12-31';

-- A login at signup; then, in each following month k, activity with
-- probability 0.35 + 0.5 * 0.75^k (+0.1 for referral customers), 1 to 4
-- logins on random days of that month.
INSERT INTO product_events
SELECT c.customer_id, c.signed_up_at, c.signed_up_at
FROM customers c WHERE c.signed_up_at >= '2024-01-01';

INSERT INTO product_events
SELECT customer_id, signed_up_at, at
FROM (SELECT c.customer_id, c.signed_up_at,
		greatest(c.signed_up_at,
			date_trunc('month', c.signed_up_at) + k * interval '1 month'
			+ demo_random('login day', c.customer_id, k) * interval '28 days') AS at,
		demo_random('login active', c.customer_id, k) < 0.35 + 0.5 * 0.75 ^ k
			+ CASE WHEN c.acquisition_channel = 'referral' THEN 0.1 ELSE 0 END AS active,
		1 + floor(demo_random('login count', c.customer_id, k) * 4)::int AS logins
	  FROM customers c, generate_series(0, 23) k
	  WHERE c.signed_up_at >= '2024-01-01'
		AND date_trunc('month', c.signed_up_at) + k * interval '1 month' < '2026-01-01') x,
	generate_series(1, logins) l
WHERE active AND at < '2026-01-01';

ANALYZE mrr_snapshots;
ANALYZE product_events;
