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
