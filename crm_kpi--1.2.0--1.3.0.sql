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
