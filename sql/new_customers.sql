--
-- new_customers_agg and new_customers_summary: new customers per calendar
-- period of their first purchase, with repeat buyers and net revenue of
-- their first N days; rollup(), the text and binary forms, and
-- acquisition_efficiency() (src/pipeline/new_customers.c,
-- new_customers_io.c, doc/pipeline.md section 5).  Expected values: a
-- hand-built ledger worked in the comments (recomputed by
-- test/reference/new_customers_reference.py), and a
-- plain-SQL reference (min(at) per customer by a window function, no
-- crm_kpi function) over the demo's orders and won deals, row by row.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET extra_float_digits = 0;

-- 1. A hand-built ledger: months, first 30 days (30 x 24 hours).
--   customer 1: 2024-01-10 100.00, 2024-01-25 50.50 (15 days later: early,
--     a repeat purchase), 2024-03-01 20.00 (51 days: not early).
--     January; first 30 days 150.50; net 170.50; repeat.
--   customer 2: 2024-01-31 23:00 10.00, 2024-03-01 23:00 5.00 (exactly 30
--     days later: not early, the window is [first, first + 30 days)).
--     January; first 30 days 10.00; net 15.00; no repeat.
--   customer 3: 2024-02-05 200, 2024-02-05 30 (the same instant as the
--     first: not a later purchase), 2024-02-20 NULL (a purchase of unknown
--     revenue: a repeat, nothing summed).
--     February; first 30 days 230; net 230; repeat.
--   customer 4: 2024-02-28 -10.00 (a refund, not a purchase), 2024-02-10
--     60.000 (rows in any order).
--     February; first 30 days 50.000 (scale 3, as sum(numeric)); net 50.000;
--     no repeat (its only later row is a refund).
--   skipped: a NULL customer, a NULL time.
-- January: 2 new, 1 repeat (0.5), first 30 days 160.50 (80.25 each), net 185.50.
-- February: 2 new, 1 repeat (0.5), first 30 days 280.000 (140 each), net 280.000.
CREATE TABLE nc_ledger (customer bigint, at timestamptz, amount numeric);
INSERT INTO nc_ledger VALUES
	(1, '2024-01-10 09:00+00', 100.00), (1, '2024-01-25 09:00+00', 50.50), (1, '2024-03-01 09:00+00', 20.00),
	(2, '2024-01-31 23:00+00', 10.00), (2, '2024-03-01 23:00+00', 5.00),
	(3, '2024-02-05 12:00+00', 200), (3, '2024-02-05 12:00+00', 30), (3, '2024-02-20 12:00+00', NULL),
	(4, '2024-02-28 08:00+00', -10.00), (4, '2024-02-10 08:00+00', 60.000),
	(NULL, '2024-01-01 00:00+00', 1000), (5, NULL, 1000);
SELECT c.* FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger)) c;
-- the revenue per new customer is numeric division, as sum / count is in SQL
SELECT c.revenue_per_new_customer = c.first_days_revenue / c.new_customers AS per_customer_is_division,
	c.revenue_per_new_customer::text = (c.first_days_revenue / c.new_customers)::text AS same_digits
FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger)) c;
-- the summary: the kept purchases in canonical order (customer, time,
-- amount), times in microseconds since 1970, amounts as numeric writes them
SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger;
-- new_customer_cohorts() is the same as an array
SELECT new_customer_cohorts(new_customers_agg(customer, at, amount, '1 month', 30)) FROM nc_ledger;
-- counted in Paris: customer 2's first purchase (2024-01-31 23:00 UTC) is
-- 2024-02-01 00:00 there, so January has 1 new customer and February 3
SELECT c.period_start, c.new_customers, c.repeat_customers, c.first_days_revenue
FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 month', 30, 'Europe/Paris')
	FROM nc_ledger)) c;
