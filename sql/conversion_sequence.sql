-- sequence_match and sequence_count against ClickHouse's sequenceMatch and
-- sequenceCount: its documented examples (docs/en/sql-reference/
-- aggregate-functions/parametric-functions.md) and its functional tests
-- tests/queries/0_stateless/00222_sequence_aggregate_function_family
-- (.reference: every "N = f(...)" line prints 1, so N is the expected value;
-- the newer cases of issue #118120 and the pattern errors come from its
-- current .sql), 00823_sequence_match_dfa and
-- 02713_sequence_match_serialization_fix (in sql/conversion_parallel.sql).
-- ClickHouse's integer times are seconds here (to_timestamp).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Documentation, sequenceMatch: t = (1, 1), (2, 3), (3, 2).  (?1)(?2) over
-- number = 1, number = 2 -> 1 (the 3 is no event); with number = 3 as a
-- condition -> 0 (it is an event between); with number = 4 instead -> 1
CREATE TEMP TABLE ch_seq_doc AS
SELECT to_timestamp(t) AS t, number FROM (VALUES (1, 1), (2, 3), (3, 2)) v(t, number);
SELECT sequence_match('(?1)(?2)', t, number = 1, number = 2) AS doc_1,
	sequence_match('(?1)(?2)', t, number = 1, number = 2, number = 3) AS doc_0,
	sequence_match('(?1)(?2)', t, number = 1, number = 2, number = 4) AS doc_1_again
FROM ch_seq_doc;
-- Documentation, sequenceCount: (1,1) (2,3) (3,2) (4,1) (5,3) (6,2),
-- (?1).*(?2) over number = 1, number = 2 -> 2
SELECT sequence_count('(?1).*(?2)', to_timestamp(t), number = 1, number = 2) AS doc_2
FROM (VALUES (1, 1), (2, 3), (3, 2), (4, 1), (5, 3), (6, 2)) v(t, number);

-- 00222_sequence_aggregate_function_family: data 0 0 0 0 1 2 0 0 0 0 1 1 at
-- 0..11 s, conditions data = 0, 1, 2, 3
CREATE TEMP TABLE ch_sequence_test AS
SELECT to_timestamp(t) AS t, data
FROM (VALUES (0, 0), (1, 0), (2, 0), (3, 0), (4, 1), (5, 2), (6, 0), (7, 0), (8, 0), (9, 0), (10, 1), (11, 1)) v(t, data);
SELECT pattern, expected_match, expected_count,
	(SELECT sequence_match(pattern, t, data = 0, data = 1, data = 2, data = 3) FROM ch_sequence_test) AS "match",
	(SELECT sequence_count(pattern, t, data = 0, data = 1, data = 2, data = 3) FROM ch_sequence_test) AS "count"
FROM (VALUES
	('', true, 12),				-- count() = sequenceCount(''): the 12 rows
	('.', true, 12),
	('.*', true, 12),
	('(?1)', true, 8),
	('(?2)', true, 3),
	('(?3)', true, 1),
	('(?4)', false, 0),
	('(?1)(?1)', true, 4),
	('(?1)(?1)(?1)', true, 2),
	('(?1)(?1)(?1)(?1)', true, 2),
	('(?1)(?1)(?1)(?1)(?1)', false, 0),
	('(?1)(?1)(?1)(?1)(?2)', true, 2),
	('(?1)(?t>10)(?2)', true, 1),
	('(?1)(?t>11)(?2)', false, 0),
	('(?1)(?t<11)(?2)', true, 2),
	('(?1)(?t<3)(?3)', true, 1),
	('(?1)(?t<=2)(?3)', true, 1),
	('(?1)(?t<2)(?3)', false, 0),
	('(?2)(?t>=7)(?2)', true, 1),
	('(?2)(?t>7)(?2)', false, 0),
	('(?2)(?3)(?1)', true, 1)) v(pattern, expected_match, expected_count);
-- with two conditions, data = 1 and data = 2: (?1)(?t==2)(?2) -> 0, (?1)(?t==1)(?2) -> 1
SELECT pattern, expected,
	(SELECT sequence_match(pattern, t, data = 1, data = 2) FROM ch_sequence_test) AS "match",
	(SELECT sequence_count(pattern, t, data = 1, data = 2) FROM ch_sequence_test) AS "count"
FROM (VALUES ('(?1)(?t==2)(?2)', 0), ('(?1)(?t==1)(?2)', 1),
	-- a leading + is read as ClickHouse reads numbers: > 0 matches, > 1 does not
	('(?1)(?t>+0)(?2)', 1), ('(?1)(?t>+1)(?2)', 0)) v(pattern, expected);

