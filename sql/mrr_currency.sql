--
-- Currencies in the MRR summaries (issue 15): mrr_summary and
-- customer_mrr_summary record the ISO 4217 code of their amounts (format
-- version 3); a row or a summary in another currency is an error naming
-- both; an unspecified currency (no currency given, or an older format)
-- takes the other's.  Amounts may be numeric (exact) in the currency forms.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
\set VERBOSITY terse

-- 1. A hand ledger in EUR, three months from 2024-01:
--	customer 1: 100, 150, 150		expansion of 50 in February
--	customer 2:  50,   -,  50		churn of 50 in February, reactivation in March
--	customer 3:   -, 20.125, 10		new in February, contraction of 10.125 in March
-- so (by hand) January: 2 customers, 150; February: 2 customers, 170.125
-- (150 + 20.125 new + 50 expansion - 50 churn); March: 3 customers, 210
-- (170.125 + 50 reactivation - 10.125 contraction).
CREATE TABLE mrr_cur_ledger (customer bigint, month timestamptz, mrr numeric, currency text);
INSERT INTO mrr_cur_ledger VALUES
	(1, '2024-01-01', 100, 'EUR'), (1, '2024-02-01', 150, 'EUR'), (1, '2024-03-01', 150, 'EUR'),
	(2, '2024-01-01', 50, 'EUR'), (2, '2024-03-01', 50, 'EUR'),
	(3, '2024-02-01', 20.125, 'EUR'), (3, '2024-03-01', 10, 'EUR');

SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency)::text FROM mrr_cur_ledger;
SELECT period, customers_start, new_customers, reactivated_customers, churned_customers, customers_end,
	starting_mrr, new_mrr, expansion_mrr, contraction_mrr, churned_mrr, reactivation_mrr, ending_mrr
FROM mrr_movements((SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency)
	FROM mrr_cur_ledger));
-- the same as without a currency, but for the currency field; float8 amounts too
SELECT replace((SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency)::text FROM mrr_cur_ledger),
		'"currency":"EUR",', '')
	= (SELECT mrr_agg(customer, month, mrr::float8, '2024-01-01', '1 month', 3)::text FROM mrr_cur_ledger) AS mrr_same,
	replace((SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency)::text FROM mrr_cur_ledger),
		'"currency":"EUR",', '')
	= (SELECT customer_mrr_agg(customer, month, mrr::float8, '2024-01-01', '1 month', 3)::text FROM mrr_cur_ledger) AS customer_same,
	(SELECT mrr_agg(customer, month, mrr::float8, '2024-01-01', '1 month', 3, 'UTC', 'EUR')::text FROM mrr_cur_ledger)
	= (SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency)::text FROM mrr_cur_ledger) AS float8_same;
-- the accessors; every money accessor as without a currency
SELECT currency(s), currency(c), currency(mrr_summary(c)) AS of_movements, arr(s, 2), arpa(s, 1), quick_ratio(s, 2),
	currency((SELECT mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1))) AS unspecified
FROM (SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency) AS s,
		customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency) AS c
	  FROM mrr_cur_ledger) x;
-- subscriptions, and text and uuid ids, keep the currency
SELECT currency(mrr_agg(customer, month, month + interval '1 month', mrr, '2024-01-01', '1 month', 3, 'UTC', currency)) AS subscriptions,
	currency(customer_mrr_agg('c' || customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency)) AS text_ids,
	currency(customer_mrr_agg(md5(customer::text)::uuid, month, NULL, mrr::float8, '2024-01-01', '1 month', 3, 'UTC', currency)) AS uuid_ids,
	mrr_summary(customer_mrr_agg('c' || customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency))::text
	= mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency)::text AS text_ids_same
FROM mrr_cur_ledger;

