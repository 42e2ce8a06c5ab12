------------------------------------------------------------------------------
-- Survey scores: NPS (and eNPS), CSAT, CES.  src/survey/
--
-- One summary type, survey_summary, keeps the full score histogram of a
-- bounded integer scale, so every survey KPI is an accessor on it.
------------------------------------------------------------------------------

CREATE TYPE survey_summary;

CREATE FUNCTION survey_summary_in(cstring) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_out(survey_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_recv(internal) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_send(survey_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE survey_summary (
	INPUT = survey_summary_in,
	OUTPUT = survey_summary_out,
	RECEIVE = survey_summary_recv,
	SEND = survey_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE survey_summary IS
	'histogram of survey scores on a bounded integer scale; read it with nps(), csat(), ces() and the other survey accessors; its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION survey_summary_in(cstring) IS 'text input of survey_summary';
COMMENT ON FUNCTION survey_summary_out(survey_summary) IS 'text output of survey_summary';
COMMENT ON FUNCTION survey_summary_recv(internal) IS 'binary input of survey_summary';
COMMENT ON FUNCTION survey_summary_send(survey_summary) IS 'binary output of survey_summary';

-- Transition, inverse and combine functions

CREATE FUNCTION survey_summary_accum(survey_summary, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum(survey_summary, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_scale(survey_summary, integer, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_scale(survey_summary, integer, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_combine(survey_summary, survey_summary) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_uncombine(survey_summary, survey_summary) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survey_summary_accum(survey_summary, integer) IS
	'transition function of the fixed-scale survey aggregates: adds one score';
COMMENT ON FUNCTION survey_summary_deaccum(survey_summary, integer) IS
	'inverse transition function of the fixed-scale survey aggregates: removes one score';
COMMENT ON FUNCTION survey_summary_accum_scale(survey_summary, integer, integer, integer) IS
	'transition function of survey_agg(score, low, high): adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_scale(survey_summary, integer, integer, integer) IS
	'inverse transition function of survey_agg(score, low, high): removes one score';
COMMENT ON FUNCTION survey_summary_combine(survey_summary, survey_summary) IS
	'merges two survey summaries on the same scale';
COMMENT ON FUNCTION survey_summary_uncombine(survey_summary, survey_summary) IS
	'removes a summary merged earlier (inverse of survey_summary_combine, for moving windows)';

-- Accessors

CREATE FUNCTION responses(survey_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_responses' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION scale_low(survey_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'survey_scale_low' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION scale_high(survey_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'survey_scale_high' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION score_count(survey_summary, from_score integer, to_score integer) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_score_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION score_share(survey_summary, from_score integer, to_score integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_score_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION score_distribution(survey_summary,
		OUT score integer, OUT responses bigint, OUT share double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'survey_score_distribution' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 11;
CREATE FUNCTION mean_score(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_mean_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mean_score_ci(survey_summary, level double precision DEFAULT 0.95,
		OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'survey_mean_score_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION responses(survey_summary) IS 'number of scores in the summary';
COMMENT ON FUNCTION scale_low(survey_summary) IS 'lowest score of the summary''s scale';
COMMENT ON FUNCTION scale_high(survey_summary) IS 'highest score of the summary''s scale';
COMMENT ON FUNCTION score_count(survey_summary, integer, integer) IS
	'number of scores from from_score to to_score inclusive';
COMMENT ON FUNCTION score_share(survey_summary, integer, integer) IS
	'share (0..1) of scores from from_score to to_score inclusive; NULL for an empty summary';
COMMENT ON FUNCTION score_distribution(survey_summary) IS
	'one row per score of the scale: score, responses, share (0..1)';
COMMENT ON FUNCTION mean_score(survey_summary) IS 'mean score; NULL for an empty summary';
COMMENT ON FUNCTION mean_score_ci(survey_summary, double precision) IS
	'Student t confidence interval of the mean score at the given level';

-- NPS: 0..10 scale, promoters 9-10, passives 7-8, detractors 0-6

CREATE FUNCTION nps(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION promoters(survey_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_promoters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION passives(survey_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_passives' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION detractors(survey_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_detractors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION promoter_share(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_promoter_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION passive_share(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_passive_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION detractor_share(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_detractor_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_stderr(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_nps_stderr' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_ci(survey_summary, level double precision DEFAULT 0.95,
		method text DEFAULT 'adjusted_wald',
		OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'survey_nps_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_compare(a survey_summary, b survey_summary,
		OUT difference double precision, OUT stderr double precision,
		OUT z double precision, OUT p_value double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'survey_nps_compare' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION nps(survey_summary) IS
	'Net Promoter Score, -100..100: 100 * (promoters - detractors) / responses; NULL for an empty summary';
COMMENT ON FUNCTION promoters(survey_summary) IS 'number of promoters (scores 9 and 10)';
COMMENT ON FUNCTION passives(survey_summary) IS 'number of passives (scores 7 and 8)';
COMMENT ON FUNCTION detractors(survey_summary) IS 'number of detractors (scores 0 to 6)';
COMMENT ON FUNCTION promoter_share(survey_summary) IS 'share (0..1) of promoters; NULL for an empty summary';
COMMENT ON FUNCTION passive_share(survey_summary) IS 'share (0..1) of passives; NULL for an empty summary';
COMMENT ON FUNCTION detractor_share(survey_summary) IS 'share (0..1) of detractors; NULL for an empty summary';
COMMENT ON FUNCTION nps_stderr(survey_summary) IS
	'standard error of the NPS, on the -100..100 scale: 100 * sqrt((p + d - (p - d)^2) / n)';
COMMENT ON FUNCTION nps_ci(survey_summary, double precision, text) IS
	'confidence interval of the NPS at the given level, method ''adjusted_wald'' (default) or ''wald''';
COMMENT ON FUNCTION nps_compare(survey_summary, survey_summary) IS
	'two-sample comparison of NPS: difference nps(a) - nps(b), its standard error, z and two-sided p-value';

-- CSAT: share of satisfied responses, in percent

CREATE FUNCTION csat(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_csat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION csat(survey_summary, satisfied_from integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_csat' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION csat_ci(survey_summary, level double precision DEFAULT 0.95,
		satisfied_from integer DEFAULT NULL,
		OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'survey_csat_ci' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION csat(survey_summary) IS
	'CSAT in percent: share of the top two scores of the scale (4 and 5 on 1..5); NULL for an empty summary';
COMMENT ON FUNCTION csat(survey_summary, integer) IS
	'CSAT in percent: share of scores >= satisfied_from (NULL: the top two scores of the scale)';
COMMENT ON FUNCTION csat_ci(survey_summary, double precision, integer) IS
	'Wilson score interval of the CSAT, in percent, at the given level';

-- CES: customer effort score (CES 2.0: 1..7 agreement with "made it easy")

CREATE FUNCTION ces(survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_mean_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_agree(survey_summary, agree_from integer DEFAULT NULL) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_ces_agree' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION ces(survey_summary) IS 'customer effort score: the mean score; NULL for an empty summary';
COMMENT ON FUNCTION ces_agree(survey_summary, integer) IS
	'percent of scores >= agree_from (NULL: the top three scores of the scale, 5 to 7 on the 1..7 CES 2.0 scale)';

-- Aggregates.  The fixed-scale ones start from an empty summary of their scale
-- (INITCOND), so their transition functions are strict and NULL scores skip.

CREATE AGGREGATE nps_agg(integer) (
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
CREATE AGGREGATE nps(integer) (
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
CREATE AGGREGATE csat_agg(integer) (
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
CREATE AGGREGATE csat(integer) (
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
CREATE AGGREGATE ces_agg(integer) (
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
CREATE AGGREGATE ces(integer) (
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
CREATE AGGREGATE survey_agg(score integer, low integer, high integer) (
	SFUNC = survey_summary_accum_scale,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_scale,
	MINVFUNC = survey_summary_deaccum_scale,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(survey_summary) (
	SFUNC = survey_summary_combine,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_combine,
	MINVFUNC = survey_summary_uncombine,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE nps_agg(integer) IS
	'survey summary of NPS answers (0..10); NULL scores are skipped';
COMMENT ON AGGREGATE nps(integer) IS
	'Net Promoter Score (-100..100) of 0..10 answers; NULL when there is no non-NULL score';
COMMENT ON AGGREGATE csat_agg(integer) IS
	'survey summary of CSAT answers (1..5); NULL scores are skipped';
COMMENT ON AGGREGATE csat(integer) IS
	'CSAT in percent of 1..5 answers: share of 4 and 5; NULL when there is no non-NULL score';
COMMENT ON AGGREGATE ces_agg(integer) IS
	'survey summary of CES answers (1..7); NULL scores are skipped';
COMMENT ON AGGREGATE ces(integer) IS
	'customer effort score: mean of 1..7 answers; NULL when there is no non-NULL score';
COMMENT ON AGGREGATE survey_agg(integer, integer, integer) IS
	'survey summary of scores on the scale low..high (bounds must not be NULL); NULL scores are skipped';
COMMENT ON AGGREGATE rollup(survey_summary) IS
	'merges survey summaries on the same scale into one';

-- 1.3.0: scores of every numeric type.  Transition functions, one per type
-- (survey_summary_accum_int2 ...), and aggregate overloads for smallint,
-- bigint, numeric and double precision, next to the integer ones, so that
-- every numeric column (and an unknown literal, as double precision) resolves
-- to exactly one of them.  A score must be a whole
-- number on the scale: 9.0 is 9; 7.5 and NaN are errors (22P02), values off
-- the scale and the infinities too (22003).
CREATE FUNCTION survey_summary_accum_int2(survey_summary, smallint) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_int2(survey_summary, smallint) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_scale_int2(survey_summary, smallint, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_scale_int2(survey_summary, smallint, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_int8(survey_summary, bigint) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_int8(survey_summary, bigint) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_scale_int8(survey_summary, bigint, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_scale_int8(survey_summary, bigint, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_numeric(survey_summary, numeric) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_numeric(survey_summary, numeric) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_scale_numeric(survey_summary, numeric, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_scale_numeric(survey_summary, numeric, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_float8(survey_summary, double precision) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_float8(survey_summary, double precision) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_summary_accum_scale_float8(survey_summary, double precision, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_summary_deaccum_scale_float8(survey_summary, double precision, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION survey_summary_accum_int2(survey_summary, smallint) IS
	'transition function of the fixed-scale survey aggregates over smallint scores: adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_int2(survey_summary, smallint) IS
	'inverse transition function of the fixed-scale survey aggregates over smallint scores: removes one score';
COMMENT ON FUNCTION survey_summary_accum_scale_int2(survey_summary, smallint, integer, integer) IS
	'transition function of survey_agg(score smallint, low, high): adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_scale_int2(survey_summary, smallint, integer, integer) IS
	'inverse transition function of survey_agg(score smallint, low, high): removes one score';
COMMENT ON FUNCTION survey_summary_accum_int8(survey_summary, bigint) IS
	'transition function of the fixed-scale survey aggregates over bigint scores: adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_int8(survey_summary, bigint) IS
	'inverse transition function of the fixed-scale survey aggregates over bigint scores: removes one score';
COMMENT ON FUNCTION survey_summary_accum_scale_int8(survey_summary, bigint, integer, integer) IS
	'transition function of survey_agg(score bigint, low, high): adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_scale_int8(survey_summary, bigint, integer, integer) IS
	'inverse transition function of survey_agg(score bigint, low, high): removes one score';
COMMENT ON FUNCTION survey_summary_accum_numeric(survey_summary, numeric) IS
	'transition function of the fixed-scale survey aggregates over numeric scores: adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_numeric(survey_summary, numeric) IS
	'inverse transition function of the fixed-scale survey aggregates over numeric scores: removes one score';
COMMENT ON FUNCTION survey_summary_accum_scale_numeric(survey_summary, numeric, integer, integer) IS
	'transition function of survey_agg(score numeric, low, high): adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_scale_numeric(survey_summary, numeric, integer, integer) IS
	'inverse transition function of survey_agg(score numeric, low, high): removes one score';
COMMENT ON FUNCTION survey_summary_accum_float8(survey_summary, double precision) IS
	'transition function of the fixed-scale survey aggregates over double precision scores: adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_float8(survey_summary, double precision) IS
	'inverse transition function of the fixed-scale survey aggregates over double precision scores: removes one score';
COMMENT ON FUNCTION survey_summary_accum_scale_float8(survey_summary, double precision, integer, integer) IS
	'transition function of survey_agg(score double precision, low, high): adds one score';
COMMENT ON FUNCTION survey_summary_deaccum_scale_float8(survey_summary, double precision, integer, integer) IS
	'inverse transition function of survey_agg(score double precision, low, high): removes one score';

CREATE AGGREGATE nps_agg(smallint) (
	SFUNC = survey_summary_accum_int2,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int2,
	MINVFUNC = survey_summary_deaccum_int2,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(smallint) (
	SFUNC = survey_summary_accum_int2,
	STYPE = survey_summary,
	FINALFUNC = nps,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int2,
	MINVFUNC = survey_summary_deaccum_int2,
	MSTYPE = survey_summary,
	MFINALFUNC = nps,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat_agg(smallint) (
	SFUNC = survey_summary_accum_int2,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int2,
	MINVFUNC = survey_summary_deaccum_int2,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat(smallint) (
	SFUNC = survey_summary_accum_int2,
	STYPE = survey_summary,
	FINALFUNC = csat,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int2,
	MINVFUNC = survey_summary_deaccum_int2,
	MSTYPE = survey_summary,
	MFINALFUNC = csat,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces_agg(smallint) (
	SFUNC = survey_summary_accum_int2,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int2,
	MINVFUNC = survey_summary_deaccum_int2,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces(smallint) (
	SFUNC = survey_summary_accum_int2,
	STYPE = survey_summary,
	FINALFUNC = ces,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int2,
	MINVFUNC = survey_summary_deaccum_int2,
	MSTYPE = survey_summary,
	MFINALFUNC = ces,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(score smallint, low integer, high integer) (
	SFUNC = survey_summary_accum_scale_int2,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_scale_int2,
	MINVFUNC = survey_summary_deaccum_scale_int2,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(bigint) (
	SFUNC = survey_summary_accum_int8,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int8,
	MINVFUNC = survey_summary_deaccum_int8,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(bigint) (
	SFUNC = survey_summary_accum_int8,
	STYPE = survey_summary,
	FINALFUNC = nps,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int8,
	MINVFUNC = survey_summary_deaccum_int8,
	MSTYPE = survey_summary,
	MFINALFUNC = nps,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat_agg(bigint) (
	SFUNC = survey_summary_accum_int8,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int8,
	MINVFUNC = survey_summary_deaccum_int8,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat(bigint) (
	SFUNC = survey_summary_accum_int8,
	STYPE = survey_summary,
	FINALFUNC = csat,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int8,
	MINVFUNC = survey_summary_deaccum_int8,
	MSTYPE = survey_summary,
	MFINALFUNC = csat,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces_agg(bigint) (
	SFUNC = survey_summary_accum_int8,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int8,
	MINVFUNC = survey_summary_deaccum_int8,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces(bigint) (
	SFUNC = survey_summary_accum_int8,
	STYPE = survey_summary,
	FINALFUNC = ces,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_int8,
	MINVFUNC = survey_summary_deaccum_int8,
	MSTYPE = survey_summary,
	MFINALFUNC = ces,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(score bigint, low integer, high integer) (
	SFUNC = survey_summary_accum_scale_int8,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_scale_int8,
	MINVFUNC = survey_summary_deaccum_scale_int8,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(numeric) (
	SFUNC = survey_summary_accum_numeric,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_numeric,
	MINVFUNC = survey_summary_deaccum_numeric,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(numeric) (
	SFUNC = survey_summary_accum_numeric,
	STYPE = survey_summary,
	FINALFUNC = nps,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_numeric,
	MINVFUNC = survey_summary_deaccum_numeric,
	MSTYPE = survey_summary,
	MFINALFUNC = nps,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat_agg(numeric) (
	SFUNC = survey_summary_accum_numeric,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_numeric,
	MINVFUNC = survey_summary_deaccum_numeric,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat(numeric) (
	SFUNC = survey_summary_accum_numeric,
	STYPE = survey_summary,
	FINALFUNC = csat,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_numeric,
	MINVFUNC = survey_summary_deaccum_numeric,
	MSTYPE = survey_summary,
	MFINALFUNC = csat,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces_agg(numeric) (
	SFUNC = survey_summary_accum_numeric,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_numeric,
	MINVFUNC = survey_summary_deaccum_numeric,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces(numeric) (
	SFUNC = survey_summary_accum_numeric,
	STYPE = survey_summary,
	FINALFUNC = ces,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_numeric,
	MINVFUNC = survey_summary_deaccum_numeric,
	MSTYPE = survey_summary,
	MFINALFUNC = ces,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(score numeric, low integer, high integer) (
	SFUNC = survey_summary_accum_scale_numeric,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_scale_numeric,
	MINVFUNC = survey_summary_deaccum_scale_numeric,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(double precision) (
	SFUNC = survey_summary_accum_float8,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_float8,
	MINVFUNC = survey_summary_deaccum_float8,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(double precision) (
	SFUNC = survey_summary_accum_float8,
	STYPE = survey_summary,
	FINALFUNC = nps,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_float8,
	MINVFUNC = survey_summary_deaccum_float8,
	MSTYPE = survey_summary,
	MFINALFUNC = nps,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat_agg(double precision) (
	SFUNC = survey_summary_accum_float8,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_float8,
	MINVFUNC = survey_summary_deaccum_float8,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat(double precision) (
	SFUNC = survey_summary_accum_float8,
	STYPE = survey_summary,
	FINALFUNC = csat,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_float8,
	MINVFUNC = survey_summary_deaccum_float8,
	MSTYPE = survey_summary,
	MFINALFUNC = csat,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces_agg(double precision) (
	SFUNC = survey_summary_accum_float8,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_float8,
	MINVFUNC = survey_summary_deaccum_float8,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces(double precision) (
	SFUNC = survey_summary_accum_float8,
	STYPE = survey_summary,
	FINALFUNC = ces,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_float8,
	MINVFUNC = survey_summary_deaccum_float8,
	MSTYPE = survey_summary,
	MFINALFUNC = ces,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(score double precision, low integer, high integer) (
	SFUNC = survey_summary_accum_scale_float8,
	STYPE = survey_summary,
	COMBINEFUNC = survey_summary_combine,
	MSFUNC = survey_summary_accum_scale_float8,
	MINVFUNC = survey_summary_deaccum_scale_float8,
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

-- 1.3.0: plain columns for BI tools.  Each returns one output column of the
-- record function it names, called with the same arguments, so the two always
-- agree (<accessor>_lower / _upper for interval bounds).

CREATE FUNCTION nps_lower(survey_summary, level double precision DEFAULT 0.95,
		method text DEFAULT 'adjusted_wald') RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_nps_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_upper(survey_summary, level double precision DEFAULT 0.95,
		method text DEFAULT 'adjusted_wald') RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_nps_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION csat_lower(survey_summary, level double precision DEFAULT 0.95,
		satisfied_from integer DEFAULT NULL) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_csat_lower' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION csat_upper(survey_summary, level double precision DEFAULT 0.95,
		satisfied_from integer DEFAULT NULL) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_csat_upper' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mean_score_lower(survey_summary, level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_mean_score_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mean_score_upper(survey_summary, level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_mean_score_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_lower(survey_summary, level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_mean_score_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_upper(survey_summary, level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_mean_score_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_difference(a survey_summary, b survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_nps_difference' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_p_value(a survey_summary, b survey_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_nps_p_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION nps_lower(survey_summary, double precision, text) IS
	'lower bound of the NPS confidence interval: nps_ci(s, level, method).lower';
COMMENT ON FUNCTION nps_upper(survey_summary, double precision, text) IS
	'upper bound of the NPS confidence interval: nps_ci(s, level, method).upper';
COMMENT ON FUNCTION csat_lower(survey_summary, double precision, integer) IS
	'lower bound of the Wilson interval of the CSAT, in percent: csat_ci(s, level, satisfied_from).lower';
COMMENT ON FUNCTION csat_upper(survey_summary, double precision, integer) IS
	'upper bound of the Wilson interval of the CSAT, in percent: csat_ci(s, level, satisfied_from).upper';
COMMENT ON FUNCTION mean_score_lower(survey_summary, double precision) IS
	'lower bound of the Student t interval of the mean score: mean_score_ci(s, level).lower';
COMMENT ON FUNCTION mean_score_upper(survey_summary, double precision) IS
	'upper bound of the Student t interval of the mean score: mean_score_ci(s, level).upper';
COMMENT ON FUNCTION ces_lower(survey_summary, double precision) IS
	'lower bound of the confidence interval of the CES (the mean score): mean_score_ci(s, level).lower';
COMMENT ON FUNCTION ces_upper(survey_summary, double precision) IS
	'upper bound of the confidence interval of the CES (the mean score): mean_score_ci(s, level).upper';
COMMENT ON FUNCTION nps_difference(survey_summary, survey_summary) IS
	'nps(a) - nps(b): nps_compare(a, b).difference';
COMMENT ON FUNCTION nps_p_value(survey_summary, survey_summary) IS
	'two-sided p-value of the z test of nps(a) = nps(b): nps_compare(a, b).p_value';
