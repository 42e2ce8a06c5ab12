-- Run by test/run on the coordinator that test/shards.sql set up: one line
-- per check, "ok - ..." or "not ok - ..." (with "#" lines saying why).  With
-- psql variable harness=citus, by test/citus/run on the Citus coordinator
-- that test/citus/setup.sql set up: the aggregates must show in the workers'
-- queries instead of postgres_fdw's Remote SQL, and the controls of
-- postgres_fdw's partitionwise aggregation (checks not remote) are skipped.
SET client_min_messages = warning;
\if :{?harness}
\else
\set harness postgres_fdw
\endif
SET crm_kpi_test.harness = :'harness';
-- The remote sessions of postgres_fdw run in UTC: so do the checks, unless
-- one sets another TimeZone
SET TimeZone = 'UTC';
SET enable_partitionwise_aggregate = on;

-- The lines of a query's plan that run elsewhere: postgres_fdw's "Remote
-- SQL:", Citus's workers' "Query:"
CREATE FUNCTION pg_temp.remote_sql(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	line text;
	pattern text := CASE current_setting('crm_kpi_test.harness')
		WHEN 'citus' THEN '^\s*Query: ' ELSE '^\s*Remote SQL: ' END;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query LOOP
		IF line ~ pattern THEN
			RETURN NEXT line;
		END IF;
	END LOOP;
END $$;

-- A query's rows as a JSON array of arrays (positional, whatever the column
-- names), in the order of the rows' text
CREATE FUNCTION pg_temp.result(query text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r jsonb;
BEGIN
	-- Citus: OFFSET 0 keeps the JSON here, where timestamps print in this
	-- session's time zone (a pushed-down subquery would print the workers')
	IF current_setting('crm_kpi_test.harness') = 'citus' THEN
		query := format('SELECT * FROM (%s) q0 OFFSET 0', query);
	END IF;
	EXECUTE format('SELECT jsonb_agg((SELECT jsonb_agg(c.value) FROM json_each(row_to_json(q)) c) '
		'ORDER BY q::text COLLATE "C") FROM (%s) q', query) INTO r;
	RETURN r;
END $$;

-- Equal JSON values, numbers within a relative tolerance
CREATE FUNCTION pg_temp.within(a jsonb, b jsonb, tolerance double precision) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	IF jsonb_typeof(a) IS DISTINCT FROM jsonb_typeof(b) THEN
		RETURN false;
	END IF;
	CASE jsonb_typeof(a)
	WHEN 'number' THEN
		RETURN abs(a::float8 - b::float8) <= tolerance * greatest(abs(a::float8), abs(b::float8));
	WHEN 'array' THEN
		RETURN jsonb_array_length(a) = jsonb_array_length(b)
			AND NOT EXISTS (SELECT FROM generate_series(0, jsonb_array_length(a) - 1) i
				WHERE NOT pg_temp.within(a -> i, b -> i, tolerance));
	WHEN 'object' THEN
		RETURN (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(a) k)
				= (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(b) k)
			AND NOT EXISTS (SELECT FROM jsonb_object_keys(a) k WHERE NOT pg_temp.within(a -> k, b -> k, tolerance));
	ELSE
		RETURN a = b;
	END CASE;
END $$;

-- The aggregates of crm_kpi a query calls, from the dependencies of a view on it
CREATE FUNCTION pg_temp.aggregates_of(query text) RETURNS regprocedure[] LANGUAGE plpgsql AS $$
DECLARE
	r regprocedure[];
BEGIN
	EXECUTE format('CREATE TEMP VIEW shard_check_view AS SELECT count(*) FROM (%s) q', query);
	SELECT array_agg(DISTINCT d.refobjid::regprocedure) INTO r
	FROM pg_depend d JOIN pg_rewrite w ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid
	JOIN pg_aggregate a ON a.aggfnoid = d.refobjid
	JOIN pg_depend e ON e.classid = 'pg_proc'::regclass AND e.objid = d.refobjid AND e.deptype = 'e'
		AND e.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'crm_kpi')
	WHERE w.ev_class = 'shard_check_view'::regclass AND d.refclassid = 'pg_proc'::regclass;
	DROP VIEW shard_check_view;
	RETURN coalesce(r, '{}');
