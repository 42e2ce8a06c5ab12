/* crm_kpi--1.2.0--1.3.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.3.0'" to load this file. \quit

-- 1.3.0: analysts' tables as they come (issue 13).  Each change below is also
-- made in its family's fragment (src/<family>/<family>.sql); test/run checks
-- that every upgrade path gives the objects of a fresh install.  Sections are
-- by family, in the order of the Makefile's FAMILIES.

-- pipeline: open deals without a probability are counted apart instead of
-- rejected (pipeline_summary format 3, open_deals_without_probability,
-- open_pipeline_without_probability); outcomes as booleans (is_closed,
-- is_won), text outcomes with white space around them
CREATE FUNCTION pipeline_summary_accum_bool(pipeline_summary, double precision, double precision,
		timestamptz, timestamptz, boolean, boolean) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_accum_bool_date(pipeline_summary, double precision, double precision,
		date, date, boolean, boolean) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_accum_bool_numeric(pipeline_summary, numeric, double precision,
		timestamptz, timestamptz, boolean, boolean) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_accum_bool_numeric_date(pipeline_summary, numeric, double precision,
		date, date, boolean, boolean) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_summary_accum_bool(pipeline_summary, double precision, double precision,
		timestamptz, timestamptz, boolean, boolean) IS
	'transition function of pipeline_agg over timestamps with a boolean outcome (is_closed, is_won): adds one deal';
COMMENT ON FUNCTION pipeline_summary_accum_bool_date(pipeline_summary, double precision, double precision,
		date, date, boolean, boolean) IS
	'transition function of pipeline_agg over dates with a boolean outcome (is_closed, is_won): adds one deal';
COMMENT ON FUNCTION pipeline_summary_accum_bool_numeric(pipeline_summary, numeric, double precision,
		timestamptz, timestamptz, boolean, boolean) IS
	'transition function of pipeline_agg over numeric amounts and timestamps with a boolean outcome (is_closed, is_won): adds one deal';
COMMENT ON FUNCTION pipeline_summary_accum_bool_numeric_date(pipeline_summary, numeric, double precision,
		date, date, boolean, boolean) IS
	'transition function of pipeline_agg over numeric amounts and dates with a boolean outcome (is_closed, is_won): adds one deal';

CREATE FUNCTION open_deals_without_probability(pipeline_summary) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION open_pipeline_without_probability(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION open_deals_without_probability(pipeline_summary) IS
	'number of open deals with a NULL probability: counted in open_deals and open_pipeline, left out of weighted_pipeline';
COMMENT ON FUNCTION open_pipeline_without_probability(pipeline_summary) IS
	'sum of the amounts of open deals with a NULL probability (part of open_pipeline, left out of weighted_pipeline)';

CREATE AGGREGATE pipeline_agg(amount double precision, probability double precision,
		created_at timestamptz, closed_at timestamptz, is_closed boolean, is_won boolean) (
	SFUNC = pipeline_summary_accum_bool,
	STYPE = pipeline_summary,
	INITCOND = '{"version":3,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount double precision, probability double precision,
		created_on date, closed_on date, is_closed boolean, is_won boolean) (
	SFUNC = pipeline_summary_accum_bool_date,
	STYPE = pipeline_summary,
	INITCOND = '{"version":3,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount numeric, probability double precision,
		created_at timestamptz, closed_at timestamptz, is_closed boolean, is_won boolean) (
	SFUNC = pipeline_summary_accum_bool_numeric,
	STYPE = pipeline_summary,
	INITCOND = '{"version":3,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount numeric, probability double precision,
		created_on date, closed_on date, is_closed boolean, is_won boolean) (
	SFUNC = pipeline_summary_accum_bool_numeric_date,
	STYPE = pipeline_summary,
	INITCOND = '{"version":3,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"unweighted_deals":0,"unweighted_amount":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, timestamptz, timestamptz, boolean, boolean) IS
	'pipeline summary of deals with a boolean outcome (amount, probability 0..1, created_at, closed_at, is_closed, is_won): not closed is open, closed is won or lost; deals with a NULL amount, created_at or is_closed, or closed with a NULL is_won, are skipped';
COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, date, date, boolean, boolean) IS
	'pipeline summary of deals with dates and a boolean outcome (amount, probability 0..1, created_on, closed_on, is_closed, is_won); deals with a NULL amount, created_on or is_closed, or closed with a NULL is_won, are skipped';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, timestamptz, timestamptz, boolean, boolean) IS
	'pipeline summary of deals with numeric amounts and a boolean outcome (is_closed, is_won); amounts converted as numeric::float8 does';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, date, date, boolean, boolean) IS
	'pipeline summary of deals with numeric amounts, dates and a boolean outcome (is_closed, is_won); amounts converted as numeric::float8 does';

COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, timestamptz, timestamptz, text) IS
	'pipeline summary of deals (amount, probability 0..1, created_at, closed_at, outcome open/won/lost in any case, white space around it ignored); deals with a NULL amount, created_at or outcome are skipped; open deals with a NULL probability are left out of the weighted pipeline only (open_deals_without_probability)';
COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, date, date, text) IS
	'pipeline summary of deals with dates (amount, probability 0..1, created_on, closed_on, outcome open/won/lost in any case, white space around it ignored); deals with a NULL amount, created_on or outcome are skipped; open deals with a NULL probability are left out of the weighted pipeline only';
