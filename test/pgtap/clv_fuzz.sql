-- Malformed and corrupt rfm_summary, bgnbd_model and gamma_gamma_model input,
-- generated: thousands of random mutations of valid text literals and binary
-- payloads must each either be read (and then round-trip exactly) or be
-- rejected with 22P02 (text) / 22P03 (binary).  Never another error, never a
-- crash.
BEGIN;
SELECT plan(6);
SELECT setseed(0.53);

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

-- binary input through COPY (FORMAT binary), the way a client sends it
CREATE FUNCTION pg_temp.load_binary(typ regtype, payload bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/crm_kpi_clv_fuzz.' || pg_backend_pid();
	lo oid := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
		|| '\x0001'::bytea || int4send(length(payload)) || payload || '\xffff'::bytea);
	result text;
BEGIN
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	EXECUTE format('CREATE TEMP TABLE binary_target (v %s)', typ);
	EXECUTE format('COPY binary_target FROM %L (FORMAT binary)', path);
	SELECT v::text INTO result FROM binary_target;
	DROP TABLE binary_target;
	RETURN result;
END $$;

CREATE TEMP TABLE base (typ regtype, lit text);
INSERT INTO base VALUES
	('rfm_summary', '{"version":1,"frequency":2,"recency":30.428571428571427,"age":38.857142857142854,"monetary_value":22.345}'),
	('rfm_summary', '{"version":1,"frequency":0,"recency":0,"age":12.5,"monetary_value":0}'),
	('bgnbd_model', '{"version":1,"r":0.24259289051110608,"alpha":4.413531441129337,"a":0.7928860699491224,"b":2.425753173647489,"log_likelihood":-9582.425560567344,"customers":2357,"converged":true}'),
	('bgnbd_model', '{"version":1,"r":0.243,"alpha":4.414,"a":0.793,"b":2.426,"log_likelihood":0,"customers":0,"converged":false}'),
	('gamma_gamma_model', '{"version":1,"p":6.248800791710156,"q":3.7445887627852743,"gamma":15.447753888239728,"log_likelihood":-4055.9232435028553,"customers":946,"converged":true}');

CREATE TEMP TABLE text_cases AS
SELECT typ, m, r.*
FROM (SELECT typ, pg_temp.mutate(pg_temp.mutate(lit, '{}[],:" -.0123456789eEtruefals'),
		'{}[],:" -.0123456789eEtruefals') AS m
	  FROM base, generate_series(1, 800)) x,
	LATERAL pg_temp.try_read(format('SELECT %L::%s::text', m, typ)) r;

SELECT is_empty($$SELECT typ, outcome, m FROM text_cases WHERE outcome NOT IN ('ok', '22P02')$$,
	'mutated text literals are read or rejected with 22P02');
SELECT ok((SELECT count(*) FILTER (WHERE outcome = 'ok') > 50 AND count(*) FILTER (WHERE outcome = '22P02') > 1000
	FROM text_cases), 'the text mutations produce both readable and rejected input');
SELECT is_empty($$SELECT typ, value FROM text_cases WHERE outcome = 'ok'
	AND (SELECT r.value FROM pg_temp.try_read(format('SELECT %L::%s::text', value, typ)) r) <> value$$,
	'every text literal read round-trips exactly');

CREATE TEMP TABLE binary_cases AS
SELECT typ, m, r.*
FROM (SELECT typ, pg_temp.mutate_bytes(CASE typ::text
		WHEN 'rfm_summary' THEN rfm_summary_send(lit::rfm_summary)
		WHEN 'bgnbd_model' THEN bgnbd_model_send(lit::bgnbd_model)
		ELSE gamma_gamma_model_send(lit::gamma_gamma_model) END) AS m
	  FROM base, generate_series(1, 150)) x,
	LATERAL pg_temp.try_read(format('SELECT pg_temp.load_binary(%L, %L::bytea)', typ, m)) r;

SELECT is_empty($$SELECT typ, outcome, m FROM binary_cases WHERE outcome NOT IN ('ok', '22P03')$$,
	'mutated binary payloads are read or rejected with 22P03');
SELECT ok((SELECT count(*) FILTER (WHERE outcome = 'ok') > 20 AND count(*) FILTER (WHERE outcome = '22P03') > 100
	FROM binary_cases), 'the binary mutations produce both readable and rejected input');
SELECT is_empty($$SELECT typ, value FROM binary_cases WHERE outcome = 'ok'
	AND (SELECT r.value FROM pg_temp.try_read(format('SELECT %L::%s::text', value, typ)) r) <> value$$,
	'every binary payload read round-trips exactly through text');

SELECT * FROM finish();
ROLLBACK;
