--
-- Entity ids of any type (issue 13) in the aggregates over events:
-- smallint, integer, bigint, uuid and text ids, counted exactly.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET extra_float_digits = 0;

-- 3,000 customers, each with several events over 2024; their ids in every
-- type: n, 'cust-' || n and md5(n) (text ids that share long prefixes and
-- shapes), a uuid made of the md5
CREATE TABLE ids_events AS
SELECT n::bigint AS id8, n::integer AS id4, (n % 30000)::smallint AS id2,
	'cust-' || n AS cust, md5(n::text) AS hex, md5(n::text)::uuid AS u,
	timestamptz '2024-01-01' + (n % 365) * interval '1 day' AS start,
	timestamptz '2024-01-01' + (n % 365) * interval '1 day' + ((n * 7 + e * 13) % 200) * interval '1 day' AS at,
	e
FROM generate_series(1, 3000) n, generate_series(0, (n % 4)) e;
-- the cohort sizes and active customers per month offset, counted in plain
-- SQL with count(DISTINCT) (the analyst's query), for every id type
CREATE TABLE ids_plain AS
SELECT date_trunc('month', start) AS cohort,
	(extract(year FROM at) * 12 + extract(month FROM at))
	- (extract(year FROM start) * 12 + extract(month FROM start)) AS period,
	count(DISTINCT id8) AS n8, count(DISTINCT id4) AS n4, count(DISTINCT id2) AS n2,
	count(DISTINCT cust) AS ncust, count(DISTINCT hex) AS nhex, count(DISTINCT u) AS nu
FROM ids_events GROUP BY 1, 2;
CREATE TABLE ids_ours AS
SELECT date_trunc('month', start) AS cohort,
	retention_agg(id8, start, at, '1 month', 12, 'calendar', '2026-01-01') AS s8,
	retention_agg(id4, start, at, '1 month', 12, 'calendar', '2026-01-01') AS s4,
	retention_agg(id2, start, at, '1 month', 12, 'calendar', '2026-01-01') AS s2,
	retention_agg(cust, start, at, '1 month', 12, 'calendar', '2026-01-01') AS scust,
	retention_agg(hex, start, at, '1 month', 12, 'calendar', '2026-01-01') AS shex,
	retention_agg(u, start, at, '1 month', 12, 'calendar', '2026-01-01') AS su
FROM ids_events GROUP BY 1;
-- every cell of every id type is the plain count (periods beyond 11 and
-- before 0 do not occur: at most 200 days after the start)
SELECT count(*) AS cells,
	count(*) FILTER (WHERE retained(o.s8, p.period::int) <> p.n8 OR retained(o.s4, p.period::int) <> p.n4
		OR retained(o.s2, p.period::int) <> p.n2 OR retained(o.scust, p.period::int) <> p.ncust
		OR retained(o.shex, p.period::int) <> p.nhex OR retained(o.su, p.period::int) <> p.nu) AS mismatches
FROM ids_plain p JOIN ids_ours o USING (cohort);
SELECT sum(cohort_size(s8)) = (SELECT count(DISTINCT id8) FROM ids_events) AS size8,
	sum(cohort_size(s4)) = (SELECT count(DISTINCT id4) FROM ids_events) AS size4,
	sum(cohort_size(s2)) = (SELECT count(DISTINCT id2) FROM ids_events) AS size2,
	sum(cohort_size(scust)) = (SELECT count(DISTINCT cust) FROM ids_events) AS size_cust,
	sum(cohort_size(shex)) = (SELECT count(DISTINCT hex) FROM ids_events) AS size_hex,
	sum(cohort_size(su)) = (SELECT count(DISTINCT u) FROM ids_events) AS size_uuid,
	sum(cohort_size(su)) AS customers
FROM ids_ours;
-- the curves of every type are the bigint curve (the same customers)
SELECT bool_and(retention_curve(s4) = retention_curve(s8) AND retention_curve(s2) = retention_curve(s8)
	AND retention_curve(scust) = retention_curve(s8) AND retention_curve(shex) = retention_curve(s8)
	AND retention_curve(su) = retention_curve(s8)) AS same_curves
FROM ids_ours;
-- retention_curve and cohort_activity_agg over text and uuid ids
SELECT retention_curve(cust, start, at, '1 month', 6, 'on_or_after', 'calendar', '2026-01-01')
	= retention_curve(id8, start, at, '1 month', 6, 'on_or_after', 'calendar', '2026-01-01') AS curve_text,
	retention_curve(u, start, at, '1 month', 6, 'on', 'calendar', '2026-01-01', 'UTC')
	= retention_curve(id8, start, at, '1 month', 6, 'on', 'calendar', '2026-01-01', 'UTC') AS curve_uuid,
	retention_curve(id4, start, at, '1 month', 6) = retention_curve(id8, start, at, '1 month', 6) AS curve_int
FROM ids_events;

-- rollup of summaries over different (overlapping) id sets: pieces by
-- activity month, a customer in several; the union is the one-step result
CREATE TABLE ids_pieces AS
SELECT date_trunc('month', at) AS month,
	cohort_activity_agg(cust, start, at, '1 month', 12, 'calendar', '2026-01-01') AS st,
	cohort_activity_agg(u, start, at, '1 month', 12, 'calendar', '2026-01-01') AS su
FROM ids_events GROUP BY 1;
SELECT count(*) AS pieces,
	retention_summary(rollup(st))::text = (SELECT retention_agg(cust, start, at, '1 month', 12, 'calendar', '2026-01-01')::text
		FROM ids_events) AS text_rollup,
	retention_summary(rollup(su))::text = (SELECT retention_agg(u, start, at, '1 month', 12, 'calendar', '2026-01-01')::text
		FROM ids_events) AS uuid_rollup,
	rollup(st)::text = (SELECT cohort_activity_agg(cust, start, at, '1 month', 12, 'calendar', '2026-01-01')::text
		FROM ids_events) AS text_same_value,
	(rollup(su)::text::jsonb -> 'entities' -> 0 ->> 0) = (SELECT u::text FROM ids_events ORDER BY u LIMIT 1) AS uuid_first
FROM ids_pieces;
-- equal summaries are equal bytes: the pieces merged in another order
SELECT (SELECT rollup(st ORDER BY month DESC) FROM ids_pieces)::text
	= (SELECT rollup(st ORDER BY month) FROM ids_pieces)::text AS order_free;

-- the text form: "ids", then ids as JSON strings in increasing byte order
-- (C order: 'B' < 'a' < 'é'), escaped; text and binary round trips
CREATE TABLE ids_odd (id text, start timestamptz, at timestamptz);
INSERT INTO ids_odd VALUES ('a"quote', '2024-01-05', '2024-02-01'), (E'back\\slash', '2024-01-06', NULL),
	('Bee', '2024-01-07', '2024-01-07'), ('é', '2024-01-08', '2024-03-01'), (E'tab\there', '2024-01-09', NULL);
CREATE TABLE ids_odd_s AS
SELECT cohort_activity_agg(id, start, at, '1 month', 3, 'calendar', '2024-06-01') AS s FROM ids_odd;
SELECT s FROM ids_odd_s;
SELECT s::text::jsonb -> 'entities' AS parsed FROM ids_odd_s;
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
SELECT s::text::cohort_activity_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('cohort_activity_summary', cohort_activity_summary_send(s)) = s::text AS binary_round_trip,
	retention_summary(s::text::cohort_activity_summary)::text = retention_summary(s)::text AS same_counts
FROM ids_odd_s;
-- a uuid summary: the uuids in canonical lower case, in byte order, the
-- two spellings of one uuid one entity
CREATE TABLE ids_uuid_s AS
SELECT cohort_activity_agg(u, start, at, '1 week', 4, 'rolling', '2024-06-01') AS s
FROM (VALUES ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, '2024-01-01'::timestamptz, '2024-01-09'::timestamptz),
	('00000000-0000-0000-0000-000000000001', '2024-01-02', '2024-01-02'),
	('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-01-01', '2024-01-20')) v(u, start, at);
