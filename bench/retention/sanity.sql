-- bench/retention/sanity.sql: the timed retention queries against the
-- analyst's count(DISTINCT user) per cohort and period, untimed, serial and
-- with 2 workers.  Prints "ok" or "MISMATCH" per check.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

SELECT bench_workers(0) \gset
\set label 'serial'
\ir sanity_cells.sql
SELECT bench_workers(2) \gset
\set label '2 workers'
\ir sanity_cells.sql
SELECT bench_workers(0) \gset
