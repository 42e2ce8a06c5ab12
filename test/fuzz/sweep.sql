-- Extreme-argument sweep of every SQL-callable function and aggregate of crm_kpi.
--
--   psql -X -v seed=N -v rounds=N -f test/fuzz/sweep.sql     (a database with crm_kpi installed)
--
-- Optional: -v timeout=2s (statement_timeout of each call), -v calls_dir=/tmp (where the calls are
-- written), -v only=REGEX (on the signature: 'funnel_agg\(timestamp' for one function), -v skip=REGEX (on
-- each call, to get past known crashes: 'expected_purchases\(.*"a":1\.0*[0-9]?,').  Defaults: seed 1,
-- rounds 12: under a minute.
--
-- The functions come from the catalog (pg_depend on the extension); each argument is drawn from a pool
-- of boundary values of its type (+-infinity, 4713 BC, 294276 AD, huge intervals, +-2^31, +-2^63, 1e308,
-- denormals, NaN, empty and unknown text, NULLs, empty, NULL-holding, 2-D and 100,000-element arrays)
-- and, half of the time, from the typical values, so that calls get past the first check.  Values of
-- the extension's own types are those its functions and aggregates produce: phase 1 calls everything
-- that returns one of them, and keeps (at most 12 per type) what reads back; phase 2 calls everything.
-- Aggregates run over 0 to 4 VALUES rows, a third of the time as a moving window (the inverse
-- transition).  Each call is its own statement (so statement_timeout applies) inside a BEGIN/EXCEPTION
-- block.  Outcomes:
--   ok, error     a result, or an error of class 22, 23, 42 or 54: allowed
--   timeout       57014 from statement_timeout: listed, allowed (a few are deliberately heavy calls)
--   FINDING       any other SQLSTATE (XX000, XX001, 53200, ...); a cancel that came more than
--                 2 x timeout + 1 s late (a loop without CHECK_FOR_INTERRUPTS); a produced value of our
--                 types whose text does not read back to the same text; a crash (the session dies:
--                 psql exits with status 2 naming file and line of the call, which is written out in
--                 calls_dir, default /tmp, as "SELECT pg_temp.try(id); -- the call").
-- It prints the counts by outcome, each timeout and each finding as a statement that reproduces it, and
-- ends with an error (exit status 3 under ON_ERROR_STOP) when there is a finding.
\set ON_ERROR_STOP 1
\set QUIET 1
\set ECHO errors
\pset pager off
\if :{?seed}
\else
\set seed 1
\endif
\if :{?rounds}
\else
\set rounds 12
\endif
\if :{?timeout}
\else
\set timeout 2s
\endif
\if :{?calls_dir}
\else
\set calls_dir /tmp
\endif
\if :{?only}
\else
\set only ''
\endif
\if :{?skip}
\else
\set skip ''
\endif

SET client_min_messages = warning;
SET extra_float_digits = 3;
SET TimeZone = 'UTC';
SELECT setseed((:seed % 1000003) / 1000003.0) \gset
\echo sweep: seed :seed, rounds :rounds, timeout :timeout

