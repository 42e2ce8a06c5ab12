/*-------------------------------------------------------------------------
 *
 * proportion.c
 *	  Proportions: conversion rate, and the summary type that win rate, churn
 *	  rate and every other "k of n" KPI share.
 *
 * proportion_summary holds (successes, trials).  Two summaries merge by
 * adding both counts, so the one type is the state of every proportion
 * aggregate (combinable for parallel plans, invertible for moving windows),
 * the value stored in materialized views and merged by rollup(), and the
 * input of the rate, Wilson interval and two-proportion test accessors.
 *
 * Rates are fractions 0..1, as avg(converted::int) gives them; see
 * doc/conversion.md.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "common/int.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#define PROPORTION_FORMAT_VERSION 1

/*
 * The in-memory and on-disk form; the text and binary forms do not depend on
 * it.  Invariant: 0 <= successes <= trials.
 */
typedef struct ProportionSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* PROPORTION_FORMAT_VERSION */
	uint8		reserved[3];	/* zero */
	int64		successes;
	int64		trials;
} ProportionSummary;

PG_FUNCTION_INFO_V1(proportion_summary_in);
PG_FUNCTION_INFO_V1(proportion_summary_out);
PG_FUNCTION_INFO_V1(proportion_summary_recv);
PG_FUNCTION_INFO_V1(proportion_summary_send);
PG_FUNCTION_INFO_V1(proportion_summary_accum);
KPI_FORMER_SYMBOL(proportion_accum, proportion_summary_accum);
PG_FUNCTION_INFO_V1(proportion_summary_deaccum);
KPI_FORMER_SYMBOL(proportion_deaccum, proportion_summary_deaccum);
PG_FUNCTION_INFO_V1(proportion_summary_accum_counts);
KPI_FORMER_SYMBOL(proportion_counts_accum, proportion_summary_accum_counts);
PG_FUNCTION_INFO_V1(proportion_summary_deaccum_counts);
KPI_FORMER_SYMBOL(proportion_counts_deaccum, proportion_summary_deaccum_counts);
PG_FUNCTION_INFO_V1(proportion_summary_combine);
KPI_FORMER_SYMBOL(proportion_combine, proportion_summary_combine);
PG_FUNCTION_INFO_V1(proportion_summary_uncombine);
KPI_FORMER_SYMBOL(proportion_uncombine, proportion_summary_uncombine);
PG_FUNCTION_INFO_V1(proportion);
PG_FUNCTION_INFO_V1(proportion_successes);
PG_FUNCTION_INFO_V1(proportion_trials);
PG_FUNCTION_INFO_V1(proportion_rate);
PG_FUNCTION_INFO_V1(proportion_rate_ci);
PG_FUNCTION_INFO_V1(rate_lower);
PG_FUNCTION_INFO_V1(rate_upper);
PG_FUNCTION_INFO_V1(proportion_compare);


/* Why (successes, trials) is not a proportion, or NULL if it is */
static const char *
ProportionCountsError(int64 successes, int64 trials)
{
	if (trials < 0)
		return "The number of trials must not be negative.";
	if (successes < 0)
		return "The number of successes must not be negative.";
	if (successes > trials)
		return "The number of successes must not exceed the number of trials.";
	return NULL;
}

/* A summary of the given counts, in the current memory context */
static ProportionSummary *
ProportionCreate(int64 successes, int64 trials)
{
	ProportionSummary *p = palloc0(sizeof(ProportionSummary));

	SET_VARSIZE(p, sizeof(ProportionSummary));
	p->version = PROPORTION_FORMAT_VERSION;
	p->successes = successes;
	p->trials = trials;
	return p;
}

/* Is a stored value what this code writes?  (One check: it has no loop.) */
static bool
ProportionValid(const void *value, bool full)
{
	const ProportionSummary *p = value;

	return VARSIZE(p) == sizeof(ProportionSummary) &&
		p->version == PROPORTION_FORMAT_VERSION &&
		ProportionCountsError(p->successes, p->trials) == NULL;
}

static const KpiSummaryType ProportionType = {"proportion_summary", -1, ProportionValid};

/* A proportion_summary argument to read */
#define ProportionGetArg(fcinfo, argno) \
	((ProportionSummary *) KpiSummaryArg(fcinfo, argno, &ProportionType))

static void
ProportionOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("proportion_summary count overflows")));
}

/* p += (successes, trials), both already valid */
static void
ProportionAdd(ProportionSummary *p, int64 successes, int64 trials)
{
	/* successes <= trials, so only trials can overflow */
	if (unlikely(pg_add_s64_overflow(p->trials, trials, &p->trials)))
		ProportionOverflow();
	p->successes += successes;
}

/* p -= (successes, trials), which must have been added */
static void
ProportionRemove(ProportionSummary *p, int64 successes, int64 trials)
{
	if (successes > p->successes || trials - successes > p->trials - p->successes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove " INT64_FORMAT " successes in " INT64_FORMAT " trials from a proportion summary of " INT64_FORMAT " in " INT64_FORMAT,
						successes, trials, p->successes, p->trials)));
	p->successes -= successes;
	p->trials -= trials;
}

