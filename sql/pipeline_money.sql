--
-- Money as numeric (doc/pipeline.md, "Money accessors"): open_pipeline,
-- weighted_pipeline, won_amount, lost_amount,
-- open_pipeline_without_probability and average_deal_size return numeric.
-- Over numeric amounts the sums are the exact decimal sums, in the amounts'
-- largest number of decimals (sum() is the independent reference), the
-- weighted pipeline is rounded to them, and average_deal_size is
-- won_amount / won_deals as avg() divides; over double amounts they are the
-- doubles the *_float8 accessors of 1.2.0 return, written out.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- 1. 0.10 + 0.20 is 0.30 in numeric; its doubles add up to
-- 0.30000000000000004, which the double accessor returns
SELECT won_amount(s), won_amount_float8(s), pg_typeof(won_amount(s)) AS type,
	s::text::jsonb->'amount_scale' AS amount_scale
FROM (SELECT pipeline_agg(a, NULL, date '2025-01-01', NULL, 'won') AS s
	FROM (VALUES (0.10::numeric), (0.20)) v(a)) x;

-- 2. Equal to sum() and avg() over 30,000 deals in cents, per outcome,
-- including the open deals without a probability
SELECT setseed(0.31);
CREATE TABLE pn_deals AS
SELECT i, round((random() * 100000)::numeric, 2) AS amount,
	(ARRAY['open', 'won', 'lost'])[1 + i % 3] AS outcome,
	CASE WHEN i % 7 = 0 THEN NULL ELSE (ARRAY[0.25, 0.5, 0.75])[1 + i % 3]::float8 END AS probability
FROM generate_series(1, 30000) i;
SELECT open_pipeline(s) = (SELECT sum(amount) FROM pn_deals WHERE outcome = 'open') AS open,
	won_amount(s) = (SELECT sum(amount) FROM pn_deals WHERE outcome = 'won') AS won,
	lost_amount(s) = (SELECT sum(amount) FROM pn_deals WHERE outcome = 'lost') AS lost,
	open_pipeline_without_probability(s)
		= (SELECT sum(amount) FROM pn_deals WHERE outcome = 'open' AND probability IS NULL) AS without_probability,
	average_deal_size(s) = (SELECT avg(amount) FROM pn_deals WHERE outcome = 'won') AS average,
	-- the weighted sum, of double products, rounded to cents: within half a
	-- cent of the exact decimal one
	abs(weighted_pipeline(s) - (SELECT sum(amount * probability::numeric)
		FROM pn_deals WHERE outcome = 'open')) <= 0.005 AS weighted,
	scale(weighted_pipeline(s)) AS weighted_scale
FROM (SELECT pipeline_agg(amount, probability, date '2025-01-01', NULL, outcome) AS s FROM pn_deals) x;
-- the same from a rollup of 100 partial summaries, and in a forced-parallel plan
\i test/parallel.sql
CREATE TEMP TABLE pn_serial AS
SELECT pipeline_agg(amount, probability, date '2025-01-01', NULL, outcome)::text AS s FROM pn_deals;
SELECT r::text = pn_serial.s AS rollup_same, won_amount(r) = (SELECT sum(amount) FROM pn_deals WHERE outcome = 'won')
	AS rollup_won
FROM (SELECT rollup(s) AS r FROM (SELECT pipeline_agg(amount, probability, date '2025-01-01', NULL, outcome) AS s
	FROM pn_deals GROUP BY i % 100) p) x, pn_serial;
SELECT pg_temp.force_parallel() AS forced;
SELECT pg_temp.plan_shape($$SELECT pipeline_agg(amount, probability, date '2025-01-01', NULL, outcome) FROM pn_deals$$);
SELECT p.s::text = pn_serial.s AS same_as_serial,
	won_amount(p.s) = (SELECT sum(amount) FROM pn_deals WHERE outcome = 'won') AS won
FROM (SELECT pipeline_agg(amount, probability, date '2025-01-01', NULL, outcome) AS s FROM pn_deals) p, pn_serial;
SELECT pipeline_agg(amount, probability, date '2025-01-01', NULL, outcome)::text AS no_rows
FROM pn_deals WHERE i < 0;
RESET ALL;
SET TimeZone = 'UTC';

