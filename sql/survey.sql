--
-- Survey KPIs: NPS, CSAT, CES on the survey_summary type.
--
-- Expected values come from outside crm_kpi: hand counts, the NPS package's
-- test cases (Rocks, CRAN package NPS), published Wilson interval vectors,
-- and test/reference/survey_reference.py (standard library and mpmath).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- scores(counts, low): counts[i] rows of score low + i - 1
CREATE FUNCTION scores(counts int[], low int) RETURNS SETOF int
LANGUAGE sql IMMUTABLE AS $$
	SELECT low + i - 1 FROM generate_subscripts(counts, 1) i, generate_series(1, counts[i])
$$;

-- 1. nps(score), by hand
SELECT nps(s) FROM (VALUES (10), (9), (8), (3)) v(s);                 -- (2 - 1) / 4 = 25
SELECT nps(s) FROM (VALUES (10), (9), (8), (7), (6), (0), (NULL)) v(s); -- NULL skipped: 0
SELECT nps(s) FROM (VALUES (9), (10), (10)) v(s);                      -- 100
SELECT nps(s) FROM (VALUES (0), (6), (5)) v(s);                        -- -100
SELECT nps(s) IS NULL AS null_for_all_null FROM (VALUES (NULL::int)) v(s);
SELECT nps(s) IS NULL AS null_for_no_rows FROM (VALUES (1)) v(s) WHERE false;
-- 25 % promoters, 55 % passives, 20 % detractors -> 25 - 20 = +5 (Reichheld
-- 2003, "The one number you need to grow", Harvard Business Review)
SELECT nps(s) FROM scores('{20,0,0,0,0,0,0,55,0,25,0}', 0) s;
-- group by: one value per group, NULL for a group of NULLs
SELECT g, nps(s) FROM (VALUES ('a', 10), ('a', 0), ('a', 9), ('b', NULL), ('c', 7))
	v(g, s) GROUP BY g ORDER BY g;

-- 2. The summary and its accessors.  "sample": 100 answers, 55 promoters,
-- 24 passives, 21 detractors: NPS 34, SE 8.027452896
CREATE TABLE sample AS SELECT s AS score FROM scores('{3,1,2,0,4,5,6,10,14,20,35}', 0) s;
SELECT nps_agg(score) FROM sample;
SELECT responses(s), promoters(s), passives(s), detractors(s),
	promoter_share(s), passive_share(s), detractor_share(s), nps(s),
	round(nps_stderr(s)::numeric, 9) AS nps_stderr
FROM (SELECT nps_agg(score) AS s FROM sample) x;
-- intervals: adjusted Wald [17.518286147, 48.501131329], Wald [18.266481436,
-- 49.733518564], Wald at 90 % [20.796014989, 47.203985011]
SELECT 'adjusted_wald' AS method, round(lower::numeric, 9) AS lower, round(upper::numeric, 9) AS upper
FROM nps_ci((SELECT nps_agg(score) FROM sample))
UNION ALL
SELECT 'wald', round(lower::numeric, 9), round(upper::numeric, 9)
FROM nps_ci((SELECT nps_agg(score) FROM sample), 0.95, 'wald')
UNION ALL
SELECT 'wald 90%', round(lower::numeric, 9), round(upper::numeric, 9)
FROM nps_ci((SELECT nps_agg(score) FROM sample), level => 0.90, method => 'wald');
-- P = 40, D = 30, n = 100: NPS 10, SE = 100 sqrt((p + d - (p - d)^2) / n)
-- = 100 sqrt(0.69 / 100) = 8.31 (the trinomial variance of Rocks 2016,
-- "Interval estimation for the 'net promoter score'", The American
-- Statistician 70(4); Engelhardt 2016, "NPS confidence intervals 2"), Wald
-- [-6.280683604, 26.280683604], adjusted Wald [-6.271937088, 25.689412816]
SELECT nps(s), round(nps_stderr(s)::numeric, 9) AS se,
	(SELECT round(lower::numeric, 9) || ' .. ' || round(upper::numeric, 9) FROM nps_ci(s, 0.95, 'wald')) AS wald,
	(SELECT round(lower::numeric, 9) || ' .. ' || round(upper::numeric, 9) FROM nps_ci(s)) AS adjusted_wald
