------------------------------------------------------------------------------
-- Survival: Kaplan-Meier, median survival, log-rank test; shifted-beta-
-- geometric contract retention; Cox proportional hazards.  src/survival/
--
-- One summary type, survival_summary, keeps the events and censorings at
-- each distinct duration; sbg_model is a fitted sBG model, coxph_model a
-- fitted Cox model.
------------------------------------------------------------------------------

CREATE TYPE survival_summary;

CREATE FUNCTION survival_summary_in(cstring) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_out(survival_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_recv(internal) RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_send(survival_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE survival_summary (
	INPUT = survival_summary_in,
	OUTPUT = survival_summary_out,
	RECEIVE = survival_summary_recv,
	SEND = survival_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE survival_summary IS
	'events and censorings at each distinct duration, and with delayed entry the subjects entering at each entry time; read it with kaplan_meier(), median_survival() and the other survival accessors; its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION survival_summary_in(cstring) IS 'text input of survival_summary';
COMMENT ON FUNCTION survival_summary_out(survival_summary) IS 'text output of survival_summary';
COMMENT ON FUNCTION survival_summary_recv(internal) IS 'binary input of survival_summary';
COMMENT ON FUNCTION survival_summary_send(survival_summary) IS 'binary output of survival_summary';

-- Aggregate support: the state is a survival_summary, expanded while the
-- aggregate runs (src/common/expanded.c)

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
-- the names of 1.1.0, kept as deprecated aliases
CREATE FUNCTION survival_combine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME', 'survival_summary_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_uncombine(survival_summary, survival_summary) RETURNS survival_summary
	AS 'MODULE_PATHNAME', 'survival_summary_uncombine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

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
	'deprecated alias of survival_summary_combine since 1.2.0';
COMMENT ON FUNCTION survival_uncombine(survival_summary, survival_summary) IS
	'deprecated alias of survival_summary_uncombine since 1.2.0';

CREATE AGGREGATE survival_agg(duration double precision, event boolean) (
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
CREATE AGGREGATE survival_agg(duration double precision, status integer) (
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
CREATE AGGREGATE rollup(survival_summary) (
	SFUNC = survival_summary_combine,
	STYPE = survival_summary,
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_combine,
	MINVFUNC = survival_summary_uncombine,
	MSTYPE = survival_summary,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE survival_agg(double precision, boolean) IS
	'survival summary of (duration, event) pairs: event true = the event happened at duration, false = censored (still active at duration); rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(double precision, integer) IS
	'survival summary of (duration, status) pairs: status 1 = event, 0 = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE rollup(survival_summary) IS
	'merges survival summaries into one';

-- Accessors

CREATE FUNCTION subjects(survival_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survival_subjects' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION events(survival_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survival_events' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kaplan_meier(survival_summary, level double precision DEFAULT 0.95,
		include_censored boolean DEFAULT false,
		OUT "time" double precision, OUT at_risk bigint, OUT events bigint, OUT censored bigint,
		OUT survival double precision, OUT std_err double precision,
		OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 100;
CREATE FUNCTION survival_at(survival_summary, "time" double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_survival(survival_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_survival_ci(survival_summary, level double precision DEFAULT 0.95,
		OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION restricted_mean_survival(survival_summary, horizon double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logrank_test(survival_summary[],
		OUT chisq double precision, OUT df integer, OUT p_value double precision,
		OUT observed double precision[], OUT expected double precision[])
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION subjects(survival_summary) IS 'number of subjects (durations) in the summary';
COMMENT ON FUNCTION events(survival_summary) IS 'number of events (uncensored durations) in the summary';
COMMENT ON FUNCTION kaplan_meier(survival_summary, double precision, boolean) IS
	'Kaplan-Meier table: one row per distinct event time (per distinct time with include_censored) with at risk, events, censored, survival, Greenwood standard error and log-transformed confidence bounds (R survfit, conf.type = "log")';
COMMENT ON FUNCTION survival_at(survival_summary, double precision) IS
	'Kaplan-Meier survival S(t) at the given time; NULL past the last follow-up time unless the curve has reached 0';
COMMENT ON FUNCTION median_survival(survival_summary) IS
	'median survival time by R''s rule (first time S <= 1/2, midpoint where S = 1/2 over an interval); NULL if not reached';
COMMENT ON FUNCTION median_survival_ci(survival_summary, double precision) IS
	'confidence interval of the median survival time: where the log-transformed confidence bounds of the curve reach 1/2 (R quantile.survfit); NULL bounds where not reached';
COMMENT ON FUNCTION restricted_mean_survival(survival_summary, double precision) IS
	'restricted mean survival time: area under the Kaplan-Meier curve from 0 to the horizon';
COMMENT ON FUNCTION logrank_test(survival_summary[]) IS
	'log-rank test (R survdiff, rho = 0) that the groups share one survival curve: chi-square, degrees of freedom, p-value, and the observed and expected events of each group';

-- Shifted-beta-geometric contract retention (Fader & Hardie 2007)

CREATE TYPE sbg_model;

CREATE FUNCTION sbg_model_in(cstring) RETURNS sbg_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_out(sbg_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_recv(internal) RETURNS sbg_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_send(sbg_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE sbg_model (
	INPUT = sbg_model_in,
	OUTPUT = sbg_model_out,
	RECEIVE = sbg_model_recv,
	SEND = sbg_model_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE sbg_model IS
	'fitted shifted-beta-geometric retention model (alpha, beta, log-likelihood, periods, customers, converged); its text form is JSON';
COMMENT ON FUNCTION sbg_model_in(cstring) IS 'text input of sbg_model';
COMMENT ON FUNCTION sbg_model_out(sbg_model) IS 'text output of sbg_model';
COMMENT ON FUNCTION sbg_model_recv(internal) IS 'binary input of sbg_model';
COMMENT ON FUNCTION sbg_model_send(sbg_model) IS 'binary output of sbg_model';

CREATE FUNCTION sbg_fit_state_accum(internal, integer, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sbg_fit_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sbg_fit_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_fit_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_fit_final(internal) RETURNS sbg_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION sbg_fit_state_accum(internal, integer, bigint) IS
	'transition function of sbg_fit: records the survivors of one period';
COMMENT ON FUNCTION sbg_fit_state_combine(internal, internal) IS
	'combine function of sbg_fit: merges the periods of two partial states';
COMMENT ON FUNCTION sbg_fit_state_serialize(internal) IS 'serializes a partial sbg_fit state';
COMMENT ON FUNCTION sbg_fit_state_deserialize(bytea, internal) IS 'deserializes a partial sbg_fit state';
COMMENT ON FUNCTION sbg_fit_final(internal) IS
	'final function of sbg_fit: the maximum-likelihood sBG model; NULL for no rows';

CREATE AGGREGATE sbg_fit(period integer, survivors bigint) (
	SFUNC = sbg_fit_state_accum,
	STYPE = internal,
	FINALFUNC = sbg_fit_final,
	COMBINEFUNC = sbg_fit_state_combine,
	SERIALFUNC = sbg_fit_state_serialize,
	DESERIALFUNC = sbg_fit_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sbg_fit(integer, bigint) IS
	'shifted-beta-geometric model fitted by maximum likelihood to the customers of one cohort still active after each period (period 0: the cohort size); rows with a NULL are skipped';

CREATE FUNCTION alpha(sbg_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'sbg_alpha' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION beta(sbg_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'sbg_beta' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(sbg_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'sbg_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(sbg_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'sbg_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_survival(sbg_model, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_retention_rate(sbg_model, period integer) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_projection(sbg_model, periods integer,
		OUT period integer, OUT survival double precision, OUT retention_rate double precision,
		OUT churn_probability double precision, OUT expected_active double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 13;

COMMENT ON FUNCTION alpha(sbg_model) IS 'alpha of the beta distribution of churn probabilities';
COMMENT ON FUNCTION beta(sbg_model) IS 'beta of the beta distribution of churn probabilities';
COMMENT ON FUNCTION log_likelihood(sbg_model) IS 'log-likelihood of the data at the fitted alpha and beta';
COMMENT ON FUNCTION converged(sbg_model) IS 'whether the maximum-likelihood search converged';
COMMENT ON FUNCTION sbg_survival(sbg_model, integer) IS
	'share (0..1) of the cohort still active after the given number of periods: S(t) = B(alpha, beta + t) / B(alpha, beta)';
COMMENT ON FUNCTION sbg_retention_rate(sbg_model, integer) IS
	'retention rate of period t >= 1: S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)';
COMMENT ON FUNCTION sbg_projection(sbg_model, integer) IS
	'one row per period 0..periods: survival, retention rate, churn probability P(T = t) and expected active customers';

-- sBG standard errors (1.3.0): the fit of sbg_fit over the same rows and the
-- standard errors of alpha and beta from its observed information, as the
-- CLV models' *_std_errors; parameter_estimates reads them with the model.

CREATE FUNCTION sbg_std_errors_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_std_errors_final(internal) IS
	'final function of sbg_std_errors: the fit of sbg_fit and its standard errors';

CREATE AGGREGATE sbg_std_errors(period integer, survivors bigint) (
	SFUNC = sbg_fit_state_accum,
	STYPE = internal,
	FINALFUNC = sbg_std_errors_final,
	COMBINEFUNC = sbg_fit_state_combine,
	SERIALFUNC = sbg_fit_state_serialize,
	DESERIALFUNC = sbg_fit_state_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sbg_std_errors(integer, bigint) IS
	'standard errors of alpha and beta of sbg_fit over the same rows, from the observed information; NULL elements when the fit did not converge or has no strict maximum; NULL for no rows';

CREATE FUNCTION parameter_estimates(model sbg_model, std_errors double precision[],
		level double precision DEFAULT 0.95)
	RETURNS TABLE (parameter text, estimate double precision, std_err double precision,
		lower double precision, upper double precision)
	AS 'MODULE_PATHNAME', 'sbg_parameter_estimates' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 2;
COMMENT ON FUNCTION parameter_estimates(sbg_model, double precision[], double precision) IS
	'alpha and beta with their standard errors (sbg_std_errors) and Wald confidence interval estimate -/+ z std_err at level; NULL bounds for a NULL standard error';

-- Interval durations (1.3.0): survival_agg(duration interval, ...) takes
-- each duration in days, extract(epoch from duration) / 86400, so that
-- ended_at - started_at of two timestamps needs no conversion.  A month of
-- the interval is 30 days and a year 365.25, PostgreSQL's convention.

CREATE FUNCTION survival_summary_accum_interval(survival_summary, interval, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_accum_status_interval(survival_summary, interval, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_interval(survival_summary, interval, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_status_interval(survival_summary, interval, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survival_summary_accum_interval(survival_summary, interval, boolean) IS
	'transition function of survival_agg(duration interval, event boolean): adds one duration, in days';
COMMENT ON FUNCTION survival_summary_accum_status_interval(survival_summary, interval, integer) IS
	'transition function of survival_agg(duration interval, status integer): adds one duration, in days, status 1 = event, 0 = censored';
COMMENT ON FUNCTION survival_summary_deaccum_interval(survival_summary, interval, boolean) IS
	'inverse transition function of survival_agg(duration interval, event boolean): removes one duration';
COMMENT ON FUNCTION survival_summary_deaccum_status_interval(survival_summary, interval, integer) IS
	'inverse transition function of survival_agg(duration interval, status integer): removes one duration';

CREATE AGGREGATE survival_agg(duration interval, event boolean) (
	SFUNC = survival_summary_accum_interval,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_interval,
	MINVFUNC = survival_summary_deaccum_interval,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survival_agg(duration interval, status integer) (
	SFUNC = survival_summary_accum_status_interval,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_status_interval,
	MINVFUNC = survival_summary_deaccum_status_interval,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE survival_agg(interval, boolean) IS
	'survival summary of (duration, event) pairs with interval durations, in days (extract(epoch from duration) / 86400: a month 30 days, a year 365.25); event true = the event happened, false = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(interval, integer) IS
	'survival summary of (duration, status) pairs with interval durations, in days (extract(epoch from duration) / 86400); status 1 = event, 0 = censored; rows with a NULL are skipped';
-- 1.3.0: plain columns for BI tools.  Each returns output columns of the
-- record function it names, called with the same arguments, so the two always
-- agree.

CREATE FUNCTION median_survival_lower(survival_summary, level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION median_survival_upper(survival_summary, level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logrank_p_value(survival_summary[]) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logrank_groups(survival_summary[],
		OUT group_index integer, OUT observed double precision, OUT expected double precision,
		OUT chisq double precision, OUT df integer, OUT p_value double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 4;

COMMENT ON FUNCTION median_survival_lower(survival_summary, double precision) IS
	'lower bound of the confidence interval of the median survival time: median_survival_ci(s, level).lower';
COMMENT ON FUNCTION median_survival_upper(survival_summary, double precision) IS
	'upper bound of the confidence interval of the median survival time: median_survival_ci(s, level).upper';
COMMENT ON FUNCTION logrank_p_value(survival_summary[]) IS
	'p-value of the log-rank test that the groups share one survival curve: logrank_test(summaries).p_value';
COMMENT ON FUNCTION logrank_groups(survival_summary[]) IS
	'logrank_test as rows, one per array element: its position (group_index, from 1), observed and expected events, and the test''s chisq, df and p_value';

-- 1.3.0: Nelson-Aalen, weighted and stratified log-rank, RMST difference
-- (issue 14): the cumulative hazard, log-rank tests with weights and strata,
-- and the difference of two restricted means, all read from survival_summary
-- values (src/survival/survival_tests.c).

CREATE FUNCTION nelson_aalen(survival_summary, level double precision DEFAULT 0.95,
		OUT "time" double precision, OUT at_risk bigint, OUT events bigint,
		OUT cumulative_hazard double precision, OUT std_err double precision,
		OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 100;
CREATE FUNCTION cumulative_hazard_at(survival_summary, "time" double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION nelson_aalen(survival_summary, double precision) IS
	'Nelson-Aalen cumulative hazard: one row per distinct event time with at risk, events, H(t) = sum of events / at risk, its standard error sqrt(sum of events / at risk^2) and an interval log-transformed on the hazard scale (R survfit, ctype = 1)';
COMMENT ON FUNCTION cumulative_hazard_at(survival_summary, double precision) IS
	'Nelson-Aalen cumulative hazard H(t) at the given time; 0 before the first event, NULL past the last follow-up time';

CREATE FUNCTION weighted_logrank_test(survival_summary[], weights text,
		p double precision DEFAULT 0, q double precision DEFAULT 0,
		OUT chisq double precision, OUT df integer, OUT p_value double precision,
		OUT observed double precision[], OUT expected double precision[])
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stratified_logrank_test(summaries survival_summary[], groups text[], strata text[],
		weights text DEFAULT 'logrank', p double precision DEFAULT 0, q double precision DEFAULT 0,
		OUT chisq double precision, OUT df integer, OUT p_value double precision,
		OUT group_labels text[], OUT observed double precision[], OUT expected double precision[])
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logrank_table(survival_summary[], weights text DEFAULT 'logrank',
		p double precision DEFAULT 0, q double precision DEFAULT 0,
		OUT group_index integer, OUT subjects bigint, OUT observed double precision,
		OUT expected double precision, OUT o_minus_e double precision, OUT variance double precision,
		OUT chisq double precision, OUT df integer, OUT p_value double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 4;
CREATE FUNCTION stratified_logrank_table(summaries survival_summary[], groups text[], strata text[],
		weights text DEFAULT 'logrank', p double precision DEFAULT 0, q double precision DEFAULT 0,
		OUT group_label text, OUT subjects bigint, OUT observed double precision,
		OUT expected double precision, OUT o_minus_e double precision, OUT variance double precision,
		OUT chisq double precision, OUT df integer, OUT p_value double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 4;

COMMENT ON FUNCTION weighted_logrank_test(survival_summary[], text, double precision, double precision) IS
	'weighted log-rank test that the groups share one survival curve (R survdiff with rho): weights logrank, gehan_breslow (n at risk), tarone_ware (sqrt n), peto_peto (pooled S(t-), rho = 1) or fleming_harrington (S(t-)^p (1 - S(t-))^q); chi-square, df, p-value, weighted observed and expected events of each group';
COMMENT ON FUNCTION stratified_logrank_test(survival_summary[], text[], text[], text, double precision, double precision) IS
	'stratified (weighted) log-rank test (R survdiff with strata()): one summary per (group, stratum), observed, expected and variance summed over the strata, one chi-square; the groups in order of first appearance';
COMMENT ON FUNCTION logrank_table(survival_summary[], text, double precision, double precision) IS
	'(weighted) log-rank test as R survdiff prints it, one row per array element: subjects, observed, expected, O - E, its variance, and the test''s chisq, df and p_value';
COMMENT ON FUNCTION stratified_logrank_table(survival_summary[], text[], text[], text, double precision, double precision) IS
	'stratified (weighted) log-rank test as R survdiff prints it, one row per group label: subjects, observed, expected, O - E, its variance, and the test''s chisq, df and p_value';

CREATE FUNCTION restricted_mean_survival_ci(survival_summary, horizon double precision,
		level double precision DEFAULT 0.95,
		OUT restricted_mean double precision, OUT std_err double precision,
		OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rmst_difference(a survival_summary, b survival_summary, horizon double precision,
		level double precision DEFAULT 0.95,
		OUT rmst_a double precision, OUT rmst_b double precision, OUT difference double precision,
		OUT std_err double precision, OUT lower double precision, OUT upper double precision,
		OUT p_value double precision)
	RETURNS record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION restricted_mean_survival_ci(survival_summary, double precision, double precision) IS
	'restricted mean survival time to the horizon with its standard error (R print.survfit rmean, survRM2) and the normal interval';
COMMENT ON FUNCTION rmst_difference(survival_summary, survival_summary, double precision, double precision) IS
	'difference of the restricted mean survival times of two groups (a - b) to the horizon: both means, the difference, its standard error, normal interval and two-sided p-value (survRM2 rmst2)';
-- Delayed entry (left truncation, 1.3.0): survival_agg(entry, duration,
-- event) counts a subject observed only from entry (a later time than its
-- start, both measured from the same origin), at risk at times u with
-- entry < u <= duration; entry 0 is observed from the start, as the
-- two-argument forms.  A summary with entries is written in format 2.

CREATE FUNCTION survival_summary_accum_entry(survival_summary, double precision, double precision, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_accum_entry_status(survival_summary, double precision, double precision, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_entry(survival_summary, double precision, double precision, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_entry_status(survival_summary, double precision, double precision, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_accum_entry_interval(survival_summary, interval, interval, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_accum_entry_status_interval(survival_summary, interval, interval, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_entry_interval(survival_summary, interval, interval, boolean)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_summary_deaccum_entry_status_interval(survival_summary, interval, interval, integer)
	RETURNS survival_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION survival_summary_accum_entry(survival_summary, double precision, double precision, boolean) IS
	'transition function of survival_agg(entry, duration, event boolean): adds one subject observed from entry to duration';
COMMENT ON FUNCTION survival_summary_accum_entry_status(survival_summary, double precision, double precision, integer) IS
	'transition function of survival_agg(entry, duration, status integer): adds one subject observed from entry to duration, status 1 = event, 0 = censored';
COMMENT ON FUNCTION survival_summary_deaccum_entry(survival_summary, double precision, double precision, boolean) IS
	'inverse transition function of survival_agg(entry, duration, event boolean): removes one subject';
COMMENT ON FUNCTION survival_summary_deaccum_entry_status(survival_summary, double precision, double precision, integer) IS
	'inverse transition function of survival_agg(entry, duration, status integer): removes one subject';
COMMENT ON FUNCTION survival_summary_accum_entry_interval(survival_summary, interval, interval, boolean) IS
	'transition function of survival_agg(entry interval, duration interval, event boolean): adds one subject, in days';
COMMENT ON FUNCTION survival_summary_accum_entry_status_interval(survival_summary, interval, interval, integer) IS
	'transition function of survival_agg(entry interval, duration interval, status integer): adds one subject, in days, status 1 = event, 0 = censored';
COMMENT ON FUNCTION survival_summary_deaccum_entry_interval(survival_summary, interval, interval, boolean) IS
	'inverse transition function of survival_agg(entry interval, duration interval, event boolean): removes one subject';
COMMENT ON FUNCTION survival_summary_deaccum_entry_status_interval(survival_summary, interval, interval, integer) IS
	'inverse transition function of survival_agg(entry interval, duration interval, status integer): removes one subject';

CREATE AGGREGATE survival_agg(entry double precision, duration double precision, event boolean) (
	SFUNC = survival_summary_accum_entry,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_entry,
	MINVFUNC = survival_summary_deaccum_entry,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survival_agg(entry double precision, duration double precision, status integer) (
	SFUNC = survival_summary_accum_entry_status,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_entry_status,
	MINVFUNC = survival_summary_deaccum_entry_status,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survival_agg(entry interval, duration interval, event boolean) (
	SFUNC = survival_summary_accum_entry_interval,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_entry_interval,
	MINVFUNC = survival_summary_deaccum_entry_interval,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);
CREATE AGGREGATE survival_agg(entry interval, duration interval, status integer) (
	SFUNC = survival_summary_accum_entry_status_interval,
	STYPE = survival_summary,
	INITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	COMBINEFUNC = survival_summary_combine,
	MSFUNC = survival_summary_accum_entry_status_interval,
	MINVFUNC = survival_summary_deaccum_entry_status_interval,
	MSTYPE = survival_summary,
	MINITCOND = '{"version":1,"time":[],"events":[],"censored":[]}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE survival_agg(double precision, double precision, boolean) IS
	'survival summary of subjects observed from entry (delayed entry, left truncation; 0 = from the start) to duration, both from the same origin: at risk at times u with entry < u <= duration, as R''s Surv(entry, duration, event); event true = the event happened at duration, false = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(double precision, double precision, integer) IS
	'survival summary of subjects observed from entry (delayed entry; 0 = from the start) to duration, both from the same origin; status 1 = event, 0 = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(interval, interval, boolean) IS
	'survival summary of subjects observed from entry (delayed entry; 0 = from the start) to duration, both intervals from the same origin, in days (extract(epoch from ...) / 86400); event true = the event happened, false = censored; rows with a NULL are skipped';
COMMENT ON AGGREGATE survival_agg(interval, interval, integer) IS
	'survival summary of subjects observed from entry (delayed entry; 0 = from the start) to duration, both intervals from the same origin, in days (extract(epoch from ...) / 86400); status 1 = event, 0 = censored; rows with a NULL are skipped';
-- Cox proportional hazards regression (R survival's coxph)

CREATE TYPE coxph_model;

CREATE FUNCTION coxph_model_in(cstring) RETURNS coxph_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_model_out(coxph_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_model_recv(internal) RETURNS coxph_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_model_send(coxph_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE coxph_model (
	INPUT = coxph_model_in,
	OUTPUT = coxph_model_out,
	RECEIVE = coxph_model_recv,
	SEND = coxph_model_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE coxph_model IS
	'fitted Cox proportional hazards model (coefficients, their covariance, log partial likelihoods, score test, concordance, baseline cumulative hazard, covariate names); its text form is JSON';
COMMENT ON FUNCTION coxph_model_in(cstring) IS 'text input of coxph_model';
COMMENT ON FUNCTION coxph_model_out(coxph_model) IS 'text output of coxph_model';
COMMENT ON FUNCTION coxph_model_recv(internal) IS 'binary input of coxph_model';
COMMENT ON FUNCTION coxph_model_send(coxph_model) IS 'binary output of coxph_model';

CREATE FUNCTION coxph_fit_state_accum(internal, double precision, boolean, double precision[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum(internal, double precision, boolean, double precision[], kpi_text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_named(internal, double precision, boolean, double precision[], kpi_text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_named(internal, double precision, boolean, double precision[], kpi_text[], kpi_text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_fit_final(internal) RETURNS coxph_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION coxph_fit_state_accum(internal, double precision, boolean, double precision[]) IS
	'transition function of coxph_fit: counts one (duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum(internal, double precision, boolean, double precision[], kpi_text) IS
	'transition function of coxph_fit with a ties method: counts one (duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_named(internal, double precision, boolean, double precision[], kpi_text[]) IS
	'transition function of coxph_fit with covariate names: counts one (duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_named(internal, double precision, boolean, double precision[], kpi_text[], kpi_text) IS
	'transition function of coxph_fit with covariate names and a ties method: counts one (duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_combine(internal, internal) IS
	'combine function of coxph_fit: adds the row counts of two partial states';
COMMENT ON FUNCTION coxph_fit_state_serialize(internal) IS 'serializes a partial coxph_fit state';
COMMENT ON FUNCTION coxph_fit_state_deserialize(bytea, internal) IS 'deserializes a partial coxph_fit state';
COMMENT ON FUNCTION coxph_fit_final(internal) IS
	'final function of coxph_fit: the Cox model fitted by Newton-Raphson on the partial likelihood; NULL for no rows';

CREATE AGGREGATE coxph_fit(duration double precision, event boolean, covariates double precision[]) (
	SFUNC = coxph_fit_state_accum,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(duration double precision, event boolean, covariates double precision[], ties kpi_text) (
	SFUNC = coxph_fit_state_accum,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(duration double precision, event boolean, covariates double precision[], names kpi_text[]) (
	SFUNC = coxph_fit_state_accum_named,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(duration double precision, event boolean, covariates double precision[], names kpi_text[], ties kpi_text) (
	SFUNC = coxph_fit_state_accum_named,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE coxph_fit(double precision, boolean, double precision[]) IS
	'Cox proportional hazards model of the durations, events and covariates (Efron ties), as R coxph; rows with a NULL duration, event or covariates are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, boolean, double precision[], kpi_text) IS
	'Cox proportional hazards model with the ties method ''efron'' or ''breslow'', as R coxph; rows with a NULL duration, event or covariates are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, boolean, double precision[], kpi_text[]) IS
	'Cox proportional hazards model with named covariates (Efron ties), as R coxph; rows with a NULL duration, event or covariates are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, boolean, double precision[], kpi_text[], kpi_text) IS
	'Cox proportional hazards model with named covariates and the ties method ''efron'' or ''breslow'', as R coxph; rows with a NULL duration, event or covariates are skipped';

CREATE FUNCTION coxph_coefficients(coxph_model, level double precision DEFAULT 0.95,
		OUT term text, OUT coefficient double precision, OUT hazard_ratio double precision,
		OUT std_err double precision, OUT z double precision, OUT p_value double precision,
		OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 3;
CREATE FUNCTION coxph_tests(coxph_model,
		OUT test text, OUT statistic double precision, OUT df integer, OUT p_value double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 3;
CREATE FUNCTION concordance(coxph_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'coxph_concordance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(coxph_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'coxph_log_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION converged(coxph_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'coxph_converged' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION coxph_survival(coxph_model, covariates double precision[],
		OUT "time" double precision, OUT cumulative_hazard double precision, OUT survival double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 100;
CREATE FUNCTION coxph_survival_at(coxph_model, covariates double precision[], "time" double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION coxph_coefficients(coxph_model, double precision) IS
	'one row per covariate: coefficient, hazard ratio exp(coef), standard error, z, two-sided p-value and the hazard ratio''s confidence interval exp(coef -/+ z se), as R summary.coxph';
COMMENT ON FUNCTION coxph_tests(coxph_model) IS
	'likelihood-ratio, Wald and score (log-rank) tests that every coefficient is 0: statistic, degrees of freedom, chi-square p-value, as R summary.coxph';
COMMENT ON FUNCTION concordance(coxph_model) IS
	'Harrell''s C of the fitted risk scores, ties in the risk counting one half, as R concordance(fit); NULL without comparable pairs';
COMMENT ON FUNCTION log_likelihood(coxph_model) IS 'log partial likelihood at the fitted coefficients';
COMMENT ON FUNCTION converged(coxph_model) IS 'whether Newton-Raphson converged (|1 - LL_old / LL_new| <= 1e-9) within 20 iterations';
COMMENT ON FUNCTION coxph_survival(coxph_model, double precision[]) IS
	'predicted cumulative hazard and survival of a subject with the given covariates at each event time of the fit, as R survfit.coxph(fit, newdata)';
COMMENT ON FUNCTION coxph_survival_at(coxph_model, double precision[], double precision) IS
	'predicted survival at a time of a subject with the given covariates: a step function of the event times, 1 before the first';

-- Cox regression with left truncation (delayed entry): a subject is at
-- risk at the times t with entry < t <= duration
CREATE FUNCTION coxph_fit_state_accum_entry(internal, double precision, double precision, boolean,
		double precision[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_entry(internal, double precision, double precision, boolean,
		double precision[], kpi_text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_entry_named(internal, double precision, double precision, boolean,
		double precision[], kpi_text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION coxph_fit_state_accum_entry_named(internal, double precision, double precision, boolean,
		double precision[], kpi_text[], kpi_text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION coxph_fit_state_accum_entry(internal, double precision, double precision, boolean, double precision[]) IS
	'transition function of coxph_fit with entry times: counts one (entry, duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_entry(internal, double precision, double precision, boolean, double precision[], kpi_text) IS
	'transition function of coxph_fit with entry times and a ties method: counts one (entry, duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_entry_named(internal, double precision, double precision, boolean, double precision[], kpi_text[]) IS
	'transition function of coxph_fit with entry times and covariate names: counts one (entry, duration, event, covariates) row';
COMMENT ON FUNCTION coxph_fit_state_accum_entry_named(internal, double precision, double precision, boolean, double precision[], kpi_text[], kpi_text) IS
	'transition function of coxph_fit with entry times, covariate names and a ties method: counts one (entry, duration, event, covariates) row';

CREATE AGGREGATE coxph_fit(entry double precision, duration double precision, event boolean,
		covariates double precision[]) (
	SFUNC = coxph_fit_state_accum_entry,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(entry double precision, duration double precision, event boolean,
		covariates double precision[], ties kpi_text) (
	SFUNC = coxph_fit_state_accum_entry,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(entry double precision, duration double precision, event boolean,
		covariates double precision[], names kpi_text[]) (
	SFUNC = coxph_fit_state_accum_entry_named,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE coxph_fit(entry double precision, duration double precision, event boolean,
		covariates double precision[], names kpi_text[], ties kpi_text) (
	SFUNC = coxph_fit_state_accum_entry_named,
	STYPE = internal,
	FINALFUNC = coxph_fit_final,
	COMBINEFUNC = coxph_fit_state_combine,
	SERIALFUNC = coxph_fit_state_serialize,
	DESERIALFUNC = coxph_fit_state_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE coxph_fit(double precision, double precision, boolean, double precision[]) IS
	'Cox proportional hazards model with left truncation: each subject at risk after its entry time up to its duration (Efron ties), as R coxph(Surv(entry, duration, event) ~ ...); rows with a NULL are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, double precision, boolean, double precision[], kpi_text) IS
	'Cox proportional hazards model with left truncation and the ties method ''efron'' or ''breslow'', as R coxph(Surv(entry, duration, event) ~ ...); rows with a NULL are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, double precision, boolean, double precision[], kpi_text[]) IS
	'Cox proportional hazards model with left truncation and named covariates (Efron ties), as R coxph(Surv(entry, duration, event) ~ ...); rows with a NULL are skipped';
COMMENT ON AGGREGATE coxph_fit(double precision, double precision, boolean, double precision[], kpi_text[], kpi_text) IS
	'Cox proportional hazards model with left truncation, named covariates and the ties method ''efron'' or ''breslow'', as R coxph(Surv(entry, duration, event) ~ ...); rows with a NULL are skipped';