-- first 15 days: customer 1's second purchase (15 days later) is no longer early
SELECT c.period_start, c.repeat_customers, c.first_days_revenue
FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 month', 15) FROM nc_ledger)) c;
-- quarters and years
SELECT c.period_start, c.new_customers FROM new_customers((SELECT new_customers_agg(customer, at, amount, '3 months', 30) FROM nc_ledger)) c;
SELECT c.period_start, c.new_customers FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 year', 30) FROM nc_ledger)) c;
-- ISO weeks (Monday) and days
SELECT c.period_start, c.new_customers FROM new_customers((SELECT new_customers_agg(customer, at, amount, '7 days', 30) FROM nc_ledger)) c;
SELECT count(*) AS days FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 day', 30) FROM nc_ledger));
-- text and uuid ids give the same rows
SELECT (SELECT new_customer_cohorts(new_customers_agg(customer::text, at, amount, '1 month', 30)) FROM nc_ledger)::text
	= (SELECT new_customer_cohorts(new_customers_agg(customer, at, amount, '1 month', 30)) FROM nc_ledger)::text AS text_ids_same,
	(SELECT new_customer_cohorts(new_customers_agg(md5(customer::text)::uuid, at, amount, '1 month', 30)) FROM nc_ledger)::text
	= (SELECT new_customer_cohorts(new_customers_agg(customer, at, amount, '1 month', 30)) FROM nc_ledger)::text AS uuid_ids_same;
SELECT new_customers_agg('c' || customer, at, amount, '1 year', 30, 'UTC') AS text_ids
FROM nc_ledger WHERE customer IN (3, 4);
-- integer ids reach bigint by the implicit cast
SELECT (SELECT new_customers_agg(customer::integer, at, amount, '1 month', 30) FROM nc_ledger)::text
	= (SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger)::text AS integer_ids_same;
-- the session's time zone is recorded by name: read in another session zone,
-- the summary counts the same periods
SET TimeZone = 'Europe/Paris';
CREATE TABLE nc_paris AS SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s FROM nc_ledger;
SET TimeZone = 'UTC';
SELECT c.period_start, c.new_customers FROM nc_paris, new_customers(s) c;
SELECT s::text = (SELECT new_customers_agg(customer, at, amount, '1 month', 30, 'Europe/Paris') FROM nc_ledger)::text
	AS zone_recorded FROM nc_paris;
-- no rows: NULL; only skipped rows: no period
SELECT new_customers_agg(customer, at, amount, '1 month', 30) IS NULL AS no_rows_null
FROM nc_ledger WHERE false;
SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS only_skipped
FROM nc_ledger WHERE customer IS NULL;
SELECT count(*) AS no_period FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 month', 30)
	FROM nc_ledger WHERE customer IS NULL));

-- rollup: summaries whose customers overlap merge into the summary of all
-- the rows, to the byte.  One summary per month of purchase: customers 1
-- and 2 bought again in March, so March's summary alone counts them as new
-- in March; merged with January's, their first purchase is January's.  A
-- summary of no row merges as nothing.
SELECT c.period_start, c.new_customers, c.first_days_revenue
FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger
	WHERE at >= '2024-03-01')) c;
SELECT rollup(s)::text = (SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger)::text
	AS rollup_same
FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s FROM nc_ledger
	GROUP BY extract(month FROM at)) p;
SELECT rollup(s)::text = (SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger)::text
	AS rollup_with_empty_same
FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s FROM nc_ledger
	UNION ALL SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger WHERE customer IS NULL) p;
SELECT rollup(s) IS NULL AS rollup_no_rows FROM (SELECT NULL::new_customers_summary AS s WHERE false) p;
-- a purchase kept twice (the same rows in two summaries) counts twice: rollup adds
SELECT c.period_start, c.new_customers, c.first_days_revenue, c.net_revenue
FROM new_customers((SELECT rollup(s) FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s
	FROM nc_ledger WHERE customer = 1 UNION ALL SELECT new_customers_agg(customer, at, amount, '1 month', 30)
	FROM nc_ledger WHERE customer = 1 AND at < '2024-02-01') p)) c;
-- summaries of other parameters do not merge
SELECT rollup(s) FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s FROM nc_ledger
	UNION ALL SELECT new_customers_agg(customer, at, amount, '3 months', 30) FROM nc_ledger) p;
SELECT rollup(s) FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s FROM nc_ledger
	UNION ALL SELECT new_customers_agg(customer, at, amount, '1 month', 30, 'Europe/Paris') FROM nc_ledger) p;
SELECT rollup(s) FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s FROM nc_ledger
	UNION ALL SELECT new_customers_agg(customer::text, at, amount, '1 month', 30) FROM nc_ledger) p;

