-- Malformed and corrupt pipeline_summary input, generated: thousands of
-- random mutations of valid text literals and binary payloads must each
-- either be read (and then round-trip exactly and read consistently) or be
-- rejected with 22P02 (text) / 22P03 (binary).  Never another error, never a
-- crash.  The helpers are those of test/fuzz.sql.
BEGIN;
SELECT plan(12);
SELECT setseed(0.62);

\ir ../fuzz.sql

-- every accessor reads a value that was accepted; medians exist exactly when
-- there are deals to take them of; quantiles are ordered.  Velocity may be
-- 22003 past float8 (a mutated cycle of 1e-300 days): it is read with the
-- boundary values below, where 22003 is allowed.
CREATE TEMP TABLE consistency (expr text);
INSERT INTO consistency VALUES ($$(median_deal_size(v) IS NULL) = (won_deals(v) = 0)
	AND (median_sales_cycle(v) IS NULL) = (average_sales_cycle(v) IS NULL)
	AND deal_size_quantile(v, 1) >= coalesce(deal_size_quantile(v, 0), 0)
	AND sales_cycle_quantile(v, 1) >= coalesce(sales_cycle_quantile(v, 0), 0)
	AND (NOT deal_size_is_exact(v) OR won_deals(v) <= 10000)
	AND (NOT sales_cycle_is_exact(v) OR median_sales_cycle(v) IS NULL
		OR median_sales_cycle(v) BETWEEN sales_cycle_quantile(v, 0) AND sales_cycle_quantile(v, 1))
	AND open_pipeline_float8(v) >= 0 AND weighted_pipeline(v) >= 0
	AND coalesce(win_rate(v), 0) BETWEEN 0 AND 1
	AND trials(win_proportion(v)) = won_deals(v) + lost_deals(v)$$);

CREATE TEMP TABLE pipeline_text AS
SELECT * FROM pg_temp.fuzz_text_cases('pipeline_summary', ARRAY[
	'{"version":4,"amounts":"numeric","amount_scale":2,"open_deals":1,"open_amount":[4000.5],"weighted_amount":[2700.4500000000003],"won_deals":2,"won_amount":[1250.35],"lost_deals":0,"lost_amount":[0],"cycle_deals":1,"cycle_days":[30],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[0.1,1250.25],"cycle_lengths":[30]}',
	'{"version":4,"amounts":"double","open_deals":1,"open_amount":[4000.5],"weighted_amount":[2700.4500000000003],"won_deals":3,"won_amount":[6350.25],"lost_deals":2,"lost_amount":[1600],"cycle_deals":2,"cycle_days":[100],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[0,1250.25,5100],"cycle_lengths":[0,100]}',
	'{"version":2,"open_deals":2,"open_amount":[0.30000000000000004,-2.7755575615628914e-17],"weighted_amount":[0.15],"won_deals":1,"won_amount":[1234.5,1e-300],"lost_deals":0,"lost_amount":[0],"cycle_deals":1,"cycle_days":[2.5],"deal_size_sketch":{"zeros":0,"buckets":[[357,1]]},"cycle_sketch":{"zeros":0,"buckets":[[46,1]]}}',
	'{"version":1,"open_deals":3,"open_amount":[4000.5,0],"weighted_amount":[2700.4500000000003,0],"won_deals":5,"won_amount":[6350.25,0],"lost_deals":2,"lost_amount":[1600,0],"cycle_deals":4,"cycle_days":[100,0],"deal_size_sketch":{"zeros":1,"buckets":[[231,1],[358,1],[381,1],[401,1]]},"cycle_sketch":{"zeros":1,"buckets":[[116,1],[171,1],[205,1]]}}',
	'{"version":1,"open_deals":10,"open_amount":[0.9999999999999999,1.6653345369377348e-16],"weighted_amount":[0.49999999999999994,8.326672684688674e-17],"won_deals":2,"won_amount":[7,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":1,"cycle_days":[1.5,0],"deal_size_sketch":{"zeros":0,"buckets":[[-3,1],[98,1]]},"cycle_sketch":{"zeros":0,"buckets":[[21,1]]}}'],
	'{}[],:" -0123456789e.', 1500, 2);
