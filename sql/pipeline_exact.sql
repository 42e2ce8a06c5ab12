--
-- pipeline_summary sums are exact (doc/pipeline.md, "Money sums"): the same
-- deals give the same summary, as text, in binary and as stored bytes,
-- whatever the order of the rows and the merge tree (serial, forced
-- parallel, rollups of differently cut subsets, rollups of rollups); each
-- sum is the exact sum of the doubles added, checked against numeric
-- integers; summaries of format 1 (1.1.0) still read.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- Amounts that make float sums depend on their order: money in cents,
-- 53-bit fractions, magnitudes from subnormals to 1e300, powers of two
-- whose sums carry across limbs; probabilities that make the weighted
-- products inexact.
SELECT setseed(0.4242);
CREATE TABLE px_deals AS
SELECT i, CASE i % 10
		WHEN 6 THEN random()
		WHEN 7 THEN random() * 1e300
		WHEN 8 THEN CASE WHEN i % 20 = 8 THEN random() * 1e-300 ELSE 5e-324 * (i % 7) END
		WHEN 9 THEN CASE WHEN i % 20 = 9 THEN 0.1 * (i % 7) ELSE 2 ^ (i % 64) END
		ELSE round((random() * 100000)::numeric, 2)::float8 END AS amount,
	CASE WHEN i % 4 = 0 THEN random() ELSE (i % 10) / 10.0 END AS probability,
	date '2024-01-01' + i % 365 AS created_on,
	date '2024-01-01' + i % 365 + (i * 7) % 200 AS closed_on,
	(ARRAY['open', 'won', 'lost'])[1 + i % 3] AS outcome
FROM generate_series(1, 30000) i;
ANALYZE px_deals;

-- The same deals as a numeric money column (amounts in cents only)
CREATE TABLE px_money AS
SELECT i, round((random() * 250000)::numeric, 2) AS amount, (i % 10) / 10.0 AS probability,
	date '2024-01-01' + i % 365 AS created_on, date '2024-01-01' + i % 365 + i % 90 AS closed_on,
	(ARRAY['open', 'won', 'lost'])[1 + i % 3] AS outcome
FROM generate_series(1, 30000) i;
ANALYZE px_money;

\set ECHO none
\i test/parallel.sql
\set ECHO all

-- Each way of summarizing every deal of a table, one summary per way
CREATE FUNCTION pg_temp.ways(tab text) RETURNS TABLE (way text, s pipeline_summary)
LANGUAGE plpgsql AS $$
DECLARE
	agg constant text := 'pipeline_agg(amount, probability, created_on, closed_on, outcome';
	q record;
BEGIN
	FOR q IN SELECT * FROM (VALUES
		('table order', format('SELECT %s) FROM %I', agg, tab)),
		('ascending amounts', format('SELECT %s ORDER BY amount) FROM %I', agg, tab)),
		('descending amounts', format('SELECT %s ORDER BY amount DESC, i) FROM %I', agg, tab)),
		('shuffled', format('SELECT %s ORDER BY md5(i::text)) FROM %I', agg, tab)),
		('rollup of 7 interleaved groups',
			format('SELECT rollup(s) FROM (SELECT %s) AS s FROM %I GROUP BY i %% 7) g', agg, tab)),
		('rollup of 13 groups, descending',
			format('SELECT rollup(s ORDER BY k DESC) FROM (SELECT i %% 13 AS k, %s) AS s FROM %I GROUP BY 1) g',
				agg, tab)),
		('rollup of blocks of 1000',
			format('SELECT rollup(s) FROM (SELECT %s) AS s FROM %I GROUP BY i / 1000) g', agg, tab)),
		('rollup of rollups',
			format('SELECT rollup(s) FROM (SELECT rollup(s) AS s FROM (SELECT i %% 100 AS k, %s) AS s FROM %I GROUP BY 1) a GROUP BY k %% 3) b',
				agg, tab)),
		('rollup of single deals, shuffled',
			format('SELECT rollup(s ORDER BY md5(i::text)) FROM (SELECT i, %s) AS s FROM %I GROUP BY i) g',
				agg, tab))
	) v(name, query) LOOP
		RETURN QUERY EXECUTE format('SELECT %L, (%s)', q.name, q.query);
	END LOOP;
