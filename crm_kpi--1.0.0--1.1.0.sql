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

-- Funnels per entity (GROUP BY user_id): window_funnel, funnel_path.
-- The state is internal (the entity's events), shipped between parallel
-- workers by funnel_serialize.
CREATE FUNCTION funnel_accum(internal, interval, timestamptz, boolean[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_accum(internal, interval, text, timestamptz, boolean[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_accum(internal, interval, text, timestamptz, boolean, boolean[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
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

COMMENT ON FUNCTION funnel_accum(internal, interval, timestamptz, boolean[]) IS
	'transition function of window_funnel(window, ts, VARIADIC steps): collects the entity''s events';
COMMENT ON FUNCTION funnel_accum(internal, interval, text, timestamptz, boolean[]) IS
	'transition function of window_funnel(window, mode, ts, VARIADIC steps)';
COMMENT ON FUNCTION funnel_accum(internal, interval, text, timestamptz, boolean, boolean[]) IS
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

CREATE AGGREGATE window_funnel(conversion_window interval, ts timestamptz, VARIADIC steps boolean[]) (
	SFUNC = funnel_accum,
	STYPE = internal,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serialize,
	DESERIALFUNC = funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel(conversion_window interval, mode text, ts timestamptz, VARIADIC steps boolean[]) (
	SFUNC = funnel_accum,
	STYPE = internal,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serialize,
	DESERIALFUNC = funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE funnel_path(conversion_window interval, mode text, ts timestamptz, exclude boolean,
		VARIADIC steps boolean[]) (
	SFUNC = funnel_accum,
	STYPE = internal,
	FINALFUNC = funnel_path_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serialize,
	DESERIALFUNC = funnel_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamptz, VARIADIC boolean[]) IS
	'deepest step (0..N) of an ordered funnel reached within the window from step 1, as ClickHouse windowFunnel';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC boolean[]) IS
	'window_funnel with ClickHouse modes: strict_order, strict_deduplication, strict_increase, strict_once';
COMMENT ON AGGREGATE funnel_path(interval, text, timestamptz, boolean, VARIADIC boolean[]) IS
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

CREATE FUNCTION activity_accum(internal, bigint, date, date, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION activity_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION activity_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION activity_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION active_users_final(internal) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_dau_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dau_mau_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION activity_accum(internal, bigint, date, date, date) IS
	'transition function of the activity aggregates: marks a user active on a day of the period';
COMMENT ON FUNCTION activity_combine(internal, internal) IS
	'combine function of the activity aggregates: ORs the users'' day bitmaps';
COMMENT ON FUNCTION activity_serialize(internal) IS 'serializes the state of the activity aggregates';
COMMENT ON FUNCTION activity_deserialize(bytea, internal) IS 'deserializes the state of the activity aggregates';
COMMENT ON FUNCTION active_users_final(internal) IS 'final function of active_users';
COMMENT ON FUNCTION average_dau_final(internal) IS 'final function of average_dau';
COMMENT ON FUNCTION dau_mau_final(internal) IS 'final function of dau_mau';

CREATE AGGREGATE active_users(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = activity_accum,
	STYPE = internal,
	FINALFUNC = active_users_final,
	COMBINEFUNC = activity_combine,
	SERIALFUNC = activity_serialize,
	DESERIALFUNC = activity_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE average_dau(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = activity_accum,
	STYPE = internal,
	FINALFUNC = average_dau_final,
	COMBINEFUNC = activity_combine,
	SERIALFUNC = activity_serialize,
	DESERIALFUNC = activity_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE dau_mau(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = activity_accum,
	STYPE = internal,
	FINALFUNC = dau_mau_final,
	COMBINEFUNC = activity_combine,
	SERIALFUNC = activity_serialize,
	DESERIALFUNC = activity_deserialize,
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