-- Values to draw arguments from: an SQL expression of the type, and whether it is a typical value
CREATE TEMP TABLE pool (typ regtype, expr text, typical bool);
INSERT INTO pool
SELECT t::regtype, e, true FROM (VALUES
	('integer', '1'), ('integer', '2'), ('integer', '3'), ('integer', '5'), ('integer', '10'),
	('bigint', '1'), ('bigint', '2'), ('bigint', '10'), ('bigint', '100'),
	('double precision', '0.5'), ('double precision', '1'), ('double precision', '2.5'),
	('double precision', '10'), ('double precision', '0.95'), ('double precision', '100'),
	('numeric', '10'), ('numeric', '12.5'), ('numeric', '100'),
	('text', '''on'''), ('text', '''start'''), ('text', '''strict_order'''), ('text', '''calendar'''),
	('text', '''a'''), ('text', '''b'''),
	('boolean', 'true'), ('boolean', 'false'),
	('date', '''2024-01-01'''), ('date', '''2024-01-31'''), ('date', '''2024-03-01'''),
	('timestamptz', '''2024-01-01 00:00+00'''), ('timestamptz', '''2024-01-02 12:00+00'''),
	('timestamptz', '''2024-02-01 00:00+00'''),
	('interval', '''1 day'''), ('interval', '''7 days'''), ('interval', '''1 month'''),
	('interval', '''1 hour'''),
	('timestamptz[]', '''{2024-01-01 00:00+00,2024-01-02 00:00+00,2024-01-05 00:00+00}'''),
	('timestamptz[]', '''{2024-01-01 00:00+00}'''),
	('boolean[]', '''{t,f,t}'''), ('boolean[]', '''{t,t}''')
) v(t, e)
UNION ALL
SELECT t::regtype, e, false FROM (VALUES
	('integer', '0'), ('integer', '-1'), ('integer', '2147483647'), ('integer', '-2147483648'),
	('integer', 'NULL'), ('integer', '11'), ('integer', '64'), ('integer', '65'), ('integer', '100000'),
	('bigint', '0'), ('bigint', '-1'), ('bigint', '9223372036854775807'),
	('bigint', '-9223372036854775808'), ('bigint', '2147483648'), ('bigint', '4611686018427387904'),
	('bigint', '18014398509481988'), ('bigint', 'NULL'),
	('double precision', '0'), ('double precision', '''-0'''), ('double precision', '-1'),
	('double precision', '1e308'), ('double precision', '-1e308'),
	('double precision', '1.7976931348623157e308'), ('double precision', '5e-324'),
	('double precision', '2.2250738585072014e-308'), ('double precision', '''NaN'''),
	('double precision', '''Infinity'''), ('double precision', '''-Infinity'''),
	('double precision', 'NULL'), ('double precision', '1.0000001'), ('double precision', '0.9999999'),
	('double precision', '1.0000000000000002'), ('double precision', '0.9999999999999999'),
	('double precision', '1e-300'), ('double precision', '4.5e15'), ('double precision', '9.3e18'),
	('numeric', '0'), ('numeric', '-1'), ('numeric', '''NaN'''), ('numeric', '''Infinity'''),
	('numeric', '''-Infinity'''), ('numeric', '1e300'), ('numeric', '-1e300'), ('numeric', '1e-300'),
	('numeric', '99999999999999999999999999999999999999999'), ('numeric', 'NULL'),
	('text', ''''''), ('text', '''bogus'''), ('text', '''ON'''), ('text', 'NULL'),
	('text', '''on_or_after'''), ('text', '''average'''), ('text', '''strict_deduplication'''),
	('text', '''strict_increase'''), ('text', '''strict_once'''), ('text', '''rolling'''),
	('text', '''wald'''), ('text', '''adjusted_wald'''), ('text', '''wide'''),
	('text', 'repeat(''x'', 100000)'),
	('boolean', 'NULL'),
	('date', '''infinity'''), ('date', '''-infinity'''), ('date', '''4713-01-01 BC'''),
	('date', '''5874897-12-31'''), ('date', '''294276-12-31'''), ('date', '''1970-01-01'''),
	('date', '''2000-02-29'''), ('date', 'NULL'),
	('timestamptz', '''infinity'''), ('timestamptz', '''-infinity'''),
	('timestamptz', '''4713-01-01 00:00:00+00 BC'''), ('timestamptz', '''294276-12-31 23:59:59.999999+00'''),
	('timestamptz', '''294270-01-01 00:00+00'''), ('timestamptz', '''epoch'''),
	('timestamptz', '''2000-01-01 00:00:00.000001+00'''), ('timestamptz', 'NULL'),
	('interval', '''0'''), ('interval', '''-1 day'''), ('interval', '''1 microsecond'''),
	('interval', '''178000000 years'''), ('interval', '''-178000000 years'''),
	('interval', '''1 mon -30 days'''), ('interval', '''2147483647 days'''),
	('interval', '''-2147483648 months'''), ('interval', '''2562047788:00:54.775807'''),
	('interval', 'NULL'),
	('timestamptz[]', '''{}'''), ('timestamptz[]', '''{NULL}'''),
	('timestamptz[]', '''{"4713-01-01 00:00:00+00 BC","294276-12-31 23:59:59+00"}'''),
	('timestamptz[]', '''{"2000-01-01 00:00+00","294276-12-31 23:59:59+00"}'''),
	('timestamptz[]', '''{-infinity,infinity}'''),
	('timestamptz[]', '''{"2024-01-02 00:00+00","2024-01-01 00:00+00",NULL}'''),
	('timestamptz[]', '''{{"2024-01-01 00:00+00","2024-01-02 00:00+00"},{"2024-01-03 00:00+00","2024-01-04 00:00+00"}}'''),
	('timestamptz[]', '(SELECT array_agg(''2024-01-01 00:00+00''::timestamptz + i * interval ''1 second'') FROM generate_series(1, 10000) i)'),
	('timestamptz[]', 'NULL'),
	('boolean[]', '''{}'''), ('boolean[]', '''{NULL}'''), ('boolean[]', '''{{t,f},{f,t}}'''),
	('boolean[]', 'array_fill(true, ARRAY[33])'), ('boolean[]', 'array_fill(true, ARRAY[65])'),
	('boolean[]', '(SELECT array_agg(i % 2 = 0) FROM generate_series(1, 100000) i)'),
	('boolean[]', 'NULL')
) v(t, e);
-- the aggregates' options are kpi_text (text without a collation): the same words
INSERT INTO pool SELECT 'kpi_text'::regtype, expr, typical FROM pool WHERE typ = 'text'::regtype;
UPDATE pool SET expr = format('%s::%s', CASE WHEN expr ~ '^[-0-9]' THEN '(' || expr || ')' ELSE expr END,
	format_type(typ, NULL));

