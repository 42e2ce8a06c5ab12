------------------------------------------------------------------------------
-- Conversion: rates and ordered funnels.  src/conversion/
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
CREATE FUNCTION proportion_summary_accum(proportion_summary, boolean) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_summary_deaccum(proportion_summary, boolean) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_summary_accum_counts(proportion_summary, bigint, bigint) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_summary_deaccum_counts(proportion_summary, bigint, bigint) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_summary_combine(proportion_summary, proportion_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION proportion_summary_uncombine(proportion_summary, proportion_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION proportion_summary_accum(proportion_summary, boolean) IS
	'transition function of conversion_rate and proportion_agg: counts one trial, a success when true';
COMMENT ON FUNCTION proportion_summary_deaccum(proportion_summary, boolean) IS
	'inverse transition function of conversion_rate and proportion_agg (moving windows)';
COMMENT ON FUNCTION proportion_summary_accum_counts(proportion_summary, bigint, bigint) IS
	'transition function of proportion_agg(successes, trials): adds pre-aggregated counts';
COMMENT ON FUNCTION proportion_summary_deaccum_counts(proportion_summary, bigint, bigint) IS
	'inverse transition function of proportion_agg(successes, trials) (moving windows)';
COMMENT ON FUNCTION proportion_summary_combine(proportion_summary, proportion_summary) IS
	'adds two proportion summaries (combine function; transition function of rollup)';
COMMENT ON FUNCTION proportion_summary_uncombine(proportion_summary, proportion_summary) IS
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

-- The bounds of rate_ci as scalars (<accessor>_lower / <accessor>_upper), for
-- BI tools that read columns, not records
CREATE FUNCTION rate_lower(proportion_summary, level double precision DEFAULT 0.95) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_upper(proportion_summary, level double precision DEFAULT 0.95) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rate_lower(proportion_summary, double precision) IS
	'lower bound of rate_ci: the Wilson score interval of the rate at the given confidence level (default 0.95); NULL when there are no trials';
COMMENT ON FUNCTION rate_upper(proportion_summary, double precision) IS
	'upper bound of rate_ci: the Wilson score interval of the rate at the given confidence level (default 0.95); NULL when there are no trials';

-- Aggregates
CREATE AGGREGATE conversion_rate(boolean) (
	SFUNC = proportion_summary_accum,
	STYPE = proportion_summary,
	FINALFUNC = rate,
	INITCOND = '{"version":1,"successes":0,"trials":0}',
	COMBINEFUNC = proportion_summary_combine,
	MSFUNC = proportion_summary_accum,
	MINVFUNC = proportion_summary_deaccum,
	MSTYPE = proportion_summary,
	MFINALFUNC = rate,
	MINITCOND = '{"version":1,"successes":0,"trials":0}',
	PARALLEL = SAFE
);
CREATE AGGREGATE proportion_agg(boolean) (
	SFUNC = proportion_summary_accum,
	STYPE = proportion_summary,
	INITCOND = '{"version":1,"successes":0,"trials":0}',
	COMBINEFUNC = proportion_summary_combine,
	MSFUNC = proportion_summary_accum,
	MINVFUNC = proportion_summary_deaccum,
	MSTYPE = proportion_summary,
	MINITCOND = '{"version":1,"successes":0,"trials":0}',
	PARALLEL = SAFE
);
CREATE AGGREGATE proportion_agg(successes bigint, trials bigint) (
	SFUNC = proportion_summary_accum_counts,
	STYPE = proportion_summary,
	INITCOND = '{"version":1,"successes":0,"trials":0}',
	COMBINEFUNC = proportion_summary_combine,
	MSFUNC = proportion_summary_accum_counts,
	MINVFUNC = proportion_summary_deaccum_counts,
	MSTYPE = proportion_summary,
	MINITCOND = '{"version":1,"successes":0,"trials":0}',
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(proportion_summary) (
	SFUNC = proportion_summary_combine,
	STYPE = proportion_summary,
	INITCOND = '{"version":1,"successes":0,"trials":0}',
	COMBINEFUNC = proportion_summary_combine,
	MSFUNC = proportion_summary_combine,
	MINVFUNC = proportion_summary_uncombine,
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

-- kpi_text: text without a collation, the type of the aggregates' option
-- arguments (a funnel's mode, a retention curve's mode and alignment).  A
-- text literal gives a call the default collation, and postgres_fdw ships an
-- aggregate to a remote server only if the collation of its inputs comes from
-- a column of the foreign table; a kpi_text literal has none, so the call
-- ships.  It is stored as text, read and written by text's own functions (as
-- contrib's citext is), and casts to and from text implicitly and for free,
-- so text values, and views made before 1.2.0, work unchanged.
CREATE TYPE kpi_text;

CREATE FUNCTION kpi_text_in(cstring) RETURNS kpi_text
	AS 'textin' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_text_out(kpi_text) RETURNS cstring
	AS 'textout' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_text_recv(internal) RETURNS kpi_text
	AS 'textrecv' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_text_send(kpi_text) RETURNS bytea
	AS 'textsend' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE kpi_text (
	INPUT = kpi_text_in,
	OUTPUT = kpi_text_out,
	RECEIVE = kpi_text_recv,
	SEND = kpi_text_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended,
	CATEGORY = 'S'
);

CREATE CAST (text AS kpi_text) WITHOUT FUNCTION AS IMPLICIT;
CREATE CAST (kpi_text AS text) WITHOUT FUNCTION AS IMPLICIT;

COMMENT ON TYPE kpi_text IS
	'text without a collation: the option arguments of the aggregates (mode, alignment), so that postgres_fdw ships calls with literal options; text casts to it and back implicitly';
COMMENT ON FUNCTION kpi_text_in(cstring) IS 'text input of kpi_text (as text)';
COMMENT ON FUNCTION kpi_text_out(kpi_text) IS 'text output of kpi_text (as text)';
COMMENT ON FUNCTION kpi_text_recv(internal) IS 'binary input of kpi_text (as text)';
COMMENT ON FUNCTION kpi_text_send(kpi_text) IS 'binary output of kpi_text (as text)';
COMMENT ON CAST (text AS kpi_text) IS 'text is kpi_text without a collation';
COMMENT ON CAST (kpi_text AS text) IS 'kpi_text is text with the default collation';

-- Funnels per entity (GROUP BY user_id): window_funnel, funnel_path.
-- The state is internal (the entity's events), shipped between parallel
-- workers by funnel_state_serialize.  The steps are VARIADIC "any" so that no
-- array is built per row; the transition functions check they are boolean.
-- COST 10: a row costs about ten times a built-in operator (perf, 10 M
-- events); at the default cost of 1 the planner never splits a funnel's
-- transitions across parallel workers.
CREATE FUNCTION funnel_state_accum(internal, interval, timestamptz, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION funnel_state_accum_mode(internal, interval, text, timestamptz, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION funnel_state_accum_path(internal, interval, text, timestamptz, boolean, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
CREATE FUNCTION funnel_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_final(internal) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_path_final(internal) RETURNS timestamptz[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION funnel_state_accum(internal, interval, timestamptz, VARIADIC "any") IS
	'transition function of window_funnel(window, ts, VARIADIC steps): collects the entity''s events';
COMMENT ON FUNCTION funnel_state_accum_mode(internal, interval, text, timestamptz, VARIADIC "any") IS
	'transition function of window_funnel(window, mode, ts, VARIADIC steps)';
COMMENT ON FUNCTION funnel_state_accum_path(internal, interval, text, timestamptz, boolean, VARIADIC "any") IS
	'transition function of funnel_path(window, mode, ts, exclude, VARIADIC steps)';
COMMENT ON FUNCTION funnel_state_combine(internal, internal) IS
	'combine function of window_funnel and funnel_path: the events of both states';
COMMENT ON FUNCTION funnel_state_serialize(internal) IS
	'serializes a per-entity funnel state for parallel workers';
COMMENT ON FUNCTION funnel_state_deserialize(bytea, internal) IS
	'deserializes a per-entity funnel state from a parallel worker';
COMMENT ON FUNCTION window_funnel_final(internal) IS
	'final function of window_funnel: replays the events, returns the deepest step reached';
COMMENT ON FUNCTION funnel_path_final(internal) IS
	'final function of funnel_path: replays the events, returns the timestamps of the steps reached';

CREATE AGGREGATE window_funnel(conversion_window interval, ts timestamptz, VARIADIC steps "any") (
	SFUNC = funnel_state_accum,
	STYPE = internal,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_state_combine,
	SERIALFUNC = funnel_state_serialize,
	DESERIALFUNC = funnel_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel(conversion_window interval, mode kpi_text, ts timestamptz, VARIADIC steps "any") (
	SFUNC = funnel_state_accum_mode,
	STYPE = internal,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_state_combine,
	SERIALFUNC = funnel_state_serialize,
	DESERIALFUNC = funnel_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE funnel_path(conversion_window interval, mode kpi_text, ts timestamptz, exclude boolean,
		VARIADIC steps "any") (
	SFUNC = funnel_state_accum_path,
	STYPE = internal,
	FINALFUNC = funnel_path_final,
	COMBINEFUNC = funnel_state_combine,
	SERIALFUNC = funnel_state_serialize,
	DESERIALFUNC = funnel_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamptz, VARIADIC "any") IS
	'deepest step (0..N) of an ordered funnel reached within the window from step 1, as ClickHouse windowFunnel';
COMMENT ON AGGREGATE window_funnel(interval, kpi_text, timestamptz, VARIADIC "any") IS
	'window_funnel with ClickHouse modes: strict_order, strict_deduplication, strict_increase, strict_once, allow_reentry (with strict_order); or unordered (alone, as PostHog): the most distinct steps within one window';
COMMENT ON AGGREGATE funnel_path(interval, kpi_text, timestamptz, boolean, VARIADIC "any") IS
	'timestamps of the steps reached by the first chain reaching the deepest step (NULL beyond it); exclusion events end chains in progress; mode unordered: the times of the first, second, ... step completed in the earliest window with the most';

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
	'funnel across entities: entities reaching each step and the times between steps, exact up to 10000 per step pair, else histograms';
COMMENT ON FUNCTION funnel_summary_in(cstring) IS
	'reads {"version":2,"steps":N,"entities":E,"reached":[...],"times":[...]}, and format version 1';
COMMENT ON FUNCTION funnel_summary_out(funnel_summary) IS
	'writes {"version":2,"steps":N,"entities":E,"reached":[...],"times":[...]}';
COMMENT ON FUNCTION funnel_summary_recv(internal) IS
	'reads the binary form of a funnel summary (format versions 1 and 2)';
COMMENT ON FUNCTION funnel_summary_send(funnel_summary) IS
	'writes the binary form of a funnel summary';

-- Aggregate support: the state is a funnel_summary, expanded while the
-- aggregate runs (src/common/expanded.c)
CREATE FUNCTION funnel_summary_accum_path(funnel_summary, timestamptz[]) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_summary_accum_level(funnel_summary, integer, integer) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_summary_combine(funnel_summary, funnel_summary) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION funnel_summary_accum_path(funnel_summary, timestamptz[]) IS
	'transition function of funnel_agg(path): adds one entity''s funnel_path';
COMMENT ON FUNCTION funnel_summary_accum_level(funnel_summary, integer, integer) IS
	'transition function of funnel_agg(level, steps): adds one entity''s window_funnel level';
COMMENT ON FUNCTION funnel_summary_combine(funnel_summary, funnel_summary) IS
	'merges two funnel summaries with the same number of steps: transition function of rollup(funnel_summary), combine function of funnel_agg and rollup';

CREATE AGGREGATE funnel_agg(path timestamptz[]) (
	SFUNC = funnel_summary_accum_path,
	STYPE = funnel_summary,
	COMBINEFUNC = funnel_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE funnel_agg(level integer, steps integer) (
	SFUNC = funnel_summary_accum_level,
	STYPE = funnel_summary,
	COMBINEFUNC = funnel_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(funnel_summary) (
	SFUNC = funnel_summary_combine,
	STYPE = funnel_summary,
	COMBINEFUNC = funnel_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(timestamptz[]) IS
	'funnel summary over entities from their funnel_path results (NULL paths skipped)';
COMMENT ON AGGREGATE funnel_agg(integer, integer) IS
	'funnel summary over entities from their window_funnel levels and the number of steps (no times)';
COMMENT ON AGGREGATE rollup(funnel_summary) IS
	'merges funnel summaries with the same number of steps into one';

CREATE FUNCTION funnel_entities(funnel_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'funnel_entities' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_reached(funnel_summary, step integer) RETURNS bigint
	AS 'MODULE_PATHNAME', 'funnel_reached' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_conversion_proportion(funnel_summary, from_step integer DEFAULT 1,
		to_step integer DEFAULT NULL) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_median_time(funnel_summary, step integer) RETURNS interval
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

COMMENT ON FUNCTION funnel_entities(funnel_summary) IS
	'number of entities in the funnel summary, including those that reached no step';
COMMENT ON FUNCTION funnel_reached(funnel_summary, integer) IS
	'number of entities that reached at least the given step (1..N)';
COMMENT ON FUNCTION funnel_conversion_proportion(funnel_summary, integer, integer) IS
	'entities reaching to_step (default the last) of those reaching from_step (default 1; 0 = all entities), as a proportion summary';
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

-- Deprecated aliases: the funnel_summary accessors' names before 1.2.0, kept
-- so that queries and views written for 1.0.0 and 1.1.0 still run (same C
-- functions as their replacements; doc/conventions.md, "Names").
CREATE FUNCTION entities(funnel_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'funnel_entities' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION reached(funnel_summary, step integer) RETURNS bigint
	AS 'MODULE_PATHNAME', 'funnel_reached' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_conversion(funnel_summary, from_step integer DEFAULT 1,
		to_step integer DEFAULT NULL) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'funnel_conversion_proportion' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION median_time(funnel_summary, step integer) RETURNS interval
	AS 'MODULE_PATHNAME', 'funnel_median_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION entities(funnel_summary) IS
	'deprecated alias of funnel_entities since 1.2.0';
COMMENT ON FUNCTION reached(funnel_summary, integer) IS
	'deprecated alias of funnel_reached since 1.2.0';
COMMENT ON FUNCTION funnel_conversion(funnel_summary, integer, integer) IS
	'deprecated alias of funnel_conversion_proportion since 1.2.0';
COMMENT ON FUNCTION median_time(funnel_summary, integer) IS
	'deprecated alias of funnel_median_time since 1.2.0';
