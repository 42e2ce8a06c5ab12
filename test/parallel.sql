-- Helpers of the pg_regress *_parallel.sql tests (included with \i):
--   pg_temp.run_queries([table]) runs every query of a table of (name,
--                           query), by default "queries", and returns (name,
--                           its result rows as text), for comparing plans
--   pg_temp.force_parallel() the forced-parallel settings: two workers, no
--                           parallel costs, no leader participation, and
--                           debug_parallel_query (force_parallel_mode before
--                           PostgreSQL 16); returns the last setting, 'on'
CREATE FUNCTION pg_temp.run_queries(tab text DEFAULT 'queries')
	RETURNS TABLE (name text, result text)
LANGUAGE plpgsql AS $$
DECLARE q record;
BEGIN
	FOR q IN EXECUTE format('SELECT t.name, t.query FROM %I t ORDER BY t.name', tab) LOOP
		RETURN QUERY EXECUTE format('SELECT %L, string_agg(r::text, %L) FROM (%s) r',
			q.name, E'\n', q.query);
	END LOOP;
END $$;

CREATE FUNCTION pg_temp.force_parallel() RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('max_parallel_workers_per_gather', '2', false);
	PERFORM set_config('parallel_setup_cost', '0', false);
	PERFORM set_config('parallel_tuple_cost', '0', false);
	PERFORM set_config('min_parallel_table_scan_size', '0', false);
	PERFORM set_config('parallel_leader_participation', 'off', false);
	RETURN set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
		THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', false);
END $$;
