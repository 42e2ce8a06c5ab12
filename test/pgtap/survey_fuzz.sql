-- Malformed and corrupt survey_summary input, generated: thousands of random
-- mutations of valid text literals and binary payloads must each either be
-- read (and then round-trip exactly and read consistently) or be rejected
-- with 22P02 (text) / 22P03 (binary).  Never another error, never a crash.
BEGIN;
SELECT plan(11);
SELECT setseed(0.31);

\ir ../fuzz.sql

-- text: mutated literals
CREATE TEMP TABLE text_cases AS
SELECT * FROM pg_temp.fuzz_text_cases('survey_summary', ARRAY[
	'{"version":1,"scale":[0,10],"counts":[3,1,2,0,4,5,6,10,14,20,35]}',
	'{"version":1,"scale":[-3,3],"counts":[1,0,2,0,0,0,9]}',
	'{"version":1,"scale":[1,5],"counts":[2147483647,3,4000000000,12,18]}'],
	'{}[],:" -0123456789v', 1500, 2);
SELECT pg_temp.fuzz_checks('text_cases', '22P02', 50, 1000, 'text literals', 'survey_summary',
	'(SELECT sum(responses) FROM score_distribution(v)) = responses(v)');

-- binary: mutated survey_summary_send() payloads through COPY ... (FORMAT binary)
CREATE TEMP TABLE binary_cases AS
SELECT * FROM pg_temp.fuzz_binary_cases('survey_summary', ARRAY[
	'{"version":1,"scale":[0,10],"counts":[3,1,2,0,4,5,6,10,14,20,35]}',
	'{"version":1,"scale":[1,5],"counts":[2147483647,3,4000000000,12,18]}'], 300);
SELECT pg_temp.fuzz_checks('binary_cases', '22P03', 20, 100, 'binary payloads', 'survey_summary',
	'(SELECT sum(responses) FROM score_distribution(v)) = responses(v)');

-- Boundary values (issue 10): 0..10 summaries with counts 0, 1, 2^31 - 1,
-- 2^31, 2^62 and 2^63 - 1 (narrow and wide forms).  Every accessor of an
-- accepted value answers (finite) or fails with 22003; every producer
-- (survey_summary_accum, its inverse, combine, uncombine, rollup) returns a value
-- that reads back exactly, or fails with 22003 (22023 for a removal of what
-- is not there).
CREATE FUNCTION pg_temp.survey_bound_literal(seq int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	counts bigint[] := ARRAY[0, 0, 0, 1, 2147483647, 2147483648, 4611686018427387904,
		9223372036854775807];
	c text[] := '{}';
BEGIN
	FOR i IN 0..10 LOOP
		c := c || counts[1 + floor(random() * 8)::int]::text;
	END LOOP;
	RETURN format('{"version":1,"scale":[0,10],"counts":[%s]}', array_to_string(c, ','));
END $$;
CREATE TEMP TABLE bound_values AS
SELECT r.value FROM generate_series(1, 600) i,
	LATERAL pg_temp.try_read(format('SELECT %L::survey_summary::text', pg_temp.survey_bound_literal(i))) r
WHERE r.outcome = 'ok';
SELECT ok((SELECT count(*) FROM bound_values) > 30, 'boundary survey summaries are read');
CREATE TEMP TABLE bound_reads AS
SELECT q, r.outcome, r.value
FROM bound_values b, unnest(ARRAY['responses(v)', 'nps(v)', 'nps_ci(v, 0.999999)',
		'nps_ci(v, 0.95, ''adjusted_wald'')', 'nps_stderr(v)', 'nps_compare(v, v)', 'mean_score(v)',
		'mean_score_ci(v, 0.999999)', 'csat(v)', 'csat_ci(v, 0.999999, 1)', 'ces_agree(v)',
		'score_share(v, 0, 10)', '(SELECT array_agg(d) FROM score_distribution(v) d)']) q,
	LATERAL pg_temp.try_read(format('SELECT (%s)::text FROM (SELECT %L::survey_summary AS v) x', q, b.value)) r;
SELECT is_empty($$SELECT q, outcome, value FROM bound_reads WHERE outcome NOT IN ('ok', '22003')
	OR value ~* 'infinity' OR value ~* 'nan'$$,
	'accessors of boundary survey summaries answer (finite) or fail with 22003');
CREATE TEMP TABLE bound_produced AS
SELECT q, r.outcome, r.value
FROM bound_values b, unnest(ARRAY['survey_summary_accum(v, 10)', 'survey_summary_deaccum(v, 0)', 'survey_summary_combine(v, v)',
		'survey_summary_uncombine(survey_summary_combine(v, v), v)', 'survey_summary_accum_scale(v, 5, 0, 10)',
		'(SELECT rollup(w) FROM (VALUES (v), (v)) x(w))']) q,
	LATERAL pg_temp.try_read(format('SELECT (%s)::text FROM (SELECT %L::survey_summary AS v) x', q, b.value)) r;
SELECT is_empty($$SELECT q, outcome, value FROM bound_produced WHERE outcome NOT IN ('ok', '22003', '22023')
	OR (outcome = 'ok' AND (pg_temp.try_read(format('SELECT %L::survey_summary::text', value))).value
		IS DISTINCT FROM value)$$,
	'producers on boundary survey summaries read back or fail with 22003');

SELECT * FROM finish();
ROLLBACK;
