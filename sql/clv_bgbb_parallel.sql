--
-- bgbb_fit under forced-parallel plans gives the serial result, including
-- over zero matching rows, one row a customer and in weighted cells.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- 60,000 generated customers over 4 to 12 opportunities, and their cells,
-- each split into up to 40 rows (a cell may come in several rows)
CREATE TABLE par_bgbb AS
SELECT i, x, CASE WHEN x = 0 THEN 0 ELSE x + (i * 7) % (n - x + 1) END AS t, n
FROM (SELECT i, (i * 13) % (n + 1) % 5 AS x, n
	  FROM (SELECT i, 4 + i % 9 AS n FROM generate_series(1, 60000) i) a) b;
CREATE TABLE par_bgbb_cells AS
SELECT x, t, n, count(*) AS c FROM par_bgbb GROUP BY x, t, n, i % 40;
ANALYZE par_bgbb;
ANALYZE par_bgbb_cells;

CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('bgbb_fit', $$SELECT bgbb_fit(x, t, n)::text FROM par_bgbb$$),
	('bgbb_fit, no rows', $$SELECT bgbb_fit(x, t, n)::text FROM par_bgbb WHERE i < 0$$),
	('bgbb_fit, weighted', $$SELECT bgbb_fit(x, t, n, c)::text FROM par_bgbb_cells$$),
	('bgbb_fit, weighted, no rows', $$SELECT bgbb_fit(x, t, n, c)::text FROM par_bgbb_cells WHERE c + 0 < 0$$),
	('bgbb_std_errors', $$SELECT bgbb_std_errors(x, t, n)::text FROM par_bgbb$$),
	('bgbb_std_errors, weighted, no rows', $$SELECT bgbb_std_errors(x, t, n, c)::text FROM par_bgbb_cells WHERE c + 0 < 0$$);

\set ECHO none
\i test/parallel.sql
\set ECHO all

-- serial: no plan splits an aggregate
SET max_parallel_workers_per_gather = 0;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();

-- forced parallel: each plan has a Partial Aggregate under a Gather
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();

SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;

-- the serial fits: every customer counted, one model from rows and cells
RESET max_parallel_workers_per_gather;
SELECT (SELECT customers(bgbb_fit(x, t, n)) FROM par_bgbb) AS customers,
	(SELECT bgbb_fit(x, t, n)::text FROM par_bgbb) = (SELECT bgbb_fit(x, t, n, c)::text FROM par_bgbb_cells)
		AS rows_and_cells_agree;
