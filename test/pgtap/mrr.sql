-- MRR inputs of issue 13: the subscription form of mrr_agg and
-- customer_mrr_agg, rows before the origin, and the customer retention rate
-- with reactivations; SQLSTATEs of the new errors.  Expected values by hand
-- (see sql/mrr.sql for the worked ledgers).
BEGIN;
SELECT plan(55);
SET LOCAL TimeZone = 'UTC';

-- one subscription from 2024-01-20 to 2024-03-10: active at the end of
-- January and of February, not of March
SELECT is((SELECT customer_mrr_agg(1, timestamptz '2024-01-20', timestamptz '2024-03-10', 10, '2024-01-01', '1 month', 3)::text),
	'{"version":3,"period":"month","time_zone":"UTC","periods":3,"origin":648,"customers":[1],"mrr":[[10,10,0]]}',
	'subscription: the months at whose end it is active');
-- ends is exclusive: ending at 2024-02-01 00:00 it is active on 2024-01-31 23:59:59.999999
SELECT is((SELECT customer_mrr_agg(1, timestamptz '2024-01-20', timestamptz '2024-02-01', 10, '2024-01-01', '1 month', 2)::text),
	'{"version":3,"period":"month","time_zone":"UTC","periods":2,"origin":648,"customers":[1],"mrr":[[10,0]]}',
	'subscription ending at a period''s end counts in it');
-- open-ended, started before the origin: every period
SELECT is((SELECT customer_mrr_agg(1, timestamptz '2020-05-05', NULL, 7.5, '2024-01-01', '1 week', 3)::text),
	'{"version":3,"period":"week","time_zone":"UTC","periods":3,"origin":2818,"customers":[1],"mrr":[[7.5,7.5,7.5]]}',
	'open-ended subscription from before the origin: every period');
-- overlapping subscriptions of one customer add up: 10 + 5 in February
SELECT is((SELECT customer_mrr_agg(c, s, e, m, '2024-01-01', '1 month', 3)::text
	FROM (VALUES (1, timestamptz '2024-01-01', NULL::timestamptz, 10), (1, '2024-02-10', '2024-03-05', 5)) v(c, s, e, m)),
	'{"version":3,"period":"month","time_zone":"UTC","periods":3,"origin":648,"customers":[1],"mrr":[[10,15,10]]}',
	'overlapping subscriptions add up');
-- within one period: in none, so no customer
SELECT is((SELECT customer_mrr_agg(1, timestamptz '2024-01-05', timestamptz '2024-01-25', 10, '2024-01-01', '1 month', 2)::text),
	'{"version":3,"period":"month","time_zone":"UTC","periods":2,"origin":648,"customers":[],"mrr":[]}',
	'a subscription within one period counts in none');
-- rows before the origin: ignored
SELECT is((SELECT customer_mrr_agg(c, at, 10, '2024-01-01', '1 month', 1)::text
	FROM (VALUES (1, timestamptz '2023-12-31 23:59:59'), (2, '2024-01-01')) v(c, at)),
	'{"version":3,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[2],"mrr":[[10]]}',
	'snapshot rows before the origin are ignored');
-- retention with reactivations: customers 1, 2 in January; 1 only in
-- February; 1, 2, 3 in March (2 reactivated, 3 new): March's retention is
-- 1 of 1 = 1, not (3 - 1) / 1 = 2
SELECT is((SELECT customer_retention_rate(mrr_agg(c, at, 10, '2024-01-01', '1 month', 3), 2)
	FROM (VALUES (1, timestamptz '2024-01-05'), (2, '2024-01-06'), (1, '2024-02-01'),
				 (1, '2024-03-01'), (2, '2024-03-02'), (3, '2024-03-03')) v(c, at)),
	1::float8, 'a reactivation does not raise retention above 1');

-- errors
SELECT throws_ok($$SELECT mrr_agg(1, timestamptz '2024-03-01', timestamptz '2024-02-01', 10, '2024-01-01', '1 month', 4)$$,
	'22023', 'subscription ends at 2024-02-01 00:00:00+00 before it starts at 2024-03-01 00:00:00+00', 'ends before starts');
