--
-- Survey scores of every numeric type (issue 13): smallint, integer, bigint,
-- numeric and double precision columns, as CSV imports and ELT tools deliver
-- them, feed every survey aggregate.  Expected values: plain SQL over the
-- same rows (count(*) FILTER for NPS and CSAT, avg() for CES), never our own
-- integer aggregates alone.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE typed_answers AS
SELECT i,
	CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 31) % 11 END AS s4,
	1 + (i * 7) % 5 AS c4,
	1 + (i * 5) % 7 AS e4
FROM generate_series(1, 2000) i;
ALTER TABLE typed_answers
	ADD s2 smallint, ADD s8 bigint, ADD sn numeric(4, 1), ADD sf double precision, ADD sr real,
	ADD c2 smallint, ADD c8 bigint, ADD cn numeric, ADD cf double precision,
	ADD e2 smallint, ADD e8 bigint, ADD en numeric, ADD ef double precision;
-- numeric with a scale (9.0) and without, as loaders type them
UPDATE typed_answers SET s2 = s4, s8 = s4, sn = s4, sf = s4, sr = s4,
	c2 = c4, c8 = c4, cn = c4, cf = c4, e2 = e4, e8 = e4, en = e4, ef = e4;

-- every overload, one per numeric type
SELECT p.oid::regprocedure AS aggregate
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_kpi'
WHERE a.aggtranstype = 'survey_summary'::regtype AND p.proname <> 'rollup'
ORDER BY p.proname, p.oid::regprocedure::text;

-- PostgreSQL resolves each argument type to its own overload, without a
-- cast (smallint is no longer promoted to integer, bigint and numeric no
-- longer fail); real and an unknown literal go to double precision, the
-- numeric category's preferred type
EXPLAIN (VERBOSE, COSTS OFF)
SELECT nps_agg(s2), nps_agg(s4), nps_agg(s8), nps_agg(sn), nps_agg(sf), nps_agg(sr),
	nps_agg('9'), survey_agg('4', 1, 5), csat_agg(9), ces_agg(5.0)
FROM typed_answers;

-- NPS of each type equals the definition computed in plain SQL
SELECT count(*) FILTER (WHERE v IS DISTINCT FROM expected) AS mismatches, min(v) AS nps
FROM (SELECT unnest(ARRAY[nps(s2), nps(s4), nps(s8), nps(sn), nps(sf), nps(sr),
		nps(nps_agg(s2)), nps(nps_agg(s8)), nps(nps_agg(sn)), nps(nps_agg(sf)),
		nps(survey_agg(s2, 0, 10)), nps(survey_agg(s8, 0, 10)),
		nps(survey_agg(sn, 0, 10)), nps(survey_agg(sf, 0, 10))]) AS v,
		100.0 * (count(*) FILTER (WHERE s4 >= 9) - count(*) FILTER (WHERE s4 <= 6))::float8
			/ count(s4) AS expected
	FROM typed_answers) x;

-- CSAT (share of 4 and 5) and CES (the mean) likewise
SELECT count(*) FILTER (WHERE v IS DISTINCT FROM expected) AS mismatches, min(v) AS csat
FROM (SELECT unnest(ARRAY[csat(c2), csat(c8), csat(cn), csat(cf),
		csat(csat_agg(c2)), csat(csat_agg(c8)), csat(csat_agg(cn)), csat(csat_agg(cf)),
		csat(survey_agg(cn, 1, 5)), csat(survey_agg(cf, 1, 5))]) AS v,
		100.0 * count(*) FILTER (WHERE c4 >= 4) / count(c4)::float8 AS expected
	FROM typed_answers) x;
SELECT count(*) FILTER (WHERE abs(v - expected) > 1e-12) AS mismatches, round(min(v)::numeric, 6) AS ces
FROM (SELECT unnest(ARRAY[ces(e2), ces(e8), ces(en), ces(ef),
		ces(ces_agg(e2)), ces(ces_agg(e8)), ces(ces_agg(en)), ces(ces_agg(ef)),
		ces(survey_agg(e8, 1, 7)), ces(survey_agg(ef, 1, 7))]) AS v,
		avg(e4)::float8 AS expected
	FROM typed_answers) x;