SELECT pg_temp.fuzz_checks('pipeline_text', '22P02', 15, 1000, 'pipeline text literals',
	'pipeline_summary', (SELECT expr FROM consistency));

CREATE TEMP TABLE pipeline_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('pipeline_summary', ARRAY[
	'{"version":4,"amounts":"numeric","amount_scale":2,"open_deals":1,"open_amount":[4000.5],"weighted_amount":[2700.4500000000003],"won_deals":2,"won_amount":[1250.35],"lost_deals":0,"lost_amount":[0],"cycle_deals":1,"cycle_days":[30],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[0.1,1250.25],"cycle_lengths":[30]}',
	'{"version":4,"amounts":"double","open_deals":1,"open_amount":[4000.5],"weighted_amount":[2700.4500000000003],"won_deals":3,"won_amount":[6350.25],"lost_deals":2,"lost_amount":[1600],"cycle_deals":2,"cycle_days":[100],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[0,1250.25,5100],"cycle_lengths":[0,100]}',
	'{"version":2,"open_deals":2,"open_amount":[0.30000000000000004,-2.7755575615628914e-17],"weighted_amount":[0.15],"won_deals":1,"won_amount":[1234.5,1e-300],"lost_deals":0,"lost_amount":[0],"cycle_deals":1,"cycle_days":[2.5],"deal_size_sketch":{"zeros":0,"buckets":[[357,1]]},"cycle_sketch":{"zeros":0,"buckets":[[46,1]]}}',
	'{"version":1,"open_deals":3,"open_amount":[4000.5,0],"weighted_amount":[2700.4500000000003,0],"won_deals":5,"won_amount":[6350.25,0],"lost_deals":2,"lost_amount":[1600,0],"cycle_deals":4,"cycle_days":[100,0],"deal_size_sketch":{"zeros":1,"buckets":[[231,1],[358,1],[381,1],[401,1]]},"cycle_sketch":{"zeros":1,"buckets":[[116,1],[171,1],[205,1]]}}',
	'{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":1,"won_amount":[7,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[[98,1]]},"cycle_sketch":{"zeros":0,"buckets":[]}}'], 300);
SELECT pg_temp.fuzz_checks('pipeline_binary', '22P03', 20, 100, 'pipeline binary payloads',
	'pipeline_summary', (SELECT expr FROM consistency));

-- Boundary values (issue 10): summaries built from bigint and double
-- extremes (counts 2^31, 2^54 + 4, 2^63 - 1; sums up to DBL_MAX, denormals;
-- the extreme sketch keys).  Every accessor of an accepted value answers or
-- fails with 22003; every producer applied to it (pipeline_summary_accum and its
-- variants with open, won and lost deals, pipeline_summary_combine) returns a value
-- that reads back exactly, or fails with 22003.
CREATE TEMP TABLE bounds AS
WITH c(v) AS (VALUES (0::bigint), (1), (2), (2147483647), (2147483648), (18014398509481987),
		(18014398509481988), (4611686018427387904), (9223372036854775806), (9223372036854775807)),
	f(v) AS (VALUES ('0'), ('5e-324'), ('2.2250738585072014e-308'), ('1'), ('7.3'), ('1e300'),
		('1.7976931348623157e308')),
	k(v) AS (VALUES (-40000), (-37220), (0), (100), (35500), (40000))
SELECT format('{"version":1,"open_deals":%s,"open_amount":[%s,0],"weighted_amount":[%s,0],"won_deals":%s,"won_amount":[%s,0],"lost_deals":%s,"lost_amount":[%s,0],"cycle_deals":%s,"cycle_days":[%s,0],"deal_size_sketch":{"zeros":%s,"buckets":[[%s,%s]]},"cycle_sketch":{"zeros":0,"buckets":[[%s,%s]]}}',
		o, oa, wa, w, a, l, la, cy, cd, w - b, k1, b, k2, cy) AS lit
