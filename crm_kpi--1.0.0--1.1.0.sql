/* crm_kpi--1.0.0--1.1.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.1.0'" to load this file. \quit

-- 1.1.0 adds KPI families; it changes nothing of 1.0.0.  Every section here is
-- also, word for word, at the end of crm_kpi--1.1.0.sql.

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