-- text and binary forms: round trips to the same value; input in any row
-- order gives the canonical form
\i test/binary_copy.sql
SELECT s::text::new_customers_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('new_customers_summary', new_customers_summary_send(s)) = s::text AS binary_round_trip
FROM (SELECT new_customers_agg(customer, at, amount, '1 month', 30) AS s FROM nc_ledger
	UNION ALL SELECT new_customers_agg(md5(customer::text)::uuid, at, amount, '1 week', 7, 'America/New_York') FROM nc_ledger
	UNION ALL SELECT new_customers_agg('customer ' || customer, at, amount, '1 day', 1) FROM nc_ledger
	UNION ALL SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger WHERE customer IS NULL) x;
SELECT '{"version":1,"period":"year","first_days":30,"time_zone":"UTC","ids":"text","purchases":[["b",1704067200000000,1.50],["a",1704067200000000,null],["b",1704067100000000,-2]]}'::new_customers_summary;
SELECT '{"version":1,"period":null,"first_days":null,"time_zone":null,"purchases":[]}'::new_customers_summary;
-- malformed literals: 22P02, naming the problem
SELECT '{"version":2,"period":"year","first_days":30,"time_zone":"UTC","purchases":[]}'::new_customers_summary;
SELECT '{"version":1,"period":"decade","first_days":30,"time_zone":"UTC","purchases":[]}'::new_customers_summary;
SELECT '{"version":1,"period":"year","first_days":0,"time_zone":"UTC","purchases":[]}'::new_customers_summary;
SELECT '{"version":1,"period":"year","first_days":30,"time_zone":"Mars/Olympus","purchases":[]}'::new_customers_summary;
SELECT '{"version":1,"period":"year","first_days":30,"time_zone":"UTC","purchases":[[1,1704067200000000,NaN]]}'::new_customers_summary;
SELECT '{"version":1,"period":"year","first_days":30,"time_zone":"UTC","purchases":[[1,-9223372036854775807,1]]}'::new_customers_summary;
SELECT '{"version":1,"period":"year","first_days":30,"time_zone":"UTC","purchases":[["a",1,1]]}'::new_customers_summary;
SELECT '{"version":1,"period":null,"first_days":null,"time_zone":null,"purchases":[[1,1,1]]}'::new_customers_summary;
SELECT '{"version":1,"period":"year","first_days":30,"time_zone":"UTC","purchases":[[1,1,1.]]}'::new_customers_summary;
SELECT '{"version":1,"period":"year","first_days":30,"time_zone":"UTC","purchases":[]} x'::new_customers_summary;
-- the binary form of the documented layout: version 1, unit 4 (quarter),
-- first_days 30, zone name length 3, "UTC", integer ids (kind 1), one row:
-- customer 1, time 1 microsecond after 2000-01-01, a NULL amount (-1)
SELECT pg_temp.load_binary('new_customers_summary', decode('01' || '04' || '0000001e' || '03' || '555443'
	|| '01' || '0000000000000001' || '0000000000000001' || '0000000000000001' || 'ffffffff', 'hex'));
-- malformed binary input: 22P03 (truncated; a NaN amount; trailing bytes)
\set SHOW_CONTEXT never
SELECT pg_temp.load_binary('new_customers_summary', decode('0104', 'hex'));
SELECT pg_temp.load_binary('new_customers_summary', decode('01' || '04' || '0000001e' || '03' || '555443'
	|| '01' || '0000000000000001' || '0000000000000001' || '0000000000000001' || '00000008'
	|| '00000000c0000000', 'hex'));
SELECT pg_temp.load_binary('new_customers_summary', decode('01' || '00' || '00000000' || '00' || '00'
	|| '0000000000000000' || '00', 'hex'));
\set SHOW_CONTEXT errors

-- acquisition_efficiency: January's cohort with a spend of 321.00:
-- CAC 321.00 / 2 = 160.50; per unit of first-30-days revenue 321.00 / 160.50 = 2;
-- per unit of net revenue 321.00 / 185.50 = 1.7304582210242588...
SELECT e.cac = 160.50 AS cac, e.spend_per_first_days_revenue = 2 AS per_first_days,
	e.spend_per_net_revenue = 321.00 / 185.50 AS per_net, round(e.spend_per_net_revenue, 6) AS per_net_rounded
FROM new_customers((SELECT new_customers_agg(customer, at, amount, '1 month', 30) FROM nc_ledger)) c,
	acquisition_efficiency(c, 321.00) e
