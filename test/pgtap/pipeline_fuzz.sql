-- Malformed and corrupt pipeline_summary input, generated: thousands of
-- random mutations of valid text literals and binary payloads must each
-- either be read (and then round-trip exactly and read consistently) or be
-- rejected with 22P02 (text) / 22P03 (binary).  Never another error, never a
-- crash.  The helpers are those of test/fuzz.sql.
BEGIN;
SELECT plan(8);
SELECT setseed(0.62);

\ir ../fuzz.sql

-- every accessor reads a value that was accepted; medians exist exactly when
-- there are deals to take them of; quantiles are ordered
CREATE TEMP TABLE consistency (expr text);
INSERT INTO consistency VALUES ($$(median_deal_size(v) IS NULL) = (won_deals(v) = 0)
	AND (median_sales_cycle(v) IS NULL) = (average_sales_cycle(v) IS NULL)
	AND deal_size_quantile(v, 1) >= coalesce(deal_size_quantile(v, 0), 0)
	AND sales_cycle_quantile(v, 1) >= coalesce(sales_cycle_quantile(v, 0), 0)
	AND open_pipeline(v) >= 0 AND weighted_pipeline(v) >= 0
	AND coalesce(win_rate(v), 0) BETWEEN 0 AND 1
	AND trials(win_proportion(v)) = won_deals(v) + lost_deals(v)
	AND (pipeline_velocity(v) IS NULL OR pipeline_velocity(v) >= 0)$$);

CREATE TEMP TABLE pipeline_text AS
SELECT * FROM pg_temp.fuzz_text_cases('pipeline_summary', ARRAY[
	'{"version":1,"open_deals":3,"open_amount":[4000.5,0],"weighted_amount":[2700.4500000000003,0],"won_deals":5,"won_amount":[6350.25,0],"lost_deals":2,"lost_amount":[1600,0],"cycle_deals":4,"cycle_days":[100,0],"deal_size_sketch":{"zeros":1,"buckets":[[231,1],[358,1],[381,1],[401,1]]},"cycle_sketch":{"zeros":1,"buckets":[[116,1],[171,1],[205,1]]}}',
	'{"version":1,"open_deals":10,"open_amount":[0.9999999999999999,1.6653345369377348e-16],"weighted_amount":[0.49999999999999994,8.326672684688674e-17],"won_deals":2,"won_amount":[7,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":1,"cycle_days":[1.5,0],"deal_size_sketch":{"zeros":0,"buckets":[[-3,1],[98,1]]},"cycle_sketch":{"zeros":0,"buckets":[[21,1]]}}'],
	'{}[],:" -0123456789e.', 1500, 2);
SELECT pg_temp.fuzz_checks('pipeline_text', '22P02', 15, 1000, 'pipeline text literals',
	'pipeline_summary', (SELECT expr FROM consistency));

CREATE TEMP TABLE pipeline_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('pipeline_summary', ARRAY[
	'{"version":1,"open_deals":3,"open_amount":[4000.5,0],"weighted_amount":[2700.4500000000003,0],"won_deals":5,"won_amount":[6350.25,0],"lost_deals":2,"lost_amount":[1600,0],"cycle_deals":4,"cycle_days":[100,0],"deal_size_sketch":{"zeros":1,"buckets":[[231,1],[358,1],[381,1],[401,1]]},"cycle_sketch":{"zeros":1,"buckets":[[116,1],[171,1],[205,1]]}}',
	'{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":1,"won_amount":[7,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[[98,1]]},"cycle_sketch":{"zeros":0,"buckets":[]}}'], 300);
SELECT pg_temp.fuzz_checks('pipeline_binary', '22P03', 20, 100, 'pipeline binary payloads',
	'pipeline_summary', (SELECT expr FROM consistency));

SELECT * FROM finish();
ROLLBACK;
