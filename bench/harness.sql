-- bench/harness.sql: the timing harness every family's measure.sql uses.  Run
-- once by bench/run, before the families' setup.sql files.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- One line of a sanity.sql report: "ok", or "MISMATCH", which bench/run
-- looks for.
CREATE FUNCTION bench_check(name text, ok boolean, detail text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT format('%-44s %-9s %s', name, CASE WHEN ok THEN 'ok' ELSE 'MISMATCH' END, detail)
$$;

-- Reads the named relations into shared buffers, so that the first timed run
-- does not pay for disk reads.  pg_prewarm when available, else a scan.
CREATE FUNCTION bench_prewarm(rels text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_prewarm') THEN
		CREATE EXTENSION IF NOT EXISTS pg_prewarm;
		PERFORM pg_prewarm(rel::regclass) FROM unnest(rels) AS u(rel);
	ELSE
		FOREACH r IN ARRAY rels LOOP
			EXECUTE format('SELECT count(*) FROM %s', r::regclass);
		END LOOP;
	END IF;
END
$$;

CREATE TABLE bench_result (
	seq         serial PRIMARY KEY,
	case_name   text NOT NULL,
	workers     integer NOT NULL,
	ours_ms     double precision NOT NULL,
	base_ms     double precision,
	ratio       double precision,
	target      text NOT NULL,
	status      text NOT NULL,
	ours_plan   text,
	base_plan   text
);

CREATE TABLE bench_sample (
	seq         serial PRIMARY KEY,
	case_name   text NOT NULL,
	workers     integer NOT NULL,
	query       text NOT NULL,
	rep         integer NOT NULL,
	ms          double precision NOT NULL
);

-- Compact plan shape: the node lines of EXPLAIN (COSTS OFF), outermost first.
CREATE FUNCTION bench_plan_shape(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	line  text;
	nodes text[] := '{}';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		IF cardinality(nodes) = 0 OR line ~ '^\s*->' THEN
			nodes := nodes || regexp_replace(line, '^\s*(->)?\s*', '');
		END IF;
	END LOOP;
	RETURN array_to_string(nodes, ' > ');
END $$;

-- Runs every query once to warm up, then reps rounds of all of them, each
-- round starting one query later (ABC, BCA, CAB, ...) so that drift hits all
-- sides alike.  Each run is EXECUTEd (results discarded) between two
-- clock_timestamp() readings.  Returns the median of each query, in ms, and
-- keeps every sample in bench_sample.
CREATE FUNCTION bench_medians(case_name text, workers integer, reps integer,
		queries text[], labels text[]) RETURNS double precision[]
LANGUAGE plpgsql AS $$
DECLARE
	n       integer := cardinality(queries);
	samples double precision[] := array_fill(NULL::double precision, ARRAY[n, reps]);
	medians double precision[] := '{}';
	t0      timestamptz;
	t1      timestamptz;
	i       integer;
BEGIN
	FOR i IN 1..n LOOP
		EXECUTE queries[i];
	END LOOP;
	FOR r IN 1..reps LOOP
		FOR k IN 0..n - 1 LOOP
			i := (k + r - 1) % n + 1;
			t0 := clock_timestamp();
			EXECUTE queries[i];
			t1 := clock_timestamp();
			samples[i][r] := extract(epoch FROM t1 - t0) * 1000;
		END LOOP;
	END LOOP;
	FOR i IN 1..n LOOP
		INSERT INTO bench_sample (case_name, workers, query, rep, ms)
		SELECT case_name, workers, labels[i], x.rep, x.ms
		FROM unnest(samples[i:i][1:reps]) WITH ORDINALITY AS x(ms, rep);
		medians := medians || (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v)
			FROM unnest(samples[i:i][1:reps]) v);
	END LOOP;
	RETURN medians;
END $$;

-- Session settings for a worker count.  0: serial plans only.  2: up to two
-- workers per Gather, parallel_setup_cost lowered from 1000 to 100 so that
-- the planner goes parallel readily.  parallel_tuple_cost stays at its
-- default 0.1: lowered to 0.001 it made the planner ship all 10 M rows
-- through a Gather Merge for GROUP BY date_trunc('month', answered_at)
-- (slower than serial) instead of aggregating in the workers.  bench_compare
-- flags any measured plan that came out serial.
CREATE FUNCTION bench_workers(workers integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('max_parallel_workers_per_gather', workers::text, false);
	IF workers > 0 THEN
		PERFORM set_config('parallel_setup_cost', '100', false);
		PERFORM set_config('parallel_tuple_cost', '0.1', false);
	ELSE
		PERFORM set_config('parallel_setup_cost', '1000', false);
		PERFORM set_config('parallel_tuple_cost', '0.1', false);
	END IF;
END $$;

CREATE FUNCTION bench_header() RETURNS text
LANGUAGE sql AS $$
	SELECT format('%-40s %7s %10s %11s %7s %10s  %s',
		'case', 'workers', 'ours ms', 'baseline ms', 'ratio', 'target', 'ok/MISS')
$$;

CREATE FUNCTION bench_format(r bench_result) RETURNS text
LANGUAGE sql AS $$
	SELECT format('%-40s %7s %10s %11s %7s %10s  %s',
		r.case_name, r.workers,
		to_char(r.ours_ms, 'FM9999990.0'),
		coalesce(to_char(r.base_ms, 'FM9999990.0'), '-'),
		coalesce(to_char(r.ratio, 'FM9990.000'), '-'),
		r.target, r.status)
$$;

-- One comparison: ours against one or more baselines, all interleaved.
-- cases[i] names the comparison of ours with baselines[i] and targets[i] is
-- its target for the ratio ours / baselines[i]; with abs_target_ms the target
-- is instead an absolute one on ours.  informational: a miss is reported as
-- "miss (info)" rather than "MISS".  expect_parallel: with workers > 0, flag
-- a plan of ours without a Gather.  gucs: 'name=value' settings for all the
-- queries of this comparison (plans and runs), reset afterwards.  Returns the bench_result rows it added,
-- formatted.
CREATE FUNCTION bench_compare(cases text[], workers integer, reps integer,
		ours text, baselines text[], targets double precision[],
		informational boolean DEFAULT false,
		abs_target_ms double precision DEFAULT NULL,
		expect_parallel boolean DEFAULT true,
		gucs text[] DEFAULT '{}')
	RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	m       double precision[];
	plans   text[] := '{}';
	labels  text[] := '{}';
	ratio   double precision;
	ok      boolean;
	tgt     text;
	st      text;
	rec     bench_result;
	g       text;
BEGIN
	PERFORM bench_workers(workers);
	FOREACH g IN ARRAY gucs LOOP
		PERFORM set_config(split_part(g, '=', 1), split_part(g, '=', 2), false);
	END LOOP;
	plans := plans || bench_plan_shape(ours);
	labels := labels || 'ours'::text;
	FOR i IN 1..cardinality(baselines) LOOP
		plans := plans || bench_plan_shape(baselines[i]);
		labels := labels || regexp_replace(cases[i], '^.* vs ', 'baseline: ');
	END LOOP;
	m := bench_medians(array_to_string(cases, ' / '), workers, reps,
		ARRAY[ours] || baselines, labels);
	FOR i IN 1..cardinality(baselines) LOOP
		ratio := m[1] / nullif(m[i + 1], 0);
		IF abs_target_ms IS NOT NULL THEN
			ok := m[1] <= abs_target_ms;
			tgt := format('<= %s ms', abs_target_ms);
		ELSE
			ok := ratio <= targets[i];
			tgt := format('<= %s', targets[i]);
		END IF;
		st := CASE WHEN ok THEN 'ok' ELSE 'MISS' END;
		IF informational THEN
			st := lower(st) || ' (info)';
		END IF;
		IF workers > 0 AND expect_parallel AND plans[1] NOT LIKE '%Gather%' THEN
			st := st || ' [serial plan!]';
		END IF;
		INSERT INTO bench_result (case_name, workers, ours_ms, base_ms, ratio,
				target, status, ours_plan, base_plan)
			VALUES (cases[i], workers, m[1], m[i + 1], ratio, tgt, st,
				plans[1], plans[i + 1])
			RETURNING * INTO rec;
		RETURN NEXT bench_format(rec);
	END LOOP;
	FOREACH g IN ARRAY gucs LOOP
		EXECUTE format('RESET %I', split_part(g, '=', 1));
	END LOOP;
	PERFORM bench_workers(0);
END $$;
