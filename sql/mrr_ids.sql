--
-- MRR with customer ids of any type (issue 13): smallint, integer, uuid and
-- text ids next to bigint ones, in both input forms (snapshots and
-- subscriptions), exact distinct customers, rollups over different id
-- sets, round trips of uuid and text summaries, and format 1 values.
-- Expected values: the movements of the bigint ledger (worked out by hand in
-- sql/mrr.sql, section 1) for the same customers renamed, and plain SQL
-- (count(DISTINCT), sum) for the large sets.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never
\set ECHO none
\i test/binary_copy.sql
\set ECHO all

-- 1. The hand ledger of sql/mrr.sql (customers 1-6, January to April 2024,
-- reactivations; rows of December 2023 before the origin), its customers
-- renamed: 'cust-' || n (text), md5(n)::uuid, and n as smallint and integer
CREATE TABLE mrr_ids_ledger (n bigint, month timestamptz, mrr numeric);
INSERT INTO mrr_ids_ledger VALUES
	(1, '2024-01-01', 10), (1, '2024-02-01', 10), (1, '2024-03-01', 10), (1, '2024-04-01', 10),
	(2, '2024-01-01', 10), (2, '2024-03-01', 10), (2, '2024-04-01', 10),
	(3, '2024-01-01', 10), (3, '2024-02-01', 10),
	(4, '2024-03-01', 10), (4, '2024-04-01', 10),
	(5, '2024-01-01', 10), (5, '2024-04-01', 10),
	(6, '2024-02-01', 10), (6, '2024-04-01', 10),
	(1, '2023-12-01', 999), (7, '2023-12-31 23:59:59', 5);
CREATE VIEW mrr_ids_ledger_v AS
SELECT n, n::integer AS n4, n::smallint AS n2, 'cust-' || n AS cust, md5(n::text)::uuid AS u,
	('cust-' || n)::varchar(20) AS vc, month, mrr FROM mrr_ids_ledger;
-- the bigint ledger's movements, by hand in sql/mrr.sql: customers at the
-- end 4, 3, 3, 5; churned 2 (Feb), 2 (Mar), 0 (Apr); reactivated 0, 1, 2
SELECT period, customers_start, new_customers, reactivated_customers, churned_customers, customers_end
FROM mrr_movements((SELECT mrr_agg(n, month, mrr, '2024-01-01', '1 month', 4) FROM mrr_ids_ledger));
-- every id type gives the same mrr_summary
SELECT i4 = b AS integer_same, i2 = b AS smallint_same, t = b AS text_same, u = b AS uuid_same,
	vc = b AS varchar_same, tz = bz AS text_zone_same
FROM (SELECT mrr_agg(n4, month, mrr, '2024-01-01', '1 month', 4)::text AS i4,
		mrr_agg(n2, month, mrr, '2024-01-01', '1 month', 4)::text AS i2,
		mrr_agg(cust, month, mrr, '2024-01-01', '1 month', 4)::text AS t,
		mrr_agg(u, month, mrr, '2024-01-01', '1 month', 4)::text AS u,
		mrr_agg(vc, month, mrr, '2024-01-01', '1 month', 4)::text AS vc,
		mrr_agg(cust, month, mrr, '2024-01-01', '1 month', 4, 'Europe/Paris')::text AS tz,
		mrr_agg(n, month, mrr, '2024-01-01', '1 month', 4)::text AS b,
		mrr_agg(n, month, mrr, '2024-01-01', '1 month', 4, 'Europe/Paris')::text AS bz
	  FROM mrr_ids_ledger_v) x;
-- the customer summaries: the text ids sorted by their bytes, each with the
-- MRR per month of the ledger (cust-1: 10 10 10 10; cust-2: 10 0 10 10; ...)
SELECT customer_mrr_agg(cust, month, mrr, '2024-01-01', '1 month', 4)::text FROM mrr_ids_ledger_v;
SELECT customer_mrr_agg(u, month, mrr, '2024-01-01', '1 month', 2)::text FROM mrr_ids_ledger_v WHERE n <= 2;
SELECT customer_mrr_agg(n2, month, mrr, '2024-01-01', '1 month', 2)::text FROM mrr_ids_ledger_v WHERE n <= 2;
-- mrr_summary() of a customer summary of text ids = mrr_agg
SELECT mrr_summary(customer_mrr_agg(cust, month, mrr, '2024-01-01', '1 month', 4))::text
	= mrr_agg(cust, month, mrr, '2024-01-01', '1 month', 4)::text AS final_same FROM mrr_ids_ledger_v;