END $$;

-- serial, then forced parallel (the table-order and rollup queries get
-- Partial Aggregates under a Gather)
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE px_results AS
SELECT 'serial' AS plan, t AS tab, w.* FROM unnest(ARRAY['px_deals', 'px_money']) t, pg_temp.ways(t) w;
SELECT pg_temp.force_parallel() AS forced;
SELECT pg_temp.plan_shape($$SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) FROM px_deals$$);
SELECT pg_temp.plan_shape($$SELECT rollup(s) FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
	FROM px_deals GROUP BY i % 7) g$$);
INSERT INTO px_results
SELECT 'parallel', t, w.* FROM unnest(ARRAY['px_deals', 'px_money']) t, pg_temp.ways(t) w;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
	THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'off', false) AS unforced;

-- One text, one binary form and one stored form (compared byte for byte by
-- the record image operator, as REFRESH MATERIALIZED VIEW CONCURRENTLY
-- compares rows) per table, over 18 ways
SELECT tab, count(*) AS ways, count(DISTINCT s::text) AS texts,
	count(DISTINCT pipeline_summary_send(s)) AS binaries,
	bool_and((SELECT x FROM (SELECT r.s) x) OPERATOR(pg_catalog.*=)
		(SELECT y FROM (SELECT f.s FROM px_results f WHERE f.tab = r.tab AND f.plan = 'serial'
			AND f.way = 'table order') y)) AS same_bytes
FROM px_results r GROUP BY tab ORDER BY tab;

-- Not a coincidence of one order: float sums in these orders differ
SELECT tab, count(DISTINCT (SELECT sum(a) FROM unnest(x) a)) > 1 AS float_sums_differ
FROM (SELECT 'px_deals' AS tab, array_agg(amount ORDER BY amount) AS x FROM px_deals
	UNION ALL SELECT 'px_deals', array_agg(amount ORDER BY amount DESC) FROM px_deals
	UNION ALL SELECT 'px_deals', array_agg(amount ORDER BY md5(i::text)) FROM px_deals) o
GROUP BY tab;

-- Exactness.  A double x >= 0 is M 2^(p - 1074) with integers M < 2^53 and
-- 0 <= p <= 2045 (its bits, read from float8send); scaled by 2^1074 every
-- double is an integer, and numeric adds those exactly.  A sum's terms add
-- up to the exact sum of what was added, and its first term, the value the
-- accessors return, is that sum correctly rounded: numeric to float8 goes
-- through the decimal text, which float8in rounds correctly.
CREATE FUNCTION pg_temp.scaled(x float8) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT sign * (CASE WHEN e = 0 THEN f ELSE f + 4503599627370496 END)::numeric
		* 2::numeric ^ greatest(e - 1, 0)
	FROM (SELECT CASE WHEN b < 0 THEN -1 ELSE 1 END AS sign, (b >> 52) & 2047 AS e,
			b & 4503599627370495 AS f
		FROM (SELECT ('x' || encode(float8send(x), 'hex'))::bit(64)::bigint AS b) bits) parts
$$;
CREATE FUNCTION pg_temp.unscaled(n numeric) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT (n * 5::numeric ^ 1074 * ('1e-1074')::numeric)::float8
$$;
SELECT pg_temp.scaled(1) = 2::numeric ^ 1074 AS one, pg_temp.scaled(5e-324) = 1 AS smallest,
	pg_temp.scaled(0.75) = 3 * 2::numeric ^ 1072 AS three_quarters,
	pg_temp.unscaled(pg_temp.scaled(0.1)) = 0.1 AS round_trip;

