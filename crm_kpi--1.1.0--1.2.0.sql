/* crm_kpi--1.1.0--1.2.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.2.0'" to load this file. \quit

-- 1.2.0 is the first version whose install script is built from the families'
-- SQL fragments (src/<family>/<family>.sql).  Each change below is also made
-- in its family's fragment; test/run checks that every upgrade path gives the
-- objects of a fresh install.

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

CREATE FUNCTION funnel_summary_path_accum(funnel_summary, timestamptz[]) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_summary_level_accum(funnel_summary, integer, integer) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_summary_combine(funnel_summary, funnel_summary) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION funnel_summary_path_accum(funnel_summary, timestamptz[]) IS
	'transition function of funnel_agg(path): adds one entity''s funnel_path';
COMMENT ON FUNCTION funnel_summary_level_accum(funnel_summary, integer, integer) IS
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
COMMENT ON FUNCTION survival_combine(survival_summary, survival_summary) IS
	'deprecated alias of survival_summary_combine';
COMMENT ON FUNCTION survival_uncombine(survival_summary, survival_summary) IS
	'deprecated alias of survival_summary_uncombine';

-- the models: the aggregates as src/conversion/conversion.sql and
-- src/survival/survival.sql define them
CREATE AGGREGATE crm_kpi_model_funnel_agg(timestamptz[]) (
	SFUNC = funnel_summary_path_accum,
	STYPE = funnel_summary,
	COMBINEFUNC = funnel_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE crm_kpi_model_funnel_agg(integer, integer) (
	SFUNC = funnel_summary_level_accum,
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
			('rollup(survival_summary)', 'crm_kpi_model_rollup(survival_summary)')
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