-- 2. Numeric amounts are exact to 1/10000, rounded half away from zero
-- past it: 0.00005 is 0.0001, 0.00004 nothing (no customer)
SELECT customer_mrr_agg(c, timestamptz '2024-01-01', m, '2024-01-01', '1 month', 1, 'UTC', 'USD')::text
FROM (VALUES (1, 0.00005), (2, 0.00004), (3, 99999999999999.9999), (4, 12.34565)) v(c, m);
SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 100000000000000.0001, '2024-01-01', '1 month', 1, 'UTC', 'USD');
SELECT customer_mrr_agg(1, timestamptz '2024-01-01', -0.0001::numeric, '2024-01-01', '1 month', 1, 'UTC', 'USD');
SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 'NaN'::numeric, '2024-01-01', '1 month', 1, 'UTC', 'USD');

-- 3. Mixing currencies is an error naming both
-- in one aggregate
SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', CASE customer WHEN 3 THEN 'USD' ELSE currency END)
FROM mrr_cur_ledger;
-- in rollup, of customer MRR summaries and of MRR summaries
SELECT rollup(s) FROM (SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency) FROM mrr_cur_ledger
	UNION ALL SELECT customer_mrr_agg(9, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 3, 'UTC', 'USD')) v(s);
SELECT rollup(s) FROM (SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency) FROM mrr_cur_ledger
	UNION ALL SELECT mrr_agg(9, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 3, 'UTC', 'GBP')) v(s);
-- by plan
SELECT count(*) FROM mrr_movements_by_plan(ARRAY[
	(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 2, 'UTC', 'EUR')),
	(SELECT customer_mrr_agg(2, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 2, 'UTC', 'JPY'))], ARRAY['a', 'b']);
-- and by plan in one currency: the plans' movements as without it
SELECT count(*) FROM mrr_movements_by_plan(ARRAY[
	(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 2, 'UTC', 'JPY')),
	(SELECT customer_mrr_agg(1, timestamptz '2024-02-01', 1, '2024-01-01', '1 month', 2, 'UTC', 'JPY')),
	(SELECT customer_mrr_agg(2, timestamptz '2024-02-01', 1, '2024-01-01', '1 month', 2))], ARRAY['a', 'b', 'c']);
-- text ids: the same rule
SELECT rollup(s) FROM (SELECT customer_mrr_agg('a'::text, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'EUR')
	UNION ALL SELECT customer_mrr_agg('b'::text, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'USD')) v(s);
-- the same currency merges; an unspecified one (no currency, or an older
-- format) takes the other's, whichever comes first
SELECT currency(rollup(s ORDER BY n)) AS eur_first, currency(rollup(s ORDER BY -n)) AS unspecified_first,
	rollup(s ORDER BY n)::text = rollup(s ORDER BY -n)::text AS same
FROM (SELECT 1, customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency) FROM mrr_cur_ledger
	UNION ALL SELECT 2, customer_mrr_agg(9, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 3)
	UNION ALL SELECT 3, '{"version":2,"period":"month","time_zone":"UTC","periods":3,"origin":648,"customers":[8],"mrr":[[0,2,0]]}'::customer_mrr_summary) v(n, s);
SELECT rollup(s ORDER BY n)::text, currency(rollup(s ORDER BY -n))
FROM (SELECT 1, '{"version":2,"period":"month","time_zone":"UTC","periods":2,"origin":648,"customers":[1,1],"mrr":[5,5],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'::mrr_summary
	UNION ALL SELECT 2, mrr_agg(2, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 2, 'UTC', 'EUR')) v(n, s);
-- uncombine follows the same rule
SELECT currency(mrr_summary_uncombine(mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency),
	mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency))) FROM mrr_cur_ledger;
SELECT mrr_summary_uncombine(mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency),
	mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', 'CHF')) FROM mrr_cur_ledger;

-- 4. What a currency is: three uppercase letters; NULL on a counted row is an error
SELECT mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'eur');
SELECT mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'EURO');
SELECT mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', '€');
SELECT mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', NULL);
-- a row skipped (NULL MRR) needs none
SELECT currency(mrr_agg(c, timestamptz '2024-01-01', m, '2024-01-01', '1 month', 1, 'UTC', cur))
FROM (VALUES (1, NULL::numeric, NULL::text), (2, 5, 'SEK')) v(c, m, cur);

