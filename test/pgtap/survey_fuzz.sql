-- Malformed and corrupt survey_summary input, generated: thousands of random
-- mutations of valid text literals and binary payloads must each either be
-- read (and then round-trip exactly and read consistently) or be rejected
-- with 22P02 (text) / 22P03 (binary).  Never another error, never a crash.
BEGIN;
SELECT plan(8);
SELECT setseed(0.31);

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
		format('the mutations of %s produce both readable and rejected input', what));
	RETURN NEXT is_empty(format($q$SELECT value FROM %I WHERE outcome = 'ok'
		AND value::survey_summary::text <> value$q$, cases),
		format('every one of the %s read round-trips exactly', what));
	RETURN NEXT is_empty(format($q$SELECT value FROM %I WHERE outcome = 'ok'
		AND (SELECT sum(responses) FROM score_distribution(value::survey_summary))
			<> responses(value::survey_summary)$q$, cases),
		format('every one of the %s read has consistent counts', what));
END $$;

CREATE TEMP TABLE text_cases AS
WITH base(lit) AS (VALUES
	('{"version":1,"scale":[0,10],"counts":[3,1,2,0,4,5,6,10,14,20,35]}'),
	('{"version":1,"scale":[-3,3],"counts":[1,0,2,0,0,0,9]}'),
	('{"version":1,"scale":[1,5],"counts":[2147483647,3,4000000000,12,18]}'))
SELECT m, r.*
FROM (SELECT pg_temp.mutate(pg_temp.mutate(lit, '{}[],:" -0123456789v'), '{}[],:" -0123456789v') AS m
	  FROM base, generate_series(1, 1500)) x,
	LATERAL pg_temp.try_read(format('SELECT %L::survey_summary::text', m)) r;

SELECT pg_temp.fuzz_checks('text_cases', '22P02', 50, 1000, 'text literals');

-- binary: mutated survey_summary_send() payloads through COPY ... (FORMAT binary)
\ir ../binary_copy.sql
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
	SELECT survey_summary_send(s::survey_summary) FROM (VALUES
		('{"version":1,"scale":[0,10],"counts":[3,1,2,0,4,5,6,10,14,20,35]}'),
		('{"version":1,"scale":[1,5],"counts":[2147483647,3,4000000000,12,18]}')) v(s))
SELECT m, r.*
FROM (SELECT pg_temp.mutate_bytes(b) AS m FROM base, generate_series(1, 300)) x,
	LATERAL pg_temp.try_read(format('SELECT pg_temp.load_survey_binary(%L::bytea)', m)) r;

SELECT pg_temp.fuzz_checks('binary_cases', '22P03', 20, 100, 'binary payloads');

SELECT * FROM finish();
ROLLBACK;