WHERE c.period_start = '2024-01-01';
-- a zero denominator gives NULL (a cohort whose revenue nets to 0), zero spend gives 0
SELECT e.* FROM acquisition_efficiency(ROW('2024-01-01', 3, 0, 0, 0, 0, 0)::new_customer_cohort, 100) e;
SELECT e.* FROM acquisition_efficiency(ROW('2024-01-01', 3, 0, 0, 30, 10, 60)::new_customer_cohort, 0) e;

-- errors
SELECT new_customers_agg(customer, at, amount, '2 months', 30) FROM nc_ledger;
SELECT new_customers_agg(customer, at, amount, '1 month', 0) FROM nc_ledger;
SELECT new_customers_agg(customer, at, amount, NULL, 30) FROM nc_ledger;
SELECT new_customers_agg(customer, at, amount, '1 month', 30, 'Mars/Olympus') FROM nc_ledger;
-- an abbreviation is no zone name a summary can record
SELECT new_customers_agg(customer, at, amount, '1 month', 30, 'CEST') FROM nc_ledger;
SELECT new_customers_agg(customer, at, amount, '1 month', CASE WHEN customer = 3 THEN 7 ELSE 30 END) FROM nc_ledger;
SELECT new_customers_agg(1, 'infinity', 1, '1 month', 30);
SELECT new_customers_agg(1, '2024-01-01', 'NaN', '1 month', 30);
SELECT acquisition_efficiency(ROW('2024-01-01', 3, 0, 0, 30, 10, 60)::new_customer_cohort, -1);

-- 2. The demo's orders (demo/data.sql, demo/data_clv.sql; refunds are
-- negative) and won deals (demo/data_pipeline.sql), loaded into a schema of
-- their own, against the plain-SQL recipe of doc/pipeline.md section 5.
CREATE SCHEMA new_customers_demo;
SELECT setting AS bindir FROM pg_config WHERE name = 'BINDIR' \gset
\setenv CRM_PSQL :bindir/psql
\setenv PGDATABASE :DBNAME
\setenv PGOPTIONS '-c search_path=new_customers_demo,public'
\! for f in data data_clv data_pipeline; do "$CRM_PSQL" -X -q -v ON_ERROR_STOP=1 -f "demo/$f.sql" >/dev/null || echo "demo/$f.sql failed"; done
\setenv PGOPTIONS ''
SELECT count(*) > 1000 AS demo_loaded FROM new_customers_demo.clv_orders;
-- the reference: per customer, the first purchase by min() over a window,
-- the first-90-days revenue and repeat purchase by filters; per quarter,
-- counts and sums (numeric, so exact digits and scales)
CREATE FUNCTION pg_temp.nc_reference(first_days int, unit text)
	RETURNS TABLE (period_start timestamptz, new_customers bigint, repeat_customers bigint,
		early_retention float8, first_days_revenue numeric, revenue_per_new_customer numeric,
		net_revenue numeric)
LANGUAGE sql AS $$
	WITH o AS (
		SELECT customer_id, order_date::timestamptz AS at, amount,
			min(order_date::timestamptz) OVER (PARTITION BY customer_id) AS first_at
		FROM new_customers_demo.clv_orders),
	c AS (
		SELECT customer_id, date_trunc(unit, min(first_at)) AS period_start,
			coalesce(sum(amount) FILTER (WHERE at < first_at + first_days * interval '24 hours'), 0) AS first_days_revenue,
			coalesce(bool_or(at > first_at AND at < first_at + first_days * interval '24 hours'
				AND amount >= 0), false) AS repeat,
			sum(amount) AS net_revenue
		FROM o GROUP BY customer_id)
	SELECT period_start, count(*), count(*) FILTER (WHERE repeat),
		count(*) FILTER (WHERE repeat)::float8 / count(*),
		sum(first_days_revenue), sum(first_days_revenue) / count(*), sum(net_revenue)
	FROM c GROUP BY period_start
$$;
CREATE TABLE nc_demo_quarters AS
SELECT new_customers_agg(customer_id, order_date, amount, '3 months', 90) AS a
FROM new_customers_demo.clv_orders;
SELECT count(*) AS quarters, sum(new_customers) AS customers
FROM new_customers((SELECT a FROM nc_demo_quarters));
-- row by row, as text (the digits and scales too): none differs either way
SELECT count(*) AS only_in_reference FROM (
	SELECT r::text FROM pg_temp.nc_reference(90, 'quarter') r
	EXCEPT SELECT c::text FROM new_customers((SELECT a FROM nc_demo_quarters)) c) x;
