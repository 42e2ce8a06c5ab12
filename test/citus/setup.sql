-- The Citus harness (test/citus/run), set up on the coordinator:
--   schema local    the tables of test/shards_tables.sql with every row: the
--                   single-node copy, whose results are the expected ones
--   schema sharded  the same tables distributed by their second column (the
--                   entity: customer, visitor, user, deal; or the bucket or
--                   period), filled with the same rows
--   shard_checks    the checks of test/shards_cases.sql, which group by
--                   region: Citus splits each aggregate between the workers
--                   and the coordinator, or pulls the rows
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE SCHEMA local;
CREATE SCHEMA sharded;
SET search_path = local, public;
\ir ../shards_tables.sql
\ir ../shards_data.sql

DO $$
DECLARE
	t name;
BEGIN
	FOR t IN SELECT relname FROM pg_class WHERE relnamespace = 'local'::regnamespace AND relkind = 'r'
		ORDER BY relname
	LOOP
		EXECUTE format('CREATE TABLE sharded.%I (LIKE local.%I)', t, t);
		PERFORM create_distributed_table(format('sharded.%I', t),
			(SELECT attname FROM pg_attribute WHERE attrelid = format('local.%I', t)::regclass AND attnum = 2));
		EXECUTE format('INSERT INTO sharded.%I SELECT * FROM local.%I', t, t);
		EXECUTE format('ANALYZE local.%I', t);
		EXECUTE format('ANALYZE sharded.%I', t);
	END LOOP;
END $$;
RESET search_path;

\ir ../shards_cases.sql