-- 3. Scales: the largest number of decimals of the amounts (1.5 + 2.25 =
-- 3.75); a rollup takes the larger; 0 decimals give integers; double
-- amounts anywhere make the sums doubles; more than 18 decimals count as
-- double amounts
SELECT won_amount(pipeline_agg(a, NULL, now(), NULL, 'won')) AS mixed
FROM (VALUES (1.5::numeric), (2.25)) v(a);
SELECT won_amount(r) AS rolled_up, r::text::jsonb->'amount_scale' AS amount_scale
FROM (SELECT rollup(s) AS r FROM (VALUES ((SELECT pipeline_agg(1.5::numeric, NULL, now(), NULL, 'won'))),
	((SELECT pipeline_agg(2.125::numeric, NULL, now(), NULL, 'won')))) v(s)) x;
SELECT won_amount(pipeline_agg(a, NULL, now(), NULL, 'won')) AS integers
FROM (VALUES (100::numeric), (250)) v(a);
SELECT won_amount(rollup(s)) AS with_double, rollup(s)::text::jsonb->'amounts' AS amounts
FROM (VALUES ((SELECT pipeline_agg(0.1::numeric, NULL, now(), NULL, 'won'))),
	((SELECT pipeline_agg(0.2::float8, NULL, now(), NULL, 'won')))) v(s);
SELECT won_amount(s), s::text::jsonb->'amounts' AS amounts
FROM (SELECT pipeline_agg(round(1.5, 20), NULL, now(), NULL, 'won') AS s) x;
-- an empty summary: 0, and no average
SELECT won_amount(s), average_deal_size(s), s::text::jsonb->'amounts' AS amounts
FROM (SELECT pipeline_agg(1::numeric, NULL, now(), NULL, 'won') FILTER (WHERE false) AS s) x;

-- 4. Exact below 2^51 units of the last decimal (22,517,998,136,852.47 at 2
-- decimals), an error past it; the double accessor still answers
SELECT won_amount(pipeline_agg(a, NULL, now(), NULL, 'won')) AS just_below
FROM (VALUES (11258999068426.23::numeric), (11258999068426.24)) v(a);
SELECT won_amount(pipeline_agg(a, NULL, now(), NULL, 'won')) AS past
FROM (VALUES (11258999068426.24::numeric), (11258999068426.24)) v(a);
SELECT won_amount_float8(pipeline_agg(a, NULL, now(), NULL, 'won')) AS past_as_double
FROM (VALUES (11258999068426.24::numeric), (11258999068426.24)) v(a);
-- the weighted pipeline is an estimate: past that range, its double
SELECT weighted_pipeline(pipeline_agg(1e20::numeric, 0.5, now(), NULL, 'open')) AS weighted;

-- 5. Text and binary forms carry the amounts' type: "none", "double", or
-- "numeric" with "amount_scale"; older formats read as double amounts (or
-- none, without deals)
\i test/binary_copy.sql
SELECT s::text::pipeline_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('pipeline_summary', pipeline_summary_send(s)) = s::text AS binary_round_trip
FROM (SELECT pipeline_agg(amount, probability, date '2025-01-01', NULL, outcome) AS s FROM pn_deals) x;
SELECT '{"version":3,"open_deals":1,"open_amount":[5],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":1,"unweighted_amount":[5],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary::text::jsonb->'amounts' AS format_3;
-- malformed: no type, a type with deals that say otherwise, a scale past 18
SELECT '{"version":4,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_sizes":[],"cycle_lengths":[]}'::pipeline_summary;
SELECT '{"version":4,"amounts":"none","open_deals":1,"open_amount":[5],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":1,"unweighted_amount":[5],"deal_sizes":[],"cycle_lengths":[]}'::pipeline_summary;
SELECT '{"version":4,"amounts":"numeric","amount_scale":19,"open_deals":1,"open_amount":[5],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":1,"unweighted_amount":[5],"deal_sizes":[],"cycle_lengths":[]}'::pipeline_summary;
SELECT '{"version":4,"amounts":"numeric","open_deals":1,"open_amount":[5],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":1,"unweighted_amount":[5],"deal_sizes":[],"cycle_lengths":[]}'::pipeline_summary;
-- binary: an amount scale of -3
SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(-3::int2) || int8send(1) || int8send(0)
	|| int8send(0) || int8send(0) || int8send(0) || int4send(1) || float8send(5) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x01'::bytea || int4send(0) || '\x01'::bytea || int4send(0));
-- the same payload with scale 2 reads
SELECT pg_temp.load_binary('pipeline_summary', '\x04'::bytea || int2send(2::int2) || int8send(1) || int8send(0)
	|| int8send(0) || int8send(0) || int8send(0) || int4send(1) || float8send(5) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || '\x01'::bytea || int4send(0) || '\x01'::bytea || int4send(0));
