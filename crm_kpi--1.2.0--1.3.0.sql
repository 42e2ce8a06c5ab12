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

