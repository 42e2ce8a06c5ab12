-- Malformed and corrupt holdout_summary input, generated: random mutations
-- of valid text literals and binary payloads must each either be read (and
-- then round-trip exactly and read consistently) or be rejected with 22P02
-- (text) / 22P03 (binary).  Never another error, never a crash.
BEGIN;
SELECT plan(8);
SELECT setseed(0.61);

\ir ../fuzz.sql

-- rollup of one summary: the summary itself
CREATE FUNCTION pg_temp.rollup_of(v holdout_summary) RETURNS holdout_summary LANGUAGE sql AS
	$$SELECT rollup(x) FROM (VALUES (v)) t(x)$$;

CREATE TEMP TABLE holdout_text AS
SELECT * FROM pg_temp.fuzz_text_cases('holdout_summary', ARRAY[
	'{"version":1,"bins":[[0,1411,334,318.11119049020397],[1,439,306,229.67432179190348],[7,23,113,90.73942962560805],[101,4,5,2.7208193468158935e-23]]}',
	'{"version":1,"bins":[[3,1,0,0.5]]}',
	'{"version":1,"bins":[[0,1,0,0.94],[1,1,4,0.70]],"period_length":2,"periods":[[2,0.75],[1,1.26],[1,1.64]]}',
	'{"version":1,"bins":[]}',
	'{"version":2,"bins":[[0,1,0,0.94],[1,1,4,0.70]],"period_length":2,"calibration_periods":2,"periods":[[1,0.2],[3,0.5],[2,0.75],[1,1.26],[1,1.64]]}'],
	'{}[],:" -.0123456789eE', 1200, 1);
SELECT pg_temp.fuzz_checks('holdout_text', '22P02', 50, 1000, 'holdout_summary text literals', 'holdout_summary',
	$$(SELECT sum(customers) FROM calibration_table(v, 101)) = (holdout_totals(v)).customers
	  AND pg_temp.rollup_of(v)::text = v::text
	  AND (v::text NOT LIKE '%periods%' OR (SELECT coalesce(sum(actual) FILTER (WHERE period > 0), 0)
		FROM holdout_tracking(v)) = (holdout_totals(v)).actual)$$);
CREATE TEMP TABLE holdout_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('holdout_summary', ARRAY[
	'{"version":1,"bins":[[0,1411,334,318.11119049020397],[2,214,298,223.45232011643],[101,4,5,2.7208193468158935e-23]]}',
	'{"version":1,"bins":[[0,1,0,0.94],[1,1,4,0.70]],"period_length":2,"periods":[[2,0.75],[1,1.26],[1,1.64]]}',
	'{"version":2,"bins":[[0,1,0,0.94],[1,1,4,0.70]],"period_length":2,"calibration_periods":2,"periods":[[1,0.2],[3,0.5],[2,0.75],[1,1.26],[1,1.64]]}'], 300);
SELECT pg_temp.fuzz_checks('holdout_binary', '22P03', 20, 100, 'holdout_summary binary payloads', 'holdout_summary',
	$$(SELECT sum(customers) FROM calibration_table(v, 101)) = (holdout_totals(v)).customers
	  AND pg_temp.rollup_of(v)::text = v::text
	  AND (v::text NOT LIKE '%periods%' OR (SELECT coalesce(sum(actual) FILTER (WHERE period > 0), 0)
		FROM holdout_tracking(v)) = (holdout_totals(v)).actual)$$);

SELECT * FROM finish();
ROLLBACK;