-- 2. Subscriptions (customer, starts, ends, mrr), by hand, months Jan-Apr:
--	1: 100 from Jan 10, open          -> Jan..Apr 100
--	2: 20 Jan 5 - Mar 1 (ends on Mar 1: counts at the end of Feb) -> Jan, Feb
--	3: 30 Feb 20 - Feb 25 (within Feb: no month end)  -> none
--	3: 25 Mar 2 - (open)               -> Mar, Apr
-- movements: Jan 2 customers 120; Feb 2 (120); Mar 2 (125: 2 churned 20,
-- 3 new 25); Apr 2 (125)
CREATE TABLE mrr_ids_subs (n bigint, starts timestamptz, ends timestamptz, mrr float8);
INSERT INTO mrr_ids_subs VALUES (1, '2024-01-10', NULL, 100), (2, '2024-01-05', '2024-03-01', 20),
	(3, '2024-02-20', '2024-02-25', 30), (3, '2024-03-02', NULL, 25);
SELECT period, customers_end, ending_mrr, new_customers, new_mrr, churned_customers, churned_mrr
FROM mrr_movements((SELECT mrr_agg('cust-' || n, starts, ends, mrr, '2024-01-01', '1 month', 4) FROM mrr_ids_subs));
SELECT i2 = b AS smallint_same, i4 = b AS integer_same, t = b AS text_same, u = b AS uuid_same,
	uz = bz AS uuid_zone_same, text_summary
FROM (SELECT mrr_agg(n::smallint, starts, ends, mrr, '2024-01-01', '1 month', 4)::text AS i2,
		mrr_agg(n::integer, starts, ends, mrr, '2024-01-01', '1 month', 4)::text AS i4,
		mrr_agg('cust-' || n, starts, ends, mrr, '2024-01-01', '1 month', 4)::text AS t,
		mrr_agg(md5(n::text)::uuid, starts, ends, mrr, '2024-01-01', '1 month', 4)::text AS u,
		mrr_agg(md5(n::text)::uuid, starts, ends, mrr, '2024-01-01', '1 month', 4, 'Asia/Tokyo')::text AS uz,
		mrr_agg(n, starts, ends, mrr, '2024-01-01', '1 month', 4)::text AS b,
		mrr_agg(n, starts, ends, mrr, '2024-01-01', '1 month', 4, 'Asia/Tokyo')::text AS bz,
		customer_mrr_agg('cust-' || n, starts, ends, mrr, '2024-01-01', '1 month', 4)::text AS text_summary
	  FROM mrr_ids_subs) x;

-- 3. Exact distinct customers: 30,000 customers of ids sharing long
-- prefixes and one shape (md5 hex strings, 'cust-' || n, uuids), 3 rows
-- each, against count(DISTINCT) and sum() in plain SQL
CREATE TABLE mrr_ids_many AS
SELECT i % 30000 AS n, md5((i % 30000)::text) AS hex, 'cust-' || (i % 30000) AS cust,
	md5((i % 30000)::text)::uuid AS u,
	timestamptz '2024-01-01' + (i % 3) * interval '1 month' AS month, (i % 7) + 1 AS mrr
FROM generate_series(0, 89999) i;
SELECT count(DISTINCT hex) AS plain_customers, sum(mrr) AS plain_mrr FROM mrr_ids_many;
SELECT m.customers_end = p.c AS hex_customers, m.ending_mrr = p.s AS hex_mrr
FROM mrr_movements((SELECT mrr_agg(hex, month, mrr, '2024-01-01', '1 month', 3) FROM mrr_ids_many)) m,
	(SELECT count(DISTINCT hex) AS c, sum(mrr) AS s FROM mrr_ids_many WHERE month = '2024-03-01') p
WHERE m.period = 2;
SELECT (SELECT mrr_agg(hex, month, mrr, '2024-01-01', '1 month', 3)::text FROM mrr_ids_many) = b AS hex_same,
	(SELECT mrr_agg(cust, month, mrr, '2024-01-01', '1 month', 3)::text FROM mrr_ids_many) = b AS cust_same,
	(SELECT mrr_agg(u, month, mrr, '2024-01-01', '1 month', 3)::text FROM mrr_ids_many) = b AS uuid_same
FROM (SELECT mrr_agg(n, month, mrr, '2024-01-01', '1 month', 3)::text AS b FROM mrr_ids_many) x;

-- 4. Rollup of summaries built over different id sets (overlapping:
-- customers n < 20000 and n >= 10000, by month): the customers both hold add
-- up, as one aggregate over all rows gives
CREATE TABLE mrr_ids_parts AS
SELECT part, customer_mrr_agg(cust, month, mrr, '2024-01-01', '1 month', 3) AS s
FROM (SELECT *, 1 AS part FROM mrr_ids_many WHERE n < 20000
	  UNION ALL SELECT *, 2 FROM mrr_ids_many WHERE n >= 10000 AND month = '2024-02-01'
	  UNION ALL SELECT *, 3 FROM mrr_ids_many WHERE n >= 20000 AND month <> '2024-02-01') x
