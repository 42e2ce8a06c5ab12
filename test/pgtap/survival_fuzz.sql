-- Malformed and corrupt survival_summary and sbg_model input, generated:
-- thousands of random mutations of valid text literals and binary payloads
-- must each either be read (and then round-trip exactly and read
-- consistently) or be rejected with 22P02 (text) / 22P03 (binary).  Never
-- another error, never a crash.
BEGIN;
SELECT plan(16);
SELECT setseed(0.47);

\ir ../fuzz.sql

-- survival_summary: the Kaplan-Meier table accounts for every subject
CREATE TEMP TABLE text_cases AS
SELECT * FROM pg_temp.fuzz_text_cases('survival_summary', ARRAY[
	'{"version":1,"time":[9,13,18,23,28,31],"events":[1,1,1,1,0,1],"censored":[0,1,0,0,1,0]}',
	'{"version":1,"time":[0,0.5,2.25,1e10],"events":[3,0,12,1],"censored":[1,4,0,9]}',
	'{"version":1,"time":[],"events":[],"censored":[]}'],
	'{}[],:" -0123456789.ev', 1500, 2);
SELECT pg_temp.fuzz_checks('text_cases', '22P02', 10, 1000, 'survival_summary text literals',
	'survival_summary',
	$c$(SELECT coalesce(sum(events + censored), 0) FROM kaplan_meier(v, 0.95, true)) = subjects(v)$c$);

CREATE TEMP TABLE binary_cases AS
SELECT * FROM pg_temp.fuzz_binary_cases('survival_summary', ARRAY[
	'{"version":1,"time":[9,13,18,23,28,31],"events":[1,1,1,1,0,1],"censored":[0,1,0,0,1,0]}',
	'{"version":1,"time":[0,0.5],"events":[3,0],"censored":[1,4]}'], 300);
SELECT pg_temp.fuzz_checks('binary_cases', '22P03', 20, 100, 'survival_summary binary payloads',
	'survival_summary',
	$c$(SELECT coalesce(sum(events + censored), 0) FROM kaplan_meier(v, 0.95, true)) = subjects(v)$c$);

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
