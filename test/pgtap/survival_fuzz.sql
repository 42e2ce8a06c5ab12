-- Malformed and corrupt survival_summary and sbg_model input, generated:
-- thousands of random mutations of valid text literals and binary payloads
-- must each either be read (and then round-trip exactly and read
-- consistently) or be rejected with 22P02 (text) / 22P03 (binary).  Never
-- another error, never a crash.
BEGIN;
SELECT plan(19);
SELECT setseed(0.47);

\ir ../fuzz.sql

-- survival_summary: the Kaplan-Meier table accounts for every subject
-- (format 1, and format 2 with entries: the table has the exit times only)
CREATE TEMP TABLE text_cases AS
SELECT * FROM pg_temp.fuzz_text_cases('survival_summary', ARRAY[
	'{"version":1,"time":[9,13,18,23,28,31],"events":[1,1,1,1,0,1],"censored":[0,1,0,0,1,0]}',
	'{"version":1,"time":[0,0.5,2.25,1e10],"events":[3,0,12,1],"censored":[1,4,0,9]}',
	'{"version":1,"time":[],"events":[],"censored":[]}',
	'{"version":2,"time":[1,2,3,4,6,8,9,11],"events":[0,0,1,0,1,1,0,1],"censored":[0,0,0,0,1,0,1,0],"entered":[1,1,0,1,0,2,0,0]}'],
	'{}[],:" -0123456789.ev', 1500, 2);
SELECT pg_temp.fuzz_checks('text_cases', '22P02', 10, 1000, 'survival_summary text literals',
	'survival_summary',
	$c$(SELECT coalesce(sum(events + censored), 0) FROM kaplan_meier(v, 0.95, true)) = subjects(v)$c$);

CREATE TEMP TABLE binary_cases AS
SELECT * FROM pg_temp.fuzz_binary_cases('survival_summary', ARRAY[
	'{"version":1,"time":[9,13,18,23,28,31],"events":[1,1,1,1,0,1],"censored":[0,1,0,0,1,0]}',
	'{"version":1,"time":[0,0.5],"events":[3,0],"censored":[1,4]}',
	'{"version":2,"time":[0,0.5,2],"events":[1,0,2],"censored":[0,1,0],"entered":[0,2,0]}'], 300);
SELECT pg_temp.fuzz_checks('binary_cases', '22P03', 20, 100, 'survival_summary binary payloads',
	'survival_summary',
	$c$(SELECT coalesce(sum(events + censored), 0) FROM kaplan_meier(v, 0.95, true)) = subjects(v)$c$);

-- survival_summary boundary values (issue 10): durations 0, denormal, 1,
-- 1e308, DBL_MAX and counts up to 2^63 - 1.  Every accessor of an accepted
-- value answers (finite) or fails with 22003; combine and uncombine return
-- a value that reads back exactly, or fail with 22003.
CREATE FUNCTION pg_temp.survival_bound_literal(seq int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	times text[] := ARRAY['0', '5e-324', '1', '1e308', '1.7976931348623157e308'];
	counts bigint[] := ARRAY[0, 1, 2147483648, 4611686018427387904, 9223372036854775806,
		9223372036854775807];
	t text[] := '{}';
	e text[] := '{}';
	c text[] := '{}';
	ev bigint;
BEGIN
	FOR i IN 1..5 LOOP
		CONTINUE WHEN random() < 0.4;
		ev := counts[1 + floor(random() * 6)::int];
		t := t || times[i];
		e := e || ev::text;
		c := c || greatest(counts[1 + floor(random() * 6)::int], (ev = 0)::int)::text;
	END LOOP;
	RETURN format('{"version":1,"time":[%s],"events":[%s],"censored":[%s]}',
		array_to_string(t, ','), array_to_string(e, ','), array_to_string(c, ','));
END $$;
CREATE TEMP TABLE bound_values AS
SELECT r.value FROM generate_series(1, 600) i,
	LATERAL pg_temp.try_read(format('SELECT %L::survival_summary::text', pg_temp.survival_bound_literal(i))) r
WHERE r.outcome = 'ok';
SELECT ok((SELECT count(*) FROM bound_values) > 30, 'boundary survival summaries are read');
CREATE TEMP TABLE bound_reads AS
SELECT q, r.outcome, r.value
FROM bound_values b, unnest(ARRAY['subjects(v)', 'events(v)', 'survival_at(v, 1e308)',
		'survival_at(v, 5e-324)', 'median_survival(v)', 'median_survival_ci(v)',
		'median_survival_ci(v, 0.999999)', 'restricted_mean_survival(v, 1.7976931348623157e308)',
		'restricted_mean_survival(v, 5e-324)', '(SELECT array_agg(k) FROM kaplan_meier(v, 0.99, true) k)',
		'logrank_test(ARRAY[v, v, ''{"version":1,"time":[1],"events":[1],"censored":[0]}''])']) q,
	LATERAL pg_temp.try_read(format('SELECT (%s)::text FROM (SELECT %L::survival_summary AS v) x', q, b.value)) r;
SELECT is_empty($$SELECT q, outcome, value FROM bound_reads WHERE outcome NOT IN ('ok', '22003')
	OR value ~* 'infinity' OR value ~* 'nan'$$,
	'accessors of boundary survival summaries answer (finite) or fail with 22003');
CREATE TEMP TABLE bound_produced AS
SELECT q, r.outcome, r.value
FROM bound_values b, unnest(ARRAY['survival_combine(v, v)', 'survival_uncombine(v, v)',
		'survival_combine(v, ''{"version":1,"time":[2],"events":[1],"censored":[0]}'')']) q,
	LATERAL pg_temp.try_read(format('SELECT (%s)::text FROM (SELECT %L::survival_summary AS v) x', q, b.value)) r;
SELECT is_empty($$SELECT q, outcome, value FROM bound_produced WHERE outcome NOT IN ('ok', '22003')
	OR (outcome = 'ok' AND (pg_temp.try_read(format('SELECT %L::survival_summary::text', value))).value
		IS DISTINCT FROM value)$$,
	'combine and uncombine of boundary survival summaries read back or fail with 22003');

-- sbg_model: the accessors read what the text says
CREATE TEMP TABLE sbg_text_cases AS
SELECT * FROM pg_temp.fuzz_text_cases('sbg_model', ARRAY[
	'{"version":1,"alpha":0.6680883637504472,"beta":3.8060948636211367,"log_likelihood":-1611.158147391156,"periods":7,"customers":1000,"converged":true}',
	'{"version":1,"alpha":2,"beta":0.5,"log_likelihood":0,"periods":1,"customers":3,"converged":false}'],
	'{}[],:" -0123456789.eaflrstu', 1000, 2);
SELECT pg_temp.fuzz_checks('sbg_text_cases', '22P02', 20, 500, 'sbg_model text literals', 'sbg_model',
	$c$sbg_survival(v, 1) = sbg_retention_rate(v, 1) AND alpha(v) > 0 AND beta(v) > 0$c$);

CREATE TEMP TABLE sbg_binary_cases AS
SELECT * FROM pg_temp.fuzz_binary_cases('sbg_model', ARRAY[
	'{"version":1,"alpha":0.7,"beta":1.2,"log_likelihood":-1680.2,"periods":7,"customers":1000,"converged":true}'],
	400);
SELECT pg_temp.fuzz_checks('sbg_binary_cases', '22P03', 10, 100, 'sbg_model binary payloads', 'sbg_model',
	$c$sbg_survival(v, 1) = sbg_retention_rate(v, 1) AND alpha(v) > 0 AND beta(v) > 0$c$);

SELECT * FROM finish();
ROLLBACK;
