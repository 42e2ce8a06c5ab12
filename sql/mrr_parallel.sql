--
-- The subscription forms of mrr_agg and customer_mrr_agg under forced-parallel
-- plans give the serial result, including over zero matching rows.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- 50,000 subscriptions of 5,000 customers over 2023-2025, a quarter open-ended
CREATE TABLE par_subs AS
SELECT i,
	(i::bigint * 7919) % 5000 AS customer,
	timestamptz '2023-01-01' + ((i::bigint * 7919) % 1000) * interval '1 day' + (i % 1440) * interval '1 minute' AS starts,
	CASE WHEN i % 4 = 0 THEN NULL
		 ELSE timestamptz '2023-01-01' + ((i::bigint * 7919) % 1000) * interval '1 day'
			  + ((i::bigint * 104729) % 500) * interval '1 day' END AS ends,
	(i % 11) * 10 + 0.5 AS mrr
FROM generate_series(1, 50000) i;
ANALYZE par_subs;

CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('subscriptions', $$SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 24)::text,
		md5(customer_mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 week', 100)::text) FROM par_subs$$),
	('subscriptions in a zone', $$SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 24,
		'Pacific/Kiritimati')::text FROM par_subs$$),
	('subscriptions, no rows', $$SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 24)::text,
		customer_mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 24)::text
		FROM par_subs WHERE i + 0 < 0$$),
	-- customer ids of any type: every new overload, in both forms
	('ids smallint and integer', $$SELECT mrr_agg(customer::smallint, starts, ends, mrr, '2024-01-01', '1 month', 24)::text,
		mrr_agg(customer::integer, starts, mrr, '2023-01-01', '1 month', 36, 'Europe/Paris')::text,
		md5(customer_mrr_agg(customer::smallint, starts, mrr, '2023-01-01', '1 month', 36)::text),
		md5(customer_mrr_agg(customer::integer, starts, ends, mrr, '2024-01-01', '1 week', 100, 'Asia/Tokyo')::text)
		FROM par_subs$$),
	('ids text', $$SELECT mrr_agg('cust-' || customer, starts, ends, mrr, '2024-01-01', '1 month', 24)::text,
		mrr_agg('cust-' || customer, starts, ends, mrr, '2024-01-01', '1 month', 24, 'Pacific/Kiritimati')::text,
		mrr_agg('cust-' || customer, starts, mrr, '2023-01-01', '1 month', 36)::text,
		mrr_agg('cust-' || customer, starts, mrr, '2023-01-01', '1 month', 36, 'Europe/Paris')::text,
		md5(customer_mrr_agg('cust-' || customer, starts, ends, mrr, '2024-01-01', '1 week', 100)::text),
		md5(customer_mrr_agg('cust-' || customer, starts, ends, mrr, '2024-01-01', '1 week', 100, 'Asia/Tokyo')::text),
		md5(customer_mrr_agg('cust-' || customer, starts, mrr, '2023-01-01', '1 month', 36)::text),
		md5(customer_mrr_agg('cust-' || customer, starts, mrr, '2023-01-01', '1 month', 36, 'UTC')::text)
		FROM par_subs$$),
	('ids uuid', $$SELECT mrr_agg(md5(customer::text)::uuid, starts, ends, mrr, '2024-01-01', '1 month', 24)::text,
		mrr_agg(md5(customer::text)::uuid, starts, ends, mrr, '2024-01-01', '1 month', 24, 'Pacific/Kiritimati')::text,
		mrr_agg(md5(customer::text)::uuid, starts, mrr, '2023-01-01', '1 month', 36)::text,
		mrr_agg(md5(customer::text)::uuid, starts, mrr, '2023-01-01', '1 month', 36, 'Europe/Paris')::text,
		md5(customer_mrr_agg(md5(customer::text)::uuid, starts, ends, mrr, '2024-01-01', '1 week', 100)::text),
		md5(customer_mrr_agg(md5(customer::text)::uuid, starts, ends, mrr, '2024-01-01', '1 week', 100, 'Asia/Tokyo')::text),
		md5(customer_mrr_agg(md5(customer::text)::uuid, starts, mrr, '2023-01-01', '1 month', 36)::text),
		md5(customer_mrr_agg(md5(customer::text)::uuid, starts, mrr, '2023-01-01', '1 month', 36, 'UTC')::text)
		FROM par_subs$$),
	('ids, no rows', $$SELECT mrr_agg(customer::smallint, starts, ends, mrr, '2024-01-01', '1 month', 24)::text,
		customer_mrr_agg(customer::integer, starts, mrr, '2024-01-01', '1 month', 24)::text,
		mrr_agg('cust-' || customer, starts, mrr, '2024-01-01', '1 month', 24)::text,
		customer_mrr_agg('cust-' || customer, starts, ends, mrr, '2024-01-01', '1 month', 24, 'UTC')::text,
		mrr_agg(md5(customer::text)::uuid, starts, ends, mrr, '2024-01-01', '1 month', 24)::text,
		customer_mrr_agg(md5(customer::text)::uuid, starts, mrr, '2024-01-01', '1 month', 24, 'UTC')::text
		FROM par_subs WHERE i + 0 < 0$$),
	-- by plan (1.3.0): one summary per plan, customers on several plans at once
	('by plan', $$SELECT m.* FROM (SELECT array_agg(s ORDER BY plan) AS s, array_agg(plan ORDER BY plan) AS p
		FROM (SELECT 'plan ' || i % 3 AS plan, customer_mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 24) AS s
			  FROM par_subs GROUP BY 1) x) y, mrr_movements_by_plan(y.s, y.p) m$$),
	('by plan, no rows', $$SELECT m.* FROM (SELECT array_agg(s ORDER BY plan) AS s, array_agg(plan ORDER BY plan) AS p
		FROM (SELECT 'plan ' || i % 3 AS plan, customer_mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 24) AS s
			  FROM par_subs WHERE i + 0 < 0 GROUP BY 1) x) y, mrr_movements_by_plan(y.s, y.p) m$$),
	('cohort table', $$SELECT m.* FROM mrr_cohort_table((SELECT customer_mrr_agg('cust-' || customer, starts, ends, mrr,
		'2024-01-01', '1 month', 24) FROM par_subs)) m$$);

\set ECHO none
\i test/parallel.sql
\set ECHO all

-- serial: no plan splits an aggregate
SET max_parallel_workers_per_gather = 0;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();

-- forced parallel: each plan has a Partial Aggregate under a Gather
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();

SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;
-- the zero-row queries' results: NULLs
SELECT name, result FROM parallel_results WHERE name LIKE '%no rows' ORDER BY name;
-- the text and uuid forms equal the bigint ones (the same customers renamed)
SELECT (SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 24)::text FROM par_subs)
	= (SELECT mrr_agg('cust-' || customer, starts, ends, mrr, '2024-01-01', '1 month', 24)::text FROM par_subs)
	AS text_same,
	(SELECT mrr_agg(customer, starts, mrr, '2023-01-01', '1 month', 36)::text FROM par_subs)
	= (SELECT mrr_agg(md5(customer::text)::uuid, starts, mrr, '2023-01-01', '1 month', 36)::text FROM par_subs)
	AS uuid_same;
-- many groups of text ids in one hashed aggregation, against the bigint ids
SET enable_sort = off;
SELECT count(*) AS groups, bool_and(t = b) AS same
FROM (SELECT i % 500 AS g, mrr_agg('cust-' || customer, starts, ends, mrr, '2024-01-01', '1 month', 12)::text AS t,
		mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 12)::text AS b
	  FROM par_subs GROUP BY 1) x;
RESET enable_sort;
