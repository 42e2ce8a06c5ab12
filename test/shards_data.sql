-- The rows of the shard harness's tables (test/shards_tables.sql), inserted
-- into the tables of the current search_path: arithmetic on generate_series,
-- the same on every version.  Used by test/shards.sql (postgres_fdw) and
-- test/citus/setup.sql (Citus).  Every timestamp is built in UTC.
CREATE FUNCTION pg_temp.region(i bigint) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT (ARRAY['emea', 'amer', 'apac'])[1 + i % 3] $$;

INSERT INTO responses
SELECT pg_temp.region(i), i, i % 30,
	CASE WHEN i % 97 <> 0 THEN (i * 7) % 11 END, 1 + (i * 3) % 5, 1 + (i * 5) % 7
FROM generate_series(1, 3000) i;

INSERT INTO visits
SELECT pg_temp.region(i), i, i % 30, CASE WHEN i % 89 <> 0 THEN (i * 13) % 10 < 3 END, i % 4, 4 + i % 3
FROM generate_series(1, 3000) i;

INSERT INTO web_events
SELECT pg_temp.region(v), v,
	timestamptz '2025-01-01' + v * interval '1 hour' + k * (1 + v % 7) * interval '3 hours',
	(ARRAY['visit', 'signup', 'error', 'purchase', 'visit', 'activate'])[1 + (v * k + k) % 6]
FROM generate_series(1, 600) v, generate_series(1, 6) k;

INSERT INTO funnel_paths
SELECT region, visitor_id, visitor_id % 10,
	funnel_path('2 days', 'default', happened_at, event = 'error',
		event = 'visit', event = 'signup', event = 'purchase'),
	window_funnel('2 days', happened_at, event = 'visit', event = 'signup', event = 'purchase')
FROM web_events GROUP BY region, visitor_id;

INSERT INTO lifetimes
SELECT pg_temp.region(i), i, i % 6,
	(i * 37) % 700 + CASE WHEN i % 7 = 0 THEN 0.5 ELSE 0 END, i % 3 <> 0, (i % 3 <> 0)::integer
FROM generate_series(1, 3000) i;

INSERT INTO cohort_survivors
SELECT pg_temp.region(r), p, round(1000 * power(0.7 + 0.05 * r, p ^ 0.8))
FROM generate_series(0, 2) r, generate_series(0, 7) p;

INSERT INTO orders
SELECT pg_temp.region(c), c, date '2024-01-01' + (c * 13 + k * 29) % 400,
	round((10 + (c * k) % 90) * 1.13, 2), round((10 + (c * k) % 90) * 1.13 * 0.6, 2)
FROM generate_series(1, 400) c, generate_series(1, 6) k
WHERE k <= 1 + c % 6;

INSERT INTO rfm
SELECT region, customer_id, rfm_agg(order_date, amount::float8, '2025-03-01', '7 days')
FROM orders GROUP BY region, customer_id;

INSERT INTO product_events
SELECT pg_temp.region(c), c, date_trunc('month', s), s,
	s + k * (3 + c % 11) * interval '1 day' + k * interval '1 hour', k % 3
FROM generate_series(1, 500) c,
	LATERAL (SELECT timestamptz '2025-01-01' + (c % 60) * interval '1 day' + (c % 5) * interval '1 hour') t(s),
	generate_series(0, 8) k
WHERE k <= c % 9;

INSERT INTO entity_events
SELECT region, 'customer-' || customer_id, md5(customer_id::text)::uuid, cohort, signed_up_at, at
FROM product_events;

INSERT INTO activities
SELECT region, customer_id, cohort, activity_agg(signed_up_at, at, '1 week', 12)
FROM product_events GROUP BY region, customer_id, cohort;

INSERT INTO activity_pieces
SELECT region, customer_id, piece, activity_agg(signed_up_at, at, '1 week', 12)
FROM product_events GROUP BY region, customer_id, piece;

INSERT INTO mrr_snapshots
SELECT pg_temp.region(c), c, timestamptz '2024-01-01' + (c % 4 + m) * interval '1 month',
	(10 + (c * m) % 50) * 1.1, 'cust-' || c, md5(c::text)::uuid
FROM generate_series(1, 300) c, generate_series(0, 8) m
WHERE m <= c % 9 AND (c + m) % 5 <> 0;

INSERT INTO deals
SELECT pg_temp.region(i), i, (ARRAY['smb', 'mid', 'ent'])[1 + (i / 3) % 3], a, a::numeric,
	((i * 7) % 10) / 10.0, d, CASE WHEN o <> 'open' THEN d + (i * 11) % 120 END,
	d + (i % 24) * interval '1 hour',
	CASE WHEN o <> 'open' THEN d + (i * 11) % 120 + (i % 13) * interval '1 hour' END, o
