-- Malformed and corrupt rfm_summary, bgnbd_model and gamma_gamma_model input,
-- generated: thousands of random mutations of valid text literals and binary
-- payloads must each either be read (and then round-trip exactly and read
-- consistently) or be rejected with 22P02 (text) / 22P03 (binary).  Never
-- another error, never a crash.
BEGIN;
SELECT plan(24);
SELECT setseed(0.53);

\ir ../fuzz.sql

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

SELECT * FROM finish();
ROLLBACK;
