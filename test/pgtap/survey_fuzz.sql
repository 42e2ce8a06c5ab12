-- Malformed and corrupt survey_summary input, generated: thousands of random
-- mutations of valid text literals and binary payloads must each either be
-- read (and then round-trip exactly and read consistently) or be rejected
-- with 22P02 (text) / 22P03 (binary).  Never another error, never a crash.
BEGIN;
SELECT plan(8);
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

SELECT * FROM finish();
ROLLBACK;
