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
