-- Malformed and corrupt proportion_summary and funnel_summary input,
-- generated: thousands of random mutations of valid text literals and binary
-- payloads must each either be read (and then round-trip exactly and read
-- consistently) or be rejected with 22P02 (text) / 22P03 (binary).  Random
-- sequence patterns must each either be matched or be rejected with 42601 /
-- 22023, the same by sequence_match and sequence_count.
BEGIN;
SELECT plan(20);
SELECT setseed(0.47);

\ir ../fuzz.sql

CREATE TEMP TABLE proportion_text AS
SELECT * FROM pg_temp.fuzz_text_cases('proportion_summary', ARRAY[
	'{"version":1,"successes":7,"trials":1000}',
	'{"version":1,"successes":0,"trials":0}',
	'{"version":1,"successes":9223372036854775807,"trials":9223372036854775807}'],
	'{}:", -01234567890123456789vst', 1500, 1);
SELECT pg_temp.fuzz_checks('proportion_text', '22P02', 50, 1000, 'proportion text literals',
	'proportion_summary', 'successes(v) BETWEEN 0 AND trials(v)
		AND rate(v) IS NOT DISTINCT FROM successes(v)::float8 / nullif(trials(v), 0)');

CREATE TEMP TABLE proportion_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('proportion_summary', ARRAY[
	'{"version":1,"successes":7,"trials":1000}',
	'{"version":1,"successes":3,"trials":3}'], 300);
SELECT pg_temp.fuzz_checks('proportion_binary', '22P03', 20, 100, 'proportion binary payloads',
	'proportion_summary', 'successes(v) BETWEEN 0 AND trials(v)');

-- a funnel summary is consistent when each step is reached by no more
-- entities than the one before, and medians exist only where times do
CREATE TEMP TABLE funnel_text AS
SELECT * FROM pg_temp.fuzz_text_cases('funnel_summary', ARRAY[
	'{"version":1,"steps":3,"entities":10,"reached":[9,7,4],"times":[[[906,5],[1022,2]],[[0,2],[1113,1],[1148,1]]]}',
	'{"version":1,"steps":1,"entities":0,"reached":[0],"times":[]}',
	'{"version":1,"steps":2,"entities":5,"reached":[4,1],"times":[[]]}',
	'{"version":1,"steps":3,"entities":4,"reached":[4,3,3],"times":[[[0,1],[1,1],[2185,1]],[[2184,2],[2185,1]]]}'],
	'{}[]:", -01234567890123456789vs', 1500, 1);
SELECT pg_temp.fuzz_checks('funnel_text', '22P02', 50, 1000, 'funnel text literals',
	'funnel_summary', $$(SELECT bool_and(f.entities <= coalesce(p, funnel_entities(v))
			AND (median_time_from_previous IS NULL OR step > 1))
		FROM (SELECT *, lag(f0.entities) OVER (ORDER BY step) AS p FROM funnel_steps(v) f0) f)$$);

CREATE TEMP TABLE funnel_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('funnel_summary', ARRAY[
	'{"version":1,"steps":3,"entities":10,"reached":[9,7,4],"times":[[[906,5],[1022,2]],[[0,2],[1113,1],[1148,1]]]}',
	'{"version":1,"steps":2,"entities":5,"reached":[4,1],"times":[[]]}',
	'{"version":1,"steps":3,"entities":4,"reached":[4,3,3],"times":[[[0,1],[1,1],[2185,1]],[[2184,2],[2185,1]]]}'], 300);
SELECT pg_temp.fuzz_checks('funnel_binary', '22P03', 20, 100, 'funnel binary payloads',
	'funnel_summary', $$(SELECT bool_and(f.entities <= coalesce(p, funnel_entities(v)))
		FROM (SELECT *, lag(f0.entities) OVER (ORDER BY step) AS p FROM funnel_steps(v) f0) f)$$);

-- Random sequence patterns, of valid and invalid pieces, over 12 events of
-- three conditions: each is matched by both aggregates or rejected by both
-- with the same SQLSTATE (42601 syntax, 22023 a bad condition number or a
-- misplaced time condition); a match is a count of at least one.
CREATE TEMP TABLE seq_fuzz_events AS
SELECT to_timestamp(t) AS t, c
FROM (VALUES (0, 1), (1, 2), (1, 3), (2, 1), (4, 1), (5, 2), (7, 3), (8, 2), (8, 1), (9, 3), (12, 2), (13, 1)) v(t, c);
CREATE TEMP TABLE seq_fuzz AS
SELECT i, string_agg((ARRAY['(?1)', '(?2)', '(?3)', '.', '.*', '.*', '(?t>=2)', '(?t<3)', '(?t==1)', '(?t>0)',
		'(?t<=5)', '(?0)', '(?4)', '(?', 'x', ')', '(?t~1)', '(?t>+)', '(?+2)', '(?t'])[1 + floor(random() * 20)::int], '')
	AS pattern
FROM generate_series(1, 2000) i, LATERAL generate_series(0, floor(random() * 7)::int + (i * 0)) k
GROUP BY i;
CREATE FUNCTION pg_temp.seq_try(pattern text, counting boolean, OUT result text, OUT state text)
LANGUAGE plpgsql AS $f$
BEGIN
	IF counting THEN
		SELECT sequence_count(pattern, t, c = 1, c = 2, c = 3)::text INTO result FROM seq_fuzz_events;
	ELSE
		SELECT sequence_match(pattern, t, c = 1, c = 2, c = 3)::text INTO result FROM seq_fuzz_events;
	END IF;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	state := SQLSTATE;
END $f$;
CREATE TEMP TABLE seq_fuzz_results AS
SELECT i, pattern, m.result AS matched, m.state AS match_state, n.result AS counted, n.state AS count_state
FROM seq_fuzz, LATERAL pg_temp.seq_try(pattern, false) m, LATERAL pg_temp.seq_try(pattern, true) n;
SELECT is((SELECT count(*) FROM seq_fuzz_results WHERE match_state NOT IN ('00000', '42601', '22023')
		OR count_state <> match_state), 0::bigint,
	'random sequence patterns: matched or rejected with 42601 / 22023, the same by both aggregates');
SELECT is((SELECT count(*) FROM seq_fuzz_results WHERE match_state = '00000'
		AND matched::boolean IS DISTINCT FROM (counted::bigint > 0)), 0::bigint,
	'random sequence patterns: sequence_match is sequence_count > 0');
-- enough of each outcome for the checks to mean something
SELECT cmp_ok((SELECT count(*) FROM seq_fuzz_results WHERE match_state = '00000' AND matched::boolean), '>=', 100::bigint,
	'random sequence patterns: at least 100 match');
SELECT cmp_ok((SELECT count(DISTINCT match_state) FROM seq_fuzz_results), '=', 3::bigint,
	'random sequence patterns: matches, syntax errors and bad arguments all occur');

SELECT * FROM finish();
ROLLBACK;