END $$;

-- The same rows (as text: summary types have no equality) in the local and
-- the sharded table, and some on each shard
CREATE FUNCTION pg_temp.same_rows(t name) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	ok boolean;
BEGIN
	EXECUTE format('SELECT NOT EXISTS (SELECT x::text FROM local.%1$I x EXCEPT ALL SELECT x::text FROM sharded.%1$I x) '
		'AND NOT EXISTS (SELECT x::text FROM sharded.%1$I x EXCEPT ALL SELECT x::text FROM local.%1$I x)', t)
	INTO ok;
	-- postgres_fdw: some rows on each shard (Citus spreads them by hash)
	IF ok AND current_setting('crm_kpi_test.harness') = 'postgres_fdw' THEN
		EXECUTE format('SELECT EXISTS (SELECT FROM sharded.%I) AND EXISTS (SELECT FROM sharded.%I)',
			t || '_1', t || '_2') INTO ok;
	END IF;
	RETURN ok;
END $$;

-- per check, the aggregates whose push-down (or its absence) and whose
-- results it showed
CREATE TEMP TABLE outcomes (name text, shipping regprocedure[], compared regprocedure[]);

-- Run every check
CREATE FUNCTION pg_temp.run(c shard_checks) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	setting text;
	saved text[] := '{}';
	lines text[];
	calls boolean;
	sharded jsonb;
	single jsonb;
	same boolean;
	pushed_ok boolean;
	aggs regprocedure[];
