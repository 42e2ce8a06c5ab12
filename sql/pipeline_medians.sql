--
-- Medians and quantiles of deal size and sales cycle (doc/pipeline.md,
-- "Medians and quantiles"): a pipeline_summary keeps the exact values of up
-- to 10,000 won deals per distribution, and then its results are those of
-- percentile_cont, to the bit; past that, or merged past it, the 1 % sketch
-- alone.  deal_size_is_exact and sales_cycle_is_exact say which.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- 1. Three won deals of 2,000, 4,000 and 9,000 (the sketch said 3,984.74):
-- median 4,000; cycles of 30, 30 and 45 days: median 30 (the sketch said
-- 30.27); quantile 0.75 of the sizes at rank 1.5: 4000 + 0.5 * 5000 = 6500
SELECT median_deal_size(s), deal_size_quantile(s, 0.75) AS q75, median_sales_cycle(s),
	deal_size_is_exact(s) AS size_exact, sales_cycle_is_exact(s) AS cycle_exact
FROM (SELECT pipeline_agg(a, NULL, date '2025-01-01', date '2025-01-01' + d, 'won') AS s
	FROM (VALUES (2000, 30), (4000, 30), (9000, 45)) v(a, d)) x;
-- extremes: 0, the smallest subnormal and the largest double, as
-- percentile_cont interpolates them
SELECT q, deal_size_quantile(s, q) = exact AS equal
FROM (SELECT pipeline_agg(a, NULL, now(), NULL, 'won') AS s FROM (VALUES (0::float8), (5e-324),
		(1.7976931348623157e308)) v(a)) x,
	unnest('{0,0.25,0.5,0.75,1}'::float8[]) q,
	LATERAL (SELECT percentile_cont(q) WITHIN GROUP (ORDER BY a) AS exact
		FROM (VALUES (0::float8), (5e-324), (1.7976931348623157e308)) v(a)) e
ORDER BY q;
-- an empty summary is exact, with no median
SELECT median_deal_size(s), deal_size_is_exact(s), sales_cycle_is_exact(s)
FROM (SELECT pipeline_agg(1, NULL, now(), NULL, 'won') FILTER (WHERE false) AS s) x;

-- 2. Equal to percentile_cont, bit for bit, at every fraction: 3,000 won
-- deals with amounts in cents (as numeric, converted to the nearest double
-- as float8 would be), cycles in timestamps (days = microseconds /
-- 86,400,000,000, the correctly rounded quotient in both) and in dates
SELECT setseed(0.77);
CREATE TABLE pm_deals AS
SELECT i, round((10 + 90000 * random() ^ 2)::numeric, 2) AS amount,
	timestamptz '2025-01-01' + i * interval '17 minutes' AS created_at,
	timestamptz '2025-01-01' + i * interval '17 minutes' + random() * interval '150 days' AS closed_at,
	date '2025-01-01' + i % 90 AS created_on,
	date '2025-01-01' + i % 90 + floor(random() * 120)::int AS closed_on
FROM generate_series(1, 3000) i;
CREATE TABLE pm_summaries AS
SELECT pipeline_agg(amount, NULL, created_at, closed_at, 'won') AS s,
	pipeline_agg(amount, NULL, created_on, closed_on, 'won') AS d
FROM pm_deals;
SELECT bool_and(deal_size_quantile(s, q) = size) AS sizes,
	bool_and(sales_cycle_quantile(s, q) = cycle) AS cycles,
	bool_and(sales_cycle_quantile(d, q) = cycle_days) AS cycle_dates,
	bool_and(deal_size_is_exact(s) AND sales_cycle_is_exact(s) AND sales_cycle_is_exact(d)) AS exact
FROM pm_summaries,
	unnest('{0,0.01,0.1,0.25,0.3333333333333333,0.5,0.6,0.75,0.9,0.99,1}'::float8[]) q,
	LATERAL (SELECT percentile_cont(q) WITHIN GROUP (ORDER BY amount::float8) AS size,
		percentile_cont(q) WITHIN GROUP (ORDER BY
			(extract(epoch FROM closed_at - created_at) * 1000000)::bigint::float8 / 86400000000) AS cycle,
		percentile_cont(q) WITHIN GROUP (ORDER BY (closed_on - created_on)::float8) AS cycle_days
		FROM pm_deals) e;
SELECT median_deal_size(s) = (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount::float8) FROM pm_deals)
	AS median FROM pm_summaries;

-- 3. The bound: 10,000 values are kept, the 10,001st drops them (the sketch
-- alone, within 1 %); a merge keeps them while the two add up to at most
-- 10,000, whatever the order of merging
CREATE TABLE pm_many AS
SELECT i, (i * 7919 % 10007)::float8 AS amount FROM generate_series(1, 10001) i;
SELECT n, deal_size_is_exact(s) AS exact, sales_cycle_is_exact(s) AS cycle_exact,
	median_deal_size(s) = exact_median AS equal,
	abs(median_deal_size(s) / exact_median - 1) <= 0.01 AS within_1_percent
FROM (VALUES (9999), (10000), (10001)) n(n),
	LATERAL (SELECT pipeline_agg(amount, NULL, date '2025-01-01', NULL, 'won') AS s,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS exact_median
		FROM pm_many WHERE i <= n) x
ORDER BY n;
CREATE TABLE pm_parts AS
SELECT i % 4 AS part, pipeline_agg(amount, NULL, date '2025-01-01', date '2025-01-02', 'won') AS s
FROM pm_many WHERE i <= 10000 GROUP BY 1;
-- 4 x 2,500 values: exact, and the same bytes as one aggregate of them all
SELECT deal_size_is_exact(r) AS exact,
	r::text = (SELECT pipeline_agg(amount, NULL, date '2025-01-01', date '2025-01-02', 'won')::text
		FROM pm_many WHERE i <= 10000) AS same_as_one_aggregate
