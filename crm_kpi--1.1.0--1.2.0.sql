/* crm_kpi--1.1.0--1.2.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.2.0'" to load this file. \quit

-- 1.2.0 is the first version whose install script is built from the families'
-- SQL fragments (src/<family>/<family>.sql).  Each change below is also made
-- in its family's fragment; test/run checks that every upgrade path gives the
-- objects of a fresh install.

-- naming: one naming scheme (doc/conventions.md, "Names")
--
-- Support functions are renamed to T_accum/T_combine/... (state of summary
-- type T) or <name>_state_accum/... (internal or plain state), final functions
-- to <aggregate>_final.  They are not user API: no aliases.  Each is renamed
-- (so the aggregates keep it) and then pointed at its new C symbol; the former
-- symbol stays exported for databases not yet updated.
-- survey
ALTER FUNCTION survey_accum(survey_summary, integer) RENAME TO survey_summary_accum;
CREATE OR REPLACE FUNCTION survey_summary_accum(survey_summary, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION survey_deaccum(survey_summary, integer) RENAME TO survey_summary_deaccum;
CREATE OR REPLACE FUNCTION survey_summary_deaccum(survey_summary, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION survey_scale_accum(survey_summary, integer, integer, integer) RENAME TO survey_summary_accum_scale;
CREATE OR REPLACE FUNCTION survey_summary_accum_scale(survey_summary, integer, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_accum_scale' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION survey_scale_deaccum(survey_summary, integer, integer, integer) RENAME TO survey_summary_deaccum_scale;
CREATE OR REPLACE FUNCTION survey_summary_deaccum_scale(survey_summary, integer, integer, integer) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_deaccum_scale' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION survey_combine(survey_summary, survey_summary) RENAME TO survey_summary_combine;
CREATE OR REPLACE FUNCTION survey_summary_combine(survey_summary, survey_summary) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION survey_uncombine(survey_summary, survey_summary) RENAME TO survey_summary_uncombine;
CREATE OR REPLACE FUNCTION survey_summary_uncombine(survey_summary, survey_summary) RETURNS survey_summary
	AS 'MODULE_PATHNAME', 'survey_summary_uncombine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_summary_uncombine(survey_summary, survey_summary) IS
	'removes a summary merged earlier (inverse of survey_summary_combine, for moving windows)';

-- conversion
ALTER FUNCTION proportion_accum(proportion_summary, boolean) RENAME TO proportion_summary_accum;
CREATE OR REPLACE FUNCTION proportion_summary_accum(proportion_summary, boolean) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'proportion_summary_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION proportion_deaccum(proportion_summary, boolean) RENAME TO proportion_summary_deaccum;
CREATE OR REPLACE FUNCTION proportion_summary_deaccum(proportion_summary, boolean) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'proportion_summary_deaccum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION proportion_counts_accum(proportion_summary, bigint, bigint) RENAME TO proportion_summary_accum_counts;
CREATE OR REPLACE FUNCTION proportion_summary_accum_counts(proportion_summary, bigint, bigint) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'proportion_summary_accum_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION proportion_counts_deaccum(proportion_summary, bigint, bigint) RENAME TO proportion_summary_deaccum_counts;
CREATE OR REPLACE FUNCTION proportion_summary_deaccum_counts(proportion_summary, bigint, bigint) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'proportion_summary_deaccum_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION proportion_combine(proportion_summary, proportion_summary) RENAME TO proportion_summary_combine;
CREATE OR REPLACE FUNCTION proportion_summary_combine(proportion_summary, proportion_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'proportion_summary_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION proportion_uncombine(proportion_summary, proportion_summary) RENAME TO proportion_summary_uncombine;
CREATE OR REPLACE FUNCTION proportion_summary_uncombine(proportion_summary, proportion_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'proportion_summary_uncombine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION funnel_accum(internal, interval, timestamptz, VARIADIC "any") RENAME TO funnel_state_accum;
CREATE OR REPLACE FUNCTION funnel_state_accum(internal, interval, timestamptz, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME', 'funnel_state_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
ALTER FUNCTION funnel_mode_accum(internal, interval, text, timestamptz, VARIADIC "any") RENAME TO funnel_state_accum_mode;
CREATE OR REPLACE FUNCTION funnel_state_accum_mode(internal, interval, text, timestamptz, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME', 'funnel_state_accum_mode' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
ALTER FUNCTION funnel_path_accum(internal, interval, text, timestamptz, boolean, VARIADIC "any") RENAME TO funnel_state_accum_path;
CREATE OR REPLACE FUNCTION funnel_state_accum_path(internal, interval, text, timestamptz, boolean, VARIADIC "any") RETURNS internal
	AS 'MODULE_PATHNAME', 'funnel_state_accum_path' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
ALTER FUNCTION funnel_combine(internal, internal) RENAME TO funnel_state_combine;
CREATE OR REPLACE FUNCTION funnel_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'funnel_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION funnel_serialize(internal) RENAME TO funnel_state_serialize;
CREATE OR REPLACE FUNCTION funnel_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'funnel_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION funnel_deserialize(bytea, internal) RENAME TO funnel_state_deserialize;
CREATE OR REPLACE FUNCTION funnel_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'funnel_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- survival
ALTER FUNCTION sbg_accum(internal, integer, bigint) RENAME TO sbg_fit_state_accum;
CREATE OR REPLACE FUNCTION sbg_fit_state_accum(internal, integer, bigint) RETURNS internal
	AS 'MODULE_PATHNAME', 'sbg_fit_state_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION sbg_state_combine(internal, internal) RENAME TO sbg_fit_state_combine;
CREATE OR REPLACE FUNCTION sbg_fit_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'sbg_fit_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION sbg_serialize(internal) RENAME TO sbg_fit_state_serialize;
CREATE OR REPLACE FUNCTION sbg_fit_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'sbg_fit_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION sbg_deserialize(bytea, internal) RENAME TO sbg_fit_state_deserialize;
CREATE OR REPLACE FUNCTION sbg_fit_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'sbg_fit_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION sbg_final(internal) RENAME TO sbg_fit_final;
CREATE OR REPLACE FUNCTION sbg_fit_final(internal) RETURNS sbg_model
	AS 'MODULE_PATHNAME', 'sbg_fit_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- clv
ALTER FUNCTION clv_margin_accum(internal, numeric, numeric) RENAME TO clv_state_accum_margin;
CREATE OR REPLACE FUNCTION clv_state_accum_margin(internal, numeric, numeric) RETURNS internal
	AS 'MODULE_PATHNAME', 'clv_state_accum_margin' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION clv_margin_deaccum(internal, numeric, numeric) RENAME TO clv_state_deaccum_margin;
CREATE OR REPLACE FUNCTION clv_state_deaccum_margin(internal, numeric, numeric) RETURNS internal
	AS 'MODULE_PATHNAME', 'clv_state_deaccum_margin' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION clv_discounted_accum(internal, numeric, numeric, date, date, double precision) RENAME TO clv_state_accum_discounted;
CREATE OR REPLACE FUNCTION clv_state_accum_discounted(internal, numeric, numeric, date, date, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'clv_state_accum_discounted' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION clv_discounted_deaccum(internal, numeric, numeric, date, date, double precision) RENAME TO clv_state_deaccum_discounted;
CREATE OR REPLACE FUNCTION clv_state_deaccum_discounted(internal, numeric, numeric, date, date, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'clv_state_deaccum_discounted' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION rfm_agg_accum(internal, date, double precision, date, interval) RENAME TO rfm_agg_state_accum;
CREATE OR REPLACE FUNCTION rfm_agg_state_accum(internal, date, double precision, date, interval) RETURNS internal
	AS 'MODULE_PATHNAME', 'rfm_agg_state_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION rfm_agg_combine(internal, internal) RENAME TO rfm_agg_state_combine;
CREATE OR REPLACE FUNCTION rfm_agg_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'rfm_agg_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION rfm_agg_serialize(internal) RENAME TO rfm_agg_state_serialize;
CREATE OR REPLACE FUNCTION rfm_agg_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'rfm_agg_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION rfm_agg_deserialize(bytea, internal) RENAME TO rfm_agg_state_deserialize;
CREATE OR REPLACE FUNCTION rfm_agg_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'rfm_agg_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION bgnbd_fit_accum(internal, rfm_summary) RENAME TO clv_fit_state_accum_bgnbd;
CREATE OR REPLACE FUNCTION clv_fit_state_accum_bgnbd(internal, rfm_summary) RETURNS internal
	AS 'MODULE_PATHNAME', 'clv_fit_state_accum_bgnbd' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION gamma_gamma_fit_accum(internal, rfm_summary) RENAME TO clv_fit_state_accum_gamma_gamma;
CREATE OR REPLACE FUNCTION clv_fit_state_accum_gamma_gamma(internal, rfm_summary) RETURNS internal
	AS 'MODULE_PATHNAME', 'clv_fit_state_accum_gamma_gamma' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION clv_fit_combine(internal, internal) RENAME TO clv_fit_state_combine;
CREATE OR REPLACE FUNCTION clv_fit_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'clv_fit_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION clv_fit_serialize(internal) RENAME TO clv_fit_state_serialize;
CREATE OR REPLACE FUNCTION clv_fit_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'clv_fit_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION clv_fit_deserialize(bytea, internal) RENAME TO clv_fit_state_deserialize;
CREATE OR REPLACE FUNCTION clv_fit_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'clv_fit_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- retention
ALTER FUNCTION activity_accum(activity_summary, timestamptz, timestamptz, interval, integer) RENAME TO activity_summary_accum;
CREATE OR REPLACE FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer)
	RETURNS activity_summary
	AS 'MODULE_PATHNAME', 'activity_summary_accum' LANGUAGE C STABLE PARALLEL SAFE;
ALTER FUNCTION activity_accum(activity_summary, timestamptz, timestamptz, interval, integer, text) RENAME TO activity_summary_accum;
CREATE OR REPLACE FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer, text)
	RETURNS activity_summary
	AS 'MODULE_PATHNAME', 'activity_summary_accum' LANGUAGE C STABLE PARALLEL SAFE;
ALTER FUNCTION activity_combine(activity_summary, activity_summary) RENAME TO activity_summary_combine;
CREATE OR REPLACE FUNCTION activity_summary_combine(activity_summary, activity_summary) RETURNS activity_summary
	AS 'MODULE_PATHNAME', 'activity_summary_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION retention_event_accum(internal, bigint, timestamptz, timestamptz, interval, integer) RENAME TO retention_event_state_accum;
CREATE OR REPLACE FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'retention_event_state_accum' LANGUAGE C STABLE PARALLEL SAFE;
ALTER FUNCTION retention_event_accum(internal, bigint, timestamptz, timestamptz, interval, integer, text, timestamptz) RENAME TO retention_event_state_accum;
CREATE OR REPLACE FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
		text, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'retention_event_state_accum' LANGUAGE C STABLE PARALLEL SAFE;
ALTER FUNCTION retention_event_accum(internal, bigint, timestamptz, timestamptz, interval, integer, text, text, timestamptz) RENAME TO retention_event_state_accum;
CREATE OR REPLACE FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
		text, text, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'retention_event_state_accum' LANGUAGE C STABLE PARALLEL SAFE;
ALTER FUNCTION retention_event_combine(internal, internal) RENAME TO retention_event_state_combine;
CREATE OR REPLACE FUNCTION retention_event_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'retention_event_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION retention_event_serialize(internal) RENAME TO retention_event_state_serialize;
CREATE OR REPLACE FUNCTION retention_event_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'retention_event_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION retention_event_deserialize(bytea, internal) RENAME TO retention_event_state_deserialize;
CREATE OR REPLACE FUNCTION retention_event_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'retention_event_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION retention_event_curve(internal) RENAME TO retention_curve_final;
CREATE OR REPLACE FUNCTION retention_curve_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'retention_curve_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
ALTER FUNCTION retention_event_summary(internal) RENAME TO retention_agg_final;
CREATE OR REPLACE FUNCTION retention_agg_final(internal) RETURNS retention_summary
	AS 'MODULE_PATHNAME', 'retention_agg_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
ALTER FUNCTION clickhouse_retention_accum(bigint, boolean[]) RENAME TO retention_state_accum;
CREATE OR REPLACE FUNCTION retention_state_accum(bigint, boolean[]) RETURNS bigint
	AS 'MODULE_PATHNAME', 'retention_state_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION clickhouse_retention_combine(bigint, bigint) RENAME TO retention_state_combine;
CREATE OR REPLACE FUNCTION retention_state_combine(bigint, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'retention_state_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION clickhouse_retention_final(bigint) RENAME TO retention_final;
CREATE OR REPLACE FUNCTION retention_final(bigint) RETURNS smallint[]
	AS 'MODULE_PATHNAME', 'retention_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION mrr_accum(internal, bigint, timestamptz, double precision, timestamptz, interval, integer) RENAME TO mrr_agg_state_accum;
CREATE OR REPLACE FUNCTION mrr_agg_state_accum(internal, bigint, timestamptz, double precision, timestamptz, interval, integer)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'mrr_agg_state_accum' LANGUAGE C STABLE PARALLEL SAFE;
ALTER FUNCTION mrr_combine(internal, internal) RENAME TO mrr_agg_state_combine;
CREATE OR REPLACE FUNCTION mrr_agg_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'mrr_agg_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION mrr_serialize(internal) RENAME TO mrr_agg_state_serialize;
CREATE OR REPLACE FUNCTION mrr_agg_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mrr_agg_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION mrr_deserialize(bytea, internal) RENAME TO mrr_agg_state_deserialize;
CREATE OR REPLACE FUNCTION mrr_agg_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'mrr_agg_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION mrr_final(internal) RENAME TO mrr_agg_final;
CREATE OR REPLACE FUNCTION mrr_agg_final(internal) RETURNS mrr_summary
	AS 'MODULE_PATHNAME', 'mrr_agg_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- pipeline
ALTER FUNCTION pipeline_accum(pipeline_summary, double precision, double precision, timestamptz, timestamptz, text) RENAME TO pipeline_summary_accum;
CREATE OR REPLACE FUNCTION pipeline_summary_accum(pipeline_summary, double precision, double precision,
		timestamptz, timestamptz, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME', 'pipeline_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION pipeline_date_accum(pipeline_summary, double precision, double precision, date, date, text) RENAME TO pipeline_summary_accum_date;
CREATE OR REPLACE FUNCTION pipeline_summary_accum_date(pipeline_summary, double precision, double precision,
		date, date, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME', 'pipeline_summary_accum_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION pipeline_numeric_accum(pipeline_summary, numeric, double precision, timestamptz, timestamptz, text) RENAME TO pipeline_summary_accum_numeric;
CREATE OR REPLACE FUNCTION pipeline_summary_accum_numeric(pipeline_summary, numeric, double precision,
		timestamptz, timestamptz, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME', 'pipeline_summary_accum_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION pipeline_numeric_date_accum(pipeline_summary, numeric, double precision, date, date, text) RENAME TO pipeline_summary_accum_numeric_date;
CREATE OR REPLACE FUNCTION pipeline_summary_accum_numeric_date(pipeline_summary, numeric, double precision,
		date, date, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME', 'pipeline_summary_accum_numeric_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION pipeline_combine(pipeline_summary, pipeline_summary) RENAME TO pipeline_summary_combine;
CREATE OR REPLACE FUNCTION pipeline_summary_combine(pipeline_summary, pipeline_summary) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME', 'pipeline_summary_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION stage_conversions_accum(internal, text, text, timestamptz) RENAME TO stage_state_accum_conversions;
CREATE OR REPLACE FUNCTION stage_state_accum_conversions(internal, text, text, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME', 'stage_state_accum_conversions' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION stage_durations_accum(internal, text, timestamptz) RENAME TO stage_state_accum_durations;
CREATE OR REPLACE FUNCTION stage_state_accum_durations(internal, text, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME', 'stage_state_accum_durations' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION stage_history_combine(internal, internal) RENAME TO stage_state_combine;
CREATE OR REPLACE FUNCTION stage_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'stage_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION stage_history_serialize(internal) RENAME TO stage_state_serialize;
CREATE OR REPLACE FUNCTION stage_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'stage_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION stage_history_deserialize(bytea, internal) RENAME TO stage_state_deserialize;
CREATE OR REPLACE FUNCTION stage_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'stage_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- adoption
ALTER FUNCTION adoption_accum(internal, bigint, date, date, date) RENAME TO adoption_state_accum;
CREATE OR REPLACE FUNCTION adoption_state_accum(internal, bigint, date, date, date) RETURNS internal
	AS 'MODULE_PATHNAME', 'adoption_state_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION adoption_combine(internal, internal) RENAME TO adoption_state_combine;
CREATE OR REPLACE FUNCTION adoption_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'adoption_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION adoption_serialize(internal) RENAME TO adoption_state_serialize;
CREATE OR REPLACE FUNCTION adoption_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'adoption_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION adoption_deserialize(bytea, internal) RENAME TO adoption_state_deserialize;
CREATE OR REPLACE FUNCTION adoption_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'adoption_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Accessors: a proportion_summary is <kpi>_proportion, and every
-- funnel_summary accessor starts with funnel_.  The function is renamed, so
-- that the user's views (which name it by OID) follow it, and the former name
-- is created again as a deprecated alias of the same C function.
ALTER FUNCTION entities(funnel_summary) RENAME TO funnel_entities;
ALTER FUNCTION reached(funnel_summary, integer) RENAME TO funnel_reached;
ALTER FUNCTION funnel_conversion(funnel_summary, integer, integer) RENAME TO funnel_conversion_proportion;
CREATE OR REPLACE FUNCTION funnel_conversion_proportion(funnel_summary, from_step integer DEFAULT 1,
		to_step integer DEFAULT NULL) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'funnel_conversion_proportion' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION median_time(funnel_summary, integer) RENAME TO funnel_median_time;
ALTER FUNCTION customer_churn(mrr_summary, integer) RENAME TO customer_churn_proportion;
CREATE OR REPLACE FUNCTION customer_churn_proportion(mrr_summary, period integer) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'customer_churn_proportion' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
CREATE FUNCTION customer_churn(mrr_summary, period integer) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'customer_churn_proportion' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION customer_churn(mrr_summary, integer) IS
	'deprecated alias of customer_churn_proportion since 1.2.0';
-- expanded summaries
--
-- funnel_agg, survival_agg, rollup(funnel_summary) and rollup(survival_summary)
-- keep their state as the summary type, expanded while the aggregate runs
-- (doc/conventions.md, pattern (b)), instead of internal with serialize and
-- deserialize functions.  CREATE AGGREGATE cannot change an existing
-- aggregate and DROP AGGREGATE would break every view that uses one, so each
-- aggregate is rewritten in place: a model aggregate is created with the new
-- definition, its pg_aggregate row and its normal dependencies (support
-- functions, types) are copied onto the existing aggregate, which keeps its
-- OID and so its views, and the model is dropped.  Then the 1.1.0 support
-- functions, used by nothing, are dropped.  survival_combine and
-- survival_uncombine stay as deprecated aliases: users call them.

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

CREATE FUNCTION survival_summary_accum(survival_summary, double precision, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_accum_status(survival_summary, double precision, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum(survival_summary, double precision, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_status(survival_summary, double precision, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_combine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_uncombine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survival_summary_accum(survival_summary, double precision, boolean) IS
	'transition function of survival_agg(duration, event boolean): adds one duration';
COMMENT ON FUNCTION survival_summary_accum_status(survival_summary, double precision, integer) IS
	'transition function of survival_agg(duration, status integer): adds one duration, status 1 = event, 0 = censored';
COMMENT ON FUNCTION survival_summary_deaccum(survival_summary, double precision, boolean) IS
	'inverse transition function of survival_agg(duration, event boolean): removes one duration';
COMMENT ON FUNCTION survival_summary_deaccum_status(survival_summary, double precision, integer) IS
	'inverse transition function of survival_agg(duration, status integer): removes one duration';
COMMENT ON FUNCTION survival_summary_combine(survival_summary, survival_summary) IS
	'merges two survival summaries by adding their counts at each duration: combine function of survival_agg, transition and combine function of rollup(survival_summary)';
COMMENT ON FUNCTION survival_summary_uncombine(survival_summary, survival_summary) IS
	'removes a summary merged earlier (inverse of survival_summary_combine, for moving windows)';
CREATE OR REPLACE FUNCTION survival_combine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME', 'survival_summary_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION survival_uncombine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME', 'survival_summary_uncombine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survival_combine(survival_summary, survival_summary) IS
	'deprecated alias of survival_summary_combine since 1.2.0';
COMMENT ON FUNCTION survival_uncombine(survival_summary, survival_summary) IS
	'deprecated alias of survival_summary_uncombine since 1.2.0';

-- pipeline_agg and rollup(pipeline_summary) keep exact sums (format 2 of
-- pipeline_summary, doc/pipeline.md): the empty summary of format 2 as
-- INITCOND, and a final function that stores the canonical form.  They are
-- rewritten in place as the aggregates above.
CREATE FUNCTION pipeline_summary_final(pipeline_summary) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pipeline_summary_final(pipeline_summary) IS
	'final function of pipeline_agg and rollup(pipeline_summary): the summary in its canonical form, the same bytes for the same deals whatever the plan';

-- the models: the aggregates as src/conversion/conversion.sql,
-- src/survival/survival.sql and src/pipeline/pipeline.sql define them
CREATE AGGREGATE crm_kpi_model_funnel_agg(timestamptz[]) (
	SFUNC = funnel_summary_accum_path,
	STYPE = funnel_summary,
	COMBINEFUNC = funnel_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_funnel_agg(integer, integer) (
	SFUNC = funnel_summary_accum_level,
	STYPE = funnel_summary,
	COMBINEFUNC = funnel_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_rollup(funnel_summary) (
	SFUNC = funnel_summary_combine,
	STYPE = funnel_summary,
	COMBINEFUNC = funnel_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_survival_agg(double precision, boolean) (
	SFUNC = survival_summary_accum,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum,
	MINVFUNC = survival_summary_deaccum,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_survival_agg(double precision, integer) (
	SFUNC = survival_summary_accum_status,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_status,
	MINVFUNC = survival_summary_deaccum_status,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_rollup(survival_summary) (
	SFUNC = survival_summary_combine,
	STYPE = survival_summary,
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_combine,
	MINVFUNC = survival_summary_uncombine,
	MSTYPE = survival_summary,
	PARALLEL = SAFE
);

CREATE AGGREGATE crm_kpi_model_pipeline_agg(double precision, double precision, timestamptz, timestamptz, text) (
	SFUNC = pipeline_summary_accum,
	STYPE = pipeline_summary,
	INITCOND = '{"version":2,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_pipeline_agg(double precision, double precision, date, date, text) (
	SFUNC = pipeline_summary_accum_date,
	STYPE = pipeline_summary,
	INITCOND = '{"version":2,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_pipeline_agg(numeric, double precision, timestamptz, timestamptz, text) (
	SFUNC = pipeline_summary_accum_numeric,
	STYPE = pipeline_summary,
	INITCOND = '{"version":2,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_pipeline_agg(numeric, double precision, date, date, text) (
	SFUNC = pipeline_summary_accum_numeric_date,
	STYPE = pipeline_summary,
	INITCOND = '{"version":2,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_rollup(pipeline_summary) (
	SFUNC = pipeline_summary_combine,
	STYPE = pipeline_summary,
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);

DO $$
DECLARE
	p record;
BEGIN
	FOR p IN
		SELECT target::oid AS target, model::oid AS model FROM (VALUES
			('funnel_agg(timestamptz[])'::regprocedure,
			 'crm_kpi_model_funnel_agg(timestamptz[])'::regprocedure),
			('funnel_agg(integer, integer)', 'crm_kpi_model_funnel_agg(integer, integer)'),
			('rollup(funnel_summary)', 'crm_kpi_model_rollup(funnel_summary)'),
			('survival_agg(double precision, boolean)',
			 'crm_kpi_model_survival_agg(double precision, boolean)'),
			('survival_agg(double precision, integer)',
			 'crm_kpi_model_survival_agg(double precision, integer)'),
			('rollup(survival_summary)', 'crm_kpi_model_rollup(survival_summary)'),
			('pipeline_agg(double precision, double precision, timestamptz, timestamptz, text)',
			 'crm_kpi_model_pipeline_agg(double precision, double precision, timestamptz, timestamptz, text)'),
			('pipeline_agg(double precision, double precision, date, date, text)',
			 'crm_kpi_model_pipeline_agg(double precision, double precision, date, date, text)'),
			('pipeline_agg(numeric, double precision, timestamptz, timestamptz, text)',
			 'crm_kpi_model_pipeline_agg(numeric, double precision, timestamptz, timestamptz, text)'),
			('pipeline_agg(numeric, double precision, date, date, text)',
			 'crm_kpi_model_pipeline_agg(numeric, double precision, date, date, text)'),
			('rollup(pipeline_summary)', 'crm_kpi_model_rollup(pipeline_summary)')
		) v(target, model)
	LOOP
		UPDATE pg_catalog.pg_aggregate a
		SET (aggkind, aggnumdirectargs, aggtransfn, aggfinalfn, aggcombinefn,
			 aggserialfn, aggdeserialfn, aggmtransfn, aggminvtransfn, aggmfinalfn,
			 aggfinalextra, aggmfinalextra, aggfinalmodify, aggmfinalmodify,
			 aggsortop, aggtranstype, aggtransspace, aggmtranstype, aggmtransspace,
			 agginitval, aggminitval) =
			(m.aggkind, m.aggnumdirectargs, m.aggtransfn, m.aggfinalfn, m.aggcombinefn,
			 m.aggserialfn, m.aggdeserialfn, m.aggmtransfn, m.aggminvtransfn, m.aggmfinalfn,
			 m.aggfinalextra, m.aggmfinalextra, m.aggfinalmodify, m.aggmfinalmodify,
			 m.aggsortop, m.aggtranstype, m.aggtransspace, m.aggmtranstype, m.aggmtransspace,
			 m.agginitval, m.aggminitval)
		FROM pg_catalog.pg_aggregate m
		WHERE a.aggfnoid = p.target AND m.aggfnoid = p.model;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'aggregate % or its model % not found',
				p.target::regprocedure, p.model::regprocedure;
		END IF;

		DELETE FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.target AND deptype = 'n';
		INSERT INTO pg_catalog.pg_depend
		SELECT classid, p.target, objsubid, refclassid, refobjid, refobjsubid, deptype
		FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.model AND deptype = 'n';
	END LOOP;
END
$$;

DROP AGGREGATE crm_kpi_model_funnel_agg(timestamptz[]);
DROP AGGREGATE crm_kpi_model_funnel_agg(integer, integer);
DROP AGGREGATE crm_kpi_model_rollup(funnel_summary);
DROP AGGREGATE crm_kpi_model_survival_agg(double precision, boolean);
DROP AGGREGATE crm_kpi_model_survival_agg(double precision, integer);
DROP AGGREGATE crm_kpi_model_rollup(survival_summary);
DROP AGGREGATE crm_kpi_model_pipeline_agg(double precision, double precision, timestamptz, timestamptz, text);
DROP AGGREGATE crm_kpi_model_pipeline_agg(double precision, double precision, date, date, text);
DROP AGGREGATE crm_kpi_model_pipeline_agg(numeric, double precision, timestamptz, timestamptz, text);
DROP AGGREGATE crm_kpi_model_pipeline_agg(numeric, double precision, date, date, text);
DROP AGGREGATE crm_kpi_model_rollup(pipeline_summary);

DROP FUNCTION funnel_agg_path_accum(internal, timestamptz[]);
DROP FUNCTION funnel_agg_level_accum(internal, integer, integer);
DROP FUNCTION funnel_agg_summary_accum(internal, funnel_summary);
DROP FUNCTION funnel_agg_combine(internal, internal);
DROP FUNCTION funnel_agg_serialize(internal);
DROP FUNCTION funnel_agg_deserialize(bytea, internal);
DROP FUNCTION funnel_agg_final(internal);
DROP FUNCTION survival_accum(internal, double precision, boolean);
DROP FUNCTION survival_accum_status(internal, double precision, integer);
DROP FUNCTION survival_deaccum(internal, double precision, boolean);
DROP FUNCTION survival_deaccum_status(internal, double precision, integer);
DROP FUNCTION survival_state_combine(internal, internal);
DROP FUNCTION survival_serialize(internal);
DROP FUNCTION survival_deserialize(bytea, internal);
DROP FUNCTION survival_final(internal);

-- postgres_fdw push-down (test/shards.sql): aggregate options
--
-- The option arguments of the aggregates (a funnel's mode, a retention
-- curve's mode and alignment) become kpi_text, text without a collation
-- (src/conversion/conversion.sql says why).  An aggregate's argument types
-- cannot be altered, and dropping it would break every view on it: each is
-- changed in place in pg_proc (its OID, and so its views, stay), with the
-- dependency CREATE AGGREGATE records on an argument type.  A view made at
-- 1.1.0 still passes text, which kpi_text is stored as; the transition
-- functions keep their text arguments, to which kpi_text is binary-coercible.

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

DO $$
DECLARE
	options oid[] := ARRAY[
		'window_funnel(interval, text, timestamptz, "any")'::regprocedure,
		'funnel_path(interval, text, timestamptz, boolean, "any")'::regprocedure,
		'activity_agg(timestamptz, timestamptz, interval, integer, text)'::regprocedure,
		'retention_curve(bigint, timestamptz, timestamptz, interval, integer, text, text, timestamptz)'::regprocedure,
		'retention_agg(bigint, timestamptz, timestamptz, interval, integer, text, timestamptz)'::regprocedure];
	n bigint;
BEGIN
	-- every text argument of these aggregates is an option
	UPDATE pg_catalog.pg_proc p
	SET proargtypes = array_to_string(ARRAY(
			SELECT CASE t WHEN 'text'::regtype::oid THEN 'kpi_text'::regtype::oid ELSE t END
			FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i) ORDER BY i), ' ')::pg_catalog.oidvector,
		proallargtypes = CASE WHEN p.proallargtypes IS NOT NULL THEN ARRAY(
			SELECT CASE t WHEN 'text'::regtype::oid THEN 'kpi_text'::regtype::oid ELSE t END
			FROM unnest(p.proallargtypes) WITH ORDINALITY u(t, i) ORDER BY i) END
	WHERE p.oid = ANY (options);
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n <> cardinality(options) THEN
		RAISE EXCEPTION 'expected % aggregates with options, found %', cardinality(options), n;
	END IF;
	INSERT INTO pg_catalog.pg_depend
	SELECT 'pg_catalog.pg_proc'::regclass, o, 0, 'pg_catalog.pg_type'::regclass, 'kpi_text'::regtype, 0, 'n'
	FROM unnest(options) o;
END
$$;

-- postgres_fdw push-down (test/shards.sql): array results
--
-- stage_conversions and stage_durations return domains over their arrays,
-- which are members of the extension as the array types are not before
-- PostgreSQL 17 (src/pipeline/pipeline.sql says why).  An aggregate's result
-- type cannot be altered either: the aggregates and their final functions are
-- changed in place in pg_proc, and so are their dependencies on their result
-- types.  A view made at 1.1.0 keeps its column of the array type, which the
-- domain is stored as.

CREATE DOMAIN stage_conversion_array AS stage_conversion[];
CREATE DOMAIN stage_duration_array AS stage_duration[];

COMMENT ON DOMAIN stage_conversion_array IS
	'stage_conversion[], the result of stage_conversions: the conversion matrix';
COMMENT ON DOMAIN stage_duration_array IS
	'stage_duration[], the result of stage_durations: the visits of one deal';

DO $$
DECLARE
	results oid[] := ARRAY[
		'stage_conversions(text, text, timestamptz)'::regprocedure,
		'stage_conversions_final(internal)'::regprocedure,
		'stage_durations(text, timestamptz)'::regprocedure,
		'stage_durations_final(internal)'::regprocedure];
	n bigint;
BEGIN
	UPDATE pg_catalog.pg_proc
	SET prorettype = CASE prorettype WHEN 'stage_conversion[]'::regtype THEN 'stage_conversion_array'::regtype
		ELSE 'stage_duration_array'::regtype END
	WHERE oid = ANY (results) AND prorettype IN ('stage_conversion[]'::regtype, 'stage_duration[]'::regtype);
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n <> cardinality(results) THEN
		RAISE EXCEPTION 'expected % functions returning stage arrays, found %', cardinality(results), n;
	END IF;
	UPDATE pg_catalog.pg_depend
	SET refobjid = CASE refobjid WHEN 'stage_conversion[]'::regtype THEN 'stage_conversion_array'::regtype
		ELSE 'stage_duration_array'::regtype END
	WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = ANY (results) AND deptype = 'n'
		AND refclassid = 'pg_catalog.pg_type'::regclass
		AND refobjid IN ('stage_conversion[]'::regtype, 'stage_duration[]'::regtype);
END
$$;

-- time zones

-- Calendar periods can be counted in a time zone given by name, whatever the
-- session's (postgres_fdw runs remote sessions in UTC, Citus workers may run
-- in another zone): activity_agg, retention_curve, retention_agg and mrr_agg
-- get a form with a trailing time_zone argument.  The summaries record their
-- zone (format version 2; version 1 values still read, as zone-less).

CREATE FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer, text, text)
	RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
		text, timestamptz, text)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
		text, text, timestamptz, text)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION mrr_agg_state_accum(internal, bigint, timestamptz, double precision, timestamptz, interval, integer,
		text)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer, text, text) IS
	'transition function of activity_agg(cohort_start, activity, period, periods, alignment, time_zone): marks the period of one activity';
COMMENT ON FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer, text, timestamptz, text) IS
	'transition function of retention_agg(entity, cohort_start, activity, period, periods, alignment, as_of, time_zone)';
COMMENT ON FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer, text, text, timestamptz, text) IS
	'transition function of retention_curve(entity, cohort_start, activity, period, periods, mode, alignment, as_of, time_zone)';
COMMENT ON FUNCTION mrr_agg_state_accum(internal, bigint, timestamptz, double precision, timestamptz, interval, integer, text) IS
	'transition function of mrr_agg(..., time_zone): adds a customer''s MRR to its calendar period in time_zone';

CREATE AGGREGATE activity_agg(cohort_start timestamptz, activity timestamptz, period interval, periods integer,
		alignment kpi_text, time_zone kpi_text) (
	SFUNC = activity_summary_accum,
	STYPE = activity_summary,
	COMBINEFUNC = activity_summary_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE retention_curve(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = retention_event_state_accum,
	STYPE = internal,
	FINALFUNC = retention_curve_final,
	COMBINEFUNC = retention_event_state_combine,
	SERIALFUNC = retention_event_state_serialize,
	DESERIALFUNC = retention_event_state_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE retention_agg(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = retention_event_state_accum,
	STYPE = internal,
	FINALFUNC = retention_agg_final,
	COMBINEFUNC = retention_event_state_combine,
	SERIALFUNC = retention_event_state_serialize,
	DESERIALFUNC = retention_event_state_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE mrr_agg(customer bigint, at timestamptz, mrr double precision, origin timestamptz,
		period interval, periods integer, time_zone kpi_text) (
	SFUNC = mrr_agg_state_accum,
	STYPE = internal,
	FINALFUNC = mrr_agg_final,
	COMBINEFUNC = mrr_agg_state_combine,
	SERIALFUNC = mrr_agg_state_serialize,
	DESERIALFUNC = mrr_agg_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE activity_agg(timestamptz, timestamptz, interval, integer, kpi_text, kpi_text) IS
	'activity summary of one entity with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE retention_curve(bigint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz, kpi_text) IS
	'retention curve with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE retention_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'retention summary of a cohort from its events, with its calendar periods counted in time_zone (an IANA name), whatever the session time zone';
COMMENT ON AGGREGATE mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer, kpi_text) IS
	'MRR summary with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';

-- cohort_activity_summary (retention over events, Citus)
--
-- retention_curve() and retention_agg() over events keep their state as a
-- summary type, cohort_activity_summary (expanded while the aggregate runs,
-- doc/conventions.md pattern (b)), instead of internal, so that Citus splits
-- them across workers; cohort_activity_agg(), rollup() and the accessors
-- retention_summary() and retention_curve() give their two-step form.  Each
-- of the six aggregates is rewritten in place from a model, as funnel_agg
-- and survival_agg above (its OID, and so its views, stay), and their 1.1.0
-- support functions, used by nothing, are dropped.

CREATE TYPE cohort_activity_summary;

CREATE FUNCTION cohort_activity_summary_in(cstring) RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_out(cohort_activity_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_recv(internal) RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_send(cohort_activity_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cohort_activity_summary (
	INPUT = cohort_activity_summary_in,
	OUTPUT = cohort_activity_summary_out,
	RECEIVE = cohort_activity_summary_recv,
	SEND = cohort_activity_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE cohort_activity_summary IS
	'a cohort''s entities, each with its cohort start and the periods after it in which it was active, and the cohort''s parameters; merge summaries of overlapping entities with rollup(), read it with retention_summary() and retention_curve(); its text form is JSON';
COMMENT ON FUNCTION cohort_activity_summary_in(cstring) IS 'text input of cohort_activity_summary';
COMMENT ON FUNCTION cohort_activity_summary_out(cohort_activity_summary) IS 'text output of cohort_activity_summary';
COMMENT ON FUNCTION cohort_activity_summary_recv(internal) IS 'binary input of cohort_activity_summary';
COMMENT ON FUNCTION cohort_activity_summary_send(cohort_activity_summary) IS 'binary output of cohort_activity_summary';

CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, bigint, timestamptz, timestamptz,
		interval, integer)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, bigint, timestamptz, timestamptz,
		interval, integer, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum(cohort_activity_summary, bigint, timestamptz, timestamptz,
		interval, integer, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, bigint, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, bigint, timestamptz, timestamptz,
		interval, integer, text, text, timestamptz, text)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_activity_summary_combine(cohort_activity_summary, cohort_activity_summary)
	RETURNS cohort_activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, bigint, timestamptz, timestamptz, interval, integer) IS
	'transition function of cohort_activity_agg(), retention_agg() and retention_curve() over events: marks the entity''s calendar period of one activity';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, bigint, timestamptz, timestamptz, interval, integer, text, timestamptz) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with alignment and as_of';
COMMENT ON FUNCTION cohort_activity_summary_accum(cohort_activity_summary, bigint, timestamptz, timestamptz, interval, integer, text, timestamptz, text) IS
	'transition function of cohort_activity_agg() and retention_agg() over events with alignment, as_of and time_zone';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, bigint, timestamptz, timestamptz, interval, integer, text, text, timestamptz) IS
	'transition function of retention_curve(entity, cohort_start, activity, period, periods, mode, alignment, as_of)';
COMMENT ON FUNCTION cohort_activity_summary_accum_mode(cohort_activity_summary, bigint, timestamptz, timestamptz, interval, integer, text, text, timestamptz, text) IS
	'transition function of retention_curve(entity, cohort_start, activity, period, periods, mode, alignment, as_of, time_zone)';
COMMENT ON FUNCTION cohort_activity_summary_combine(cohort_activity_summary, cohort_activity_summary) IS
	'merges two cohort activity summaries with the same parameters (union of entities, periods active in either): combine function of the aggregates over events, transition and combine function of rollup(cohort_activity_summary)';

CREATE FUNCTION retention_summary(cohort_activity_summary) RETURNS retention_summary
	AS 'MODULE_PATHNAME', 'cohort_activity_retention_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary(cohort_activity_summary, as_of timestamptz) RETURNS retention_summary
	AS 'MODULE_PATHNAME', 'cohort_activity_retention_summary' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_curve(cohort_activity_summary) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'cohort_activity_retention_curve' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_curve(cohort_activity_summary, mode text) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'cohort_activity_retention_curve' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION retention_summary(cohort_activity_summary) IS
	'the cohort''s retention_summary, censored at the summary''s as_of if it has one; NULL for a summary of no entities';
COMMENT ON FUNCTION retention_summary(cohort_activity_summary, timestamptz) IS
	'the cohort''s retention_summary, counting a period only for the entities that have fully reached it at as_of (NULL as_of: no censoring)';
COMMENT ON FUNCTION retention_curve(cohort_activity_summary) IS
	'retention shares (0..1) of periods 0..N-1 in the summary''s mode (''on'' unless made by retention_curve(..., mode, ...)), NULL where the cohort has not fully reached the period; NULL for a summary of no entities';
COMMENT ON FUNCTION retention_curve(cohort_activity_summary, text) IS
	'retention shares (0..1) of periods 0..N-1 with mode ''on'' or ''on_or_after'', NULL where the cohort has not fully reached the period';

CREATE AGGREGATE cohort_activity_agg(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE cohort_activity_agg(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE cohort_activity_agg(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(cohort_activity_summary) (
	SFUNC = cohort_activity_summary_combine,
	STYPE = cohort_activity_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE cohort_activity_agg(bigint, timestamptz, timestamptz, interval, integer) IS
	'cohort activity summary from events (entity, cohort start, activity time): each entity''s calendar periods (session time zone) in which it was active; rows with a NULL entity or start are skipped; NULL for no rows';
COMMENT ON AGGREGATE cohort_activity_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'cohort activity summary with alignment ''calendar'' or ''rolling'', recording as_of, at which retention_summary() censors it (NULL: none)';
COMMENT ON AGGREGATE cohort_activity_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'cohort activity summary with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE rollup(cohort_activity_summary) IS
	'merges cohort activity summaries with the same parameters: the union of their entities, an entity''s periods active in any';

CREATE AGGREGATE crm_kpi_model_retention_curve(bigint, timestamptz, timestamptz, interval, integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_retention_curve(bigint, timestamptz, timestamptz, interval, integer,
		kpi_text, kpi_text, timestamptz) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_retention_curve(bigint, timestamptz, timestamptz, interval, integer,
		kpi_text, kpi_text, timestamptz, kpi_text) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_retention_agg(bigint, timestamptz, timestamptz, interval, integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_retention_agg(bigint, timestamptz, timestamptz, interval, integer,
		kpi_text, timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_retention_agg(bigint, timestamptz, timestamptz, interval, integer,
		kpi_text, timestamptz, kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);

DO $$
DECLARE
	p record;
BEGIN
	FOR p IN
		SELECT target::oid AS target, model::oid AS model FROM (VALUES
			('retention_curve(bigint, timestamptz, timestamptz, interval, integer)'::regprocedure,
			 'crm_kpi_model_retention_curve(bigint, timestamptz, timestamptz, interval, integer)'::regprocedure),
			('retention_curve(bigint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz)',
			 'crm_kpi_model_retention_curve(bigint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz)'),
			('retention_curve(bigint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz, kpi_text)',
			 'crm_kpi_model_retention_curve(bigint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz, kpi_text)'),
			('retention_agg(bigint, timestamptz, timestamptz, interval, integer)',
			 'crm_kpi_model_retention_agg(bigint, timestamptz, timestamptz, interval, integer)'),
			('retention_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz)',
			 'crm_kpi_model_retention_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz)'),
			('retention_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text)',
			 'crm_kpi_model_retention_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text)')
		) v(target, model)
	LOOP
		UPDATE pg_catalog.pg_aggregate a
		SET (aggkind, aggnumdirectargs, aggtransfn, aggfinalfn, aggcombinefn,
			 aggserialfn, aggdeserialfn, aggmtransfn, aggminvtransfn, aggmfinalfn,
			 aggfinalextra, aggmfinalextra, aggfinalmodify, aggmfinalmodify,
			 aggsortop, aggtranstype, aggtransspace, aggmtranstype, aggmtransspace,
			 agginitval, aggminitval) =
			(m.aggkind, m.aggnumdirectargs, m.aggtransfn, m.aggfinalfn, m.aggcombinefn,
			 m.aggserialfn, m.aggdeserialfn, m.aggmtransfn, m.aggminvtransfn, m.aggmfinalfn,
			 m.aggfinalextra, m.aggmfinalextra, m.aggfinalmodify, m.aggmfinalmodify,
			 m.aggsortop, m.aggtranstype, m.aggtransspace, m.aggmtranstype, m.aggmtransspace,
			 m.agginitval, m.aggminitval)
		FROM pg_catalog.pg_aggregate m
		WHERE a.aggfnoid = p.target AND m.aggfnoid = p.model;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'aggregate % or its model % not found',
				p.target::regprocedure, p.model::regprocedure;
		END IF;

		DELETE FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.target AND deptype = 'n';
		INSERT INTO pg_catalog.pg_depend
		SELECT classid, p.target, objsubid, refclassid, refobjid, refobjsubid, deptype
		FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.model AND deptype = 'n';
	END LOOP;
END
$$;

DROP AGGREGATE crm_kpi_model_retention_curve(bigint, timestamptz, timestamptz, interval, integer);
DROP AGGREGATE crm_kpi_model_retention_curve(bigint, timestamptz, timestamptz, interval, integer,
	kpi_text, kpi_text, timestamptz);
DROP AGGREGATE crm_kpi_model_retention_curve(bigint, timestamptz, timestamptz, interval, integer,
	kpi_text, kpi_text, timestamptz, kpi_text);
DROP AGGREGATE crm_kpi_model_retention_agg(bigint, timestamptz, timestamptz, interval, integer);
DROP AGGREGATE crm_kpi_model_retention_agg(bigint, timestamptz, timestamptz, interval, integer,
	kpi_text, timestamptz);
DROP AGGREGATE crm_kpi_model_retention_agg(bigint, timestamptz, timestamptz, interval, integer,
	kpi_text, timestamptz, kpi_text);

DROP FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer);
DROP FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
	text, timestamptz);
DROP FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
	text, text, timestamptz);
DROP FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
	text, timestamptz, text);
DROP FUNCTION retention_event_state_accum(internal, bigint, timestamptz, timestamptz, interval, integer,
	text, text, timestamptz, text);
DROP FUNCTION retention_event_state_combine(internal, internal);
DROP FUNCTION retention_event_state_serialize(internal);
DROP FUNCTION retention_event_state_deserialize(bytea, internal);
DROP FUNCTION retention_curve_final(internal);
DROP FUNCTION retention_agg_final(internal);

-- adoption_summary (issue 12)
--
-- Citus splits an aggregate across workers only if its state is not
-- internal.  active_users, average_dau and dau_mau keep their state as
-- adoption_summary, expanded while the aggregate runs (doc/conventions.md,
-- pattern (b)), and end with its accessors; adoption_agg and
-- rollup(adoption_summary) are the two-step form.  The three aggregates are
-- rewritten in place as the expanded summaries' aggregates above, and their
-- 1.1.0 support functions dropped.

CREATE TYPE adoption_summary;

CREATE FUNCTION adoption_summary_in(cstring) RETURNS adoption_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adoption_summary_out(adoption_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adoption_summary_recv(internal) RETURNS adoption_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adoption_summary_send(adoption_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE adoption_summary (
	INPUT = adoption_summary_in,
	OUTPUT = adoption_summary_out,
	RECEIVE = adoption_summary_recv,
	SEND = adoption_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE adoption_summary IS
	'the days of a period [period_start, period_end) on which each user was active; read it with active_users(), average_dau() and dau_mau(); its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION adoption_summary_in(cstring) IS 'text input of adoption_summary';
COMMENT ON FUNCTION adoption_summary_out(adoption_summary) IS 'text output of adoption_summary';
COMMENT ON FUNCTION adoption_summary_recv(internal) IS 'binary input of adoption_summary';
COMMENT ON FUNCTION adoption_summary_send(adoption_summary) IS 'binary output of adoption_summary';

-- Aggregate support: the state is an adoption_summary, expanded while the
-- aggregate runs (src/common/expanded.c)

CREATE FUNCTION adoption_summary_accum(adoption_summary, bigint, date, date, date)
	RETURNS adoption_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION adoption_summary_combine(adoption_summary, adoption_summary)
	RETURNS adoption_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION adoption_summary_accum(adoption_summary, bigint, date, date, date) IS
	'transition function of adoption_agg, active_users, average_dau and dau_mau: marks a user active on a day of the period';
COMMENT ON FUNCTION adoption_summary_combine(adoption_summary, adoption_summary) IS
	'merges two adoption summaries of the same period by ORing the users'' day bitmaps: combine function of the adoption aggregates, transition function of rollup(adoption_summary)';

-- Accessors; each is also the final function of the one-step aggregate of
-- its name

CREATE FUNCTION active_users(adoption_summary) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_dau(adoption_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dau_mau(adoption_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION active_users(adoption_summary) IS
	'number of distinct users active on a day of the summary''s period';
COMMENT ON FUNCTION average_dau(adoption_summary) IS
	'average over the days of the summary''s period of the number of distinct users active that day';
COMMENT ON FUNCTION dau_mau(adoption_summary) IS
	'DAU/MAU stickiness, a fraction 0..1: average_dau / active_users of the summary; NULL without active users';

CREATE AGGREGATE adoption_agg(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_summary_accum,
	STYPE = adoption_summary,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(adoption_summary) (
	SFUNC = adoption_summary_combine,
	STYPE = adoption_summary,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE adoption_agg(bigint, date, date, date) IS
	'adoption summary of an activity log over [period_start, period_end): each user''s active days; days outside the period and NULL users or days are skipped';
COMMENT ON AGGREGATE rollup(adoption_summary) IS
	'merges adoption summaries of one period: a user active on a day in any of them is active that day';

-- the models: the aggregates as src/adoption/adoption.sql defines them
CREATE AGGREGATE crm_kpi_model_active_users(bigint, date, date, date) (
	SFUNC = adoption_summary_accum,
	STYPE = adoption_summary,
	FINALFUNC = active_users,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_average_dau(bigint, date, date, date) (
	SFUNC = adoption_summary_accum,
	STYPE = adoption_summary,
	FINALFUNC = average_dau,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_dau_mau(bigint, date, date, date) (
	SFUNC = adoption_summary_accum,
	STYPE = adoption_summary,
	FINALFUNC = dau_mau,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);

DO $$
DECLARE
	p record;
BEGIN
	FOR p IN
		SELECT target::oid AS target, model::oid AS model FROM (VALUES
			('active_users(bigint, date, date, date)'::regprocedure,
			 'crm_kpi_model_active_users(bigint, date, date, date)'::regprocedure),
			('average_dau(bigint, date, date, date)',
			 'crm_kpi_model_average_dau(bigint, date, date, date)'),
			('dau_mau(bigint, date, date, date)',
			 'crm_kpi_model_dau_mau(bigint, date, date, date)')
		) v(target, model)
	LOOP
		UPDATE pg_catalog.pg_aggregate a
		SET (aggkind, aggnumdirectargs, aggtransfn, aggfinalfn, aggcombinefn,
			 aggserialfn, aggdeserialfn, aggmtransfn, aggminvtransfn, aggmfinalfn,
			 aggfinalextra, aggmfinalextra, aggfinalmodify, aggmfinalmodify,
			 aggsortop, aggtranstype, aggtransspace, aggmtranstype, aggmtransspace,
			 agginitval, aggminitval) =
			(m.aggkind, m.aggnumdirectargs, m.aggtransfn, m.aggfinalfn, m.aggcombinefn,
			 m.aggserialfn, m.aggdeserialfn, m.aggmtransfn, m.aggminvtransfn, m.aggmfinalfn,
			 m.aggfinalextra, m.aggmfinalextra, m.aggfinalmodify, m.aggmfinalmodify,
			 m.aggsortop, m.aggtranstype, m.aggtransspace, m.aggmtranstype, m.aggmtransspace,
			 m.agginitval, m.aggminitval)
		FROM pg_catalog.pg_aggregate m
		WHERE a.aggfnoid = p.target AND m.aggfnoid = p.model;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'aggregate % or its model % not found',
				p.target::regprocedure, p.model::regprocedure;
		END IF;

		DELETE FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.target AND deptype = 'n';
		INSERT INTO pg_catalog.pg_depend
		SELECT classid, p.target, objsubid, refclassid, refobjid, refobjsubid, deptype
		FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.model AND deptype = 'n';
	END LOOP;
END
$$;

DROP AGGREGATE crm_kpi_model_active_users(bigint, date, date, date);
DROP AGGREGATE crm_kpi_model_average_dau(bigint, date, date, date);
DROP AGGREGATE crm_kpi_model_dau_mau(bigint, date, date, date);

DROP FUNCTION adoption_state_accum(internal, bigint, date, date, date);
DROP FUNCTION adoption_state_combine(internal, internal);
DROP FUNCTION adoption_state_serialize(internal);
DROP FUNCTION adoption_state_deserialize(bytea, internal);
DROP FUNCTION active_users_final(internal);
DROP FUNCTION average_dau_final(internal);
DROP FUNCTION dau_mau_final(internal);

-- historic CLV: clv_summary
--
-- The clv() aggregates keep their state as clv_summary, an exact numeric sum
-- and its count (src/clv/clv.sql), instead of core's numeric accumulator
-- (internal), so that Citus splits them across workers; clv_agg(),
-- rollup(clv_summary) and clv(clv_summary) give the two-step form.  The
-- three clv() aggregates are rewritten in place from models, as the expanded
-- summaries' aggregates above (their views keep them), and their 1.1.0
-- support functions, used by nothing, are dropped.

CREATE TYPE clv_summary;

CREATE FUNCTION clv_summary_in(cstring) RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_summary_out(clv_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_summary_recv(internal) RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_summary_send(clv_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE clv_summary (
	INPUT = clv_summary_in,
	OUTPUT = clv_summary_out,
	RECEIVE = clv_summary_recv,
	SEND = clv_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE clv_summary IS
	'historic CLV summary: the number of values summed and their exact numeric sum';
COMMENT ON FUNCTION clv_summary_in(cstring) IS 'text input of clv_summary';
COMMENT ON FUNCTION clv_summary_out(clv_summary) IS 'text output of clv_summary';
COMMENT ON FUNCTION clv_summary_recv(internal) IS 'binary input of clv_summary';
COMMENT ON FUNCTION clv_summary_send(clv_summary) IS 'binary output of clv_summary';

CREATE FUNCTION clv_summary_accum(clv_summary, numeric) RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_summary_deaccum(clv_summary, numeric) RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_summary_accum_margin(clv_summary, numeric, numeric) RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_summary_deaccum_margin(clv_summary, numeric, numeric) RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_summary_accum_discounted(clv_summary, numeric, numeric, date, date, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_summary_deaccum_discounted(clv_summary, numeric, numeric, date, date, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_summary_combine(clv_summary, clv_summary) RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_summary_uncombine(clv_summary, clv_summary) RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_summary_final(clv_summary) RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv(clv_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION clv_summary_accum(clv_summary, numeric) IS
	'transition function of clv(amount) and clv_agg(amount): adds one amount';
COMMENT ON FUNCTION clv_summary_deaccum(clv_summary, numeric) IS
	'inverse transition function of clv(amount) and clv_agg(amount) (moving windows)';
COMMENT ON FUNCTION clv_summary_accum_margin(clv_summary, numeric, numeric) IS
	'transition function of clv(amount, cost) and clv_agg(amount, cost): adds amount - cost';
COMMENT ON FUNCTION clv_summary_deaccum_margin(clv_summary, numeric, numeric) IS
	'inverse transition function of clv(amount, cost) and clv_agg(amount, cost) (moving windows)';
COMMENT ON FUNCTION clv_summary_accum_discounted(clv_summary, numeric, numeric, date, date, double precision) IS
	'transition function of clv(amount, cost, order_date, reference_date, annual_rate) and its clv_agg: adds the discounted margin';
COMMENT ON FUNCTION clv_summary_deaccum_discounted(clv_summary, numeric, numeric, date, date, double precision) IS
	'inverse transition function of clv(amount, cost, order_date, reference_date, annual_rate) and its clv_agg (moving windows)';
COMMENT ON FUNCTION clv_summary_combine(clv_summary, clv_summary) IS
	'adds two CLV summaries (combine function; transition function of rollup)';
COMMENT ON FUNCTION clv_summary_uncombine(clv_summary, clv_summary) IS
	'subtracts a CLV summary that was added (inverse transition function of rollup)';
COMMENT ON FUNCTION clv_summary_final(clv_summary) IS
	'final function of clv_agg and rollup(clv_summary): the summary in its canonical form, the same bytes for the same values whatever the plan';
COMMENT ON FUNCTION clv(clv_summary) IS
	'historic CLV of a summary: the exact numeric sum of its values; NULL when it holds none';

CREATE AGGREGATE clv_agg(amount numeric) (
	SFUNC = clv_summary_accum,
	STYPE = clv_summary,
	FINALFUNC = clv_summary_final,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum,
	MINVFUNC = clv_summary_deaccum,
	MSTYPE = clv_summary,
	MFINALFUNC = clv_summary_final,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE clv_agg(amount numeric, cost numeric) (
	SFUNC = clv_summary_accum_margin,
	STYPE = clv_summary,
	FINALFUNC = clv_summary_final,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_margin,
	MINVFUNC = clv_summary_deaccum_margin,
	MSTYPE = clv_summary,
	MFINALFUNC = clv_summary_final,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE clv_agg(amount numeric, cost numeric, order_date date, reference_date date,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted,
	STYPE = clv_summary,
	FINALFUNC = clv_summary_final,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted,
	MINVFUNC = clv_summary_deaccum_discounted,
	MSTYPE = clv_summary,
	MFINALFUNC = clv_summary_final,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(clv_summary) (
	SFUNC = clv_summary_combine,
	STYPE = clv_summary,
	FINALFUNC = clv_summary_final,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_combine,
	MINVFUNC = clv_summary_uncombine,
	MSTYPE = clv_summary,
	MFINALFUNC = clv_summary_final,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE clv_agg(numeric) IS
	'CLV summary of the order amounts, for clv(summary) and rollup; NULL amounts skipped, the empty summary for no rows';
COMMENT ON AGGREGATE clv_agg(numeric, numeric) IS
	'CLV summary of the margins amount - cost, for clv(summary) and rollup; rows with a NULL amount or cost skipped';
COMMENT ON AGGREGATE clv_agg(numeric, numeric, date, date, double precision) IS
	'CLV summary of the margins discounted to reference_date, for clv(summary) and rollup';
COMMENT ON AGGREGATE rollup(clv_summary) IS
	'merges CLV summaries into one (the empty summary for no rows)';

-- the models: the clv() aggregates as src/clv/clv.sql defines them
CREATE AGGREGATE crm_kpi_model_clv(amount numeric) (
	SFUNC = clv_summary_accum,
	STYPE = clv_summary,
	FINALFUNC = clv,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum,
	MINVFUNC = clv_summary_deaccum,
	MSTYPE = clv_summary,
	MFINALFUNC = clv,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_clv(amount numeric, cost numeric) (
	SFUNC = clv_summary_accum_margin,
	STYPE = clv_summary,
	FINALFUNC = clv,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_margin,
	MINVFUNC = clv_summary_deaccum_margin,
	MSTYPE = clv_summary,
	MFINALFUNC = clv,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_clv(amount numeric, cost numeric, order_date date, reference_date date,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted,
	STYPE = clv_summary,
	FINALFUNC = clv,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted,
	MINVFUNC = clv_summary_deaccum_discounted,
	MSTYPE = clv_summary,
	MFINALFUNC = clv,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
DO $$
DECLARE
	p record;
BEGIN
	FOR p IN
		SELECT target::oid AS target, model::oid AS model FROM (VALUES
			('clv(numeric)'::regprocedure, 'crm_kpi_model_clv(numeric)'::regprocedure),
			('clv(numeric, numeric)', 'crm_kpi_model_clv(numeric, numeric)'),
			('clv(numeric, numeric, date, date, double precision)',
			 'crm_kpi_model_clv(numeric, numeric, date, date, double precision)')
		) v(target, model)
	LOOP
		UPDATE pg_catalog.pg_aggregate a
		SET (aggkind, aggnumdirectargs, aggtransfn, aggfinalfn, aggcombinefn,
			 aggserialfn, aggdeserialfn, aggmtransfn, aggminvtransfn, aggmfinalfn,
			 aggfinalextra, aggmfinalextra, aggfinalmodify, aggmfinalmodify,
			 aggsortop, aggtranstype, aggtransspace, aggmtranstype, aggmtransspace,
			 agginitval, aggminitval) =
			(m.aggkind, m.aggnumdirectargs, m.aggtransfn, m.aggfinalfn, m.aggcombinefn,
			 m.aggserialfn, m.aggdeserialfn, m.aggmtransfn, m.aggminvtransfn, m.aggmfinalfn,
			 m.aggfinalextra, m.aggmfinalextra, m.aggfinalmodify, m.aggmfinalmodify,
			 m.aggsortop, m.aggtranstype, m.aggtransspace, m.aggmtranstype, m.aggmtransspace,
			 m.agginitval, m.aggminitval)
		FROM pg_catalog.pg_aggregate m
		WHERE a.aggfnoid = p.target AND m.aggfnoid = p.model;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'aggregate % or its model % not found',
				p.target::regprocedure, p.model::regprocedure;
		END IF;

		DELETE FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.target AND deptype = 'n';
		INSERT INTO pg_catalog.pg_depend
		SELECT classid, p.target, objsubid, refclassid, refobjid, refobjsubid, deptype
		FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.model AND deptype = 'n';
	END LOOP;
END
$$;

DROP AGGREGATE crm_kpi_model_clv(numeric);
DROP AGGREGATE crm_kpi_model_clv(numeric, numeric);
DROP AGGREGATE crm_kpi_model_clv(numeric, numeric, date, date, double precision);

DROP FUNCTION clv_state_accum_margin(internal, numeric, numeric);
DROP FUNCTION clv_state_deaccum_margin(internal, numeric, numeric);
DROP FUNCTION clv_state_accum_discounted(internal, numeric, numeric, date, date, double precision);
DROP FUNCTION clv_state_deaccum_discounted(internal, numeric, numeric, date, date, double precision);

-- customer_mrr_summary (issue 12, Citus)
--
-- mrr_agg keeps each customer's MRR per period in a customer_mrr_summary
-- instead of an internal state, so that Citus splits it across workers (it
-- ships the state as text), with customer_mrr_agg, rollup() and
-- mrr_summary() as its two-step form.  Both forms of mrr_agg are rewritten
-- in place, as the aggregates of "expanded summaries" above (their views
-- keep them), then their internal-state support functions are dropped.

CREATE TYPE customer_mrr_summary;

CREATE FUNCTION customer_mrr_summary_in(cstring) RETURNS customer_mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_mrr_summary_out(customer_mrr_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_mrr_summary_recv(internal) RETURNS customer_mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_mrr_summary_send(customer_mrr_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE customer_mrr_summary (
	INPUT = customer_mrr_summary_in,
	OUTPUT = customer_mrr_summary_out,
	RECEIVE = customer_mrr_summary_recv,
	SEND = customer_mrr_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE customer_mrr_summary IS
	'each customer''s MRR per calendar period (customers sorted); merged by rollup(), read by mrr_summary(); its text form is JSON';
COMMENT ON FUNCTION customer_mrr_summary_in(cstring) IS 'text input of customer_mrr_summary';
COMMENT ON FUNCTION customer_mrr_summary_out(customer_mrr_summary) IS 'text output of customer_mrr_summary';
COMMENT ON FUNCTION customer_mrr_summary_recv(internal) IS 'binary input of customer_mrr_summary';
COMMENT ON FUNCTION customer_mrr_summary_send(customer_mrr_summary) IS 'binary output of customer_mrr_summary';

CREATE FUNCTION customer_mrr_summary_accum(customer_mrr_summary, bigint, timestamptz, double precision,
		timestamptz, interval, integer)
	RETURNS customer_mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION customer_mrr_summary_accum(customer_mrr_summary, bigint, timestamptz, double precision,
		timestamptz, interval, integer, text)
	RETURNS customer_mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION customer_mrr_summary_combine(customer_mrr_summary, customer_mrr_summary)
	RETURNS customer_mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_mrr_summary_uncombine(customer_mrr_summary, customer_mrr_summary)
	RETURNS customer_mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_mrr_summary_final(customer_mrr_summary) RETURNS customer_mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary(customer_mrr_summary) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION customer_mrr_summary_accum(customer_mrr_summary, bigint, timestamptz, double precision, timestamptz, interval, integer) IS
	'transition function of mrr_agg() and customer_mrr_agg(): adds a customer''s MRR to its calendar period';
COMMENT ON FUNCTION customer_mrr_summary_accum(customer_mrr_summary, bigint, timestamptz, double precision, timestamptz, interval, integer, text) IS
	'transition function of mrr_agg(..., time_zone) and customer_mrr_agg(..., time_zone): adds a customer''s MRR to its calendar period in time_zone';
COMMENT ON FUNCTION customer_mrr_summary_combine(customer_mrr_summary, customer_mrr_summary) IS
	'merges two customer MRR summaries over the same periods, adding the MRR per period of a customer both hold: combine function of mrr_agg and customer_mrr_agg, transition and combine function of rollup(customer_mrr_summary)';
COMMENT ON FUNCTION customer_mrr_summary_uncombine(customer_mrr_summary, customer_mrr_summary) IS
	'removes a customer MRR summary merged earlier (inverse of customer_mrr_summary_combine, for moving windows)';
COMMENT ON FUNCTION customer_mrr_summary_final(customer_mrr_summary) IS
	'final function of customer_mrr_agg and rollup(customer_mrr_summary): the summary in its canonical form (customers sorted, those with no MRR left out)';
COMMENT ON FUNCTION mrr_summary(customer_mrr_summary) IS
	'MRR movements and customer counts per period of a customer MRR summary: what mrr_agg() over the same rows gives';

CREATE AGGREGATE crm_kpi_model_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer) (
	SFUNC = customer_mrr_summary_accum,
	STYPE = customer_mrr_summary,
	FINALFUNC = mrr_summary,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer,
		kpi_text) (
	SFUNC = customer_mrr_summary_accum,
	STYPE = customer_mrr_summary,
	FINALFUNC = mrr_summary,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);

DO $$
DECLARE
	p record;
BEGIN
	FOR p IN
		SELECT target::oid AS target, model::oid AS model FROM (VALUES
			('mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer)'::regprocedure,
			 'crm_kpi_model_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer)'::regprocedure),
			('mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer, kpi_text)',
			 'crm_kpi_model_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer, kpi_text)')
		) v(target, model)
	LOOP
		UPDATE pg_catalog.pg_aggregate a
		SET (aggkind, aggnumdirectargs, aggtransfn, aggfinalfn, aggcombinefn,
			 aggserialfn, aggdeserialfn, aggmtransfn, aggminvtransfn, aggmfinalfn,
			 aggfinalextra, aggmfinalextra, aggfinalmodify, aggmfinalmodify,
			 aggsortop, aggtranstype, aggtransspace, aggmtranstype, aggmtransspace,
			 agginitval, aggminitval) =
			(m.aggkind, m.aggnumdirectargs, m.aggtransfn, m.aggfinalfn, m.aggcombinefn,
			 m.aggserialfn, m.aggdeserialfn, m.aggmtransfn, m.aggminvtransfn, m.aggmfinalfn,
			 m.aggfinalextra, m.aggmfinalextra, m.aggfinalmodify, m.aggmfinalmodify,
			 m.aggsortop, m.aggtranstype, m.aggtransspace, m.aggmtranstype, m.aggmtransspace,
			 m.agginitval, m.aggminitval)
		FROM pg_catalog.pg_aggregate m
		WHERE a.aggfnoid = p.target AND m.aggfnoid = p.model;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'aggregate % or its model % not found',
				p.target::regprocedure, p.model::regprocedure;
		END IF;

		DELETE FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.target AND deptype = 'n';
		INSERT INTO pg_catalog.pg_depend
		SELECT classid, p.target, objsubid, refclassid, refobjid, refobjsubid, deptype
		FROM pg_catalog.pg_depend
		WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = p.model AND deptype = 'n';
	END LOOP;
END
$$;

DROP AGGREGATE crm_kpi_model_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer);
DROP AGGREGATE crm_kpi_model_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer,
	kpi_text);

DROP FUNCTION mrr_agg_state_accum(internal, bigint, timestamptz, double precision, timestamptz, interval, integer);
DROP FUNCTION mrr_agg_state_accum(internal, bigint, timestamptz, double precision, timestamptz, interval, integer,
	text);
DROP FUNCTION mrr_agg_state_combine(internal, internal);
DROP FUNCTION mrr_agg_state_serialize(internal);
DROP FUNCTION mrr_agg_state_deserialize(bytea, internal);
DROP FUNCTION mrr_agg_final(internal);

CREATE AGGREGATE customer_mrr_agg(customer bigint, at timestamptz, mrr double precision, origin timestamptz,
		period interval, periods integer) (
	SFUNC = customer_mrr_summary_accum,
	STYPE = customer_mrr_summary,
	FINALFUNC = customer_mrr_summary_final,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE customer_mrr_agg(customer bigint, at timestamptz, mrr double precision, origin timestamptz,
		period interval, periods integer, time_zone kpi_text) (
	SFUNC = customer_mrr_summary_accum,
	STYPE = customer_mrr_summary,
	FINALFUNC = customer_mrr_summary_final,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(customer_mrr_summary) (
	SFUNC = customer_mrr_summary_combine,
	STYPE = customer_mrr_summary,
	FINALFUNC = customer_mrr_summary_final,
	COMBINEFUNC = customer_mrr_summary_combine,
	MSFUNC = customer_mrr_summary_combine,
	MINVFUNC = customer_mrr_summary_uncombine,
	MSTYPE = customer_mrr_summary,
	MFINALFUNC = customer_mrr_summary_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE customer_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer) IS
	'each customer''s MRR per calendar period (1 day, 1 week or 1 month, periods of them from the one holding origin), from (customer, time, MRR) rows as mrr_agg takes them, for rollup() and mrr_summary(); NULL for no rows';
COMMENT ON AGGREGATE customer_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer, kpi_text) IS
	'customer MRR summary with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE rollup(customer_mrr_summary) IS
	'merges customer MRR summaries over the same periods; a customer in several adds up per period (its rows spread over shards or days)';