FROM (SELECT '{"version":1,"scale":[0,10],"counts":[30,0,0,0,0,0,0,30,0,40,0]}'::survey_summary AS s) x;
-- clipping: all promoters, Wald has zero width, adjusted Wald is clipped at 100
SELECT nps(s), nps_stderr(s), (nps_ci(s, 0.95, 'wald')).*, (nps_ci(s)).upper AS adjusted_upper
FROM (SELECT nps_agg(10) AS s FROM generate_series(1, 5)) x;
-- empty summary: counts are 0, the rest is NULL
SELECT responses(s), promoters(s), nps(s), promoter_share(s), nps_stderr(s), (nps_ci(s)).*, csat(s)
FROM (SELECT nps_agg(score) AS s FROM sample WHERE false) x;

-- 3. The NPS package's test cases (brendan-r/NPS tests/testthat/test_01_basics.R,
-- test/reference/nps_rocks_testcases.csv): NPS and variance on the -1..1 scale,
-- standard error to 0.001
SELECT name,
	abs(nps(s) / 100 - nps) < 1e-9 AS nps_ok,
	abs((nps_stderr(s) / 100) ^ 2 * responses(s) - var) < 1e-9 AS var_ok,
	abs(nps_stderr(s) / 100 - se) <= tol AS se_ok
FROM (VALUES
	('counts_1_2_3', 1, 2, 3, 0.3333333333, 0.5555555556, 0.304, 0.001),
	('all_detractor', 1, 0, 0, -1, 0, 0, 0),
	('all_passive', 0, 1, 0, 0, 0, 0, 0),
	('all_promoter', 0, 0, 1, 1, 0, 0, 0),
	('det_prom', 1, 0, 1, 0, 1, 0.707, 0.001),
	('pass_prom', 0, 1, 1, 0.5, 0.25, 0.354, 0.001),
	('one_each', 1, 1, 1, 0, 0.6666666667, 0.471, 0.001)
) c(name, d, pa, pr, nps, var, se, tol),
LATERAL (SELECT format('{"version":1,"scale":[0,10],"counts":[%s,0,0,0,0,0,0,%s,0,%s,0]}',
	d, pa, pr)::survey_summary AS s) x;

-- 4. Comparing two quarters: q2 - sample = -44, SE 11.551623263,
-- z -3.808988486, p 0.000139536
CREATE TABLE q2 AS SELECT s AS score FROM scores('{10,2,3,5,5,8,7,15,15,15,15}', 0) s;
SELECT round(difference::numeric, 9) AS difference, round(stderr::numeric, 9) AS stderr,
	round(z::numeric, 9) AS z, round(p_value::numeric, 9) AS p_value
FROM nps_compare((SELECT nps_agg(score) FROM q2), (SELECT nps_agg(score) FROM sample));
-- identical, variance-free or empty samples
SELECT (nps_compare(nps_agg(10), nps_agg(10))).* FROM generate_series(1, 3);
SELECT * FROM nps_compare((SELECT nps_agg(score) FROM sample), (SELECT nps_agg(score) FROM sample WHERE false));

-- 5. rollup: merging the parts equals aggregating the whole
SELECT nps(rollup(part)), responses(rollup(part))
FROM (SELECT nps_agg(score) AS part FROM sample GROUP BY score % 3) x;
SELECT rollup(part)::text = (SELECT nps_agg(score)::text FROM sample) AS rollup_equals_whole
FROM (SELECT nps_agg(score) AS part FROM sample GROUP BY score % 3) x;
SELECT rollup(s) IS NULL AS null_for_no_rows FROM (SELECT nps_agg(1) AS s) x WHERE false;

