-- Malformed and corrupt activity_summary, retention_summary and mrr_summary
-- input, generated: thousands of random mutations of valid text literals and
-- binary payloads must each either be read (and then round-trip exactly and
-- read consistently) or be rejected with 22P02 (text) / 22P03 (binary).
-- Never another error, never a crash.
BEGIN;
SELECT plan(24);
SELECT setseed(0.44);
SET LOCAL TimeZone = 'UTC';

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

-- The consistency check of a value that was read, per type
CREATE FUNCTION pg_temp.consistent(typ text, value text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	CASE typ
	WHEN 'activity_summary' THEN
		RETURN (SELECT coalesce(bool_and(k >= 0 AND k < (value::jsonb ->> 'periods')::int), true)
			FROM unnest(active_periods(value::activity_summary)) k);
	WHEN 'retention_summary' THEN
		RETURN (SELECT bool_and(eligible <= cohort_size AND retained <= eligible
				AND (share IS NULL OR share BETWEEN 0 AND 1))
			FROM retention_table(value::retention_summary, 'on_or_after'));
	ELSE
		RETURN (SELECT bool_and(period = 0 OR (customers_end = customers_start + new_customers
				+ reactivated_customers - churned_customers AND gross_revenue_retention IS NULL
				OR gross_revenue_retention <= 1))
			FROM mrr_movements(value::mrr_summary));
	END CASE;
END $$;

CREATE FUNCTION pg_temp.fuzz_checks(cases text, typ text, code text, min_read int, min_rejected int,
		what text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	n_read bigint;
	n_rejected bigint;
BEGIN
	EXECUTE format($q$SELECT count(*) FILTER (WHERE outcome = 'ok'),
		count(*) FILTER (WHERE outcome = %L) FROM %I WHERE typ = %L$q$, code, cases, typ)
		INTO n_read, n_rejected;
	RETURN NEXT is_empty(format($q$SELECT outcome, m FROM %I WHERE typ = %L AND outcome NOT IN ('ok', %L)$q$,
		cases, typ, code), format('mutated %s %s are read or rejected with %s', typ, what, code));
	RETURN NEXT ok(n_read > min_read AND n_rejected > min_rejected,
		format('the mutations of %s %s produce both readable (%s) and rejected (%s) input',
			typ, what, n_read, n_rejected));
	RETURN NEXT is_empty(format($q$SELECT value FROM %I WHERE typ = %L AND outcome = 'ok'
		AND (SELECT r.value FROM pg_temp.try_read(format('SELECT %%L::%s::text', value)) r) <> value$q$,
		cases, typ, typ), format('every one of the %s %s read round-trips exactly', typ, what));
	RETURN NEXT is_empty(format($q$SELECT value FROM %I WHERE typ = %L AND outcome = 'ok'
		AND NOT pg_temp.consistent(typ, value)$q$, cases, typ),
		format('every one of the %s %s read is consistent', typ, what));
END $$;

CREATE TEMP TABLE base (typ text, lit text);
INSERT INTO base
SELECT 'activity_summary', activity_agg('2024-01-10', t, '1 month', 12)::text
FROM unnest('{2024-01-10,2024-03-05,2024-08-01,2025-06-01}'::timestamptz[]) t
UNION ALL
SELECT 'activity_summary', activity_agg('2024-01-10', t, '1 day', 70, 'rolling')::text
FROM unnest('{2024-01-10,2024-01-11,2024-02-20}'::timestamptz[]) t
UNION ALL
SELECT 'retention_summary', retention_agg(e, '2024-01-10', '2024-01-10'::timestamptz + (e % 5) * interval '35 days',
	'1 month', 6, 'calendar', '2024-04-15')::text FROM generate_series(1, 40) e
UNION ALL
SELECT 'mrr_summary', mrr_agg(c % 9, timestamptz '2024-01-01' + c * interval '5 days', 10 + c % 4 * 2.5,
	'2024-01-01', '1 month', 5)::text FROM generate_series(1, 30) c
UNION ALL
VALUES ('retention_summary', '{"version":1,"period":"rolling","length":86400000000,"periods":3,"entities":500,"eligible":[400,300,200],"on":[1,1,1],"on_or_after":[50,50,50]}'),
	('mrr_summary', '{"version":1,"period":"week","periods":2,"origin":2800,"customers":[0,0],"mrr":[0,0],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}');

CREATE TEMP TABLE text_cases AS
SELECT typ, m, r.*
FROM (SELECT typ, CASE WHEN random() < 0.5 THEN pg_temp.mutate(lit, '{}[],:" -.0123456789tf')
		ELSE pg_temp.mutate(pg_temp.mutate(lit, '{}[],:" -.0123456789tf'), '{}[],:" -.0123456789tf') END AS m
	  FROM base, generate_series(1, 700)) x,
	LATERAL pg_temp.try_read(format('SELECT %L::%s::text', m, typ)) r;

SELECT pg_temp.fuzz_checks('text_cases', t, '22P02', 10, 1000, 'text literals')
FROM unnest('{activity_summary,retention_summary,mrr_summary}'::text[]) t;

\ir ../binary_load.sql
CREATE FUNCTION pg_temp.mutate_bytes(b bytea) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE pos int := floor(random() * length(b))::int;
BEGIN
	CASE floor(random() * 4)::int
	WHEN 0 THEN RETURN set_byte(b, pos, floor(random() * 256)::int);
	WHEN 1 THEN RETURN set_byte(b, pos, (get_byte(b, pos) # (1 << floor(random() * 8)::int)));
	WHEN 2 THEN RETURN substr(b, 1, pos);
	ELSE RETURN b || substr(b, 1 + pos, 3);
	END CASE;
END $$;

CREATE TEMP TABLE binary_cases AS
SELECT typ, m, r.*
FROM (SELECT typ, pg_temp.mutate_bytes(CASE typ
		WHEN 'activity_summary' THEN activity_summary_send(lit::activity_summary)
		WHEN 'retention_summary' THEN retention_summary_send(lit::retention_summary)
		ELSE mrr_summary_send(lit::mrr_summary) END) AS m
	  FROM base, generate_series(1, 200)) x,
	LATERAL pg_temp.try_read(format('SELECT pg_temp.load_binary(%L, %L::bytea)', typ, m)) r;

SELECT pg_temp.fuzz_checks('binary_cases', t, '22P03', 0, 200, 'binary payloads')
FROM unnest('{activity_summary,retention_summary,mrr_summary}'::text[]) t;

SELECT * FROM finish();
ROLLBACK;
