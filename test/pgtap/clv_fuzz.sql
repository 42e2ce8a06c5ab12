-- Malformed and corrupt clv_summary, rfm_summary, bgnbd_model and gamma_gamma_model input,
-- generated: thousands of random mutations of valid text literals and binary
-- payloads must each either be read (and then round-trip exactly and read
-- consistently) or be rejected with 22P02 (text) / 22P03 (binary).  Never
-- another error, never a crash.
BEGIN;
SELECT plan(44);
SELECT setseed(0.53);

\ir ../fuzz.sql

-- rollup of one summary: the summary itself
CREATE FUNCTION pg_temp.rollup_of(v clv_summary) RETURNS clv_summary LANGUAGE sql AS
	$$SELECT rollup(x) FROM (VALUES (v)) t(x)$$;

CREATE TEMP TABLE clv_text AS
SELECT * FROM pg_temp.fuzz_text_cases('clv_summary', ARRAY[
	'{"version":1,"count":3,"scale_count":1,"sum":"6.75"}',
	'{"version":1,"count":2,"scale_count":2,"sum":"-1234567890123456789.01"}',
	'{"version":1,"count":4,"scale_count":0,"sum":"NaN"}',
	'{"version":1,"count":0,"scale_count":0,"sum":"0"}'],
	'{}[],:" -.0123456789eEaNInfity', 1000, 1);
SELECT pg_temp.fuzz_checks('clv_text', '22P02', 50, 1000, 'clv_summary text literals', 'clv_summary',
	'(clv(v) IS NULL) = (v::text LIKE ''%"count":0,%'') AND clv(pg_temp.rollup_of(v)) IS NOT DISTINCT FROM clv(v)');
CREATE TEMP TABLE clv_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('clv_summary', ARRAY[
	'{"version":1,"count":3,"scale_count":1,"sum":"6.75"}',
	-- numeric has infinities from PostgreSQL 14 on
	CASE WHEN current_setting('server_version_num')::int >= 140000
		THEN '{"version":1,"count":1,"scale_count":0,"sum":"-Infinity"}'
		ELSE '{"version":1,"count":1,"scale_count":0,"sum":"NaN"}' END], 300);
SELECT pg_temp.fuzz_checks('clv_binary', '22P03', 20, 100, 'clv_summary binary payloads', 'clv_summary',
	'(clv(v) IS NULL) = (v::text LIKE ''%"count":0,%'') AND clv(pg_temp.rollup_of(v)) IS NOT DISTINCT FROM clv(v)');

-- Property tests of clv_summary over random states: amounts of random scale
-- (0 to 6), sign and size (up to 1e20), a few NaN and infinite ones, in
-- random groups; the states of clv_agg, of rollups of random sets of them,
-- and of single transition calls (which may carry spare room).
CREATE TEMP TABLE clv_rows AS
SELECT i, (random() * 60)::int AS g, (random() * 4)::int AS h,
	CASE WHEN random() < 0.002 THEN (ARRAY['NaN', 'Infinity', '-Infinity'])[1 + (random() *
			CASE WHEN current_setting('server_version_num')::int >= 140000 THEN 2 ELSE 0 END)::int]::numeric
		ELSE round(((random() - 0.3) * 10 ^ (random() * 20))::numeric, (random() * 6)::int) END AS amount,
	round((random() * 100)::numeric, (random() * 3)::int) AS cost
FROM generate_series(1, 4000) i;
CREATE TEMP TABLE clv_states AS
SELECT clv_agg(amount) AS s FROM clv_rows GROUP BY g
UNION ALL SELECT clv_agg(amount, cost) FROM clv_rows GROUP BY g
UNION ALL SELECT rollup(s) FROM (SELECT g, h, clv_agg(amount) AS s FROM clv_rows GROUP BY g, h) x GROUP BY h
UNION ALL SELECT clv_summary_accum(clv_agg(amount), 1e-7) FROM clv_rows GROUP BY g % 7
UNION ALL SELECT clv_agg(amount) FROM clv_rows WHERE false;
SELECT is_empty($$SELECT s FROM clv_states WHERE s::text::clv_summary::text <> s::text$$,
	'random clv_summary states: text -> state -> text is identical');
SELECT is_empty($$SELECT s FROM clv_states
	WHERE clv_summary_send(pg_temp.load_binary('clv_summary', clv_summary_send(s))::clv_summary) <> clv_summary_send(s)$$,
	'random clv_summary states: send -> recv -> send is identical');
-- the one-step aggregates equal clv() of rollup() of per-group summaries
SELECT is_empty($$SELECT h FROM (SELECT h, clv(amount) AS a, clv(amount, cost) AS m,
		clv(amount, cost, date '2024-01-01' + g, '2025-01-01', 0.07) AS d
		FROM clv_rows GROUP BY h) one
	JOIN (SELECT h, clv(rollup(a)) AS a, clv(rollup(m)) AS m, clv(rollup(d)) AS d
		FROM (SELECT g, h, clv_agg(amount) AS a, clv_agg(amount, cost) AS m,
				clv_agg(amount, cost, date '2024-01-01' + g, '2025-01-01', 0.07) AS d
			  FROM clv_rows GROUP BY g, h) x GROUP BY h) two USING (h)
	WHERE (one.a, one.m, one.d)::text IS DISTINCT FROM (two.a, two.m, two.d)::text$$,
	'clv(...) equals clv(rollup(clv_agg(...))) over random groups, digits and scale included');