BEGIN
	-- an error fails the check, not the run, and undoes its settings
	FOREACH setting IN ARRAY c.settings LOOP
		saved := saved || format('%s=%s', split_part(setting, '=', 1), current_setting(split_part(setting, '=', 1)));
		PERFORM set_config(split_part(setting, '=', 1), substr(setting, strpos(setting, '=') + 1), false);
	END LOOP;
	PERFORM set_config('search_path', 'sharded, public', false);
	aggs := pg_temp.aggregates_of(c.query);
	IF cardinality(c.aggregates) > 0 THEN
		lines := ARRAY(SELECT pg_temp.remote_sql(c.query));
		-- postgres_fdw: every Remote SQL line calls every one of the
		-- aggregates, or none; Citus: each is called by some workers' query
		-- (another line may be a query on the coordinator's intermediate results)
		IF current_setting('crm_kpi_test.harness') = 'citus' THEN
			SELECT bool_and(EXISTS (SELECT FROM unnest(lines) l WHERE l ~ ('\m' || a || '\(')) = c.citus_split)
			INTO calls FROM unnest(c.aggregates) a;
		ELSE
			SELECT CASE WHEN c.remote THEN bool_and(l ~ ('\m' || a || '\(')) ELSE NOT bool_or(l ~ ('\m' || a || '\(')) END
			INTO calls FROM unnest(lines) l, unnest(c.aggregates) a;
		END IF;
		-- postgres_fdw: a line per shard; Citus shows one task's query
		pushed_ok := cardinality(lines) >= CASE current_setting('crm_kpi_test.harness')
			WHEN 'citus' THEN 1 ELSE 2 END AND calls;
		RETURN NEXT format('%s - push-down: %s', CASE WHEN pushed_ok THEN 'ok' ELSE 'not ok' END, c.name);
		IF NOT pushed_ok THEN
			IF current_setting('crm_kpi_test.harness') = 'citus' THEN
				RETURN NEXT format('# expected %s %s in the workers'' queries:', array_to_string(c.aggregates, ', '),
					CASE WHEN c.citus_split THEN 'called (split or whole)' ELSE 'not called (rows pulled)' END);
			ELSE
				RETURN NEXT format('# expected %s %s in every Remote SQL line (two or more) of:',
					array_to_string(c.aggregates, ', '), CASE WHEN c.remote THEN 'called' ELSE 'not called' END);
			END IF;
			RETURN QUERY SELECT '# ' || l FROM unnest(lines) l;
			RETURN NEXT '# ' || c.why;
		END IF;
	END IF;
	sharded := pg_temp.result(c.query);
	PERFORM set_config('search_path', 'local, public', false);
	single := pg_temp.result(coalesce(c.oracle, c.query));
	same := CASE WHEN c.tolerance = 0 THEN sharded = single ELSE pg_temp.within(sharded, single, c.tolerance) END;
	same := coalesce(jsonb_array_length(sharded) > 0 AND same = c.equal, false);
	RETURN NEXT format('%s - %s%s: %s', CASE WHEN same THEN 'ok' ELSE 'not ok' END,
		CASE WHEN c.equal THEN 'equal' ELSE 'unequal' END,
		CASE WHEN c.tolerance > 0 THEN ' within ' || c.tolerance END, c.name);
	IF NOT same THEN
		RETURN NEXT '# sharded:     ' || left(sharded::text, 2000);
		RETURN NEXT '# single node: ' || left(single::text, 2000);
		RETURN NEXT '# ' || c.why;
	END IF;
	INSERT INTO outcomes VALUES (c.name,
		CASE WHEN pushed_ok THEN
			ARRAY(SELECT a FROM unnest(aggs) a WHERE (SELECT proname FROM pg_proc WHERE oid = a) = ANY (c.aggregates))
		ELSE '{}' END,
		CASE WHEN same AND c.equal THEN aggs ELSE '{}' END);
	FOREACH setting IN ARRAY saved LOOP
		PERFORM set_config(split_part(setting, '=', 1), substr(setting, strpos(setting, '=') + 1), false);
	END LOOP;
	RESET search_path;
EXCEPTION WHEN OTHERS THEN
	RETURN NEXT format('not ok - %s: %s', c.name, SQLERRM);
END $$;

CREATE FUNCTION pg_temp.run_all() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	c shard_checks;
BEGIN
	FOR c IN SELECT * FROM shard_checks
		WHERE remote OR current_setting('crm_kpi_test.harness') = 'postgres_fdw' ORDER BY name LOOP
		RETURN QUERY SELECT pg_temp.run(c);
	END LOOP;
END $$;

\pset tuples_only on
\pset format unaligned

-- The shards hold exactly the rows of the single-node copy, some on each
SELECT CASE WHEN bool_and(ok) THEN 'ok' ELSE 'not ok' END
	|| ' - the shards hold the rows of the single-node copy'
	|| coalesce(E'\n# differ: ' || string_agg(t, ', ') FILTER (WHERE NOT ok), '')
FROM (SELECT c.relname AS t, pg_temp.same_rows(c.relname) AS ok
	FROM pg_class c WHERE c.relnamespace = 'local'::regnamespace AND c.relkind = 'r') x;

SELECT pg_temp.run_all();

-- Every aggregate of crm_kpi is pushed down (or shown not to be, with why)
-- and compared by some check: a new aggregate needs a check
SELECT CASE WHEN count(*) = 0 THEN 'ok' ELSE 'not ok' END || ' - every aggregate''s push-down is checked'
	|| coalesce(E'\n# not checked: ' || string_agg(a::text, ', '), '')
FROM (SELECT p.oid::regprocedure AS a FROM pg_proc p JOIN pg_aggregate g ON g.aggfnoid = p.oid
	JOIN pg_depend e ON e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e'
		AND e.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'crm_kpi')
	EXCEPT SELECT unnest(shipping) FROM outcomes) x;
SELECT CASE WHEN count(*) = 0 THEN 'ok' ELSE 'not ok' END
	|| ' - every aggregate is compared with the single-node result by a check'
	|| coalesce(E'\n# not compared: ' || string_agg(a::text, ', '), '')
FROM (SELECT p.oid::regprocedure AS a FROM pg_proc p JOIN pg_aggregate g ON g.aggfnoid = p.oid
	JOIN pg_depend e ON e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e'
		AND e.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'crm_kpi')
	EXCEPT SELECT unnest(compared) FROM outcomes) x;