-- the summaries themselves: the same counts, the NULL scores skipped
SELECT responses(survey_agg(sn, 0, 10)) = count(s4) AS responses_match,
	survey_agg(s2, 0, 10)::text = survey_agg(s4, 0, 10)::text
		AND survey_agg(s8, 0, 10)::text = survey_agg(s4, 0, 10)::text
		AND survey_agg(sn, 0, 10)::text = survey_agg(s4, 0, 10)::text
		AND survey_agg(sf, 0, 10)::text = survey_agg(s4, 0, 10)::text
		AND nps_agg(sr)::text = nps_agg(s4)::text AS same_counts
FROM typed_answers;

-- whole numbers of every form: 9.0, 1e1, -0.0; NULL skipped; no rows: NULL
SELECT nps_agg(x) FROM (VALUES (9.0), (1e1), (-0.0), (NULL), (7.000)) v(x);
SELECT nps_agg(x) FROM (VALUES (9.0::float8), (10), ('-0'), (NULL)) v(x);
SELECT score, responses
FROM score_distribution((SELECT survey_agg(x, -50, 50) FROM (VALUES (-50::numeric), (50.00), (-1), (-1.0)) v(x)))
WHERE responses > 0;
SELECT nps(x), csat(x::bigint), ces(x::smallint), survey_agg(x, 1, 5)
FROM (VALUES (1.5)) v(x) WHERE false;

-- moving windows (inverse transition) of each type equal plain SQL per frame
SELECT count(*) AS rows,
	count(*) FILTER (WHERE w2 IS DISTINCT FROM expected OR w8 IS DISTINCT FROM expected
		OR wn IS DISTINCT FROM expected OR wf IS DISTINCT FROM expected
		OR wa IS DISTINCT FROM expected) AS nps_mismatches,
	count(*) FILTER (WHERE c IS DISTINCT FROM c_expected) AS csat_mismatches,
	count(*) FILTER (WHERE abs(e - e_expected) > 1e-12) AS ces_mismatches
FROM (SELECT nps(s2) OVER w AS w2, nps(s8) OVER w AS w8, nps(sn) OVER w AS wn,
		nps(sf) OVER w AS wf, nps(survey_agg(sn, 0, 10) OVER w) AS wa,
		CASE WHEN count(s4) OVER w > 0 THEN 100.0 * (count(*) FILTER (WHERE s4 >= 9) OVER w
			- count(*) FILTER (WHERE s4 <= 6) OVER w)::float8 / count(s4) OVER w END AS expected,
		csat(cn) OVER w AS c,
		100.0 * count(*) FILTER (WHERE c4 >= 4) OVER w / count(c4) OVER w::float8 AS c_expected,
		ces(ef) OVER w AS e, avg(e4) OVER w AS e_expected
	FROM typed_answers
	WINDOW w AS (ORDER BY i ROWS BETWEEN 29 PRECEDING AND CURRENT ROW)) x;

-- errors name the value: no integer (22P02), off the scale (22003); the
-- SQLSTATEs are asserted in test/pgtap/survey_scores.sql
\set VERBOSITY default
SELECT nps(x) FROM (VALUES (7.5)) v(x);
SELECT nps(x) FROM (VALUES ('NaN'::numeric)) v(x);
SELECT nps(x) FROM (VALUES (0.001::float8)) v(x);
SELECT nps(x) FROM (VALUES ('NaN'::float8)) v(x);
SELECT nps(x) FROM (VALUES ('-Infinity'::float8)) v(x);
SELECT nps(x) FROM (VALUES (1e30::numeric)) v(x);
SELECT csat(x) FROM (VALUES (6.0)) v(x);
SELECT ces(x) FROM (VALUES (3000000000::bigint)) v(x);
SELECT survey_agg(x, 1, 5) FROM (VALUES ((-32768)::smallint)) v(x);
SELECT survey_agg(x, 1, 5) FROM (VALUES (1e300::float8)) v(x);