FROM generate_series(1, 900) i,
	LATERAL (SELECT 1000 + (i * 137) % 9000 + (i % 100) / 100.0, date '2024-01-01' + i % 300,
		(ARRAY['open', 'won', 'lost'])[1 + (i * 5) % 3]) t(a, d, o);

INSERT INTO stage_history
SELECT pg_temp.region(i), 'd' || i, (ARRAY['lead', 'qualified', 'proposal',
		CASE WHEN i % 2 = 0 THEN 'won' ELSE 'lost' END])[k],
	timestamptz '2025-01-01' + i * interval '2 hours' + k * (1 + i % 5) * interval '1 day'
FROM generate_series(1, 300) i, generate_series(1, 4) k
WHERE k <= 1 + i % 4;

INSERT INTO crm_activity
SELECT pg_temp.region(u), u, date '2025-01-01' + d + u % 3, 'u' || u, md5(u::text)::uuid,
	(date '2025-01-01' + d + u % 3)::timestamp AT TIME ZONE 'UTC'
FROM generate_series(1, 400) u, generate_series(0, 40) d
WHERE (u * d) % 7 < 3;

INSERT INTO stored
SELECT region, bucket, survey, proportion, funnel, survival, retention, mrr, pipeline
FROM (SELECT region, customer_id % 16 AS bucket, nps_agg(nps_score) AS survey FROM responses GROUP BY 1, 2) a
FULL JOIN (SELECT region, visitor_id % 16 AS bucket, proportion_agg(converted) AS proportion
	FROM visits GROUP BY 1, 2) b USING (region, bucket)
FULL JOIN (SELECT region, visitor_id % 16 AS bucket, funnel_agg(path) AS funnel
	FROM funnel_paths GROUP BY 1, 2) c USING (region, bucket)
FULL JOIN (SELECT region, customer_id % 16 AS bucket, survival_agg(duration, event) AS survival
	FROM lifetimes GROUP BY 1, 2) d USING (region, bucket)
FULL JOIN (SELECT region, customer_id % 16 AS bucket, retention_agg(s) AS retention
	FROM activities GROUP BY 1, 2) e USING (region, bucket)
FULL JOIN (SELECT region, customer_id % 16 AS bucket,
		mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15) AS mrr
	FROM mrr_snapshots GROUP BY 1, 2) f USING (region, bucket)
FULL JOIN (SELECT region, deal_id % 16 AS bucket,
		pipeline_agg(amount, probability, created_on, closed_on, outcome) AS pipeline
	FROM deals GROUP BY 1, 2) g USING (region, bucket);

INSERT INTO cohort_pieces
SELECT region, cohort, piece, cohort_activity_agg(customer_id, signed_up_at, at, '1 week', 12)
FROM product_events GROUP BY region, cohort, piece;

INSERT INTO adoption_stored
SELECT region, active_on, adoption_agg(user_id, active_on, '2025-01-01', '2025-02-01')
FROM crm_activity GROUP BY 1, 2;

INSERT INTO clv_stored
SELECT region, customer_id % 16, clv_agg(amount) FROM orders GROUP BY 1, 2;

INSERT INTO holdout_stored
SELECT region, customer_id % 16, holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, customer_id % 3, 39)
FROM rfm GROUP BY 1, 2;

-- each customer's months spread over buckets, so that rollup adds them up
INSERT INTO stored_customer_mrr
SELECT region, (customer_id + extract(month FROM month)::int) % 8,
	customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC')
FROM mrr_snapshots GROUP BY 1, 2;

-- each deal of deals as a pair of snapshots (as in the pipeline_changes
-- shard checks), one waterfall per region and bucket
INSERT INTO waterfall_stored
SELECT region, deal_id % 16, pipeline_changes(amount_num, created_on + 30, 'open', round(amount_num * 1.1, 2),
	closed_on, outcome, '2024-03-01', '2024-06-30')
FROM deals GROUP BY 1, 2;

-- each customer's months spread over buckets: a first purchase and the later
-- ones in different summaries, which rollup merges
INSERT INTO stored_new_customers
SELECT region, (customer_id + extract(month FROM month)::int) % 8,
	new_customers_agg(customer_id, month, mrr::numeric, '3 months', 90, 'UTC')
FROM mrr_snapshots GROUP BY 1, 2;

INSERT INTO hygiene_stored
SELECT region, deal_id % 8, pipeline_hygiene_agg(amount, created_at, closed_at, outcome = 'open',
	closed_on IS NOT NULL, ARRAY[segment = 'smb', probability > 0.3], timestamptz '2024-12-01 00:00+00', 30)
FROM deals GROUP BY 1, 2;
INSERT INTO leads
SELECT region, deal_id, created_at, created_at + (deal_id % 48) * interval '1 hour', outcome <> 'open',
	outcome = 'won', (deal_id % 9)::integer
FROM deals;
INSERT INTO lead_stored
SELECT region, lead_id % 8, lead_agg(created_at, responded_at, opportunity, won, activities)
FROM leads GROUP BY 1, 2;