SELECT throws_ok($$SELECT mrr_agg(1, timestamptz '2024-03-01', NULL, -1, '2024-01-01', '1 month', 4)$$,
	'22003', NULL, 'negative subscription MRR');
SELECT throws_ok($$SELECT customer_mrr_agg(1, timestamptz '2024-03-01', NULL, 1, NULL, '1 month', 4)$$,
	'22004', NULL, 'NULL origin');
SELECT throws_ok($$SELECT mrr_agg(1, timestamptz '2024-03-01', NULL, 1, '2024-01-01', '30 days', 4)$$,
	'22023', NULL, 'not a calendar period');
SELECT throws_ok($$SELECT mrr_agg(1, timestamptz '2024-03-01', NULL, 1, '2024-01-01', '1 month', p)
	FROM generate_series(2, 3) p$$, '22023', 'MRR origin or period changed within one aggregate',
	'parameters changing within one aggregate');

-- ids of any type: corrupt format 2 literals (22P02) and payloads (22P03),
-- summaries of different kinds of ids merged (22023)
\ir ../binary_copy.sql
SELECT throws_ok($$SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"text","customers":["b","a"],"mrr":[[1],[1]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'text ids out of order');
SELECT throws_ok($$SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"text","customers":["a","a"],"mrr":[[1],[1]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'a text id twice');
SELECT throws_ok($$SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"uuid","customers":["c81e728d-9d4c-2f63-6f06-7f89cc14862c","c4ca4238-a0b9-2382-0dcc-509a6f75849b"],"mrr":[[1],[1]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'uuid ids out of order');
SELECT throws_ok($$SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"text","customers":["a","b"],"mrr":[[1]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'more text ids than rows');
SELECT throws_ok($$SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"email","customers":["a"],"mrr":[[1]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'an unknown kind of ids');
SELECT throws_ok($$SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"integer","customers":[1],"mrr":[[1]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'integer ids are written without "ids"');
SELECT throws_ok($$SELECT '{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"text","customers":[1],"mrr":[[1]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'a number among text ids');
-- the payload of ["a","b"]: text ids of one byte, 'a' (0x61) then 'b'
CREATE TEMP TABLE cm_payload AS SELECT customer_mrr_summary_send(
	'{"version":2,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"text","customers":["a","b"],"mrr":[[1],[2]]}') AS b;
SELECT is((SELECT pg_temp.load_binary('customer_mrr_summary', b) FROM cm_payload),
	'{"version":3,"period":"month","time_zone":"UTC","periods":1,"origin":648,"ids":"text","customers":["a","b"],"mrr":[[1],[2]]}',
	'a payload of text ids reads back');
SELECT throws_ok($$SELECT pg_temp.load_binary('customer_mrr_summary', set_byte(b, position('\x0000000161'::bytea IN b) + 3, 99)) FROM cm_payload$$,
	'22P03', NULL, 'payload ids out of order');
SELECT throws_ok($$SELECT pg_temp.load_binary('customer_mrr_summary', set_byte(b, position('\x0000000161'::bytea IN b) + 3, 98)) FROM cm_payload$$,
	'22P03', NULL, 'a payload id twice');
SELECT throws_ok($$SELECT pg_temp.load_binary('customer_mrr_summary', set_byte(b, position('\x0300000002'::bytea IN b) + 3, 1)) FROM cm_payload$$,
	'22P03', NULL, 'fewer payload ids than customers');
SELECT throws_ok($$SELECT pg_temp.load_binary('customer_mrr_summary', set_byte(b, position('\x0300000002'::bytea IN b) - 1, 2)) FROM cm_payload$$,
	'22P03', NULL, 'text ids read as uuids');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1)
	UNION ALL SELECT customer_mrr_agg(md5('1')::uuid, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1)) v(s)$$,
	'22023', 'cannot merge integer ids with uuid ids', 'integer and uuid summaries do not merge');
SELECT throws_ok($$SELECT customer_mrr_summary_uncombine(customer_mrr_agg('a'::text, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1),
	customer_mrr_agg(md5('1')::uuid, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1))$$,
	'22023', 'cannot merge text ids with uuid ids', 'text and uuid summaries do not merge');
SELECT throws_ok($$SELECT customer_mrr_summary_uncombine(customer_mrr_agg('a'::text, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1),
	customer_mrr_agg('b'::text, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1))$$,
	'22023', 'cannot remove a customer MRR summary that was not merged in', 'removing a text id never merged in');

-- ARR, ARPA, quick ratio, mrr_movement_table (issue 15); values in
-- sql/mrr_metrics.sql.  Periods out of range: 22023; an ARR past the
-- amounts' range: 22003
SELECT throws_ok($$SELECT arr(mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2), 2)$$,
	'22023', NULL, 'arr: period out of range');
SELECT throws_ok($$SELECT arpa(mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2), -1)$$,
	'22023', NULL, 'arpa: period out of range');
SELECT throws_ok($$SELECT quick_ratio(mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2), 2)$$,
	'22023', NULL, 'quick_ratio: period out of range');
SELECT throws_ok($$SELECT arr('{"version":1,"period":"month","periods":1,"origin":648,"customers":[1],"mrr":[900000000000000],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary, 0)$$,
	'22003', NULL, 'arr: 12 x MRR past the range of amounts');
-- ARR of an MRR just in range: 12 x 1e13 exactly, as numeric
SELECT is(arr('{"version":1,"period":"month","periods":1,"origin":648,"customers":[1],"mrr":[10000000000000.0001],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary, 0),
	120000000000000.0012, 'arr is exact numeric');
SELECT is((SELECT count(*) FROM mrr_movement_table((SELECT mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 3)))),
	10::bigint, 'mrr_movement_table: five rows per period from 1');

-- mrr_movements_by_plan (issue 15); values in sql/mrr_plan.sql
SELECT throws_ok($$SELECT * FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2))], ARRAY['a', 'b'])$$,
	'22023', NULL, 'by plan: one plan per summary');