-- 5. Text and binary forms round trip; older formats read, as unspecified
CREATE TABLE mrr_cur_values AS
SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'Europe/Paris', currency) AS s,
	customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'Europe/Paris', currency) AS c,
	customer_mrr_agg('c' || customer, month, mrr, '2024-01-01', '1 month', 3, 'UTC', currency) AS t
FROM mrr_cur_ledger;
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
SELECT c::text, s::text::mrr_summary::text = s::text AS s_text, c::text::customer_mrr_summary::text = c::text AS c_text,
	t::text::customer_mrr_summary::text = t::text AS t_text,
	pg_temp.load_binary('mrr_summary', mrr_summary_send(s)) = s::text AS s_binary,
	pg_temp.load_binary('customer_mrr_summary', customer_mrr_summary_send(c)) = c::text AS c_binary,
	pg_temp.load_binary('customer_mrr_summary', customer_mrr_summary_send(t)) = t::text AS t_binary
FROM mrr_cur_values;
-- format 3 without a currency reads too
SELECT currency(s), s::text
FROM (VALUES ('{"version":3,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[2]]}'::customer_mrr_summary)) v(s);
-- format 1 of both types (1.1.0 and 1.2.0), format 2: the same movements, no currency
SELECT currency(s), s::text,
	mrr_summary(s)::text = (SELECT mrr_agg(customer, month, mrr::float8, '2024-01-01', '1 month', 3)::text FROM mrr_cur_ledger) AS same
FROM (VALUES ('{"version":1,"period":"month","time_zone":"UTC","periods":3,"origin":648,"customers":[1,2,3],"mrr":[[100,150,150],[50,0,50],[0,20.125,10]]}'::customer_mrr_summary),
	('{"version":2,"period":"month","time_zone":"UTC","periods":3,"origin":648,"customers":[1,2,3],"mrr":[[100,150,150],[50,0,50],[0,20.125,10]]}')) v(s);
SELECT currency(s), s::text
FROM (VALUES ('{"version":1,"period":"month","periods":2,"origin":648,"customers":[1,1],"mrr":[5,5],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'::mrr_summary)) v(s);
-- stored values (flat, on disk) read back the same
SELECT (SELECT c::text FROM mrr_cur_values) = (SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3, 'Europe/Paris', currency)::text
	FROM mrr_cur_ledger) AS stored_same;
-- malformed currencies in the text form
SELECT '{"version":3,"period":"month","time_zone":"UTC","currency":"eur","periods":1,"origin":648,"customers":[1],"mrr":[[2]]}'::customer_mrr_summary;
SELECT '{"version":3,"period":"month","time_zone":"UTC","currency":"EURO","periods":1,"origin":648,"customers":[1],"mrr":[[2]]}'::customer_mrr_summary;
-- no currency in the older formats
SELECT '{"version":2,"period":"month","time_zone":"UTC","currency":"EUR","periods":1,"origin":648,"customers":[1],"mrr":[[2]]}'::customer_mrr_summary;

-- 6. Forced-parallel plans give the serial result, zero rows included
CREATE TABLE mrr_cur_par AS
SELECT i, (i::bigint * 7919) % 3000 AS customer,
	timestamptz '2023-06-01' + ((i::bigint * 7919) % 700) * interval '1 day' AS starts,
	CASE WHEN i % 3 = 0 THEN NULL
		 ELSE timestamptz '2023-06-01' + ((i::bigint * 7919) % 700) * interval '1 day' + (i % 400) * interval '1 day' END AS ends,
	((i % 13) * 10 + 0.1234)::numeric AS mrr, 'EUR'::text AS currency
