-- Fuzzing helpers shared by the pgTAP *_fuzz.sql tests (included with \ir):
-- random mutations of valid text literals and binary payloads of a summary
-- type must each either be read (and then round-trip exactly and read
-- consistently) or be rejected with 22P02 (text) / 22P03 (binary).
\ir binary_copy.sql

-- One random edit of a text literal, with characters from alphabet
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

-- One random edit of a binary payload
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

-- Run a query that reads one value; its outcome is 'ok' or the SQLSTATE it raised
CREATE FUNCTION pg_temp.try_read(query text, OUT outcome text, OUT value text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query INTO value;
	outcome := 'ok';
EXCEPTION WHEN others THEN
	outcome := SQLSTATE;
END $$;

-- Cases: the text (cases text) and binary (cases bytea) mutations of base
-- values of type typ, n of each, read through the type's input functions.
-- Text literals get "edits" random edits each: two make more malformed
-- input, one more input that is still valid.
CREATE FUNCTION pg_temp.fuzz_text_cases(typ regtype, base text[], alphabet text, n int, edits int)
RETURNS TABLE (m text, outcome text, value text) LANGUAGE sql AS $$
	SELECT x.m, r.*
	FROM (SELECT CASE WHEN edits = 1 THEN pg_temp.mutate(lit, alphabet)
			ELSE pg_temp.mutate(pg_temp.mutate(lit, alphabet), alphabet) END AS m
		  FROM unnest(base) lit, generate_series(1, n)) x,
		LATERAL pg_temp.try_read(format('SELECT %L::%s::text', x.m, typ)) r
$$;
CREATE FUNCTION pg_temp.fuzz_binary_cases(typ regtype, base text[], n int)
RETURNS TABLE (m bytea, outcome text, value text) LANGUAGE plpgsql AS $$
DECLARE
	b bytea;
	lit text;
BEGIN
	FOREACH lit IN ARRAY base LOOP
		EXECUTE format('SELECT %s_send(%L::%s)', typ, lit, typ) INTO b;
		RETURN QUERY SELECT x.m, r.*
		FROM (SELECT pg_temp.mutate_bytes(b) AS m FROM generate_series(1, n)) x,
			LATERAL pg_temp.try_read(format('SELECT pg_temp.load_binary(%L, %L::bytea)', typ, x.m)) r;
	END LOOP;
END $$;

-- The four assertions on a table of cases (m, outcome, value): only 'ok' or
-- code; both outcomes occur; every value read round-trips; and every value
-- read satisfies "consistent", a boolean SQL expression over v (the value
-- as typ)
CREATE FUNCTION pg_temp.fuzz_checks(cases text, code text, min_read int, min_rejected int,
		what text, typ regtype, consistent text) RETURNS SETOF text LANGUAGE plpgsql AS $$
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
		AND value::%s::text <> value$q$, cases, typ),
		format('every one of the %s read round-trips exactly', what));
	RETURN NEXT is_empty(format($q$SELECT value FROM %I c, LATERAL (SELECT c.value::%s AS v) x
		WHERE outcome = 'ok' AND NOT (%s)$q$, cases, typ, consistent),
		format('every one of the %s read is consistent', what));
END $$;