FROM (SELECT rollup(s ORDER BY part DESC) AS r FROM pm_parts) x;
-- one more value makes it a sketch, in either order of merging
SELECT deal_size_is_exact(rollup(s)) AS exact, sales_cycle_is_exact(rollup(s)) AS cycle_exact,
	rollup(s ORDER BY k)::text = rollup(s ORDER BY -k)::text AS same_either_order
FROM (SELECT 1 AS k, s FROM pm_parts
	UNION ALL SELECT 2, pipeline_agg(1, NULL, date '2025-01-01', NULL, 'won')) x;
-- the rollup's sketch is that of one aggregate over the 10,001 deals
SELECT (SELECT rollup(s)::text FROM (SELECT s FROM pm_parts
		UNION ALL SELECT pipeline_agg(amount, NULL, date '2025-01-01', date '2025-01-02', 'won')
		FROM pm_many WHERE i = 10001) x)
	= (SELECT pipeline_agg(amount, NULL, date '2025-01-01', date '2025-01-02', 'won')::text
		FROM pm_many) AS same_sketch;

-- 4. Forced-parallel plans keep exact values (workers' partial states are
-- unsorted; the final value is sorted) and give the serial result
\i test/parallel.sql
CREATE TEMP TABLE pm_serial AS
SELECT pipeline_agg(amount, NULL, created_at, closed_at, 'won')::text AS s FROM pm_deals;
SELECT pg_temp.force_parallel() AS forced;
SELECT pg_temp.plan_shape($$SELECT pipeline_agg(amount, NULL, created_at, closed_at, 'won') FROM pm_deals$$);
SELECT p.s::text = pm_serial.s AS same_as_serial, deal_size_is_exact(p.s) AS exact,
	median_deal_size(p.s) = (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount::float8) FROM pm_deals)
		AS median
FROM (SELECT pipeline_agg(amount, NULL, created_at, closed_at, 'won') AS s FROM pm_deals) p, pm_serial;
SELECT pipeline_agg(amount, NULL, created_at, closed_at, 'won')::text AS no_rows FROM pm_deals WHERE i < 0;
RESET ALL;
SET TimeZone = 'UTC';

-- 5. Text and binary forms: format 4 writes the exact values in increasing
-- order ("deal_sizes", "cycle_lengths"), or the sketch when there are none
SELECT pipeline_agg(a, NULL, date '2025-01-01', date '2025-01-01' + d, 'won')::text AS s
FROM (VALUES (9000, 45), (2000, 30), (4000, 30), (0, 0)) v(a, d);
-- values in any order read, sorted; each value fills its sketch bucket
SELECT '{"version":4,"amounts":"double","open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":3,"won_amount":[6.5],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[4,0,2.5],"cycle_lengths":[]}'::pipeline_summary::text;
\i test/binary_copy.sql
SELECT s::text::pipeline_summary::text = s::text AS text_round_trip FROM pm_summaries;
SELECT pg_temp.load_binary('pipeline_summary', pipeline_summary_send(s)) = s::text AS binary_round_trip,
	pipeline_summary_send(s::text::pipeline_summary) = pipeline_summary_send(s) AS same_binary
FROM pm_summaries;
-- the sketch form of a distribution with values: what formats 1 to 3 read as
SELECT deal_size_is_exact(s), round(median_deal_size(s)::numeric, 9) AS median, s::text
FROM (SELECT '{"version":4,"amounts":"double","open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":1,"won_amount":[5],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[[81,1]]},"cycle_lengths":[]}'::pipeline_summary AS s) x;

-- 6. Malformed and inconsistent values are rejected
-- fewer values than won deals
SELECT '{"version":4,"amounts":"double","open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":2,"won_amount":[5],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[5],"cycle_lengths":[]}'::pipeline_summary;
-- a negative value, and -0
SELECT '{"version":4,"amounts":"double","open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":1,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[-1],"cycle_lengths":[]}'::pipeline_summary;
SELECT '{"version":4,"amounts":"double","open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":1,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[-0],"cycle_lengths":[]}'::pipeline_summary;
-- an empty distribution as a sketch (an empty one is exact)
SELECT '{"version":4,"amounts":"none","open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[],"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
-- format 3 had no exact values
SELECT '{"version":3,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":1,"won_amount":[5],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[5],"cycle_lengths":[]}'::pipeline_summary;
-- more than 10,000 values
SELECT ('{"version":4,"amounts":"double","open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":10001,"won_amount":[10001],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":['
	|| array_to_string(array_fill(1, ARRAY[10001]), ',') || '],"cycle_lengths":[]}')::pipeline_summary;
-- binary: a distribution marked 2; 10,001 values; a NaN value
SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(-2::int2) || int8send(0) || int8send(1) || int8send(0)
	|| int8send(0) || int8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(5) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x02'::bytea || int4send(1) || float8send(5)
	|| '\x01'::bytea || int4send(0));
SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(-2::int2) || int8send(0) || int8send(10001) || int8send(0)
	|| int8send(0) || int8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(10001) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x01'::bytea || int4send(10001)
	|| decode(repeat(encode(float8send(1), 'hex'), 10001), 'hex') || '\x01'::bytea || int4send(0));
SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(-2::int2) || int8send(0) || int8send(1) || int8send(0)
	|| int8send(0) || int8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(5) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x01'::bytea || int4send(1) || float8send('NaN')
	|| '\x01'::bytea || int4send(0));
-- the same payload with the value 5 reads
SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(-2::int2) || int8send(0) || int8send(1) || int8send(0)
	|| int8send(0) || int8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(5) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x01'::bytea || int4send(1) || float8send(5)
	|| '\x01'::bytea || int4send(0));
