/* crm_kpi--1.2.0--1.3.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.3.0'" to load this file. \quit

-- 1.3.0: analysts' tables as they come (issue 13).  Each change below is also
-- made in its family's fragment (src/<family>/<family>.sql); test/run checks
-- that every upgrade path gives the objects of a fresh install.  Sections are
-- by family, in the order of the Makefile's FAMILIES.

-- retention: MRR (rows before the origin ignored, customer retention rate
-- (S - churned) / S, subscription intervals)

COMMENT ON FUNCTION customer_retention_rate(mrr_summary, integer) IS
	'(S - churned) / S: the customers at the start of the period still paying at its end, over the customers at the start (reactivated customers, like new ones, are not of the starting set: never above 1); NULL when S is 0';
COMMENT ON AGGREGATE mrr_agg(bigint, timestamptz, double precision, timestamptz, interval, integer) IS
	'MRR summary of (customer, time, MRR) rows over periods calendar periods (1 day, 1 week or 1 month) from the one holding origin; a customer''s rows in one period add up (duplicate snapshots too); NULL rows are skipped, rows before the origin''s period or after the last period ignored; NULL for no rows';

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
