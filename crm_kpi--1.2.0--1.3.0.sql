/* crm_kpi--1.2.0--1.3.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.3.0'" to load this file. \quit

-- 1.3.0: analysts' tables as they come (issue 13).  Each change below is also
-- made in its family's fragment (src/<family>/<family>.sql); test/run checks
-- that every upgrade path gives the objects of a fresh install.  Sections are
-- by family, in the order of the Makefile's FAMILIES.

-- survival: interval durations, survival_agg(interval, boolean) and survival_agg(interval, integer)

CREATE FUNCTION survival_summary_accum_interval(survival_summary, interval, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_accum_status_interval(survival_summary, interval, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_interval(survival_summary, interval, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_status_interval(survival_summary, interval, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survival_summary_accum_interval(survival_summary, interval, boolean) IS
	'transition function of survival_agg(duration interval, event boolean): adds one duration, in days';
COMMENT ON FUNCTION survival_summary_accum_status_interval(survival_summary, interval, integer) IS
	'transition function of survival_agg(duration interval, status integer): adds one duration, in days, status 1 = event, 0 = censored';
COMMENT ON FUNCTION survival_summary_deaccum_interval(survival_summary, interval, boolean) IS
	'inverse transition function of survival_agg(duration interval, event boolean): removes one duration';
COMMENT ON FUNCTION survival_summary_deaccum_status_interval(survival_summary, interval, integer) IS
	'inverse transition function of survival_agg(duration interval, status integer): removes one duration';

CREATE AGGREGATE survival_agg(duration interval, event boolean) (
	SFUNC = survival_summary_accum_interval,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_interval,
	MINVFUNC = survival_summary_deaccum_interval,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survival_agg(duration interval, status integer) (
	SFUNC = survival_summary_accum_status_interval,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_status_interval,
	MINVFUNC = survival_summary_deaccum_status_interval,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE survival_agg(interval, boolean) IS
	'survival summary of (duration, event) pairs with interval durations, in days (extract(epoch from duration) / 86400: a month 30 days, a year 365.25); event true = the event happened, false = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(interval, integer) IS
	'survival summary of (duration, status) pairs with interval durations, in days (extract(epoch from duration) / 86400); status 1 = event, 0 = censored; rows with a NULL are skipped';

-- clv: timestamp and timestamptz times in the discounted clv() and clv_agg() and in rfm_agg()

CREATE FUNCTION clv_summary_accum_discounted_timestamp(clv_summary, numeric, numeric,
		timestamp, timestamp, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_summary_deaccum_discounted_timestamp(clv_summary, numeric, numeric,
		timestamp, timestamp, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_summary_accum_discounted_timestamptz(clv_summary, numeric, numeric,
		timestamptz, timestamptz, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_summary_deaccum_discounted_timestamptz(clv_summary, numeric, numeric,
		timestamptz, timestamptz, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION clv_summary_accum_discounted_timestamp(clv_summary, numeric, numeric, timestamp, timestamp, double precision) IS
	'transition function of clv(amount, cost, order_time timestamp, reference_time timestamp, annual_rate) and its clv_agg: adds the discounted margin';
COMMENT ON FUNCTION clv_summary_deaccum_discounted_timestamp(clv_summary, numeric, numeric, timestamp, timestamp, double precision) IS
	'inverse transition function of clv(amount, cost, order_time timestamp, reference_time timestamp, annual_rate) and its clv_agg (moving windows)';
COMMENT ON FUNCTION clv_summary_accum_discounted_timestamptz(clv_summary, numeric, numeric, timestamptz, timestamptz, double precision) IS
	'transition function of clv(amount, cost, order_time timestamptz, reference_time timestamptz, annual_rate) and its clv_agg: adds the discounted margin';
COMMENT ON FUNCTION clv_summary_deaccum_discounted_timestamptz(clv_summary, numeric, numeric, timestamptz, timestamptz, double precision) IS
	'inverse transition function of clv(amount, cost, order_time timestamptz, reference_time timestamptz, annual_rate) and its clv_agg (moving windows)';

CREATE AGGREGATE clv(amount numeric, cost numeric, order_time timestamp, reference_time timestamp,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted_timestamp,
	STYPE = clv_summary,
	FINALFUNC = clv,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted_timestamp,
	MINVFUNC = clv_summary_deaccum_discounted_timestamp,
	MSTYPE = clv_summary,
	MFINALFUNC = clv,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE clv(amount numeric, cost numeric, order_time timestamptz, reference_time timestamptz,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted_timestamptz,
	STYPE = clv_summary,
	FINALFUNC = clv,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted_timestamptz,
	MINVFUNC = clv_summary_deaccum_discounted_timestamptz,
	MSTYPE = clv_summary,
	MFINALFUNC = clv,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE clv_agg(amount numeric, cost numeric, order_time timestamp, reference_time timestamp,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted_timestamp,
	STYPE = clv_summary,
	FINALFUNC = clv_summary_final,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted_timestamp,
	MINVFUNC = clv_summary_deaccum_discounted_timestamp,
	MSTYPE = clv_summary,
	MFINALFUNC = clv_summary_final,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE clv_agg(amount numeric, cost numeric, order_time timestamptz, reference_time timestamptz,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted_timestamptz,
	STYPE = clv_summary,
	FINALFUNC = clv_summary_final,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted_timestamptz,
	MINVFUNC = clv_summary_deaccum_discounted_timestamptz,
	MSTYPE = clv_summary,
	MFINALFUNC = clv_summary_final,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE clv(numeric, numeric, timestamp, timestamp, double precision) IS
	'historic CLV discounted to reference_time: sum of (amount - cost) * (1 + annual_rate)^(days from order_time to reference_time, fractional, / 365.25)';
COMMENT ON AGGREGATE clv(numeric, numeric, timestamptz, timestamptz, double precision) IS
	'historic CLV discounted to reference_time: sum of (amount - cost) * (1 + annual_rate)^(absolute days elapsed from order_time to reference_time / 365.25)';
COMMENT ON AGGREGATE clv_agg(numeric, numeric, timestamp, timestamp, double precision) IS
	'CLV summary of the margins discounted to reference_time (fractional days / 365.25), for clv(summary) and rollup';
COMMENT ON AGGREGATE clv_agg(numeric, numeric, timestamptz, timestamptz, double precision) IS
	'CLV summary of the margins discounted to reference_time (absolute days elapsed / 365.25), for clv(summary) and rollup';

CREATE FUNCTION rfm_agg_state_accum_timestamp(internal, timestamp, double precision, timestamp, interval)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_state_accum_timestamptz(internal, timestamptz, double precision, timestamptz, interval)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION rfm_agg_state_accum_timestamp(internal, timestamp, double precision, timestamp, interval) IS
	'transition function of rfm_agg(timestamp, ...): takes each time as its calendar day';
COMMENT ON FUNCTION rfm_agg_state_accum_timestamptz(internal, timestamptz, double precision, timestamptz, interval) IS
	'transition function of rfm_agg(timestamptz, ...): takes each time as its calendar day in the session''s TimeZone';

CREATE AGGREGATE rfm_agg(purchase timestamp, amount double precision, observation_end timestamp, unit interval) (
	SFUNC = rfm_agg_state_accum_timestamp,
	STYPE = internal,
	FINALFUNC = rfm_agg_final,
	COMBINEFUNC = rfm_agg_state_combine,
	SERIALFUNC = rfm_agg_state_serialize,
	DESERIALFUNC = rfm_agg_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(purchase timestamptz, amount double precision, observation_end timestamptz, unit interval) (
	SFUNC = rfm_agg_state_accum_timestamptz,
	STYPE = internal,
	FINALFUNC = rfm_agg_final,
	COMBINEFUNC = rfm_agg_state_combine,
	SERIALFUNC = rfm_agg_state_serialize,
	DESERIALFUNC = rfm_agg_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rfm_agg(timestamp, double precision, timestamp, interval) IS
	'RFM summary of one customer''s purchases up to observation_end, each time taken as its calendar day (purchase::date), same-day purchases merged, times in unit; NULL if none';
COMMENT ON AGGREGATE rfm_agg(timestamptz, double precision, timestamptz, interval) IS
	'RFM summary of one customer''s purchases up to observation_end, each time taken as its calendar day in the session''s TimeZone, same-day purchases merged, times in unit; NULL if none';
-- survey: scores of every numeric type (smallint, bigint, numeric, double precision)
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

-- survey: plain columns for BI tools (interval bounds, NPS comparison)
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

-- survival: plain columns for BI tools (median CI bounds, log-rank p-value and rows)
CREATE FUNCTION median_survival_lower(survival_summary, level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_survival_upper(survival_summary, level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logrank_p_value(survival_summary[]) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logrank_groups(survival_summary[],
		OUT group_index integer, OUT observed double precision, OUT expected double precision,
		OUT chisq double precision, OUT df integer, OUT p_value double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 4;

COMMENT ON FUNCTION median_survival_lower(survival_summary, double precision) IS
	'lower bound of the confidence interval of the median survival time: median_survival_ci(s, level).lower';
COMMENT ON FUNCTION median_survival_upper(survival_summary, double precision) IS
	'upper bound of the confidence interval of the median survival time: median_survival_ci(s, level).upper';
COMMENT ON FUNCTION logrank_p_value(survival_summary[]) IS
	'p-value of the log-rank test that the groups share one survival curve: logrank_test(summaries).p_value';
COMMENT ON FUNCTION logrank_groups(survival_summary[]) IS
	'logrank_test as rows, one per array element: its position (group_index, from 1), observed and expected events, and the test''s chisq, df and p_value';

-- clv: the models' parameters as plain columns for BI tools
CREATE FUNCTION r(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_r' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION alpha(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_alpha' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION a(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_a' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION b(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_b' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p(gamma_gamma_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION q(gamma_gamma_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_q' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma(gamma_gamma_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_gamma' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION r(bgnbd_model) IS 'BG/NBD r, shape of the gamma distribution of purchase rates: parameters(m).r';
COMMENT ON FUNCTION alpha(bgnbd_model) IS 'BG/NBD alpha, scale of the gamma distribution of purchase rates: parameters(m).alpha';
COMMENT ON FUNCTION a(bgnbd_model) IS 'BG/NBD a of the beta distribution of dropout probabilities: parameters(m).a';
COMMENT ON FUNCTION b(bgnbd_model) IS 'BG/NBD b of the beta distribution of dropout probabilities: parameters(m).b';
COMMENT ON FUNCTION p(gamma_gamma_model) IS 'Gamma-Gamma p, shape of the spend per transaction: parameters(m).p';
COMMENT ON FUNCTION q(gamma_gamma_model) IS 'Gamma-Gamma q, shape of the gamma distribution of mean spends: parameters(m).q';
COMMENT ON FUNCTION gamma(gamma_gamma_model) IS 'Gamma-Gamma gamma, scale of the gamma distribution of mean spends: parameters(m).gamma';
-- retention: censoring by default, tidy retention tables
--
-- A share is now retained / eligible (the entities that have fully reached
-- the period), NULL only while none has; without as_of (or with a NULL one)
-- the aggregates and the accessors of cohort_activity_summary censor at the
-- transaction time, now(), so those that read the clock become STABLE.  The
-- C functions keep their names and the objects their OIDs: views over them
-- keep working and give the new shares (doc/retention.md, "Upgrading from
-- 1.2.0").

ALTER FUNCTION retention_summary_accum(retention_summary, activity_summary) STABLE;
ALTER FUNCTION retention_summary(cohort_activity_summary) STABLE;
ALTER FUNCTION retention_summary(cohort_activity_summary, timestamptz) STABLE;
ALTER FUNCTION retention_curve(cohort_activity_summary) STABLE;
ALTER FUNCTION retention_curve(cohort_activity_summary, text) STABLE;

COMMENT ON FUNCTION retention_summary_accum(retention_summary, activity_summary) IS
	'transition function of retention_agg(activity_summary): adds one entity, censored at the transaction time (now())';
COMMENT ON FUNCTION retention_summary_accum(retention_summary, activity_summary, timestamptz) IS
	'transition function of retention_agg(activity_summary, as_of): adds one entity, censored at as_of (NULL: now())';
COMMENT ON AGGREGATE retention_agg(activity_summary) IS
	'retention summary of a cohort of entities, one activity summary each, counting a period only for the entities that have fully reached it at the transaction time (now()); NULL summaries are skipped; NULL for no rows';
COMMENT ON AGGREGATE retention_agg(activity_summary, timestamptz) IS
	'retention summary of a cohort, counting a period only for the entities that have fully reached it at as_of (NULL: now())';
COMMENT ON FUNCTION retention_summary(cohort_activity_summary) IS
	'the cohort''s retention_summary, censored at the summary''s as_of if it has one, else at the transaction time (now()); NULL for a summary of no entities';
COMMENT ON FUNCTION retention_summary(cohort_activity_summary, timestamptz) IS
	'the cohort''s retention_summary, counting a period only for the entities that have fully reached it at as_of (NULL: now())';
COMMENT ON FUNCTION retention_curve(cohort_activity_summary) IS
	'retention shares (0..1) of periods 0..N-1 in the summary''s mode (''on'' unless made by retention_curve(..., mode, ...)), among the entities that have fully reached the period at the summary''s as_of, else now(); NULL where none has; NULL for a summary of no entities';
COMMENT ON FUNCTION retention_curve(cohort_activity_summary, text) IS
	'retention shares (0..1) of periods 0..N-1 with mode ''on'' or ''on_or_after'', among the entities that have fully reached the period (at the summary''s as_of, else now()); NULL where none has';
COMMENT ON AGGREGATE retention_curve(bigint, timestamptz, timestamptz, interval, integer) IS
	'retention curve of a cohort (GROUP BY cohort): the share of its entities active in each calendar period 0..periods-1 after their start, among those that have fully reached it at the transaction time (now()); NULL for no rows';
COMMENT ON AGGREGATE retention_curve(bigint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz) IS
	'retention curve with mode ''on'' or ''on_or_after'', alignment ''calendar'' or ''rolling'', and censoring at as_of (NULL: now()): shares among the entities that have fully reached the period, NULL where none has';
COMMENT ON AGGREGATE retention_agg(bigint, timestamptz, timestamptz, interval, integer) IS
	'retention summary of a cohort from its events (entity, cohort start, activity time), calendar periods, censored at the transaction time (now())';
COMMENT ON AGGREGATE retention_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'retention summary of a cohort from its events, with alignment ''calendar'' or ''rolling'' and censoring at as_of (NULL: now())';
COMMENT ON AGGREGATE cohort_activity_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'cohort activity summary with alignment ''calendar'' or ''rolling'', recording as_of, at which retention_summary() censors it (NULL: none recorded, censored when read, at now())';
COMMENT ON FUNCTION eligible(retention_summary, integer) IS
	'number of entities that have fully reached the period (it has ended) at the summary''s as_of';
COMMENT ON FUNCTION retention_rate(retention_summary, integer, text) IS
	'share (0..1) of the eligible entities (those that have fully reached the period) retained in it; NULL while none has';
COMMENT ON FUNCTION retention_curve(retention_summary, text) IS
	'retention shares (0..1) of periods 0..N-1 among the eligible entities, NULL where none has reached the period';
COMMENT ON FUNCTION retention_proportion(retention_summary, integer, text) IS
	'the retained entities among the eligible ones in the period as a proportion_summary (for rate_ci, proportion_compare); NULL while no entity has reached the period';
COMMENT ON FUNCTION retention_table(retention_summary, text) IS
	'one row per period: period, cohort_size, eligible, retained, share (retained / eligible, 0..1, NULL while no entity has reached the period)';

CREATE FUNCTION retention_table(INOUT cohort anyelement, s retention_summary, mode text DEFAULT 'on',
		confidence double precision DEFAULT 0.95, OUT period integer,
		OUT eligible bigint, OUT retained bigint,
		OUT rate double precision, OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'cohort_retention_table' LANGUAGE C IMMUTABLE PARALLEL SAFE
	ROWS 12;

COMMENT ON FUNCTION retention_table(anyelement, retention_summary, text, double precision) IS
	'tidy rows of one cohort for BI tools: cohort (the label given), period, eligible, retained, rate = retained / eligible and its Wilson interval lower..upper at confidence (NULL rate and bounds while no entity has reached the period); no rows for a NULL summary';

-- retention: entity ids of any type for the aggregates over events
--
-- cohort_activity_summary's format version 2 holds uuid and text ids;
-- version 1 values (1.2.0, integer ids) still read.

-- Entity ids of any type (issue 13) for the aggregates over events: smallint,
-- integer, uuid and text overloads next to the bigint ones (PostgreSQL cannot
-- pick between bigint and polymorphic ones); the same C functions serve them,
-- reading the id's type from the call (src/common/entity_ids.c).  uuid and
-- text ids are counted exactly (bytes compared, never a hash alone).

CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, smallint, timestamptz, timestamptz,
		interval, integer)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, smallint, timestamptz, timestamptz,
		interval, integer, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, smallint, timestamptz, timestamptz,
		interval, integer, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, smallint, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, smallint, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, smallint, timestamptz, timestamptz, interval, integer) IS
	'transition function of cohort_activity_agg(), retention_agg() and retention_curve() over events with smallint entity ids';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, smallint, timestamptz, timestamptz, interval, integer, text, timestamptz) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with smallint entity ids, alignment and as_of';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, smallint, timestamptz, timestamptz, interval, integer, text, timestamptz, text) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with smallint entity ids, alignment, as_of and time_zone';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, smallint, timestamptz, timestamptz, interval, integer, text, text, timestamptz) IS
	'transition function of retention_curve(entity smallint, cohort_start, activity, period, periods, mode, alignment, as_of)';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, smallint, timestamptz, timestamptz, interval, integer, text, text, timestamptz, text) IS
	'transition function of retention_curve(entity smallint, cohort_start, activity, period, periods, mode, alignment, as_of, time_zone)';

CREATE AGGREGATE cohort_activity_agg(entity smallint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(smallint, timestamptz, timestamptz, interval, integer) IS
	'cohort activity summary from events with smallint entity ids (as the bigint form)';

CREATE AGGREGATE cohort_activity_agg(entity smallint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(smallint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'cohort activity summary from events with smallint entity ids, alignment and as_of (as the bigint form)';

CREATE AGGREGATE cohort_activity_agg(entity smallint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(smallint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'cohort activity summary from events with smallint entity ids, alignment, as_of and time_zone (as the bigint form)';

CREATE AGGREGATE retention_curve(entity smallint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(smallint, timestamptz, timestamptz, interval, integer) IS
	'retention curve of a cohort with smallint entity ids (as the bigint form): shares among the entities that have fully reached each period at now()';

CREATE AGGREGATE retention_curve(entity smallint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(smallint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz) IS
	'retention curve with smallint entity ids, mode, alignment and as_of (NULL: now()) (as the bigint form)';

CREATE AGGREGATE retention_curve(entity smallint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(smallint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz, kpi_text) IS
	'retention curve with smallint entity ids, mode, alignment, as_of and time_zone (as the bigint form)';

CREATE AGGREGATE retention_agg(entity smallint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(smallint, timestamptz, timestamptz, interval, integer) IS
	'retention summary of a cohort from its events with smallint entity ids, censored at now() (as the bigint form)';

CREATE AGGREGATE retention_agg(entity smallint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(smallint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'retention summary from events with smallint entity ids, alignment and as_of (NULL: now()) (as the bigint form)';

CREATE AGGREGATE retention_agg(entity smallint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(smallint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'retention summary from events with smallint entity ids, alignment, as_of and time_zone (as the bigint form)';

CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, integer, timestamptz, timestamptz,
		interval, integer)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, integer, timestamptz, timestamptz,
		interval, integer, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, integer, timestamptz, timestamptz,
		interval, integer, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, integer, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, integer, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, integer, timestamptz, timestamptz, interval, integer) IS
	'transition function of cohort_activity_agg(), retention_agg() and retention_curve() over events with integer entity ids';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, integer, timestamptz, timestamptz, interval, integer, text, timestamptz) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with integer entity ids, alignment and as_of';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, integer, timestamptz, timestamptz, interval, integer, text, timestamptz, text) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with integer entity ids, alignment, as_of and time_zone';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, integer, timestamptz, timestamptz, interval, integer, text, text, timestamptz) IS
	'transition function of retention_curve(entity integer, cohort_start, activity, period, periods, mode, alignment, as_of)';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, integer, timestamptz, timestamptz, interval, integer, text, text, timestamptz, text) IS
	'transition function of retention_curve(entity integer, cohort_start, activity, period, periods, mode, alignment, as_of, time_zone)';

CREATE AGGREGATE cohort_activity_agg(entity integer, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(integer, timestamptz, timestamptz, interval, integer) IS
	'cohort activity summary from events with integer entity ids (as the bigint form)';

CREATE AGGREGATE cohort_activity_agg(entity integer, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(integer, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'cohort activity summary from events with integer entity ids, alignment and as_of (as the bigint form)';

CREATE AGGREGATE cohort_activity_agg(entity integer, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(integer, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'cohort activity summary from events with integer entity ids, alignment, as_of and time_zone (as the bigint form)';

CREATE AGGREGATE retention_curve(entity integer, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(integer, timestamptz, timestamptz, interval, integer) IS
	'retention curve of a cohort with integer entity ids (as the bigint form): shares among the entities that have fully reached each period at now()';

CREATE AGGREGATE retention_curve(entity integer, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(integer, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz) IS
	'retention curve with integer entity ids, mode, alignment and as_of (NULL: now()) (as the bigint form)';

CREATE AGGREGATE retention_curve(entity integer, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(integer, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz, kpi_text) IS
	'retention curve with integer entity ids, mode, alignment, as_of and time_zone (as the bigint form)';

CREATE AGGREGATE retention_agg(entity integer, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(integer, timestamptz, timestamptz, interval, integer) IS
	'retention summary of a cohort from its events with integer entity ids, censored at now() (as the bigint form)';

CREATE AGGREGATE retention_agg(entity integer, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(integer, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'retention summary from events with integer entity ids, alignment and as_of (NULL: now()) (as the bigint form)';

CREATE AGGREGATE retention_agg(entity integer, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(integer, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'retention summary from events with integer entity ids, alignment, as_of and time_zone (as the bigint form)';

CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, uuid, timestamptz, timestamptz,
		interval, integer)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, uuid, timestamptz, timestamptz,
		interval, integer, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, uuid, timestamptz, timestamptz,
		interval, integer, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, uuid, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, uuid, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, uuid, timestamptz, timestamptz, interval, integer) IS
	'transition function of cohort_activity_agg(), retention_agg() and retention_curve() over events with uuid entity ids';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, uuid, timestamptz, timestamptz, interval, integer, text, timestamptz) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with uuid entity ids, alignment and as_of';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, uuid, timestamptz, timestamptz, interval, integer, text, timestamptz, text) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with uuid entity ids, alignment, as_of and time_zone';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, uuid, timestamptz, timestamptz, interval, integer, text, text, timestamptz) IS
	'transition function of retention_curve(entity uuid, cohort_start, activity, period, periods, mode, alignment, as_of)';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, uuid, timestamptz, timestamptz, interval, integer, text, text, timestamptz, text) IS
	'transition function of retention_curve(entity uuid, cohort_start, activity, period, periods, mode, alignment, as_of, time_zone)';

CREATE AGGREGATE cohort_activity_agg(entity uuid, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(uuid, timestamptz, timestamptz, interval, integer) IS
	'cohort activity summary from events with uuid entity ids (as the bigint form)';

CREATE AGGREGATE cohort_activity_agg(entity uuid, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(uuid, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'cohort activity summary from events with uuid entity ids, alignment and as_of (as the bigint form)';

CREATE AGGREGATE cohort_activity_agg(entity uuid, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(uuid, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'cohort activity summary from events with uuid entity ids, alignment, as_of and time_zone (as the bigint form)';

CREATE AGGREGATE retention_curve(entity uuid, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(uuid, timestamptz, timestamptz, interval, integer) IS
	'retention curve of a cohort with uuid entity ids (as the bigint form): shares among the entities that have fully reached each period at now()';

CREATE AGGREGATE retention_curve(entity uuid, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(uuid, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz) IS
	'retention curve with uuid entity ids, mode, alignment and as_of (NULL: now()) (as the bigint form)';

CREATE AGGREGATE retention_curve(entity uuid, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(uuid, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz, kpi_text) IS
	'retention curve with uuid entity ids, mode, alignment, as_of and time_zone (as the bigint form)';

CREATE AGGREGATE retention_agg(entity uuid, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(uuid, timestamptz, timestamptz, interval, integer) IS
	'retention summary of a cohort from its events with uuid entity ids, censored at now() (as the bigint form)';

CREATE AGGREGATE retention_agg(entity uuid, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(uuid, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'retention summary from events with uuid entity ids, alignment and as_of (NULL: now()) (as the bigint form)';

CREATE AGGREGATE retention_agg(entity uuid, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(uuid, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'retention summary from events with uuid entity ids, alignment, as_of and time_zone (as the bigint form)';

CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, text, timestamptz, timestamptz,
		interval, integer)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, text, timestamptz, timestamptz,
		interval, integer, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, text, timestamptz, timestamptz,
		interval, integer, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, text, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, text, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, text, timestamptz, timestamptz, interval, integer) IS
	'transition function of cohort_activity_agg(), retention_agg() and retention_curve() over events with text entity ids';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, text, timestamptz, timestamptz, interval, integer, text, timestamptz) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with text entity ids, alignment and as_of';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, text, timestamptz, timestamptz, interval, integer, text, timestamptz, text) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with text entity ids, alignment, as_of and time_zone';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, text, timestamptz, timestamptz, interval, integer, text, text, timestamptz) IS
	'transition function of retention_curve(entity text, cohort_start, activity, period, periods, mode, alignment, as_of)';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, text, timestamptz, timestamptz, interval, integer, text, text, timestamptz, text) IS
	'transition function of retention_curve(entity text, cohort_start, activity, period, periods, mode, alignment, as_of, time_zone)';

CREATE AGGREGATE cohort_activity_agg(entity text, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(text, timestamptz, timestamptz, interval, integer) IS
	'cohort activity summary from events with text entity ids (as the bigint form)';

CREATE AGGREGATE cohort_activity_agg(entity text, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(text, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'cohort activity summary from events with text entity ids, alignment and as_of (as the bigint form)';

CREATE AGGREGATE cohort_activity_agg(entity text, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_activity_agg(text, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'cohort activity summary from events with text entity ids, alignment, as_of and time_zone (as the bigint form)';

CREATE AGGREGATE retention_curve(entity text, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(text, timestamptz, timestamptz, interval, integer) IS
	'retention curve of a cohort with text entity ids (as the bigint form): shares among the entities that have fully reached each period at now()';

CREATE AGGREGATE retention_curve(entity text, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(text, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz) IS
	'retention curve with text entity ids, mode, alignment and as_of (NULL: now()) (as the bigint form)';

CREATE AGGREGATE retention_curve(entity text, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_curve(text, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz, kpi_text) IS
	'retention curve with text entity ids, mode, alignment, as_of and time_zone (as the bigint form)';

CREATE AGGREGATE retention_agg(entity text, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(text, timestamptz, timestamptz, interval, integer) IS
	'retention summary of a cohort from its events with text entity ids, censored at now() (as the bigint form)';

CREATE AGGREGATE retention_agg(entity text, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(text, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'retention summary from events with text entity ids, alignment and as_of (NULL: now()) (as the bigint form)';

CREATE AGGREGATE retention_agg(entity text, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_agg(text, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'retention summary from events with text entity ids, alignment, as_of and time_zone (as the bigint form)';
-- conversion: exact funnel times (funnel_summary format 2), funnel_steps with
-- step names, funnel_time_quantile, funnel_time_is_exact, rate_lower/rate_upper
CREATE FUNCTION rate_lower(proportion_summary, level double precision DEFAULT 0.95) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_upper(proportion_summary, level double precision DEFAULT 0.95) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rate_lower(proportion_summary, double precision) IS
	'lower bound of rate_ci: the Wilson score interval of the rate at the given confidence level (default 0.95); NULL when there are no trials';
COMMENT ON FUNCTION rate_upper(proportion_summary, double precision) IS
	'upper bound of rate_ci: the Wilson score interval of the rate at the given confidence level (default 0.95); NULL when there are no trials';

COMMENT ON TYPE funnel_summary IS
	'funnel across entities: entities reaching each step and the times between steps, exact up to 10000 per step pair, else histograms';
COMMENT ON FUNCTION funnel_summary_in(cstring) IS
	'reads {"version":2,"steps":N,"entities":E,"reached":[...],"times":[...]}, and format version 1';
COMMENT ON FUNCTION funnel_summary_out(funnel_summary) IS
	'writes {"version":2,"steps":N,"entities":E,"reached":[...],"times":[...]}';
COMMENT ON FUNCTION funnel_summary_recv(internal) IS
	'reads the binary form of a funnel summary (format versions 1 and 2)';
COMMENT ON FUNCTION funnel_median_time(funnel_summary, integer) IS
	'median time from the previous step to the given step (2..N), as percentile_cont(0.5): exact while funnel_time_is_exact, else within 1 %; NULL when no entity has both';
COMMENT ON FUNCTION funnel_steps(funnel_summary, double precision) IS
	'one row per step: entities reaching it, conversion from the previous and the first step with Wilson intervals, median time from the previous step (exact while funnel_time_is_exact, else within 1 %)';

-- Times between steps are exact up to 10000 per step pair (funnel_summary.h).
-- funnel_steps with step names has no default level: with one, a quoted level
-- (funnel_steps(s, '0.9')) would be ambiguous between the two forms.
CREATE FUNCTION funnel_time_quantile(funnel_summary, step integer, fraction double precision) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_time_is_exact(funnel_summary, step integer) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_steps(funnel_summary, step_names text[], level double precision,
		OUT step integer, OUT step_name text, OUT entities bigint,
		OUT conversion_from_previous double precision,
		OUT previous_lower double precision, OUT previous_upper double precision,
		OUT conversion_from_first double precision,
		OUT first_lower double precision, OUT first_upper double precision,
		OUT median_time_from_previous interval, OUT median_time_exact boolean)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

COMMENT ON FUNCTION funnel_time_quantile(funnel_summary, integer, double precision) IS
	'time from the previous step to the given step (2..N) at the fraction 0..1, as percentile_cont: exact while funnel_time_is_exact, else within 1 %; NULL when no entity has both';
COMMENT ON FUNCTION funnel_time_is_exact(funnel_summary, integer) IS
	'whether the times from the previous step to the given step (2..N) are kept exactly (up to 10000 per step pair), so that funnel_median_time and funnel_time_quantile are exact; NULL for step 1';
COMMENT ON FUNCTION funnel_steps(funnel_summary, text[], double precision) IS
	'funnel_steps with one name per step (step_name) and whether the median time is exact (median_time_exact); the level is required, so that funnel_steps(s, ''0.9'') stays unambiguous';

-- pipeline: the stage history aggregates' results as rows (stage_matrix,
-- stage_durations_table)
CREATE FUNCTION stage_matrix(stage_conversion_array,
		OUT from_stage text, OUT to_stage text, OUT deals bigint,
		OUT share double precision, OUT median_days double precision)
	RETURNS SETOF record
	AS 'SELECT c.from_stage, c.to_stage, c.deals, c.share, c.median_days FROM unnest($1) c'
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_durations_table(stage_duration_array,
		OUT stage text, OUT entered_at timestamptz, OUT left_at timestamptz,
		OUT days double precision)
	RETURNS SETOF record
	AS 'SELECT d.stage, d.entered_at, d.left_at, d.days FROM unnest($1) d'
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION stage_matrix(stage_conversion_array) IS
	'the rows of a stage_conversions result: (from_stage, to_stage, deals, share, median_days), in (from_stage, to_stage) order';
COMMENT ON FUNCTION stage_durations_table(stage_duration_array) IS
	'the rows of a stage_durations result: (stage, entered_at, left_at, days), the deal''s visits in time order';
-- adoption: ids of any type, timestamp and timestamptz activity times, the period so far (as_of), adoption_rate at most 100 %

-- Ids of any type, activity times of any date/time type (issue 13): the
-- transition function and the four aggregates for every id type (smallint,
-- integer, bigint, uuid, text; varchar reaches text) and time type (date,
-- timestamp, timestamptz, and timestamptz with a time_zone), next to the
-- bigint and date ones of 1.0.0.  With a time_zone, the period bounds
-- are dates: days of that zone.  One C transition function serves all;
-- PostgreSQL cannot resolve smallint or integer ids against polymorphic
-- overloads, hence explicit ones.
DO $adoption$
DECLARE
	id text;
	t text;
	b text;
	zone boolean;
	args text;
	sig text;
	agg text;
BEGIN
	FOREACH id IN ARRAY ARRAY['smallint', 'integer', 'bigint', 'uuid', 'text'] LOOP
		FOREACH t IN ARRAY ARRAY['date', 'timestamp without time zone', 'timestamp with time zone'] LOOP
			FOREACH zone IN ARRAY ARRAY[false, true] LOOP
				CONTINUE WHEN zone AND t <> 'timestamp with time zone';
				CONTINUE WHEN id = 'bigint' AND t = 'date';
				-- with a time_zone, the period is given as days of that zone: dates
				b := CASE WHEN zone THEN 'date' ELSE t END;
				args := format('user_id %s, %s %s, period_start %s, period_end %s%s',
							   id, CASE WHEN t = 'date' THEN 'active_on' ELSE 'active_at' END, t, b, b,
							   CASE WHEN zone THEN ', time_zone kpi_text' ELSE '' END);
				sig := format('%s, %s, %s, %s%s', id, t, b, b, CASE WHEN zone THEN ', kpi_text' ELSE '' END);
				EXECUTE format('CREATE FUNCTION adoption_summary_accum(adoption_summary, %s) '
							   'RETURNS adoption_summary AS %L, %L LANGUAGE C %s PARALLEL SAFE',
							   sig, 'MODULE_PATHNAME', 'adoption_summary_accum',
							   CASE WHEN t = 'timestamp with time zone' AND NOT zone THEN 'STABLE' ELSE 'IMMUTABLE' END);
				EXECUTE format('COMMENT ON FUNCTION adoption_summary_accum(adoption_summary, %s) IS %L',
							   sig, 'transition function of adoption_agg, active_users, average_dau and dau_mau: marks a user active on a day of the period');
				EXECUTE format('CREATE AGGREGATE adoption_agg(%s) (SFUNC = adoption_summary_accum, '
							   'STYPE = adoption_summary, COMBINEFUNC = adoption_summary_combine, PARALLEL = SAFE)', args);
				EXECUTE format('COMMENT ON AGGREGATE adoption_agg(%s) IS %L', sig,
							   'adoption summary of an activity log over [period_start, period_end): each user''s active days; days outside the period and NULL users or times are skipped');
				FOREACH agg IN ARRAY ARRAY['active_users', 'average_dau', 'dau_mau'] LOOP
					EXECUTE format('CREATE AGGREGATE %I(%s) (SFUNC = adoption_summary_accum, '
								   'STYPE = adoption_summary, FINALFUNC = %I, '
								   'COMBINEFUNC = adoption_summary_combine, PARALLEL = SAFE)', agg, args, agg);
					EXECUTE format('COMMENT ON AGGREGATE %I(%s) IS %L', agg, sig,
								   CASE agg
								   WHEN 'active_users' THEN 'exact number of distinct users active on a day of [period_start, period_end) (MAU for a month)'
								   WHEN 'average_dau' THEN 'average over the days of [period_start, period_end) of the exact number of distinct users active that day'
								   ELSE 'DAU/MAU stickiness, a fraction 0..1: average_dau / active_users over [period_start, period_end); NULL without active users' END);
				END LOOP;
			END LOOP;
		END LOOP;
	END LOOP;
END
$adoption$;

-- The period so far: the figures of [period_start, as_of + 1 day)
CREATE FUNCTION active_users(adoption_summary, as_of date) RETURNS bigint
	AS 'MODULE_PATHNAME', 'active_users' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_dau(adoption_summary, as_of date) RETURNS double precision
	AS 'MODULE_PATHNAME', 'average_dau' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dau_mau(adoption_summary, as_of date) RETURNS double precision
	AS 'MODULE_PATHNAME', 'dau_mau' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION active_users(adoption_summary, date) IS
	'number of distinct users active on a day of the summary''s period up to as_of (included)';
COMMENT ON FUNCTION average_dau(adoption_summary, date) IS
	'average over the days of the summary''s period up to as_of (included) of the distinct users active that day; NULL when as_of comes before the period';
COMMENT ON FUNCTION dau_mau(adoption_summary, date) IS
	'DAU/MAU stickiness of the summary''s period up to as_of (included): average_dau / active_users; NULL without active users';
COMMENT ON FUNCTION adoption_rate(bigint, bigint) IS
	'CRM adoption in percent, 0..100: 100 * active licensed users / licensed seats; NULL for 0 seats; more active users than seats is an error';
-- retention: MRR (rows before the origin ignored, customer retention rate
-- (S - churned) / S, subscription intervals)

COMMENT ON FUNCTION customer_retention_rate(mrr_summary, integer) IS
	'(S - churned) / S: the customers at the start of the period still paying at its end, over the customers at the start (reactivated customers, like new ones, are not of the starting set: never above 1); NULL when S is 0';
COMMENT ON AGGREGATE mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer) IS
	'MRR summary of (customer, time, MRR) rows over periods calendar periods (1 day, 1 week or 1 month) from the one holding origin; a customer''s rows in one period add up (duplicate snapshots too); NULL rows are skipped, rows before the origin''s period or after the last period ignored; NULL for no rows';

CREATE FUNCTION customer_mrr_summary_accum_subscription(customer_mrr_summary, bigint, timestamptz,
		timestamptz, double precision, timestamptz, interval, integer)
	RETURNS customer_mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION customer_mrr_summary_accum_subscription(customer_mrr_summary, bigint, timestamptz,
		timestamptz, double precision, timestamptz, interval, integer, text)
	RETURNS customer_mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION customer_mrr_summary_accum_subscription(customer_mrr_summary, bigint, timestamptz, timestamptz, double precision, timestamptz, interval, integer) IS
	'transition function of mrr_agg() and customer_mrr_agg() over subscriptions: adds a subscription''s MRR to each calendar period at whose end it is active';
COMMENT ON FUNCTION customer_mrr_summary_accum_subscription(customer_mrr_summary, bigint, timestamptz, timestamptz, double precision, timestamptz, interval, integer, text) IS
	'transition function of mrr_agg(..., time_zone) and customer_mrr_agg(..., time_zone) over subscriptions: adds a subscription''s MRR to each calendar period in time_zone at whose end it is active';

CREATE AGGREGATE mrr_agg(customer bigint, starts timestamptz, ends timestamptz, mrr double precision,
		origin timestamptz, period interval, periods integer) (
	SFUNC = customer_mrr_summary_accum_subscription,
	STYPE = customer_mrr_summary,
	FINALFUNC = mrr_summary,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE mrr_agg(customer bigint, starts timestamptz, ends timestamptz, mrr double precision,
		origin timestamptz, period interval, periods integer, time_zone kpi_text) (
	SFUNC = customer_mrr_summary_accum_subscription,
	STYPE = customer_mrr_summary,
	FINALFUNC = mrr_summary,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE customer_mrr_agg(customer bigint, starts timestamptz, ends timestamptz, mrr double precision,
		origin timestamptz, period interval, periods integer) (
	SFUNC = customer_mrr_summary_accum_subscription,
	STYPE = customer_mrr_summary,
	FINALFUNC = customer_mrr_summary_final,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE customer_mrr_agg(customer bigint, starts timestamptz, ends timestamptz, mrr double precision,
		origin timestamptz, period interval, periods integer, time_zone kpi_text) (
	SFUNC = customer_mrr_summary_accum_subscription,
	STYPE = customer_mrr_summary,
	FINALFUNC = customer_mrr_summary_final,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE mrr_agg(bigint, timestamptz, timestamptz, double precision, timestamptz, interval, integer) IS
	'MRR summary of (customer, starts, ends, MRR) subscriptions: each counts in the calendar periods at whose end it is active (starts < period end <= ends; ends exclusive, NULL = still active); a customer''s subscriptions add up; NULL rows are skipped; NULL for no rows';
COMMENT ON AGGREGATE mrr_agg(bigint, timestamptz, timestamptz, double precision, timestamptz, interval, integer, kpi_text) IS
	'MRR summary of subscriptions with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE customer_mrr_agg(bigint, timestamptz, timestamptz, double precision, timestamptz, interval, integer) IS
	'each customer''s MRR per calendar period from (customer, starts, ends, MRR) subscriptions as mrr_agg takes them, for rollup() and mrr_summary(); NULL for no rows';
COMMENT ON AGGREGATE customer_mrr_agg(bigint, timestamptz, timestamptz, double precision, timestamptz, interval, integer, kpi_text) IS
	'customer MRR summary of subscriptions with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
-- pipeline: open deals without a probability are counted apart instead of
-- rejected (pipeline_summary format 3, open_deals_without_probability,
-- open_pipeline_without_probability); outcomes as booleans (is_closed,
-- is_won), text outcomes with white space around them
CREATE FUNCTION pipeline_summary_accum_bool(pipeline_summary, double precision, double precision,
		timestamptz, timestamptz, boolean, boolean) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_accum_bool_date(pipeline_summary, double precision, double precision,
		date, date, boolean, boolean) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_accum_bool_numeric(pipeline_summary, numeric, double precision,
		timestamptz, timestamptz, boolean, boolean) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_accum_bool_numeric_date(pipeline_summary, numeric, double precision,
		date, date, boolean, boolean) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_summary_accum_bool(pipeline_summary, double precision, double precision,
		timestamptz, timestamptz, boolean, boolean) IS
	'transition function of pipeline_agg over timestamps with a boolean outcome (is_closed, is_won): adds one deal';
COMMENT ON FUNCTION pipeline_summary_accum_bool_date(pipeline_summary, double precision, double precision,
		date, date, boolean, boolean) IS
	'transition function of pipeline_agg over dates with a boolean outcome (is_closed, is_won): adds one deal';
COMMENT ON FUNCTION pipeline_summary_accum_bool_numeric(pipeline_summary, numeric, double precision,
		timestamptz, timestamptz, boolean, boolean) IS
	'transition function of pipeline_agg over numeric amounts and timestamps with a boolean outcome (is_closed, is_won): adds one deal';
COMMENT ON FUNCTION pipeline_summary_accum_bool_numeric_date(pipeline_summary, numeric, double precision,
		date, date, boolean, boolean) IS
	'transition function of pipeline_agg over numeric amounts and dates with a boolean outcome (is_closed, is_won): adds one deal';

CREATE FUNCTION open_deals_without_probability(pipeline_summary) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION open_pipeline_without_probability(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION open_deals_without_probability(pipeline_summary) IS
	'number of open deals with a NULL probability: counted in open_deals and open_pipeline, left out of weighted_pipeline';
COMMENT ON FUNCTION open_pipeline_without_probability(pipeline_summary) IS
	'sum of the amounts of open deals with a NULL probability exact in the decimals of numeric amounts (part of open_pipeline, left out of weighted_pipeline)';

CREATE AGGREGATE pipeline_agg(amount double precision, probability double precision,
		created_at timestamptz, closed_at timestamptz, is_closed boolean, is_won boolean) (
	SFUNC = pipeline_summary_accum_bool,
	STYPE = pipeline_summary,
	INITCOND = '{"version":3,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount double precision, probability double precision,
		created_on date, closed_on date, is_closed boolean, is_won boolean) (
	SFUNC = pipeline_summary_accum_bool_date,
	STYPE = pipeline_summary,
	INITCOND = '{"version":3,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount numeric, probability double precision,
		created_at timestamptz, closed_at timestamptz, is_closed boolean, is_won boolean) (
	SFUNC = pipeline_summary_accum_bool_numeric,
	STYPE = pipeline_summary,
	INITCOND = '{"version":3,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount numeric, probability double precision,
		created_on date, closed_on date, is_closed boolean, is_won boolean) (
	SFUNC = pipeline_summary_accum_bool_numeric_date,
	STYPE = pipeline_summary,
	INITCOND = '{"version":3,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, timestamptz, timestamptz, boolean, boolean) IS
	'pipeline summary of deals with a boolean outcome (amount, probability 0..1, created_at, closed_at, is_closed, is_won): not closed is open, closed is won or lost; deals with a NULL amount, created_at or is_closed, or closed with a NULL is_won, are skipped';
COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, date, date, boolean, boolean) IS
	'pipeline summary of deals with dates and a boolean outcome (amount, probability 0..1, created_on, closed_on, is_closed, is_won); deals with a NULL amount, created_on or is_closed, or closed with a NULL is_won, are skipped';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, timestamptz, timestamptz, boolean, boolean) IS
	'pipeline summary of deals with numeric amounts and a boolean outcome (is_closed, is_won); amounts converted as numeric::float8 does';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, date, date, boolean, boolean) IS
	'pipeline summary of deals with numeric amounts, dates and a boolean outcome (is_closed, is_won); amounts converted as numeric::float8 does';

COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, timestamptz, timestamptz, text) IS
	'pipeline summary of deals (amount, probability 0..1, created_at, closed_at, outcome open/won/lost in any case, white space around it ignored); deals with a NULL amount, created_at or outcome are skipped; open deals with a NULL probability are left out of the weighted pipeline only (open_deals_without_probability)';
COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, date, date, text) IS
	'pipeline summary of deals with dates (amount, probability 0..1, created_on, closed_on, outcome open/won/lost in any case, white space around it ignored); deals with a NULL amount, created_on or outcome are skipped; open deals with a NULL probability are left out of the weighted pipeline only';
-- pipeline: exact medians and quantiles of deal size and sales cycle
-- (pipeline_summary format 4 keeps up to 10000 values of each, then the 1 %
-- sketch alone), deal_size_is_exact, sales_cycle_is_exact
CREATE FUNCTION deal_size_is_exact(pipeline_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sales_cycle_is_exact(pipeline_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION median_deal_size(pipeline_summary) IS
	'median amount of won deals, as percentile_cont(0.5): exact while deal_size_is_exact, else within 1 %; NULL without won deals';
COMMENT ON FUNCTION deal_size_quantile(pipeline_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the amounts of won deals: exact while deal_size_is_exact, else within 1 %';
COMMENT ON FUNCTION median_sales_cycle(pipeline_summary) IS
	'median sales cycle of won deals in days, as percentile_cont(0.5): exact while sales_cycle_is_exact, else within 1 %';
COMMENT ON FUNCTION sales_cycle_quantile(pipeline_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the sales cycles of won deals in days: exact while sales_cycle_is_exact, else within 1 %';
COMMENT ON FUNCTION deal_size_is_exact(pipeline_summary) IS
	'whether median_deal_size and deal_size_quantile are exact: the summary keeps the amounts of up to 10000 won deals, then a 1 % sketch';
COMMENT ON FUNCTION sales_cycle_is_exact(pipeline_summary) IS
	'whether median_sales_cycle and sales_cycle_quantile are exact: the summary keeps up to 10000 cycle lengths, then a 1 % sketch';

-- Stored uncompressed from now on: with up to 10000 exact values a summary
-- outgrows the TOAST threshold, and pglz decompression took over half of a
-- rollup of daily summaries (bench/README.md, "Issue 16, session 27").  Only
-- the type's default changes: columns that exist keep their storage (ALTER
-- TABLE ... ALTER COLUMN ... SET STORAGE EXTERNAL changes one).
ALTER TYPE pipeline_summary SET (STORAGE = external);

-- retention: MRR ids of any type

-- Customer ids of any type (issue 13): the transition functions and the
-- mrr_agg and customer_mrr_agg aggregates, snapshots and subscriptions,
-- with and without a time_zone, for smallint, integer, uuid and text ids
-- (varchar reaches text) next to the bigint ones.  One C transition
-- function per form serves all; uuid and text ids are counted exactly (a
-- dictionary of their bytes), and a customer_mrr_summary records which
-- kind of ids it holds.  PostgreSQL cannot resolve smallint or integer ids
-- against polymorphic overloads, hence explicit ones.
DO $mrr$
DECLARE
	id text;
	zone boolean;
	subscription boolean;
	sfunc text;
	args text;
	sig text;
	agg text;
BEGIN
	FOREACH id IN ARRAY ARRAY['smallint', 'integer', 'uuid', 'text'] LOOP
		FOREACH subscription IN ARRAY ARRAY[false, true] LOOP
			FOREACH zone IN ARRAY ARRAY[false, true] LOOP
				sfunc := CASE WHEN subscription THEN 'customer_mrr_summary_accum_subscription'
						 ELSE 'customer_mrr_summary_accum' END;
				sig := format('%s, timestamptz, %sdouble precision, timestamptz, interval, integer', id,
							  CASE WHEN subscription THEN 'timestamptz, ' ELSE '' END);
				EXECUTE format('CREATE FUNCTION %I(customer_mrr_summary, %s%s) RETURNS customer_mrr_summary '
							   'AS %L, %L LANGUAGE C STABLE PARALLEL SAFE',
							   sfunc, sig, CASE WHEN zone THEN ', text' ELSE '' END, 'MODULE_PATHNAME', sfunc);
				EXECUTE format('COMMENT ON FUNCTION %I(customer_mrr_summary, %s%s) IS %L',
							   sfunc, sig, CASE WHEN zone THEN ', text' ELSE '' END,
							   CASE WHEN subscription
							   THEN 'transition function of mrr_agg() and customer_mrr_agg() over subscriptions: adds a subscription''s MRR to each calendar period at whose end it is active'
							   ELSE 'transition function of mrr_agg() and customer_mrr_agg(): adds a customer''s MRR to its calendar period' END
							   || CASE WHEN zone THEN ' (periods in time_zone)' ELSE '' END);
				args := format('customer %s, %s, mrr double precision, origin timestamptz, period interval, periods integer%s',
							   id, CASE WHEN subscription THEN 'starts timestamptz, ends timestamptz' ELSE 'at timestamptz' END,
							   CASE WHEN zone THEN ', time_zone kpi_text' ELSE '' END);
				FOREACH agg IN ARRAY ARRAY['mrr_agg', 'customer_mrr_agg'] LOOP
					EXECUTE format('CREATE AGGREGATE %I(%s) (SFUNC = %I, STYPE = customer_mrr_summary, '
								   'FINALFUNC = %I, COMBINEFUNC = customer_mrr_summary_combine, PARALLEL = SAFE)',
								   agg, args, sfunc,
								   CASE agg WHEN 'mrr_agg' THEN 'mrr_summary' ELSE 'customer_mrr_summary_final' END);
					EXECUTE format('COMMENT ON AGGREGATE %I(%s%s) IS %L', agg, sig,
								   CASE WHEN zone THEN ', kpi_text' ELSE '' END,
								   CASE agg WHEN 'mrr_agg' THEN 'MRR summary of ' ELSE 'each customer''s MRR per calendar period from ' END
								   || CASE WHEN subscription THEN '(customer, starts, ends, MRR) subscriptions'
								   ELSE '(customer, time, MRR) rows' END
								   || format(' with %s customer ids, counted exactly; as the bigint form', id)
								   || CASE WHEN zone THEN ', its calendar periods counted in time_zone' ELSE '' END);
				END LOOP;
			END LOOP;
		END LOOP;
	END LOOP;
END
$mrr$;
-- pipeline: the money accessors return numeric: sums of numeric amounts
-- exactly, in their decimals (pipeline_summary format 4 says which amounts it
-- added).  The double precision accessors of 1.2.0 keep their OIDs under
-- new names, so that views over them keep working (deprecated).
ALTER FUNCTION open_pipeline(pipeline_summary) RENAME TO open_pipeline_float8;
ALTER FUNCTION weighted_pipeline(pipeline_summary) RENAME TO weighted_pipeline_float8;
ALTER FUNCTION won_amount(pipeline_summary) RENAME TO won_amount_float8;
ALTER FUNCTION lost_amount(pipeline_summary) RENAME TO lost_amount_float8;
ALTER FUNCTION average_deal_size(pipeline_summary) RENAME TO average_deal_size_float8;
CREATE OR REPLACE FUNCTION open_pipeline_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_open_pipeline_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION weighted_pipeline_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_weighted_pipeline_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION won_amount_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_won_amount_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION lost_amount_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_lost_amount_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION average_deal_size_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_average_deal_size_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION open_pipeline(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION weighted_pipeline(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION won_amount(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lost_amount(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_deal_size(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION open_pipeline(pipeline_summary) IS
	'open pipeline value: sum of the amounts of open deals, exact in the decimals of numeric amounts';
COMMENT ON FUNCTION weighted_pipeline(pipeline_summary) IS
	'weighted pipeline: sum of amount * probability over open deals, rounded to the decimals of numeric amounts';
COMMENT ON FUNCTION won_amount(pipeline_summary) IS
	'sum of the amounts of won deals (closed-won revenue), exact in the decimals of numeric amounts';
COMMENT ON FUNCTION lost_amount(pipeline_summary) IS
	'sum of the amounts of lost deals, exact in the decimals of numeric amounts';
COMMENT ON FUNCTION average_deal_size(pipeline_summary) IS
	'average amount of won deals, won_amount / won_deals as numeric division gives it; NULL without won deals';
COMMENT ON FUNCTION open_pipeline_float8(pipeline_summary) IS
	'open_pipeline as double precision, as 1.2.0 returned it, kept for the views built on it (open_pipeline returns numeric)';
COMMENT ON FUNCTION weighted_pipeline_float8(pipeline_summary) IS
	'weighted_pipeline as double precision, as 1.2.0 returned it, kept for the views built on it (weighted_pipeline returns numeric)';
COMMENT ON FUNCTION won_amount_float8(pipeline_summary) IS
	'won_amount as double precision, as 1.2.0 returned it, kept for the views built on it (won_amount returns numeric)';
COMMENT ON FUNCTION lost_amount_float8(pipeline_summary) IS
	'lost_amount as double precision, as 1.2.0 returned it, kept for the views built on it (lost_amount returns numeric)';
COMMENT ON FUNCTION average_deal_size_float8(pipeline_summary) IS
	'average_deal_size as double precision, as 1.2.0 returned it, kept for the views built on it (average_deal_size returns numeric)';

-- survival: Nelson-Aalen, weighted and stratified log-rank, RMST difference
-- (issue 14): the cumulative hazard, log-rank tests with weights and strata,
-- and the difference of two restricted means, all read from survival_summary
-- values (src/survival/survival_tests.c).

CREATE FUNCTION nelson_aalen(survival_summary, level double precision DEFAULT 0.95,
		OUT "time" double precision, OUT at_risk bigint, OUT events bigint,
		OUT cumulative_hazard double precision, OUT std_err double precision,
		OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 100;
CREATE FUNCTION cumulative_hazard_at(survival_summary, "time" double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION nelson_aalen(survival_summary, double precision) IS
	'Nelson-Aalen cumulative hazard: one row per distinct event time with at risk, events, H(t) = sum of events / at risk, its standard error sqrt(sum of events / at risk^2) and an interval log-transformed on the hazard scale (R survfit, ctype = 1)';
COMMENT ON FUNCTION cumulative_hazard_at(survival_summary, double precision) IS
	'Nelson-Aalen cumulative hazard H(t) at the given time; 0 before the first event, NULL past the last follow-up time';

CREATE FUNCTION weighted_logrank_test(survival_summary[], weights text,
		p double precision DEFAULT 0, q double precision DEFAULT 0,
		OUT chisq double precision, OUT df integer, OUT p_value double precision,
		OUT observed double precision[], OUT expected double precision[])
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stratified_logrank_test(summaries survival_summary[], groups text[], strata text[],
		weights text DEFAULT 'logrank', p double precision DEFAULT 0, q double precision DEFAULT 0,
		OUT chisq double precision, OUT df integer, OUT p_value double precision,
		OUT group_labels text[], OUT observed double precision[], OUT expected double precision[])
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logrank_table(survival_summary[], weights text DEFAULT 'logrank',
		p double precision DEFAULT 0, q double precision DEFAULT 0,
		OUT group_index integer, OUT subjects bigint, OUT observed double precision,
		OUT expected double precision, OUT o_minus_e double precision, OUT variance double precision,
		OUT chisq double precision, OUT df integer, OUT p_value double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 4;
CREATE FUNCTION stratified_logrank_table(summaries survival_summary[], groups text[], strata text[],
		weights text DEFAULT 'logrank', p double precision DEFAULT 0, q double precision DEFAULT 0,
		OUT group_label text, OUT subjects bigint, OUT observed double precision,
		OUT expected double precision, OUT o_minus_e double precision, OUT variance double precision,
		OUT chisq double precision, OUT df integer, OUT p_value double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 4;

COMMENT ON FUNCTION weighted_logrank_test(survival_summary[], text, double precision, double precision) IS
	'weighted log-rank test that the groups share one survival curve (R survdiff with rho): weights logrank, gehan_breslow (n at risk), tarone_ware (sqrt n), peto_peto (pooled S(t-), rho = 1) or fleming_harrington (S(t-)^p (1 - S(t-))^q); chi-square, df, p-value, weighted observed and expected events of each group';
COMMENT ON FUNCTION stratified_logrank_test(survival_summary[], text[], text[], text, double precision, double precision) IS
	'stratified (weighted) log-rank test (R survdiff with strata()): one summary per (group, stratum), observed, expected and variance summed over the strata, one chi-square; the groups in order of first appearance';
COMMENT ON FUNCTION logrank_table(survival_summary[], text, double precision, double precision) IS
	'(weighted) log-rank test as R survdiff prints it, one row per array element: subjects, observed, expected, O - E, its variance, and the test''s chisq, df and p_value';
COMMENT ON FUNCTION stratified_logrank_table(survival_summary[], text[], text[], text, double precision, double precision) IS
	'stratified (weighted) log-rank test as R survdiff prints it, one row per group label: subjects, observed, expected, O - E, its variance, and the test''s chisq, df and p_value';

CREATE FUNCTION restricted_mean_survival_ci(survival_summary, horizon double precision,
		level double precision DEFAULT 0.95,
		OUT restricted_mean double precision, OUT std_err double precision,
		OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rmst_difference(a survival_summary, b survival_summary, horizon double precision,
		level double precision DEFAULT 0.95,
		OUT rmst_a double precision, OUT rmst_b double precision, OUT difference double precision,
		OUT std_err double precision, OUT lower double precision, OUT upper double precision,
		OUT p_value double precision)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION restricted_mean_survival_ci(survival_summary, double precision, double precision) IS
	'restricted mean survival time to the horizon with its standard error (R print.survfit rmean, survRM2) and the normal interval';
COMMENT ON FUNCTION rmst_difference(survival_summary, survival_summary, double precision, double precision) IS
	'difference of the restricted mean survival times of two groups (a - b) to the horizon: both means, the difference, its standard error, normal interval and two-sided p-value (survRM2 rmst2)';
-- survival: delayed entry
-- Delayed entry (left truncation, 1.3.0): survival_agg(entry, duration,
-- event) counts a subject observed only from entry (a later time than its
-- start, both measured from the same origin), at risk at times u with
-- entry < u <= duration; entry 0 is observed from the start, as the
-- two-argument forms.  A summary with entries is written in format 2.

CREATE FUNCTION survival_summary_accum_entry(survival_summary, double precision, double precision, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_accum_entry_status(survival_summary, double precision, double precision, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_entry(survival_summary, double precision, double precision, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_entry_status(survival_summary, double precision, double precision, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_accum_entry_interval(survival_summary, interval, interval, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_accum_entry_status_interval(survival_summary, interval, interval, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_entry_interval(survival_summary, interval, interval, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_entry_status_interval(survival_summary, interval, interval, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survival_summary_accum_entry(survival_summary, double precision, double precision, boolean) IS
	'transition function of survival_agg(entry, duration, event boolean): adds one subject observed from entry to duration';
COMMENT ON FUNCTION survival_summary_accum_entry_status(survival_summary, double precision, double precision, integer) IS
	'transition function of survival_agg(entry, duration, status integer): adds one subject observed from entry to duration, status 1 = event, 0 = censored';
COMMENT ON FUNCTION survival_summary_deaccum_entry(survival_summary, double precision, double precision, boolean) IS
	'inverse transition function of survival_agg(entry, duration, event boolean): removes one subject';
COMMENT ON FUNCTION survival_summary_deaccum_entry_status(survival_summary, double precision, double precision, integer) IS
	'inverse transition function of survival_agg(entry, duration, status integer): removes one subject';
COMMENT ON FUNCTION survival_summary_accum_entry_interval(survival_summary, interval, interval, boolean) IS
	'transition function of survival_agg(entry interval, duration interval, event boolean): adds one subject, in days';
COMMENT ON FUNCTION survival_summary_accum_entry_status_interval(survival_summary, interval, interval, integer) IS
	'transition function of survival_agg(entry interval, duration interval, status integer): adds one subject, in days, status 1 = event, 0 = censored';
COMMENT ON FUNCTION survival_summary_deaccum_entry_interval(survival_summary, interval, interval, boolean) IS
	'inverse transition function of survival_agg(entry interval, duration interval, event boolean): removes one subject';
COMMENT ON FUNCTION survival_summary_deaccum_entry_status_interval(survival_summary, interval, interval, integer) IS
	'inverse transition function of survival_agg(entry interval, duration interval, status integer): removes one subject';

CREATE AGGREGATE survival_agg(entry double precision, duration double precision, event boolean) (
	SFUNC = survival_summary_accum_entry,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_entry,
	MINVFUNC = survival_summary_deaccum_entry,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survival_agg(entry double precision, duration double precision, status integer) (
	SFUNC = survival_summary_accum_entry_status,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_entry_status,
	MINVFUNC = survival_summary_deaccum_entry_status,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survival_agg(entry interval, duration interval, event boolean) (
	SFUNC = survival_summary_accum_entry_interval,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_entry_interval,
	MINVFUNC = survival_summary_deaccum_entry_interval,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survival_agg(entry interval, duration interval, status integer) (
	SFUNC = survival_summary_accum_entry_status_interval,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_entry_status_interval,
	MINVFUNC = survival_summary_deaccum_entry_status_interval,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE survival_agg(double precision, double precision, boolean) IS
	'survival summary of subjects observed from entry (delayed entry, left truncation; 0 = from the start) to duration, both from the same origin: at risk at times u with entry < u <= duration, as R''s Surv(entry, duration, event); event true = the event happened at duration, false = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(double precision, double precision, integer) IS
	'survival summary of subjects observed from entry (delayed entry; 0 = from the start) to duration, both from the same origin; status 1 = event, 0 = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(interval, interval, boolean) IS
	'survival summary of subjects observed from entry (delayed entry; 0 = from the start) to duration, both intervals from the same origin, in days (extract(epoch from ...) / 86400); event true = the event happened, false = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(interval, interval, integer) IS
	'survival summary of subjects observed from entry (delayed entry; 0 = from the start) to duration, both intervals from the same origin, in days (extract(epoch from ...) / 86400); status 1 = event, 0 = censored; rows with a NULL are skipped';

COMMENT ON TYPE survival_summary IS
	'events and censorings at each distinct duration, and with delayed entry the subjects entering at each entry time; read it with kaplan_meier(), median_survival() and the other survival accessors; its text form is JSON (s::text::jsonb)';
-- clv: holdout validation

-- 1.3.0: calibration / holdout validation.  holdout_summary holds, per
-- calibration frequency 0 .. 100 and for all frequencies above, the
-- customers, their actual holdout purchases and a model's predicted ones
-- (src/clv/clv_holdout.c); calibration_table reads the table BTYD and
-- lifetimes plot, holdout_totals the totals and an error measure.

CREATE TYPE holdout_summary;

CREATE FUNCTION holdout_summary_in(cstring) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_out(holdout_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_recv(internal) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_send(holdout_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE holdout_summary (
	INPUT = holdout_summary_in,
	OUTPUT = holdout_summary_out,
	RECEIVE = holdout_summary_recv,
	SEND = holdout_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE holdout_summary IS
	'holdout validation of a purchase model: customers, actual and predicted holdout purchases per calibration frequency';
COMMENT ON FUNCTION holdout_summary_in(cstring) IS 'text input of holdout_summary';
COMMENT ON FUNCTION holdout_summary_out(holdout_summary) IS 'text output of holdout_summary';
COMMENT ON FUNCTION holdout_summary_recv(internal) IS 'binary input of holdout_summary';
COMMENT ON FUNCTION holdout_summary_send(holdout_summary) IS 'binary output of holdout_summary';

CREATE FUNCTION holdout_summary_accum(holdout_summary, bgnbd_model, rfm_summary, bigint, double precision)
	RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_combine(holdout_summary, holdout_summary) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION holdout_summary_accum(holdout_summary, bgnbd_model, rfm_summary, bigint, double precision) IS
	'adds one customer: the actual holdout purchases and the BG/NBD conditional expectation over holdout_length (transition function of holdout_agg)';
COMMENT ON FUNCTION holdout_summary_combine(holdout_summary, holdout_summary) IS
	'adds two holdout summaries bin by bin (combine function of holdout_agg; transition function of rollup)';

CREATE AGGREGATE holdout_agg(model bgnbd_model, calibration rfm_summary, holdout_purchases bigint,
							 holdout_length double precision) (
	SFUNC = holdout_summary_accum,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(holdout_summary) (
	SFUNC = holdout_summary_combine,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE holdout_agg(bgnbd_model, rfm_summary, bigint, double precision) IS
	'holdout summary of customers: per calibration frequency, the customers, their actual holdout purchases and the model''s expected ones over holdout_length; rows with a NULL skipped';
COMMENT ON AGGREGATE rollup(holdout_summary) IS
	'merges holdout summaries into one (the empty summary for no rows)';

CREATE FUNCTION calibration_table(summary holdout_summary, max_frequency integer DEFAULT 7)
	RETURNS TABLE (frequency integer, customers bigint, actual double precision,
				   predicted double precision)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
CREATE FUNCTION holdout_totals(summary holdout_summary, max_frequency integer DEFAULT 7,
							   OUT customers bigint, OUT actual bigint, OUT predicted double precision,
							   OUT mean_absolute_error double precision)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION calibration_table(holdout_summary, integer) IS
	'per calibration frequency 0 .. max_frequency (the last row: max_frequency or more) the customers and their mean actual and predicted holdout purchases';
COMMENT ON FUNCTION holdout_totals(holdout_summary, integer) IS
	'customers, total actual and predicted holdout purchases, and the customer-weighted mean absolute error of the calibration table''s rows';

-- 1.3.0: holdout_agg over each customer's holdout purchase times, which
-- also tracks the holdout period by period; holdout_tracking reads it.
CREATE FUNCTION holdout_summary_accum_times(holdout_summary, bgnbd_model, rfm_summary, double precision[],
	double precision, integer) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION holdout_summary_accum_times(holdout_summary, bgnbd_model, rfm_summary, double precision[], double precision, integer) IS
	'adds one customer: the holdout purchase times within periods x period_length, per period, and the BG/NBD cumulative expectation at the end of each period (transition function of holdout_agg)';
CREATE AGGREGATE holdout_agg(model bgnbd_model, calibration rfm_summary, holdout_times double precision[],
							 period_length double precision, periods integer) (
	SFUNC = holdout_summary_accum_times,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE holdout_agg(bgnbd_model, rfm_summary, double precision[], double precision, integer) IS
	'holdout summary tracked by period: holdout_agg over the purchase times (offsets from the calibration end) within periods x period_length, with each period''s purchases and cumulative expectation; rows with a NULL skipped';
CREATE FUNCTION holdout_tracking(summary holdout_summary)
	RETURNS TABLE (period integer, actual bigint, expected double precision,
				   actual_cumulative bigint, expected_cumulative double precision)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 52;
COMMENT ON FUNCTION holdout_tracking(holdout_summary) IS
	'per holdout period the actual and expected purchases, each also cumulated from the calibration end (BTYD''s tracking plots over the holdout)';

-- retention: MRR by plan, ARR, quick ratio

-- ARR, ARPA, quick ratio and the movements as tidy rows (src/retention/churn.c),
-- 1.3.0: amounts as numeric, exactly as the summary keeps them.

CREATE FUNCTION arr(mrr_summary, period integer) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arpa(mrr_summary, period integer) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quick_ratio(mrr_summary, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_movement_table(mrr_summary,
		OUT period integer, OUT period_start timestamptz, OUT movement text,
		OUT customers bigint, OUT mrr numeric)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 60;

COMMENT ON FUNCTION arr(mrr_summary, integer) IS
	'annual recurring revenue at the end of the period: 12 x its MRR (numeric, exact)';
COMMENT ON FUNCTION arpa(mrr_summary, integer) IS
	'average revenue per account at the end of the period: its MRR over the customers paying then (numeric); NULL when none pays';
COMMENT ON FUNCTION quick_ratio(mrr_summary, integer) IS
	'SaaS quick ratio of the period: (new + expansion + reactivation MRR) / (contraction + churned MRR); NULL for period 0 and when nothing was lost';
COMMENT ON FUNCTION mrr_movement_table(mrr_summary) IS
	'tidy rows of the movements: for each period from 1, one row per movement (new, expansion, contraction, churn, reactivation) with its customers and MRR (numeric, non-negative)';

-- Net and gross revenue retention by cohort (src/retention/mrr_cohort.c),
-- 1.3.0: customers grouped by their first paying period.

CREATE FUNCTION mrr_cohort_table(customer_mrr_summary,
		OUT cohort integer, OUT cohort_start timestamptz, OUT period integer, OUT period_start timestamptz,
		OUT cohort_customers bigint, OUT customers bigint, OUT starting_mrr numeric, OUT mrr numeric,
		OUT net_revenue_retention double precision, OUT gross_revenue_retention double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 78;

COMMENT ON FUNCTION mrr_cohort_table(customer_mrr_summary) IS
	'revenue retention by cohort (customers grouped by their first paying period), tidy rows per cohort and period from the cohort''s: its customers and MRR at the start and still paying, NRR = MRR / starting MRR and GRR = sum of each customer''s MRR capped at its starting MRR / starting MRR';

-- MRR movements by plan (src/retention/mrr_plan.c), 1.3.0: one
-- customer_mrr_summary per plan, a plan change an upgrade or downgrade of
-- the customer, never churn and new business.

CREATE FUNCTION mrr_movements_by_plan(summaries customer_mrr_summary[], plans text[],
		OUT period integer, OUT period_start timestamptz, OUT plan text,
		OUT customers_start bigint, OUT customers_end bigint, OUT starting_mrr numeric,
		OUT new_mrr numeric, OUT expansion_mrr numeric, OUT contraction_mrr numeric,
		OUT churned_mrr numeric, OUT reactivation_mrr numeric, OUT moved_in_mrr numeric,
		OUT moved_out_mrr numeric, OUT ending_mrr numeric,
		OUT new_customers bigint, OUT expansion_customers bigint, OUT contraction_customers bigint,
		OUT churned_customers bigint, OUT reactivated_customers bigint, OUT moved_in_customers bigint,
		OUT moved_out_customers bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 48;

COMMENT ON FUNCTION mrr_movements_by_plan(customer_mrr_summary[], text[]) IS
	'MRR movements per period of all plans (plan NULL) and of each plan, from one customer_mrr_summary per plan: a customer''s plan change is expansion or contraction overall and moved in / moved out of the plans, never churn and new; each row balances: ending = starting + new + expansion - contraction - churned + reactivation + moved in - moved out; amounts numeric';

-- survival: Cox proportional hazards

CREATE TYPE coxph_model;

CREATE FUNCTION coxph_model_in(cstring) RETURNS coxph_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_model_out(coxph_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_model_recv(internal) RETURNS coxph_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_model_send(coxph_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE coxph_model (
	INPUT = coxph_model_in,
	OUTPUT = coxph_model_out,
	RECEIVE = coxph_model_recv,
	SEND = coxph_model_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE coxph_model IS
	'fitted Cox proportional hazards model (coefficients, their covariance, log partial likelihoods, score test, concordance, baseline cumulative hazard, covariate names); its text form is JSON';
COMMENT ON FUNCTION coxph_model_in(cstring) IS 'text input of coxph_model';
COMMENT ON FUNCTION coxph_model_out(coxph_model) IS 'text output of coxph_model';
COMMENT ON FUNCTION coxph_model_recv(internal) IS 'binary input of coxph_model';
COMMENT ON FUNCTION coxph_model_send(coxph_model) IS 'binary output of coxph_model';

CREATE FUNCTION coxph_fit_state_accum(internal, double precision, boolean, double precision[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum(internal, double precision, boolean, double precision[], kpi_text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_named(internal, double precision, boolean, double precision[], kpi_text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_named(internal, double precision, boolean, double precision[], kpi_text[], kpi_text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_fit_final(internal) RETURNS coxph_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION coxph_fit_state_accum(internal, double precision, boolean, double precision[]) IS
	'transition function of coxph_fit: counts one (duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum(internal, double precision, boolean, double precision[], kpi_text) IS
	'transition function of coxph_fit with a ties method: counts one (duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_named(internal, double precision, boolean, double precision[], kpi_text[]) IS
	'transition function of coxph_fit with covariate names: counts one (duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_named(internal, double precision, boolean, double precision[], kpi_text[], kpi_text) IS
	'transition function of coxph_fit with covariate names and a ties method: counts one (duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_combine(internal, internal) IS
	'combine function of coxph_fit: adds the row counts of two partial states';
COMMENT ON FUNCTION coxph_fit_state_serialize(internal) IS 'serializes a partial coxph_fit state';
COMMENT ON FUNCTION coxph_fit_state_deserialize(bytea, internal) IS 'deserializes a partial coxph_fit state';
COMMENT ON FUNCTION coxph_fit_final(internal) IS
	'final function of coxph_fit: the Cox model fitted by Newton-Raphson on the partial likelihood; NULL for no rows';

CREATE AGGREGATE coxph_fit(duration double precision, event boolean, covariates double precision[]) (
	SFUNC = coxph_fit_state_accum,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(duration double precision, event boolean, covariates double precision[], ties kpi_text) (
	SFUNC = coxph_fit_state_accum,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(duration double precision, event boolean, covariates double precision[], names kpi_text[]) (
	SFUNC = coxph_fit_state_accum_named,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(duration double precision, event boolean, covariates double precision[], names kpi_text[], ties kpi_text) (
	SFUNC = coxph_fit_state_accum_named,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE coxph_fit(double precision, boolean, double precision[]) IS
	'Cox proportional hazards model of the durations, events and covariates (Efron ties), as R coxph; rows with a NULL duration, event or covariates are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, boolean, double precision[], kpi_text) IS
	'Cox proportional hazards model with the ties method ''efron'' or ''breslow'', as R coxph; rows with a NULL duration, event or covariates are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, boolean, double precision[], kpi_text[]) IS
	'Cox proportional hazards model with named covariates (Efron ties), as R coxph; rows with a NULL duration, event or covariates are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, boolean, double precision[], kpi_text[], kpi_text) IS
	'Cox proportional hazards model with named covariates and the ties method ''efron'' or ''breslow'', as R coxph; rows with a NULL duration, event or covariates are skipped';

CREATE FUNCTION coxph_coefficients(coxph_model, level double precision DEFAULT 0.95,
		OUT term text, OUT coefficient double precision, OUT hazard_ratio double precision,
		OUT std_err double precision, OUT z double precision, OUT p_value double precision,
		OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 3;
CREATE FUNCTION coxph_tests(coxph_model,
		OUT test text, OUT statistic double precision, OUT df integer, OUT p_value double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 3;
CREATE FUNCTION concordance(coxph_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'coxph_concordance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(coxph_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'coxph_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(coxph_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'coxph_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_survival(coxph_model, covariates double precision[],
		OUT "time" double precision, OUT cumulative_hazard double precision, OUT survival double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 100;
CREATE FUNCTION coxph_survival_at(coxph_model, covariates double precision[], "time" double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION coxph_coefficients(coxph_model, double precision) IS
	'one row per covariate: coefficient, hazard ratio exp(coef), standard error, z, two-sided p-value and the hazard ratio''s confidence interval exp(coef -/+ z se), as R summary.coxph';
COMMENT ON FUNCTION coxph_tests(coxph_model) IS
	'likelihood-ratio, Wald and score (log-rank) tests that every coefficient is 0: statistic, degrees of freedom, chi-square p-value, as R summary.coxph';
COMMENT ON FUNCTION concordance(coxph_model) IS
	'Harrell''s C of the fitted risk scores, ties in the risk counting one half, as R concordance(fit); NULL without comparable pairs';
COMMENT ON FUNCTION log_likelihood(coxph_model) IS 'log partial likelihood at the fitted coefficients';
COMMENT ON FUNCTION converged(coxph_model) IS 'whether Newton-Raphson converged (|1 - LL_old / LL_new| <= 1e-9) within 20 iterations';
COMMENT ON FUNCTION coxph_survival(coxph_model, double precision[]) IS
	'predicted cumulative hazard and survival of a subject with the given covariates at each event time of the fit, as R survfit.coxph(fit, newdata)';
COMMENT ON FUNCTION coxph_survival_at(coxph_model, double precision[], double precision) IS
	'predicted survival at a time of a subject with the given covariates: a step function of the event times, 1 before the first';

-- Cox regression with left truncation (delayed entry): a subject is at
-- risk at the times t with entry < t <= duration
CREATE FUNCTION coxph_fit_state_accum_entry(internal, double precision, double precision, boolean,
		double precision[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_entry(internal, double precision, double precision, boolean,
		double precision[], kpi_text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_entry_named(internal, double precision, double precision, boolean,
		double precision[], kpi_text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_entry_named(internal, double precision, double precision, boolean,
		double precision[], kpi_text[], kpi_text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION coxph_fit_state_accum_entry(internal, double precision, double precision, boolean, double precision[]) IS
	'transition function of coxph_fit with entry times: counts one (entry, duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_entry(internal, double precision, double precision, boolean, double precision[], kpi_text) IS
	'transition function of coxph_fit with entry times and a ties method: counts one (entry, duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_entry_named(internal, double precision, double precision, boolean, double precision[], kpi_text[]) IS
	'transition function of coxph_fit with entry times and covariate names: counts one (entry, duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_entry_named(internal, double precision, double precision, boolean, double precision[], kpi_text[], kpi_text) IS
	'transition function of coxph_fit with entry times, covariate names and a ties method: counts one (entry, duration, event, covariates) row';

CREATE AGGREGATE coxph_fit(entry double precision, duration double precision, event boolean,
		covariates double precision[]) (
	SFUNC = coxph_fit_state_accum_entry,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(entry double precision, duration double precision, event boolean,
		covariates double precision[], ties kpi_text) (
	SFUNC = coxph_fit_state_accum_entry,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(entry double precision, duration double precision, event boolean,
		covariates double precision[], names kpi_text[]) (
	SFUNC = coxph_fit_state_accum_entry_named,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(entry double precision, duration double precision, event boolean,
		covariates double precision[], names kpi_text[], ties kpi_text) (
	SFUNC = coxph_fit_state_accum_entry_named,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE coxph_fit(double precision, double precision, boolean, double precision[]) IS
	'Cox proportional hazards model with left truncation: each subject at risk after its entry time up to its duration (Efron ties), as R coxph(Surv(entry, duration, event) ~ ...); rows with a NULL are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, double precision, boolean, double precision[], kpi_text) IS
	'Cox proportional hazards model with left truncation and the ties method ''efron'' or ''breslow'', as R coxph(Surv(entry, duration, event) ~ ...); rows with a NULL are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, double precision, boolean, double precision[], kpi_text[]) IS
	'Cox proportional hazards model with left truncation and named covariates (Efron ties), as R coxph(Surv(entry, duration, event) ~ ...); rows with a NULL are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, double precision, boolean, double precision[], kpi_text[], kpi_text) IS
	'Cox proportional hazards model with left truncation, named covariates and the ties method ''efron'' or ''breslow'', as R coxph(Surv(entry, duration, event) ~ ...); rows with a NULL are skipped';

-- conversion: ClickHouse allow_reentry, sequence_match, sequence_count
-- (issue 15): window_funnel and funnel_path accept the mode allow_reentry
-- (with strict_order, a step whose previous step is not reached is ignored
-- instead of ending the funnel, ClickHouse PR #86916); the aggregates
-- sequence_match and sequence_count (src/conversion/sequence.c).

COMMENT ON AGGREGATE window_funnel(interval, kpi_text, timestamptz, VARIADIC "any") IS
	'window_funnel with ClickHouse modes: strict_order, strict_deduplication, strict_increase, strict_once, allow_reentry (with strict_order)';

-- Sequences per entity (GROUP BY user_id): sequence_match, sequence_count,
-- with ClickHouse's pattern syntax.  The state is internal (the entity's
-- events that satisfy a condition), shipped between parallel workers by
-- sequence_state_serialize; the conditions are VARIADIC "any" as the steps
-- of window_funnel.
CREATE FUNCTION sequence_state_accum(internal, text, timestamptz, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION sequence_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sequence_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sequence_match_final(internal) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_count_final(internal) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION sequence_state_accum(internal, text, timestamptz, VARIADIC "any") IS
	'transition function of sequence_match and sequence_count(pattern, ts, VARIADIC conditions): collects the entity''s events';
COMMENT ON FUNCTION sequence_state_combine(internal, internal) IS
	'combine function of sequence_match and sequence_count: the events of both states';
COMMENT ON FUNCTION sequence_state_serialize(internal) IS
	'serializes a per-entity sequence state for parallel workers';
COMMENT ON FUNCTION sequence_state_deserialize(bytea, internal) IS
	'deserializes a per-entity sequence state from a parallel worker';
COMMENT ON FUNCTION sequence_match_final(internal) IS
	'final function of sequence_match: sorts the events, matches the pattern';
COMMENT ON FUNCTION sequence_count_final(internal) IS
	'final function of sequence_count: sorts the events, counts the non-overlapping matches of the pattern';

CREATE AGGREGATE sequence_match(pattern kpi_text, ts timestamptz, VARIADIC conditions "any") (
	SFUNC = sequence_state_accum,
	STYPE = internal,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_state_combine,
	SERIALFUNC = sequence_state_serialize,
	DESERIALFUNC = sequence_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE sequence_count(pattern kpi_text, ts timestamptz, VARIADIC conditions "any") (
	SFUNC = sequence_state_accum,
	STYPE = internal,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_state_combine,
	SERIALFUNC = sequence_state_serialize,
	DESERIALFUNC = sequence_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(kpi_text, timestamptz, VARIADIC "any") IS
	'whether the entity''s events contain a chain matching the pattern ((?N) condition N, . any event, .* any events, (?t>=secs) time between events), as ClickHouse sequenceMatch';
COMMENT ON AGGREGATE sequence_count(kpi_text, timestamptz, VARIADIC "any") IS
	'number of non-overlapping chains of the entity''s events matching the pattern, as ClickHouse sequenceCount';

-- clv: standard errors, unconverged fits, Pareto/NBD
-- (predictions refuse fitted models with converged = false: C only, no SQL object)
-- 1.3.0: standard errors of the fits from the observed information (the
-- same fit as bgnbd_fit / gamma_gamma_fit, then the inverse Hessian of the
-- log-likelihood at its maximum), and the table of a model's parameters
-- with them.

CREATE FUNCTION bgnbd_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_std_errors_final(internal) IS
	'final function of bgnbd_std_errors: the fit of bgnbd_fit and its standard errors';
COMMENT ON FUNCTION gamma_gamma_std_errors_final(internal) IS
	'final function of gamma_gamma_std_errors: the fit of gamma_gamma_fit and its standard errors';

CREATE AGGREGATE bgnbd_std_errors(rfm_summary) (
	SFUNC = clv_fit_state_accum_bgnbd,
	STYPE = internal,
	FINALFUNC = bgnbd_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_std_errors(rfm_summary) (
	SFUNC = clv_fit_state_accum_gamma_gamma,
	STYPE = internal,
	FINALFUNC = gamma_gamma_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_std_errors(rfm_summary) IS
	'standard errors of r, alpha, a, b of bgnbd_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no customers';
COMMENT ON AGGREGATE gamma_gamma_std_errors(rfm_summary) IS
	'standard errors of p, q, gamma of gamma_gamma_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL when there is no repeat buyer';

CREATE FUNCTION parameter_estimates(model bgnbd_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'bgnbd_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 4;
CREATE FUNCTION parameter_estimates(model gamma_gamma_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'gamma_gamma_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION parameter_estimates(bgnbd_model, double precision[], double precision) IS
	'r, alpha, a, b with their standard errors (bgnbd_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';
COMMENT ON FUNCTION parameter_estimates(gamma_gamma_model, double precision[], double precision) IS
	'p, q, gamma with their standard errors (gamma_gamma_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';

-- 1.3.0: the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987), fitted
-- from the same RFM summaries and state as bgnbd_fit.

CREATE TYPE pareto_nbd_model;

CREATE FUNCTION pareto_nbd_model_in(cstring) RETURNS pareto_nbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_out(pareto_nbd_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_recv(internal) RETURNS pareto_nbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_send(pareto_nbd_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE pareto_nbd_model (
	INPUT = pareto_nbd_model_in,
	OUTPUT = pareto_nbd_model_out,
	RECEIVE = pareto_nbd_model_recv,
	SEND = pareto_nbd_model_send,
	INTERNALLENGTH = 56,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE pareto_nbd_model IS
	'Pareto/NBD purchase model: r, alpha, s, beta, log-likelihood, number of customers fitted, convergence';
COMMENT ON FUNCTION pareto_nbd_model_in(cstring) IS 'text input of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_out(pareto_nbd_model) IS 'text output of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_recv(internal) IS 'binary input of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_send(pareto_nbd_model) IS 'binary output of pareto_nbd_model';

CREATE FUNCTION pareto_nbd_model(r double precision, alpha double precision,
		s double precision, beta double precision) RETURNS pareto_nbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION parameters(pareto_nbd_model, OUT r double precision, OUT alpha double precision,
		OUT s double precision, OUT beta double precision)
	AS 'MODULE_PATHNAME', 'pareto_nbd_parameters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(pareto_nbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pareto_nbd_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(pareto_nbd_model) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pareto_nbd_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(pareto_nbd_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'pareto_nbd_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_model(double precision, double precision, double precision, double precision) IS
	'Pareto/NBD model of given parameters r, alpha (purchase rates), s, beta (lifetimes), all positive';
COMMENT ON FUNCTION parameters(pareto_nbd_model) IS 'Pareto/NBD parameters r, alpha, s, beta';
COMMENT ON FUNCTION log_likelihood(pareto_nbd_model) IS 'maximised log-likelihood of the fit; NULL for a model of given parameters';
COMMENT ON FUNCTION customers(pareto_nbd_model) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION converged(pareto_nbd_model) IS 'whether the fit converged to an interior maximum';

CREATE FUNCTION pareto_nbd_fit_final(internal) RETURNS pareto_nbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_final(internal) IS 'final function of pareto_nbd_fit: the maximum-likelihood fit';
COMMENT ON FUNCTION pareto_nbd_std_errors_final(internal) IS
	'final function of pareto_nbd_std_errors: the fit of pareto_nbd_fit and its standard errors';

CREATE AGGREGATE pareto_nbd_fit(rfm_summary) (
	SFUNC = clv_fit_state_accum_bgnbd,
	STYPE = internal,
	FINALFUNC = pareto_nbd_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_std_errors(rfm_summary) (
	SFUNC = clv_fit_state_accum_bgnbd,
	STYPE = internal,
	FINALFUNC = pareto_nbd_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE pareto_nbd_fit(rfm_summary) IS
	'maximum-likelihood Pareto/NBD fit over customers'' RFM summaries; NULL for no customers';
COMMENT ON AGGREGATE pareto_nbd_std_errors(rfm_summary) IS
	'standard errors of r, alpha, s, beta of pareto_nbd_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no customers';

CREATE FUNCTION parameter_estimates(model pareto_nbd_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'pareto_nbd_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION parameter_estimates(pareto_nbd_model, double precision[], double precision) IS
	'r, alpha, s, beta with their standard errors (pareto_nbd_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';

CREATE FUNCTION probability_alive(pareto_nbd_model, rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pareto_nbd_probability_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(pareto_nbd_model, rfm_summary, t double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'pareto_nbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(pareto_nbd_model, t double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pareto_nbd_new_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION probability_alive(pareto_nbd_model, rfm_summary) IS
	'Pareto/NBD probability that the customer is still active at the end of observation';
COMMENT ON FUNCTION expected_purchases(pareto_nbd_model, rfm_summary, double precision) IS
	'Pareto/NBD expected purchases of this customer in the next t time units';
COMMENT ON FUNCTION expected_purchases(pareto_nbd_model, double precision) IS
	'Pareto/NBD expected purchases of a new customer in its first t time units';

-- clv: BG/BB
--
-- The discrete-time model of customers with transaction opportunities
-- (Fader, Hardie & Shang 2010; src/clv/clv_bgbb.c).  A customer's data are
-- frequency x (repeat transactions), recency t_x (the opportunity of the last
-- one, 0 if none) and periods n (the opportunities since the first
-- transaction).  The model type has the generic text and binary formats of
-- bgnbd_model, with the parameters alpha, beta, gamma, delta.

CREATE TYPE bgbb_model;

CREATE FUNCTION bgbb_model_in(cstring) RETURNS bgbb_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_out(bgbb_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_recv(internal) RETURNS bgbb_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_send(bgbb_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE bgbb_model (
	INPUT = bgbb_model_in,
	OUTPUT = bgbb_model_out,
	RECEIVE = bgbb_model_recv,
	SEND = bgbb_model_send,
	INTERNALLENGTH = 56,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE bgbb_model IS
	'BG/BB model (Fader, Hardie & Shang 2010): alpha, beta of the beta distribution of transaction probabilities, gamma, delta of the beta distribution of dropout probabilities, with the fit''s log-likelihood, customers and convergence';
COMMENT ON FUNCTION bgbb_model_in(cstring) IS 'text input of bgbb_model';
COMMENT ON FUNCTION bgbb_model_out(bgbb_model) IS 'text output of bgbb_model';
COMMENT ON FUNCTION bgbb_model_recv(internal) IS 'binary input of bgbb_model';
COMMENT ON FUNCTION bgbb_model_send(bgbb_model) IS 'binary output of bgbb_model';

CREATE FUNCTION bgbb_model(alpha double precision, beta double precision,
		gamma double precision, delta double precision) RETURNS bgbb_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION parameters(bgbb_model, OUT alpha double precision, OUT beta double precision,
		OUT gamma double precision, OUT delta double precision)
	AS 'MODULE_PATHNAME', 'bgbb_parameters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(bgbb_model) RETURNS bigint
	AS 'MODULE_PATHNAME', 'bgbb_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(bgbb_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'bgbb_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bgbb_model(double precision, double precision, double precision, double precision) IS
	'BG/BB model of given parameters (e.g. published ones), for predictions';
COMMENT ON FUNCTION parameters(bgbb_model) IS 'BG/BB parameters alpha, beta, gamma, delta';
COMMENT ON FUNCTION log_likelihood(bgbb_model) IS 'maximised log-likelihood of the fit; NULL for a model of given parameters';
COMMENT ON FUNCTION customers(bgbb_model) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION converged(bgbb_model) IS 'whether the fit converged to an interior maximum';

CREATE FUNCTION bgbb_fit_state_accum(internal, bigint, bigint, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_accum_weighted(internal, bigint, bigint, bigint, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_final(internal) RETURNS bgbb_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION bgbb_fit_state_accum(internal, bigint, bigint, bigint) IS 'transition function of bgbb_fit(frequency, recency, periods)';
COMMENT ON FUNCTION bgbb_fit_state_accum_weighted(internal, bigint, bigint, bigint, bigint) IS 'transition function of bgbb_fit(frequency, recency, periods, customers)';
COMMENT ON FUNCTION bgbb_fit_state_combine(internal, internal) IS 'combine function of bgbb_fit';
COMMENT ON FUNCTION bgbb_fit_state_serialize(internal) IS 'serialize function of bgbb_fit';
COMMENT ON FUNCTION bgbb_fit_state_deserialize(bytea, internal) IS 'deserialize function of bgbb_fit';
COMMENT ON FUNCTION bgbb_fit_final(internal) IS 'final function of bgbb_fit: the maximum-likelihood fit';

CREATE AGGREGATE bgbb_fit(frequency bigint, recency bigint, periods bigint) (
	SFUNC = bgbb_fit_state_accum,
	STYPE = internal,
	FINALFUNC = bgbb_fit_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_fit(frequency bigint, recency bigint, periods bigint, customers bigint) (
	SFUNC = bgbb_fit_state_accum_weighted,
	STYPE = internal,
	FINALFUNC = bgbb_fit_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE bgbb_fit(bigint, bigint, bigint) IS
	'maximum-likelihood BG/BB fit over customers'' frequency, recency and periods (one row a customer); NULL for no customers';
COMMENT ON AGGREGATE bgbb_fit(bigint, bigint, bigint, bigint) IS
	'maximum-likelihood BG/BB fit over (frequency, recency, periods) cells with their numbers of customers; NULL for no customers';

CREATE FUNCTION probability_alive(bgbb_model, frequency bigint, recency bigint, periods bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_probability_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(bgbb_model, frequency bigint, recency bigint, periods bigint,
		future_periods bigint) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(bgbb_model, periods bigint) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_new_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION probability_alive(bgbb_model, bigint, bigint, bigint) IS
	'BG/BB probability that the customer is alive at the next opportunity (periods + 1)';
COMMENT ON FUNCTION expected_purchases(bgbb_model, bigint, bigint, bigint, bigint) IS
	'BG/BB expected number of transactions of this customer at the next future_periods opportunities';
COMMENT ON FUNCTION expected_purchases(bgbb_model, bigint) IS
	'BG/BB expected number of repeat transactions of a new customer over their first periods opportunities';

CREATE FUNCTION purchase_probability(bgbb_model, periods bigint, n bigint) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_purchase_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION purchase_probability(bgbb_model, bigint, bigint) IS
	'BG/BB probability that a new customer makes exactly n repeat transactions at their first periods opportunities';

-- the parameters as plain columns, as alpha(m) reads a bgnbd_model
CREATE FUNCTION alpha(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_alpha' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION beta(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_beta' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_gamma' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION delta(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_delta' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION alpha(bgbb_model) IS 'BG/BB alpha of the beta distribution of transaction probabilities: parameters(m).alpha';
COMMENT ON FUNCTION beta(bgbb_model) IS 'BG/BB beta of the beta distribution of transaction probabilities: parameters(m).beta';
COMMENT ON FUNCTION gamma(bgbb_model) IS 'BG/BB gamma of the beta distribution of dropout probabilities: parameters(m).gamma';
COMMENT ON FUNCTION delta(bgbb_model) IS 'BG/BB delta of the beta distribution of dropout probabilities: parameters(m).delta';

-- clv: BG/BB standard errors

-- BG/BB standard errors (1.3.0): the fit of bgbb_fit over the same rows and
-- the standard errors of its parameters from the observed information, as
-- bgnbd_std_errors; parameter_estimates reads them with the model.

CREATE FUNCTION bgbb_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_std_errors_final(internal) IS
	'final function of bgbb_std_errors: the fit of bgbb_fit and its standard errors';

CREATE AGGREGATE bgbb_std_errors(frequency bigint, recency bigint, periods bigint) (
	SFUNC = bgbb_fit_state_accum,
	STYPE = internal,
	FINALFUNC = bgbb_std_errors_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_std_errors(frequency bigint, recency bigint, periods bigint, customers bigint) (
	SFUNC = bgbb_fit_state_accum_weighted,
	STYPE = internal,
	FINALFUNC = bgbb_std_errors_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgbb_std_errors(bigint, bigint, bigint) IS
	'standard errors of alpha, beta, gamma, delta of bgbb_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no customers';
COMMENT ON AGGREGATE bgbb_std_errors(bigint, bigint, bigint, bigint) IS
	'standard errors of alpha, beta, gamma, delta of bgbb_fit over the same cells (customers per cell), from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no customers';

CREATE FUNCTION parameter_estimates(model bgbb_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'bgbb_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION parameter_estimates(bgbb_model, double precision[], double precision) IS
	'alpha, beta, gamma, delta with their standard errors (bgbb_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';

-- survival: sBG standard errors

-- sBG standard errors (1.3.0): the fit of sbg_fit over the same rows and the
-- standard errors of alpha and beta from its observed information, as the
-- CLV models' *_std_errors; parameter_estimates reads them with the model.

CREATE FUNCTION sbg_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_std_errors_final(internal) IS
	'final function of sbg_std_errors: the fit of sbg_fit and its standard errors';

CREATE AGGREGATE sbg_std_errors(period integer, survivors bigint) (
	SFUNC = sbg_fit_state_accum,
	STYPE = internal,
	FINALFUNC = sbg_std_errors_final,
	COMBINEFUNC = sbg_fit_state_combine,
	SERIALFUNC = sbg_fit_state_serialize,
	DESERIALFUNC = sbg_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sbg_std_errors(integer, bigint) IS
	'standard errors of alpha and beta of sbg_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no rows';

CREATE FUNCTION parameter_estimates(model sbg_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'sbg_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 2;
COMMENT ON FUNCTION parameter_estimates(sbg_model, double precision[], double precision) IS
	'alpha and beta with their standard errors (sbg_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';

-- retention: currencies of the MRR summaries
-- Currencies of the MRR summaries (src/retention/mrr_currency.c), 1.3.0:
-- mrr_summary and customer_mrr_summary record the ISO 4217 code of their
-- amounts (format version 3); merging two currencies is an error naming
-- both, a summary without one takes the other's.  The aggregates take it
-- as a trailing currency after the time zone, with float8 or numeric
-- (exact) amounts, for every id type and both row forms; the transition
-- functions are the existing C ones, which see the extra argument.

CREATE FUNCTION currency(mrr_summary) RETURNS text
	AS 'MODULE_PATHNAME', 'mrr_summary_currency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION currency(customer_mrr_summary) RETURNS text
	AS 'MODULE_PATHNAME', 'customer_mrr_summary_currency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION currency(mrr_summary) IS
	'the ISO 4217 code of the summary''s amounts (''EUR''), NULL when unspecified (no currency given, or a summary of an earlier format)';
COMMENT ON FUNCTION currency(customer_mrr_summary) IS
	'the ISO 4217 code of the summary''s amounts (''EUR''), NULL when unspecified (no currency given, or a summary of an earlier format)';

DO $mrr_currency$
DECLARE
	id text;
	amount text;
	subscription boolean;
	sfunc text;
	sig text;
	args text;
	agg text;
BEGIN
	FOREACH id IN ARRAY ARRAY['bigint', 'smallint', 'integer', 'uuid', 'text'] LOOP
		FOREACH subscription IN ARRAY ARRAY[false, true] LOOP
			FOREACH amount IN ARRAY ARRAY['double precision', 'numeric'] LOOP
				sfunc := CASE WHEN subscription THEN 'customer_mrr_summary_accum_subscription'
						 ELSE 'customer_mrr_summary_accum' END;
				sig := format('%s, timestamptz, %s%s, timestamptz, interval, integer', id,
							  CASE WHEN subscription THEN 'timestamptz, ' ELSE '' END, amount);
				EXECUTE format('CREATE FUNCTION %I(customer_mrr_summary, %s, text, text) RETURNS customer_mrr_summary '
							   'AS %L, %L LANGUAGE C STABLE PARALLEL SAFE',
							   sfunc, sig, 'MODULE_PATHNAME', sfunc);
				EXECUTE format('COMMENT ON FUNCTION %I(customer_mrr_summary, %s, text, text) IS %L',
							   sfunc, sig,
							   CASE WHEN subscription
							   THEN 'transition function of mrr_agg() and customer_mrr_agg() over subscriptions in a currency: adds a subscription''s MRR to each calendar period in time_zone at whose end it is active'
							   ELSE 'transition function of mrr_agg() and customer_mrr_agg() in a currency: adds a customer''s MRR to its calendar period in time_zone' END
							   || '; a row in another currency than the others is an error');
				args := format('customer %s, %s, mrr %s, origin timestamptz, period interval, periods integer, time_zone kpi_text, currency kpi_text',
							   id, CASE WHEN subscription THEN 'starts timestamptz, ends timestamptz' ELSE 'at timestamptz' END,
							   amount);
				FOREACH agg IN ARRAY ARRAY['mrr_agg', 'customer_mrr_agg'] LOOP
					EXECUTE format('CREATE AGGREGATE %I(%s) (SFUNC = %I, STYPE = customer_mrr_summary, '
								   'FINALFUNC = %I, COMBINEFUNC = customer_mrr_summary_combine, PARALLEL = SAFE)',
								   agg, args, sfunc,
								   CASE agg WHEN 'mrr_agg' THEN 'mrr_summary' ELSE 'customer_mrr_summary_final' END);
					EXECUTE format('COMMENT ON AGGREGATE %I(%s, kpi_text, kpi_text) IS %L', agg, sig,
								   CASE agg WHEN 'mrr_agg' THEN 'MRR summary of ' ELSE 'each customer''s MRR per calendar period from ' END
								   || CASE WHEN subscription THEN '(customer, starts, ends, MRR) subscriptions'
								   ELSE '(customer, time, MRR) rows' END
								   || format(' with %s customer ids and %s amounts', id, amount)
								   || ', its calendar periods counted in time_zone, recording the currency (an ISO 4217 code such as ''EUR'') of the amounts: a row in another currency is an error');
				END LOOP;
			END LOOP;
		END LOOP;
	END LOOP;
END
$mrr_currency$;

-- pipeline: lead KPIs, pipeline transparency

------------------------------------------------------------------------------
-- Pipeline transparency (src/pipeline/pipeline_hygiene.c), 1.3.0:
-- pipeline_hygiene_summary counts and sums open deals (or contacts) that
-- are stale, lack a next step or a close date, and how complete their
-- required fields are; mergeable per owner and stage by rollup().
------------------------------------------------------------------------------

CREATE TYPE pipeline_hygiene_summary;

CREATE FUNCTION pipeline_hygiene_summary_in(cstring) RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_out(pipeline_hygiene_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_recv(internal) RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_send(pipeline_hygiene_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE pipeline_hygiene_summary (
	INPUT = pipeline_hygiene_summary_in,
	OUTPUT = pipeline_hygiene_summary_out,
	RECEIVE = pipeline_hygiene_summary_recv,
	SEND = pipeline_hygiene_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE pipeline_hygiene_summary IS
	'summary of the hygiene of open deals or contacts: records and amounts that are stale, without a next step, without a close date, complete, and the records with each required field filled; read it with stale_deals(), completeness(), field_completeness() and the other hygiene accessors; its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION pipeline_hygiene_summary_in(cstring) IS 'text input of pipeline_hygiene_summary';
COMMENT ON FUNCTION pipeline_hygiene_summary_out(pipeline_hygiene_summary) IS 'text output of pipeline_hygiene_summary';
COMMENT ON FUNCTION pipeline_hygiene_summary_recv(internal) IS 'binary input of pipeline_hygiene_summary';
COMMENT ON FUNCTION pipeline_hygiene_summary_send(pipeline_hygiene_summary) IS 'binary output of pipeline_hygiene_summary';

CREATE FUNCTION pipeline_hygiene_summary_accum(pipeline_hygiene_summary, double precision,
		timestamptz, timestamptz, boolean, boolean, boolean[], timestamptz, integer)
	RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_accum_numeric(pipeline_hygiene_summary, numeric,
		timestamptz, timestamptz, boolean, boolean, boolean[], timestamptz, integer)
	RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_accum_fields(pipeline_hygiene_summary, boolean[])
	RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_combine(pipeline_hygiene_summary, pipeline_hygiene_summary)
	RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_final(pipeline_hygiene_summary) RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_hygiene_summary_accum(pipeline_hygiene_summary, double precision,
		timestamptz, timestamptz, boolean, boolean, boolean[], timestamptz, integer) IS
	'transition function of pipeline_hygiene_agg: adds one deal';
COMMENT ON FUNCTION pipeline_hygiene_summary_accum_numeric(pipeline_hygiene_summary, numeric,
		timestamptz, timestamptz, boolean, boolean, boolean[], timestamptz, integer) IS
	'transition function of pipeline_hygiene_agg over numeric amounts: adds one deal';
COMMENT ON FUNCTION pipeline_hygiene_summary_accum_fields(pipeline_hygiene_summary, boolean[]) IS
	'transition function of pipeline_hygiene_agg over required fields only: adds one record';
COMMENT ON FUNCTION pipeline_hygiene_summary_combine(pipeline_hygiene_summary, pipeline_hygiene_summary) IS
	'merges two pipeline hygiene summaries of the same fields, as_of and stale_days';
COMMENT ON FUNCTION pipeline_hygiene_summary_final(pipeline_hygiene_summary) IS
	'final function of pipeline_hygiene_agg and rollup(pipeline_hygiene_summary): the summary as stored, each amount one double';

CREATE AGGREGATE pipeline_hygiene_agg(amount double precision, last_activity_at timestamptz,
		stage_changed_at timestamptz, has_next_step boolean, has_close_date boolean,
		required_fields_filled boolean[], as_of timestamptz, stale_days integer) (
	SFUNC = pipeline_hygiene_summary_accum,
	STYPE = pipeline_hygiene_summary,
	INITCOND = '{"version":1,"records":0,"amount":0,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}',
	FINALFUNC = pipeline_hygiene_summary_final,
	COMBINEFUNC = pipeline_hygiene_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_hygiene_agg(amount numeric, last_activity_at timestamptz,
		stage_changed_at timestamptz, has_next_step boolean, has_close_date boolean,
		required_fields_filled boolean[], as_of timestamptz, stale_days integer) (
	SFUNC = pipeline_hygiene_summary_accum_numeric,
	STYPE = pipeline_hygiene_summary,
	INITCOND = '{"version":1,"records":0,"amount":0,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}',
	FINALFUNC = pipeline_hygiene_summary_final,
	COMBINEFUNC = pipeline_hygiene_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_hygiene_agg(required_fields_filled boolean[]) (
	SFUNC = pipeline_hygiene_summary_accum_fields,
	STYPE = pipeline_hygiene_summary,
	INITCOND = '{"version":1,"records":0,"amount":0,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}',
	FINALFUNC = pipeline_hygiene_summary_final,
	COMBINEFUNC = pipeline_hygiene_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(pipeline_hygiene_summary) (
	SFUNC = pipeline_hygiene_summary_combine,
	STYPE = pipeline_hygiene_summary,
	INITCOND = '{"version":1,"records":0,"amount":0,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}',
	FINALFUNC = pipeline_hygiene_summary_final,
	COMBINEFUNC = pipeline_hygiene_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_hygiene_agg(double precision, timestamptz, timestamptz, boolean, boolean,
		boolean[], timestamptz, integer) IS
	'pipeline hygiene summary of open deals: stale (neither activity nor stage change within stale_days days up to as_of; never touched counts as stale; as_of NULL: not measured), without a next step or a close date (NULL counts as without), complete (every element of required_fields_filled true; NULL elements count as not filled); NULL amounts count with no amount';
COMMENT ON AGGREGATE pipeline_hygiene_agg(numeric, timestamptz, timestamptz, boolean, boolean,
		boolean[], timestamptz, integer) IS
	'pipeline hygiene summary of open deals with numeric amounts, converted as numeric::float8 does';
COMMENT ON AGGREGATE pipeline_hygiene_agg(boolean[]) IS
	'record completeness of contacts or any records: the records with each required field filled and with all of them (staleness not measured, no amounts)';
COMMENT ON AGGREGATE rollup(pipeline_hygiene_summary) IS
	'merges pipeline hygiene summaries (per owner and stage into per owner, per team...); they must share their fields, as_of and stale_days';

CREATE FUNCTION hygiene_records(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_hygiene_records' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hygiene_amount(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_hygiene_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hygiene_as_of(pipeline_hygiene_summary) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'pipeline_hygiene_as_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hygiene_stale_days(pipeline_hygiene_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'pipeline_hygiene_stale_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stale_deals(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_stale_deals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stale_amount(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_stale_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stale_share(pipeline_hygiene_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'pipeline_stale_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION deals_without_next_step(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_deals_without_next_step' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION amount_without_next_step(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_amount_without_next_step' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION deals_without_close_date(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_deals_without_close_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION amount_without_close_date(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_amount_without_close_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION complete_records(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_complete_records' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION complete_amount(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_complete_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION completeness(pipeline_hygiene_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'pipeline_completeness' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION field_filled_counts(pipeline_hygiene_summary) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'pipeline_field_filled_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION field_completeness(s pipeline_hygiene_summary, field_names text[] DEFAULT NULL,
		OUT field integer, OUT name text, OUT filled proportion_summary)
	RETURNS SETOF record
	AS 'SELECT f.i::integer, $2[f.i::integer], proportion(f.c, hygiene_records($1))
		FROM unnest(field_filled_counts($1)) WITH ORDINALITY f(c, i) ORDER BY f.i'
	LANGUAGE sql IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION hygiene_records(pipeline_hygiene_summary) IS
	'records (open deals or contacts) in a pipeline hygiene summary';
COMMENT ON FUNCTION hygiene_amount(pipeline_hygiene_summary) IS
	'sum of the amounts of the records (NULL amounts count as none)';
COMMENT ON FUNCTION hygiene_as_of(pipeline_hygiene_summary) IS
	'the as_of at which staleness was measured; NULL if it was not';
COMMENT ON FUNCTION hygiene_stale_days(pipeline_hygiene_summary) IS
	'the stale_days of the summary''s staleness; NULL if it was not measured';
COMMENT ON FUNCTION stale_deals(pipeline_hygiene_summary) IS
	'deals with neither activity nor stage change within stale_days days up to as_of (never touched included); NULL if staleness was not measured';
COMMENT ON FUNCTION stale_amount(pipeline_hygiene_summary) IS
	'sum of the amounts of the stale deals; NULL if staleness was not measured';
COMMENT ON FUNCTION stale_share(pipeline_hygiene_summary) IS
	'stale deals of all deals as a proportion_summary, for rate() and rate_ci(); NULL if staleness was not measured';
COMMENT ON FUNCTION deals_without_next_step(pipeline_hygiene_summary) IS
	'deals whose has_next_step was false or NULL';
COMMENT ON FUNCTION amount_without_next_step(pipeline_hygiene_summary) IS
	'sum of the amounts of the deals without a next step';
COMMENT ON FUNCTION deals_without_close_date(pipeline_hygiene_summary) IS
	'deals whose has_close_date was false or NULL';
COMMENT ON FUNCTION amount_without_close_date(pipeline_hygiene_summary) IS
	'sum of the amounts of the deals without a close date';
COMMENT ON FUNCTION complete_records(pipeline_hygiene_summary) IS
	'records with every required field filled';
COMMENT ON FUNCTION complete_amount(pipeline_hygiene_summary) IS
	'sum of the amounts of the records with every required field filled';
COMMENT ON FUNCTION completeness(pipeline_hygiene_summary) IS
	'records with every required field filled, of all records, as a proportion_summary, for rate() and rate_ci()';
COMMENT ON FUNCTION field_filled_counts(pipeline_hygiene_summary) IS
	'records with each required field filled, in the order of required_fields_filled';
COMMENT ON FUNCTION field_completeness(pipeline_hygiene_summary, text[]) IS
	'one row per required field: its number, its name from field_names (NULL without), and its filled records of all records as a proportion_summary';

------------------------------------------------------------------------------
-- Lead KPIs (src/pipeline/pipeline_leads.c), 1.3.0: lead_summary holds the
-- leads of one source, the opportunities and wins among them, their speed
-- to lead and the activities per deal; mergeable by rollup().
------------------------------------------------------------------------------

CREATE TYPE lead_summary;

CREATE FUNCTION lead_summary_in(cstring) RETURNS lead_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_summary_out(lead_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_summary_recv(internal) RETURNS lead_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_summary_send(lead_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE lead_summary (
	INPUT = lead_summary_in,
	OUTPUT = lead_summary_out,
	RECEIVE = lead_summary_recv,
	SEND = lead_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE lead_summary IS
	'summary of leads: counts of leads, opportunities, wins and responded leads, the distribution of speed to lead and of activities per deal (exact up to 10000 distinct values, then 1 % buckets); read it with lead_to_opportunity(), median_speed_to_lead() and the other lead accessors; its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION lead_summary_in(cstring) IS 'text input of lead_summary';
COMMENT ON FUNCTION lead_summary_out(lead_summary) IS 'text output of lead_summary';
COMMENT ON FUNCTION lead_summary_recv(internal) IS 'binary input of lead_summary';
COMMENT ON FUNCTION lead_summary_send(lead_summary) IS 'binary output of lead_summary';

CREATE FUNCTION lead_summary_accum(lead_summary, timestamptz, timestamptz, boolean, boolean, integer)
	RETURNS lead_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION lead_summary_combine(lead_summary, lead_summary) RETURNS lead_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION lead_summary_accum(lead_summary, timestamptz, timestamptz, boolean, boolean, integer) IS
	'transition function of lead_agg: adds one lead';
COMMENT ON FUNCTION lead_summary_combine(lead_summary, lead_summary) IS
	'merges two lead summaries: counts added, distributions merged';

CREATE AGGREGATE lead_agg(created_at timestamptz, first_response_at timestamptz,
		became_opportunity boolean, won boolean, activities integer) (
	SFUNC = lead_summary_accum,
	STYPE = lead_summary,
	INITCOND = '{"version":1,"leads":0,"opportunities":0,"wins":0,"responded":0,"activity_deals":0,"activity_sum":0,"speed_to_lead":{"sketched":false,"values":[]},"activities":{"sketched":false,"values":[]}}',
	COMBINEFUNC = lead_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(lead_summary) (
	SFUNC = lead_summary_combine,
	STYPE = lead_summary,
	COMBINEFUNC = lead_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE lead_agg(timestamptz, timestamptz, boolean, boolean, integer) IS
	'lead summary of leads (created_at, first_response_at, became_opportunity, won, activities of the deal): NULL booleans are false, a won lead must be an opportunity; speed to lead = first_response_at - created_at over leads with both; activities (not negative) count for opportunities, NULL ones not at all';
COMMENT ON AGGREGATE rollup(lead_summary) IS
	'merges lead summaries (per source and month into per source, overall); NULL for no rows';

CREATE FUNCTION leads(lead_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'lead_leads' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION opportunities(lead_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'lead_opportunities' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION won_opportunities(lead_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'lead_won_opportunities' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION responded_leads(lead_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'lead_responded_leads' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_to_opportunity(lead_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'lead_lead_to_opportunity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION opportunity_to_win(lead_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'lead_opportunity_to_win' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_to_win(lead_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'lead_lead_to_win' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION response_rate(lead_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'lead_response_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_speed_to_lead(lead_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'lead_median_speed_to_lead' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION speed_to_lead_quantile(lead_summary, fraction double precision) RETURNS interval
	AS 'MODULE_PATHNAME', 'lead_speed_to_lead_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION speed_to_lead_is_exact(lead_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'lead_speed_to_lead_is_exact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_activities_per_deal(lead_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'lead_average_activities_per_deal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_activities_per_deal(lead_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'lead_median_activities_per_deal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION activities_per_deal_quantile(lead_summary, fraction double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'lead_activities_per_deal_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_per_lead(s lead_summary, spend numeric) RETURNS numeric
	AS 'SELECT $2 / nullif(leads($1), 0)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_per_opportunity(s lead_summary, spend numeric) RETURNS numeric
	AS 'SELECT $2 / nullif(opportunities($1), 0)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_per_win(s lead_summary, spend numeric) RETURNS numeric
	AS 'SELECT $2 / nullif(won_opportunities($1), 0)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION leads(lead_summary) IS 'leads in a lead summary';
COMMENT ON FUNCTION opportunities(lead_summary) IS 'leads that became opportunities';
COMMENT ON FUNCTION won_opportunities(lead_summary) IS 'opportunities won';
COMMENT ON FUNCTION responded_leads(lead_summary) IS 'leads with a first response (both times given)';
COMMENT ON FUNCTION lead_to_opportunity(lead_summary) IS
	'lead-to-opportunity rate: opportunities of leads, as a proportion_summary for rate(), rate_ci() and proportion_compare()';
COMMENT ON FUNCTION opportunity_to_win(lead_summary) IS
	'opportunity-to-win rate: won of opportunities, as a proportion_summary';
COMMENT ON FUNCTION lead_to_win(lead_summary) IS 'lead-to-win rate: won of leads, as a proportion_summary';
COMMENT ON FUNCTION response_rate(lead_summary) IS 'leads with a first response of all leads, as a proportion_summary';
COMMENT ON FUNCTION median_speed_to_lead(lead_summary) IS
	'median time from lead creation to first response, as percentile_cont(0.5): exact while speed_to_lead_is_exact, else within 1 %; NULL without responded leads';
COMMENT ON FUNCTION speed_to_lead_quantile(lead_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the time from lead creation to first response';
COMMENT ON FUNCTION speed_to_lead_is_exact(lead_summary) IS
	'whether the speed-to-lead distribution is exact (at most 10000 distinct response times)';
COMMENT ON FUNCTION average_activities_per_deal(lead_summary) IS
	'mean activities per opportunity (over opportunities with an activity count); NULL without one';
COMMENT ON FUNCTION median_activities_per_deal(lead_summary) IS
	'median activities per opportunity, as percentile_cont(0.5); NULL without one';
COMMENT ON FUNCTION activities_per_deal_quantile(lead_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the activities per opportunity';
COMMENT ON FUNCTION cost_per_lead(lead_summary, numeric) IS
	'cost per lead: spend / leads; NULL without leads';
COMMENT ON FUNCTION cost_per_opportunity(lead_summary, numeric) IS
	'cost per opportunity: spend / opportunities; NULL without opportunities';
COMMENT ON FUNCTION cost_per_win(lead_summary, numeric) IS
	'cost per won opportunity: spend / won opportunities; NULL without wins';

-- pipeline: changes between snapshots, slippage, forecast
------------------------------------------------------------------------------
-- Pipeline changes between two snapshots (a waterfall), slippage
--
-- pipeline_changes reads the FULL JOIN of two snapshots of the deals on the
-- deal id, one row per deal: (amount, close date, status) at snapshot A and at
-- snapshot B (all NULL where the deal is absent) and the period.  Its result
-- is the waterfall as an array of (category, deals, amount) rows: opening,
-- new, pulled_in, increased, decreased, pushed_out, moved_out, won, lost,
-- removed, closing; closing = opening + the sum of the changes' amounts.
------------------------------------------------------------------------------

CREATE TYPE pipeline_change AS (
	category text,
	deals bigint,
	amount numeric
);
CREATE DOMAIN pipeline_change_array AS pipeline_change[];

COMMENT ON TYPE pipeline_change IS
	'one step of a pipeline waterfall: category (opening, new, pulled_in, increased, decreased, pushed_out, moved_out, won, lost, removed, closing), its deals, and its amount (the pipeline at opening and closing, the signed change otherwise)';
COMMENT ON DOMAIN pipeline_change_array IS
	'pipeline_change[], the result of pipeline_changes: the waterfall in order';

CREATE FUNCTION pipeline_changes_state_accum(internal, numeric, date, text, numeric, date, text,
		date, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_changes_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_changes_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_changes_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_changes_final(internal) RETURNS pipeline_change_array
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_changes_state_accum(internal, numeric, date, text, numeric, date, text, date, date) IS
	'transition function of pipeline_changes: classifies one deal of the two snapshots';
COMMENT ON FUNCTION pipeline_changes_state_combine(internal, internal) IS
	'combine function of pipeline_changes';
COMMENT ON FUNCTION pipeline_changes_state_serialize(internal) IS
	'serializes the state of pipeline_changes';
COMMENT ON FUNCTION pipeline_changes_state_deserialize(bytea, internal) IS
	'deserializes the state of pipeline_changes';
COMMENT ON FUNCTION pipeline_changes_final(internal) IS
	'final function of pipeline_changes: the waterfall, every category in order';

CREATE AGGREGATE pipeline_changes(amount_a numeric, close_a date, status_a text,
		amount_b numeric, close_b date, status_b text, period_start date, period_end date) (
	SFUNC = pipeline_changes_state_accum,
	STYPE = internal,
	FINALFUNC = pipeline_changes_final,
	COMBINEFUNC = pipeline_changes_state_combine,
	SERIALFUNC = pipeline_changes_state_serialize,
	DESERIALFUNC = pipeline_changes_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_changes(numeric, date, text, numeric, date, text, date, date) IS
	'pipeline waterfall of a period between snapshots A and B, one row per deal of their FULL JOIN: (amount, close date, status open/won/lost) at A and at B, NULL status where the deal is absent; categories in the order won/lost, moved in/out of the period, amount change; closing = opening + the changes';

CREATE FUNCTION pipeline_waterfall(pipeline_change_array,
		OUT category text, OUT deals bigint, OUT amount numeric)
	RETURNS SETOF record
	AS 'SELECT c.category, c.deals, c.amount FROM unnest($1) c'
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION slipped_deals(pipeline_change_array) RETURNS bigint
	AS 'SELECT c.deals FROM unnest($1) c WHERE c.category = ''pushed_out'''
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION slipped_amount(pipeline_change_array) RETURNS numeric
	AS 'SELECT -c.amount FROM unnest($1) c WHERE c.category = ''pushed_out'''
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_waterfall(pipeline_change_array) IS
	'the rows of a pipeline_changes result: (category, deals, amount) in waterfall order';
COMMENT ON FUNCTION slipped_deals(pipeline_change_array) IS
	'slippage: deals of the opening pipeline still open at snapshot B with a close date after the period end (the pushed_out step)';
COMMENT ON FUNCTION slipped_amount(pipeline_change_array) IS
	'slippage: the opening amount (at snapshot A) of the deals whose close date moved past the period end, a positive number';

-- Stored waterfalls merge: the categories' deals and amounts add up
CREATE FUNCTION pipeline_changes_state_combine_array(pipeline_change_array, pipeline_change_array)
	RETURNS pipeline_change_array
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_changes_state_combine_array(pipeline_change_array, pipeline_change_array) IS
	'transition and combine function of rollup(pipeline_change_array): adds the deals and amounts of each category';

CREATE AGGREGATE rollup(pipeline_change_array) (
	SFUNC = pipeline_changes_state_combine_array,
	STYPE = pipeline_change_array,
	COMBINEFUNC = pipeline_changes_state_combine_array,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(pipeline_change_array) IS
	'merges the waterfalls of disjoint sets of deals (per team, per shard) of one period and pair of snapshots: the waterfall of all of them';

-- Forecast of the open pipeline: stage-to-won rates from the stage
-- conversion matrix, and the expected won amount with an interval.

CREATE FUNCTION stage_win_rates(stage_conversion_array, won_stage text DEFAULT 'won',
		lost_stage text DEFAULT 'lost',
		OUT stage text, OUT win_rate double precision, OUT deals bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION stage_win_rates(stage_conversion_array, text, text) IS
	'historical stage-to-won rates of a stage_conversions matrix: per stage, the probability that a deal in it ends in won_stage rather than lost_stage (the product of the stage-to-stage rates along a funnel; the absorption probability with skips and loops), and the deals that left the stage (the sample behind its rates); NULL rate when no outcome follows the stage';

CREATE TYPE pipeline_forecast_estimate AS (
	deals bigint,
	pipeline double precision,
	weighted double precision,
	expected double precision,
	std_error double precision,
	lower double precision,
	upper double precision,
	deals_without_rate bigint
);

COMMENT ON TYPE pipeline_forecast_estimate IS
	'result of pipeline_forecast: open deals, their amount, the probability-weighted pipeline, the expected won amount by the stages'' historical win rates, its standard error from the deals'' outcomes and the rates'' uncertainty, the 95 % interval (normal approximation, clipped to 0 .. pipeline), and the deals without a win rate (left out of expected)';

CREATE FUNCTION pipeline_forecast_state_accum(internal, numeric, double precision, text,
		double precision, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_forecast_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_forecast_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_forecast_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_forecast_final(internal) RETURNS pipeline_forecast_estimate
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_forecast_state_accum(internal, numeric, double precision, text, double precision, bigint) IS
	'transition function of pipeline_forecast: adds one open deal';
COMMENT ON FUNCTION pipeline_forecast_state_combine(internal, internal) IS
	'combine function of pipeline_forecast';
COMMENT ON FUNCTION pipeline_forecast_state_serialize(internal) IS
	'serializes the state of pipeline_forecast';
COMMENT ON FUNCTION pipeline_forecast_state_deserialize(bytea, internal) IS
	'deserializes the state of pipeline_forecast';
COMMENT ON FUNCTION pipeline_forecast_final(internal) IS
	'final function of pipeline_forecast: the estimate';

CREATE AGGREGATE pipeline_forecast(amount numeric, probability double precision, stage text,
		win_rate double precision, rate_deals bigint) (
	SFUNC = pipeline_forecast_state_accum,
	STYPE = internal,
	FINALFUNC = pipeline_forecast_final,
	COMBINEFUNC = pipeline_forecast_state_combine,
	SERIALFUNC = pipeline_forecast_state_serialize,
	DESERIALFUNC = pipeline_forecast_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_forecast(numeric, double precision, text, double precision, bigint) IS
	'forecast of open deals (amount, stage probability, stage, the stage''s historical win rate and the deals behind it, as stage_win_rates gives them): weighted pipeline, expected won amount and its 95 % interval, each deal a Bernoulli of its stage''s rate, the rate uncertain with variance rate (1 - rate) / (deals + 2), shared by its stage; an estimate';

-- pipeline: new customers per period
-- New customers per period (src/pipeline/new_customers.c, new_customers_io.c),
-- 1.3.0: the customers whose first purchase (or first won deal) falls in
-- each calendar period, with the cohort's quality next to the count.  The
-- summary keeps every purchase (a customer's first purchase may be in
-- another worker's rows, another day's summary or another shard), so that
-- summaries merge exactly with rollup().

CREATE TYPE new_customers_summary;

CREATE FUNCTION new_customers_summary_in(cstring) RETURNS new_customers_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_out(new_customers_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_recv(internal) RETURNS new_customers_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_send(new_customers_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE new_customers_summary (
	INPUT = new_customers_summary_in,
	OUTPUT = new_customers_summary_out,
	RECEIVE = new_customers_summary_recv,
	SEND = new_customers_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE new_customers_summary IS
	'the purchases (customer, time, net revenue) of a set of rows, with the calendar period, first-days window and time zone new customers are counted in; merge summaries with rollup(), read it with new_customers(); its text form is JSON';
COMMENT ON FUNCTION new_customers_summary_in(cstring) IS 'text input of new_customers_summary';
COMMENT ON FUNCTION new_customers_summary_out(new_customers_summary) IS 'text output of new_customers_summary';
COMMENT ON FUNCTION new_customers_summary_recv(internal) IS 'binary input of new_customers_summary';
COMMENT ON FUNCTION new_customers_summary_send(new_customers_summary) IS 'binary output of new_customers_summary';

CREATE TYPE new_customer_cohort AS (
	period_start timestamptz,
	new_customers bigint,
	repeat_customers bigint,
	early_retention double precision,
	first_days_revenue numeric,
	revenue_per_new_customer numeric,
	net_revenue numeric
);

COMMENT ON TYPE new_customer_cohort IS
	'new customers of one period: count, those who bought again within their first N days and their share (early retention), net revenue of their first N days and per new customer, and their net revenue in all the rows summarised';

CREATE FUNCTION new_customers_summary_accum(new_customers_summary, bigint, timestamptz, numeric, interval, integer)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, bigint, timestamptz, numeric, interval, integer, kpi_text)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, uuid, timestamptz, numeric, interval, integer)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, uuid, timestamptz, numeric, interval, integer, kpi_text)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, text, timestamptz, numeric, interval, integer)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, text, timestamptz, numeric, interval, integer, kpi_text)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_combine(new_customers_summary, new_customers_summary)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, bigint, timestamptz, numeric, interval, integer) IS
	'transition function of new_customers_agg (periods in the session time zone, recorded by name): keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, bigint, timestamptz, numeric, interval, integer, kpi_text) IS
	'transition function of new_customers_agg with a time zone: keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, uuid, timestamptz, numeric, interval, integer) IS
	'transition function of new_customers_agg over uuid customer ids (session time zone): keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, uuid, timestamptz, numeric, interval, integer, kpi_text) IS
	'transition function of new_customers_agg over uuid customer ids with a time zone: keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, text, timestamptz, numeric, interval, integer) IS
	'transition function of new_customers_agg over text customer ids (session time zone): keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, text, timestamptz, numeric, interval, integer, kpi_text) IS
	'transition function of new_customers_agg over text customer ids with a time zone: keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_combine(new_customers_summary, new_customers_summary) IS
	'merges two new customers summaries with the same period, first days and time zone (the union of their purchases): combine function of new_customers_agg, transition and combine function of rollup(new_customers_summary)';

CREATE AGGREGATE new_customers_agg(customer bigint, at timestamptz, net_revenue numeric,
		period interval, first_days integer) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer bigint, at timestamptz, net_revenue numeric,
		period interval, first_days integer, time_zone kpi_text) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer uuid, at timestamptz, net_revenue numeric,
		period interval, first_days integer) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer uuid, at timestamptz, net_revenue numeric,
		period interval, first_days integer, time_zone kpi_text) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer text, at timestamptz, net_revenue numeric,
		period interval, first_days integer) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer text, at timestamptz, net_revenue numeric,
		period interval, first_days integer, time_zone kpi_text) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rollup(new_customers_summary) (
	SFUNC = new_customers_summary_combine,
	STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE new_customers_agg(bigint, timestamptz, numeric, interval, integer) IS
	'new customers summary of purchases: new customers counted per calendar period (1 day, 7 days, 1 month, 3 months or 1 year, in the session time zone, recorded by name) of their first purchase, their quality over their first first_days days; rows with a NULL customer or time are skipped; NULL for no rows';
COMMENT ON AGGREGATE new_customers_agg(bigint, timestamptz, numeric, interval, integer, kpi_text) IS
	'new customers summary with its periods counted in time_zone (an IANA name such as ''Europe/Paris'')';
COMMENT ON AGGREGATE new_customers_agg(uuid, timestamptz, numeric, interval, integer) IS
	'new customers summary of purchases of uuid customer ids (session time zone)';
COMMENT ON AGGREGATE new_customers_agg(uuid, timestamptz, numeric, interval, integer, kpi_text) IS
	'new customers summary of purchases of uuid customer ids, periods counted in time_zone';
COMMENT ON AGGREGATE new_customers_agg(text, timestamptz, numeric, interval, integer) IS
	'new customers summary of purchases of text customer ids (session time zone)';
COMMENT ON AGGREGATE new_customers_agg(text, timestamptz, numeric, interval, integer, kpi_text) IS
	'new customers summary of purchases of text customer ids, periods counted in time_zone';
COMMENT ON AGGREGATE rollup(new_customers_summary) IS
	'merges new customers summaries with the same period, first days and time zone: the union of their purchases (a customer''s first purchase may be in any of them)';

CREATE FUNCTION new_customer_cohorts(new_customers_summary) RETURNS new_customer_cohort[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- the same as rows, for BI tools and analysts who select from a function
CREATE FUNCTION new_customers(new_customers_summary) RETURNS SETOF new_customer_cohort
	AS 'SELECT c.* FROM unnest(new_customer_cohorts($1)) c'
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION acquisition_efficiency(cohort new_customer_cohort, spend numeric,
		OUT cac numeric, OUT spend_per_first_days_revenue numeric,
		OUT spend_per_net_revenue numeric)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION new_customer_cohorts(new_customers_summary) IS
	'new customers per period of a summary, one new_customer_cohort per period that has one, in period order';
COMMENT ON FUNCTION new_customers(new_customers_summary) IS
	'the rows of new_customer_cohorts(): (period_start, new_customers, repeat_customers, early_retention, first_days_revenue, revenue_per_new_customer, net_revenue), in period order';
COMMENT ON FUNCTION acquisition_efficiency(new_customer_cohort, numeric) IS
	'acquisition spend of a new-customer cohort''s period against the cohort: CAC (spend / new customers) and spend per unit of the cohort''s first-N-days and net revenue; NULL where the denominator is 0';

-- clv: L2 penalizer, holdout for Pareto/NBD

-- 1.3.0: holdout_agg over Pareto/NBD models, by the Pareto/NBD conditional
-- expectation (the same summary, calibration table and tracking).
CREATE FUNCTION holdout_summary_accum_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary, bigint,
	double precision) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION holdout_summary_accum_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary, bigint, double precision) IS
	'adds one customer: the actual holdout purchases and the Pareto/NBD conditional expectation over holdout_length (transition function of holdout_agg)';
CREATE AGGREGATE holdout_agg(model pareto_nbd_model, calibration rfm_summary, holdout_purchases bigint,
							 holdout_length double precision) (
	SFUNC = holdout_summary_accum_pareto_nbd,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE holdout_agg(pareto_nbd_model, rfm_summary, bigint, double precision) IS
	'holdout summary of customers under a Pareto/NBD model: per calibration frequency, the customers, their actual holdout purchases and the model''s expected ones over holdout_length; rows with a NULL skipped';
CREATE FUNCTION holdout_summary_accum_times_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary,
	double precision[], double precision, integer) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION holdout_summary_accum_times_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary, double precision[], double precision, integer) IS
	'adds one customer: the holdout purchase times within periods x period_length, per period, and the Pareto/NBD cumulative expectation at the end of each period (transition function of holdout_agg)';
CREATE AGGREGATE holdout_agg(model pareto_nbd_model, calibration rfm_summary, holdout_times double precision[],
							 period_length double precision, periods integer) (
	SFUNC = holdout_summary_accum_times_pareto_nbd,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE holdout_agg(pareto_nbd_model, rfm_summary, double precision[], double precision, integer) IS
	'holdout summary tracked by period under a Pareto/NBD model: holdout_agg over the purchase times (offsets from the calibration end) within periods x period_length, with each period''s purchases and cumulative expectation; rows with a NULL skipped';

-- 1.3.0: the optional L2 penalizer of lifetimes' penalizer_coef: c times the
-- sum of the squared parameters added to the mean negative log-likelihood
-- (c N sum p^2 on the total), c the same on every row.  The BG/BB form takes
-- the customers per cell too (customers = 1 for one row per customer): a
-- four-argument (frequency, recency, periods, penalizer) form would capture
-- calls of bgbb_fit(..., customers) with an integer count.
CREATE FUNCTION clv_fit_state_accum_bgnbd_penalized(internal, rfm_summary, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_state_accum_gamma_gamma_penalized(internal, rfm_summary, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_accum_weighted_penalized(internal, bigint, bigint, bigint, bigint,
	double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clv_fit_state_accum_bgnbd_penalized(internal, rfm_summary, double precision) IS
	'transition function of the penalized bgnbd_fit, pareto_nbd_fit and their _std_errors';
COMMENT ON FUNCTION clv_fit_state_accum_gamma_gamma_penalized(internal, rfm_summary, double precision) IS
	'transition function of the penalized gamma_gamma_fit and gamma_gamma_std_errors';
COMMENT ON FUNCTION bgbb_fit_state_accum_weighted_penalized(internal, bigint, bigint, bigint, bigint, double precision) IS
	'transition function of the penalized bgbb_fit and bgbb_std_errors';

CREATE AGGREGATE bgnbd_fit(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_bgnbd_penalized,
	STYPE = internal,
	FINALFUNC = bgnbd_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgnbd_std_errors(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_bgnbd_penalized,
	STYPE = internal,
	FINALFUNC = bgnbd_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_fit(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_bgnbd_penalized,
	STYPE = internal,
	FINALFUNC = pareto_nbd_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_std_errors(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_bgnbd_penalized,
	STYPE = internal,
	FINALFUNC = pareto_nbd_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_fit(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_gamma_gamma_penalized,
	STYPE = internal,
	FINALFUNC = gamma_gamma_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_std_errors(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_gamma_gamma_penalized,
	STYPE = internal,
	FINALFUNC = gamma_gamma_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_fit(frequency bigint, recency bigint, periods bigint, customers bigint,
						  penalizer double precision) (
	SFUNC = bgbb_fit_state_accum_weighted_penalized,
	STYPE = internal,
	FINALFUNC = bgbb_fit_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_std_errors(frequency bigint, recency bigint, periods bigint, customers bigint,
								 penalizer double precision) (
	SFUNC = bgbb_fit_state_accum_weighted_penalized,
	STYPE = internal,
	FINALFUNC = bgbb_std_errors_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_fit(rfm_summary, double precision) IS
	'BG/NBD fit maximising the log-likelihood minus penalizer x customers x (r^2 + alpha^2 + a^2 + b^2) (lifetimes'' penalizer_coef); the model''s log_likelihood is the unpenalized one; NULL for no customers';
COMMENT ON AGGREGATE bgnbd_std_errors(rfm_summary, double precision) IS
	'standard errors of the penalized bgnbd_fit over the same rows, from the Hessian of the penalized objective; NULL elements when the fit did not converge or has no strict maximum';
COMMENT ON AGGREGATE pareto_nbd_fit(rfm_summary, double precision) IS
	'Pareto/NBD fit maximising the log-likelihood minus penalizer x customers x (r^2 + alpha^2 + s^2 + beta^2) (lifetimes'' penalizer_coef); the model''s log_likelihood is the unpenalized one; NULL for no customers';
COMMENT ON AGGREGATE pareto_nbd_std_errors(rfm_summary, double precision) IS
	'standard errors of the penalized pareto_nbd_fit over the same rows, from the Hessian of the penalized objective; NULL elements when the fit did not converge or has no strict maximum';
COMMENT ON AGGREGATE gamma_gamma_fit(rfm_summary, double precision) IS
	'Gamma-Gamma fit maximising the log-likelihood minus penalizer x repeat buyers x (p^2 + q^2 + gamma^2) (lifetimes'' penalizer_coef); the model''s log_likelihood is the unpenalized one; NULL when there is no repeat buyer';
COMMENT ON AGGREGATE gamma_gamma_std_errors(rfm_summary, double precision) IS
	'standard errors of the penalized gamma_gamma_fit over the same rows, from the Hessian of the penalized objective; NULL elements when the fit did not converge or has no strict maximum';
COMMENT ON AGGREGATE bgbb_fit(bigint, bigint, bigint, bigint, double precision) IS
	'BG/BB fit over (frequency, recency, periods) cells with their customers, maximising the log-likelihood minus penalizer x customers x (alpha^2 + beta^2 + gamma^2 + delta^2) (lifetimes'' penalizer_coef); the model''s log_likelihood is the unpenalized one; NULL for no customers';
COMMENT ON AGGREGATE bgbb_std_errors(bigint, bigint, bigint, bigint, double precision) IS
	'standard errors of the penalized bgbb_fit over the same cells, from the Hessian of the penalized objective; NULL elements when the fit did not converge or has no strict maximum';

-- clv: holdout tracking over the calibration period
-- 1.3.0: holdout_agg tracked over the calibration period too (BTYD's
-- bgnbd.PlotTrackingCum): each customer's calibration repeat-purchase times
-- as well, and per period (calibration periods 1 - C .. 0, holdout periods
-- 1 .. P) the repeat purchases and the unconditional cumulative expectation.
CREATE FUNCTION holdout_summary_accum_tracked(holdout_summary, bgnbd_model, rfm_summary,
	double precision[], double precision[], double precision, integer, integer) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_accum_tracked_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary,
	double precision[], double precision[], double precision, integer, integer) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION holdout_summary_accum_tracked(holdout_summary, bgnbd_model, rfm_summary, double precision[], double precision[], double precision, integer, integer) IS
	'adds one customer: the calibration and holdout repeat-purchase times per period, and the BG/NBD unconditional cumulative expectation at the end of each period (transition function of holdout_agg)';
COMMENT ON FUNCTION holdout_summary_accum_tracked_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary, double precision[], double precision[], double precision, integer, integer) IS
	'adds one customer: the calibration and holdout repeat-purchase times per period, and the Pareto/NBD unconditional cumulative expectation at the end of each period (transition function of holdout_agg)';
CREATE AGGREGATE holdout_agg(model bgnbd_model, calibration rfm_summary, calibration_times double precision[],
							 holdout_times double precision[], period_length double precision,
							 calibration_periods integer, periods integer) (
	SFUNC = holdout_summary_accum_tracked,
	STYPE = holdout_summary,
	INITCOND = '{"version":2,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE holdout_agg(model pareto_nbd_model, calibration rfm_summary, calibration_times double precision[],
							 holdout_times double precision[], period_length double precision,
							 calibration_periods integer, periods integer) (
	SFUNC = holdout_summary_accum_tracked_pareto_nbd,
	STYPE = holdout_summary,
	INITCOND = '{"version":2,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE holdout_agg(bgnbd_model, rfm_summary, double precision[], double precision[], double precision, integer, integer) IS
	'holdout summary tracked over calibration_periods before and periods after the calibration end: per period the repeat purchases (calibration times in [-T, 0], holdout times > 0) and the BG/NBD unconditional cumulative expectation since the span''s start (BTYD''s PlotTrackingCum); rows with a NULL skipped';
COMMENT ON AGGREGATE holdout_agg(pareto_nbd_model, rfm_summary, double precision[], double precision[], double precision, integer, integer) IS
	'holdout summary tracked over calibration_periods before and periods after the calibration end: per period the repeat purchases (calibration times in [-T, 0], holdout times > 0) and the Pareto/NBD unconditional cumulative expectation since the span''s start (BTYD''s PlotTrackingCum); rows with a NULL skipped';
COMMENT ON FUNCTION holdout_tracking(holdout_summary) IS
	'per tracked period the actual and expected purchases, each also cumulated: holdout periods 1 .. P from the calibration end (conditional expectation), or calibration periods 1 - C .. 0 first and the unconditional expectation from the span''s start (BTYD''s tracking plots)';

-- conversion: funnel time to convert
-- Time to convert (funnel_time.c): the two-step funnel between any two steps
-- of the paths, its times as a histogram (PostHog's time-to-convert bins, or
-- bins of a given width aligned at 0) and the share converted within a time.
CREATE FUNCTION funnel_summary_accum_pair(funnel_summary, timestamptz[], integer, integer) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION funnel_summary_accum_pair(funnel_summary, timestamptz[], integer, integer) IS
	'transition function of funnel_agg(path, from_step, to_step): adds one entity''s funnel_path as the two-step funnel from_step -> to_step';
CREATE AGGREGATE funnel_agg(path timestamptz[], from_step integer, to_step integer) (
	SFUNC = funnel_summary_accum_pair,
	STYPE = funnel_summary,
	COMBINEFUNC = funnel_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_agg(timestamptz[], integer, integer) IS
	'two-step funnel summary from_step -> to_step over entities from their funnel_path results (NULL paths skipped): step 2''s times are the times between the two steps, exact up to 10000';
CREATE FUNCTION funnel_time_histogram(funnel_summary, step integer, bins integer DEFAULT NULL,
		OUT bin integer, OUT lower interval, OUT upper interval, OUT entities bigint,
		OUT share double precision, OUT cumulative_share double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 10;
CREATE FUNCTION funnel_time_histogram(funnel_summary, step integer, bin_width interval,
		OUT bin integer, OUT lower interval, OUT upper interval, OUT entities bigint,
		OUT share double precision, OUT cumulative_share double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
CREATE FUNCTION funnel_converted_within(funnel_summary, step integer, within interval) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION funnel_time_histogram(funnel_summary, integer, integer) IS
	'times from the previous step to the given step (2..N) as PostHog''s time-to-convert histogram: bins (1..90; NULL: ceil(cbrt(times)) up to 60) + 1 half-open bins of whole seconds from the shortest time; exact while funnel_time_is_exact, else each log bucket by its value (within 1 %)';
COMMENT ON FUNCTION funnel_time_histogram(funnel_summary, integer, interval) IS
	'times from the previous step to the given step (2..N) in half-open bins of the given width (no months) aligned at 0, from the shortest to the longest time; exact while funnel_time_is_exact, else each log bucket by its value (within 1 %)';
COMMENT ON FUNCTION funnel_converted_within(funnel_summary, integer, interval) IS
	'entities that reached the given step (2..N) at most within after the previous step, of those that reached the previous step, as a proportion summary; exact while funnel_time_is_exact, else by log bucket value (within 1 %)';
-- conversion: unordered funnels
-- 1.3.0: mode 'unordered' of window_funnel and funnel_path (PostHog's
-- unordered funnels: the steps in any order within the window); the same
-- aggregates, whose comments now name it.
COMMENT ON AGGREGATE window_funnel(interval, kpi_text, timestamptz, VARIADIC "any") IS
	'window_funnel with ClickHouse modes: strict_order, strict_deduplication, strict_increase, strict_once, allow_reentry (with strict_order); or unordered (alone, as PostHog): the most distinct steps within one window';
COMMENT ON AGGREGATE funnel_path(interval, kpi_text, timestamptz, boolean, VARIADIC "any") IS
	'timestamps of the steps reached by the first chain reaching the deepest step (NULL beyond it); exclusion events end chains in progress; mode unordered: the times of the first, second, ... step completed in the earliest window with the most';
-- conversion: funnel breakdowns
-- Funnel breakdowns per entity (GROUP BY user_id): funnel_breakdown, the
-- property value a funnel broken down by an event property attributes the
-- entity to (PostHog's first_touch, last_touch, step_N).  Same state as
-- funnel_path, with each event's property; same combine, serialize and
-- deserialize functions.
CREATE FUNCTION funnel_state_accum_breakdown(internal, interval, text, text, timestamptz, text, boolean,
		VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION funnel_breakdown_final(internal) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION funnel_state_accum_breakdown(internal, interval, text, text, timestamptz, text, boolean, VARIADIC "any") IS
	'transition function of funnel_breakdown(window, mode, attribution, ts, property, exclude, VARIADIC steps): collects the entity''s events and their properties';
COMMENT ON FUNCTION funnel_breakdown_final(internal) IS
	'final function of funnel_breakdown: the property value attributed to the entity''s funnel';
CREATE AGGREGATE funnel_breakdown(conversion_window interval, mode kpi_text, attribution kpi_text,
		ts timestamptz, property text, exclude boolean, VARIADIC steps "any") (
	SFUNC = funnel_state_accum_breakdown,
	STYPE = internal,
	FINALFUNC = funnel_breakdown_final,
	COMBINEFUNC = funnel_state_combine,
	SERIALFUNC = funnel_state_serialize,
	DESERIALFUNC = funnel_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_breakdown(interval, kpi_text, kpi_text, timestamptz, text, boolean, VARIADIC "any") IS
	'property value attributed to the entity''s funnel, as PostHog: first_touch / last_touch (the earliest / latest step event with a non-NULL value) or step_N (the event funnel_path''s chain took step N with; NULL if not reached)';
