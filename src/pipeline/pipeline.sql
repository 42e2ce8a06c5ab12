------------------------------------------------------------------------------
-- Sales pipeline: pipeline summary, stage history, coverage; new-customer
-- business (CAC, payback, LTV:CAC).  src/pipeline/
--
-- One summary type, pipeline_summary, holds deal counts and exact money
-- sums per outcome (open, won, lost), the won deals' cycle lengths, and the
-- distributions of deal size and cycle length for the medians: exact up to
-- 10000 values each, then 1 %-relative-error sketches.
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

CREATE FUNCTION pipeline_summary_accum(pipeline_summary, double precision, double precision,
		timestamptz, timestamptz, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_accum_date(pipeline_summary, double precision, double precision,
		date, date, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_accum_numeric(pipeline_summary, numeric, double precision,
		timestamptz, timestamptz, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_accum_numeric_date(pipeline_summary, numeric, double precision,
		date, date, text) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_combine(pipeline_summary, pipeline_summary) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_summary_final(pipeline_summary) RETURNS pipeline_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_summary_accum(pipeline_summary, double precision, double precision,
		timestamptz, timestamptz, text) IS
	'transition function of pipeline_agg over timestamps: adds one deal';
COMMENT ON FUNCTION pipeline_summary_accum_date(pipeline_summary, double precision, double precision,
		date, date, text) IS
	'transition function of pipeline_agg over dates: adds one deal';
COMMENT ON FUNCTION pipeline_summary_accum_numeric(pipeline_summary, numeric, double precision,
		timestamptz, timestamptz, text) IS
	'transition function of pipeline_agg over numeric amounts and timestamps: adds one deal';
COMMENT ON FUNCTION pipeline_summary_accum_numeric_date(pipeline_summary, numeric, double precision,
		date, date, text) IS
	'transition function of pipeline_agg over numeric amounts and dates: adds one deal';

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
COMMENT ON FUNCTION pipeline_summary_combine(pipeline_summary, pipeline_summary) IS
	'merges two pipeline summaries';
COMMENT ON FUNCTION pipeline_summary_final(pipeline_summary) IS
	'final function of pipeline_agg and rollup(pipeline_summary): the summary in its canonical form, the same bytes for the same deals whatever the plan';

-- Accessors

CREATE FUNCTION open_deals(pipeline_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_open_deals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION won_deals(pipeline_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_won_deals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lost_deals(pipeline_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_lost_deals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION open_pipeline(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION weighted_pipeline(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION won_amount(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lost_amount(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION win_rate(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_win_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION win_rate_ci(pipeline_summary, level double precision DEFAULT 0.95,
		OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'pipeline_win_rate_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION win_proportion(pipeline_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'pipeline_win_proportion' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_deal_size(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
CREATE FUNCTION deal_size_is_exact(pipeline_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sales_cycle_is_exact(pipeline_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_velocity(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_coverage(pipeline_summary, quota double precision,
		weighted boolean DEFAULT false) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION open_deals_without_probability(pipeline_summary) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION open_pipeline_without_probability(pipeline_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The money accessors of 1.2.0, which returned double precision: renamed by
-- the update to 1.3.0 (views over them keep working), deprecated
CREATE FUNCTION open_pipeline_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_open_pipeline_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION weighted_pipeline_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_weighted_pipeline_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION won_amount_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_won_amount_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lost_amount_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_lost_amount_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_deal_size_float8(pipeline_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_average_deal_size_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION open_deals(pipeline_summary) IS 'number of open deals';
COMMENT ON FUNCTION won_deals(pipeline_summary) IS 'number of won deals';
COMMENT ON FUNCTION lost_deals(pipeline_summary) IS 'number of lost deals';
COMMENT ON FUNCTION open_pipeline(pipeline_summary) IS
	'open pipeline value: sum of the amounts of open deals, exact in the decimals of numeric amounts';
COMMENT ON FUNCTION weighted_pipeline(pipeline_summary) IS
	'weighted pipeline: sum of amount * probability over open deals, rounded to the decimals of numeric amounts';
COMMENT ON FUNCTION won_amount(pipeline_summary) IS
	'sum of the amounts of won deals (closed-won revenue), exact in the decimals of numeric amounts';
COMMENT ON FUNCTION lost_amount(pipeline_summary) IS
	'sum of the amounts of lost deals, exact in the decimals of numeric amounts';
COMMENT ON FUNCTION open_deals_without_probability(pipeline_summary) IS
	'number of open deals with a NULL probability: counted in open_deals and open_pipeline, left out of weighted_pipeline';
COMMENT ON FUNCTION open_pipeline_without_probability(pipeline_summary) IS
	'sum of the amounts of open deals with a NULL probability exact in the decimals of numeric amounts (part of open_pipeline, left out of weighted_pipeline)';
COMMENT ON FUNCTION open_pipeline_float8(pipeline_summary) IS
	'open_pipeline as double precision, as 1.2.0 returned it, kept for the views built on it (open_pipeline returns numeric)';
COMMENT ON FUNCTION weighted_pipeline_float8(pipeline_summary) IS
	'weighted_pipeline as double precision, as 1.2.0 returned it, kept for the views built on it (weighted_pipeline returns numeric)';
COMMENT ON FUNCTION won_amount_float8(pipeline_summary) IS
	'won_amount as double precision, as 1.2.0 returned it, kept for the views built on it (won_amount returns numeric)';
COMMENT ON FUNCTION lost_amount_float8(pipeline_summary) IS
	'lost_amount as double precision, as 1.2.0 returned it, kept for the views built on it (lost_amount returns numeric)';
COMMENT ON FUNCTION average_deal_size_float8(pipeline_summary) IS
	'average_deal_size as double precision, as 1.2.0 returned it, kept for the views built on it (average_deal_size returns numeric)';
COMMENT ON FUNCTION win_rate(pipeline_summary) IS
	'win rate, a fraction 0..1: won / (won + lost) over closed deals; NULL without closed deals';
COMMENT ON FUNCTION win_rate_ci(pipeline_summary, double precision) IS
	'Wilson score interval (fractions 0..1) of the win rate at the given level';
COMMENT ON FUNCTION win_proportion(pipeline_summary) IS
	'the win rate as a proportion_summary (won deals of won + lost), for rate_ci(), proportion_compare() and rollup()';
COMMENT ON FUNCTION average_deal_size(pipeline_summary) IS
	'average amount of won deals, won_amount / won_deals as numeric division gives it; NULL without won deals';
COMMENT ON FUNCTION median_deal_size(pipeline_summary) IS
	'median amount of won deals, as percentile_cont(0.5): exact while deal_size_is_exact, else within 1 %; NULL without won deals';
COMMENT ON FUNCTION deal_size_quantile(pipeline_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the amounts of won deals: exact while deal_size_is_exact, else within 1 %';
COMMENT ON FUNCTION average_sales_cycle(pipeline_summary) IS
	'average sales cycle of won deals in days (created to closed); NULL without closed won deals';
COMMENT ON FUNCTION median_sales_cycle(pipeline_summary) IS
	'median sales cycle of won deals in days, as percentile_cont(0.5): exact while sales_cycle_is_exact, else within 1 %';
COMMENT ON FUNCTION sales_cycle_quantile(pipeline_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the sales cycles of won deals in days: exact while sales_cycle_is_exact, else within 1 %';
COMMENT ON FUNCTION deal_size_is_exact(pipeline_summary) IS
	'whether median_deal_size and deal_size_quantile are exact: the summary keeps the amounts of up to 10000 won deals, then a 1 % sketch';
COMMENT ON FUNCTION sales_cycle_is_exact(pipeline_summary) IS
	'whether median_sales_cycle and sales_cycle_quantile are exact: the summary keeps up to 10000 cycle lengths, then a 1 % sketch';
COMMENT ON FUNCTION pipeline_velocity(pipeline_summary) IS
	'pipeline velocity, revenue per day: open deals * win rate * average deal size / average sales cycle (days)';
COMMENT ON FUNCTION pipeline_coverage(pipeline_summary, double precision, boolean) IS
	'pipeline coverage: open (or, with weighted, weighted) pipeline divided by a positive quota';

-- Aggregates

CREATE AGGREGATE pipeline_agg(amount double precision, probability double precision,
		created_at timestamptz, closed_at timestamptz, outcome text) (
	SFUNC = pipeline_summary_accum,
	STYPE = pipeline_summary,
	INITCOND = '{"version":2,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount double precision, probability double precision,
		created_on date, closed_on date, outcome text) (
	SFUNC = pipeline_summary_accum_date,
	STYPE = pipeline_summary,
	INITCOND = '{"version":2,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount numeric, probability double precision,
		created_at timestamptz, closed_at timestamptz, outcome text) (
	SFUNC = pipeline_summary_accum_numeric,
	STYPE = pipeline_summary,
	INITCOND = '{"version":2,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_agg(amount numeric, probability double precision,
		created_on date, closed_on date, outcome text) (
	SFUNC = pipeline_summary_accum_numeric_date,
	STYPE = pipeline_summary,
	INITCOND = '{"version":2,"open_deals":0,"open_amount":[0],"weighted_amount":[0],"won_deals":0,"won_amount":[0],"lost_deals":0,"lost_amount":[0],"cycle_deals":0,"cycle_days":[0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}',
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);
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
CREATE AGGREGATE rollup(pipeline_summary) (
	SFUNC = pipeline_summary_combine,
	STYPE = pipeline_summary,
	FINALFUNC = pipeline_summary_final,
	COMBINEFUNC = pipeline_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, timestamptz, timestamptz, text) IS
	'pipeline summary of deals (amount, probability 0..1, created_at, closed_at, outcome open/won/lost in any case, white space around it ignored); deals with a NULL amount, created_at or outcome are skipped; open deals with a NULL probability are left out of the weighted pipeline only (open_deals_without_probability)';
COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, date, date, text) IS
	'pipeline summary of deals with dates (amount, probability 0..1, created_on, closed_on, outcome open/won/lost in any case, white space around it ignored); deals with a NULL amount, created_on or outcome are skipped; open deals with a NULL probability are left out of the weighted pipeline only';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, timestamptz, timestamptz, text) IS
	'pipeline summary of deals with numeric amounts (converted to double precision as numeric::float8 does)';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, date, date, text) IS
	'pipeline summary of deals with numeric amounts and dates (amounts converted as numeric::float8 does)';
COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, timestamptz, timestamptz, boolean, boolean) IS
	'pipeline summary of deals with a boolean outcome (amount, probability 0..1, created_at, closed_at, is_closed, is_won): not closed is open, closed is won or lost; deals with a NULL amount, created_at or is_closed, or closed with a NULL is_won, are skipped';
COMMENT ON AGGREGATE pipeline_agg(double precision, double precision, date, date, boolean, boolean) IS
	'pipeline summary of deals with dates and a boolean outcome (amount, probability 0..1, created_on, closed_on, is_closed, is_won); deals with a NULL amount, created_on or is_closed, or closed with a NULL is_won, are skipped';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, timestamptz, timestamptz, boolean, boolean) IS
	'pipeline summary of deals with numeric amounts and a boolean outcome (is_closed, is_won); amounts converted as numeric::float8 does';
COMMENT ON AGGREGATE pipeline_agg(numeric, double precision, date, date, boolean, boolean) IS
	'pipeline summary of deals with numeric amounts, dates and a boolean outcome (is_closed, is_won); amounts converted as numeric::float8 does';
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

-- The aggregates return a domain over the array: unlike an array type (before
-- PostgreSQL 17), a domain is a member of the extension, which postgres_fdw
-- needs of a result type to ship the aggregate to a remote server.  It reads
-- as the array does (unnest(), subscripts, assignment to stage_conversion[]).
CREATE DOMAIN stage_conversion_array AS stage_conversion[];
CREATE DOMAIN stage_duration_array AS stage_duration[];

COMMENT ON TYPE stage_conversion IS
	'one cell of the stage conversion matrix: deals that moved from_stage -> to_stage (to_stage NULL: ended in from_stage), their share of the deals that entered from_stage, median days';
COMMENT ON TYPE stage_duration IS
	'one visit of a deal to a stage: stage, entered_at, left_at and days in the stage (NULL while it is the current stage)';
COMMENT ON DOMAIN stage_conversion_array IS
	'stage_conversion[], the result of stage_conversions: the conversion matrix';
COMMENT ON DOMAIN stage_duration_array IS
	'stage_duration[], the result of stage_durations: the visits of one deal';

CREATE FUNCTION stage_state_accum_conversions(internal, text, text, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_state_accum_durations(internal, text, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_conversions_final(internal) RETURNS stage_conversion_array
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_durations_final(internal) RETURNS stage_duration_array
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION stage_state_accum_conversions(internal, text, text, timestamptz) IS
	'transition function of stage_conversions: keeps one stage history row';
COMMENT ON FUNCTION stage_state_accum_durations(internal, text, timestamptz) IS
	'transition function of stage_durations: keeps one stage history row';
COMMENT ON FUNCTION stage_state_combine(internal, internal) IS
	'combine function of the stage history aggregates';
COMMENT ON FUNCTION stage_state_serialize(internal) IS
	'serializes the state of the stage history aggregates';
COMMENT ON FUNCTION stage_state_deserialize(bytea, internal) IS
	'deserializes the state of the stage history aggregates';
COMMENT ON FUNCTION stage_conversions_final(internal) IS
	'final function of stage_conversions: the conversion matrix';
COMMENT ON FUNCTION stage_durations_final(internal) IS
	'final function of stage_durations: the visits of one deal';

CREATE AGGREGATE stage_conversions(deal text, stage text, entered_at timestamptz) (
	SFUNC = stage_state_accum_conversions,
	STYPE = internal,
	FINALFUNC = stage_conversions_final,
	COMBINEFUNC = stage_state_combine,
	SERIALFUNC = stage_state_serialize,
	DESERIALFUNC = stage_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE stage_durations(stage text, entered_at timestamptz) (
	SFUNC = stage_state_accum_durations,
	STYPE = internal,
	FINALFUNC = stage_durations_final,
	COMBINEFUNC = stage_state_combine,
	SERIALFUNC = stage_state_serialize,
	DESERIALFUNC = stage_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE stage_conversions(text, text, timestamptz) IS
	'stage-to-stage conversion matrix of deals'' stage histories (deal, stage, entered_at), as stage_conversion[]; rows with a NULL are skipped';
COMMENT ON AGGREGATE stage_durations(text, timestamptz) IS
	'time in stage of one deal (GROUP BY deal): its visits in time order as stage_duration[]; rows with a NULL are skipped';

-- The stage history aggregates' results as rows, without unnest(): for BI
-- tools and analysts who select from a function.  The rows are the array's,
-- in its order (unnest() of the same array gives them too).
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

-- New customers per period (src/pipeline/new_customers.c, new_customers_io.c),
-- 1.3.0: the customers whose first purchase (or first won deal) falls in
-- each calendar period, with the cohort's quality next to the count.  The
-- summary keeps every purchase (a customer's first purchase may be in
-- another worker's rows, another day's summary or another shard), so that
-- summaries merge exactly with rollup().

CREATE TYPE new_customers_summary;

CREATE FUNCTION new_customers_summary_in(cstring) RETURNS new_customers_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_out(new_customers_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_recv(internal) RETURNS new_customers_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_send(new_customers_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE new_customers_summary (
	INPUT = new_customers_summary_in,
	OUTPUT = new_customers_summary_out,
	RECEIVE = new_customers_summary_recv,
	SEND = new_customers_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE new_customers_summary IS
	'the purchases (customer, time, net revenue) of a set of rows, with the calendar period, first-days window and time zone new customers are counted in; merge summaries with rollup(), read it with new_customers(); its text form is JSON';
COMMENT ON FUNCTION new_customers_summary_in(cstring) IS 'text input of new_customers_summary';
COMMENT ON FUNCTION new_customers_summary_out(new_customers_summary) IS 'text output of new_customers_summary';
COMMENT ON FUNCTION new_customers_summary_recv(internal) IS 'binary input of new_customers_summary';
COMMENT ON FUNCTION new_customers_summary_send(new_customers_summary) IS 'binary output of new_customers_summary';

CREATE TYPE new_customer_cohort AS (
	period_start timestamptz,
	new_customers bigint,
	repeat_customers bigint,
	early_retention double precision,
	first_days_revenue numeric,
	revenue_per_new_customer numeric,
	net_revenue numeric
);

COMMENT ON TYPE new_customer_cohort IS
	'new customers of one period: count, those who bought again within their first N days and their share (early retention), net revenue of their first N days and per new customer, and their net revenue in all the rows summarised';

CREATE FUNCTION new_customers_summary_accum(new_customers_summary, bigint, timestamptz, numeric, interval, integer)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, bigint, timestamptz, numeric, interval, integer, kpi_text)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, uuid, timestamptz, numeric, interval, integer)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, uuid, timestamptz, numeric, interval, integer, kpi_text)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, text, timestamptz, numeric, interval, integer)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_accum(new_customers_summary, text, timestamptz, numeric, interval, integer, kpi_text)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION new_customers_summary_combine(new_customers_summary, new_customers_summary)
	RETURNS new_customers_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, bigint, timestamptz, numeric, interval, integer) IS
	'transition function of new_customers_agg (periods in the session time zone, recorded by name): keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, bigint, timestamptz, numeric, interval, integer, kpi_text) IS
	'transition function of new_customers_agg with a time zone: keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, uuid, timestamptz, numeric, interval, integer) IS
	'transition function of new_customers_agg over uuid customer ids (session time zone): keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, uuid, timestamptz, numeric, interval, integer, kpi_text) IS
	'transition function of new_customers_agg over uuid customer ids with a time zone: keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, text, timestamptz, numeric, interval, integer) IS
	'transition function of new_customers_agg over text customer ids (session time zone): keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_accum(new_customers_summary, text, timestamptz, numeric, interval, integer, kpi_text) IS
	'transition function of new_customers_agg over text customer ids with a time zone: keeps one purchase';
COMMENT ON FUNCTION new_customers_summary_combine(new_customers_summary, new_customers_summary) IS
	'merges two new customers summaries with the same period, first days and time zone (the union of their purchases): combine function of new_customers_agg, transition and combine function of rollup(new_customers_summary)';

CREATE AGGREGATE new_customers_agg(customer bigint, at timestamptz, net_revenue numeric,
		period interval, first_days integer) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer bigint, at timestamptz, net_revenue numeric,
		period interval, first_days integer, time_zone kpi_text) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer uuid, at timestamptz, net_revenue numeric,
		period interval, first_days integer) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer uuid, at timestamptz, net_revenue numeric,
		period interval, first_days integer, time_zone kpi_text) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer text, at timestamptz, net_revenue numeric,
		period interval, first_days integer) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE new_customers_agg(customer text, at timestamptz, net_revenue numeric,
		period interval, first_days integer, time_zone kpi_text) (
	SFUNC = new_customers_summary_accum, STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rollup(new_customers_summary) (
	SFUNC = new_customers_summary_combine,
	STYPE = new_customers_summary,
	COMBINEFUNC = new_customers_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE new_customers_agg(bigint, timestamptz, numeric, interval, integer) IS
	'new customers summary of purchases: new customers counted per calendar period (1 day, 7 days, 1 month, 3 months or 1 year, in the session time zone, recorded by name) of their first purchase, their quality over their first first_days days; rows with a NULL customer or time are skipped; NULL for no rows';
COMMENT ON AGGREGATE new_customers_agg(bigint, timestamptz, numeric, interval, integer, kpi_text) IS
	'new customers summary with its periods counted in time_zone (an IANA name such as ''Europe/Paris'')';
COMMENT ON AGGREGATE new_customers_agg(uuid, timestamptz, numeric, interval, integer) IS
	'new customers summary of purchases of uuid customer ids (session time zone)';
COMMENT ON AGGREGATE new_customers_agg(uuid, timestamptz, numeric, interval, integer, kpi_text) IS
	'new customers summary of purchases of uuid customer ids, periods counted in time_zone';
COMMENT ON AGGREGATE new_customers_agg(text, timestamptz, numeric, interval, integer) IS
	'new customers summary of purchases of text customer ids (session time zone)';
COMMENT ON AGGREGATE new_customers_agg(text, timestamptz, numeric, interval, integer, kpi_text) IS
	'new customers summary of purchases of text customer ids, periods counted in time_zone';
COMMENT ON AGGREGATE rollup(new_customers_summary) IS
	'merges new customers summaries with the same period, first days and time zone: the union of their purchases (a customer''s first purchase may be in any of them)';

CREATE FUNCTION new_customer_cohorts(new_customers_summary) RETURNS new_customer_cohort[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- the same as rows, for BI tools and analysts who select from a function
CREATE FUNCTION new_customers(new_customers_summary) RETURNS SETOF new_customer_cohort
	AS 'SELECT c.* FROM unnest(new_customer_cohorts($1)) c'
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION acquisition_efficiency(cohort new_customer_cohort, spend numeric,
		OUT cac numeric, OUT spend_per_first_days_revenue numeric,
		OUT spend_per_net_revenue numeric)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION new_customer_cohorts(new_customers_summary) IS
	'new customers per period of a summary, one new_customer_cohort per period that has one, in period order';
COMMENT ON FUNCTION new_customers(new_customers_summary) IS
	'the rows of new_customer_cohorts(): (period_start, new_customers, repeat_customers, early_retention, first_days_revenue, revenue_per_new_customer, net_revenue), in period order';
COMMENT ON FUNCTION acquisition_efficiency(new_customer_cohort, numeric) IS
	'acquisition spend of a new-customer cohort''s period against the cohort: CAC (spend / new customers) and spend per unit of the cohort''s first-N-days and net revenue; NULL where the denominator is 0';