/* Counts given as SQL arguments argno, argno + 1, checked */
static void
ProportionCountsArgs(FunctionCallInfo fcinfo, int argno,
					 int64 *successes, int64 *trials)
{
	const char *problem;

	*successes = PG_GETARG_INT64(argno);
	*trials = PG_GETARG_INT64(argno + 1);
	if ((problem = ProportionCountsError(*successes, *trials)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid proportion: " INT64_FORMAT " successes in " INT64_FORMAT " trials",
						*successes, *trials),
				 errdetail("%s", problem)));
}


/*
 * Text and binary I/O
 *
 * Text: {"version":1,"successes":k,"trials":n} (valid JSON).
 * Binary: int8 version, int64 successes, int64 trials.
 */

static ProportionSummary *
ProportionParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		successes,
				trials;

	*problem = "Expected {\"version\":1,\"successes\":k,\"trials\":n}.";
	if (!KpiScanVersion(&scan, PROPORTION_FORMAT_VERSION, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "successes") ||
		!KpiScanInt64(&scan, &successes) || !KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "trials") ||
		!KpiScanInt64(&scan, &trials) ||
		!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	if ((*problem = ProportionCountsError(successes, trials)) != NULL)
		return NULL;
	return ProportionCreate(successes, trials);
}

Datum
proportion_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	ProportionSummary *p = ProportionParse(str, &problem);

	if (p == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, ProportionType.name, str, problem);
	PG_RETURN_POINTER(p);
}

Datum
proportion_summary_out(PG_FUNCTION_ARGS)
{
	ProportionSummary *p = ProportionGetArg(fcinfo, 0);

	PG_RETURN_CSTRING(psprintf("{\"version\":%d,\"successes\":" INT64_FORMAT ",\"trials\":" INT64_FORMAT "}",
							   p->version, p->successes, p->trials));
}

Datum
proportion_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		successes,
				trials;
	const char *problem;

	KpiRecvVersion(buf, ProportionType.name, PROPORTION_FORMAT_VERSION);
	KpiRecvNeed(buf, ProportionType.name, 2 * sizeof(int64), true);
	successes = pq_getmsgint64(buf);
	trials = pq_getmsgint64(buf);
	KpiRecvEnd(buf, ProportionType.name);
	if ((problem = ProportionCountsError(successes, trials)) != NULL)
		KpiBinaryInputError(ProportionType.name, "%s", problem);
	PG_RETURN_POINTER(ProportionCreate(successes, trials));
}

Datum
proportion_summary_send(PG_FUNCTION_ARGS)
{
	ProportionSummary *p = ProportionGetArg(fcinfo, 0);
	StringInfoData buf;

	KpiSendVersion(&buf, p->version);
	pq_sendint64(&buf, p->successes);
	pq_sendint64(&buf, p->trials);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/*
 * Aggregate support.  Every proportion aggregate starts from the empty
 * summary given as INITCOND, so the transition functions are strict and
 * PostgreSQL skips rows with a NULL input without calling them.
 */

/* proportion_summary_accum(state, converted boolean) */
Datum
proportion_summary_accum(PG_FUNCTION_ARGS)
{
	ProportionSummary *p = KpiSummaryState(fcinfo, 0, &ProportionType);

	if (unlikely(p->trials == PG_INT64_MAX))
		ProportionOverflow();
	p->trials++;
	p->successes += PG_GETARG_BOOL(1);
	PG_RETURN_POINTER(p);
}

/* proportion_summary_deaccum(state, converted boolean): inverse transition */
Datum
proportion_summary_deaccum(PG_FUNCTION_ARGS)
{
	ProportionSummary *p = KpiSummaryState(fcinfo, 0, &ProportionType);

	ProportionRemove(p, PG_GETARG_BOOL(1), 1);
	PG_RETURN_POINTER(p);
}

/* proportion_summary_accum_counts(state, successes bigint, trials bigint) */
Datum
proportion_summary_accum_counts(PG_FUNCTION_ARGS)
{
	ProportionSummary *p = KpiSummaryState(fcinfo, 0, &ProportionType);
	int64		successes,
				trials;

	ProportionCountsArgs(fcinfo, 1, &successes, &trials);
	ProportionAdd(p, successes, trials);
	PG_RETURN_POINTER(p);
}

/* proportion_summary_deaccum_counts(state, successes bigint, trials bigint) */
Datum
proportion_summary_deaccum_counts(PG_FUNCTION_ARGS)
{
	ProportionSummary *p = KpiSummaryState(fcinfo, 0, &ProportionType);
	int64		successes,
				trials;

	ProportionCountsArgs(fcinfo, 1, &successes, &trials);
	ProportionRemove(p, successes, trials);
	PG_RETURN_POINTER(p);
}

/* proportion_summary_combine(a, b): a + b; combine, and rollup()'s step */
Datum
proportion_summary_combine(PG_FUNCTION_ARGS)
{
	ProportionSummary *a = KpiSummaryMergeState(fcinfo, 0, &ProportionType);
	ProportionSummary *b = ProportionGetArg(fcinfo, 1);

	ProportionAdd(a, b->successes, b->trials);
	PG_RETURN_POINTER(a);
}

/* proportion_summary_uncombine(a, b): a - b, the inverse of rollup() */
Datum
proportion_summary_uncombine(PG_FUNCTION_ARGS)
{
	ProportionSummary *a = KpiSummaryMergeState(fcinfo, 0, &ProportionType);
	ProportionSummary *b = ProportionGetArg(fcinfo, 1);

	ProportionRemove(a, b->successes, b->trials);
	PG_RETURN_POINTER(a);
}


/* Constructor and accessors */

Datum
KpiProportionDatum(int64 successes, int64 trials)
{
	const char *problem = ProportionCountsError(successes, trials);

	/* never a value that proportion_summary_in would reject */
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("proportion_summary result of " INT64_FORMAT " successes in " INT64_FORMAT " trials is out of range",
						successes, trials),
				 errdetail("%s", problem)));
	return PointerGetDatum(ProportionCreate(successes, trials));
}

