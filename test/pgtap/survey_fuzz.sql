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

CREATE FUNCTION pg_temp.read_text(lit text, OUT outcome text, OUT value text)
LANGUAGE plpgsql AS $$
BEGIN
	value := lit::survey_summary::text;
	outcome := 'ok';
EXCEPTION WHEN others THEN
	outcome := SQLSTATE;
END $$;

CREATE TEMP TABLE text_cases AS
WITH base(lit) AS (VALUES
	('{"version":1,"scale":[0,10],"counts":[3,1,2,0,4,5,6,10,14,20,35]}'),
	('{"version":1,"scale":[-3,3],"counts":[1,0,2,0,0,0,9]}'),
	('{"version":1,"scale":[1,5],"counts":[2147483647,3,4000000000,12,18]}'))
SELECT m, r.*
FROM (SELECT pg_temp.mutate(pg_temp.mutate(lit, '{}[],:" -0123456789v'), '{}[],:" -0123456789v') AS m
	  FROM base, generate_series(1, 1500)) x,
	LATERAL pg_temp.read_text(m) r;

SELECT is_empty($$SELECT outcome, m FROM text_cases WHERE outcome NOT IN ('ok', '22P02')$$,
	'mutated text literals are read or rejected with 22P02');
SELECT ok((SELECT count(*) FILTER (WHERE outcome = 'ok') > 50
	AND count(*) FILTER (WHERE outcome = '22P02') > 1000 FROM text_cases),
	'the mutations produce both readable and malformed literals');
SELECT is_empty($$SELECT value FROM text_cases WHERE outcome = 'ok'
	AND value::survey_summary::text <> value$$, 'every literal read round-trips exactly');
SELECT is_empty($$SELECT value FROM text_cases WHERE outcome = 'ok'
	AND (SELECT sum(responses) FROM score_distribution(value::survey_summary))
		<> responses(value::survey_summary)$$, 'every literal read has consistent counts');

-- binary: mutated survey_summary_send() payloads through COPY ... (FORMAT binary)
\ir ../binary_copy.sql
CREATE FUNCTION pg_temp.read_binary(payload bytea, OUT outcome text, OUT value text)
LANGUAGE plpgsql AS $$
BEGIN
	value := pg_temp.load_survey_binary(payload);
	outcome := 'ok';
EXCEPTION WHEN others THEN
	outcome := SQLSTATE;
END $$;

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
	LATERAL pg_temp.read_binary(m) r;

SELECT is_empty($$SELECT outcome, m FROM binary_cases WHERE outcome NOT IN ('ok', '22P03')$$,
	'mutated binary payloads are read or rejected with 22P03');
SELECT ok((SELECT count(*) FILTER (WHERE outcome = 'ok') > 20
	AND count(*) FILTER (WHERE outcome = '22P03') > 100 FROM binary_cases),
	'the mutations produce both readable and corrupt payloads');
SELECT is_empty($$SELECT value FROM binary_cases WHERE outcome = 'ok'
	AND value::survey_summary::text <> value$$, 'every payload read round-trips exactly');
SELECT is_empty($$SELECT value FROM binary_cases WHERE outcome = 'ok'
	AND (SELECT sum(responses) FROM score_distribution(value::survey_summary))
		<> responses(value::survey_summary)$$, 'every payload read has consistent counts');

SELECT * FROM finish();
ROLLBACK;