-- The extension's own base types, and its callable functions and aggregates
CREATE TEMP TABLE own AS
SELECT t.oid::regtype AS typ FROM pg_type t
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'crm_kpi'
WHERE t.typtype = 'b';
CREATE TEMP TABLE target AS
SELECT p.oid, p.oid::regprocedure::text AS sig, p.proname, p.prokind, p.prorettype::regtype AS rettype,
	p.provariadic, ARRAY(SELECT unnest(p.proargtypes::oid[])) AS args, p.prorettype IN (SELECT typ FROM own) AS produces
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'crm_kpi'
WHERE NOT p.proargtypes::oid[] && ARRAY['internal'::regtype, 'cstring'::regtype]::oid[]
	AND p.prorettype <> 'internal'::regtype
	AND p.oid::regprocedure::text ~ :'only';

-- One argument value of type t (NULL when there is none): half of the time a typical one
CREATE FUNCTION pg_temp.pick(t regtype) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	e text;
	-- a true array type (typsubscript would say so only from PostgreSQL 14 on)
	elem regtype := (SELECT NULLIF(typelem, 0)::regtype FROM pg_type WHERE oid = t AND typlen = -1
		AND typcategory = 'A');
	a text; b text;
BEGIN
	SELECT expr INTO e FROM pool WHERE typ = t AND (typical OR random() < 0.5) ORDER BY random() LIMIT 1;
	IF e IS NOT NULL OR elem IS NULL THEN
		RETURN e;
	END IF;
	-- an array of values of the element type
	a := pg_temp.pick(elem);
	b := pg_temp.pick(elem);
	IF a IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN CASE floor(random() * 5)::int
		WHEN 0 THEN format('''{}''::%s', format_type(t, NULL))
		WHEN 1 THEN format('NULL::%s', format_type(t, NULL))
		WHEN 2 THEN format('ARRAY[%s]', a)
		WHEN 3 THEN format('ARRAY[%s, NULL]', a)
		ELSE format('ARRAY[%s, %s, %s]', a, b, a) END;
END $$;

-- The calls: each a SELECT of one column
CREATE TEMP TABLE calls (id serial, phase int, sig text, own regtype, sql text);
CREATE FUNCTION pg_temp.make_calls(ph int, rounds int, skip text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	f record;
	r int;
	i int;
	n int;
	k int;
	nrows int;
	argt oid[];
	vals text[];
	rowvals text[];
	v text;
	sql text;
	ok bool;
	win bool;
BEGIN
	FOR f IN SELECT * FROM target WHERE ph = 2 OR produces ORDER BY sig LOOP
		FOR r IN 1..rounds LOOP
			argt := f.args;
			IF f.provariadic = '"any"'::regtype THEN
				-- VARIADIC "any" steps: 1 to 3 booleans, sometimes 65
				k := CASE WHEN random() < 0.1 THEN 65 ELSE 1 + floor(random() * 3)::int END;
				argt := argt[1:cardinality(argt) - 1] || array_fill('boolean'::regtype::oid, ARRAY[k]);
			END IF;
			n := coalesce(cardinality(argt), 0);
			ok := true;
			IF f.prokind = 'f' THEN
				vals := '{}';
				FOR i IN 1..n LOOP
					v := pg_temp.pick(argt[i]::regtype);
					IF v IS NULL THEN ok := false; EXIT; END IF;
					IF i = n AND f.provariadic NOT IN (0, '"any"'::regtype) THEN v := 'VARIADIC ' || v; END IF;
					vals := vals || v;
				END LOOP;
				sql := format('SELECT %s(%s)', f.oid::regproc, array_to_string(vals, ', '));
			ELSE
				-- an aggregate over 0 to 4 rows; a column keeps one value in every row 60% of the time
				nrows := floor(random() * 5)::int;
				win := random() < 1.0 / 3;
				vals := '{}';
				FOR i IN 1..n LOOP
					v := pg_temp.pick(argt[i]::regtype);
					IF v IS NULL THEN ok := false; EXIT; END IF;
					vals := vals || v;
				END LOOP;
				IF ok THEN
					sql := '';
					FOR r2 IN 1..greatest(nrows, 1) LOOP
						rowvals := ARRAY[r2::text];
						FOR i IN 1..n LOOP
							IF r2 = 1 OR random() < 0.6 THEN
								rowvals := rowvals || vals[i];
							ELSE
								rowvals := rowvals || pg_temp.pick(argt[i]::regtype);
							END IF;
						END LOOP;
						sql := sql || CASE WHEN r2 > 1 THEN ', ' ELSE '' END
							|| '(' || array_to_string(rowvals, ', ') || ')';
					END LOOP;
					sql := format('SELECT %s(%s)%s FROM (VALUES %s) v(o%s)%s',
						f.oid::regproc,
						(SELECT string_agg(CASE WHEN j = n AND f.provariadic NOT IN (0, '"any"'::regtype)
							THEN 'VARIADIC ' ELSE '' END || 'c' || j, ', ') FROM generate_series(1, n) j),
						CASE WHEN win THEN ' OVER (ORDER BY o ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)' ELSE '' END,
						sql,
						(SELECT string_agg(', c' || j, '') FROM generate_series(1, n) j),
						CASE WHEN nrows = 0 THEN ' WHERE false' ELSE '' END);
				END IF;
			END IF;
			IF ok AND (skip = '' OR sql !~ skip) THEN
				INSERT INTO calls (phase, sig, own, sql)
				VALUES (ph, f.sig, CASE WHEN f.produces THEN f.rettype END, sql);
			END IF;
		END LOOP;
	END LOOP;
END $$;

-- Run one call and record its outcome
CREATE TEMP TABLE results (id int, phase int, sig text, sql text, outcome text, sqlstate text,
	message text, ms float8);
CREATE FUNCTION pg_temp.try(p_id int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	c calls;
	t0 timestamptz := clock_timestamp();
	limit_ms float8 := extract(epoch FROM current_setting('statement_timeout')::interval) * 1000;
	vals text[];
	n bigint;
	st text := 'ok';
	msg text;
	ms float8;
	v text;
	rt text;
	outcome text;
BEGIN
	SELECT * INTO c FROM calls WHERE id = p_id;
	BEGIN
		IF c.own IS NULL THEN
			EXECUTE format('SELECT count(x::text) FROM (%s) s(x)', c.sql) INTO n;
		ELSE
			EXECUTE format('SELECT array_agg(x::text) FROM (%s) s(x)', c.sql) INTO vals;
		END IF;
	EXCEPTION
		WHEN query_canceled THEN
			st := '57014'; msg := SQLERRM;
		WHEN others THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	END;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
	outcome := CASE
		WHEN st = 'ok' THEN 'ok'
		WHEN st = '57014' AND ms <= 2 * limit_ms + 1000 THEN 'timeout'
		WHEN st = '57014' THEN 'FINDING'
		WHEN left(st, 2) IN ('22', '23', '42', '54') THEN 'error'
		ELSE 'FINDING' END;
	IF st = '57014' AND outcome = 'FINDING' THEN
		msg := format('canceled after %s ms, statement_timeout %s ms', round(ms), limit_ms);
	END IF;
	INSERT INTO results VALUES (c.id, c.phase, c.sig, format('%s;', c.sql), outcome, st, msg, ms);
	-- every produced value of our types reads back to the same text
	FOREACH v IN ARRAY coalesce(vals, '{}') LOOP
		CONTINUE WHEN v IS NULL;
		BEGIN
			EXECUTE format('SELECT %L::%s::text', v, c.own) INTO rt;
			IF rt IS DISTINCT FROM v THEN
				st := 'text'; msg := format('%s reads back as %s', left(v, 200), left(rt, 200));
			ELSIF c.phase = 1 THEN
				INSERT INTO pool VALUES (c.own, format('%L::%s', v, c.own), false);
			END IF;
		EXCEPTION
			WHEN query_canceled THEN
				INSERT INTO results VALUES (c.id, c.phase, c.sig,
					format('SELECT x::text, x::text::%s FROM (%s) s(x);', c.own, c.sql), 'timeout', '57014',
					'reading back a value', ms);
				EXIT;
			WHEN others THEN
				GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
				msg := format('%s: %s', left(v, 200), msg);
		END;
		IF st <> 'ok' THEN
			INSERT INTO results VALUES (c.id, c.phase, c.sig,
				format('SELECT x::text, x::text::%s FROM (%s) s(x);', c.own, c.sql),
				'FINDING', st, 'round trip: ' || msg, ms);
			EXIT;
		END IF;
	END LOOP;
END $$;

-- Phase 1: values of our own types, produced by our functions and aggregates
SELECT pg_temp.make_calls(1, :rounds * 2, :'skip') \gset
SET statement_timeout = :'timeout';
\set calls_file :calls_dir/crm_kpi_sweep_:seed-1.sql
\echo sweep: phase 1, calls in :calls_file
\pset format unaligned
\pset tuples_only on
\o :calls_file
SELECT format('SELECT pg_temp.try(%s); -- %s', id, sql) FROM calls WHERE phase = 1 ORDER BY id;
\o /dev/null
\i :calls_file
\o
\pset format aligned
\pset tuples_only off
RESET statement_timeout;
-- keep at most 12 values per type, distinct
DELETE FROM pool p USING (
	SELECT ctid, row_number() OVER (PARTITION BY typ, expr ORDER BY ctid) AS dup,
		row_number() OVER (PARTITION BY typ ORDER BY random()) AS nth
	FROM pool WHERE typ IN (SELECT typ FROM own)) d
WHERE p.ctid = d.ctid AND (d.dup > 1 OR d.nth > 12);
-- those read from typical values half of the time
UPDATE pool SET typical = random() < 0.5 WHERE typ IN (SELECT typ FROM own);

-- Phase 2: everything
SELECT pg_temp.make_calls(2, :rounds, :'skip') \gset
SET statement_timeout = :'timeout';
\set calls_file :calls_dir/crm_kpi_sweep_:seed-2.sql
\echo sweep: phase 2, calls in :calls_file
\pset format unaligned
\pset tuples_only on
\o :calls_file
SELECT format('SELECT pg_temp.try(%s); -- %s', id, sql) FROM calls WHERE phase = 2 ORDER BY id;
\o /dev/null
\i :calls_file
\o
\pset format aligned
\pset tuples_only off
RESET statement_timeout;

\echo
\echo sweep: values of our types kept for phase 2
SELECT o.typ, count(p.expr) AS "values" FROM own o LEFT JOIN pool p ON p.typ = o.typ GROUP BY 1 ORDER BY 1;
\echo sweep: calls by outcome
SELECT outcome, count(*) AS calls, count(DISTINCT sig) AS functions,
	string_agg(DISTINCT sqlstate, ' ' ORDER BY sqlstate) AS sqlstates
FROM results GROUP BY 1 ORDER BY 1;
\echo sweep: timeouts
SELECT sig, round(ms) AS ms, sql FROM results WHERE outcome = 'timeout' ORDER BY id;
\echo sweep: findings (one statement each that reproduces it)
\pset format unaligned
\pset fieldsep '\n'
\pset tuples_only on
SELECT format('-- %s %s: %s', sig, sqlstate, message), sql FROM results WHERE outcome = 'FINDING' ORDER BY id;
\pset format aligned
\pset tuples_only off
SELECT count(*) AS findings FROM results WHERE outcome = 'FINDING' \gset
\echo sweep: :findings findings
DO $$ BEGIN
	IF (SELECT count(*) FROM results WHERE outcome = 'FINDING') > 0 THEN
		RAISE EXCEPTION 'crm_kpi sweep: % findings', (SELECT count(*) FROM results WHERE outcome = 'FINDING');
	END IF;
END $$;
