-- The shard harness, set up on the coordinator by test/run (psql variables
-- shard1, shard2: the shards' socket directories; port; shard_db: their
-- database, where crm_kpi and test/shards_tables.sql are installed).
--   schema local    the tables of test/shards_tables.sql with every row: the
--                   single-node copy, whose results are the expected ones
--   schema sharded  the same tables partitioned by LIST (region), each
--                   partition a postgres_fdw foreign table on a shard
--                   ('emea' on shard1, 'amer' and 'apac' on shard2) holding
--                   the same rows, inserted through the partitioned table
--   shard_checks    one row per check, run by test/shards_check.sql
-- Every timestamp is built in UTC, the time zone of postgres_fdw's remote
-- sessions.
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE EXTENSION postgres_fdw;
-- extensions 'crm_kpi': the extension's functions, aggregates and types may
-- be sent to the shards.  fdw_tuple_cost 0.2, the default from PostgreSQL 17
-- on (0.01 before), so that every version weighs fetching rows alike: at
-- 0.01 the planner aggregates a few dozen rows here rather than there.
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host :'shard1', port :'port', dbname :'shard_db', extensions 'crm_kpi', fdw_tuple_cost '0.2');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host :'shard2', port :'port', dbname :'shard_db', extensions 'crm_kpi', fdw_tuple_cost '0.2');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1;
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2;

CREATE SCHEMA local;
CREATE SCHEMA sharded;
SET search_path = local, public;
\ir shards_tables.sql

\ir shards_data.sql

-- The sharded tables: each local table partitioned by region, its partitions
-- on the shards, filled with the same rows through tuple routing
DO $$
DECLARE
	t name;
BEGIN
	FOR t IN SELECT relname FROM pg_class WHERE relnamespace = 'local'::regnamespace AND relkind = 'r'
		ORDER BY relname
	LOOP
		EXECUTE format('CREATE TABLE sharded.%I (LIKE local.%I) PARTITION BY LIST (region)', t, t);
		EXECUTE format('CREATE FOREIGN TABLE sharded.%I PARTITION OF sharded.%I FOR VALUES IN (%L) '
			'SERVER shard1 OPTIONS (schema_name %L, table_name %L)', t || '_1', t, 'emea', 'public', t);
		EXECUTE format('CREATE FOREIGN TABLE sharded.%I PARTITION OF sharded.%I FOR VALUES IN (%L, %L) '
			'SERVER shard2 OPTIONS (schema_name %L, table_name %L)', t || '_2', t, 'amer', 'apac', 'public', t);
		EXECUTE format('INSERT INTO sharded.%I SELECT * FROM local.%I', t, t);
		EXECUTE format('ANALYZE local.%I', t);
		EXECUTE format('ANALYZE sharded.%I', t);
	END LOOP;
END $$;
RESET search_path;

\ir shards_cases.sql
