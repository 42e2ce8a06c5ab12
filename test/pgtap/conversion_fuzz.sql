-- Malformed and corrupt proportion_summary and funnel_summary input,
-- generated: thousands of random mutations of valid text literals and binary
-- payloads must each either be read (and then round-trip exactly and read
-- consistently) or be rejected with 22P02 (text) / 22P03 (binary).
BEGIN;
SELECT plan(16);
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

SELECT * FROM finish();
ROLLBACK;
