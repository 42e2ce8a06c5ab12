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
	-- uncompressed: a daily summary keeps its won deals' exact values (7 kB
	-- for 250 of them), and decompressing them took over half of a rollup
	-- (bench/README.md, "Issue 16, session 27"), as for pgvector's vector
	STORAGE = external
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

------------------------------------------------------------------------------
-- Pipeline transparency (src/pipeline/pipeline_hygiene.c), 1.3.0:
-- pipeline_hygiene_summary counts and sums open deals (or contacts) that
-- are stale, lack a next step or a close date, and how complete their
-- required fields are; mergeable per owner and stage by rollup().
------------------------------------------------------------------------------

CREATE TYPE pipeline_hygiene_summary;

CREATE FUNCTION pipeline_hygiene_summary_in(cstring) RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_out(pipeline_hygiene_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_recv(internal) RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_send(pipeline_hygiene_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE pipeline_hygiene_summary (
	INPUT = pipeline_hygiene_summary_in,
	OUTPUT = pipeline_hygiene_summary_out,
	RECEIVE = pipeline_hygiene_summary_recv,
	SEND = pipeline_hygiene_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE pipeline_hygiene_summary IS
	'summary of the hygiene of open deals or contacts: records and amounts that are stale, without a next step, without a close date, complete, and the records with each required field filled; read it with stale_deals(), completeness(), field_completeness() and the other hygiene accessors; its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION pipeline_hygiene_summary_in(cstring) IS 'text input of pipeline_hygiene_summary';
COMMENT ON FUNCTION pipeline_hygiene_summary_out(pipeline_hygiene_summary) IS 'text output of pipeline_hygiene_summary';
COMMENT ON FUNCTION pipeline_hygiene_summary_recv(internal) IS 'binary input of pipeline_hygiene_summary';
COMMENT ON FUNCTION pipeline_hygiene_summary_send(pipeline_hygiene_summary) IS 'binary output of pipeline_hygiene_summary';

CREATE FUNCTION pipeline_hygiene_summary_accum(pipeline_hygiene_summary, double precision,
		timestamptz, timestamptz, boolean, boolean, boolean[], timestamptz, integer)
	RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_accum_numeric(pipeline_hygiene_summary, numeric,
		timestamptz, timestamptz, boolean, boolean, boolean[], timestamptz, integer)
	RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_accum_fields(pipeline_hygiene_summary, boolean[])
	RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_combine(pipeline_hygiene_summary, pipeline_hygiene_summary)
	RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_hygiene_summary_final(pipeline_hygiene_summary) RETURNS pipeline_hygiene_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_hygiene_summary_accum(pipeline_hygiene_summary, double precision,
		timestamptz, timestamptz, boolean, boolean, boolean[], timestamptz, integer) IS
	'transition function of pipeline_hygiene_agg: adds one deal';
COMMENT ON FUNCTION pipeline_hygiene_summary_accum_numeric(pipeline_hygiene_summary, numeric,
		timestamptz, timestamptz, boolean, boolean, boolean[], timestamptz, integer) IS
	'transition function of pipeline_hygiene_agg over numeric amounts: adds one deal';
COMMENT ON FUNCTION pipeline_hygiene_summary_accum_fields(pipeline_hygiene_summary, boolean[]) IS
	'transition function of pipeline_hygiene_agg over required fields only: adds one record';
COMMENT ON FUNCTION pipeline_hygiene_summary_combine(pipeline_hygiene_summary, pipeline_hygiene_summary) IS
	'merges two pipeline hygiene summaries of the same fields, as_of and stale_days';
COMMENT ON FUNCTION pipeline_hygiene_summary_final(pipeline_hygiene_summary) IS
	'final function of pipeline_hygiene_agg and rollup(pipeline_hygiene_summary): the summary as stored, each amount one double';

CREATE AGGREGATE pipeline_hygiene_agg(amount double precision, last_activity_at timestamptz,
		stage_changed_at timestamptz, has_next_step boolean, has_close_date boolean,
		required_fields_filled boolean[], as_of timestamptz, stale_days integer) (
	SFUNC = pipeline_hygiene_summary_accum,
	STYPE = pipeline_hygiene_summary,
	INITCOND = '{"version":1,"records":0,"amount":0,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}',
	FINALFUNC = pipeline_hygiene_summary_final,
	COMBINEFUNC = pipeline_hygiene_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_hygiene_agg(amount numeric, last_activity_at timestamptz,
		stage_changed_at timestamptz, has_next_step boolean, has_close_date boolean,
		required_fields_filled boolean[], as_of timestamptz, stale_days integer) (
	SFUNC = pipeline_hygiene_summary_accum_numeric,
	STYPE = pipeline_hygiene_summary,
	INITCOND = '{"version":1,"records":0,"amount":0,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}',
	FINALFUNC = pipeline_hygiene_summary_final,
	COMBINEFUNC = pipeline_hygiene_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE pipeline_hygiene_agg(required_fields_filled boolean[]) (
	SFUNC = pipeline_hygiene_summary_accum_fields,
	STYPE = pipeline_hygiene_summary,
	INITCOND = '{"version":1,"records":0,"amount":0,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}',
	FINALFUNC = pipeline_hygiene_summary_final,
	COMBINEFUNC = pipeline_hygiene_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(pipeline_hygiene_summary) (
	SFUNC = pipeline_hygiene_summary_combine,
	STYPE = pipeline_hygiene_summary,
	INITCOND = '{"version":1,"records":0,"amount":0,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}',
	FINALFUNC = pipeline_hygiene_summary_final,
	COMBINEFUNC = pipeline_hygiene_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_hygiene_agg(double precision, timestamptz, timestamptz, boolean, boolean,
		boolean[], timestamptz, integer) IS
	'pipeline hygiene summary of open deals: stale (neither activity nor stage change within stale_days days up to as_of; never touched counts as stale; as_of NULL: not measured), without a next step or a close date (NULL counts as without), complete (every element of required_fields_filled true; NULL elements count as not filled); NULL amounts count with no amount';
COMMENT ON AGGREGATE pipeline_hygiene_agg(numeric, timestamptz, timestamptz, boolean, boolean,
		boolean[], timestamptz, integer) IS
	'pipeline hygiene summary of open deals with numeric amounts, converted as numeric::float8 does';
COMMENT ON AGGREGATE pipeline_hygiene_agg(boolean[]) IS
	'record completeness of contacts or any records: the records with each required field filled and with all of them (staleness not measured, no amounts)';
COMMENT ON AGGREGATE rollup(pipeline_hygiene_summary) IS
	'merges pipeline hygiene summaries (per owner and stage into per owner, per team...); they must share their fields, as_of and stale_days';

CREATE FUNCTION hygiene_records(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_hygiene_records' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hygiene_amount(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_hygiene_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hygiene_as_of(pipeline_hygiene_summary) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'pipeline_hygiene_as_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hygiene_stale_days(pipeline_hygiene_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'pipeline_hygiene_stale_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stale_deals(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_stale_deals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stale_amount(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_stale_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stale_share(pipeline_hygiene_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'pipeline_stale_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION deals_without_next_step(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_deals_without_next_step' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION amount_without_next_step(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_amount_without_next_step' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION deals_without_close_date(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_deals_without_close_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION amount_without_close_date(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_amount_without_close_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION complete_records(pipeline_hygiene_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pipeline_complete_records' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION complete_amount(pipeline_hygiene_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pipeline_complete_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION completeness(pipeline_hygiene_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'pipeline_completeness' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION field_filled_counts(pipeline_hygiene_summary) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'pipeline_field_filled_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION field_completeness(s pipeline_hygiene_summary, field_names text[] DEFAULT NULL,
		OUT field integer, OUT name text, OUT filled proportion_summary)
	RETURNS SETOF record
	AS 'SELECT f.i::integer, $2[f.i::integer], proportion(f.c, hygiene_records($1))
		FROM unnest(field_filled_counts($1)) WITH ORDINALITY f(c, i) ORDER BY f.i'
	LANGUAGE sql IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION hygiene_records(pipeline_hygiene_summary) IS
	'records (open deals or contacts) in a pipeline hygiene summary';
COMMENT ON FUNCTION hygiene_amount(pipeline_hygiene_summary) IS
	'sum of the amounts of the records (NULL amounts count as none)';
COMMENT ON FUNCTION hygiene_as_of(pipeline_hygiene_summary) IS
	'the as_of at which staleness was measured; NULL if it was not';
COMMENT ON FUNCTION hygiene_stale_days(pipeline_hygiene_summary) IS
	'the stale_days of the summary''s staleness; NULL if it was not measured';
COMMENT ON FUNCTION stale_deals(pipeline_hygiene_summary) IS
	'deals with neither activity nor stage change within stale_days days up to as_of (never touched included); NULL if staleness was not measured';
COMMENT ON FUNCTION stale_amount(pipeline_hygiene_summary) IS
	'sum of the amounts of the stale deals; NULL if staleness was not measured';
COMMENT ON FUNCTION stale_share(pipeline_hygiene_summary) IS
	'stale deals of all deals as a proportion_summary, for rate() and rate_ci(); NULL if staleness was not measured';
COMMENT ON FUNCTION deals_without_next_step(pipeline_hygiene_summary) IS
	'deals whose has_next_step was false or NULL';
COMMENT ON FUNCTION amount_without_next_step(pipeline_hygiene_summary) IS
	'sum of the amounts of the deals without a next step';
COMMENT ON FUNCTION deals_without_close_date(pipeline_hygiene_summary) IS
	'deals whose has_close_date was false or NULL';
COMMENT ON FUNCTION amount_without_close_date(pipeline_hygiene_summary) IS
	'sum of the amounts of the deals without a close date';
COMMENT ON FUNCTION complete_records(pipeline_hygiene_summary) IS
	'records with every required field filled';
COMMENT ON FUNCTION complete_amount(pipeline_hygiene_summary) IS
	'sum of the amounts of the records with every required field filled';
COMMENT ON FUNCTION completeness(pipeline_hygiene_summary) IS
	'records with every required field filled, of all records, as a proportion_summary, for rate() and rate_ci()';
COMMENT ON FUNCTION field_filled_counts(pipeline_hygiene_summary) IS
	'records with each required field filled, in the order of required_fields_filled';
COMMENT ON FUNCTION field_completeness(pipeline_hygiene_summary, text[]) IS
	'one row per required field: its number, its name from field_names (NULL without), and its filled records of all records as a proportion_summary';

------------------------------------------------------------------------------
-- Lead KPIs (src/pipeline/pipeline_leads.c), 1.3.0: lead_summary holds the
-- leads of one source, the opportunities and wins among them, their speed
-- to lead and the activities per deal; mergeable by rollup().
------------------------------------------------------------------------------

CREATE TYPE lead_summary;

CREATE FUNCTION lead_summary_in(cstring) RETURNS lead_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_summary_out(lead_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_summary_recv(internal) RETURNS lead_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_summary_send(lead_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE lead_summary (
	INPUT = lead_summary_in,
	OUTPUT = lead_summary_out,
	RECEIVE = lead_summary_recv,
	SEND = lead_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE lead_summary IS
	'summary of leads: counts of leads, opportunities, wins and responded leads, the distribution of speed to lead and of activities per deal (exact up to 10000 distinct values, then 1 % buckets); read it with lead_to_opportunity(), median_speed_to_lead() and the other lead accessors; its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION lead_summary_in(cstring) IS 'text input of lead_summary';
COMMENT ON FUNCTION lead_summary_out(lead_summary) IS 'text output of lead_summary';
COMMENT ON FUNCTION lead_summary_recv(internal) IS 'binary input of lead_summary';
COMMENT ON FUNCTION lead_summary_send(lead_summary) IS 'binary output of lead_summary';

CREATE FUNCTION lead_summary_accum(lead_summary, timestamptz, timestamptz, boolean, boolean, integer)
	RETURNS lead_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION lead_summary_combine(lead_summary, lead_summary) RETURNS lead_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION lead_summary_accum(lead_summary, timestamptz, timestamptz, boolean, boolean, integer) IS
	'transition function of lead_agg: adds one lead';
COMMENT ON FUNCTION lead_summary_combine(lead_summary, lead_summary) IS
	'merges two lead summaries: counts added, distributions merged';

CREATE AGGREGATE lead_agg(created_at timestamptz, first_response_at timestamptz,
		became_opportunity boolean, won boolean, activities integer) (
	SFUNC = lead_summary_accum,
	STYPE = lead_summary,
	INITCOND = '{"version":1,"leads":0,"opportunities":0,"wins":0,"responded":0,"activity_deals":0,"activity_sum":0,"speed_to_lead":{"sketched":false,"values":[]},"activities":{"sketched":false,"values":[]}}',
	COMBINEFUNC = lead_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(lead_summary) (
	SFUNC = lead_summary_combine,
	STYPE = lead_summary,
	COMBINEFUNC = lead_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE lead_agg(timestamptz, timestamptz, boolean, boolean, integer) IS
	'lead summary of leads (created_at, first_response_at, became_opportunity, won, activities of the deal): NULL booleans are false, a won lead must be an opportunity; speed to lead = first_response_at - created_at over leads with both; activities (not negative) count for opportunities, NULL ones not at all';
COMMENT ON AGGREGATE rollup(lead_summary) IS
	'merges lead summaries (per source and month into per source, overall); NULL for no rows';

CREATE FUNCTION leads(lead_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'lead_leads' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION opportunities(lead_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'lead_opportunities' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION won_opportunities(lead_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'lead_won_opportunities' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION responded_leads(lead_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'lead_responded_leads' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_to_opportunity(lead_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'lead_lead_to_opportunity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION opportunity_to_win(lead_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'lead_opportunity_to_win' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lead_to_win(lead_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'lead_lead_to_win' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION response_rate(lead_summary) RETURNS proportion_summary
	AS 'MODULE_PATHNAME', 'lead_response_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_speed_to_lead(lead_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'lead_median_speed_to_lead' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION speed_to_lead_quantile(lead_summary, fraction double precision) RETURNS interval
	AS 'MODULE_PATHNAME', 'lead_speed_to_lead_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION speed_to_lead_is_exact(lead_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'lead_speed_to_lead_is_exact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_activities_per_deal(lead_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'lead_average_activities_per_deal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_activities_per_deal(lead_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'lead_median_activities_per_deal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION activities_per_deal_quantile(lead_summary, fraction double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'lead_activities_per_deal_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_per_lead(s lead_summary, spend numeric) RETURNS numeric
	AS 'SELECT $2 / nullif(leads($1), 0)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_per_opportunity(s lead_summary, spend numeric) RETURNS numeric
	AS 'SELECT $2 / nullif(opportunities($1), 0)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_per_win(s lead_summary, spend numeric) RETURNS numeric
	AS 'SELECT $2 / nullif(won_opportunities($1), 0)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION leads(lead_summary) IS 'leads in a lead summary';
COMMENT ON FUNCTION opportunities(lead_summary) IS 'leads that became opportunities';
COMMENT ON FUNCTION won_opportunities(lead_summary) IS 'opportunities won';
COMMENT ON FUNCTION responded_leads(lead_summary) IS 'leads with a first response (both times given)';
COMMENT ON FUNCTION lead_to_opportunity(lead_summary) IS
	'lead-to-opportunity rate: opportunities of leads, as a proportion_summary for rate(), rate_ci() and proportion_compare()';
COMMENT ON FUNCTION opportunity_to_win(lead_summary) IS
	'opportunity-to-win rate: won of opportunities, as a proportion_summary';
COMMENT ON FUNCTION lead_to_win(lead_summary) IS 'lead-to-win rate: won of leads, as a proportion_summary';
COMMENT ON FUNCTION response_rate(lead_summary) IS 'leads with a first response of all leads, as a proportion_summary';
COMMENT ON FUNCTION median_speed_to_lead(lead_summary) IS
	'median time from lead creation to first response, as percentile_cont(0.5): exact while speed_to_lead_is_exact, else within 1 %; NULL without responded leads';
COMMENT ON FUNCTION speed_to_lead_quantile(lead_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the time from lead creation to first response';
COMMENT ON FUNCTION speed_to_lead_is_exact(lead_summary) IS
	'whether the speed-to-lead distribution is exact (at most 10000 distinct response times)';
COMMENT ON FUNCTION average_activities_per_deal(lead_summary) IS
	'mean activities per opportunity (over opportunities with an activity count); NULL without one';
COMMENT ON FUNCTION median_activities_per_deal(lead_summary) IS
	'median activities per opportunity, as percentile_cont(0.5); NULL without one';
COMMENT ON FUNCTION activities_per_deal_quantile(lead_summary, double precision) IS
	'quantile (fraction 0..1, as percentile_cont) of the activities per opportunity';
COMMENT ON FUNCTION cost_per_lead(lead_summary, numeric) IS
	'cost per lead: spend / leads; NULL without leads';
COMMENT ON FUNCTION cost_per_opportunity(lead_summary, numeric) IS
	'cost per opportunity: spend / opportunities; NULL without opportunities';
COMMENT ON FUNCTION cost_per_win(lead_summary, numeric) IS
	'cost per won opportunity: spend / won opportunities; NULL without wins';

------------------------------------------------------------------------------
-- Pipeline changes between two snapshots (a waterfall), slippage
--
-- pipeline_changes reads the FULL JOIN of two snapshots of the deals on the
-- deal id, one row per deal: (amount, close date, status) at snapshot A and at
-- snapshot B (all NULL where the deal is absent) and the period.  Its result
-- is the waterfall as an array of (category, deals, amount) rows: opening,
-- new, pulled_in, increased, decreased, pushed_out, moved_out, won, lost,
-- removed, closing; closing = opening + the sum of the changes' amounts.
------------------------------------------------------------------------------

CREATE TYPE pipeline_change AS (
	category text,
	deals bigint,
	amount numeric
);
CREATE DOMAIN pipeline_change_array AS pipeline_change[];

COMMENT ON TYPE pipeline_change IS
	'one step of a pipeline waterfall: category (opening, new, pulled_in, increased, decreased, pushed_out, moved_out, won, lost, removed, closing), its deals, and its amount (the pipeline at opening and closing, the signed change otherwise)';
COMMENT ON DOMAIN pipeline_change_array IS
	'pipeline_change[], the result of pipeline_changes: the waterfall in order';

CREATE FUNCTION pipeline_changes_state_accum(internal, numeric, date, text, numeric, date, text,
		date, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_changes_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_changes_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_changes_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_changes_final(internal) RETURNS pipeline_change_array
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_changes_state_accum(internal, numeric, date, text, numeric, date, text, date, date) IS
	'transition function of pipeline_changes: classifies one deal of the two snapshots';
COMMENT ON FUNCTION pipeline_changes_state_combine(internal, internal) IS
	'combine function of pipeline_changes';
COMMENT ON FUNCTION pipeline_changes_state_serialize(internal) IS
	'serializes the state of pipeline_changes';
COMMENT ON FUNCTION pipeline_changes_state_deserialize(bytea, internal) IS
	'deserializes the state of pipeline_changes';
COMMENT ON FUNCTION pipeline_changes_final(internal) IS
	'final function of pipeline_changes: the waterfall, every category in order';

CREATE AGGREGATE pipeline_changes(amount_a numeric, close_a date, status_a text,
		amount_b numeric, close_b date, status_b text, period_start date, period_end date) (
	SFUNC = pipeline_changes_state_accum,
	STYPE = internal,
	FINALFUNC = pipeline_changes_final,
	COMBINEFUNC = pipeline_changes_state_combine,
	SERIALFUNC = pipeline_changes_state_serialize,
	DESERIALFUNC = pipeline_changes_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_changes(numeric, date, text, numeric, date, text, date, date) IS
	'pipeline waterfall of a period between snapshots A and B, one row per deal of their FULL JOIN: (amount, close date, status open/won/lost) at A and at B, NULL status where the deal is absent; categories in the order won/lost, moved in/out of the period, amount change; closing = opening + the changes';

CREATE FUNCTION pipeline_waterfall(pipeline_change_array,
		OUT category text, OUT deals bigint, OUT amount numeric)
	RETURNS SETOF record
	AS 'SELECT c.category, c.deals, c.amount FROM unnest($1) c'
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION slipped_deals(pipeline_change_array) RETURNS bigint
	AS 'SELECT c.deals FROM unnest($1) c WHERE c.category = ''pushed_out'''
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION slipped_amount(pipeline_change_array) RETURNS numeric
	AS 'SELECT -c.amount FROM unnest($1) c WHERE c.category = ''pushed_out'''
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_waterfall(pipeline_change_array) IS
	'the rows of a pipeline_changes result: (category, deals, amount) in waterfall order';
COMMENT ON FUNCTION slipped_deals(pipeline_change_array) IS
	'slippage: deals of the opening pipeline still open at snapshot B with a close date after the period end (the pushed_out step)';
COMMENT ON FUNCTION slipped_amount(pipeline_change_array) IS
	'slippage: the opening amount (at snapshot A) of the deals whose close date moved past the period end, a positive number';

-- Stored waterfalls merge: the categories' deals and amounts add up
CREATE FUNCTION pipeline_changes_state_combine_array(pipeline_change_array, pipeline_change_array)
	RETURNS pipeline_change_array
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_changes_state_combine_array(pipeline_change_array, pipeline_change_array) IS
	'transition and combine function of rollup(pipeline_change_array): adds the deals and amounts of each category';

CREATE AGGREGATE rollup(pipeline_change_array) (
	SFUNC = pipeline_changes_state_combine_array,
	STYPE = pipeline_change_array,
	COMBINEFUNC = pipeline_changes_state_combine_array,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(pipeline_change_array) IS
	'merges the waterfalls of disjoint sets of deals (per team, per shard) of one period and pair of snapshots: the waterfall of all of them';

-- Forecast of the open pipeline: stage-to-won rates from the stage
-- conversion matrix, and the expected won amount with an interval.

CREATE FUNCTION stage_win_rates(stage_conversion_array, won_stage text DEFAULT 'won',
		lost_stage text DEFAULT 'lost',
		OUT stage text, OUT win_rate double precision, OUT deals bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION stage_win_rates(stage_conversion_array, text, text) IS
	'historical stage-to-won rates of a stage_conversions matrix: per stage, the probability that a deal in it ends in won_stage rather than lost_stage (the product of the stage-to-stage rates along a funnel; the absorption probability with skips and loops), and the deals that left the stage (the sample behind its rates); NULL rate when no outcome follows the stage';

CREATE TYPE pipeline_forecast_estimate AS (
	deals bigint,
	pipeline double precision,
	weighted double precision,
	expected double precision,
	std_error double precision,
	lower double precision,
	upper double precision,
	deals_without_rate bigint
);

COMMENT ON TYPE pipeline_forecast_estimate IS
	'result of pipeline_forecast: open deals, their amount, the probability-weighted pipeline, the expected won amount by the stages'' historical win rates, its standard error from the deals'' outcomes and the rates'' uncertainty, the 95 % interval (normal approximation, clipped to 0 .. pipeline), and the deals without a win rate (left out of expected)';

CREATE FUNCTION pipeline_forecast_state_accum(internal, numeric, double precision, text,
		double precision, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_forecast_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_forecast_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_forecast_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_forecast_final(internal) RETURNS pipeline_forecast_estimate
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pipeline_forecast_state_accum(internal, numeric, double precision, text, double precision, bigint) IS
	'transition function of pipeline_forecast: adds one open deal';
COMMENT ON FUNCTION pipeline_forecast_state_combine(internal, internal) IS
	'combine function of pipeline_forecast';
COMMENT ON FUNCTION pipeline_forecast_state_serialize(internal) IS
	'serializes the state of pipeline_forecast';
COMMENT ON FUNCTION pipeline_forecast_state_deserialize(bytea, internal) IS
	'deserializes the state of pipeline_forecast';
COMMENT ON FUNCTION pipeline_forecast_final(internal) IS
	'final function of pipeline_forecast: the estimate';

CREATE AGGREGATE pipeline_forecast(amount numeric, probability double precision, stage text,
		win_rate double precision, rate_deals bigint) (
	SFUNC = pipeline_forecast_state_accum,
	STYPE = internal,
	FINALFUNC = pipeline_forecast_final,
	COMBINEFUNC = pipeline_forecast_state_combine,
	SERIALFUNC = pipeline_forecast_state_serialize,
	DESERIALFUNC = pipeline_forecast_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pipeline_forecast(numeric, double precision, text, double precision, bigint) IS
	'forecast of open deals (amount, stage probability, stage, the stage''s historical win rate and the deals behind it, as stage_win_rates gives them): weighted pipeline, expected won amount and its 95 % interval, each deal a Bernoulli of its stage''s rate, the rate uncertain with variance rate (1 - rate) / (deals + 2), shared by its stage; an estimate';

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