CREATE TEMP TABLE px_exact AS
SELECT name, sum(pg_temp.scaled(x)) AS exact
FROM px_deals, LATERAL (VALUES
	('open_amount', CASE WHEN outcome = 'open' THEN amount END),
	('weighted_amount', CASE WHEN outcome = 'open' THEN amount * probability END),
	('won_amount', CASE WHEN outcome = 'won' THEN amount END),
	('lost_amount', CASE WHEN outcome = 'lost' THEN amount END),
	('cycle_days', CASE WHEN outcome = 'won' THEN (closed_on - created_on)::float8 END)) v(name, x)
GROUP BY name;
SELECT e.name, jsonb_array_length(t.terms) AS terms,
	(SELECT sum(pg_temp.scaled(v::float8)) FROM jsonb_array_elements_text(t.terms) v) = e.exact AS exact_sum,
	(t.terms->>0)::float8 = pg_temp.unscaled(e.exact) AS rounded_correctly
FROM px_exact e,
	LATERAL (SELECT (s::text::jsonb)->e.name AS terms FROM px_results
		WHERE tab = 'px_deals' AND plan = 'serial' AND way = 'table order') t
ORDER BY e.name;
SELECT open_pipeline(s) = pg_temp.unscaled(e.exact) AS open_pipeline
FROM px_results, px_exact e
WHERE tab = 'px_deals' AND plan = 'serial' AND way = 'table order' AND e.name = 'open_amount';

-- The canonical expansion: each term is the nearest double to what the
-- terms before it leave, so the terms shrink by 2^53 at least
SELECT bool_and(abs((t.terms->>(k + 1))::float8) <= abs((t.terms->>k)::float8) * 2 ^ -53) AS shrinking
FROM px_results, LATERAL jsonb_each((s::text::jsonb) - 'version' - 'deal_sizes' - 'cycle_lengths') AS t(name, terms),
	LATERAL generate_series(0, jsonb_array_length(t.terms) - 2) k
WHERE jsonb_typeof(t.terms) = 'array';

-- 0.1 + 0.2 in binary is 0.3000000000000000166533453693773481063544750213623046875:
-- the nearest double 0.30000000000000004 and the remainder -2^-55
SELECT s::text::json->'won_amount' AS won_amount, won_amount(s)
FROM (SELECT pipeline_agg(x, NULL, date '2025-01-01', NULL, 'won') AS s FROM (VALUES (0.1::float8), (0.2)) v(x)) q;
-- non-canonical input terms are read as their exact sum and written canonically
SELECT '{"version":2,"open_deals":2,"open_amount":[1,2,0.5,-0.25],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary::text::json->'open_amount' AS open_amount;
SELECT '{"version":2,"open_deals":2,"open_amount":[1e308,1e308,-1e308],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary::text::json->'open_amount' AS open_amount;
-- a negative total, a total past the double range, no terms
SELECT '{"version":2,"open_deals":2,"open_amount":[1,-2],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
SELECT '{"version":2,"open_deals":2,"open_amount":[1.7976931348623157e308,1e292],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
SELECT '{"version":2,"open_deals":2,"open_amount":[],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
-- the largest total: DBL_MAX + 2^970 - 2^918 still rounds to DBL_MAX
SELECT open_pipeline(('{"version":2,"open_deals":1,"open_amount":[1.7976931348623157e308,' ||
	(2 ^ 970 - 2 ^ 918)::text || '],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}')::pipeline_summary)
	= 1.7976931348623157e308 AS largest;

