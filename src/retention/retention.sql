------------------------------------------------------------------------------
-- Retention: cohort retention curves, activity and cohort summaries,
-- lifecycle, ClickHouse retention(), churn and MRR movements.
-- src/retention/
--
-- activity_summary is one entity's active periods after its cohort start
-- (merged by OR); retention_summary is one cohort's counts per period
-- (merged by adding); mrr_summary is MRR movements and customer counts per
-- period (merged by adding), customer_mrr_summary each customer's MRR per
-- period (merged by adding per customer).  Calendar periods are counted in the time zone
-- of the aggregate's time_zone argument (an IANA name), else in the session
-- time zone (so the functions that bucket timestamps are STABLE); summaries
-- record it and merge only with summaries of the same zone.
------------------------------------------------------------------------------

CREATE TYPE activity_summary;

CREATE FUNCTION activity_summary_in(cstring) RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION activity_summary_out(activity_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION activity_summary_recv(internal) RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION activity_summary_send(activity_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE activity_summary (
	INPUT = activity_summary_in,
	OUTPUT = activity_summary_out,
	RECEIVE = activity_summary_recv,
	SEND = activity_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE activity_summary IS
	'one entity''s cohort start and the periods after it in which it was active; merge pieces with rollup(), count cohorts with retention_agg(); its text form is JSON';
COMMENT ON FUNCTION activity_summary_in(cstring) IS 'text input of activity_summary';
COMMENT ON FUNCTION activity_summary_out(activity_summary) IS 'text output of activity_summary';
COMMENT ON FUNCTION activity_summary_recv(internal) IS 'binary input of activity_summary';
COMMENT ON FUNCTION activity_summary_send(activity_summary) IS 'binary output of activity_summary';

CREATE TYPE retention_summary;

CREATE FUNCTION retention_summary_in(cstring) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary_out(retention_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary_recv(internal) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary_send(retention_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE retention_summary (
	INPUT = retention_summary_in,
	OUTPUT = retention_summary_out,
	RECEIVE = retention_summary_recv,
	SEND = retention_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE retention_summary IS
	'one cohort''s size and, per period, the entities that reached it, were active in it and were active in it or later; read it with retention_rate(), retention_curve(), retention_table(); its text form is JSON';
COMMENT ON FUNCTION retention_summary_in(cstring) IS 'text input of retention_summary';
COMMENT ON FUNCTION retention_summary_out(retention_summary) IS 'text output of retention_summary';
COMMENT ON FUNCTION retention_summary_recv(internal) IS 'binary input of retention_summary';
COMMENT ON FUNCTION retention_summary_send(retention_summary) IS 'binary output of retention_summary';

-- Step 1: one entity's activity (GROUP BY entity)

CREATE FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer)
	RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer, text)
	RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer, text, text)
	RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION activity_summary_combine(activity_summary, activity_summary) RETURNS activity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer) IS
	'transition function of activity_agg(cohort_start, activity, period, periods): marks the calendar period of one activity';
COMMENT ON FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer, text) IS
	'transition function of activity_agg(cohort_start, activity, period, periods, alignment): marks the period of one activity';
COMMENT ON FUNCTION activity_summary_accum(activity_summary, timestamptz, timestamptz, interval, integer, text, text) IS
	'transition function of activity_agg(cohort_start, activity, period, periods, alignment, time_zone): marks the period of one activity';
COMMENT ON FUNCTION activity_summary_combine(activity_summary, activity_summary) IS
	'merges two activity summaries of one entity (periods active in either)';

CREATE AGGREGATE activity_agg(cohort_start timestamptz, activity timestamptz, period interval, periods integer) (
	SFUNC = activity_summary_accum,
	STYPE = activity_summary,
	COMBINEFUNC = activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE activity_agg(cohort_start timestamptz, activity timestamptz, period interval, periods integer,
		alignment kpi_text) (
	SFUNC = activity_summary_accum,
	STYPE = activity_summary,
	COMBINEFUNC = activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE activity_agg(cohort_start timestamptz, activity timestamptz, period interval, periods integer,
		alignment kpi_text, time_zone kpi_text) (
	SFUNC = activity_summary_accum,
	STYPE = activity_summary,
	COMBINEFUNC = activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(activity_summary) (
	SFUNC = activity_summary_combine,
	STYPE = activity_summary,
	COMBINEFUNC = activity_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE activity_agg(timestamptz, timestamptz, interval, integer) IS
	'activity summary of one entity (GROUP BY entity): the calendar periods (1 day, 1 week or 1 month, session time zone) after its cohort start in which it was active; NULL starts are skipped';
COMMENT ON AGGREGATE activity_agg(timestamptz, timestamptz, interval, integer, kpi_text) IS
	'activity summary of one entity with alignment ''calendar'' or ''rolling'' (periods of fixed length from the entity''s own start)';
COMMENT ON AGGREGATE activity_agg(timestamptz, timestamptz, interval, integer, kpi_text, kpi_text) IS
	'activity summary of one entity with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE rollup(activity_summary) IS
	'merges activity summaries of one entity (periods active in any)';

CREATE FUNCTION active_periods(activity_summary) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'activity_active_periods' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lifecycle(activity_summary,
		OUT period integer, OUT period_start timestamptz, OUT status text)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'activity_lifecycle' LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 12;

COMMENT ON FUNCTION active_periods(activity_summary) IS
	'the periods (0 = the cohort start''s period) in which the entity was active';
COMMENT ON FUNCTION lifecycle(activity_summary) IS
	'the entity''s lifecycle status per period as PostHog defines it: new, returning, resurrecting, dormant (no row for other periods)';

-- Step 2: one cohort (GROUP BY cohort)

CREATE FUNCTION retention_summary_accum(retention_summary, activity_summary) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_summary_accum(retention_summary, activity_summary, timestamptz)
	RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_summary_combine(retention_summary, retention_summary) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary_uncombine(retention_summary, retention_summary) RETURNS retention_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION retention_summary_accum(retention_summary, activity_summary) IS
	'transition function of retention_agg(activity_summary): adds one entity, censored at the transaction time (now())';
COMMENT ON FUNCTION retention_summary_accum(retention_summary, activity_summary, timestamptz) IS
	'transition function of retention_agg(activity_summary, as_of): adds one entity, censored at as_of (NULL: now())';
COMMENT ON FUNCTION retention_summary_combine(retention_summary, retention_summary) IS
	'merges two retention summaries of disjoint sets of entities (adds counts)';
COMMENT ON FUNCTION retention_summary_uncombine(retention_summary, retention_summary) IS
	'removes a retention summary merged earlier (inverse of retention_summary_combine, for moving windows)';

CREATE AGGREGATE retention_agg(activity_summary) (
	SFUNC = retention_summary_accum,
	STYPE = retention_summary,
	COMBINEFUNC = retention_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(activity_summary, as_of timestamptz) (
	SFUNC = retention_summary_accum,
	STYPE = retention_summary,
	COMBINEFUNC = retention_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(retention_summary) (
	SFUNC = retention_summary_combine,
	STYPE = retention_summary,
	COMBINEFUNC = retention_summary_combine,
	MSFUNC = retention_summary_combine,
	MINVFUNC = retention_summary_uncombine,
	MSTYPE = retention_summary,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention_agg(activity_summary) IS
	'retention summary of a cohort of entities, one activity summary each, counting a period only for the entities that have fully reached it at the transaction time (now()); NULL summaries are skipped; NULL for no rows';
COMMENT ON AGGREGATE retention_agg(activity_summary, timestamptz) IS
	'retention summary of a cohort, counting a period only for the entities that have fully reached it at as_of (NULL: now())';
COMMENT ON AGGREGATE rollup(retention_summary) IS
	'merges retention summaries of disjoint sets of entities (adds counts)';

-- One step, from events (entity, cohort start, activity time), and its
-- summary: cohort_activity_summary keeps each entity's cohort start and
-- active periods, with the cohort's parameters (src/retention/cohort_activity.c)

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
	AS 'MODULE_PATHNAME', 'cohort_activity_retention_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_summary(cohort_activity_summary, as_of timestamptz) RETURNS retention_summary
	AS 'MODULE_PATHNAME', 'cohort_activity_retention_summary' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_curve(cohort_activity_summary) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'cohort_activity_retention_curve' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_curve(cohort_activity_summary, mode text) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'cohort_activity_retention_curve' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION retention_summary(cohort_activity_summary) IS
	'the cohort''s retention_summary, censored at the summary''s as_of if it has one, else at the transaction time (now()); NULL for a summary of no entities';
COMMENT ON FUNCTION retention_summary(cohort_activity_summary, timestamptz) IS
	'the cohort''s retention_summary, counting a period only for the entities that have fully reached it at as_of (NULL: now())';
COMMENT ON FUNCTION retention_curve(cohort_activity_summary) IS
	'retention shares (0..1) of periods 0..N-1 in the summary''s mode (''on'' unless made by retention_curve(..., mode, ...)), among the entities that have fully reached the period at the summary''s as_of, else now(); NULL where none has; NULL for a summary of no entities';
COMMENT ON FUNCTION retention_curve(cohort_activity_summary, text) IS
	'retention shares (0..1) of periods 0..N-1 with mode ''on'' or ''on_or_after'', among the entities that have fully reached the period (at the summary''s as_of, else now()); NULL where none has';

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
	'cohort activity summary with alignment ''calendar'' or ''rolling'', recording as_of, at which retention_summary() censors it (NULL: none recorded, censored when read, at now())';
COMMENT ON AGGREGATE cohort_activity_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'cohort activity summary with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE rollup(cohort_activity_summary) IS
	'merges cohort activity summaries with the same parameters: the union of their entities, an entity''s periods active in any';

CREATE AGGREGATE retention_curve(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE retention_curve(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE retention_curve(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, mode kpi_text, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum_mode,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_curve,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(entity bigint, cohort_start timestamptz, activity timestamptz,
		period interval, periods integer, alignment kpi_text, as_of timestamptz, time_zone kpi_text) (
	SFUNC = cohort_activity_summary_accum,
	STYPE = cohort_activity_summary,
	FINALFUNC = retention_summary,
	COMBINEFUNC = cohort_activity_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention_curve(bigint, timestamptz, timestamptz, interval, integer) IS
	'retention curve of a cohort (GROUP BY cohort): the share of its entities active in each calendar period 0..periods-1 after their start, among those that have fully reached it at the transaction time (now()); NULL for no rows';
COMMENT ON AGGREGATE retention_curve(bigint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz) IS
	'retention curve with mode ''on'' or ''on_or_after'', alignment ''calendar'' or ''rolling'', and censoring at as_of (NULL: now()): shares among the entities that have fully reached the period, NULL where none has';
COMMENT ON AGGREGATE retention_agg(bigint, timestamptz, timestamptz, interval, integer) IS
	'retention summary of a cohort from its events (entity, cohort start, activity time), calendar periods, censored at the transaction time (now())';
COMMENT ON AGGREGATE retention_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz) IS
	'retention summary of a cohort from its events, with alignment ''calendar'' or ''rolling'' and censoring at as_of (NULL: now())';
COMMENT ON AGGREGATE retention_curve(bigint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz, kpi_text) IS
	'retention curve with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE retention_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz, kpi_text) IS
	'retention summary of a cohort from its events, with its calendar periods counted in time_zone (an IANA name), whatever the session time zone';

-- Accessors

CREATE FUNCTION cohort_size(retention_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'retention_cohort_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION eligible(retention_summary, period integer) RETURNS bigint
	AS 'MODULE_PATHNAME', 'retention_eligible' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retained(retention_summary, period integer, mode text DEFAULT 'on') RETURNS bigint
	AS 'MODULE_PATHNAME', 'retention_retained' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_rate(retention_summary, period integer, mode text DEFAULT 'on')
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_curve(retention_summary, mode text DEFAULT 'on') RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_table(retention_summary, mode text DEFAULT 'on',
		OUT period integer, OUT cohort_size bigint, OUT eligible bigint, OUT retained bigint,
		OUT share double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 12;

COMMENT ON FUNCTION cohort_size(retention_summary) IS 'number of entities in the cohort';
COMMENT ON FUNCTION eligible(retention_summary, integer) IS
	'number of entities that have fully reached the period (it has ended) at the summary''s as_of';
COMMENT ON FUNCTION retained(retention_summary, integer, text) IS
	'number of entities that fully reached the period and were active in it (mode ''on'') or in it or later (''on_or_after'')';
COMMENT ON FUNCTION retention_rate(retention_summary, integer, text) IS
	'share (0..1) of the eligible entities (those that have fully reached the period) retained in it; NULL while none has';
COMMENT ON FUNCTION retention_curve(retention_summary, text) IS
	'retention shares (0..1) of periods 0..N-1 among the eligible entities, NULL where none has reached the period';
CREATE FUNCTION retention_proportion(retention_summary, period integer, mode text DEFAULT 'on')
	RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_proportion(retention_summary, integer, text) IS
	'the retained entities among the eligible ones in the period as a proportion_summary (for rate_ci, proportion_compare); NULL while no entity has reached the period';
COMMENT ON FUNCTION retention_table(retention_summary, text) IS
	'one row per period: period, cohort_size, eligible, retained, share (retained / eligible, 0..1, NULL while no entity has reached the period)';

-- Tidy cohort tables (issue 13): one row per cohort and period, with the
-- Wilson interval of the share

CREATE FUNCTION retention_table(INOUT cohort anyelement, s retention_summary, mode text DEFAULT 'on',
		confidence double precision DEFAULT 0.95, OUT period integer, OUT eligible bigint, OUT retained bigint,
		OUT rate double precision, OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'cohort_retention_table' LANGUAGE C IMMUTABLE PARALLEL SAFE
	ROWS 12;

COMMENT ON FUNCTION retention_table(anyelement, retention_summary, text, double precision) IS
	'tidy rows of one cohort for BI tools: cohort (the label given), period, eligible, retained, rate = retained / eligible and its Wilson interval lower..upper at confidence (NULL rate and bounds while no entity has reached the period); no rows for a NULL summary';

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

-- ClickHouse-compatible retention(cond1, ..., condN), per entity

CREATE FUNCTION retention_state_accum(bigint, boolean[]) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_state_combine(bigint, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_final(bigint) RETURNS smallint[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION retention_state_accum(bigint, boolean[]) IS
	'transition function of retention(cond1, ..., condN): records which conditions held';
COMMENT ON FUNCTION retention_state_combine(bigint, bigint) IS
	'combine function of retention(cond1, ..., condN): conditions that held in either';
COMMENT ON FUNCTION retention_final(bigint) IS
	'final function of retention(cond1, ..., condN): r[1] = cond1 held, r[i] = cond1 and cond_i held';

CREATE AGGREGATE retention(VARIADIC conditions boolean[]) (
	SFUNC = retention_state_accum,
	STYPE = bigint,
	FINALFUNC = retention_final,
	INITCOND = '0',
	COMBINEFUNC = retention_state_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(VARIADIC boolean[]) IS
	'ClickHouse retention(cond1, ..., condN) per entity (1 to 32 conditions): 0/1 array, r[1] = any(cond1), r[i] = any(cond1) and any(cond_i); NULL conditions are false; NULL for no rows';

-- Churn and MRR movements (src/retention/churn.c)

CREATE TYPE mrr_summary;

CREATE FUNCTION mrr_summary_in(cstring) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary_out(mrr_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary_recv(internal) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary_send(mrr_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE mrr_summary (
	INPUT = mrr_summary_in,
	OUTPUT = mrr_summary_out,
	RECEIVE = mrr_summary_recv,
	SEND = mrr_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE mrr_summary IS
	'MRR movements (new, expansion, contraction, churned, reactivation) and customer counts per calendar period; read it with mrr_movements() and the churn and revenue retention accessors; its text form is JSON';
COMMENT ON FUNCTION mrr_summary_in(cstring) IS 'text input of mrr_summary';
COMMENT ON FUNCTION mrr_summary_out(mrr_summary) IS 'text output of mrr_summary';
COMMENT ON FUNCTION mrr_summary_recv(internal) IS 'binary input of mrr_summary';
COMMENT ON FUNCTION mrr_summary_send(mrr_summary) IS 'binary output of mrr_summary';

CREATE FUNCTION mrr_summary_combine(mrr_summary, mrr_summary) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_summary_uncombine(mrr_summary, mrr_summary) RETURNS mrr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION mrr_summary_combine(mrr_summary, mrr_summary) IS
	'merges two MRR summaries of disjoint sets of customers (adds movements and counts)';
COMMENT ON FUNCTION mrr_summary_uncombine(mrr_summary, mrr_summary) IS
	'removes an MRR summary merged earlier (inverse of mrr_summary_combine, for moving windows)';

-- Each customer's MRR per period (src/retention/customer_mrr.c): the state
-- of mrr_agg, so that Citus splits it across workers and rollup() merges
-- what shards or days computed, the same customer's MRR adding up.

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

CREATE AGGREGATE mrr_agg(customer bigint, at timestamptz, mrr double precision, origin timestamptz,
		period interval, periods integer) (
	SFUNC = customer_mrr_summary_accum,
	STYPE = customer_mrr_summary,
	FINALFUNC = mrr_summary,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE mrr_agg(customer bigint, at timestamptz, mrr double precision, origin timestamptz,
		period interval, periods integer, time_zone kpi_text) (
	SFUNC = customer_mrr_summary_accum,
	STYPE = customer_mrr_summary,
	FINALFUNC = mrr_summary,
	COMBINEFUNC = customer_mrr_summary_combine,
	PARALLEL = SAFE
);
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
CREATE AGGREGATE rollup(mrr_summary) (
	SFUNC = mrr_summary_combine,
	STYPE = mrr_summary,
	COMBINEFUNC = mrr_summary_combine,
	MSFUNC = mrr_summary_combine,
	MINVFUNC = mrr_summary_uncombine,
	MSTYPE = mrr_summary,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer) IS
	'MRR summary of (customer, time, MRR) rows over periods calendar periods (1 day, 1 week or 1 month) from the one holding origin; a customer''s rows in one period add up (duplicate snapshots too); NULL rows are skipped, rows before the origin''s period or after the last period ignored; NULL for no rows';
COMMENT ON AGGREGATE mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer, kpi_text) IS
	'MRR summary with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE rollup(mrr_summary) IS
	'merges MRR summaries of disjoint sets of customers over the same periods';
COMMENT ON AGGREGATE customer_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer) IS
	'each customer''s MRR per calendar period (1 day, 1 week or 1 month, periods of them from the one holding origin), from (customer, time, MRR) rows as mrr_agg takes them, for rollup() and mrr_summary(); NULL for no rows';
COMMENT ON AGGREGATE customer_mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer, kpi_text) IS
	'customer MRR summary with its calendar periods counted in time_zone (an IANA name such as ''Europe/Paris''), whatever the session time zone';
COMMENT ON AGGREGATE rollup(customer_mrr_summary) IS
	'merges customer MRR summaries over the same periods; a customer in several adds up per period (its rows spread over shards or days)';

CREATE FUNCTION mrr_movements(mrr_summary,
		OUT period integer, OUT period_start timestamptz,
		OUT customers_start bigint, OUT new_customers bigint, OUT reactivated_customers bigint,
		OUT churned_customers bigint, OUT customers_end bigint,
		OUT starting_mrr double precision, OUT new_mrr double precision,
		OUT expansion_mrr double precision, OUT contraction_mrr double precision,
		OUT churned_mrr double precision, OUT reactivation_mrr double precision,
		OUT ending_mrr double precision, OUT net_new_mrr double precision,
		OUT customer_churn_rate double precision, OUT customer_retention_rate double precision,
		OUT net_revenue_retention double precision, OUT gross_revenue_retention double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 12;
CREATE FUNCTION customer_churn_proportion(mrr_summary, period integer) RETURNS proportion_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_churn_rate(mrr_summary, period integer, denominator text DEFAULT 'start')
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_retention_rate(mrr_summary, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION net_revenue_retention(mrr_summary, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gross_revenue_retention(mrr_summary, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION mrr_movements(mrr_summary) IS
	'one row per period: customers and MRR at start and end, the five MRR movements, net new MRR, customer churn and retention rates, NRR and GRR (fractions); period 0 is the baseline';
COMMENT ON FUNCTION customer_churn_proportion(mrr_summary, integer) IS
	'customers lost in the period out of the customers at its start, as a proportion_summary (rate, rate_ci, proportion_compare); NULL for period 0';
COMMENT ON FUNCTION customer_churn_rate(mrr_summary, integer, text) IS
	'customers lost in the period over the customers at its start (denominator ''start'', default) or over the average of start and end (''average''); NULL when the denominator is 0';
COMMENT ON FUNCTION customer_retention_rate(mrr_summary, integer) IS
	'(S - churned) / S: the customers at the start of the period still paying at its end, over the customers at the start (reactivated customers, like new ones, are not of the starting set: never above 1); NULL when S is 0';
COMMENT ON FUNCTION net_revenue_retention(mrr_summary, integer) IS
	'NRR (fraction): (starting MRR + expansion - contraction - churned MRR) / starting MRR; NULL when the starting MRR is 0';
COMMENT ON FUNCTION gross_revenue_retention(mrr_summary, integer) IS
	'GRR (fraction, at most 1): (starting MRR - contraction - churned MRR) / starting MRR; NULL when the starting MRR is 0';

CREATE FUNCTION annual_churn_rate(monthly_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION monthly_churn_rate(annual_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annual_retention_rate(monthly_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION monthly_retention_rate(annual_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annual_churn_rate(double precision) IS
	'annual churn rate of a constant monthly churn rate: 1 - (1 - monthly)^12';
COMMENT ON FUNCTION monthly_churn_rate(double precision) IS
	'monthly churn rate of a constant annual churn rate: 1 - (1 - annual)^(1/12)';
COMMENT ON FUNCTION annual_retention_rate(double precision) IS
	'annual retention rate of a constant monthly retention rate: monthly^12';
COMMENT ON FUNCTION monthly_retention_rate(double precision) IS
	'monthly retention rate of a constant annual retention rate: annual^(1/12)';

-- Deprecated alias: the name before 1.2.0, kept so that queries and views
-- written for 1.0.0 and 1.1.0 still run (same C function as its replacement;
-- doc/conventions.md, "Names").
CREATE FUNCTION customer_churn(mrr_summary, period integer) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'customer_churn_proportion' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION customer_churn(mrr_summary, integer) IS
	'deprecated alias of customer_churn_proportion since 1.2.0';

-- MRR from subscription intervals (src/retention/customer_mrr.c), 1.3.0:
-- (customer, starts, ends, mrr) rows as billing exports have them, each
-- counted in the periods at whose end it is active.

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
