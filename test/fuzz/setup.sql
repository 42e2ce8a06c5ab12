-- Helpers of the fuzzer (test/fuzz/run), in the database it fuzzes.
SET client_min_messages = warning;

-- A value the extension produced, as text, after checking that it reads back
-- (through the type's input function) to the same text: a produced value
-- that cannot be read back is a finding (SQLSTATE FZ001/FZ002).
CREATE OR REPLACE FUNCTION fuzz_reread(x anyelement) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t text := x::text;
	y x%TYPE;
BEGIN
	BEGIN
		y := t;
	EXCEPTION WHEN others THEN
		RAISE EXCEPTION 'produced value cannot be read back (%: %): %', SQLSTATE, SQLERRM, t
			USING ERRCODE = 'FZ001';
	END;
	IF y::text IS DISTINCT FROM t THEN
		RAISE EXCEPTION 'produced value reads back differently: % then %', t, y::text USING ERRCODE = 'FZ002';
	END IF;
	RETURN t;
END $$;

-- The forced-parallel settings of test/parallel.sql (on), or the defaults (off)
CREATE OR REPLACE FUNCTION fuzz_force_parallel(on_ boolean) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('max_parallel_workers_per_gather', CASE WHEN on_ THEN '2' ELSE '0' END, false);
	PERFORM set_config('parallel_setup_cost', CASE WHEN on_ THEN '0' ELSE '1000' END, false);
	PERFORM set_config('parallel_tuple_cost', CASE WHEN on_ THEN '0' ELSE '0.1' END, false);
	PERFORM set_config('min_parallel_table_scan_size', CASE WHEN on_ THEN '0' ELSE '8MB' END, false);
	PERFORM set_config('parallel_leader_participation', CASE WHEN on_ THEN 'off' ELSE 'on' END, false);
	RETURN set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
		THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, CASE WHEN on_ THEN 'on' ELSE 'off' END, false);
END $$;