SELECT count(*) AS only_in_aggregate FROM (
	SELECT c::text FROM new_customers((SELECT a FROM nc_demo_quarters)) c
	EXCEPT SELECT r::text FROM pg_temp.nc_reference(90, 'quarter') r) x;
-- months and first 30 days
SELECT count(*) AS months_differing FROM (
	(SELECT r::text FROM pg_temp.nc_reference(30, 'month') r
	 EXCEPT SELECT c::text FROM new_customers((SELECT new_customers_agg(customer_id, order_date, amount, '1 month', 30)
		FROM new_customers_demo.clv_orders)) c)
	UNION ALL
	(SELECT c::text FROM new_customers((SELECT new_customers_agg(customer_id, order_date, amount, '1 month', 30)
		FROM new_customers_demo.clv_orders)) c
	 EXCEPT SELECT r::text FROM pg_temp.nc_reference(30, 'month') r)) x;
-- the won deals: new customers per quarter of the first won deal, as the
-- recipe counted them (count(*) of min(closed_on) per customer per quarter)
SELECT count(*) AS won_deal_quarters_differing FROM (
	SELECT c.period_start, c.new_customers FROM new_customers((SELECT new_customers_agg(customer_id, closed_on, amount, '3 months', 365)
		FROM new_customers_demo.deals WHERE outcome = 'won' AND customer_id IS NOT NULL)) c
	EXCEPT
	SELECT date_trunc('quarter', first_on), count(*)
	FROM (SELECT customer_id, min(closed_on)::timestamptz AS first_on FROM new_customers_demo.deals
		WHERE outcome = 'won' AND customer_id IS NOT NULL GROUP BY customer_id) f
	GROUP BY 1) x;

-- 3. Forced parallel plans give the serial result, also for no rows, and
-- any input order gives the same result; stored daily summaries roll up
-- to the summary of all the rows.
\i test/parallel.sql
CREATE TABLE nc_serial AS
SELECT new_customers_agg(customer_id, order_date, amount, '1 month', 60)::text AS a,
	new_customers_agg(customer_id::text, order_date, amount, '1 month', 60)::text AS t
FROM new_customers_demo.clv_orders;
SELECT new_customer_cohorts(t::new_customers_summary)::text = new_customer_cohorts(a::new_customers_summary)::text
	AS text_ids_same_cohorts FROM nc_serial;
SELECT (SELECT new_customers_agg(customer_id, order_date, amount, '1 month', 60 ORDER BY order_id DESC)::text
	FROM new_customers_demo.clv_orders) = a AS order_independent FROM nc_serial;
CREATE TABLE nc_daily AS
SELECT order_date, new_customers_agg(customer_id, order_date, amount, '1 month', 60) AS s
FROM new_customers_demo.clv_orders GROUP BY order_date;
SELECT (SELECT rollup(s)::text FROM nc_daily) = a AS daily_rollup_same FROM nc_serial;
SELECT pg_temp.force_parallel() AS forced;
SELECT pg_temp.plan_shape($$SELECT new_customers_agg(customer_id, order_date, amount, '1 month', 60) FROM new_customers_demo.clv_orders$$);
SELECT (SELECT new_customers_agg(customer_id, order_date, amount, '1 month', 60)::text
	FROM new_customers_demo.clv_orders) = a AS parallel_same FROM nc_serial;
SELECT (SELECT new_customers_agg(customer_id::text, order_date, amount, '1 month', 60)::text
	FROM new_customers_demo.clv_orders) = t AS parallel_text_ids_same FROM nc_serial;
SELECT new_customers_agg(customer_id, order_date, amount, '1 month', 60) IS NULL AS parallel_no_rows
FROM new_customers_demo.clv_orders WHERE order_id < 0;
SELECT (SELECT rollup(s)::text FROM nc_daily) = a AS parallel_rollup_same FROM nc_serial;
RESET ALL;
SET TimeZone = 'UTC';
DROP SCHEMA new_customers_demo CASCADE;
DROP TABLE nc_ledger, nc_paris, nc_demo_quarters, nc_serial, nc_daily;
