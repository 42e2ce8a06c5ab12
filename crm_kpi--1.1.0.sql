/* crm_kpi--1.1.0.sql */

-- complain if script is sourced in psql, rather than through CREATE EXTENSION
\echo Use "CREATE EXTENSION crm_kpi" to load this file. \quit

------------------------------------------------------------------------------
-- Survey scores: NPS (and eNPS), CSAT, CES.  src/survey.c
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

CREATE FUNCTION survey_accum(survey_summary, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_deaccum(survey_summary, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_scale_accum(survey_summary, integer, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_scale_deaccum(survey_summary, integer, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_combine(survey_summary, survey_summary) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_uncombine(survey_summary, survey_summary) RETURNS survey_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survey_accum(survey_summary, integer) IS
	'transition function of the fixed-scale survey aggregates: adds one score';
COMMENT ON FUNCTION survey_deaccum(survey_summary, integer) IS
	'inverse transition function of the fixed-scale survey aggregates: removes one score';
COMMENT ON FUNCTION survey_scale_accum(survey_summary, integer, integer, integer) IS
	'transition function of survey_agg(score, low, high): adds one score';
COMMENT ON FUNCTION survey_scale_deaccum(survey_summary, integer, integer, integer) IS
	'inverse transition function of survey_agg(score, low, high): removes one score';
COMMENT ON FUNCTION survey_combine(survey_summary, survey_summary) IS
	'merges two survey summaries on the same scale';
COMMENT ON FUNCTION survey_uncombine(survey_summary, survey_summary) IS
	'removes a summary merged earlier (inverse of survey_combine, for moving windows)';

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
	SFUNC = survey_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_combine,
	MSFUNC = survey_accum,
	MINVFUNC = survey_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE nps(integer) (
	SFUNC = survey_accum,
	STYPE = survey_summary,
	FINALFUNC = nps,
	INITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_combine,
	MSFUNC = survey_accum,
	MINVFUNC = survey_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = nps,
	MINITCOND = '{"version":1,"scale":[0,10],"counts":[0,0,0,0,0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat_agg(integer) (
	SFUNC = survey_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_combine,
	MSFUNC = survey_accum,
	MINVFUNC = survey_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE csat(integer) (
	SFUNC = survey_accum,
	STYPE = survey_summary,
	FINALFUNC = csat,
	INITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	COMBINEFUNC = survey_combine,
	MSFUNC = survey_accum,
	MINVFUNC = survey_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = csat,
	MINITCOND = '{"version":1,"scale":[1,5],"counts":[0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces_agg(integer) (
	SFUNC = survey_accum,
	STYPE = survey_summary,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_combine,
	MSFUNC = survey_accum,
	MINVFUNC = survey_deaccum,
	MSTYPE = survey_summary,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE ces(integer) (
	SFUNC = survey_accum,
	STYPE = survey_summary,
	FINALFUNC = ces,
	INITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	COMBINEFUNC = survey_combine,
	MSFUNC = survey_accum,
	MINVFUNC = survey_deaccum,
	MSTYPE = survey_summary,
	MFINALFUNC = ces,
	MINITCOND = '{"version":1,"scale":[1,7],"counts":[0,0,0,0,0,0,0]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_agg(score integer, low integer, high integer) (
	SFUNC = survey_scale_accum,
	STYPE = survey_summary,
	COMBINEFUNC = survey_combine,
	MSFUNC = survey_scale_accum,
	MINVFUNC = survey_scale_deaccum,
	MSTYPE = survey_summary,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(survey_summary) (
	SFUNC = survey_combine,
	STYPE = survey_summary,
	COMBINEFUNC = survey_combine,
	MSFUNC = survey_combine,
	MINVFUNC = survey_uncombine,
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

------------------------------------------------------------------------------
-- Conversion: rates and ordered funnels.  src/proportion.c, src/funnel.c
--
-- proportion_summary holds (successes, trials): the project's one proportion
-- type, shared by conversion rate, win rate and churn rate.  Rates are
-- fractions 0..1.
------------------------------------------------------------------------------

CREATE TYPE proportion_summary;

CREATE FUNCTION proportion_summary_in(cstring) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_summary_out(proportion_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_summary_recv(internal) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_summary_send(proportion_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE proportion_summary (
	INPUT = proportion_summary_in,
	OUTPUT = proportion_summary_out,
	RECEIVE = proportion_summary_recv,
	SEND = proportion_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE proportion_summary IS
	'successes in trials: the mergeable state of conversion, win and churn rates';
COMMENT ON FUNCTION proportion_summary_in(cstring) IS
	'reads {"version":1,"successes":k,"trials":n}';
COMMENT ON FUNCTION proportion_summary_out(proportion_summary) IS
	'writes {"version":1,"successes":k,"trials":n}';
COMMENT ON FUNCTION proportion_summary_recv(internal) IS
	'reads the binary form: version byte, successes, trials (int64)';
COMMENT ON FUNCTION proportion_summary_send(proportion_summary) IS
	'writes the binary form: version byte, successes, trials (int64)';

-- Transition, inverse and combine functions
CREATE FUNCTION proportion_accum(proportion_summary, boolean) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_deaccum(proportion_summary, boolean) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_counts_accum(proportion_summary, bigint, bigint) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_counts_deaccum(proportion_summary, bigint, bigint) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_combine(proportion_summary, proportion_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_uncombine(proportion_summary, proportion_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION proportion_accum(proportion_summary, boolean) IS
	'transition function of conversion_rate and proportion_agg: counts one trial, a success when true';
COMMENT ON FUNCTION proportion_deaccum(proportion_summary, boolean) IS
	'inverse transition function of conversion_rate and proportion_agg (moving windows)';
COMMENT ON FUNCTION proportion_counts_accum(proportion_summary, bigint, bigint) IS
	'transition function of proportion_agg(successes, trials): adds pre-aggregated counts';
COMMENT ON FUNCTION proportion_counts_deaccum(proportion_summary, bigint, bigint) IS
	'inverse transition function of proportion_agg(successes, trials) (moving windows)';
COMMENT ON FUNCTION proportion_combine(proportion_summary, proportion_summary) IS
	'adds two proportion summaries (combine function; transition function of rollup)';
COMMENT ON FUNCTION proportion_uncombine(proportion_summary, proportion_summary) IS
	'subtracts a proportion summary that was added (inverse transition function of rollup)';

-- Constructor and accessors
CREATE FUNCTION proportion(successes bigint, trials bigint) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION successes(proportion_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'proportion_successes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION trials(proportion_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'proportion_trials' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate(proportion_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'proportion_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_ci(proportion_summary, level double precision DEFAULT 0.95,
		OUT lower double precision, OUT upper double precision)
	AS 'MODULE_PATHNAME', 'proportion_rate_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_compare(a proportion_summary, b proportion_summary,
		OUT difference double precision, OUT stderr double precision,
		OUT z double precision, OUT p_value double precision)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION proportion(bigint, bigint) IS
	'a proportion summary of successes in trials (0 <= successes <= trials)';
COMMENT ON FUNCTION successes(proportion_summary) IS
	'number of successes (conversions, wins, churned customers)';
COMMENT ON FUNCTION trials(proportion_summary) IS
	'number of trials (the denominator)';
COMMENT ON FUNCTION rate(proportion_summary) IS
	'successes / trials as a fraction 0..1; NULL when there are no trials';
COMMENT ON FUNCTION rate_ci(proportion_summary, double precision) IS
	'Wilson score interval of the rate at the given confidence level (default 0.95); NULLs when there are no trials';
COMMENT ON FUNCTION proportion_compare(proportion_summary, proportion_summary) IS
	'two-proportion z test of rate(a) - rate(b): difference, pooled standard error, z, two-sided p-value';

-- Aggregates
CREATE AGGREGATE conversion_rate(boolean) (
	SFUNC = proportion_accum,
	STYPE = proportion_summary,
	FINALFUNC = rate,
	INITCOND = '{"version":1,"successes":0,"trials":0}',
	COMBINEFUNC = proportion_combine,
	MSFUNC = proportion_accum,
	MINVFUNC = proportion_deaccum,
	MSTYPE = proportion_summary,
	MFINALFUNC = rate,
	MINITCOND = '{"version":1,"successes":0,"trials":0}',
	PARALLEL = SAFE
);
CREATE AGGREGATE proportion_agg(boolean) (
	SFUNC = proportion_accum,
	STYPE = proportion_summary,
	INITCOND = '{"version":1,"successes":0,"trials":0}',
	COMBINEFUNC = proportion_combine,
	MSFUNC = proportion_accum,
	MINVFUNC = proportion_deaccum,
	MSTYPE = proportion_summary,
	MINITCOND = '{"version":1,"successes":0,"trials":0}',
	PARALLEL = SAFE
);
CREATE AGGREGATE proportion_agg(successes bigint, trials bigint) (
	SFUNC = proportion_counts_accum,
	STYPE = proportion_summary,
	INITCOND = '{"version":1,"successes":0,"trials":0}',
	COMBINEFUNC = proportion_combine,
	MSFUNC = proportion_counts_accum,
	MINVFUNC = proportion_counts_deaccum,
	MSTYPE = proportion_summary,
	MINITCOND = '{"version":1,"successes":0,"trials":0}',
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(proportion_summary) (
	SFUNC = proportion_combine,
	STYPE = proportion_summary,
	INITCOND = '{"version":1,"successes":0,"trials":0}',
	COMBINEFUNC = proportion_combine,
	MSFUNC = proportion_combine,
	MINVFUNC = proportion_uncombine,
	MSTYPE = proportion_summary,
	MINITCOND = '{"version":1,"successes":0,"trials":0}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE conversion_rate(boolean) IS
	'share of true among the non-NULL values, as a fraction 0..1; NULL when there are none';
COMMENT ON AGGREGATE proportion_agg(boolean) IS
	'proportion summary: trials = non-NULL values, successes = true values';
COMMENT ON AGGREGATE proportion_agg(bigint, bigint) IS
	'proportion summary adding pre-aggregated (successes, trials) counts; rows with a NULL count are skipped';
COMMENT ON AGGREGATE rollup(proportion_summary) IS
	'merges proportion summaries into one (empty summary for no rows)';

-- Funnels per entity (GROUP BY user_id): window_funnel, funnel_path.
-- The state is internal (the entity's events), shipped between parallel
-- workers by funnel_serialize.  The steps are VARIADIC "any" so that no
-- array is built per row; the transition functions check they are boolean.
-- COST 10: a row costs about ten times a built-in operator (perf, 10 M
-- events); at the default cost of 1 the planner never splits a funnel's
-- transitions across parallel workers.
CREATE FUNCTION funnel_accum(internal, interval, timestamptz, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION funnel_mode_accum(internal, interval, text, timestamptz, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION funnel_path_accum(internal, interval, text, timestamptz, boolean, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION funnel_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_final(internal) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_path_final(internal) RETURNS timestamptz[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION funnel_accum(internal, interval, timestamptz, VARIADIC "any") IS
	'transition function of window_funnel(window, ts, VARIADIC steps): collects the entity''s events';
COMMENT ON FUNCTION funnel_mode_accum(internal, interval, text, timestamptz, VARIADIC "any") IS
	'transition function of window_funnel(window, mode, ts, VARIADIC steps)';
COMMENT ON FUNCTION funnel_path_accum(internal, interval, text, timestamptz, boolean, VARIADIC "any") IS
	'transition function of funnel_path(window, mode, ts, exclude, VARIADIC steps)';
COMMENT ON FUNCTION funnel_combine(internal, internal) IS
	'combine function of window_funnel and funnel_path: the events of both states';
COMMENT ON FUNCTION funnel_serialize(internal) IS
	'serializes a per-entity funnel state for parallel workers';
COMMENT ON FUNCTION funnel_deserialize(bytea, internal) IS
	'deserializes a per-entity funnel state from a parallel worker';
COMMENT ON FUNCTION window_funnel_final(internal) IS
	'final function of window_funnel: replays the events, returns the deepest step reached';
COMMENT ON FUNCTION funnel_path_final(internal) IS
	'final function of funnel_path: replays the events, returns the timestamps of the steps reached';

CREATE AGGREGATE window_funnel(conversion_window interval, ts timestamptz, VARIADIC steps "any") (
	SFUNC = funnel_accum,
	STYPE = internal,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serialize,
	DESERIALFUNC = funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel(conversion_window interval, mode text, ts timestamptz, VARIADIC steps "any") (
	SFUNC = funnel_mode_accum,
	STYPE = internal,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serialize,
	DESERIALFUNC = funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE funnel_path(conversion_window interval, mode text, ts timestamptz, exclude boolean,
		VARIADIC steps "any") (
	SFUNC = funnel_path_accum,
	STYPE = internal,
	FINALFUNC = funnel_path_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serialize,
	DESERIALFUNC = funnel_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamptz, VARIADIC "any") IS
	'deepest step (0..N) of an ordered funnel reached within the window from step 1, as ClickHouse windowFunnel';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC "any") IS
	'window_funnel with ClickHouse modes: strict_order, strict_deduplication, strict_increase, strict_once';
COMMENT ON AGGREGATE funnel_path(interval, text, timestamptz, boolean, VARIADIC "any") IS
	'timestamps of the steps reached by the first chain reaching the deepest step (NULL beyond it); exclusion events end chains in progress';

-- Funnels across entities: funnel_summary
CREATE TYPE funnel_summary;

CREATE FUNCTION funnel_summary_in(cstring) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_summary_out(funnel_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_summary_recv(internal) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_summary_send(funnel_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE funnel_summary (
	INPUT = funnel_summary_in,
	OUTPUT = funnel_summary_out,
	RECEIVE = funnel_summary_recv,
	SEND = funnel_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE funnel_summary IS
	'funnel across entities: entities reaching each step and histograms of the time between steps';
COMMENT ON FUNCTION funnel_summary_in(cstring) IS
	'reads {"version":1,"steps":N,"entities":E,"reached":[...],"times":[...]}';
COMMENT ON FUNCTION funnel_summary_out(funnel_summary) IS
	'writes {"version":1,"steps":N,"entities":E,"reached":[...],"times":[...]}';
COMMENT ON FUNCTION funnel_summary_recv(internal) IS
	'reads the binary form of a funnel summary';
COMMENT ON FUNCTION funnel_summary_send(funnel_summary) IS
	'writes the binary form of a funnel summary';

CREATE FUNCTION funnel_agg_path_accum(internal, timestamptz[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_agg_level_accum(internal, integer, integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_agg_summary_accum(internal, funnel_summary) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_agg_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_agg_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_agg_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_agg_final(internal) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION funnel_agg_path_accum(internal, timestamptz[]) IS
	'transition function of funnel_agg(path): adds one entity''s funnel_path';
COMMENT ON FUNCTION funnel_agg_level_accum(internal, integer, integer) IS
	'transition function of funnel_agg(level, steps): adds one entity''s window_funnel level';
COMMENT ON FUNCTION funnel_agg_summary_accum(internal, funnel_summary) IS
	'transition function of rollup(funnel_summary)';
COMMENT ON FUNCTION funnel_agg_combine(internal, internal) IS
	'combine function of funnel_agg and rollup(funnel_summary)';
COMMENT ON FUNCTION funnel_agg_serialize(internal) IS
	'serializes a funnel_agg state as a funnel_summary, for parallel workers';
COMMENT ON FUNCTION funnel_agg_deserialize(bytea, internal) IS
	'deserializes a funnel_agg state from a parallel worker';
COMMENT ON FUNCTION funnel_agg_final(internal) IS
	'final function of funnel_agg and rollup(funnel_summary): the funnel summary';

CREATE AGGREGATE funnel_agg(path timestamptz[]) (
	SFUNC = funnel_agg_path_accum,
	STYPE = internal,
	FINALFUNC = funnel_agg_final,
	COMBINEFUNC = funnel_agg_combine,
	SERIALFUNC = funnel_agg_serialize,
	DESERIALFUNC = funnel_agg_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE funnel_agg(level integer, steps integer) (
	SFUNC = funnel_agg_level_accum,
	STYPE = internal,
	FINALFUNC = funnel_agg_final,
	COMBINEFUNC = funnel_agg_combine,
	SERIALFUNC = funnel_agg_serialize,
	DESERIALFUNC = funnel_agg_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(funnel_summary) (
	SFUNC = funnel_agg_summary_accum,
	STYPE = internal,
	FINALFUNC = funnel_agg_final,
	COMBINEFUNC = funnel_agg_combine,
	SERIALFUNC = funnel_agg_serialize,
	DESERIALFUNC = funnel_agg_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(timestamptz[]) IS
	'funnel summary over entities from their funnel_path results (NULL paths skipped)';
COMMENT ON AGGREGATE funnel_agg(integer, integer) IS
	'funnel summary over entities from their window_funnel levels and the number of steps (no times)';
COMMENT ON AGGREGATE rollup(funnel_summary) IS
	'merges funnel summaries with the same number of steps into one';

CREATE FUNCTION entities(funnel_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'funnel_entities' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION reached(funnel_summary, step integer) RETURNS bigint
	AS 'MODULE_PATHNAME', 'funnel_reached' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_conversion(funnel_summary, from_step integer DEFAULT 1,
		to_step integer DEFAULT NULL) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION median_time(funnel_summary, step integer) RETURNS interval
	AS 'MODULE_PATHNAME', 'funnel_median_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_steps(funnel_summary, level double precision DEFAULT 0.95,
		OUT step integer, OUT entities bigint,
		OUT conversion_from_previous double precision,
		OUT previous_lower double precision, OUT previous_upper double precision,
		OUT conversion_from_first double precision,
		OUT first_lower double precision, OUT first_upper double precision,
		OUT median_time_from_previous interval)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

COMMENT ON FUNCTION entities(funnel_summary) IS
	'number of entities in the funnel summary, including those that reached no step';
COMMENT ON FUNCTION reached(funnel_summary, integer) IS
	'number of entities that reached at least the given step (1..N)';
COMMENT ON FUNCTION funnel_conversion(funnel_summary, integer, integer) IS
	'entities reaching to_step (default the last) of those reaching from_step (default 1; 0 = all entities), as a proportion summary';
COMMENT ON FUNCTION median_time(funnel_summary, integer) IS
	'median time from the previous step to the given step (2..N), within 1 %; NULL when no entity has both';
COMMENT ON FUNCTION funnel_steps(funnel_summary, double precision) IS
	'one row per step: entities reaching it, conversion from the previous and the first step with Wilson intervals, median time from the previous step';

------------------------------------------------------------------------------
-- Survival: Kaplan-Meier, median survival, log-rank test; shifted-beta-
-- geometric contract retention.  src/survival.c, src/survival_sbg.c
--
-- One summary type, survival_summary, keeps the events and censorings at
-- each distinct duration; sbg_model is a fitted sBG model.
------------------------------------------------------------------------------

CREATE TYPE survival_summary;

CREATE FUNCTION survival_summary_in(cstring) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_out(survival_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_recv(internal) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_send(survival_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE survival_summary (
	INPUT = survival_summary_in,
	OUTPUT = survival_summary_out,
	RECEIVE = survival_summary_recv,
	SEND = survival_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE survival_summary IS
	'events and censorings at each distinct duration; read it with kaplan_meier(), median_survival() and the other survival accessors; its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION survival_summary_in(cstring) IS 'text input of survival_summary';
COMMENT ON FUNCTION survival_summary_out(survival_summary) IS 'text output of survival_summary';
COMMENT ON FUNCTION survival_summary_recv(internal) IS 'binary input of survival_summary';
COMMENT ON FUNCTION survival_summary_send(survival_summary) IS 'binary output of survival_summary';

-- Aggregate support: an internal buffer of (duration, events, censored)

CREATE FUNCTION survival_accum(internal, double precision, boolean) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_accum_status(internal, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_deaccum(internal, double precision, boolean) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_deaccum_status(internal, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_final(internal) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_combine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_uncombine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survival_accum(internal, double precision, boolean) IS
	'transition function of survival_agg(duration, event boolean): adds one duration';
COMMENT ON FUNCTION survival_accum_status(internal, double precision, integer) IS
	'transition function of survival_agg(duration, status integer): adds one duration, status 1 = event, 0 = censored';
COMMENT ON FUNCTION survival_deaccum(internal, double precision, boolean) IS
	'inverse transition function of survival_agg(duration, event boolean): removes one duration';
COMMENT ON FUNCTION survival_deaccum_status(internal, double precision, integer) IS
	'inverse transition function of survival_agg(duration, status integer): removes one duration';
COMMENT ON FUNCTION survival_state_combine(internal, internal) IS
	'combine function of survival_agg: merges two partial states';
COMMENT ON FUNCTION survival_serialize(internal) IS
	'serializes a partial survival_agg state (in the binary form of survival_summary)';
COMMENT ON FUNCTION survival_deserialize(bytea, internal) IS
	'deserializes a partial survival_agg state';
COMMENT ON FUNCTION survival_final(internal) IS
	'final function of survival_agg: the survival summary; an empty one for no rows';
COMMENT ON FUNCTION survival_combine(survival_summary, survival_summary) IS
	'merges two survival summaries by adding their counts at each duration';
COMMENT ON FUNCTION survival_uncombine(survival_summary, survival_summary) IS
	'removes a summary merged earlier (inverse of survival_combine, for moving windows)';

CREATE AGGREGATE survival_agg(duration double precision, event boolean) (
	SFUNC = survival_accum,
	STYPE = internal,
	FINALFUNC = survival_final,
	COMBINEFUNC = survival_state_combine,
	SERIALFUNC = survival_serialize,
	DESERIALFUNC = survival_deserialize,
	MSFUNC = survival_accum,
	MINVFUNC = survival_deaccum,
	MSTYPE = internal,
	MFINALFUNC = survival_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE survival_agg(duration double precision, status integer) (
	SFUNC = survival_accum_status,
	STYPE = internal,
	FINALFUNC = survival_final,
	COMBINEFUNC = survival_state_combine,
	SERIALFUNC = survival_serialize,
	DESERIALFUNC = survival_deserialize,
	MSFUNC = survival_accum_status,
	MINVFUNC = survival_deaccum_status,
	MSTYPE = internal,
	MFINALFUNC = survival_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(survival_summary) (
	SFUNC = survival_combine,
	STYPE = survival_summary,
	COMBINEFUNC = survival_combine,
	MSFUNC = survival_combine,
	MINVFUNC = survival_uncombine,
	MSTYPE = survival_summary,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE survival_agg(double precision, boolean) IS
	'survival summary of (duration, event) pairs: event true = the event happened at duration, false = censored (still active at duration); rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(double precision, integer) IS
	'survival summary of (duration, status) pairs: status 1 = event, 0 = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE rollup(survival_summary) IS
	'merges survival summaries into one';

-- Accessors

CREATE FUNCTION subjects(survival_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survival_subjects' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION events(survival_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survival_events' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kaplan_meier(survival_summary, level double precision DEFAULT 0.95,
		include_censored boolean DEFAULT false,
		OUT "time" double precision, OUT at_risk bigint, OUT events bigint, OUT censored bigint,
		OUT survival double precision, OUT std_err double precision,
		OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 100;
CREATE FUNCTION survival_at(survival_summary, "time" double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_survival(survival_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_survival_ci(survival_summary, level double precision DEFAULT 0.95,
		OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION restricted_mean_survival(survival_summary, horizon double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logrank_test(survival_summary[],
		OUT chisq double precision, OUT df integer, OUT p_value double precision,
		OUT observed double precision[], OUT expected double precision[])
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION subjects(survival_summary) IS 'number of subjects (durations) in the summary';
COMMENT ON FUNCTION events(survival_summary) IS 'number of events (uncensored durations) in the summary';
COMMENT ON FUNCTION kaplan_meier(survival_summary, double precision, boolean) IS
	'Kaplan-Meier table: one row per distinct event time (per distinct time with include_censored) with at risk, events, censored, survival, Greenwood standard error and log-transformed confidence bounds (R survfit, conf.type = "log")';
COMMENT ON FUNCTION survival_at(survival_summary, double precision) IS
	'Kaplan-Meier survival S(t) at the given time; NULL past the last follow-up time unless the curve has reached 0';
COMMENT ON FUNCTION median_survival(survival_summary) IS
	'median survival time by R''s rule (first time S <= 1/2, midpoint where S = 1/2 over an interval); NULL if not reached';
COMMENT ON FUNCTION median_survival_ci(survival_summary, double precision) IS
	'confidence interval of the median survival time: where the log-transformed confidence bounds of the curve reach 1/2 (R quantile.survfit); NULL bounds where not reached';
COMMENT ON FUNCTION restricted_mean_survival(survival_summary, double precision) IS
	'restricted mean survival time: area under the Kaplan-Meier curve from 0 to the horizon';
COMMENT ON FUNCTION logrank_test(survival_summary[]) IS
	'log-rank test (R survdiff, rho = 0) that the groups share one survival curve: chi-square, degrees of freedom, p-value, and the observed and expected events of each group';

-- Shifted-beta-geometric contract retention (Fader & Hardie 2007)

CREATE TYPE sbg_model;

CREATE FUNCTION sbg_model_in(cstring) RETURNS sbg_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_out(sbg_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_recv(internal) RETURNS sbg_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_send(sbg_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE sbg_model (
	INPUT = sbg_model_in,
	OUTPUT = sbg_model_out,
	RECEIVE = sbg_model_recv,
	SEND = sbg_model_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE sbg_model IS
	'fitted shifted-beta-geometric retention model (alpha, beta, log-likelihood, periods, customers, converged); its text form is JSON';
COMMENT ON FUNCTION sbg_model_in(cstring) IS 'text input of sbg_model';
COMMENT ON FUNCTION sbg_model_out(sbg_model) IS 'text output of sbg_model';
COMMENT ON FUNCTION sbg_model_recv(internal) IS 'binary input of sbg_model';
COMMENT ON FUNCTION sbg_model_send(sbg_model) IS 'binary output of sbg_model';

CREATE FUNCTION sbg_accum(internal, integer, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sbg_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sbg_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_final(internal) RETURNS sbg_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION sbg_accum(internal, integer, bigint) IS
	'transition function of sbg_fit: records the survivors of one period';
COMMENT ON FUNCTION sbg_state_combine(internal, internal) IS
	'combine function of sbg_fit: merges the periods of two partial states';
COMMENT ON FUNCTION sbg_serialize(internal) IS 'serializes a partial sbg_fit state';
COMMENT ON FUNCTION sbg_deserialize(bytea, internal) IS 'deserializes a partial sbg_fit state';
COMMENT ON FUNCTION sbg_final(internal) IS
	'final function of sbg_fit: the maximum-likelihood sBG model; NULL for no rows';

CREATE AGGREGATE sbg_fit(period integer, survivors bigint) (
	SFUNC = sbg_accum,
	STYPE = internal,
	FINALFUNC = sbg_final,
	COMBINEFUNC = sbg_state_combine,
	SERIALFUNC = sbg_serialize,
	DESERIALFUNC = sbg_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sbg_fit(integer, bigint) IS
	'shifted-beta-geometric model fitted by maximum likelihood to the customers of one cohort still active after each period (period 0: the cohort size); rows with a NULL are skipped';

CREATE FUNCTION alpha(sbg_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'sbg_alpha' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION beta(sbg_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'sbg_beta' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(sbg_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'sbg_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(sbg_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'sbg_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_survival(sbg_model, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_retention_rate(sbg_model, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_projection(sbg_model, periods integer,
		OUT period integer, OUT survival double precision, OUT retention_rate double precision,
		OUT churn_probability double precision, OUT expected_active double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 13;

COMMENT ON FUNCTION alpha(sbg_model) IS 'alpha of the beta distribution of churn probabilities';
COMMENT ON FUNCTION beta(sbg_model) IS 'beta of the beta distribution of churn probabilities';
COMMENT ON FUNCTION log_likelihood(sbg_model) IS 'log-likelihood of the data at the fitted alpha and beta';
COMMENT ON FUNCTION converged(sbg_model) IS 'whether the maximum-likelihood search converged';
COMMENT ON FUNCTION sbg_survival(sbg_model, integer) IS
	'share (0..1) of the cohort still active after the given number of periods: S(t) = B(alpha, beta + t) / B(alpha, beta)';
COMMENT ON FUNCTION sbg_retention_rate(sbg_model, integer) IS
	'retention rate of period t >= 1: S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)';
COMMENT ON FUNCTION sbg_projection(sbg_model, integer) IS
	'one row per period 0..periods: survival, retention rate, churn probability P(T = t) and expected active customers';

------------------------------------------------------------------------------
-- Customer lifetime value: historic, formula-based and predictive (BG/NBD +
-- Gamma-Gamma).  src/clv.c, src/clv_model.c
--
-- clv() sums a customer's order values in NUMERIC with PostgreSQL's own
-- numeric accumulator; rfm_agg() builds a customer's RFM summary, which the
-- BG/NBD and Gamma-Gamma fits read and the predictions take with a model.
------------------------------------------------------------------------------

-- Historic CLV

CREATE FUNCTION clv_margin_accum(internal, numeric, numeric) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_margin_deaccum(internal, numeric, numeric) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_discounted_accum(internal, numeric, numeric, date, date, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_discounted_deaccum(internal, numeric, numeric, date, date, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION clv_margin_accum(internal, numeric, numeric) IS
	'transition function of clv(amount, cost): accumulates amount - cost';
COMMENT ON FUNCTION clv_margin_deaccum(internal, numeric, numeric) IS
	'moving-window inverse of clv(amount, cost)';
COMMENT ON FUNCTION clv_discounted_accum(internal, numeric, numeric, date, date, double precision) IS
	'transition function of clv(amount, cost, order_date, reference_date, annual_rate)';
COMMENT ON FUNCTION clv_discounted_deaccum(internal, numeric, numeric, date, date, double precision) IS
	'moving-window inverse of clv(amount, cost, order_date, reference_date, annual_rate)';

CREATE AGGREGATE clv(amount numeric) (
	SFUNC = pg_catalog.numeric_avg_accum,
	STYPE = internal,
	SSPACE = 128,
	FINALFUNC = pg_catalog.numeric_sum,
	COMBINEFUNC = pg_catalog.numeric_avg_combine,
	SERIALFUNC = pg_catalog.numeric_avg_serialize,
	DESERIALFUNC = pg_catalog.numeric_avg_deserialize,
	MSFUNC = pg_catalog.numeric_avg_accum,
	MINVFUNC = pg_catalog.numeric_accum_inv,
	MSTYPE = internal,
	MSSPACE = 128,
	MFINALFUNC = pg_catalog.numeric_sum,
	PARALLEL = SAFE
);
CREATE AGGREGATE clv(amount numeric, cost numeric) (
	SFUNC = clv_margin_accum,
	STYPE = internal,
	SSPACE = 128,
	FINALFUNC = pg_catalog.numeric_sum,
	COMBINEFUNC = pg_catalog.numeric_avg_combine,
	SERIALFUNC = pg_catalog.numeric_avg_serialize,
	DESERIALFUNC = pg_catalog.numeric_avg_deserialize,
	MSFUNC = clv_margin_accum,
	MINVFUNC = clv_margin_deaccum,
	MSTYPE = internal,
	MSSPACE = 128,
	MFINALFUNC = pg_catalog.numeric_sum,
	PARALLEL = SAFE
);
CREATE AGGREGATE clv(amount numeric, cost numeric, order_date date, reference_date date,
		annual_rate double precision) (
	SFUNC = clv_discounted_accum,
	STYPE = internal,
	SSPACE = 128,
	FINALFUNC = pg_catalog.numeric_sum,
	COMBINEFUNC = pg_catalog.numeric_avg_combine,
	SERIALFUNC = pg_catalog.numeric_avg_serialize,
	DESERIALFUNC = pg_catalog.numeric_avg_deserialize,
	MSFUNC = clv_discounted_accum,
	MINVFUNC = clv_discounted_deaccum,
	MSTYPE = internal,
	MSSPACE = 128,
	MFINALFUNC = pg_catalog.numeric_sum,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE clv(numeric) IS
	'historic CLV: exact numeric sum of the order amounts (refunds negative); NULL amounts skipped, NULL for no rows';
COMMENT ON AGGREGATE clv(numeric, numeric) IS
	'historic CLV as margin: exact numeric sum of amount - cost; rows with a NULL amount or cost skipped';
COMMENT ON AGGREGATE clv(numeric, numeric, date, date, double precision) IS
	'historic CLV discounted to reference_date: sum of (amount - cost) * (1 + annual_rate)^((reference_date - order_date) / 365.25)';

-- The classic retention formula

CREATE FUNCTION retention_clv(margin double precision, retention double precision,
		discount_rate double precision, margin_at_start boolean DEFAULT false)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION retention_clv(double precision, double precision, double precision, boolean) IS
	'infinite-horizon CLV m * r / (1 + d - r), or m * (1 + d) / (1 + d - r) with the first margin at once; needs 0 <= r < 1 + d';

-- RFM summary of one customer

CREATE TYPE rfm_summary;

CREATE FUNCTION rfm_summary_in(cstring) RETURNS rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_summary_out(rfm_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_summary_recv(internal) RETURNS rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_summary_send(rfm_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm_summary (
	INPUT = rfm_summary_in,
	OUTPUT = rfm_summary_out,
	RECEIVE = rfm_summary_recv,
	SEND = rfm_summary_send,
	INTERNALLENGTH = 40,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE rfm_summary IS
	'one customer''s RFM summary: frequency x (repeat purchase days), recency t_x, age T, mean repeat purchase value';
COMMENT ON FUNCTION rfm_summary_in(cstring) IS 'text input of rfm_summary';
COMMENT ON FUNCTION rfm_summary_out(rfm_summary) IS 'text output of rfm_summary';
COMMENT ON FUNCTION rfm_summary_recv(internal) IS 'binary input of rfm_summary';
COMMENT ON FUNCTION rfm_summary_send(rfm_summary) IS 'binary output of rfm_summary';

CREATE FUNCTION rfm_summary(frequency bigint, recency double precision, age double precision,
		monetary_value double precision DEFAULT 0)
	RETURNS rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION frequency(rfm_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'rfm_frequency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION recency(rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'rfm_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_age(rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'rfm_customer_age' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION monetary_value(rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'rfm_monetary_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rfm_summary(bigint, double precision, double precision, double precision) IS
	'RFM summary from known frequency, recency, age (same time unit) and mean repeat purchase value';
COMMENT ON FUNCTION frequency(rfm_summary) IS 'number of repeat purchase days x';
COMMENT ON FUNCTION recency(rfm_summary) IS 'time t_x from the first to the last purchase day, in the summary''s unit';
COMMENT ON FUNCTION customer_age(rfm_summary) IS 'time T from the first purchase day to the observation end, in the summary''s unit';
COMMENT ON FUNCTION monetary_value(rfm_summary) IS 'mean value of the repeat purchase days (first excluded); 0 when x = 0';

CREATE FUNCTION rfm_agg_accum(internal, date, double precision, date, interval) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_agg_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_agg_final(internal) RETURNS rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION rfm_agg_accum(internal, date, double precision, date, interval) IS
	'transition function of rfm_agg';
COMMENT ON FUNCTION rfm_agg_combine(internal, internal) IS 'combine function of rfm_agg';
COMMENT ON FUNCTION rfm_agg_serialize(internal) IS 'serialize function of rfm_agg';
COMMENT ON FUNCTION rfm_agg_deserialize(bytea, internal) IS 'deserialize function of rfm_agg';
COMMENT ON FUNCTION rfm_agg_final(internal) IS 'final function of rfm_agg';

CREATE AGGREGATE rfm_agg(purchase date, amount double precision, observation_end date, unit interval) (
	SFUNC = rfm_agg_accum,
	STYPE = internal,
	FINALFUNC = rfm_agg_final,
	COMBINEFUNC = rfm_agg_combine,
	SERIALFUNC = rfm_agg_serialize,
	DESERIALFUNC = rfm_agg_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rfm_agg(date, double precision, date, interval) IS
	'RFM summary of one customer''s purchases up to observation_end, same-day purchases merged, times in unit; NULL if none';

-- BG/NBD and Gamma-Gamma models

CREATE TYPE bgnbd_model;

CREATE FUNCTION bgnbd_model_in(cstring) RETURNS bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_out(bgnbd_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_recv(internal) RETURNS bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_send(bgnbd_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE bgnbd_model (
	INPUT = bgnbd_model_in,
	OUTPUT = bgnbd_model_out,
	RECEIVE = bgnbd_model_recv,
	SEND = bgnbd_model_send,
	INTERNALLENGTH = 56,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE bgnbd_model IS
	'BG/NBD purchase model: r, alpha, a, b, log-likelihood, number of customers fitted, convergence';
COMMENT ON FUNCTION bgnbd_model_in(cstring) IS 'text input of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_out(bgnbd_model) IS 'text output of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_recv(internal) IS 'binary input of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_send(bgnbd_model) IS 'binary output of bgnbd_model';

CREATE TYPE gamma_gamma_model;

CREATE FUNCTION gamma_gamma_model_in(cstring) RETURNS gamma_gamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_out(gamma_gamma_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_recv(internal) RETURNS gamma_gamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_send(gamma_gamma_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE gamma_gamma_model (
	INPUT = gamma_gamma_model_in,
	OUTPUT = gamma_gamma_model_out,
	RECEIVE = gamma_gamma_model_recv,
	SEND = gamma_gamma_model_send,
	INTERNALLENGTH = 48,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE gamma_gamma_model IS
	'Gamma-Gamma spend model: p, q, gamma, log-likelihood, number of repeat buyers fitted, convergence';
COMMENT ON FUNCTION gamma_gamma_model_in(cstring) IS 'text input of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_out(gamma_gamma_model) IS 'text output of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_recv(internal) IS 'binary input of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_send(gamma_gamma_model) IS 'binary output of gamma_gamma_model';

CREATE FUNCTION bgnbd_model(r double precision, alpha double precision,
		a double precision, b double precision) RETURNS bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model(p double precision, q double precision, gamma double precision)
	RETURNS gamma_gamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION parameters(bgnbd_model, OUT r double precision, OUT alpha double precision,
		OUT a double precision, OUT b double precision) RETURNS record
	AS 'MODULE_PATHNAME', 'bgnbd_parameters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION parameters(gamma_gamma_model, OUT p double precision, OUT q double precision,
		OUT gamma double precision) RETURNS record
	AS 'MODULE_PATHNAME', 'gamma_gamma_parameters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(gamma_gamma_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(bgnbd_model) RETURNS bigint
	AS 'MODULE_PATHNAME', 'bgnbd_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(gamma_gamma_model) RETURNS bigint
	AS 'MODULE_PATHNAME', 'gamma_gamma_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(bgnbd_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'bgnbd_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(gamma_gamma_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'gamma_gamma_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bgnbd_model(double precision, double precision, double precision, double precision) IS
	'BG/NBD model of given parameters (e.g. published ones); 0 customers, not fitted';
COMMENT ON FUNCTION gamma_gamma_model(double precision, double precision, double precision) IS
	'Gamma-Gamma model of given parameters; 0 customers, not fitted';
COMMENT ON FUNCTION parameters(bgnbd_model) IS 'BG/NBD parameters r, alpha, a, b';
COMMENT ON FUNCTION parameters(gamma_gamma_model) IS 'Gamma-Gamma parameters p, q, gamma';
COMMENT ON FUNCTION log_likelihood(bgnbd_model) IS 'maximised log-likelihood of the fit; NULL for a model of given parameters';
COMMENT ON FUNCTION log_likelihood(gamma_gamma_model) IS 'maximised log-likelihood of the fit; NULL for a model of given parameters';
COMMENT ON FUNCTION customers(bgnbd_model) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION customers(gamma_gamma_model) IS 'number of repeat buyers the model was fitted on';
COMMENT ON FUNCTION converged(bgnbd_model) IS 'whether the fit converged to an interior maximum';
COMMENT ON FUNCTION converged(gamma_gamma_model) IS 'whether the fit converged to an interior maximum';

CREATE FUNCTION bgnbd_fit_accum(internal, rfm_summary) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_accum(internal, rfm_summary) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_fit_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_final(internal) RETURNS bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_final(internal) RETURNS gamma_gamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION bgnbd_fit_accum(internal, rfm_summary) IS 'transition function of bgnbd_fit';
COMMENT ON FUNCTION gamma_gamma_fit_accum(internal, rfm_summary) IS 'transition function of gamma_gamma_fit';
COMMENT ON FUNCTION clv_fit_combine(internal, internal) IS 'combine function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION clv_fit_serialize(internal) IS 'serialize function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION clv_fit_deserialize(bytea, internal) IS 'deserialize function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION bgnbd_fit_final(internal) IS 'final function of bgnbd_fit: the maximum-likelihood fit';
COMMENT ON FUNCTION gamma_gamma_fit_final(internal) IS 'final function of gamma_gamma_fit: the maximum-likelihood fit';

CREATE AGGREGATE bgnbd_fit(rfm_summary) (
	SFUNC = bgnbd_fit_accum,
	STYPE = internal,
	FINALFUNC = bgnbd_fit_final,
	COMBINEFUNC = clv_fit_combine,
	SERIALFUNC = clv_fit_serialize,
	DESERIALFUNC = clv_fit_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_fit(rfm_summary) (
	SFUNC = gamma_gamma_fit_accum,
	STYPE = internal,
	FINALFUNC = gamma_gamma_fit_final,
	COMBINEFUNC = clv_fit_combine,
	SERIALFUNC = clv_fit_serialize,
	DESERIALFUNC = clv_fit_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE bgnbd_fit(rfm_summary) IS
	'maximum-likelihood BG/NBD fit over customers'' RFM summaries; NULL for no customers';
COMMENT ON AGGREGATE gamma_gamma_fit(rfm_summary) IS
	'maximum-likelihood Gamma-Gamma fit over the repeat buyers'' RFM summaries; NULL when there is none';

-- Predictions (times in the RFM summary's unit)

CREATE FUNCTION probability_alive(bgnbd_model, rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_probability_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(bgnbd_model, rfm_summary, t double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(bgnbd_model, t double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_new_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION purchase_probability(bgnbd_model, t double precision, n bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_purchase_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION purchase_probability(bgnbd_model, rfm_summary, t double precision, n bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_conditional_purchase_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_spend(gamma_gamma_model, rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_expected_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION predicted_clv(bgnbd_model, gamma_gamma_model, rfm_summary, periods integer,
		period_length double precision, discount_rate double precision,
		margin double precision DEFAULT 1)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION probability_alive(bgnbd_model, rfm_summary) IS
	'BG/NBD probability that the customer is still active at the end of the observation';
COMMENT ON FUNCTION expected_purchases(bgnbd_model, rfm_summary, double precision) IS
	'BG/NBD expected number of purchases of this customer in the next t time units';
COMMENT ON FUNCTION expected_purchases(bgnbd_model, double precision) IS
	'BG/NBD expected number of purchases of a new customer in their first t time units';
COMMENT ON FUNCTION purchase_probability(bgnbd_model, double precision, bigint) IS
	'BG/NBD probability that a new customer makes exactly n repeat purchases in t time units';
COMMENT ON FUNCTION purchase_probability(bgnbd_model, rfm_summary, double precision, bigint) IS
	'BG/NBD probability that this customer makes exactly n purchases in the next t time units';
COMMENT ON FUNCTION expected_spend(gamma_gamma_model, rfm_summary) IS
	'Gamma-Gamma expected mean purchase value of this customer; NULL where it is infinite';
COMMENT ON FUNCTION predicted_clv(bgnbd_model, gamma_gamma_model, rfm_summary, integer, double precision, double precision, double precision) IS
	'predicted CLV: margin * expected spend * expected purchases of each of the next periods (period_length time units), discounted per period';

------------------------------------------------------------------------------
-- Retention: cohort retention curves, activity and cohort summaries,
-- lifecycle, ClickHouse retention(), churn and MRR movements.
-- src/retention.c, src/cohort.c, src/churn.c
--
-- activity_summary is one entity's active periods after its cohort start
-- (merged by OR); retention_summary is one cohort's counts per period
-- (merged by adding); mrr_summary is MRR movements and customer counts per
-- period (merged by adding).  Calendar periods follow the session time zone,
-- so the functions that bucket timestamps are STABLE.
------------------------------------------------------------------------------

CREATE TYPE activity_summary;

CREATE FUNCTION activity_summary_in(cstring) RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION activity_summary_out(activity_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION activity_summary_recv(internal) RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION activity_summary_send(activity_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE activity_summary (
	INPUT = activity_summary_in,
	OUTPUT = activity_summary_out,
	RECEIVE = activity_summary_recv,
	SEND = activity_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE activity_summary IS
	'one entity''s cohort start and the periods after it in which it was active; merge pieces with rollup(), count cohorts with retention_agg(); its text form is JSON';
COMMENT ON FUNCTION activity_summary_in(cstring) IS 'text input of activity_summary';
COMMENT ON FUNCTION activity_summary_out(activity_summary) IS 'text output of activity_summary';
COMMENT ON FUNCTION activity_summary_recv(internal) IS 'binary input of activity_summary';
COMMENT ON FUNCTION activity_summary_send(activity_summary) IS 'binary output of activity_summary';

CREATE TYPE retention_summary;

CREATE FUNCTION retention_summary_in(cstring) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary_out(retention_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary_recv(internal) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary_send(retention_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE retention_summary (
	INPUT = retention_summary_in,
	OUTPUT = retention_summary_out,
	RECEIVE = retention_summary_recv,
	SEND = retention_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE retention_summary IS
	'one cohort''s size and, per period, the entities that reached it, were active in it and were active in it or later; read it with retention_rate(), retention_curve(), retention_table(); its text form is JSON';
COMMENT ON FUNCTION retention_summary_in(cstring) IS 'text input of retention_summary';
COMMENT ON FUNCTION retention_summary_out(retention_summary) IS 'text output of retention_summary';
COMMENT ON FUNCTION retention_summary_recv(internal) IS 'binary input of retention_summary';
COMMENT ON FUNCTION retention_summary_send(retention_summary) IS 'binary output of retention_summary';

-- Step 1: one entity's activity (GROUP BY entity)

CREATE FUNCTION activity_accum(activity_summary, timestamptz, timestamptz, interval, integer)
	RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION activity_accum(activity_summary, timestamptz, timestamptz, interval, integer, text)
	RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION activity_combine(activity_summary, activity_summary) RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION activity_accum(activity_summary, timestamptz, timestamptz, interval, integer) IS
	'transition function of activity_agg(cohort_start, activity, period, periods): marks the calendar period of one activity';
COMMENT ON FUNCTION activity_accum(activity_summary, timestamptz, timestamptz, interval, integer, text) IS
	'transition function of activity_agg(cohort_start, activity, period, periods, alignment): marks the period of one activity';
COMMENT ON FUNCTION activity_combine(activity_summary, activity_summary) IS
	'merges two activity summaries of one entity (periods active in either)';

CREATE AGGREGATE activity_agg(cohort_start timestamptz, activity timestamptz, period interval, periods integer) (
	SFUNC = activity_accum,
	STYPE = activity_summary,
	COMBINEFUNC = activity_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE activity_agg(cohort_start timestamptz, activity timestamptz, period interval, periods integer,
		alignment text) (
	SFUNC = activity_accum,
	STYPE = activity_summary,
	COMBINEFUNC = activity_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(activity_summary) (
	SFUNC = activity_combine,
	STYPE = activity_summary,
	COMBINEFUNC = activity_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE activity_agg(timestamptz, timestamptz, interval, integer) IS
	'activity summary of one entity (GROUP BY entity): the calendar periods (1 day, 1 week or 1 month, session time zone) after its cohort start in which it was active; NULL starts are skipped';
COMMENT ON AGGREGATE activity_agg(timestamptz, timestamptz, interval, integer, text) IS
	'activity summary of one entity with alignment ''calendar'' or ''rolling'' (periods of fixed length from the entity''s own start)';
COMMENT ON AGGREGATE rollup(activity_summary) IS
	'merges activity summaries of one entity (periods active in any)';

CREATE FUNCTION active_periods(activity_summary) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'activity_active_periods' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lifecycle(activity_summary,
		OUT period integer, OUT period_start timestamptz, OUT status text)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'activity_lifecycle' LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 12;

COMMENT ON FUNCTION active_periods(activity_summary) IS
	'the periods (0 = the cohort start''s period) in which the entity was active';
COMMENT ON FUNCTION lifecycle(activity_summary) IS
	'the entity''s lifecycle status per period as PostHog defines it: new, returning, resurrecting, dormant (no row for other periods)';

-- Step 2: one cohort (GROUP BY cohort)

CREATE FUNCTION retention_summary_accum(retention_summary, activity_summary) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_summary_accum(retention_summary, activity_summary, timestamptz)
	RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_summary_combine(retention_summary, retention_summary) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary_uncombine(retention_summary, retention_summary) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION retention_summary_accum(retention_summary, activity_summary) IS
	'transition function of retention_agg(activity_summary): adds one entity';
COMMENT ON FUNCTION retention_summary_accum(retention_summary, activity_summary, timestamptz) IS
	'transition function of retention_agg(activity_summary, as_of): adds one entity, censored at as_of';
COMMENT ON FUNCTION retention_summary_combine(retention_summary, retention_summary) IS
	'merges two retention summaries of disjoint sets of entities (adds counts)';
COMMENT ON FUNCTION retention_summary_uncombine(retention_summary, retention_summary) IS
	'removes a retention summary merged earlier (inverse of retention_summary_combine, for moving windows)';

CREATE AGGREGATE retention_agg(activity_summary) (
	SFUNC = retention_summary_accum,
	STYPE = retention_summary,
	COMBINEFUNC = retention_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(activity_summary, as_of timestamptz) (
	SFUNC = retention_summary_accum,
	STYPE = retention_summary,
	COMBINEFUNC = retention_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(retention_summary) (
	SFUNC = retention_summary_combine,
	STYPE = retention_summary,
	COMBINEFUNC = retention_summary_combine,
	MSFUNC = retention_summary_combine,
	MINVFUNC = retention_summary_uncombine,
	MSTYPE = retention_summary,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention_agg(activity_summary) IS
	'retention summary of a cohort of entities, one activity summary each; NULL summaries are skipped; NULL for no rows';
COMMENT ON AGGREGATE retention_agg(activity_summary, timestamptz) IS
	'retention summary of a cohort, counting a period only for the entities that have fully reached it at as_of (NULL as_of: no censoring)';
COMMENT ON AGGREGATE rollup(retention_summary) IS
	'merges retention summaries of disjoint sets of entities (adds counts)';

-- One step, from events (entity, cohort start, activity time)

CREATE FUNCTION retention_event_accum(internal, bigint, timestamptz, timestamptz, interval, integer)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_event_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
		text, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_event_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
		text, text, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_event_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_event_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_event_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_event_curve(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_event_summary(internal) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION retention_event_accum(internal, bigint, timestamptz, timestamptz, interval, integer) IS
	'transition function of retention_curve() and retention_agg() over events: marks the entity''s period of one activity';
COMMENT ON FUNCTION retention_event_accum(internal, bigint, timestamptz, timestamptz, interval, integer, text, timestamptz) IS
	'transition function of retention_agg(entity, cohort_start, activity, period, periods, alignment, as_of)';
COMMENT ON FUNCTION retention_event_accum(internal, bigint, timestamptz, timestamptz, interval, integer, text, text, timestamptz) IS
	'transition function of retention_curve(entity, cohort_start, activity, period, periods, mode, alignment, as_of)';
COMMENT ON FUNCTION retention_event_combine(internal, internal) IS
	'merges two event retention states (union of entities, periods active in either)';
COMMENT ON FUNCTION retention_event_serialize(internal) IS 'serializes an event retention state';
COMMENT ON FUNCTION retention_event_deserialize(bytea, internal) IS 'deserializes an event retention state';
COMMENT ON FUNCTION retention_event_curve(internal) IS 'final function of retention_curve(): the shares per period';
COMMENT ON FUNCTION retention_event_summary(internal) IS 'final function of retention_agg() over events: the cohort''s retention summary';

CREATE AGGREGATE retention_curve(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = retention_event_accum,
	STYPE = internal,
	FINALFUNC = retention_event_curve,
	COMBINEFUNC = retention_event_combine,
	SERIALFUNC = retention_event_serialize,
	DESERIALFUNC = retention_event_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE retention_curve(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode text, alignment text, as_of timestamptz) (
	SFUNC = retention_event_accum,
	STYPE = internal,
	FINALFUNC = retention_event_curve,
	COMBINEFUNC = retention_event_combine,
	SERIALFUNC = retention_event_serialize,
	DESERIALFUNC = retention_event_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = retention_event_accum,
	STYPE = internal,
	FINALFUNC = retention_event_summary,
	COMBINEFUNC = retention_event_combine,
	SERIALFUNC = retention_event_serialize,
	DESERIALFUNC = retention_event_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment text, as_of timestamptz) (
	SFUNC = retention_event_accum,
	STYPE = internal,
	FINALFUNC = retention_event_summary,
	COMBINEFUNC = retention_event_combine,
	SERIALFUNC = retention_event_serialize,
	DESERIALFUNC = retention_event_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention_curve(bigint, timestamptz, timestamptz, interval, integer) IS
	'retention curve of a cohort (GROUP BY cohort): the share of its entities active in each calendar period 0..periods-1 after their start; NULL for no rows';
COMMENT ON AGGREGATE retention_curve(bigint, timestamptz, timestamptz, interval, integer, text, text, timestamptz) IS
	'retention curve with mode ''on'' or ''on_or_after'', alignment ''calendar'' or ''rolling'', and censoring at as_of (NULL share for periods the cohort has not fully reached)';
COMMENT ON AGGREGATE retention_agg(bigint, timestamptz, timestamptz, interval, integer) IS
	'retention summary of a cohort from its events (entity, cohort start, activity time), calendar periods';
COMMENT ON AGGREGATE retention_agg(bigint, timestamptz, timestamptz, interval, integer, text, timestamptz) IS
	'retention summary of a cohort from its events, with alignment ''calendar'' or ''rolling'' and censoring at as_of';

-- Accessors

CREATE FUNCTION cohort_size(retention_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'retention_cohort_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION eligible(retention_summary, period integer) RETURNS bigint
	AS 'MODULE_PATHNAME', 'retention_eligible' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retained(retention_summary, period integer, mode text DEFAULT 'on') RETURNS bigint
	AS 'MODULE_PATHNAME', 'retention_retained' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_rate(retention_summary, period integer, mode text DEFAULT 'on')
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_curve(retention_summary, mode text DEFAULT 'on') RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_table(retention_summary, mode text DEFAULT 'on',
		OUT period integer, OUT cohort_size bigint, OUT eligible bigint, OUT retained bigint,
		OUT share double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 12;

COMMENT ON FUNCTION cohort_size(retention_summary) IS 'number of entities in the cohort';
COMMENT ON FUNCTION eligible(retention_summary, integer) IS
	'number of entities that have fully reached the period (all of them without as_of)';
COMMENT ON FUNCTION retained(retention_summary, integer, text) IS
	'number of entities that fully reached the period and were active in it (mode ''on'') or in it or later (''on_or_after'')';
COMMENT ON FUNCTION retention_rate(retention_summary, integer, text) IS
	'share (0..1) of the cohort retained in the period; NULL until the whole cohort has reached it, or for an empty cohort';
COMMENT ON FUNCTION retention_curve(retention_summary, text) IS
	'retention shares (0..1) of periods 0..N-1, NULL where the cohort has not fully reached the period';
CREATE FUNCTION retention_proportion(retention_summary, period integer, mode text DEFAULT 'on')
	RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_proportion(retention_summary, integer, text) IS
	'the retained entities of the cohort in the period as a proportion_summary (for rate_ci, proportion_compare); NULL until the whole cohort has reached the period';
COMMENT ON FUNCTION retention_table(retention_summary, text) IS
	'one row per period: period, cohort_size, eligible, retained, share (0..1, NULL until the whole cohort reached the period)';

-- ClickHouse-compatible retention(cond1, ..., condN), per entity

CREATE FUNCTION clickhouse_retention_accum(bigint, boolean[]) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clickhouse_retention_combine(bigint, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clickhouse_retention_final(bigint) RETURNS smallint[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION clickhouse_retention_accum(bigint, boolean[]) IS
	'transition function of retention(cond1, ..., condN): records which conditions held';
COMMENT ON FUNCTION clickhouse_retention_combine(bigint, bigint) IS
	'combine function of retention(cond1, ..., condN): conditions that held in either';
COMMENT ON FUNCTION clickhouse_retention_final(bigint) IS
	'final function of retention(cond1, ..., condN): r[1] = cond1 held, r[i] = cond1 and cond_i held';

CREATE AGGREGATE retention(VARIADIC conditions boolean[]) (
	SFUNC = clickhouse_retention_accum,
	STYPE = bigint,
	FINALFUNC = clickhouse_retention_final,
	INITCOND = '0',
	COMBINEFUNC = clickhouse_retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(VARIADIC boolean[]) IS
	'ClickHouse retention(cond1, ..., condN) per entity (1 to 32 conditions): 0/1 array, r[1] = any(cond1), r[i] = any(cond1) and any(cond_i); NULL conditions are false; NULL for no rows';

-- Churn and MRR movements (src/churn.c)

CREATE TYPE mrr_summary;

CREATE FUNCTION mrr_summary_in(cstring) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary_out(mrr_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary_recv(internal) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary_send(mrr_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE mrr_summary (
	INPUT = mrr_summary_in,
	OUTPUT = mrr_summary_out,
	RECEIVE = mrr_summary_recv,
	SEND = mrr_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE mrr_summary IS
	'MRR movements (new, expansion, contraction, churned, reactivation) and customer counts per calendar period; read it with mrr_movements() and the churn and revenue retention accessors; its text form is JSON';
COMMENT ON FUNCTION mrr_summary_in(cstring) IS 'text input of mrr_summary';
COMMENT ON FUNCTION mrr_summary_out(mrr_summary) IS 'text output of mrr_summary';
COMMENT ON FUNCTION mrr_summary_recv(internal) IS 'binary input of mrr_summary';
COMMENT ON FUNCTION mrr_summary_send(mrr_summary) IS 'binary output of mrr_summary';

CREATE FUNCTION mrr_accum(internal, bigint, timestamptz, double precision, timestamptz, interval, integer)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION mrr_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mrr_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_final(internal) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary_combine(mrr_summary, mrr_summary) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary_uncombine(mrr_summary, mrr_summary) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION mrr_accum(internal, bigint, timestamptz, double precision, timestamptz, interval, integer) IS
	'transition function of mrr_agg(): adds a customer''s MRR to its calendar period';
COMMENT ON FUNCTION mrr_combine(internal, internal) IS 'merges two mrr_agg() states (adds MRR per customer and period)';
COMMENT ON FUNCTION mrr_serialize(internal) IS 'serializes an mrr_agg() state';
COMMENT ON FUNCTION mrr_deserialize(bytea, internal) IS 'deserializes an mrr_agg() state';
COMMENT ON FUNCTION mrr_final(internal) IS 'final function of mrr_agg(): classifies each customer''s MRR changes into movements';
COMMENT ON FUNCTION mrr_summary_combine(mrr_summary, mrr_summary) IS
	'merges two MRR summaries of disjoint sets of customers (adds movements and counts)';
COMMENT ON FUNCTION mrr_summary_uncombine(mrr_summary, mrr_summary) IS
	'removes an MRR summary merged earlier (inverse of mrr_summary_combine, for moving windows)';

CREATE AGGREGATE mrr_agg(customer bigint, at timestamptz, mrr double precision, origin timestamptz,
		period interval, periods integer) (
	SFUNC = mrr_accum,
	STYPE = internal,
	FINALFUNC = mrr_final,
	COMBINEFUNC = mrr_combine,
	SERIALFUNC = mrr_serialize,
	DESERIALFUNC = mrr_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(mrr_summary) (
	SFUNC = mrr_summary_combine,
	STYPE = mrr_summary,
	COMBINEFUNC = mrr_summary_combine,
	MSFUNC = mrr_summary_combine,
	MINVFUNC = mrr_summary_uncombine,
	MSTYPE = mrr_summary,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer) IS
	'MRR summary of (customer, time, MRR) rows over periods calendar periods (1 day, 1 week or 1 month) from the one holding origin; a customer''s rows in one period add up; NULL rows are skipped, rows after the last period ignored; NULL for no rows';
COMMENT ON AGGREGATE rollup(mrr_summary) IS
	'merges MRR summaries of disjoint sets of customers over the same periods';

CREATE FUNCTION mrr_movements(mrr_summary,
		OUT period integer, OUT period_start timestamptz,
		OUT customers_start bigint, OUT new_customers bigint, OUT reactivated_customers bigint,
		OUT churned_customers bigint, OUT customers_end bigint,
		OUT starting_mrr double precision, OUT new_mrr double precision,
		OUT expansion_mrr double precision, OUT contraction_mrr double precision,
		OUT churned_mrr double precision, OUT reactivation_mrr double precision,
		OUT ending_mrr double precision, OUT net_new_mrr double precision,
		OUT customer_churn_rate double precision, OUT customer_retention_rate double precision,
		OUT net_revenue_retention double precision, OUT gross_revenue_retention double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 12;
CREATE FUNCTION customer_churn(mrr_summary, period integer) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_churn_rate(mrr_summary, period integer, denominator text DEFAULT 'start')
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_retention_rate(mrr_summary, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION net_revenue_retention(mrr_summary, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gross_revenue_retention(mrr_summary, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION mrr_movements(mrr_summary) IS
	'one row per period: customers and MRR at start and end, the five MRR movements, net new MRR, customer churn and retention rates, NRR and GRR (fractions); period 0 is the baseline';
COMMENT ON FUNCTION customer_churn(mrr_summary, integer) IS
	'customers lost in the period out of the customers at its start, as a proportion_summary (rate, rate_ci, proportion_compare); NULL for period 0';
COMMENT ON FUNCTION customer_churn_rate(mrr_summary, integer, text) IS
	'customers lost in the period over the customers at its start (denominator ''start'', default) or over the average of start and end (''average''); NULL when the denominator is 0';
COMMENT ON FUNCTION customer_retention_rate(mrr_summary, integer) IS
	'(E - N) / S: customers at the end less the new ones, over the customers at the start; NULL when S is 0';
COMMENT ON FUNCTION net_revenue_retention(mrr_summary, integer) IS
	'NRR (fraction): (starting MRR + expansion - contraction - churned MRR) / starting MRR; NULL when the starting MRR is 0';
COMMENT ON FUNCTION gross_revenue_retention(mrr_summary, integer) IS
	'GRR (fraction, at most 1): (starting MRR - contraction - churned MRR) / starting MRR; NULL when the starting MRR is 0';

CREATE FUNCTION annual_churn_rate(monthly_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION monthly_churn_rate(annual_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annual_retention_rate(monthly_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION monthly_retention_rate(annual_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annual_churn_rate(double precision) IS
	'annual churn rate of a constant monthly churn rate: 1 - (1 - monthly)^12';
COMMENT ON FUNCTION monthly_churn_rate(double precision) IS
	'monthly churn rate of a constant annual churn rate: 1 - (1 - annual)^(1/12)';
COMMENT ON FUNCTION annual_retention_rate(double precision) IS
	'annual retention rate of a constant monthly retention rate: monthly^12';
COMMENT ON FUNCTION monthly_retention_rate(double precision) IS
	'monthly retention rate of a constant annual retention rate: annual^(1/12)';

------------------------------------------------------------------------------
-- Sales pipeline: pipeline summary, stage history, coverage; new-customer
-- business (CAC, payback, LTV:CAC).  src/pipeline.c, src/pipeline_stages.c
--
-- One summary type, pipeline_summary, holds deal counts and compensated money
-- sums per outcome (open, won, lost), the won deals' cycle lengths, and two
-- 1 %-relative-error sketches for the medians of deal size and cycle length.
------------------------------------------------------------------------------

CREATE TYPE pipeline_summary;

CREATE FUNCTION pipeline_summary_in(cstring) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_out(pipeline_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_recv(internal) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_send(pipeline_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE pipeline_summary (
	INPUT = pipeline_summary_in,
	OUTPUT = pipeline_summary_out,
	RECEIVE = pipeline_summary_recv,
	SEND = pipeline_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE pipeline_summary IS
	'summary of sales deals: counts and amounts of open, won and lost deals, sales cycles and sketches of won deal sizes and cycle lengths; read it with win_rate(), pipeline_velocity() and the other pipeline accessors; its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION pipeline_summary_in(cstring) IS 'text input of pipeline_summary';
COMMENT ON FUNCTION pipeline_summary_out(pipeline_summary) IS 'text output of pipeline_summary';
COMMENT ON FUNCTION pipeline_summary_recv(internal) IS 'binary input of pipeline_summary';
COMMENT ON FUNCTION pipeline_summary_send(pipeline_summary) IS 'binary output of pipeline_summary';

-- Transition and combine functions

CREATE FUNCTION pipeline_accum(pipeline_summary, double precision, double precision,
		timestamptz, timestamptz, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_date_accum(pipeline_summary, double precision, double precision,
		date, date, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_numeric_accum(pipeline_summary, numeric, double precision,
		timestamptz, timestamptz, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_numeric_date_accum(pipeline_summary, numeric, double precision,
		date, date, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_combine(pipeline_summary, pipeline_summary) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_accum(pipeline_summary, double precision, double precision,
		timestamptz, timestamptz, text) IS
	'transition function of pipeline_agg over timestamps: adds one deal';
COMMENT ON FUNCTION pipeline_date_accum(pipeline_summary, double precision, double precision,
		date, date, text) IS
	'transition function of pipeline_agg over dates: adds one deal';
COMMENT ON FUNCTION pipeline_numeric_accum(pipeline_summary, numeric, double precision,
		timestamptz, timestamptz, text) IS
	'transition function of pipeline_agg over numeric amounts and timestamps: adds one deal';
COMMENT ON FUNCTION pipeline_numeric_date_accum(pipeline_summary, numeric, double precision,
		date, date, text) IS
	'transition function of pipeline_agg over numeric amounts and dates: adds one deal';
COMMENT ON FUNCTION pipeline_combine(pipeline_summary, pipeline_summary) IS
	'merges two pipeline summaries';

-- Accessors

CREATE FUNCTION open_deals(pipeline_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_open_deals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION won_deals(pipeline_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_won_deals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lost_deals(pipeline_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_lost_deals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION open_pipeline(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_open_pipeline' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION weighted_pipeline(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_weighted_pipeline' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION won_amount(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_won_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lost_amount(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_lost_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION win_rate(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_win_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION win_rate_ci(pipeline_summary, level double precision DEFAULT 0.95,
		OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'pipeline_win_rate_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION win_proportion(pipeline_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'pipeline_win_proportion' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_deal_size(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_average_deal_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_deal_size(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_median_deal_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION deal_size_quantile(pipeline_summary, fraction double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_deal_size_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_sales_cycle(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_average_sales_cycle' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_sales_cycle(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_median_sales_cycle' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sales_cycle_quantile(pipeline_summary, fraction double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_sales_cycle_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_velocity(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_coverage(pipeline_summary, quota double precision,
		weighted boolean DEFAULT false) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION open_deals(pipeline_summary) IS 'number of open deals';
COMMENT ON FUNCTION won_deals(pipeline_summary) IS 'number of won deals';
COMMENT ON FUNCTION lost_deals(pipeline_summary) IS 'number of lost deals';
COMMENT ON FUNCTION open_pipeline(pipeline_summary) IS 'open pipeline value: sum of the amounts of open deals';
COMMENT ON FUNCTION weighted_pipeline(pipeline_summary) IS
	'weighted pipeline: sum of amount * probability over open deals';
COMMENT ON FUNCTION won_amount(pipeline_summary) IS 'sum of the amounts of won deals (closed-won revenue)';
COMMENT ON FUNCTION lost_amount(pipeline_summary) IS 'sum of the amounts of lost deals';
COMMENT ON FUNCTION win_rate(pipeline_summary) IS
	'win rate, a fraction 0..1: won / (won + lost) over closed deals; NULL without closed deals';
COMMENT ON FUNCTION win_rate_ci(pipeline_summary, double precision) IS
	'Wilson score interval (fractions 0..1) of the win rate at the given level';
COMMENT ON FUNCTION win_proportion(pipeline_summary) IS
	'the win rate as a proportion_summary (won deals of won + lost), for rate_ci(), proportion_compare() and rollup()';
COMMENT ON FUNCTION average_deal_size(pipeline_summary) IS
	'average amount of won deals; NULL without won deals';
COMMENT ON FUNCTION median_deal_size(pipeline_summary) IS
	'median amount of won deals, within 1 % of the exact median (sketch); NULL without won deals';
COMMENT ON FUNCTION deal_size_quantile(pipeline_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the amounts of won deals, within 1 % (sketch)';
COMMENT ON FUNCTION average_sales_cycle(pipeline_summary) IS
	'average sales cycle of won deals in days (created to closed); NULL without closed won deals';
COMMENT ON FUNCTION median_sales_cycle(pipeline_summary) IS
	'median sales cycle of won deals in days, within 1 % of the exact median (sketch)';
COMMENT ON FUNCTION sales_cycle_quantile(pipeline_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the sales cycles of won deals in days, within 1 % (sketch)';
COMMENT ON FUNCTION pipeline_velocity(pipeline_summary) IS
	'pipeline velocity, revenue per day: open deals * win rate * average deal size / average sales cycle (days)';
COMMENT ON FUNCTION pipeline_coverage(pipeline_summary, double precision, boolean) IS
	'pipeline coverage: open (or, with weighted, weighted) pipeline divided by a positive quota';

-- Aggregates

CREATE AGGREGATE pipeline_agg(amount double precision, probability double precision,
		created_at timestamptz, closed_at timestamptz, outcome text) (
	SFUNC = pipeline_accum,
	STYPE = pipeline_summary,
	INITCOND = '{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	COMBINEFUNC = pipeline_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount double precision, probability double precision,
		created_on date, closed_on date, outcome text) (
	SFUNC = pipeline_date_accum,
	STYPE = pipeline_summary,
	INITCOND = '{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	COMBINEFUNC = pipeline_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount numeric, probability double precision,
		created_at timestamptz, closed_at timestamptz, outcome text) (
	SFUNC = pipeline_numeric_accum,
	STYPE = pipeline_summary,
	INITCOND = '{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	COMBINEFUNC = pipeline_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount numeric, probability double precision,
		created_on date, closed_on date, outcome text) (
	SFUNC = pipeline_numeric_date_accum,
	STYPE = pipeline_summary,
	INITCOND = '{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	COMBINEFUNC = pipeline_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(pipeline_summary) (
	SFUNC = pipeline_combine,
	STYPE = pipeline_summary,
	COMBINEFUNC = pipeline_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, timestamptz, timestamptz, text) IS
	'pipeline summary of deals (amount, probability 0..1, created_at, closed_at, outcome open/won/lost); deals with a NULL amount, created_at or outcome are skipped';
COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, date, date, text) IS
	'pipeline summary of deals with dates (amount, probability 0..1, created_on, closed_on, outcome open/won/lost); deals with a NULL amount, created_on or outcome are skipped';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, timestamptz, timestamptz, text) IS
	'pipeline summary of deals with numeric amounts (converted to double precision as numeric::float8 does)';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, date, date, text) IS
	'pipeline summary of deals with numeric amounts and dates (amounts converted as numeric::float8 does)';
COMMENT ON AGGREGATE rollup(pipeline_summary) IS 'merges pipeline summaries into one';

-- New-customer business

CREATE FUNCTION customer_acquisition_cost(spend double precision, new_customers bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cac_payback_months(cac double precision, arpa double precision,
		gross_margin double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_lifetime_value(arpa double precision, gross_margin double precision,
		monthly_churn double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ltv_cac_ratio(ltv double precision, cac double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION acquisition_spend_ratio(spend double precision,
		new_customer_revenue double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION customer_acquisition_cost(double precision, bigint) IS
	'CAC: acquisition spend / new customers; NULL for zero new customers; negative spend is an error';
COMMENT ON FUNCTION cac_payback_months(double precision, double precision, double precision) IS
	'CAC payback in months: CAC / (monthly ARPA * gross margin 0..1); NULL when ARPA * margin is 0';
COMMENT ON FUNCTION customer_lifetime_value(double precision, double precision, double precision) IS
	'simple LTV: monthly ARPA * gross margin / monthly churn rate (fractions 0..1); NULL when churn is 0';
COMMENT ON FUNCTION ltv_cac_ratio(double precision, double precision) IS
	'LTV:CAC ratio: LTV / CAC; NULL when CAC is 0';
COMMENT ON FUNCTION acquisition_spend_ratio(double precision, double precision) IS
	'acquisition spend per unit of the new customers'' net revenue; NULL when that revenue is 0';

-- Stage history: rows (deal, stage, entered_at), one per entry of a deal into
-- a stage.  The aggregates return arrays of a row type: unnest() them.

CREATE TYPE stage_conversion AS (
	from_stage text,
	to_stage text,
	deals bigint,
	share double precision,
	median_days double precision
);
CREATE TYPE stage_duration AS (
	stage text,
	entered_at timestamptz,
	left_at timestamptz,
	days double precision
);

COMMENT ON TYPE stage_conversion IS
	'one cell of the stage conversion matrix: deals that moved from_stage -> to_stage (to_stage NULL: ended in from_stage), their share of the deals that entered from_stage, median days';
COMMENT ON TYPE stage_duration IS
	'one visit of a deal to a stage: stage, entered_at, left_at and days in the stage (NULL while it is the current stage)';

CREATE FUNCTION stage_conversions_accum(internal, text, text, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_durations_accum(internal, text, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_history_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_history_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_history_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_conversions_final(internal) RETURNS stage_conversion[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_durations_final(internal) RETURNS stage_duration[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION stage_conversions_accum(internal, text, text, timestamptz) IS
	'transition function of stage_conversions: keeps one stage history row';
COMMENT ON FUNCTION stage_durations_accum(internal, text, timestamptz) IS
	'transition function of stage_durations: keeps one stage history row';
COMMENT ON FUNCTION stage_history_combine(internal, internal) IS
	'combine function of the stage history aggregates';
COMMENT ON FUNCTION stage_history_serialize(internal) IS
	'serializes the state of the stage history aggregates';
COMMENT ON FUNCTION stage_history_deserialize(bytea, internal) IS
	'deserializes the state of the stage history aggregates';
COMMENT ON FUNCTION stage_conversions_final(internal) IS
	'final function of stage_conversions: the conversion matrix';
COMMENT ON FUNCTION stage_durations_final(internal) IS
	'final function of stage_durations: the visits of one deal';

CREATE AGGREGATE stage_conversions(deal text, stage text, entered_at timestamptz) (
	SFUNC = stage_conversions_accum,
	STYPE = internal,
	FINALFUNC = stage_conversions_final,
	COMBINEFUNC = stage_history_combine,
	SERIALFUNC = stage_history_serialize,
	DESERIALFUNC = stage_history_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE stage_durations(stage text, entered_at timestamptz) (
	SFUNC = stage_durations_accum,
	STYPE = internal,
	FINALFUNC = stage_durations_final,
	COMBINEFUNC = stage_history_combine,
	SERIALFUNC = stage_history_serialize,
	DESERIALFUNC = stage_history_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE stage_conversions(text, text, timestamptz) IS
	'stage-to-stage conversion matrix of deals'' stage histories (deal, stage, entered_at), as stage_conversion[]; rows with a NULL are skipped';
COMMENT ON AGGREGATE stage_durations(text, timestamptz) IS
	'time in stage of one deal (GROUP BY deal): its visits in time order as stage_duration[]; rows with a NULL are skipped';

------------------------------------------------------------------------------
-- CRM adoption: active users against licensed seats, DAU/MAU stickiness with
-- exact distinct counts (eNPS is nps() over employees' answers).
-- src/adoption.c
--
-- The activity aggregates keep one bitmap of active days per user over a
-- period [period_start, period_end) of at most 366 days.
------------------------------------------------------------------------------

CREATE FUNCTION adoption_accum(internal, bigint, date, date, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION adoption_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION adoption_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adoption_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION active_users_final(internal) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_dau_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dau_mau_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION adoption_accum(internal, bigint, date, date, date) IS
	'transition function of the activity aggregates: marks a user active on a day of the period';
COMMENT ON FUNCTION adoption_combine(internal, internal) IS
	'combine function of the activity aggregates: ORs the users'' day bitmaps';
COMMENT ON FUNCTION adoption_serialize(internal) IS 'serializes the state of the activity aggregates';
COMMENT ON FUNCTION adoption_deserialize(bytea, internal) IS 'deserializes the state of the activity aggregates';
COMMENT ON FUNCTION active_users_final(internal) IS 'final function of active_users';
COMMENT ON FUNCTION average_dau_final(internal) IS 'final function of average_dau';
COMMENT ON FUNCTION dau_mau_final(internal) IS 'final function of dau_mau';

CREATE AGGREGATE active_users(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_accum,
	STYPE = internal,
	FINALFUNC = active_users_final,
	COMBINEFUNC = adoption_combine,
	SERIALFUNC = adoption_serialize,
	DESERIALFUNC = adoption_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE average_dau(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_accum,
	STYPE = internal,
	FINALFUNC = average_dau_final,
	COMBINEFUNC = adoption_combine,
	SERIALFUNC = adoption_serialize,
	DESERIALFUNC = adoption_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE dau_mau(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_accum,
	STYPE = internal,
	FINALFUNC = dau_mau_final,
	COMBINEFUNC = adoption_combine,
	SERIALFUNC = adoption_serialize,
	DESERIALFUNC = adoption_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION adoption_rate(active_users bigint, licensed_seats bigint) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE active_users(bigint, date, date, date) IS
	'exact number of distinct users active on a day of [period_start, period_end) (MAU for a month); days outside the period and NULL users or days are skipped';
COMMENT ON AGGREGATE average_dau(bigint, date, date, date) IS
	'average over the days of [period_start, period_end) of the exact number of distinct users active that day';
COMMENT ON AGGREGATE dau_mau(bigint, date, date, date) IS
	'DAU/MAU stickiness, a fraction 0..1: average_dau / active_users over [period_start, period_end); NULL without active users';
COMMENT ON FUNCTION adoption_rate(bigint, bigint) IS
	'CRM adoption in percent: 100 * active users / licensed seats; NULL for 0 seats';
