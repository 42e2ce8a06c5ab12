/* crm_kpi--1.2.0--1.3.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.3.0'" to load this file. \quit

-- 1.3.0: analysts' tables as they come (issue 13).  Each change below is also
-- made in its family's fragment (src/<family>/<family>.sql); test/run checks
-- that every upgrade path gives the objects of a fresh install.  Sections are
-- by family, in the order of the Makefile's FAMILIES.

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
	AS 'MODULE_PATHNAME', 'retention_cohort_table' LANGUAGE C IMMUTABLE PARALLEL SAFE
	ROWS 12;

COMMENT ON FUNCTION retention_table(anyelement, retention_summary, text, double precision) IS
	'tidy rows of one cohort for BI tools: cohort (the label given), period, eligible, retained, rate = retained / eligible and its Wilson interval lower..upper at confidence (NULL rate and bounds while no entity has reached the period); no rows for a NULL summary';
