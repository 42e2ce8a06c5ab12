/* crm_kpi--1.2.0--1.3.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.3.0'" to load this file. \quit

-- 1.3.0: analysts' tables as they come (issue 13).  Each change below is also
-- made in its family's fragment (src/<family>/<family>.sql); test/run checks
-- that every upgrade path gives the objects of a fresh install.  Sections are
-- by family, in the order of the Makefile's FAMILIES.

-- survey: scores of every numeric type (smallint, bigint, numeric, double precision)
CREATE FUNCTION survey_summary_accum(survey_summary, smallint) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum(survey_summary, smallint) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_scale(survey_summary, smallint, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum_scale_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_scale(survey_summary, smallint, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum_scale_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum(survey_summary, bigint) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum(survey_summary, bigint) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_scale(survey_summary, bigint, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum_scale_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_scale(survey_summary, bigint, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum_scale_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum(survey_summary, numeric) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum(survey_summary, numeric) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_scale(survey_summary, numeric, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum_scale_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_scale(survey_summary, numeric, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum_scale_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum(survey_summary, double precision) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum(survey_summary, double precision) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_scale(survey_summary, double precision, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum_scale_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_scale(survey_summary, double precision, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum_scale_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION survey_summary_accum(survey_summary, smallint) IS
	'transition function of the fixed-scale survey aggregates over smallint scores: adds one score';
COMMENT ON FUNCTION survey_summary_deaccum(survey_summary, smallint) IS
	'inverse transition function of the fixed-scale survey aggregates over smallint scores: removes one score';
COMMENT ON FUNCTION survey_summary_accum_scale(survey_summary, smallint, integer, integer) IS
	'transition function of survey_agg(score smallint, low, high): adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_scale(survey_summary, smallint, integer, integer) IS
	'inverse transition function of survey_agg(score smallint, low, high): removes one score';
COMMENT ON FUNCTION survey_summary_accum(survey_summary, bigint) IS
	'transition function of the fixed-scale survey aggregates over bigint scores: adds one score';
COMMENT ON FUNCTION survey_summary_deaccum(survey_summary, bigint) IS
	'inverse transition function of the fixed-scale survey aggregates over bigint scores: removes one score';
COMMENT ON FUNCTION survey_summary_accum_scale(survey_summary, bigint, integer, integer) IS
	'transition function of survey_agg(score bigint, low, high): adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_scale(survey_summary, bigint, integer, integer) IS
	'inverse transition function of survey_agg(score bigint, low, high): removes one score';
COMMENT ON FUNCTION survey_summary_accum(survey_summary, numeric) IS
	'transition function of the fixed-scale survey aggregates over numeric scores: adds one score';
COMMENT ON FUNCTION survey_summary_deaccum(survey_summary, numeric) IS
	'inverse transition function of the fixed-scale survey aggregates over numeric scores: removes one score';
COMMENT ON FUNCTION survey_summary_accum_scale(survey_summary, numeric, integer, integer) IS
	'transition function of survey_agg(score numeric, low, high): adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_scale(survey_summary, numeric, integer, integer) IS
	'inverse transition function of survey_agg(score numeric, low, high): removes one score';
COMMENT ON FUNCTION survey_summary_accum(survey_summary, double precision) IS
	'transition function of the fixed-scale survey aggregates over double precision scores: adds one score';
COMMENT ON FUNCTION survey_summary_deaccum(survey_summary, double precision) IS
	'inverse transition function of the fixed-scale survey aggregates over double precision scores: removes one score';
COMMENT ON FUNCTION survey_summary_accum_scale(survey_summary, double precision, integer, integer) IS
	'transition function of survey_agg(score double precision, low, high): adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_scale(survey_summary, double precision, integer, integer) IS
	'inverse transition function of survey_agg(score double precision, low, high): removes one score';

CREATE AGGREGATE nps_agg(smallint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(smallint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = nps,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = nps,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat_agg(smallint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat(smallint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = csat,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = csat,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces_agg(smallint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces(smallint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = ces,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = ces,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(score smallint, low integer, high integer) (
	SFUNC = survey_summary_accum_scale,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_scale,
	MINVFUNC = survey_summary_deaccum_scale,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(bigint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(bigint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = nps,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = nps,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat_agg(bigint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat(bigint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = csat,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = csat,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces_agg(bigint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces(bigint) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = ces,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = ces,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(score bigint, low integer, high integer) (
	SFUNC = survey_summary_accum_scale,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_scale,
	MINVFUNC = survey_summary_deaccum_scale,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(numeric) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(numeric) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = nps,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = nps,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat_agg(numeric) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat(numeric) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = csat,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = csat,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces_agg(numeric) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces(numeric) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = ces,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = ces,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(score numeric, low integer, high integer) (
	SFUNC = survey_summary_accum_scale,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_scale,
	MINVFUNC = survey_summary_deaccum_scale,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(double precision) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(double precision) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = nps,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = nps,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat_agg(double precision) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat(double precision) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = csat,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = csat,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces_agg(double precision) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces(double precision) (
	SFUNC = survey_summary_accum,
	STYPE = survey_summary,
	FINALFUNC = ces,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum,
	MINVFUNC = survey_summary_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = ces,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(score double precision, low integer, high integer) (
	SFUNC = survey_summary_accum_scale,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_scale,
	MINVFUNC = survey_summary_deaccum_scale,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE nps_agg(smallint) IS
	'survey summary of NPS answers (0..10); NULL scores are skipped; smallint scores must be whole numbers';
COMMENT ON AGGREGATE nps(smallint) IS
	'Net Promoter Score (-100..100) of 0..10 answers; NULL when there is no non-NULL score; smallint scores must be whole numbers';
COMMENT ON AGGREGATE csat_agg(smallint) IS
	'survey summary of CSAT answers (1..5); NULL scores are skipped; smallint scores must be whole numbers';
COMMENT ON AGGREGATE csat(smallint) IS
	'CSAT in percent of 1..5 answers: share of 4 and 5; NULL when there is no non-NULL score; smallint scores must be whole numbers';
COMMENT ON AGGREGATE ces_agg(smallint) IS
	'survey summary of CES answers (1..7); NULL scores are skipped; smallint scores must be whole numbers';
COMMENT ON AGGREGATE ces(smallint) IS
	'customer effort score: mean of 1..7 answers; NULL when there is no non-NULL score; smallint scores must be whole numbers';
COMMENT ON AGGREGATE survey_agg(smallint, integer, integer) IS
	'survey summary of smallint scores on the scale low..high (bounds must not be NULL); scores must be whole numbers, NULL scores are skipped';
COMMENT ON AGGREGATE nps_agg(bigint) IS
	'survey summary of NPS answers (0..10); NULL scores are skipped; bigint scores must be whole numbers';
COMMENT ON AGGREGATE nps(bigint) IS
	'Net Promoter Score (-100..100) of 0..10 answers; NULL when there is no non-NULL score; bigint scores must be whole numbers';
COMMENT ON AGGREGATE csat_agg(bigint) IS
	'survey summary of CSAT answers (1..5); NULL scores are skipped; bigint scores must be whole numbers';
COMMENT ON AGGREGATE csat(bigint) IS
	'CSAT in percent of 1..5 answers: share of 4 and 5; NULL when there is no non-NULL score; bigint scores must be whole numbers';
COMMENT ON AGGREGATE ces_agg(bigint) IS
	'survey summary of CES answers (1..7); NULL scores are skipped; bigint scores must be whole numbers';
COMMENT ON AGGREGATE ces(bigint) IS
	'customer effort score: mean of 1..7 answers; NULL when there is no non-NULL score; bigint scores must be whole numbers';
COMMENT ON AGGREGATE survey_agg(bigint, integer, integer) IS
	'survey summary of bigint scores on the scale low..high (bounds must not be NULL); scores must be whole numbers, NULL scores are skipped';
COMMENT ON AGGREGATE nps_agg(numeric) IS
	'survey summary of NPS answers (0..10); NULL scores are skipped; numeric scores must be whole numbers';
COMMENT ON AGGREGATE nps(numeric) IS
	'Net Promoter Score (-100..100) of 0..10 answers; NULL when there is no non-NULL score; numeric scores must be whole numbers';
COMMENT ON AGGREGATE csat_agg(numeric) IS
	'survey summary of CSAT answers (1..5); NULL scores are skipped; numeric scores must be whole numbers';
COMMENT ON AGGREGATE csat(numeric) IS
	'CSAT in percent of 1..5 answers: share of 4 and 5; NULL when there is no non-NULL score; numeric scores must be whole numbers';
COMMENT ON AGGREGATE ces_agg(numeric) IS
	'survey summary of CES answers (1..7); NULL scores are skipped; numeric scores must be whole numbers';
COMMENT ON AGGREGATE ces(numeric) IS
	'customer effort score: mean of 1..7 answers; NULL when there is no non-NULL score; numeric scores must be whole numbers';
COMMENT ON AGGREGATE survey_agg(numeric, integer, integer) IS
	'survey summary of numeric scores on the scale low..high (bounds must not be NULL); scores must be whole numbers, NULL scores are skipped';
COMMENT ON AGGREGATE nps_agg(double precision) IS
	'survey summary of NPS answers (0..10); NULL scores are skipped; double precision scores must be whole numbers';
COMMENT ON AGGREGATE nps(double precision) IS
	'Net Promoter Score (-100..100) of 0..10 answers; NULL when there is no non-NULL score; double precision scores must be whole numbers';
COMMENT ON AGGREGATE csat_agg(double precision) IS
	'survey summary of CSAT answers (1..5); NULL scores are skipped; double precision scores must be whole numbers';
COMMENT ON AGGREGATE csat(double precision) IS
	'CSAT in percent of 1..5 answers: share of 4 and 5; NULL when there is no non-NULL score; double precision scores must be whole numbers';
COMMENT ON AGGREGATE ces_agg(double precision) IS
	'survey summary of CES answers (1..7); NULL scores are skipped; double precision scores must be whole numbers';
COMMENT ON AGGREGATE ces(double precision) IS
	'customer effort score: mean of 1..7 answers; NULL when there is no non-NULL score; double precision scores must be whole numbers';
COMMENT ON AGGREGATE survey_agg(double precision, integer, integer) IS
	'survey summary of double precision scores on the scale low..high (bounds must not be NULL); scores must be whole numbers, NULL scores are skipped';
