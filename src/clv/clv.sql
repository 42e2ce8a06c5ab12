------------------------------------------------------------------------------
-- Customer lifetime value: historic, formula-based and predictive (BG/NBD +
-- Gamma-Gamma).  src/clv/
--
-- clv() sums a customer's order values in NUMERIC, exactly, into a
-- clv_summary; rfm_agg() builds a customer's RFM summary, which the
-- BG/NBD and Gamma-Gamma fits read and the predictions take with a model.
------------------------------------------------------------------------------

-- Historic CLV
--
-- clv_summary holds the number of values summed and their exact numeric sum
-- (src/clv/clv_summary.c): the state of the clv() aggregates, so that
-- parallel plans and Citus split them through the type's own formats, the
-- result of clv_agg(), and what rollup() merges.

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

CREATE AGGREGATE clv(amount numeric) (
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
CREATE AGGREGATE clv(amount numeric, cost numeric) (
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
CREATE AGGREGATE clv(amount numeric, cost numeric, order_date date, reference_date date,
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

COMMENT ON AGGREGATE clv(numeric) IS
	'historic CLV: exact numeric sum of the order amounts (refunds negative); NULL amounts skipped, NULL for no rows';
COMMENT ON AGGREGATE clv(numeric, numeric) IS
	'historic CLV as margin: exact numeric sum of amount - cost; rows with a NULL amount or cost skipped';
COMMENT ON AGGREGATE clv(numeric, numeric, date, date, double precision) IS
	'historic CLV discounted to reference_date: sum of (amount - cost) * (1 + annual_rate)^((reference_date - order_date) / 365.25)';
COMMENT ON AGGREGATE clv_agg(numeric) IS
	'CLV summary of the order amounts, for clv(summary) and rollup; NULL amounts skipped, the empty summary for no rows';
COMMENT ON AGGREGATE clv_agg(numeric, numeric) IS
	'CLV summary of the margins amount - cost, for clv(summary) and rollup; rows with a NULL amount or cost skipped';
COMMENT ON AGGREGATE clv_agg(numeric, numeric, date, date, double precision) IS
	'CLV summary of the margins discounted to reference_date, for clv(summary) and rollup';
COMMENT ON AGGREGATE rollup(clv_summary) IS
	'merges CLV summaries into one (the empty summary for no rows)';

-- The classic retention formula

CREATE FUNCTION retention_clv(margin double precision, retention double precision,
		discount_rate double precision, margin_at_start boolean DEFAULT false)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION retention_clv(double precision, double precision, double precision, boolean) IS
	'infinite-horizon CLV m * r / (1 + d - r), or m * (1 + d) / (1 + d - r) with the first margin at once; needs 0 <= r < 1 + d';

-- RFM summary of one customer

CREATE TYPE rfm_summary;

CREATE FUNCTION rfm_summary_in(cstring) RETURNS rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_summary_out(rfm_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_summary_recv(internal) RETURNS rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_summary_send(rfm_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm_summary (
	INPUT = rfm_summary_in,
	OUTPUT = rfm_summary_out,
	RECEIVE = rfm_summary_recv,
	SEND = rfm_summary_send,
	INTERNALLENGTH = 40,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE rfm_summary IS
	'one customer''s RFM summary: frequency x (repeat purchase days), recency t_x, age T, mean repeat purchase value';
COMMENT ON FUNCTION rfm_summary_in(cstring) IS 'text input of rfm_summary';
COMMENT ON FUNCTION rfm_summary_out(rfm_summary) IS 'text output of rfm_summary';
COMMENT ON FUNCTION rfm_summary_recv(internal) IS 'binary input of rfm_summary';
COMMENT ON FUNCTION rfm_summary_send(rfm_summary) IS 'binary output of rfm_summary';

CREATE FUNCTION rfm_summary(frequency bigint, recency double precision, age double precision,
		monetary_value double precision DEFAULT 0)
	RETURNS rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION frequency(rfm_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'rfm_frequency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION recency(rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'rfm_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_age(rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'rfm_customer_age' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION monetary_value(rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'rfm_monetary_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION rfm_summary(bigint, double precision, double precision, double precision) IS
	'RFM summary from known frequency, recency, age (same time unit) and mean repeat purchase value';
COMMENT ON FUNCTION frequency(rfm_summary) IS 'number of repeat purchase days x';
COMMENT ON FUNCTION recency(rfm_summary) IS 'time t_x from the first to the last purchase day, in the summary''s unit';
COMMENT ON FUNCTION customer_age(rfm_summary) IS 'time T from the first purchase day to the observation end, in the summary''s unit';
COMMENT ON FUNCTION monetary_value(rfm_summary) IS 'mean value of the repeat purchase days (first excluded); 0 when x = 0';

CREATE FUNCTION rfm_agg_state_accum(internal, date, double precision, date, interval) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_agg_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_agg_final(internal) RETURNS rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION rfm_agg_state_accum(internal, date, double precision, date, interval) IS
	'transition function of rfm_agg';
COMMENT ON FUNCTION rfm_agg_state_combine(internal, internal) IS 'combine function of rfm_agg';
COMMENT ON FUNCTION rfm_agg_state_serialize(internal) IS 'serialize function of rfm_agg';
COMMENT ON FUNCTION rfm_agg_state_deserialize(bytea, internal) IS 'deserialize function of rfm_agg';
COMMENT ON FUNCTION rfm_agg_final(internal) IS 'final function of rfm_agg';

CREATE AGGREGATE rfm_agg(purchase date, amount double precision, observation_end date, unit interval) (
	SFUNC = rfm_agg_state_accum,
	STYPE = internal,
	FINALFUNC = rfm_agg_final,
	COMBINEFUNC = rfm_agg_state_combine,
	SERIALFUNC = rfm_agg_state_serialize,
	DESERIALFUNC = rfm_agg_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rfm_agg(date, double precision, date, interval) IS
	'RFM summary of one customer''s purchases up to observation_end, same-day purchases merged, times in unit; NULL if none';

-- BG/NBD and Gamma-Gamma models

CREATE TYPE bgnbd_model;

CREATE FUNCTION bgnbd_model_in(cstring) RETURNS bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_out(bgnbd_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_recv(internal) RETURNS bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_send(bgnbd_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE bgnbd_model (
	INPUT = bgnbd_model_in,
	OUTPUT = bgnbd_model_out,
	RECEIVE = bgnbd_model_recv,
	SEND = bgnbd_model_send,
	INTERNALLENGTH = 56,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE bgnbd_model IS
	'BG/NBD purchase model: r, alpha, a, b, log-likelihood, number of customers fitted, convergence';
COMMENT ON FUNCTION bgnbd_model_in(cstring) IS 'text input of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_out(bgnbd_model) IS 'text output of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_recv(internal) IS 'binary input of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_send(bgnbd_model) IS 'binary output of bgnbd_model';

CREATE TYPE gamma_gamma_model;

CREATE FUNCTION gamma_gamma_model_in(cstring) RETURNS gamma_gamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_out(gamma_gamma_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_recv(internal) RETURNS gamma_gamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_send(gamma_gamma_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE gamma_gamma_model (
	INPUT = gamma_gamma_model_in,
	OUTPUT = gamma_gamma_model_out,
	RECEIVE = gamma_gamma_model_recv,
	SEND = gamma_gamma_model_send,
	INTERNALLENGTH = 48,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE gamma_gamma_model IS
	'Gamma-Gamma spend model: p, q, gamma, log-likelihood, number of repeat buyers fitted, convergence';
COMMENT ON FUNCTION gamma_gamma_model_in(cstring) IS 'text input of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_out(gamma_gamma_model) IS 'text output of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_recv(internal) IS 'binary input of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_send(gamma_gamma_model) IS 'binary output of gamma_gamma_model';

CREATE FUNCTION bgnbd_model(r double precision, alpha double precision,
		a double precision, b double precision) RETURNS bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model(p double precision, q double precision, gamma double precision)
	RETURNS gamma_gamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION parameters(bgnbd_model, OUT r double precision, OUT alpha double precision,
		OUT a double precision, OUT b double precision) RETURNS record
	AS 'MODULE_PATHNAME', 'bgnbd_parameters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION parameters(gamma_gamma_model, OUT p double precision, OUT q double precision,
		OUT gamma double precision) RETURNS record
	AS 'MODULE_PATHNAME', 'gamma_gamma_parameters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(gamma_gamma_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(bgnbd_model) RETURNS bigint
	AS 'MODULE_PATHNAME', 'bgnbd_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(gamma_gamma_model) RETURNS bigint
	AS 'MODULE_PATHNAME', 'gamma_gamma_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(bgnbd_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'bgnbd_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(gamma_gamma_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'gamma_gamma_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bgnbd_model(double precision, double precision, double precision, double precision) IS
	'BG/NBD model of given parameters (e.g. published ones); 0 customers, not fitted';
COMMENT ON FUNCTION gamma_gamma_model(double precision, double precision, double precision) IS
	'Gamma-Gamma model of given parameters; 0 customers, not fitted';
COMMENT ON FUNCTION parameters(bgnbd_model) IS 'BG/NBD parameters r, alpha, a, b';
COMMENT ON FUNCTION parameters(gamma_gamma_model) IS 'Gamma-Gamma parameters p, q, gamma';
COMMENT ON FUNCTION log_likelihood(bgnbd_model) IS 'maximised log-likelihood of the fit; NULL for a model of given parameters';
COMMENT ON FUNCTION log_likelihood(gamma_gamma_model) IS 'maximised log-likelihood of the fit; NULL for a model of given parameters';
COMMENT ON FUNCTION customers(bgnbd_model) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION customers(gamma_gamma_model) IS 'number of repeat buyers the model was fitted on';
COMMENT ON FUNCTION converged(bgnbd_model) IS 'whether the fit converged to an interior maximum';
COMMENT ON FUNCTION converged(gamma_gamma_model) IS 'whether the fit converged to an interior maximum';

CREATE FUNCTION clv_fit_state_accum_bgnbd(internal, rfm_summary) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_state_accum_gamma_gamma(internal, rfm_summary) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_fit_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_final(internal) RETURNS bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_final(internal) RETURNS gamma_gamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION clv_fit_state_accum_bgnbd(internal, rfm_summary) IS 'transition function of bgnbd_fit';
COMMENT ON FUNCTION clv_fit_state_accum_gamma_gamma(internal, rfm_summary) IS 'transition function of gamma_gamma_fit';
COMMENT ON FUNCTION clv_fit_state_combine(internal, internal) IS 'combine function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION clv_fit_state_serialize(internal) IS 'serialize function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION clv_fit_state_deserialize(bytea, internal) IS 'deserialize function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION bgnbd_fit_final(internal) IS 'final function of bgnbd_fit: the maximum-likelihood fit';
COMMENT ON FUNCTION gamma_gamma_fit_final(internal) IS 'final function of gamma_gamma_fit: the maximum-likelihood fit';

CREATE AGGREGATE bgnbd_fit(rfm_summary) (
	SFUNC = clv_fit_state_accum_bgnbd,
	STYPE = internal,
	FINALFUNC = bgnbd_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_fit(rfm_summary) (
	SFUNC = clv_fit_state_accum_gamma_gamma,
	STYPE = internal,
	FINALFUNC = gamma_gamma_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE bgnbd_fit(rfm_summary) IS
	'maximum-likelihood BG/NBD fit over customers'' RFM summaries; NULL for no customers';
COMMENT ON AGGREGATE gamma_gamma_fit(rfm_summary) IS
	'maximum-likelihood Gamma-Gamma fit over the repeat buyers'' RFM summaries; NULL when there is none';

-- Predictions (times in the RFM summary's unit)

CREATE FUNCTION probability_alive(bgnbd_model, rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_probability_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(bgnbd_model, rfm_summary, t double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(bgnbd_model, t double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_new_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION purchase_probability(bgnbd_model, t double precision, n bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_purchase_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION purchase_probability(bgnbd_model, rfm_summary, t double precision, n bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_conditional_purchase_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_spend(gamma_gamma_model, rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_expected_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION predicted_clv(bgnbd_model, gamma_gamma_model, rfm_summary, periods integer,
		period_length double precision, discount_rate double precision,
		margin double precision DEFAULT 1)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION probability_alive(bgnbd_model, rfm_summary) IS
	'BG/NBD probability that the customer is still active at the end of the observation';
COMMENT ON FUNCTION expected_purchases(bgnbd_model, rfm_summary, double precision) IS
	'BG/NBD expected number of purchases of this customer in the next t time units';
COMMENT ON FUNCTION expected_purchases(bgnbd_model, double precision) IS
	'BG/NBD expected number of purchases of a new customer in their first t time units';
COMMENT ON FUNCTION purchase_probability(bgnbd_model, double precision, bigint) IS
	'BG/NBD probability that a new customer makes exactly n repeat purchases in t time units';
COMMENT ON FUNCTION purchase_probability(bgnbd_model, rfm_summary, double precision, bigint) IS
	'BG/NBD probability that this customer makes exactly n purchases in the next t time units';
COMMENT ON FUNCTION expected_spend(gamma_gamma_model, rfm_summary) IS
	'Gamma-Gamma expected mean purchase value of this customer; NULL where it is infinite';
COMMENT ON FUNCTION predicted_clv(bgnbd_model, gamma_gamma_model, rfm_summary, integer, double precision, double precision, double precision) IS
	'predicted CLV: margin * expected spend * expected purchases of each of the next periods (period_length time units), discounted per period';

-- Timestamps as times (1.3.0)
--
-- The discounted clv() and clv_agg() take timestamp and timestamptz order
-- and reference times: the exponent is the days between them, fractional
-- (microseconds / 86,400,000,000; of timestamptz the absolute time elapsed),
-- over 365.25.  rfm_agg() takes timestamp and timestamptz purchases and
-- observation end: each is taken as its calendar day (timestamp::date; of
-- timestamptz, the day in the session's TimeZone, so that transition function
-- is STABLE), as lifetimes does at its default freq 'D'.

CREATE FUNCTION clv_summary_accum_discounted_timestamp(clv_summary, numeric, numeric,
		timestamp, timestamp, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_summary_deaccum_discounted_timestamp(clv_summary, numeric, numeric,
		timestamp, timestamp, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_summary_accum_discounted_timestamptz(clv_summary, numeric, numeric,
		timestamptz, timestamptz, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_summary_deaccum_discounted_timestamptz(clv_summary, numeric, numeric,
		timestamptz, timestamptz, double precision)
	RETURNS clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION clv_summary_accum_discounted_timestamp(clv_summary, numeric, numeric, timestamp, timestamp, double precision) IS
	'transition function of clv(amount, cost, order_time timestamp, reference_time timestamp, annual_rate) and its clv_agg: adds the discounted margin';
COMMENT ON FUNCTION clv_summary_deaccum_discounted_timestamp(clv_summary, numeric, numeric, timestamp, timestamp, double precision) IS
	'inverse transition function of clv(amount, cost, order_time timestamp, reference_time timestamp, annual_rate) and its clv_agg (moving windows)';
COMMENT ON FUNCTION clv_summary_accum_discounted_timestamptz(clv_summary, numeric, numeric, timestamptz, timestamptz, double precision) IS
	'transition function of clv(amount, cost, order_time timestamptz, reference_time timestamptz, annual_rate) and its clv_agg: adds the discounted margin';
COMMENT ON FUNCTION clv_summary_deaccum_discounted_timestamptz(clv_summary, numeric, numeric, timestamptz, timestamptz, double precision) IS
	'inverse transition function of clv(amount, cost, order_time timestamptz, reference_time timestamptz, annual_rate) and its clv_agg (moving windows)';

CREATE AGGREGATE clv(amount numeric, cost numeric, order_time timestamp, reference_time timestamp,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted_timestamp,
	STYPE = clv_summary,
	FINALFUNC = clv,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted_timestamp,
	MINVFUNC = clv_summary_deaccum_discounted_timestamp,
	MSTYPE = clv_summary,
	MFINALFUNC = clv,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE clv(amount numeric, cost numeric, order_time timestamptz, reference_time timestamptz,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted_timestamptz,
	STYPE = clv_summary,
	FINALFUNC = clv,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted_timestamptz,
	MINVFUNC = clv_summary_deaccum_discounted_timestamptz,
	MSTYPE = clv_summary,
	MFINALFUNC = clv,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE clv_agg(amount numeric, cost numeric, order_time timestamp, reference_time timestamp,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted_timestamp,
	STYPE = clv_summary,
	FINALFUNC = clv_summary_final,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted_timestamp,
	MINVFUNC = clv_summary_deaccum_discounted_timestamp,
	MSTYPE = clv_summary,
	MFINALFUNC = clv_summary_final,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);
CREATE AGGREGATE clv_agg(amount numeric, cost numeric, order_time timestamptz, reference_time timestamptz,
		annual_rate double precision) (
	SFUNC = clv_summary_accum_discounted_timestamptz,
	STYPE = clv_summary,
	FINALFUNC = clv_summary_final,
	INITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	COMBINEFUNC = clv_summary_combine,
	MSFUNC = clv_summary_accum_discounted_timestamptz,
	MINVFUNC = clv_summary_deaccum_discounted_timestamptz,
	MSTYPE = clv_summary,
	MFINALFUNC = clv_summary_final,
	MINITCOND = '{"version":1,"count":0,"scale_count":0,"sum":"0"}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE clv(numeric, numeric, timestamp, timestamp, double precision) IS
	'historic CLV discounted to reference_time: sum of (amount - cost) * (1 + annual_rate)^(days from order_time to reference_time, fractional, / 365.25)';
COMMENT ON AGGREGATE clv(numeric, numeric, timestamptz, timestamptz, double precision) IS
	'historic CLV discounted to reference_time: sum of (amount - cost) * (1 + annual_rate)^(absolute days elapsed from order_time to reference_time / 365.25)';
COMMENT ON AGGREGATE clv_agg(numeric, numeric, timestamp, timestamp, double precision) IS
	'CLV summary of the margins discounted to reference_time (fractional days / 365.25), for clv(summary) and rollup';
COMMENT ON AGGREGATE clv_agg(numeric, numeric, timestamptz, timestamptz, double precision) IS
	'CLV summary of the margins discounted to reference_time (absolute days elapsed / 365.25), for clv(summary) and rollup';

CREATE FUNCTION rfm_agg_state_accum_timestamp(internal, timestamp, double precision, timestamp, interval)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_state_accum_timestamptz(internal, timestamptz, double precision, timestamptz, interval)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION rfm_agg_state_accum_timestamp(internal, timestamp, double precision, timestamp, interval) IS
	'transition function of rfm_agg(timestamp, ...): takes each time as its calendar day';
COMMENT ON FUNCTION rfm_agg_state_accum_timestamptz(internal, timestamptz, double precision, timestamptz, interval) IS
	'transition function of rfm_agg(timestamptz, ...): takes each time as its calendar day in the session''s TimeZone';

CREATE AGGREGATE rfm_agg(purchase timestamp, amount double precision, observation_end timestamp, unit interval) (
	SFUNC = rfm_agg_state_accum_timestamp,
	STYPE = internal,
	FINALFUNC = rfm_agg_final,
	COMBINEFUNC = rfm_agg_state_combine,
	SERIALFUNC = rfm_agg_state_serialize,
	DESERIALFUNC = rfm_agg_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(purchase timestamptz, amount double precision, observation_end timestamptz, unit interval) (
	SFUNC = rfm_agg_state_accum_timestamptz,
	STYPE = internal,
	FINALFUNC = rfm_agg_final,
	COMBINEFUNC = rfm_agg_state_combine,
	SERIALFUNC = rfm_agg_state_serialize,
	DESERIALFUNC = rfm_agg_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rfm_agg(timestamp, double precision, timestamp, interval) IS
	'RFM summary of one customer''s purchases up to observation_end, each time taken as its calendar day (purchase::date), same-day purchases merged, times in unit; NULL if none';
COMMENT ON AGGREGATE rfm_agg(timestamptz, double precision, timestamptz, interval) IS
	'RFM summary of one customer''s purchases up to observation_end, each time taken as its calendar day in the session''s TimeZone, same-day purchases merged, times in unit; NULL if none';
-- 1.3.0: the models' parameters as plain columns for BI tools, as alpha(m)
-- and beta(m) read an sbg_model.  Each returns the output column of
-- parameters(m) of its name.

CREATE FUNCTION r(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_r' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION alpha(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_alpha' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION a(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_a' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION b(bgnbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_b' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p(gamma_gamma_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION q(gamma_gamma_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_q' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma(gamma_gamma_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'gamma_gamma_gamma' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION r(bgnbd_model) IS 'BG/NBD r, shape of the gamma distribution of purchase rates: parameters(m).r';
COMMENT ON FUNCTION alpha(bgnbd_model) IS 'BG/NBD alpha, scale of the gamma distribution of purchase rates: parameters(m).alpha';
COMMENT ON FUNCTION a(bgnbd_model) IS 'BG/NBD a of the beta distribution of dropout probabilities: parameters(m).a';
COMMENT ON FUNCTION b(bgnbd_model) IS 'BG/NBD b of the beta distribution of dropout probabilities: parameters(m).b';
COMMENT ON FUNCTION p(gamma_gamma_model) IS 'Gamma-Gamma p, shape of the spend per transaction: parameters(m).p';
COMMENT ON FUNCTION q(gamma_gamma_model) IS 'Gamma-Gamma q, shape of the gamma distribution of mean spends: parameters(m).q';
COMMENT ON FUNCTION gamma(gamma_gamma_model) IS 'Gamma-Gamma gamma, scale of the gamma distribution of mean spends: parameters(m).gamma';

-- 1.3.0: calibration / holdout validation.  holdout_summary holds, per
-- calibration frequency 0 .. 100 and for all frequencies above, the
-- customers, their actual holdout purchases and a model's predicted ones
-- (src/clv/clv_holdout.c); calibration_table reads the table BTYD and
-- lifetimes plot, holdout_totals the totals and an error measure.

CREATE TYPE holdout_summary;

CREATE FUNCTION holdout_summary_in(cstring) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_out(holdout_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_recv(internal) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_send(holdout_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE holdout_summary (
	INPUT = holdout_summary_in,
	OUTPUT = holdout_summary_out,
	RECEIVE = holdout_summary_recv,
	SEND = holdout_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE holdout_summary IS
	'holdout validation of a purchase model: customers, actual and predicted holdout purchases per calibration frequency';
COMMENT ON FUNCTION holdout_summary_in(cstring) IS 'text input of holdout_summary';
COMMENT ON FUNCTION holdout_summary_out(holdout_summary) IS 'text output of holdout_summary';
COMMENT ON FUNCTION holdout_summary_recv(internal) IS 'binary input of holdout_summary';
COMMENT ON FUNCTION holdout_summary_send(holdout_summary) IS 'binary output of holdout_summary';

CREATE FUNCTION holdout_summary_accum(holdout_summary, bgnbd_model, rfm_summary, bigint, double precision)
	RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_combine(holdout_summary, holdout_summary) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION holdout_summary_accum(holdout_summary, bgnbd_model, rfm_summary, bigint, double precision) IS
	'adds one customer: the actual holdout purchases and the BG/NBD conditional expectation over holdout_length (transition function of holdout_agg)';
COMMENT ON FUNCTION holdout_summary_combine(holdout_summary, holdout_summary) IS
	'adds two holdout summaries bin by bin (combine function of holdout_agg; transition function of rollup)';

CREATE AGGREGATE holdout_agg(model bgnbd_model, calibration rfm_summary, holdout_purchases bigint,
							 holdout_length double precision) (
	SFUNC = holdout_summary_accum,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(holdout_summary) (
	SFUNC = holdout_summary_combine,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE holdout_agg(bgnbd_model, rfm_summary, bigint, double precision) IS
	'holdout summary of customers: per calibration frequency, the customers, their actual holdout purchases and the model''s expected ones over holdout_length; rows with a NULL skipped';
COMMENT ON AGGREGATE rollup(holdout_summary) IS
	'merges holdout summaries into one (the empty summary for no rows)';

CREATE FUNCTION calibration_table(summary holdout_summary, max_frequency integer DEFAULT 7)
	RETURNS TABLE (frequency integer, customers bigint, actual double precision,
				   predicted double precision)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
CREATE FUNCTION holdout_totals(summary holdout_summary, max_frequency integer DEFAULT 7,
							   OUT customers bigint, OUT actual bigint, OUT predicted double precision,
							   OUT mean_absolute_error double precision)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION calibration_table(holdout_summary, integer) IS
	'per calibration frequency 0 .. max_frequency (the last row: max_frequency or more) the customers and their mean actual and predicted holdout purchases';
COMMENT ON FUNCTION holdout_totals(holdout_summary, integer) IS
	'customers, total actual and predicted holdout purchases, and the customer-weighted mean absolute error of the calibration table''s rows';

-- 1.3.0: holdout_agg over each customer's holdout purchase times, which
-- also tracks the holdout period by period; holdout_tracking reads it.
CREATE FUNCTION holdout_summary_accum_times(holdout_summary, bgnbd_model, rfm_summary, double precision[],
	double precision, integer) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION holdout_summary_accum_times(holdout_summary, bgnbd_model, rfm_summary, double precision[], double precision, integer) IS
	'adds one customer: the holdout purchase times within periods x period_length, per period, and the BG/NBD cumulative expectation at the end of each period (transition function of holdout_agg)';
CREATE AGGREGATE holdout_agg(model bgnbd_model, calibration rfm_summary, holdout_times double precision[],
							 period_length double precision, periods integer) (
	SFUNC = holdout_summary_accum_times,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE holdout_agg(bgnbd_model, rfm_summary, double precision[], double precision, integer) IS
	'holdout summary tracked by period: holdout_agg over the purchase times (offsets from the calibration end) within periods x period_length, with each period''s purchases and cumulative expectation; rows with a NULL skipped';
CREATE FUNCTION holdout_tracking(summary holdout_summary)
	RETURNS TABLE (period integer, actual bigint, expected double precision,
				   actual_cumulative bigint, expected_cumulative double precision)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 52;
COMMENT ON FUNCTION holdout_tracking(holdout_summary) IS
	'per tracked period the actual and expected purchases, each also cumulated: holdout periods 1 .. P from the calibration end (conditional expectation), or calibration periods 1 - C .. 0 first and the unconditional expectation from the span''s start (BTYD''s tracking plots)';
-- 1.3.0: standard errors of the fits from the observed information (the
-- same fit as bgnbd_fit / gamma_gamma_fit, then the inverse Hessian of the
-- log-likelihood at its maximum), and the table of a model's parameters
-- with them.

CREATE FUNCTION bgnbd_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_std_errors_final(internal) IS
	'final function of bgnbd_std_errors: the fit of bgnbd_fit and its standard errors';
COMMENT ON FUNCTION gamma_gamma_std_errors_final(internal) IS
	'final function of gamma_gamma_std_errors: the fit of gamma_gamma_fit and its standard errors';

CREATE AGGREGATE bgnbd_std_errors(rfm_summary) (
	SFUNC = clv_fit_state_accum_bgnbd,
	STYPE = internal,
	FINALFUNC = bgnbd_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_std_errors(rfm_summary) (
	SFUNC = clv_fit_state_accum_gamma_gamma,
	STYPE = internal,
	FINALFUNC = gamma_gamma_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_std_errors(rfm_summary) IS
	'standard errors of r, alpha, a, b of bgnbd_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no customers';
COMMENT ON AGGREGATE gamma_gamma_std_errors(rfm_summary) IS
	'standard errors of p, q, gamma of gamma_gamma_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL when there is no repeat buyer';

CREATE FUNCTION parameter_estimates(model bgnbd_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'bgnbd_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 4;
CREATE FUNCTION parameter_estimates(model gamma_gamma_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'gamma_gamma_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION parameter_estimates(bgnbd_model, double precision[], double precision) IS
	'r, alpha, a, b with their standard errors (bgnbd_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';
COMMENT ON FUNCTION parameter_estimates(gamma_gamma_model, double precision[], double precision) IS
	'p, q, gamma with their standard errors (gamma_gamma_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';
-- 1.3.0: the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987), fitted
-- from the same RFM summaries and state as bgnbd_fit.

CREATE TYPE pareto_nbd_model;

CREATE FUNCTION pareto_nbd_model_in(cstring) RETURNS pareto_nbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_out(pareto_nbd_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_recv(internal) RETURNS pareto_nbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_send(pareto_nbd_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE pareto_nbd_model (
	INPUT = pareto_nbd_model_in,
	OUTPUT = pareto_nbd_model_out,
	RECEIVE = pareto_nbd_model_recv,
	SEND = pareto_nbd_model_send,
	INTERNALLENGTH = 56,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE pareto_nbd_model IS
	'Pareto/NBD purchase model: r, alpha, s, beta, log-likelihood, number of customers fitted, convergence';
COMMENT ON FUNCTION pareto_nbd_model_in(cstring) IS 'text input of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_out(pareto_nbd_model) IS 'text output of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_recv(internal) IS 'binary input of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_send(pareto_nbd_model) IS 'binary output of pareto_nbd_model';

CREATE FUNCTION pareto_nbd_model(r double precision, alpha double precision,
		s double precision, beta double precision) RETURNS pareto_nbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION parameters(pareto_nbd_model, OUT r double precision, OUT alpha double precision,
		OUT s double precision, OUT beta double precision)
	AS 'MODULE_PATHNAME', 'pareto_nbd_parameters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(pareto_nbd_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pareto_nbd_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(pareto_nbd_model) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pareto_nbd_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(pareto_nbd_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'pareto_nbd_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_model(double precision, double precision, double precision, double precision) IS
	'Pareto/NBD model of given parameters r, alpha (purchase rates), s, beta (lifetimes), all positive';
COMMENT ON FUNCTION parameters(pareto_nbd_model) IS 'Pareto/NBD parameters r, alpha, s, beta';
COMMENT ON FUNCTION log_likelihood(pareto_nbd_model) IS 'maximised log-likelihood of the fit; NULL for a model of given parameters';
COMMENT ON FUNCTION customers(pareto_nbd_model) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION converged(pareto_nbd_model) IS 'whether the fit converged to an interior maximum';

CREATE FUNCTION pareto_nbd_fit_final(internal) RETURNS pareto_nbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_final(internal) IS 'final function of pareto_nbd_fit: the maximum-likelihood fit';
COMMENT ON FUNCTION pareto_nbd_std_errors_final(internal) IS
	'final function of pareto_nbd_std_errors: the fit of pareto_nbd_fit and its standard errors';

CREATE AGGREGATE pareto_nbd_fit(rfm_summary) (
	SFUNC = clv_fit_state_accum_bgnbd,
	STYPE = internal,
	FINALFUNC = pareto_nbd_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_std_errors(rfm_summary) (
	SFUNC = clv_fit_state_accum_bgnbd,
	STYPE = internal,
	FINALFUNC = pareto_nbd_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE pareto_nbd_fit(rfm_summary) IS
	'maximum-likelihood Pareto/NBD fit over customers'' RFM summaries; NULL for no customers';
COMMENT ON AGGREGATE pareto_nbd_std_errors(rfm_summary) IS
	'standard errors of r, alpha, s, beta of pareto_nbd_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no customers';

CREATE FUNCTION parameter_estimates(model pareto_nbd_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'pareto_nbd_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION parameter_estimates(pareto_nbd_model, double precision[], double precision) IS
	'r, alpha, s, beta with their standard errors (pareto_nbd_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';

CREATE FUNCTION probability_alive(pareto_nbd_model, rfm_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pareto_nbd_probability_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(pareto_nbd_model, rfm_summary, t double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'pareto_nbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(pareto_nbd_model, t double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'pareto_nbd_new_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION probability_alive(pareto_nbd_model, rfm_summary) IS
	'Pareto/NBD probability that the customer is still active at the end of observation';
COMMENT ON FUNCTION expected_purchases(pareto_nbd_model, rfm_summary, double precision) IS
	'Pareto/NBD expected purchases of this customer in the next t time units';
COMMENT ON FUNCTION expected_purchases(pareto_nbd_model, double precision) IS
	'Pareto/NBD expected purchases of a new customer in its first t time units';

-- BG/BB: the discrete-time model of customers with transaction opportunities
-- (Fader, Hardie & Shang 2010; src/clv/clv_bgbb.c).  A customer's data are
-- frequency x (repeat transactions), recency t_x (the opportunity of the last
-- one, 0 if none) and periods n (the opportunities since the first
-- transaction).  The model type has the generic text and binary formats of
-- bgnbd_model, with the parameters alpha, beta, gamma, delta.

CREATE TYPE bgbb_model;

CREATE FUNCTION bgbb_model_in(cstring) RETURNS bgbb_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_out(bgbb_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_recv(internal) RETURNS bgbb_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_send(bgbb_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE bgbb_model (
	INPUT = bgbb_model_in,
	OUTPUT = bgbb_model_out,
	RECEIVE = bgbb_model_recv,
	SEND = bgbb_model_send,
	INTERNALLENGTH = 56,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE bgbb_model IS
	'BG/BB model (Fader, Hardie & Shang 2010): alpha, beta of the beta distribution of transaction probabilities, gamma, delta of the beta distribution of dropout probabilities, with the fit''s log-likelihood, customers and convergence';
COMMENT ON FUNCTION bgbb_model_in(cstring) IS 'text input of bgbb_model';
COMMENT ON FUNCTION bgbb_model_out(bgbb_model) IS 'text output of bgbb_model';
COMMENT ON FUNCTION bgbb_model_recv(internal) IS 'binary input of bgbb_model';
COMMENT ON FUNCTION bgbb_model_send(bgbb_model) IS 'binary output of bgbb_model';

CREATE FUNCTION bgbb_model(alpha double precision, beta double precision,
		gamma double precision, delta double precision) RETURNS bgbb_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION parameters(bgbb_model, OUT alpha double precision, OUT beta double precision,
		OUT gamma double precision, OUT delta double precision)
	AS 'MODULE_PATHNAME', 'bgbb_parameters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(bgbb_model) RETURNS bigint
	AS 'MODULE_PATHNAME', 'bgbb_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(bgbb_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'bgbb_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bgbb_model(double precision, double precision, double precision, double precision) IS
	'BG/BB model of given parameters (e.g. published ones), for predictions';
COMMENT ON FUNCTION parameters(bgbb_model) IS 'BG/BB parameters alpha, beta, gamma, delta';
COMMENT ON FUNCTION log_likelihood(bgbb_model) IS 'maximised log-likelihood of the fit; NULL for a model of given parameters';
COMMENT ON FUNCTION customers(bgbb_model) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION converged(bgbb_model) IS 'whether the fit converged to an interior maximum';

CREATE FUNCTION bgbb_fit_state_accum(internal, bigint, bigint, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_accum_weighted(internal, bigint, bigint, bigint, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_final(internal) RETURNS bgbb_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION bgbb_fit_state_accum(internal, bigint, bigint, bigint) IS 'transition function of bgbb_fit(frequency, recency, periods)';
COMMENT ON FUNCTION bgbb_fit_state_accum_weighted(internal, bigint, bigint, bigint, bigint) IS 'transition function of bgbb_fit(frequency, recency, periods, customers)';
COMMENT ON FUNCTION bgbb_fit_state_combine(internal, internal) IS 'combine function of bgbb_fit';
COMMENT ON FUNCTION bgbb_fit_state_serialize(internal) IS 'serialize function of bgbb_fit';
COMMENT ON FUNCTION bgbb_fit_state_deserialize(bytea, internal) IS 'deserialize function of bgbb_fit';
COMMENT ON FUNCTION bgbb_fit_final(internal) IS 'final function of bgbb_fit: the maximum-likelihood fit';

CREATE AGGREGATE bgbb_fit(frequency bigint, recency bigint, periods bigint) (
	SFUNC = bgbb_fit_state_accum,
	STYPE = internal,
	FINALFUNC = bgbb_fit_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_fit(frequency bigint, recency bigint, periods bigint, customers bigint) (
	SFUNC = bgbb_fit_state_accum_weighted,
	STYPE = internal,
	FINALFUNC = bgbb_fit_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE bgbb_fit(bigint, bigint, bigint) IS
	'maximum-likelihood BG/BB fit over customers'' frequency, recency and periods (one row a customer); NULL for no customers';
COMMENT ON AGGREGATE bgbb_fit(bigint, bigint, bigint, bigint) IS
	'maximum-likelihood BG/BB fit over (frequency, recency, periods) cells with their numbers of customers; NULL for no customers';

CREATE FUNCTION probability_alive(bgbb_model, frequency bigint, recency bigint, periods bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_probability_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(bgbb_model, frequency bigint, recency bigint, periods bigint,
		future_periods bigint) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(bgbb_model, periods bigint) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_new_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION probability_alive(bgbb_model, bigint, bigint, bigint) IS
	'BG/BB probability that the customer is alive at the next opportunity (periods + 1)';
COMMENT ON FUNCTION expected_purchases(bgbb_model, bigint, bigint, bigint, bigint) IS
	'BG/BB expected number of transactions of this customer at the next future_periods opportunities';
COMMENT ON FUNCTION expected_purchases(bgbb_model, bigint) IS
	'BG/BB expected number of repeat transactions of a new customer over their first periods opportunities';

CREATE FUNCTION purchase_probability(bgbb_model, periods bigint, n bigint) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_purchase_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION purchase_probability(bgbb_model, bigint, bigint) IS
	'BG/BB probability that a new customer makes exactly n repeat transactions at their first periods opportunities';

-- the parameters as plain columns, as alpha(m) reads a bgnbd_model
CREATE FUNCTION alpha(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_alpha' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION beta(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_beta' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_gamma' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION delta(bgbb_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgbb_delta' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION alpha(bgbb_model) IS 'BG/BB alpha of the beta distribution of transaction probabilities: parameters(m).alpha';
COMMENT ON FUNCTION beta(bgbb_model) IS 'BG/BB beta of the beta distribution of transaction probabilities: parameters(m).beta';
COMMENT ON FUNCTION gamma(bgbb_model) IS 'BG/BB gamma of the beta distribution of dropout probabilities: parameters(m).gamma';
COMMENT ON FUNCTION delta(bgbb_model) IS 'BG/BB delta of the beta distribution of dropout probabilities: parameters(m).delta';

-- BG/BB standard errors (1.3.0): the fit of bgbb_fit over the same rows and
-- the standard errors of its parameters from the observed information, as
-- bgnbd_std_errors; parameter_estimates reads them with the model.

CREATE FUNCTION bgbb_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_std_errors_final(internal) IS
	'final function of bgbb_std_errors: the fit of bgbb_fit and its standard errors';

CREATE AGGREGATE bgbb_std_errors(frequency bigint, recency bigint, periods bigint) (
	SFUNC = bgbb_fit_state_accum,
	STYPE = internal,
	FINALFUNC = bgbb_std_errors_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_std_errors(frequency bigint, recency bigint, periods bigint, customers bigint) (
	SFUNC = bgbb_fit_state_accum_weighted,
	STYPE = internal,
	FINALFUNC = bgbb_std_errors_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgbb_std_errors(bigint, bigint, bigint) IS
	'standard errors of alpha, beta, gamma, delta of bgbb_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no customers';
COMMENT ON AGGREGATE bgbb_std_errors(bigint, bigint, bigint, bigint) IS
	'standard errors of alpha, beta, gamma, delta of bgbb_fit over the same cells (customers per cell), from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no customers';

CREATE FUNCTION parameter_estimates(model bgbb_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'bgbb_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION parameter_estimates(bgbb_model, double precision[], double precision) IS
	'alpha, beta, gamma, delta with their standard errors (bgbb_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';

-- 1.3.0: holdout_agg over Pareto/NBD models, by the Pareto/NBD conditional
-- expectation (the same summary, calibration table and tracking).
CREATE FUNCTION holdout_summary_accum_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary, bigint,
	double precision) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION holdout_summary_accum_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary, bigint, double precision) IS
	'adds one customer: the actual holdout purchases and the Pareto/NBD conditional expectation over holdout_length (transition function of holdout_agg)';
CREATE AGGREGATE holdout_agg(model pareto_nbd_model, calibration rfm_summary, holdout_purchases bigint,
							 holdout_length double precision) (
	SFUNC = holdout_summary_accum_pareto_nbd,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE holdout_agg(pareto_nbd_model, rfm_summary, bigint, double precision) IS
	'holdout summary of customers under a Pareto/NBD model: per calibration frequency, the customers, their actual holdout purchases and the model''s expected ones over holdout_length; rows with a NULL skipped';
CREATE FUNCTION holdout_summary_accum_times_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary,
	double precision[], double precision, integer) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION holdout_summary_accum_times_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary, double precision[], double precision, integer) IS
	'adds one customer: the holdout purchase times within periods x period_length, per period, and the Pareto/NBD cumulative expectation at the end of each period (transition function of holdout_agg)';
CREATE AGGREGATE holdout_agg(model pareto_nbd_model, calibration rfm_summary, holdout_times double precision[],
							 period_length double precision, periods integer) (
	SFUNC = holdout_summary_accum_times_pareto_nbd,
	STYPE = holdout_summary,
	INITCOND = '{"version":1,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE holdout_agg(pareto_nbd_model, rfm_summary, double precision[], double precision, integer) IS
	'holdout summary tracked by period under a Pareto/NBD model: holdout_agg over the purchase times (offsets from the calibration end) within periods x period_length, with each period''s purchases and cumulative expectation; rows with a NULL skipped';

-- 1.3.0: the optional L2 penalizer of lifetimes' penalizer_coef: c times the
-- sum of the squared parameters added to the mean negative log-likelihood
-- (c N sum p^2 on the total), c the same on every row.  The BG/BB form takes
-- the customers per cell too (customers = 1 for one row per customer): a
-- four-argument (frequency, recency, periods, penalizer) form would capture
-- calls of bgbb_fit(..., customers) with an integer count.
CREATE FUNCTION clv_fit_state_accum_bgnbd_penalized(internal, rfm_summary, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_state_accum_gamma_gamma_penalized(internal, rfm_summary, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_accum_weighted_penalized(internal, bigint, bigint, bigint, bigint,
	double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clv_fit_state_accum_bgnbd_penalized(internal, rfm_summary, double precision) IS
	'transition function of the penalized bgnbd_fit, pareto_nbd_fit and their _std_errors';
COMMENT ON FUNCTION clv_fit_state_accum_gamma_gamma_penalized(internal, rfm_summary, double precision) IS
	'transition function of the penalized gamma_gamma_fit and gamma_gamma_std_errors';
COMMENT ON FUNCTION bgbb_fit_state_accum_weighted_penalized(internal, bigint, bigint, bigint, bigint, double precision) IS
	'transition function of the penalized bgbb_fit and bgbb_std_errors';

CREATE AGGREGATE bgnbd_fit(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_bgnbd_penalized,
	STYPE = internal,
	FINALFUNC = bgnbd_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgnbd_std_errors(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_bgnbd_penalized,
	STYPE = internal,
	FINALFUNC = bgnbd_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_fit(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_bgnbd_penalized,
	STYPE = internal,
	FINALFUNC = pareto_nbd_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_std_errors(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_bgnbd_penalized,
	STYPE = internal,
	FINALFUNC = pareto_nbd_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_fit(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_gamma_gamma_penalized,
	STYPE = internal,
	FINALFUNC = gamma_gamma_fit_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_std_errors(rfm_summary, penalizer double precision) (
	SFUNC = clv_fit_state_accum_gamma_gamma_penalized,
	STYPE = internal,
	FINALFUNC = gamma_gamma_std_errors_final,
	COMBINEFUNC = clv_fit_state_combine,
	SERIALFUNC = clv_fit_state_serialize,
	DESERIALFUNC = clv_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_fit(frequency bigint, recency bigint, periods bigint, customers bigint,
						  penalizer double precision) (
	SFUNC = bgbb_fit_state_accum_weighted_penalized,
	STYPE = internal,
	FINALFUNC = bgbb_fit_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_std_errors(frequency bigint, recency bigint, periods bigint, customers bigint,
								 penalizer double precision) (
	SFUNC = bgbb_fit_state_accum_weighted_penalized,
	STYPE = internal,
	FINALFUNC = bgbb_std_errors_final,
	COMBINEFUNC = bgbb_fit_state_combine,
	SERIALFUNC = bgbb_fit_state_serialize,
	DESERIALFUNC = bgbb_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_fit(rfm_summary, double precision) IS
	'BG/NBD fit maximising the log-likelihood minus penalizer x customers x (r^2 + alpha^2 + a^2 + b^2) (lifetimes'' penalizer_coef); the model''s log_likelihood is the unpenalized one; NULL for no customers';
COMMENT ON AGGREGATE bgnbd_std_errors(rfm_summary, double precision) IS
	'standard errors of the penalized bgnbd_fit over the same rows, from the Hessian of the penalized objective; NULL elements when the fit did not converge or has no strict maximum';
COMMENT ON AGGREGATE pareto_nbd_fit(rfm_summary, double precision) IS
	'Pareto/NBD fit maximising the log-likelihood minus penalizer x customers x (r^2 + alpha^2 + s^2 + beta^2) (lifetimes'' penalizer_coef); the model''s log_likelihood is the unpenalized one; NULL for no customers';
COMMENT ON AGGREGATE pareto_nbd_std_errors(rfm_summary, double precision) IS
	'standard errors of the penalized pareto_nbd_fit over the same rows, from the Hessian of the penalized objective; NULL elements when the fit did not converge or has no strict maximum';
COMMENT ON AGGREGATE gamma_gamma_fit(rfm_summary, double precision) IS
	'Gamma-Gamma fit maximising the log-likelihood minus penalizer x repeat buyers x (p^2 + q^2 + gamma^2) (lifetimes'' penalizer_coef); the model''s log_likelihood is the unpenalized one; NULL when there is no repeat buyer';
COMMENT ON AGGREGATE gamma_gamma_std_errors(rfm_summary, double precision) IS
	'standard errors of the penalized gamma_gamma_fit over the same rows, from the Hessian of the penalized objective; NULL elements when the fit did not converge or has no strict maximum';
COMMENT ON AGGREGATE bgbb_fit(bigint, bigint, bigint, bigint, double precision) IS
	'BG/BB fit over (frequency, recency, periods) cells with their customers, maximising the log-likelihood minus penalizer x customers x (alpha^2 + beta^2 + gamma^2 + delta^2) (lifetimes'' penalizer_coef); the model''s log_likelihood is the unpenalized one; NULL for no customers';
COMMENT ON AGGREGATE bgbb_std_errors(bigint, bigint, bigint, bigint, double precision) IS
	'standard errors of the penalized bgbb_fit over the same cells, from the Hessian of the penalized objective; NULL elements when the fit did not converge or has no strict maximum';

-- 1.3.0: holdout_agg tracked over the calibration period too (BTYD's
-- bgnbd.PlotTrackingCum): each customer's calibration repeat-purchase times
-- as well, and per period (calibration periods 1 - C .. 0, holdout periods
-- 1 .. P) the repeat purchases and the unconditional cumulative expectation.
CREATE FUNCTION holdout_summary_accum_tracked(holdout_summary, bgnbd_model, rfm_summary,
	double precision[], double precision[], double precision, integer, integer) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION holdout_summary_accum_tracked_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary,
	double precision[], double precision[], double precision, integer, integer) RETURNS holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION holdout_summary_accum_tracked(holdout_summary, bgnbd_model, rfm_summary, double precision[], double precision[], double precision, integer, integer) IS
	'adds one customer: the calibration and holdout repeat-purchase times per period, and the BG/NBD unconditional cumulative expectation at the end of each period (transition function of holdout_agg)';
COMMENT ON FUNCTION holdout_summary_accum_tracked_pareto_nbd(holdout_summary, pareto_nbd_model, rfm_summary, double precision[], double precision[], double precision, integer, integer) IS
	'adds one customer: the calibration and holdout repeat-purchase times per period, and the Pareto/NBD unconditional cumulative expectation at the end of each period (transition function of holdout_agg)';
CREATE AGGREGATE holdout_agg(model bgnbd_model, calibration rfm_summary, calibration_times double precision[],
							 holdout_times double precision[], period_length double precision,
							 calibration_periods integer, periods integer) (
	SFUNC = holdout_summary_accum_tracked,
	STYPE = holdout_summary,
	INITCOND = '{"version":2,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE holdout_agg(model pareto_nbd_model, calibration rfm_summary, calibration_times double precision[],
							 holdout_times double precision[], period_length double precision,
							 calibration_periods integer, periods integer) (
	SFUNC = holdout_summary_accum_tracked_pareto_nbd,
	STYPE = holdout_summary,
	INITCOND = '{"version":2,"bins":[]}',
	COMBINEFUNC = holdout_summary_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE holdout_agg(bgnbd_model, rfm_summary, double precision[], double precision[], double precision, integer, integer) IS
	'holdout summary tracked over calibration_periods before and periods after the calibration end: per period the repeat purchases (calibration times in [-T, 0], holdout times > 0) and the BG/NBD unconditional cumulative expectation since the span''s start (BTYD''s PlotTrackingCum); rows with a NULL skipped';
COMMENT ON AGGREGATE holdout_agg(pareto_nbd_model, rfm_summary, double precision[], double precision[], double precision, integer, integer) IS
	'holdout summary tracked over calibration_periods before and periods after the calibration end: per period the repeat purchases (calibration times in [-T, 0], holdout times > 0) and the Pareto/NBD unconditional cumulative expectation since the span''s start (BTYD''s PlotTrackingCum); rows with a NULL skipped';