-- 00222, issue #118120: A@0, B@5, B@100, C@101, (?1)(?t<=10)(?2)(?3) -> 0
-- for both (the B within 10 s of A is not followed by C)
SELECT sequence_match('(?1)(?t<=10)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C') AS match_0,
	sequence_count('(?1)(?t<=10)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C') AS count_0
FROM (VALUES (0, 'A'), (5, 'B'), (100, 'B'), (101, 'C')) v(t, e);
-- 00222: without a time condition an event for another condition between
-- two matched events breaks the chain: A@0 B@1 B@2 C@3, (?1)(?2)(?3) -> 0
SELECT sequence_match('(?1)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C') AS match_0
FROM (VALUES (0, 'A'), (1, 'B'), (2, 'B'), (3, 'C')) v(t, e);

-- 00222: event numbers are 1-based and within the conditions; a number
-- needs digits (ClickHouse BAD_ARGUMENTS), a time needs a number
-- (SYNTAX_ERROR)
SELECT sequence_match('(?0)', t, data = 0, data = 1, data = 2, data = 3) FROM ch_sequence_test;
SELECT sequence_match('(?1)(?0)', t, data = 0, data = 1, data = 2, data = 3) FROM ch_sequence_test;
SELECT sequence_match('(?18446744073709551616)', t, data = 0, data = 1, data = 2, data = 3) FROM ch_sequence_test;
SELECT sequence_match('(?+)', t, data = 0, data = 1, data = 2, data = 3) FROM ch_sequence_test;
SELECT sequence_count('(?0)', t, data = 0, data = 1, data = 2, data = 3) FROM ch_sequence_test;
SELECT sequence_match('(?1)(?t>+)(?2)', t, data = 1, data = 2) FROM ch_sequence_test;
SELECT sequence_count('(?1)(?t<=+)(?2)', t, data = 1, data = 2) FROM ch_sequence_test;

-- 00823_sequence_match_dfa (.reference "ABC", "ABBC", "CD"): A at 0 s,
-- B at 1..999999 s, C at 1000000 s, and D far later (ClickHouse puts it at
-- 1e14 s, beyond PostgreSQL's timestamps: here 1e12 s, with the time
-- condition scaled to match).  Without time conditions the automaton takes
-- one pass, however long the entity's history.
CREATE TEMP TABLE ch_sequence_dfa AS
SELECT to_timestamp(n) AS t, CASE WHEN n = 0 THEN 'A' WHEN n < 1000000 THEN 'B' ELSE 'C' END AS e
FROM generate_series(0, 1000000) n
UNION ALL SELECT to_timestamp(1e12), 'D';
SELECT 'ABC' FROM ch_sequence_dfa
HAVING sequence_match('(?1).*(?2).*(?3)', t, e = 'A', e = 'B', e = 'C');
SELECT 'ABA' FROM ch_sequence_dfa
HAVING sequence_match('(?1).*(?2).*(?3)', t, e = 'A', e = 'B', e = 'A');
SELECT 'ABBC' FROM ch_sequence_dfa
HAVING sequence_match('(?1).*(?2).*(?3).*(?4)', t, e = 'A', e = 'B', e = 'B', e = 'C');
SELECT 'CD' FROM ch_sequence_dfa
HAVING sequence_match('(?1)(?t>=999990000000)(?2)', t, e = 'C', e = 'D');

------------------------------------------------------------------------------
-- Conventions beyond ClickHouse
------------------------------------------------------------------------------

-- no rows: NULL (as window_funnel); rows but no event: no match, count 0,
-- except the empty pattern, which matches nothing and so always matches
SELECT sequence_match('(?1)', t, true) IS NULL AS no_rows, sequence_count('(?1)', t, true) IS NULL AS no_rows
FROM ch_seq_doc WHERE false;
SELECT sequence_match('(?1)', t, number = 9) AS no_event, sequence_count('(?1)', t, number = 9) AS no_event,
	sequence_match('', t, number = 9) AS empty_pattern, sequence_count('', t, number = 9) AS empty_pattern
FROM ch_seq_doc;
-- NULL timestamps are skipped, NULL conditions are false
SELECT sequence_count('(?1)(?2)', t, c1, c2)
FROM (VALUES (to_timestamp(1), true, false), (NULL, false, true), (to_timestamp(2), NULL, NULL),
	(to_timestamp(3), false, true)) v(t, c1, c2);
-- the conditions as one VARIADIC boolean[] give the same
SELECT sequence_match('(?1)(?2)', t, VARIADIC ARRAY[number = 1, number = 2, number = 3]) AS doc_0,
	sequence_count('(?1).*(?2)', t, VARIADIC ARRAY[number = 1, number = 2]) AS one