SELECT s FROM ids_uuid_s;
SELECT s::text::cohort_activity_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('cohort_activity_summary', cohort_activity_summary_send(s)) = s::text AS binary_round_trip,
	retention_summary(s) AS counts
FROM ids_uuid_s;
-- varchar and char(n) ids reach the text overloads
SELECT cohort_size(retention_agg(id::varchar(10), start, at, '1 month', 3, 'calendar', '2024-06-01')) AS from_varchar,
	cohort_size(retention_agg(id::char(3), start, at, '1 month', 3, 'calendar', '2024-06-01')) AS from_char3
FROM ids_odd;

-- format version 1 (1.2.0, integer ids) still reads, text and binary, as
-- the same value (printed as version 2) with the same counts
CREATE TABLE ids_v1 AS SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,1704412800000000,[0,1],true],[2,1705708800000000,[0,2],false],[3,1706659200000000,[],false]]}'::cohort_activity_summary AS s;
SELECT s::text = '{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,1704412800000000,[0,1],true],[2,1705708800000000,[0,2],false],[3,1706659200000000,[],false]]}' AS as_v2,
	retention_summary(s, '2024-06-01') AS counts
FROM ids_v1;
-- the version 1 payload: today's without the ids kind (byte 28), version 1
SELECT pg_temp.load_binary('cohort_activity_summary',
		set_byte(substr(cohort_activity_summary_send(s), 1, 27) || substr(cohort_activity_summary_send(s), 29), 0, 1)) = s::text AS v1_binary,
	get_byte(cohort_activity_summary_send(s), 27) AS integer_kind