/* proportion(successes, trials) */
Datum
proportion(PG_FUNCTION_ARGS)
{
	int64		successes,
				trials;

	ProportionCountsArgs(fcinfo, 0, &successes, &trials);
	PG_RETURN_POINTER(ProportionCreate(successes, trials));
}

Datum
proportion_successes(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(ProportionGetArg(fcinfo, 0)->successes);
}

Datum
proportion_trials(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(ProportionGetArg(fcinfo, 0)->trials);
}

/* rate(p): successes / trials, NULL when there are no trials */
Datum
proportion_rate(PG_FUNCTION_ARGS)
{
	ProportionSummary *p = ProportionGetArg(fcinfo, 0);

	if (p->trials == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) p->successes / (double) p->trials);
}

/* rate_ci(p, level): Wilson score interval; NULLs when there are no trials */
Datum
proportion_rate_ci(PG_FUNCTION_ARGS)
{
	ProportionSummary *p = ProportionGetArg(fcinfo, 0);
	double		z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
	double		bounds[2] = {0.0, 0.0};
	bool		nulls[2] = {true, true};

	if (p->trials > 0)
	{
		KpiWilsonInterval(p->successes, p->trials, z, &bounds[0], &bounds[1]);
		nulls[0] = nulls[1] = false;
	}
	return KpiFloat8Record(fcinfo, bounds, nulls, 2);
}

/*
 * rate_lower(s, level), rate_upper(s, level): the bounds of rate_ci one at a
 * time, for tools that read scalar columns; NULL when there are no trials
 */
static Datum
ProportionRateBound(FunctionCallInfo fcinfo, bool upper)
{
	ProportionSummary *p = ProportionGetArg(fcinfo, 0);
	double		z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
	double		lo,
				hi;

	if (p->trials == 0)
		PG_RETURN_NULL();
	KpiWilsonInterval(p->successes, p->trials, z, &lo, &hi);
	PG_RETURN_FLOAT8(upper ? hi : lo);
}

Datum
rate_lower(PG_FUNCTION_ARGS)
{
	return ProportionRateBound(fcinfo, false);
}

Datum
rate_upper(PG_FUNCTION_ARGS)
{
	return ProportionRateBound(fcinfo, true);
}

/*----------
 * proportion_compare(a, b): two-proportion z test of rate(a) against rate(b)
 *
 *		difference = p_a - p_b
 *		stderr = sqrt(p (1 - p) (1/n_a + 1/n_b)), p = (k_a + k_b) / (n_a + n_b)
 *		z = difference / stderr,  p_value = 2 (1 - Phi(|z|))
 *
 * The pooled standard error is the one of the test's null hypothesis (equal
 * rates); it is the textbook test, equal to Pearson's chi-square test of the
 * 2x2 table without continuity correction (z^2 = chi^2).  All NULL if a
 * side has no trials; z and p_value NULL when stderr is 0 (every trial on
 * both sides succeeded, or every one failed: nothing to test).
 *----------
 */
Datum
proportion_compare(PG_FUNCTION_ARGS)
{
	ProportionSummary *a = ProportionGetArg(fcinfo, 0);
	ProportionSummary *b = ProportionGetArg(fcinfo, 1);
	double		result[4] = {0.0, 0.0, 0.0, 0.0};
	bool		nulls[4] = {true, true, true, true};

	if (a->trials > 0 && b->trials > 0)
	{
		double		na = (double) a->trials;
		double		nb = (double) b->trials;
		double		pooled = ((double) a->successes + (double) b->successes) / (na + nb);

		result[0] = a->successes / na - b->successes / nb;
		result[1] = sqrt(pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb));
		nulls[0] = nulls[1] = false;
		if (result[1] > 0.0)
		{
			result[2] = result[0] / result[1];
			result[3] = KpiNormalTwoSidedP(result[2]);
			nulls[2] = nulls[3] = false;
		}
	}
	return KpiFloat8Record(fcinfo, result, nulls, 4);
}