SELECT throws_ok($$SELECT * FROM mrr_movements_by_plan(ARRAY[NULL, NULL]::customer_mrr_summary[], ARRAY['a', 'a'])$$,
	'22023', 'plan "a" appears twice in mrr_movements_by_plan', 'by plan: a plan twice');
SELECT throws_ok($$SELECT * FROM mrr_movements_by_plan(ARRAY[NULL]::customer_mrr_summary[], ARRAY[NULL]::text[])$$,
	'22004', NULL, 'by plan: a NULL plan');
SELECT throws_ok($$SELECT * FROM mrr_movements_by_plan(ARRAY[[NULL]]::customer_mrr_summary[], ARRAY[['a']])$$,
	'22023', NULL, 'by plan: two-dimensional arrays');
SELECT throws_ok($$SELECT * FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2)),
	(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 week', 2))], ARRAY['a', 'b'])$$,
	'22023', NULL, 'by plan: summaries of different periods');
SELECT throws_ok($$SELECT * FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2)),
	(SELECT customer_mrr_agg(md5('1')::uuid, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2))], ARRAY['a', 'b'])$$,
	'22023', NULL, 'by plan: summaries of integer and uuid ids');

SELECT throws_ok($$SELECT * FROM mrr_movements_by_plan(
	array_prepend((SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 day', 1024)),
				  array_fill(NULL::customer_mrr_summary, ARRAY[1024])),
	ARRAY(SELECT 'p' || i FROM generate_series(0, 1024) i))$$,
	'54000', NULL, 'by plan: (plans + 1) x periods past 2^20');


-- Currencies (issue 15): mixing two is 22023 naming both, wherever it happens
SELECT throws_ok($$SELECT mrr_agg(c, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', cur)
	FROM (VALUES (1, 'EUR'), (2, 'USD')) v(c, cur)$$,
	'22023', 'cannot merge MRR in EUR with MRR in USD', 'currency: two in one aggregate');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'EUR')
	UNION ALL SELECT customer_mrr_agg(2, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'USD')) v(s)$$,
	'22023', 'cannot merge MRR in EUR with MRR in USD', 'currency: rollup of customer MRR summaries');