FROM ids_v1;

\set SHOW_CONTEXT never
-- merging summaries of different id kinds is an error (22023)
SELECT rollup(s) FROM (SELECT cohort_activity_agg(cust, start, at, '1 month', 12) FROM ids_events
	UNION ALL SELECT cohort_activity_agg(u, start, at, '1 month', 12) FROM ids_events) x(s);
SELECT rollup(s) FROM (SELECT cohort_activity_agg(id8, start, at, '1 month', 12) FROM ids_events
	UNION ALL SELECT cohort_activity_agg(cust, start, at, '1 month', 12) FROM ids_events) x(s);
-- an empty summary (no entity) merges with any kind
SELECT cohort_size(retention_summary(rollup(s), '2026-01-01')) AS merged_with_empty
FROM (SELECT cohort_activity_agg(cust, start, at, '1 month', 12) FROM ids_events
	UNION ALL SELECT cohort_activity_agg(NULL::uuid, start, at, '1 month', 12) FROM ids_events WHERE id8 = 1) x(s);
-- a text entity with two cohort starts is named as the text form writes it
SELECT cohort_activity_agg(id, start, at, '1 month', 3) FROM (VALUES ('a"b', '2024-01-01'::timestamptz, NULL::timestamptz),
	('a"b', '2024-01-02', NULL)) v(id, start, at);
-- an id type not supported
SELECT retention_curve(id::numeric, start, at, '1 month', 3) FROM ids_odd;
\set SHOW_CONTEXT errors
-- malformed text forms (22P02): ids out of order, repeated, of another kind
-- than declared, an integer or unknown "ids", "ids" in version 1, a string
-- id without "ids"
CREATE FUNCTION pg_temp.failure(query text, OUT state text, OUT problem text) LANGUAGE plpgsql AS $$
DECLARE
	message text;
BEGIN
	EXECUTE query;
	state := 'none';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, problem = PG_EXCEPTION_DETAIL;
	IF problem = '' THEN
		problem := message;
	END IF;
END $$;
SELECT f.* FROM (VALUES
	('{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"text","entities":[["b",0,[],false],["a",0,[],false]]}'),
	('{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"text","entities":[["a",0,[],false],["a",0,[],false]]}'),
	('{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"text","entities":[[1,0,[],false]]}'),
	('{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"uuid","entities":[["not-a-uuid",0,[],false]]}'),
	('{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"integer","entities":[[1,0,[],false]]}'),
	('{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"bytes","entities":[]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","ids":"text","entities":[["a",0,[],false]]}'),
	('{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[["a",0,[],false]]}')) v(literal),
	pg_temp.failure(format('SELECT %L::cohort_activity_summary', literal)) f;
-- malformed binary forms (22P03), from the text summary's payload (kind at
-- byte 28, then its count of ids, then each text's length and bytes): an
-- unknown kind, a uuid kind over text bytes, the ids swapped (out of
-- order), an entity count that is not the ids'
CREATE TABLE ids_payload AS
SELECT cohort_activity_summary_send(cohort_activity_agg(id, start, NULL, '1 month', 3)) AS b
FROM (VALUES ('a', '2024-01-01'::timestamptz), ('b', '2024-01-01')) v(id, start);
SELECT encode(b, 'hex') AS payload FROM ids_payload;
SELECT f.* FROM ids_payload, LATERAL (VALUES (set_byte(b, 27, 9)), (set_byte(b, 27, 2)),
	(set_byte(set_byte(b, 36, 98), 41, 97)), (set_byte(b, 45, 3))) v(payload),
	pg_temp.failure(format('SELECT pg_temp.load_binary(%L, %L)', 'cohort_activity_summary', payload)) f;