-- 6. CSAT: 40 answers on 1..5 with counts 2,3,5,12,18 -> 75 %, top box 45 %,
-- Wilson 95 % [59.806038579, 85.812881361]
CREATE TABLE csat_answers AS SELECT s AS score FROM scores('{2,3,5,12,18}', 1) s;
SELECT csat(score) FROM csat_answers;
SELECT csat(s), csat(s, 5) AS top_box, csat(s, NULL) AS top_two,
	round(lower::numeric, 9) AS lower, round(upper::numeric, 9) AS upper
FROM (SELECT csat_agg(score) AS s FROM csat_answers) x, csat_ci(s);
-- published Wilson vectors at z = 1.96 (the test cases of "Compute the Wilson
-- score interval", codegolf.stackexchange.com question 105389): level 0.9500042097035593
-- gives z = 1.96; the interval of (k successes, n - k failures), in percent
SELECT k, n, round(lower::numeric, 9) AS lower, round(upper::numeric, 9) AS upper,
	abs(lower - exp_lower) < 1e-9 AND abs(upper - exp_upper) < 1e-9 AS matches
FROM (VALUES
	(0, 1, 0, 79.34567085261071),
	(1, 1, 20.654329147389294, 100),
	(1, 2, 9.452865480086611, 90.5471345199134),
	(10, 100, 5.522854161313612, 17.43673043676654),
	(50, 100, 40.382982859014716, 59.61701714098528),
	(0, 100, 0, 3.699480747600191)
) v(k, n, exp_lower, exp_upper),
LATERAL csat_ci(format('{"version":1,"scale":[0,1],"counts":[%s,%s]}', n - k, k)::survey_summary,
	0.9500042097035593, 1);
-- a 1..10 scale, satisfied from 8
SELECT csat(survey_agg(s, 1, 10), 8) FROM generate_series(1, 10) s;   -- 30

-- 7. CES: 40 answers on 1..7 with counts 1,2,4,6,9,11,7 -> mean 5.025, agree
-- (>= 5) 67.5 %, Student t 95 % [4.525918034, 5.524081966]
CREATE TABLE ces_answers AS SELECT s AS score FROM scores('{1,2,4,6,9,11,7}', 1) s;
SELECT ces(score) FROM ces_answers;
SELECT ces(s), mean_score(s), ces_agree(s), ces_agree(s, NULL) AS top_three, ces_agree(s, 6),
	round(lower::numeric, 9) AS lower, round(upper::numeric, 9) AS upper
FROM (SELECT ces_agg(score) AS s FROM ces_answers) x, mean_score_ci(s);
-- t quantiles: with 10 scores 1,1,1,1,1,2,2,2,2,2 (mean 1.5, sd 0.527046277) the
-- half width is t(0.975, 9) * sd / sqrt(10), t(0.975, 9) = 2.262157163
SELECT round(((upper - lower) / 2 / (sqrt(10.0 / 36) / sqrt(10)))::numeric, 9) AS t_975_9
FROM mean_score_ci((SELECT survey_agg(s, 1, 7) FROM scores('{5,5}', 1) s));
-- t(0.995, 2) = 9.924843201: scores 48, 50, 52 (sd 2) at 99 %
SELECT round(((upper - lower) / 2 / (2 / sqrt(3)))::numeric, 9) AS t_995_2
FROM mean_score_ci((SELECT survey_agg(x, 1, 100) FROM generate_series(48, 52, 2) x), 0.99);
-- many degrees of freedom: n/2 ones and n/2 twos, sd = sqrt(n / (4 (n - 1))):
-- t(0.975, 4999) = 1.960438647, t(0.975, 2000001) = 1.959965171
SELECT n - 1 AS df, round(((upper - lower) / 2 / sqrt(n::float8 / (4 * (n - 1))) * sqrt(n))::numeric, 9) AS t_975
FROM (VALUES (5000), (2000002)) v(n),
	LATERAL mean_score_ci(format('{"version":1,"scale":[1,2],"counts":[%s,%s]}', n / 2, n / 2)::survey_summary);
-- scores 1, 2, 3 on 1..7: mean 2 -/+ 5.73 is clipped to the scale, [1, 7]
SELECT * FROM mean_score_ci((SELECT survey_agg(x, 1, 7) FROM generate_series(1, 3) x), 0.99);
SELECT (mean_score_ci(survey_agg(x, 1, 7))).* FROM (VALUES (3)) v(x);   -- one score: NULL

-- Two intervals in one query (doc/conventions.md, "Interval columns"): every
-- *_ci returns columns lower and upper, so a view of two of them must name
-- the bounds.  The NPS of "sample" (adjusted Wald [17.518286147, 48.501131329],
-- section 2) beside the CES mean of ces_answers (t [4.525918034, 5.524081966]).
CREATE VIEW two_intervals_clash AS
SELECT (nps_ci(n)).*, (mean_score_ci(c)).*
FROM (SELECT nps_agg(score) AS n FROM sample) a, (SELECT ces_agg(score) AS c FROM ces_answers) b;
CREATE VIEW two_intervals AS
SELECT nps(n), (nps_ci(n)).lower AS nps_lower, (nps_ci(n)).upper AS nps_upper,
	ces(c), (mean_score_ci(c)).lower AS ces_lower, (mean_score_ci(c)).upper AS ces_upper
FROM (SELECT nps_agg(score) AS n FROM sample) a, (SELECT ces_agg(score) AS c FROM ces_answers) b;
CREATE VIEW two_intervals_from AS
SELECT nps(n), x.*, ces(c), y.*
FROM (SELECT nps_agg(score) AS n FROM sample) a, (SELECT ces_agg(score) AS c FROM ces_answers) b,
	nps_ci(n) AS x(nps_lower, nps_upper), mean_score_ci(c) AS y(ces_lower, ces_upper);
SELECT nps, round(nps_lower::numeric, 9) AS nps_lower, round(nps_upper::numeric, 9) AS nps_upper,
	ces, round(ces_lower::numeric, 9) AS ces_lower, round(ces_upper::numeric, 9) AS ces_upper
FROM two_intervals
UNION ALL
SELECT nps, round(nps_lower::numeric, 9), round(nps_upper::numeric, 9),
	ces, round(ces_lower::numeric, 9), round(ces_upper::numeric, 9)
FROM two_intervals_from;
DROP VIEW two_intervals, two_intervals_from;

-- 8. Generic histogram accessors
SELECT * FROM score_distribution((SELECT csat_agg(score) FROM csat_answers));
SELECT score_count(s, 4, 5), score_count(s, -10, 100), score_count(s, 5, 4),
	score_share(s, 1, 2), scale_low(s), scale_high(s)
FROM (SELECT csat_agg(score) AS s FROM csat_answers) x;
SELECT share FROM score_distribution((SELECT csat_agg(1) WHERE false));

-- 9. Text form: round trip, JSON-compatible, validated
SELECT s::text::survey_summary::text = s::text AS round_trip, (s::text::jsonb)->'counts' AS counts
FROM (SELECT nps_agg(score) AS s FROM sample) x;
SELECT ' { "version" : 1 , "scale" : [ -3 , 3 ] , "counts" : [ 1 , 0 , 2 , 0 , 0 , 0 , 9223372036854775804 ] } '::survey_summary;
SELECT '{"version":2,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}'::survey_summary;
SELECT '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0]}'::survey_summary;
SELECT '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0,0]}'::survey_summary;
SELECT '{"version":1,"scale":[0,10],"counts":[0,0,0,0,-1,0,0,0,0,0,0]}'::survey_summary;
SELECT '{"version":1,"scale":[5,1],"counts":[0]}'::survey_summary;
SELECT '{"version":1,"scale":[0,200],"counts":[0]}'::survey_summary;
SELECT '{"version":1,"scale":[0,1],"counts":[9223372036854775807,1]}'::survey_summary;
SELECT '{"version":1,"scale":[0,1],"counts":[99999999999999999999,1]}'::survey_summary;
SELECT '{"version":1,"scale":[0,1],"counts":[1,1]} x'::survey_summary;
SELECT '{"version":1,"scale":[0,1],"counts":[1,1]'::survey_summary;
SELECT ''::survey_summary;
SELECT 'nps'::survey_summary;

-- 10. Binary form: COPY BINARY round trip, and corrupt input rejected
\set SHOW_CONTEXT never
CREATE TABLE stored (id int, s survey_summary);
INSERT INTO stored SELECT 1, nps_agg(score) FROM sample;
INSERT INTO stored SELECT 2, csat_agg(score) FROM csat_answers;
INSERT INTO stored SELECT 3, survey_agg(s, -3, 3) FROM generate_series(-3, 3) s;
CREATE TABLE reloaded (LIKE stored);
-- server-side files in the data directory (the test runs as superuser)
CREATE FUNCTION data_file(name text) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT current_setting('data_directory') || '/' || name
$$;
DO $$ BEGIN
	EXECUTE format('COPY stored TO %L (FORMAT binary)', data_file('crm_kpi_survey.bin'));
	EXECUTE format('COPY reloaded FROM %L (FORMAT binary)', data_file('crm_kpi_survey.bin'));
END $$;
SELECT id, r.s::text = s.s::text AS same FROM stored s JOIN reloaded r USING (id) ORDER BY id;
SELECT encode(survey_summary_send(s), 'hex') FROM stored WHERE id = 2;
-- binary input through COPY, from hex payloads
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
-- payload: version 1, scale 1..5, counts 2,3,5,12,18 (the csat_answers summary)
SELECT pg_temp.load_survey_binary('\x010000000100000005000000000000000200000000000000030000000000000005000000000000000c0000000000000012');
-- version 2; scale 5..1; a negative count; truncated; a byte too many
SELECT pg_temp.load_survey_binary('\x020000000100000005000000000000000200000000000000030000000000000005000000000000000c0000000000000012');
SELECT pg_temp.load_survey_binary('\x010000000500000001000000000000000200000000000000030000000000000005000000000000000c0000000000000012');
SELECT pg_temp.load_survey_binary('\x0100000001000000050000000000000002000000000000000300000000000000050000000000000000ffffffffffffffff');
SELECT pg_temp.load_survey_binary('\x01000000010000000500000000000000020000000000000003000000000000000500000000000000');
SELECT pg_temp.load_survey_binary('\x010000000100000005000000000000000200000000000000030000000000000005000000000000000c000000000000001200');

\set SHOW_CONTEXT errors

-- 11. Errors: out-of-range scores, bad parameters, mismatched merges
SELECT nps(s) FROM (VALUES (5), (11)) v(s);
SELECT nps(s) FROM (VALUES (-1)) v(s);
SELECT csat(s) FROM (VALUES (0)) v(s);
SELECT ces(s) FROM (VALUES (8)) v(s);
SELECT survey_agg(s, 1, 1) FROM (VALUES (1)) v(s);
SELECT survey_agg(s, 0, 101) FROM (VALUES (1)) v(s);
SELECT survey_agg(s, NULL, 5) FROM (VALUES (1)) v(s);
SELECT survey_agg(s, 1, h) FROM (VALUES (1, 5), (2, 7)) v(s, h);
SELECT nps(csat_agg(3));
SELECT promoters(survey_agg(3, 1, 5));
SELECT rollup(s) FROM (SELECT nps_agg(5) UNION ALL SELECT csat_agg(5)) x(s);
SELECT nps_ci(nps_agg(5), 1.0) FROM generate_series(1, 2);
SELECT nps_ci(nps_agg(5), 'NaN') FROM generate_series(1, 2);
SELECT nps_ci(nps_agg(5), 0.95, 'exact') FROM generate_series(1, 2);
SELECT csat(csat_agg(5), 6);
SELECT csat(csat_agg(x), 9) FROM generate_series(1, 0) x;
SELECT csat_ci(csat_agg(5), 0.95, 0);
SELECT ces_agree(ces_agg(5), 9);
SELECT mean_score_ci(ces_agg(5), -0.5);
SELECT survey_summary_deaccum(nps_agg(5), 6) FROM generate_series(1, 2);
SELECT survey_summary_uncombine(nps_agg(5), nps_agg(s)) FROM generate_series(5, 6) s;
-- no summary can hold more than bigint answers in total
SELECT survey_summary_accum('{"version":1,"scale":[0,1],"counts":[9223372036854775807,0]}', 1);
SELECT rollup(s) FROM (VALUES ('{"version":1,"scale":[0,1],"counts":[9223372036854775806,0]}'::survey_summary),
	('{"version":1,"scale":[0,1],"counts":[0,2]}')) v(s);

-- direct calls do not modify their arguments
SELECT survey_summary_accum(s, 10)::text, s::text
FROM (SELECT '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,1]}'::survey_summary AS s) x;

-- 12. Counts are 32-bit until one passes 2147483647, then the summary widens
-- to 64-bit counts: the values read the same either way.
SELECT survey_summary_accum('{"version":1,"scale":[0,1],"counts":[2147483647,5]}', 0);   -- 2147483648, 5
SELECT responses(s), score_count(s, 0, 0), score_share(s, 1, 1), s::text::survey_summary::text = s::text AS round_trip
FROM (SELECT '{"version":1,"scale":[0,1],"counts":[4000000000,1000000000]}'::survey_summary AS s) x;  -- 5e9, 4e9, 0.2
-- combining two narrow summaries past 32 bits widens the result: 4294967294 + 2
SELECT rollup(s) FROM (VALUES ('{"version":1,"scale":[0,1],"counts":[2147483647,1]}'::survey_summary),
	('{"version":1,"scale":[0,1],"counts":[2147483647,0]}'), ('{"version":1,"scale":[0,1],"counts":[0,1]}')) v(s);
-- inside an aggregate, from a nearly full start: 2147483646 + 3 zeros
CREATE AGGREGATE near_full(integer) (
	SFUNC = survey_summary_accum, STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,1],"counts":[2147483646,0]}',
	MSFUNC = survey_summary_accum, MINVFUNC = survey_summary_deaccum, MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,1],"counts":[2147483646,0]}');