SELECT throws_ok($$SELECT rollup(s) FROM (SELECT mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'USD')
	UNION ALL SELECT mrr_agg(2, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'EUR')) v(s)$$,
	'22023', 'cannot merge MRR in USD with MRR in EUR', 'currency: rollup of MRR summaries');
SELECT throws_ok($$SELECT mrr_summary_uncombine(mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'USD'),
	mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'EUR'))$$,
	'22023', 'cannot merge MRR in USD with MRR in EUR', 'currency: removing a summary in another currency');
SELECT throws_ok($$SELECT * FROM mrr_movements_by_plan(ARRAY[(SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2, 'UTC', 'EUR')),
	(SELECT customer_mrr_agg(2, timestamptz '2024-01-01', 10, '2024-01-01', '1 month', 2, 'UTC', 'GBP'))], ARRAY['a', 'b'])$$,
	'22023', 'cannot merge MRR in EUR with MRR in GBP', 'currency: by plan');
SELECT throws_ok($$SELECT customer_mrr_agg(c, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', cur)
	FROM (VALUES ('a', 'EUR'), ('b', 'EUR'), ('c', 'CHF')) v(c, cur)$$,
	'22023', 'cannot merge MRR in EUR with MRR in CHF', 'currency: two in one aggregate over text ids');
SELECT throws_ok($$SELECT mrr_agg(md5(c::text)::uuid, timestamptz '2024-01-01', NULL, m, '2024-01-01', '1 month', 1, 'UTC', cur)
	FROM (VALUES (1, 1.5, 'JPY'), (2, 2.5, 'USD')) v(c, m, cur)$$,
	'22023', 'cannot merge MRR in JPY with MRR in USD', 'currency: two in one aggregate over uuid subscriptions');
SELECT is((SELECT currency(rollup(s)) FROM (SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1)
	UNION ALL SELECT customer_mrr_agg(2, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'EUR')) v(s)),
	'EUR', 'currency: an unspecified summary takes the other''s');
SELECT throws_ok($$SELECT mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'Eur')$$,
	'22023', 'invalid currency code "Eur"', 'currency: three uppercase letters');
SELECT throws_ok($$SELECT customer_mrr_agg('a'::text, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', NULL::text)$$,
	'22004', NULL, 'currency: NULL on a counted row');
SELECT throws_ok($$SELECT customer_mrr_agg(1, timestamptz '2024-01-01', 1e14 + 1, '2024-01-01', '1 month', 1, 'UTC', 'EUR')$$,
	'22003', NULL, 'currency: numeric MRR out of range');
SELECT throws_ok($$SELECT '{"version":3,"period":"month","time_zone":"UTC","currency":"E1R","periods":1,"origin":648,"customers":[1],"mrr":[[2]]}'::customer_mrr_summary$$,
	'22P02', NULL, 'currency: malformed in a customer MRR literal');
SELECT throws_ok($$SELECT '{"version":3,"period":"month","time_zone":"UTC","currency":"","periods":1,"origin":648,"customers":[1],"mrr":[1],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary$$,
	'22P02', NULL, 'currency: empty in an MRR literal');
CREATE TEMP TABLE cur_payload AS
SELECT customer_mrr_summary_send(customer_mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'EUR')) AS c,
	mrr_summary_send(mrr_agg(1, timestamptz '2024-01-01', 1, '2024-01-01', '1 month', 1, 'UTC', 'EUR')) AS m;
SELECT throws_ok($$SELECT pg_temp.load_binary('customer_mrr_summary', set_byte(c, position('\x455552'::bytea IN c) - 1, 101)) FROM cur_payload$$,
	'22P03', NULL, 'currency: lowercase in a customer MRR payload');
SELECT throws_ok($$SELECT pg_temp.load_binary('mrr_summary', set_byte(m, position('\x455552'::bytea IN m) - 2, 2)) FROM cur_payload$$,
	'22P03', NULL, 'currency: a length of 2 in an MRR payload');

SELECT * FROM finish();
ROLLBACK;
