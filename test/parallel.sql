-- Helpers of the pg_regress *_parallel.sql tests (included with \i):
--   pg_temp.run_queries([table]) runs every query of a table of (name,
--                           query), by default "queries", and returns (name,
--                           its result rows as text), for comparing plans
--   pg_temp.force_parallel() the forced-parallel settings: two workers, no
--                           parallel costs, no leader participation, and
--                           debug_parallel_query (force_parallel_mode before
--                           PostgreSQL 16); returns the last setting, 'on'
--   pg_temp.plan_shape(query) the plan of a query as one line, from EXPLAIN
--                           (FORMAT JSON, COSTS OFF): its aggregates with their
--                           partial mode, Gathers with the workers planned,
--                           appends and table scans, parent -> child (siblings
--                           in [ ]); nothing that depends on timing or on the
--                           PostgreSQL version (no EXPLAIN ANALYZE figures, no
--                           aggregate strategies, Gather Merge shown as Gather)
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

CREATE FUNCTION pg_temp.plan_node(node jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	kind text := node->>'Node Type';
	label text;
	children text[];
BEGIN
	-- the nodes that show where an aggregate runs and how it is split; the
	-- others (sorts, hashes, subquery scans, results) are passed through, as
	-- they come and go between versions without changing that
	label := CASE
		WHEN kind = 'Aggregate' THEN
			concat_ws(' ', nullif(node->>'Partial Mode', 'Simple'), 'Aggregate')
		WHEN kind IN ('Gather', 'Gather Merge') THEN
			format('Gather (%s workers)', node->>'Workers Planned')
		WHEN kind IN ('Append', 'Merge Append') THEN 'Append'
		WHEN node ? 'Relation Name' THEN
			concat_ws(' ', CASE WHEN (node->>'Parallel Aware')::boolean THEN 'Parallel' END,
				kind, 'on', node->>'Relation Name')
	END;
	SELECT array_agg(c ORDER BY i) INTO children
	FROM jsonb_array_elements(coalesce(node->'Plans', '[]')) WITH ORDINALITY AS p(child, i),
		pg_temp.plan_node(p.child) AS c
	WHERE c IS NOT NULL;
	RETURN CASE
		WHEN cardinality(children) > 1 THEN
			concat_ws(' ', label, '[' || array_to_string(children, '; ') || ']')
		WHEN label IS NULL THEN children[1]
		ELSE concat_ws(' -> ', label, children[1])
	END;
END $$;

CREATE FUNCTION pg_temp.plan_shape(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
	RETURN pg_temp.plan_node(plan::jsonb->0->'Plan');
END $$;