SELECT near_full(x) FROM (VALUES (0), (1), (0), (0)) v(x);   -- 2147483649, 1
-- a moving window that widens and then removes rows again: frames of up to
-- 3 rows over 2147483646 + the frame's zeros
SELECT i, near_full(x) OVER (ORDER BY i ROWS 2 PRECEDING)
FROM (VALUES (1, 0), (2, 0), (3, 0), (4, 1), (5, 1), (6, 0)) v(i, x) ORDER BY i;
-- removing from a wide summary
SELECT survey_summary_deaccum('{"version":1,"scale":[0,1],"counts":[3000000000,1]}', 1),
	survey_summary_uncombine('{"version":1,"scale":[0,1],"counts":[3000000000,1]}', '{"version":1,"scale":[0,1],"counts":[1000000000,1]}');
-- binary round trip of a wide summary
TRUNCATE stored;
INSERT INTO stored VALUES (1, '{"version":1,"scale":[0,2],"counts":[3000000000,0,7]}');
DO $$ BEGIN
	EXECUTE format('COPY stored TO %L (FORMAT binary)', data_file('crm_kpi_survey.bin'));
	TRUNCATE reloaded;
	EXECUTE format('COPY reloaded FROM %L (FORMAT binary)', data_file('crm_kpi_survey.bin'));
END $$;
SELECT s FROM reloaded;
