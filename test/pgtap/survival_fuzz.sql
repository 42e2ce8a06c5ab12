-- Malformed and corrupt survival_summary and sbg_model input, generated:
-- thousands of random mutations of valid text literals and binary payloads
-- must each either be read (and then round-trip exactly and read
-- consistently) or be rejected with 22P02 (text) / 22P03 (binary).  Never
-- another error, never a crash.
BEGIN;
SELECT plan(16);
SELECT setseed(0.47);

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

CREATE FUNCTION pg_temp.try_read(query text, OUT outcome text, OUT value text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query INTO value;
	outcome := 'ok';
EXCEPTION WHEN others THEN
	outcome := SQLSTATE;
END $$;

-- The four assertions on a table of cases (m, outcome, value); "consistent"
-- is a query over v (the value read) that must be true
CREATE FUNCTION pg_temp.fuzz_checks(cases text, typ text, code text, min_read int, min_rejected int,
		consistent text, what text) RETURNS SETOF text LANGUAGE plpgsql AS $$
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
		AND value::%s::text <> value$q$, cases, typ),
		format('every one of the %s read round-trips exactly', what));
	RETURN NEXT is_empty(format($q$SELECT value FROM %I, LATERAL (SELECT value::%s AS v) x
		WHERE outcome = 'ok' AND NOT (%s)$q$, cases, typ, consistent),
		format('every one of the %s read is consistent', what));
END $$;

-- survival_summary: the Kaplan-Meier table accounts for every subject
CREATE TEMP TABLE text_cases AS
WITH base(lit) AS (VALUES
	('{"version":1,"time":[9,13,18,23,28,31],"events":[1,1,1,1,0,1],"censored":[0,1,0,0,1,0]}'),
	('{"version":1,"time":[0,0.5,2.25,1e10],"events":[3,0,12,1],"censored":[1,4,0,9]}'),
	('{"version":1,"time":[],"events":[],"censored":[]}'))
SELECT m, r.*
FROM (SELECT pg_temp.mutate(pg_temp.mutate(lit, '{}[],:" -0123456789.ev'), '{}[],:" -0123456789.ev') AS m
	  FROM base, generate_series(1, 1500)) x,
	LATERAL pg_temp.try_read(format('SELECT %L::survival_summary::text', m)) r;

SELECT pg_temp.fuzz_checks('text_cases', 'survival_summary', '22P02', 10, 1000,
	$c$(SELECT coalesce(sum(events + censored), 0) FROM kaplan_meier(v, 0.95, true)) = subjects(v)$c$,
	'survival_summary text literals');

\ir ../survival_binary.sql
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
	SELECT survival_summary_send(s::survival_summary) FROM (VALUES
		('{"version":1,"time":[9,13,18,23,28,31],"events":[1,1,1,1,0,1],"censored":[0,1,0,0,1,0]}'),
		('{"version":1,"time":[0,0.5],"events":[3,0],"censored":[1,4]}')) v(s))
SELECT m, r.*
FROM (SELECT pg_temp.mutate_bytes(b) AS m FROM base, generate_series(1, 300)) x,
	LATERAL pg_temp.try_read(format('SELECT pg_temp.load_binary(%L::bytea, %L)', m, 'survival_summary')) r;

SELECT pg_temp.fuzz_checks('binary_cases', 'survival_summary', '22P03', 20, 100,
	$c$(SELECT coalesce(sum(events + censored), 0) FROM kaplan_meier(v, 0.95, true)) = subjects(v)$c$,
	'survival_summary binary payloads');

-- sbg_model: the accessors read what the text says
CREATE TEMP TABLE sbg_text_cases AS
WITH base(lit) AS (VALUES
	('{"version":1,"alpha":0.6680883637504472,"beta":3.8060948636211367,"log_likelihood":-1611.158147391156,"periods":7,"customers":1000,"converged":true}'),
	('{"version":1,"alpha":2,"beta":0.5,"log_likelihood":0,"periods":1,"customers":3,"converged":false}'))
SELECT m, r.*
FROM (SELECT pg_temp.mutate(pg_temp.mutate(lit, '{}[],:" -0123456789.eaflrstu'), '{}[],:" -0123456789.eaflrstu') AS m
	  FROM base, generate_series(1, 1000)) x,
	LATERAL pg_temp.try_read(format('SELECT %L::sbg_model::text', m)) r;

SELECT pg_temp.fuzz_checks('sbg_text_cases', 'sbg_model', '22P02', 20, 500,
	$c$sbg_survival(v, 1) = sbg_retention_rate(v, 1) AND alpha(v) > 0 AND beta(v) > 0$c$,
	'sbg_model text literals');

CREATE TEMP TABLE sbg_binary_cases AS
WITH base(b) AS (
	SELECT sbg_model_send('{"version":1,"alpha":0.7,"beta":1.2,"log_likelihood":-1680.2,"periods":7,"customers":1000,"converged":true}'))
SELECT m, r.*
FROM (SELECT pg_temp.mutate_bytes(b) AS m FROM base, generate_series(1, 400)) x,
	LATERAL pg_temp.try_read(format('SELECT pg_temp.load_binary(%L::bytea, %L)', m, 'sbg_model')) r;

SELECT pg_temp.fuzz_checks('sbg_binary_cases', 'sbg_model', '22P03', 10, 100,
	$c$sbg_survival(v, 1) = sbg_retention_rate(v, 1) AND alpha(v) > 0 AND beta(v) > 0$c$,
	'sbg_model binary payloads');

SELECT * FROM finish();
ROLLBACK;
