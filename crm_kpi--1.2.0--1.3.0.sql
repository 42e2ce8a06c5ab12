/* crm_kpi--1.2.0--1.3.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.3.0'" to load this file. \quit

-- 1.3.0: analysts' tables as they come (issue 13).  Each change below is also
-- made in its family's fragment (src/<family>/<family>.sql); test/run checks
-- that every upgrade path gives the objects of a fresh install.  Sections are
-- by family, in the order of the Makefile's FAMILIES.

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