FROM ch_seq_doc;
-- events at the same instant are taken in the order of their conditions
-- (ClickHouse: "an undefined order"): A and B at 1 s, in either row order
SELECT sequence_match('(?1)(?2)', to_timestamp(1), e = 'A', e = 'B') AS a_then_b,
	sequence_match('(?2)(?1)', to_timestamp(1), e = 'A', e = 'B') AS b_then_a
FROM (VALUES ('B'), ('A')) v(e);
-- time constraints are in seconds, compared exactly on microseconds:
-- 1.5 s apart is neither == 1 nor == 2, and is > 1 and < 2
SELECT sequence_match('(?1)(?t==1)(?2)', t, e = 'A', e = 'B') AS eq_1,
	sequence_match('(?1)(?t==2)(?2)', t, e = 'A', e = 'B') AS eq_2,
	sequence_match('(?1)(?t>1)(?2)', t, e = 'A', e = 'B') AS gt_1,
	sequence_match('(?1)(?t<2)(?2)', t, e = 'A', e = 'B') AS lt_2
FROM (VALUES (timestamptz '2020-01-01 00:00:00+00', 'A'), ('2020-01-01 00:00:01.5+00', 'B')) v(t, e);
-- two time conditions in a row are an error, as in ClickHouse
SELECT sequence_match('(?1)(?t>1)(?t<2)(?2)', t, e = 'A', e = 'B')
FROM (VALUES (timestamptz '2020-01-01 00:00:00+00', 'A'), ('2020-01-01 00:00:01.5+00', 'B')) v(t, e);
-- a time condition far beyond any two timestamps, and the extreme timestamps
SELECT sequence_match('(?1)(?t>=9223372036854)(?2)', t, e = 'A', e = 'B') AS too_far,
	sequence_match('(?1)(?t>=9000000000000)(?2)', t, e = 'A', e = 'B') AS far_enough,
	sequence_count('(?1)(?t<=1)(?2)', t, e = 'A', e = 'B') AS none
FROM (VALUES (timestamptz '4713-01-01 00:00:00+00 BC', 'A'), ('294276-12-31 23:59:59+00', 'B')) v(t, e);
-- per entity, as with GROUP BY user_id
SELECT u, sequence_match('(?1).*(?2)', t, e = 'visit', e = 'buy') AS bought,
	sequence_count('(?1)(?t<=3600)(?2)', t, e = 'visit', e = 'buy') AS quick_buys
FROM (VALUES (1, timestamptz '2024-01-01 10:00+00', 'visit'), (1, '2024-01-01 10:30+00', 'buy'),
	(1, '2024-01-02 10:00+00', 'visit'), (1, '2024-01-02 12:00+00', 'buy'),
	(2, '2024-01-01 09:00+00', 'buy'), (2, '2024-01-01 10:00+00', 'visit'),
	(3, '2024-01-01 09:00+00', 'visit')) v(u, t, e)
GROUP BY u ORDER BY u;

-- Against ClickHouse's matcher itself: test/reference/
-- clickhouse_sequence_reference.py ports parsePattern, dfaMatch,
-- backtrackingMatch and the final functions from
-- AggregateFunctionSequenceMatch.h (commit 00b7432b) and writes 400 random
-- entities (1 to 12 rows at distinct seconds within 30 s, of no, one or
-- several of three conditions) with five random patterns each ((?N), ., .*
-- and time conditions) and what sequenceMatch and sequenceCount give.
-- Every one must agree.
CREATE TEMP TABLE ch_seq_events (entity int, ts int, mask int);
\copy ch_seq_events FROM 'test/data/clickhouse_sequence_events.csv' (FORMAT csv, HEADER)
CREATE TEMP TABLE ch_seq_results (entity int, pattern text, matched boolean, counted bigint);
\copy ch_seq_results FROM 'test/data/clickhouse_sequence_results.csv' (FORMAT csv, HEADER)
CREATE INDEX ON ch_seq_events (entity);
SELECT count(*) AS cases, count(*) FILTER (WHERE pattern LIKE '%(?t%') AS with_time,
	count(*) FILTER (WHERE matched) AS matched, count(*) FILTER (WHERE counted > 1) AS counted_twice_or_more,
	count(*) FILTER (WHERE o.m IS DISTINCT FROM r.matched) AS match_differs,
	count(*) FILTER (WHERE o.c IS DISTINCT FROM r.counted) AS count_differs
FROM ch_seq_results r, LATERAL (SELECT
		sequence_match(r.pattern, to_timestamp(e.ts), e.mask & 1 <> 0, e.mask & 2 <> 0, e.mask & 4 <> 0) AS m,
		sequence_count(r.pattern, to_timestamp(e.ts), e.mask & 1 <> 0, e.mask & 2 <> 0, e.mask & 4 <> 0) AS c
	FROM ch_seq_events e WHERE e.entity = r.entity) o;
