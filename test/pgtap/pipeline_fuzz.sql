-- Malformed and corrupt pipeline_summary input, generated: thousands of
-- random mutations of valid text literals and binary payloads must each
-- either be read (and then round-trip exactly and read consistently) or be
-- rejected with 22P02 (text) / 22P03 (binary).  Never another error, never a
-- crash.  The same method as survey_fuzz.sql.
BEGIN;
SELECT plan(8);
SELECT setseed(0.62);

CREATE FUNCTION pg_temp.mutate(lit text, alphabet text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	pos int := 1 + floor(random() * greatest(length(lit), 1))::int;
	ch text := substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1);
BEGIN
	CASE floor(random() * 5)::int
	WHEN 0 THEN RETURN overlay(lit PLACING '' FROM pos FOR 1);                    -- delete
	WHEN 1 THEN RETURN overlay(lit PLACING ch FROM pos FOR 0);                    -- insert
	WHEN 2 THEN RETURN overlay(lit PLACING ch FROM pos FOR 1);                    -- replace
	WHEN 3 THEN RETURN left(lit, pos);                                            -- truncate
	ELSE RETURN overlay(lit PLACING substr(lit, pos, 5) FROM pos FOR 0);          -- duplicate
	END CASE;
END $$;

-- Run a query that reads one value; its outcome is 'ok' or the SQLSTATE it raised
CREATE FUNCTION pg_temp.try_read(query text, OUT outcome text, OUT value text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query INTO value;
	outcome := 'ok';
EXCEPTION WHEN others THEN
	outcome := SQLSTATE;
END $$;

-- The four assertions on a table of cases (m, outcome, value)
CREATE FUNCTION pg_temp.fuzz_checks(cases text, code text, min_read int, min_rejected int,
		what text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	n_read bigint;
	n_rejected bigint;
BEGIN
	EXECUTE format($q$SELECT count(*) FILTER (WHERE outcome = 'ok'),
		count(*) FILTER (WHERE outcome = %L) FROM %I$q$, code, cases) INTO n_read, n_rejected;
	RETURN NEXT is_empty(format($q$SELECT outcome, m FROM %I WHERE outcome NOT IN ('ok', %L)$q$,
		cases, code), format('mutated %s are read or rejected with %s', what, code));
	RETURN NEXT ok(n_read > min_read AND n_rejected > min_rejected,
		format('the mutations of %s produce both readable and rejected input (%s read, %s rejected)',
			what, n_read, n_rejected));
	RETURN NEXT is_empty(format($q$SELECT value FROM %I WHERE outcome = 'ok'
		AND value::pipeline_summary::text <> value$q$, cases),
		format('every one of the %s read round-trips exactly', what));
	-- every accessor reads a value that was accepted, and the medians exist
	-- exactly when there are deals to take them of
	RETURN NEXT is_empty(format($q$SELECT value FROM %I, LATERAL (SELECT value::pipeline_summary AS s) x
		WHERE outcome = 'ok' AND NOT (
			(median_deal_size(s) IS NULL) = (won_deals(s) = 0)
			AND (median_sales_cycle(s) IS NULL) = (average_sales_cycle(s) IS NULL)
			AND deal_size_quantile(s, 1) >= coalesce(deal_size_quantile(s, 0), 0)
			AND open_pipeline(s) >= 0 AND coalesce(win_rate(s), 0) BETWEEN 0 AND 1
			AND (pipeline_velocity(s) IS NULL OR pipeline_velocity(s) >= 0))$q$, cases),
		format('every one of the %s read has consistent accessors', what));
END $$;

CREATE TEMP TABLE text_cases AS
WITH base(lit) AS (VALUES
	('{"version":1,"open_deals":3,"open_amount":[4000.5,0],"weighted_amount":[2700.4500000000003,0],"won_deals":5,"won_amount":[6350.25,0],"lost_deals":2,"lost_amount":[1600,0],"cycle_deals":4,"cycle_days":[100,0],"deal_size_sketch":{"zeros":1,"buckets":[[231,1],[358,1],[381,1],[401,1]]},"cycle_sketch":{"zeros":1,"buckets":[[116,1],[171,1],[205,1]]}}'),
	('{"version":1,"open_deals":10,"open_amount":[0.9999999999999999,1.6653345369377348e-16],"weighted_amount":[0.49999999999999994,8.326672684688674e-17],"won_deals":2,"won_amount":[7,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":1,"cycle_days":[1.5,0],"deal_size_sketch":{"zeros":0,"buckets":[[-3,1],[98,1]]},"cycle_sketch":{"zeros":0,"buckets":[[21,1]]}}'))
SELECT m, r.*
FROM (SELECT pg_temp.mutate(pg_temp.mutate(lit, '{}[],:" -0123456789e.'), '{}[],:" -0123456789e.') AS m
	  FROM base, generate_series(1, 1500)) x,
	LATERAL pg_temp.try_read(format('SELECT %L::pipeline_summary::text', m)) r;

SELECT pg_temp.fuzz_checks('text_cases', '22P02', 15, 1000, 'text literals');

-- binary: mutated pipeline_summary_send() payloads through COPY ... (FORMAT binary)
\ir ../pipeline_binary.sql
CREATE FUNCTION pg_temp.mutate_bytes(b bytea) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE pos int := floor(random() * length(b))::int;
BEGIN
	CASE floor(random() * 4)::int
	WHEN 0 THEN RETURN set_byte(b, pos, floor(random() * 256)::int);            -- any byte
	WHEN 1 THEN RETURN set_byte(b, pos, (get_byte(b, pos) # (1 << floor(random() * 8)::int)));  -- a bit flip
	WHEN 2 THEN RETURN substr(b, 1, pos);                                       -- truncate
	ELSE RETURN b || substr(b, 1 + pos, 3);                                     -- trailing bytes
	END CASE;
END $$;

CREATE TEMP TABLE binary_cases AS
WITH base(b) AS (
	SELECT pipeline_summary_send(lit::pipeline_summary) FROM (SELECT DISTINCT ON (lit) lit FROM (VALUES
		('{"version":1,"open_deals":3,"open_amount":[4000.5,0],"weighted_amount":[2700.4500000000003,0],"won_deals":5,"won_amount":[6350.25,0],"lost_deals":2,"lost_amount":[1600,0],"cycle_deals":4,"cycle_days":[100,0],"deal_size_sketch":{"zeros":1,"buckets":[[231,1],[358,1],[381,1],[401,1]]},"cycle_sketch":{"zeros":1,"buckets":[[116,1],[171,1],[205,1]]}}'),
		('{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":1,"won_amount":[7,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[[98,1]]},"cycle_sketch":{"zeros":0,"buckets":[]}}')) v(lit)) w)
SELECT m, r.*
FROM (SELECT pg_temp.mutate_bytes(b) AS m FROM base, generate_series(1, 300)) x,
	LATERAL pg_temp.try_read(format('SELECT pg_temp.load_pipeline_binary(%L::bytea)', m)) r;

SELECT pg_temp.fuzz_checks('binary_cases', '22P03', 20, 100, 'binary payloads');

SELECT * FROM finish();
ROLLBACK;