-- Format 1 (1.1.0): a [sum, compensation] pair is the exact sum of the two,
-- read as text and in binary; written back in format 2
SELECT s::text AS from_format_1
FROM (SELECT '{"version":1,"open_deals":3,"open_amount":[4000.5,0],"weighted_amount":[2700.4500000000003,0],"won_deals":5,"won_amount":[6350.25,0],"lost_deals":2,"lost_amount":[1600,0],"cycle_deals":4,"cycle_days":[100,0],"deal_size_sketch":{"zeros":1,"buckets":[[231,1],[357,1],[381,1],[401,1]]},"cycle_sketch":{"zeros":1,"buckets":[[116,1],[171,1],[205,1]]}}'::pipeline_summary AS s) x;
SELECT (s::text::json)->'open_amount' AS open_amount, open_pipeline(s) = 1 + 2 ^ -60 AS value
FROM (SELECT ('{"version":1,"open_deals":2,"open_amount":[1,' || (2 ^ -60)::text || '],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}')::pipeline_summary AS s) x;
SELECT '{"version":1,"open_deals":2,"open_amount":[1],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
-- Format 2 (1.2.0): the same sums and sketches, no count of open deals
-- without a probability (1.2.0 rejected them); read as text and in binary,
-- written back in format 4 with "unweighted_deals":0.  Open 5 @ 0.5 and won
-- 5 without a close date: the key of 5 is ceil(ln 5 / ln(1.01 / 0.99)) =
-- ceil(80.47) = 81.  Formats 1 to 3 kept sketches alone: their distributions
-- read as sketches (exact only when empty), medians within 1 %.
CREATE TEMP TABLE px_open5_won5 AS SELECT '{"version":4,"amounts":"double","open_deals":1,"open_amount":[5],"weighted_amount":[2.5],"won_deals":1,"won_amount":[5],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[[81,1]]},"cycle_lengths":[]}'::pipeline_summary AS p;
SELECT s::text = p::text AS same_as_format_4, open_deals_without_probability(s) AS unweighted,
	abs(median_deal_size(s) / 5 - 1) <= 0.01 AS median_within_1_percent,
	deal_size_is_exact(s) AS size_exact, sales_cycle_is_exact(s) AS cycle_exact