FROM (SELECT (SELECT v FROM c ORDER BY random() + 0 * i LIMIT 1) AS o,
		(SELECT v FROM c WHERE v > 0 ORDER BY random() + 0 * i LIMIT 1) AS w,
		(SELECT v FROM c ORDER BY random() + 0 * i LIMIT 1) AS l,
		(SELECT v FROM f ORDER BY random() + 0 * i LIMIT 1) AS oa,
		(SELECT v FROM f ORDER BY random() + 0 * i LIMIT 1) AS wa,
		(SELECT v FROM f ORDER BY random() + 0 * i LIMIT 1) AS a,
		(SELECT v FROM f ORDER BY random() + 0 * i LIMIT 1) AS la,
		(SELECT v FROM f ORDER BY random() + 0 * i LIMIT 1) AS cd,
		(SELECT v FROM k ORDER BY random() + 0 * i LIMIT 1) AS k1,
		(SELECT v FROM k ORDER BY random() + 0 * i LIMIT 1) AS k2, random() AS r, i
	  FROM generate_series(1, 600) i) x,
	LATERAL (SELECT greatest(1, (x.w * x.r)::bigint) AS b, least(x.w, (SELECT v FROM c WHERE v > 0 ORDER BY random() + 0 * x.i LIMIT 1)) AS cy) y;
CREATE TEMP TABLE bound_values AS
SELECT r.value FROM bounds, LATERAL pg_temp.try_read(format('SELECT %L::pipeline_summary::text', lit)) r
WHERE r.outcome = 'ok';
SELECT ok((SELECT count(*) FROM bound_values) > 50, 'boundary summaries are read');
CREATE TEMP TABLE bound_reads AS
SELECT q, r.outcome, r.value
FROM bound_values b, unnest(ARRAY['won_deals(v) + lost_deals(v) + open_deals(v)', 'win_rate(v)',
		'win_rate_ci(v, 0.999)', 'win_proportion(v)', 'average_deal_size(v)', 'median_deal_size(v)',
		'open_pipeline(v)', 'weighted_pipeline(v)', 'won_amount(v)', 'lost_amount(v)',
		'deal_size_quantile(v, 0)', 'deal_size_quantile(v, 5e-324)', 'deal_size_quantile(v, 0.5)',
		'deal_size_quantile(v, 0.9999999999999999)', 'deal_size_quantile(v, 1)',
		'average_sales_cycle(v)', 'median_sales_cycle(v)', 'sales_cycle_quantile(v, 1)',
		'pipeline_velocity(v)', 'pipeline_coverage(v, 5e-324)', 'pipeline_coverage(v, 1, true)']) q,
	LATERAL pg_temp.try_read(format('SELECT (%s)::text FROM (SELECT %L::pipeline_summary AS v) x', q, b.value)) r;
SELECT is_empty($$SELECT q, outcome, value FROM bound_reads WHERE outcome NOT IN ('ok', '22003')
	OR value IN ('Infinity', '-Infinity', 'NaN')$$,
	'accessors of boundary summaries answer (finite) or fail with 22003');
CREATE TEMP TABLE bound_produced AS
SELECT q, r.outcome, r.value
FROM bound_values b, unnest(ARRAY[
		$q$pipeline_summary_accum(v, 1, 0.5, now(), NULL, 'open')$q$,
		$q$pipeline_summary_accum(v, 1e300, 1, now(), now(), 'won')$q$,
		$q$pipeline_summary_accum(v, 0, 1, now(), now(), 'won')$q$,
		$q$pipeline_summary_accum_date(v, 7.3, NULL, date '2000-01-01', date '2000-02-01', 'won')$q$,
		$q$pipeline_summary_accum_numeric(v, 1e300::numeric, NULL, now(), NULL, 'lost')$q$,
		$q$pipeline_summary_combine(v, v)$q$]) q,
	LATERAL pg_temp.try_read(format('SELECT (%s)::text FROM (SELECT %L::pipeline_summary AS v) x', q, b.value)) r;
SELECT is_empty($$SELECT q, outcome, value FROM bound_produced WHERE outcome NOT IN ('ok', '22003')$$,
	'producers on boundary summaries return a value or fail with 22003');
SELECT is_empty($$SELECT q, value FROM bound_produced p
	WHERE outcome = 'ok' AND (pg_temp.try_read(format('SELECT %L::pipeline_summary::text', value))).value
		IS DISTINCT FROM value$$,
	'every value the producers return reads back exactly');

SELECT * FROM finish();
ROLLBACK;