SELECT is((SELECT count(*) FROM clv_states WHERE s::text LIKE '%NaN%' OR s::text LIKE '%Infinity%') > 0
	AND (SELECT count(*) FROM clv_states WHERE NOT (s::text LIKE '%NaN%' OR s::text LIKE '%Infinity%')) > 50,
	true, 'the random states include finite and non-finite sums');

CREATE TEMP TABLE rfm_text AS
SELECT * FROM pg_temp.fuzz_text_cases('rfm_summary', ARRAY[
	'{"version":1,"frequency":2,"recency":30.428571428571427,"age":38.857142857142854,"monetary_value":22.345}',
	'{"version":1,"frequency":0,"recency":0,"age":12.5,"monetary_value":0}'],
	'{}[],:" -.01234567890123456789eE', 1200, 1);
SELECT pg_temp.fuzz_checks('rfm_text', '22P02', 50, 1000, 'rfm_summary text literals', 'rfm_summary',
	'frequency(v) >= 0 AND recency(v) BETWEEN 0 AND customer_age(v)');
CREATE TEMP TABLE rfm_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('rfm_summary', ARRAY[
	'{"version":1,"frequency":2,"recency":30.428571428571427,"age":38.857142857142854,"monetary_value":22.345}'], 300);
SELECT pg_temp.fuzz_checks('rfm_binary', '22P03', 20, 100, 'rfm_summary binary payloads', 'rfm_summary',
	'frequency(v) >= 0 AND recency(v) BETWEEN 0 AND customer_age(v)');

CREATE TEMP TABLE bgnbd_text AS
SELECT * FROM pg_temp.fuzz_text_cases('bgnbd_model', ARRAY[
	'{"version":1,"r":0.24259289051110608,"alpha":4.413531441129337,"a":0.7928860699491224,"b":2.425753173647489,"log_likelihood":-9582.425560567344,"customers":2357,"converged":true}',
	'{"version":1,"r":0.243,"alpha":4.414,"a":0.793,"b":2.426,"log_likelihood":0,"customers":0,"converged":false}'],
	'{}[],:" -.0123456789eEtruefals', 800, 2);
SELECT pg_temp.fuzz_checks('bgnbd_text', '22P02', 20, 500, 'bgnbd_model text literals', 'bgnbd_model',
	'(parameters(v)).r > 0 AND customers(v) >= 0');
CREATE TEMP TABLE bgnbd_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('bgnbd_model', ARRAY[
	'{"version":1,"r":0.243,"alpha":4.414,"a":0.793,"b":2.426,"log_likelihood":0,"customers":0,"converged":false}'], 300);
SELECT pg_temp.fuzz_checks('bgnbd_binary', '22P03', 10, 100, 'bgnbd_model binary payloads', 'bgnbd_model',
	'(parameters(v)).r > 0 AND customers(v) >= 0');

CREATE TEMP TABLE gg_text AS
SELECT * FROM pg_temp.fuzz_text_cases('gamma_gamma_model', ARRAY[
	'{"version":1,"p":6.248800791710156,"q":3.7445887627852743,"gamma":15.447753888239728,"log_likelihood":-4055.9232435028553,"customers":946,"converged":true}'],
	'{}[],:" -.0123456789eEtruefals', 800, 2);
SELECT pg_temp.fuzz_checks('gg_text', '22P02', 10, 500, 'gamma_gamma_model text literals', 'gamma_gamma_model',
	'(parameters(v)).p > 0 AND customers(v) >= 0');
CREATE TEMP TABLE gg_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('gamma_gamma_model', ARRAY[
	'{"version":1,"p":6.25,"q":3.74,"gamma":15.44,"log_likelihood":-4055.9,"customers":946,"converged":true}'], 300);
SELECT pg_temp.fuzz_checks('gg_binary', '22P03', 10, 100, 'gamma_gamma_model binary payloads', 'gamma_gamma_model',
	'(parameters(v)).p > 0 AND customers(v) >= 0');

CREATE TEMP TABLE pnbd_text AS
SELECT * FROM pg_temp.fuzz_text_cases('pareto_nbd_model', ARRAY[
	'{"version":1,"r":0.5532769858442051,"alpha":10.57768171871112,"s":0.6062399171348395,"beta":11.668734357521188,"log_likelihood":-9594.976178939532,"customers":2357,"converged":true}',
	'{"version":1,"r":0.553,"alpha":10.578,"s":0.606,"beta":11.669,"log_likelihood":0,"customers":0,"converged":false}'],
	'{}[],:" -.0123456789eEtruefals', 800, 2);
SELECT pg_temp.fuzz_checks('pnbd_text', '22P02', 20, 500, 'pareto_nbd_model text literals', 'pareto_nbd_model',
	'(parameters(v)).s > 0 AND customers(v) >= 0');
CREATE TEMP TABLE pnbd_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('pareto_nbd_model', ARRAY[
	'{"version":1,"r":0.553,"alpha":10.578,"s":0.606,"beta":11.669,"log_likelihood":0,"customers":0,"converged":false}'], 300);
SELECT pg_temp.fuzz_checks('pnbd_binary', '22P03', 10, 100, 'pareto_nbd_model binary payloads', 'pareto_nbd_model',
	'(parameters(v)).s > 0 AND customers(v) >= 0');

SELECT * FROM finish();
ROLLBACK;