GROUP BY part;
SELECT rollup(s ORDER BY part)::text = (SELECT customer_mrr_agg(cust, month, mrr, '2024-01-01', '1 month', 3)::text
	FROM (SELECT * FROM mrr_ids_many WHERE n < 20000 UNION ALL
		  SELECT * FROM mrr_ids_many WHERE n >= 10000 AND month = '2024-02-01' UNION ALL
		  SELECT * FROM mrr_ids_many WHERE n >= 20000 AND month <> '2024-02-01') y) AS rollup_same,
	rollup(s ORDER BY part DESC)::text = rollup(s ORDER BY part)::text AS order_free
FROM mrr_ids_parts;
-- the moving-window inverse: parts 1-2 then 2-3
SELECT part, md5(r::text) = md5(e::text) AS window_same
FROM (SELECT part, rollup(s) OVER (ORDER BY part ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r FROM mrr_ids_parts) w
JOIN LATERAL (SELECT rollup(s) AS e FROM mrr_ids_parts p WHERE p.part BETWEEN w.part - 1 AND w.part) e ON true
ORDER BY part;
-- summaries of different kinds of ids do not merge (22023, both named)
SELECT rollup(s) FROM (SELECT customer_mrr_agg(1::bigint, '2024-01-01', 1, '2024-01-01', '1 month', 1)
	UNION ALL SELECT customer_mrr_agg('cust-1'::text, '2024-01-01', 1, '2024-01-01', '1 month', 1)) v(s);
SELECT rollup(s) FROM (SELECT customer_mrr_agg('cust-1'::text, '2024-01-01', 1, '2024-01-01', '1 month', 1)
	UNION ALL SELECT customer_mrr_agg(1::integer, '2024-01-01', 1, '2024-01-01', '1 month', 1)) v(s);
SELECT customer_mrr_summary_combine(customer_mrr_agg(md5('1')::uuid, '2024-01-01', 1, '2024-01-01', '1 month', 1),
	customer_mrr_agg('cust-1'::text, '2024-01-01', 1, '2024-01-01', '1 month', 1));

-- 5. Round trips of uuid and text summaries, text ids with quotes,
-- backslashes, control characters and unicode
CREATE TABLE mrr_ids_odd AS
SELECT customer_mrr_agg(c, '2024-01-15', m, '2024-01-01', '1 month', 1) AS s
FROM (VALUES ('say "hi"', 1.5), ('back\slash', 2), (E'tab\there', 3), ('café ☕', 4),
	('', 5), ('0031000000AbCdE', 6)) v(c, m);
-- (unaligned: psql's width of the emoji differs between versions)
\pset format unaligned
SELECT s::text FROM mrr_ids_odd;
\pset format aligned
SELECT s::text::customer_mrr_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('customer_mrr_summary', customer_mrr_summary_send(s)) = s::text AS binary_round_trip
FROM mrr_ids_odd;
SELECT s::text, s::text::customer_mrr_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('customer_mrr_summary', customer_mrr_summary_send(s)) = s::text AS binary_round_trip
FROM (SELECT customer_mrr_agg(u, month, mrr, '2024-01-01', '1 month', 2) AS s FROM mrr_ids_ledger_v WHERE n <= 2) x;
-- a stored summary of text ids reads back the same (flat form on disk)
CREATE TABLE mrr_ids_stored AS SELECT s FROM mrr_ids_odd;
SELECT (SELECT s::text FROM mrr_ids_stored) = (SELECT s::text FROM mrr_ids_odd) AS stored_same;

-- 6. Format 1 (1.2.0, integer ids) still reads, with the same results
SELECT s::text AS format_2, mrr_summary(s)::text = (SELECT mrr_agg(n, month, mrr, '2024-01-01', '1 month', 2)::text
	FROM mrr_ids_ledger WHERE n <= 2) AS same_movements
FROM (VALUES ('{"version":1,"period":"month","time_zone":"UTC","periods":2,"origin":648,"customers":[1,2],"mrr":[[10,10],[10,0]]}'::customer_mrr_summary)) v(s);
-- format 1 and 2 summaries of integer ids roll up together
SELECT rollup(s)::text FROM (VALUES
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[10]]}'::customer_mrr_summary),
	('{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1,2],"mrr":[[1],[2]]}')) v(s);

-- 7. Corrupt format 2 literals (the pgTAP file asserts their SQLSTATEs)
SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"text","customers":["b","a"],"mrr":[[1],[1]]}'::customer_mrr_summary;
SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"text","customers":["a","a"],"mrr":[[1],[1]]}'::customer_mrr_summary;
SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"email","customers":["a"],"mrr":[[1]]}'::customer_mrr_summary;
SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"uuid","customers":["not-a-uuid"],"mrr":[[1]]}'::customer_mrr_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"text","customers":["a"],"mrr":[[1]]}'::customer_mrr_summary;
