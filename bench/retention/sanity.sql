-- bench/retention/sanity.sql: the timed retention queries against the
-- analyst's count(DISTINCT user) per cohort and period, untimed, serial and
-- with 2 workers.  Prints "ok" or "MISMATCH" per check.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

CREATE FUNCTION pg_temp.check_line(name text, ok boolean, detail text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT format('%-44s %-9s %s', name, CASE WHEN ok THEN 'ok' ELSE 'MISMATCH' END, detail)
$$;

SELECT bench_workers(0) \gset
\set label 'serial'
\ir sanity_cells.sql
SELECT bench_workers(2) \gset
\set label '2 workers'
\ir sanity_cells.sql
SELECT bench_workers(0) \gset