FROM generate_series(1, 30000) i;
ANALYZE mrr_cur_par;
CREATE TEMP TABLE mrr_cur_queries (name text, query text);
INSERT INTO mrr_cur_queries VALUES
	('snapshots', $$SELECT mrr_agg(customer, starts, mrr, '2023-06-01', '1 month', 24, 'UTC', currency)::text,
		md5(customer_mrr_agg(customer, starts, mrr::float8, '2023-06-01', '1 week', 100, 'Europe/Paris', currency)::text) FROM mrr_cur_par$$),
	('subscriptions', $$SELECT mrr_agg(customer::integer, starts, ends, mrr, '2024-01-01', '1 month', 12, 'UTC', currency)::text,
		md5(customer_mrr_agg(customer::smallint, starts, ends, mrr::float8, '2024-01-01', '1 week', 60, 'UTC', currency)::text) FROM mrr_cur_par$$),
	('text and uuid ids', $$SELECT mrr_agg('c' || customer, starts, ends, mrr, '2024-01-01', '1 month', 12, 'UTC', currency)::text,
		md5(customer_mrr_agg(md5(customer::text)::uuid, starts, mrr, '2023-06-01', '1 month', 24, 'UTC', currency)::text) FROM mrr_cur_par$$),
	('no rows', $$SELECT mrr_agg(customer, starts, mrr, '2023-06-01', '1 month', 24, 'UTC', currency)::text,
		customer_mrr_agg('c' || customer, starts, ends, mrr, '2024-01-01', '1 month', 12, 'UTC', currency)::text
		FROM mrr_cur_par WHERE i + 0 < 0$$);
\set ECHO none
\i test/parallel.sql
\set ECHO all
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE mrr_cur_serial AS SELECT * FROM pg_temp.run_queries('mrr_cur_queries');
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM mrr_cur_queries ORDER BY name;
CREATE TEMP TABLE mrr_cur_parallel AS SELECT * FROM pg_temp.run_queries('mrr_cur_queries');
SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM mrr_cur_serial s JOIN mrr_cur_parallel p USING (name) ORDER BY name;
SELECT name, result FROM mrr_cur_parallel WHERE name = 'no rows';
-- a row in another currency among many, in a parallel plan
SELECT mrr_agg(customer, starts, mrr, '2023-06-01', '1 month', 24, 'UTC', CASE WHEN i = 29999 THEN 'USD' ELSE currency END)
FROM mrr_cur_par;
-- the currency forms equal the plain ones but for the field
SELECT replace(mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 12, 'UTC', currency)::text, '"currency":"EUR",', '')
	= mrr_agg(customer, starts, ends, mrr::float8, '2024-01-01', '1 month', 12)::text AS same
FROM mrr_cur_par;

-- 7. Numeric amounts are read exactly, rounded half away from zero past 4
-- decimals: from their digits when they have at most 4 decimals and 16
-- significant digits, else by numeric multiplication.  Amounts of 0 to 6
-- decimals, some of more than 16 digits: the ending MRR (ARR / 12) is plain
-- SQL's sum of round(mrr, 4); the limit 1e14 itself, and just past it.
CREATE TABLE mrr_cur_exact AS
SELECT i AS customer, CASE
		WHEN i = 2 THEN 12345678901234.5678
		WHEN i = 3 THEN 0.00005
		WHEN i % 1000 = 5 THEN 1234567890123.4567 + i
		WHEN i % 10 = 0 THEN round((random() * 1e10)::numeric, 4)
		ELSE round((random() * 1e6)::numeric, i % 7) END AS mrr
FROM generate_series(1, 20000) i;
SELECT arr(s, 0) / 12 = (SELECT sum(round(mrr, 4)) FROM mrr_cur_exact) AS ending_mrr_exact,
	arr(s, 0) / 12 - (SELECT sum(mrr) FROM mrr_cur_exact) BETWEEN -1 AND 1 AS rounding_only
FROM (SELECT mrr_agg(customer, timestamptz '2024-01-15', mrr, '2024-01-01', '1 month', 1, 'UTC', 'EUR') AS s
	FROM mrr_cur_exact) g;
SELECT arpa(mrr_agg(1, timestamptz '2024-01-15', 100000000000000::numeric, '2024-01-01', '1 month', 1, 'UTC', 'EUR'), 0);
SELECT mrr_agg(1, timestamptz '2024-01-15', 100000000000000.0001, '2024-01-01', '1 month', 1, 'UTC', 'EUR');