FROM (SELECT '{"version":2,"open_deals":1,"open_amount":[5],"weighted_amount":[2.5],"won_deals":1,"won_amount":[5],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[[81,1]]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary AS s) x,
	px_open5_won5;
-- a literal of format 2 with the fields of format 3 is malformed
SELECT '{"version":2,"open_deals":1,"open_amount":[5],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":1,"unweighted_amount":[5],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
-- format 3: more open deals without a probability than open deals is corrupt
SELECT '{"version":3,"open_deals":1,"open_amount":[5],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":2,"unweighted_amount":[5],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
SELECT '{"version":5}'::pipeline_summary;
\i test/binary_copy.sql
-- format 1 binary: version 1, four counts, five (sum, compensation) pairs,
-- two empty sketches; open_amount 1 + 2^-60, one open deal
SELECT pg_temp.load_binary('pipeline_summary', '\x01'::bytea
	|| int8send(1) || int8send(0) || int8send(0) || int8send(0)
	|| float8send(1) || float8send(2 ^ -60) || float8send(0) || float8send(0)
	|| float8send(0) || float8send(0) || float8send(0) || float8send(0) || float8send(0) || float8send(0)
	|| int8send(0) || int4send(0) || int8send(0) || int4send(0)) AS from_binary_format_1;
-- format 2 binary: version 2, four counts, five sums (int4 terms, terms),
-- two sketches; the two deals above
SELECT pg_temp.load_binary('pipeline_summary', '\x02'::bytea
	|| int8send(1) || int8send(1) || int8send(0) || int8send(0)
	|| int4send(1) || float8send(5) || int4send(1) || float8send(2.5) || int4send(1) || float8send(5)
	|| int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int8send(0) || int4send(1) || int4send(81) || int8send(1) || int8send(0) || int4send(0))
	= p::text AS from_binary_format_2
FROM px_open5_won5;
-- format 3 binary: a fifth count, open deals without a probability, and a
-- sixth sum, their amounts
SELECT pg_temp.load_binary('pipeline_summary', '\x03'::bytea
	|| int8send(1) || int8send(0) || int8send(0) || int8send(0) || int8send(1)
	|| int4send(1) || float8send(5) || int4send(1) || float8send(0) || int4send(1) || float8send(0)
	|| int4send(1) || float8send(0) || int4send(1) || float8send(0) || int4send(1) || float8send(5)
	|| int8send(0) || int4send(0) || int8send(0) || int4send(0))
	= pipeline_agg(5, NULL, date '2025-01-01', NULL, 'open')::text AS from_binary_format_3;
SELECT pg_temp.load_binary('pipeline_summary', '\x05'::bytea);

-- Stored values of format 1, as 1.1.0 wrote them to disk: the struct of
-- src/pipeline/pipeline.c (PipelineSummaryV1) in native byte order, little
-- endian here, put in place by core's varchar() length coercion, which
-- returns its argument's bytes unchanged, declared as bytea to summary.  The
-- ten deals of section 6 of doc/pipeline.md: their accessors, text,
-- rollup (as the first value, the state of the combine function) and
-- transition function read them as the literal of format 1 reads.
BEGIN;
CREATE FUNCTION pg_temp.raw(bytea, integer DEFAULT -1, boolean DEFAULT false) RETURNS pipeline_summary
	LANGUAGE internal IMMUTABLE STRICT AS 'varchar';
CREATE FUNCTION pg_temp.le(b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
	SELECT decode(string_agg(substr(encode(b, 'hex'), 2 * i - 1, 2), '' ORDER BY i DESC), 'hex')
	FROM generate_series(1, length(b)) i
$$;
CREATE TEMP TABLE px_v1 AS
SELECT pg_temp.raw('\x01000000'::bytea
	|| pg_temp.le(int8send(3)) || pg_temp.le(int8send(5)) || pg_temp.le(int8send(2)) || pg_temp.le(int8send(4))
	|| pg_temp.le(float8send(4000.5)) || pg_temp.le(float8send(0))
	|| pg_temp.le(float8send(2700.4500000000003)) || pg_temp.le(float8send(0))
	|| pg_temp.le(float8send(6350.25)) || pg_temp.le(float8send(0))
	|| pg_temp.le(float8send(1600)) || pg_temp.le(float8send(0))
	|| pg_temp.le(float8send(100)) || pg_temp.le(float8send(0))
	-- sketch heads (zeros, buckets in use, capacity), spare room in the first
	|| pg_temp.le(int8send(1)) || pg_temp.le(int4send(4)) || pg_temp.le(int4send(8))
	|| pg_temp.le(int8send(1)) || pg_temp.le(int4send(3)) || pg_temp.le(int4send(3))
	-- counts of sketch 0 (8 slots), of sketch 1 (3), keys of 0 (8), of 1 (3)
	|| pg_temp.le(int8send(1)) || pg_temp.le(int8send(1)) || pg_temp.le(int8send(1)) || pg_temp.le(int8send(1))
	|| '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
	|| pg_temp.le(int8send(1)) || pg_temp.le(int8send(1)) || pg_temp.le(int8send(1))
	|| pg_temp.le(int4send(231)) || pg_temp.le(int4send(357)) || pg_temp.le(int4send(381)) || pg_temp.le(int4send(401))
	|| '\x00000000000000000000000000000000'::bytea
	|| pg_temp.le(int4send(116)) || pg_temp.le(int4send(171)) || pg_temp.le(int4send(205))) AS s;
CREATE TEMP TABLE px_v1_text AS
SELECT '{"version":1,"open_deals":3,"open_amount":[4000.5,0],"weighted_amount":[2700.4500000000003,0],"won_deals":5,"won_amount":[6350.25,0],"lost_deals":2,"lost_amount":[1600,0],"cycle_deals":4,"cycle_days":[100,0],"deal_size_sketch":{"zeros":1,"buckets":[[231,1],[357,1],[381,1],[401,1]]},"cycle_sketch":{"zeros":1,"buckets":[[116,1],[171,1],[205,1]]}}'::pipeline_summary AS s;
SELECT v.s::text = t.s::text AS same_text,
	pipeline_summary_send(v.s) = pipeline_summary_send(t.s) AS same_binary,
	open_pipeline(v.s) = 4000.5 AND weighted_pipeline(v.s) = 2700.4500000000003 AND won_amount(v.s) = 6350.25
		AND lost_amount(v.s) = 1600 AND average_sales_cycle(v.s) = 25 AND won_deals(v.s) = 5
		AND median_deal_size(v.s) = median_deal_size(t.s) AS accessors,
	(SELECT rollup(x ORDER BY k)::text FROM (VALUES (1, v.s), (2, t.s)) r(k, x))
		= (SELECT rollup(x)::text FROM (VALUES (t.s), (t.s)) r(x)) AS rollup,
	pipeline_summary_accum_date(v.s, 1, NULL, date '2025-01-01', NULL, 'lost')::text
		= pipeline_summary_accum_date(t.s, 1, NULL, date '2025-01-01', NULL, 'lost')::text AS transition
FROM px_v1 v, px_v1_text t;
-- Stored values of format 2, as 1.2.0 wrote them: the struct of
-- src/pipeline/pipeline.c (PipelineSummaryV2), little endian: four counts,
-- the sketch heads (zeros, buckets in use, capacity; spare room in the
-- first), five sum windows (lo, n) and a reserved int4, then the limbs, the
-- bucket counts and the keys.  Open 5 @ 0.5, won 5: 5 = 5 * 2^50 units of
-- limb 16 (which weighs 2^(64 * 16 - 1074) = 2^-50), 0x0014000000000000;
-- 2.5 is 0x000A000000000000.
CREATE TEMP TABLE px_v2 AS
SELECT pg_temp.raw('\x02000000'::bytea
	|| pg_temp.le(int8send(1)) || pg_temp.le(int8send(1)) || pg_temp.le(int8send(0)) || pg_temp.le(int8send(0))
	|| pg_temp.le(int8send(0)) || pg_temp.le(int4send(1)) || pg_temp.le(int4send(2))
	|| pg_temp.le(int8send(0)) || pg_temp.le(int4send(0)) || pg_temp.le(int4send(0))
	|| pg_temp.le(int2send(16::int2)) || pg_temp.le(int2send(1::int2)) || pg_temp.le(int2send(16::int2)) || pg_temp.le(int2send(1::int2))
	|| pg_temp.le(int2send(16::int2)) || pg_temp.le(int2send(1::int2)) || '\x0000000000000000'::bytea || '\x00000000'::bytea
	|| pg_temp.le(int8send(x'0014000000000000'::bigint)) || pg_temp.le(int8send(x'000A000000000000'::bigint))
	|| pg_temp.le(int8send(x'0014000000000000'::bigint))
	|| pg_temp.le(int8send(1)) || pg_temp.le(int8send(0))
	|| pg_temp.le(int4send(81)) || pg_temp.le(int4send(0))) AS s;
SELECT v.s::text = p.s::text AS same_text, open_pipeline(v.s) = 5 AND weighted_pipeline(v.s) = 2.5
		AND won_amount(v.s) = 5 AND open_deals_without_probability(v.s) = 0 AS accessors,
	(SELECT rollup(x ORDER BY k)::text FROM (VALUES (1, v.s), (2, p.s)) r(k, x))
		= (SELECT rollup(x)::text FROM (VALUES (p.s), (p.s)) r(x)) AS rollup,
	pipeline_summary_accum_date(v.s, 1, NULL, date '2025-01-01', NULL, 'open')::text
		= pipeline_summary_accum_date(p.s, 1, NULL, date '2025-01-01', NULL, 'open')::text AS transition
FROM px_v2 v, (SELECT p AS s FROM px_open5_won5) p;
-- a stored value of format 2 whose size disagrees with its header is corrupt
SAVEPOINT corrupt;
SELECT open_pipeline(pg_temp.raw('\x02000000'::bytea || '\x0000000000000000'::bytea));
ROLLBACK TO corrupt;
-- a stored value of format 1 with a negative sum is corrupt
SELECT open_pipeline(pg_temp.raw('\x01000000'::bytea || pg_temp.le(int8send(1)) || pg_temp.le(int8send(0))
	|| pg_temp.le(int8send(0)) || pg_temp.le(int8send(0))
	|| pg_temp.le(float8send(-1)) || '\x000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000'::bytea
	|| '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea));
ROLLBACK;
