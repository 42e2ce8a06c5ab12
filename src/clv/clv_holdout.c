/*-------------------------------------------------------------------------
 *
 * clv_holdout.c
 *	  Calibration / holdout validation of a purchase model: the
 *	  holdout_summary of actual against predicted holdout purchases per
 *	  calibration frequency (and per period of the holdout), the
 *	  aggregates that build and merge it, and the calibration table,
 *	  totals and tracking read from it.
 *
 * A model fitted on the purchases up to a calibration end predicts each
 * customer's purchases in the holdout period that follows, given the
 * customer's calibration history (x, t_x, T); grouping customers by their
 * calibration frequency x and comparing the mean actual and the mean
 * predicted holdout purchases of each group is the check BTYD's
 * bgnbd.PlotFreqVsConditionalExpectedFrequency and lifetimes'
 * plot_calibration_purchases_vs_holdout_purchases draw.  The summary keeps,
 * per frequency 0 .. HOLDOUT_EXACT_BINS - 1 and for all larger frequencies
 * together, the customers, the sum of their actual holdout purchases and
 * the sum of their predictions: sums, so that partial summaries (parallel
 * workers, segments, stored per day of acquisition) merge exactly.  Built
 * from each customer's holdout purchase times, it also tracks the holdout
 * period by period (BTYD's tracking plots), with the cumulative expectation
 * at the end of each period.
 *
 * The model enters only through its conditional expectation
 * E[X(t) | x, t_x, T] and, for the tracking over the calibration period
 * too, its unconditional E[X(t)]: a HoldoutModel names the model type and
 * those functions, and each model type has transition functions of its own
 * that pass its HoldoutModel to HoldoutAccum, HoldoutAccumTimes and
 * HoldoutAccumTracked (BG/NBD and Pareto/NBD here; another model plugs in
 * by its expectations, three such functions and three aggregate overloads).  See doc/clv.md,
 * "Checking a model on a holdout period".
 *
 *-------------------------------------------------------------------------
 */
#include "clv.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(holdout_summary_in);
PG_FUNCTION_INFO_V1(holdout_summary_out);
PG_FUNCTION_INFO_V1(holdout_summary_recv);
PG_FUNCTION_INFO_V1(holdout_summary_send);
PG_FUNCTION_INFO_V1(holdout_summary_accum);
PG_FUNCTION_INFO_V1(holdout_summary_accum_times);
PG_FUNCTION_INFO_V1(holdout_summary_accum_pareto_nbd);
PG_FUNCTION_INFO_V1(holdout_summary_accum_times_pareto_nbd);
PG_FUNCTION_INFO_V1(holdout_summary_accum_tracked);
PG_FUNCTION_INFO_V1(holdout_summary_accum_tracked_pareto_nbd);
PG_FUNCTION_INFO_V1(holdout_summary_combine);
PG_FUNCTION_INFO_V1(calibration_table);
PG_FUNCTION_INFO_V1(holdout_totals);
PG_FUNCTION_INFO_V1(holdout_tracking);

/*
 * Format 2 adds the calibration periods of a summary tracked over the
 * calibration period too; format 1 (no calibration periods) still reads.
 */
#define HOLDOUT_FORMAT_VERSION 2
/* frequencies 0 .. 100 each have their bin; the last bin holds all above */
#define HOLDOUT_EXACT_BINS 101
#define HOLDOUT_BINS (HOLDOUT_EXACT_BINS + 1)
/* tracking periods (calibration and holdout together), at most (e.g. 5 years of days) */
#define HOLDOUT_MAX_PERIODS 2000

typedef struct HoldoutBin
{
	int64		customers;
	int64		actual;			/* sum of the actual holdout purchases */
	KpiSum		predicted;		/* sum of the predicted holdout purchases */
} HoldoutBin;

/*
 * One tracking period k = 1 .. periods of the holdout, ((k - 1) L, k L]
 * after the calibration end: the purchases made in it, and the cumulative
 * expected purchases up to its end, sum_i E[Y_i(k L) | x_i, t_x_i, T_i].
 * A summary tracked over the calibration period too has before them the
 * calibration periods k = 1 - C .. 0, and in every period the unconditional
 * expectation instead (see HoldoutAccumTracked).
 */
typedef struct HoldoutPeriod
{
	int64		actual;
	KpiSum		expected;
} HoldoutPeriod;

/*
 * The stored value: a varlena of every bin (the empty ones zero) and, when
 * the holdout is tracked, of every period, updated in place by the
 * aggregates.  The text and binary forms list the non-empty bins only and
 * are independent of this layout; the compensation of the sums is not part
 * of them (a value read back has the same sums, with no pending
 * compensation), nor are the totals, which let a row check in constant time
 * that every total stays in range.
 */
typedef struct HoldoutSummary
{
	int32		vl_len_;		/* varlena header */
	uint8		version;		/* HOLDOUT_FORMAT_VERSION (1: the same layout, no calibration periods) */
	uint8		reserved[3];	/* zero */
	int32		bins;			/* HOLDOUT_BINS */
	int64		customers;		/* totals over the bins */
	int64		actual;
	double		predicted;		/* running sum, at most HOLDOUT_MAX_PREDICTED */
	double		period_length;	/* tracking periods: 0 and 0 when untracked */
	int32		periods;		/* of the holdout */
	int32		calibration_periods;	/* before them, or 0 */
	HoldoutBin	bin[HOLDOUT_BINS];
	HoldoutPeriod period[FLEXIBLE_ARRAY_MEMBER];	/* calibration, then holdout */
} HoldoutSummary;

#define HoldoutSize(periods) \
	(offsetof(HoldoutSummary, period) + sizeof(HoldoutPeriod) * (Size) (periods))
/* the number of tracked periods */
#define HoldoutTracked(s) ((s)->calibration_periods + (s)->periods)

/*
 * The running total of the predictions stays below half the largest double,
 * so that the sum of the bins, in whatever order it is added, is finite.
 */
#define HOLDOUT_MAX_PREDICTED (DBL_MAX / 2)

/*
 * A model's conditional expectation E[X(t) | x, t_x, T], and the
 * unconditional E[X(t)] of a new customer (the tracking over the
 * calibration period)
 */
typedef double (*HoldoutExpectation) (const ModelValues *m, const RfmSummary *s, double t);
typedef double (*HoldoutNewExpectation) (const ModelValues *m, double t);

typedef struct HoldoutModel
{
	const ModelKind *kind;
	HoldoutExpectation expectation;
	HoldoutNewExpectation unconditional;
} HoldoutModel;

static const HoldoutModel HoldoutBgnbd = {
	&ClvBgnbdKind, BgnbdConditionalExpectation, BgnbdExpectation
};
static const HoldoutModel HoldoutParetoNbd = {
	&ClvParetoNbdKind, ParetoNbdConditionalExpectation, ParetoNbdExpectation
};

static double
HoldoutPredicted(const HoldoutBin *b)
{
	return KpiSumValue(&b->predicted);
}

/*
 * Why the bins are not a holdout summary, or NULL: counts and sums
 * non-negative, predictions finite, an empty bin all zero, and the totals
 * over all bins (what the accessors add up) within range; the totals are
 * stored in *customers, *actual and *predicted.
 */
static const char *
HoldoutBinsError(const HoldoutBin *bin, int64 *customers, int64 *actual, double *predicted)
{
	int			i;

	*customers = 0;
	*actual = 0;
	*predicted = 0;
	for (i = 0; i < HOLDOUT_BINS; i++)
	{
		const HoldoutBin *b = &bin[i];
		double		p = HoldoutPredicted(b);

		if (b->customers < 0 || b->actual < 0)
			return psprintf("Bin %d has a negative count.", i);
		if (!isfinite(p) || !isfinite(b->predicted.comp) || p < 0)
			return psprintf("The prediction of bin %d is not a finite non-negative number.", i);
		if (b->customers == 0 && (b->actual != 0 || p != 0))
			return psprintf("Bin %d has purchases but no customers.", i);
		if (pg_add_s64_overflow(*customers, b->customers, customers) ||
			pg_add_s64_overflow(*actual, b->actual, actual))
			return "The total of customers or of actual purchases is out of range.";
		*predicted += p;
	}
	if (!isfinite(*predicted))
		return "The total of the predicted purchases is out of range.";
	return NULL;
}

/*
 * Why the tracking periods are not valid, or NULL: an untracked summary has
 * no periods and period length 0; a tracked one a positive finite length,
 * over its periods exactly its actual purchases, and finite non-negative
 * expectations (zero without customers).
 */
static const char *
HoldoutPeriodsError(const HoldoutSummary *s)
{
	int64		actual = 0,
				calibration = 0;
	int			k;

	if (s->periods == 0)
		return s->period_length == 0 && s->calibration_periods == 0 ? NULL :
			"A summary without periods has period length 0.";
	if (!isfinite(s->period_length) || !(s->period_length > 0))
		return "The period length must be positive and finite.";
	for (k = 0; k < HoldoutTracked(s); k++)
	{
		const HoldoutPeriod *p = &s->period[k];
		double		e = KpiSumValue(&p->expected);
		int			number = k - s->calibration_periods + 1;
		bool		held = k >= s->calibration_periods;

		if (p->actual < 0 ||
			pg_add_s64_overflow(held ? actual : calibration, p->actual, held ? &actual : &calibration))
			return psprintf("The purchases of period %d are out of range.", number);
		if (!isfinite(e) || !isfinite(p->expected.comp) || e < 0)
			return psprintf("The expectation of period %d is not a finite non-negative number.", number);
		if (s->customers == 0 && (e != 0 || p->actual != 0))
			return "A summary of no customers has no purchases.";
	}
	if (actual != s->actual)
		return "The periods' purchases do not add up to the actual purchases.";
	return NULL;
}

/* Why a summary is not valid, or NULL: its bins, and its totals theirs */
static const char *
HoldoutError(const HoldoutSummary *s)
{
	int64		customers,
				actual;
	double		predicted;
	const char *problem = HoldoutBinsError(s->bin, &customers, &actual, &predicted);

	if (problem)
		return problem;
	if (s->customers != customers || s->actual != actual ||
		!(s->predicted >= 0 && s->predicted <= HOLDOUT_MAX_PREDICTED))
		return "The totals do not match the bins.";
	return HoldoutPeriodsError(s);
}

/*
 * Set the totals of bins read from outside; why they are invalid, or NULL.
 * The running total a summary keeps is at most HOLDOUT_MAX_PREDICTED, so
 * that the sum of its bins in any order stays finite.
 */
static const char *
HoldoutSetTotals(HoldoutSummary *s)
{
	const char *problem = HoldoutBinsError(s->bin, &s->customers, &s->actual, &s->predicted);

	if (problem == NULL && !(s->predicted <= HOLDOUT_MAX_PREDICTED))
		problem = "The total of the predicted purchases is out of range.";
	if (problem == NULL)
		problem = HoldoutPeriodsError(s);
	return problem;
}

static bool
HoldoutValid(const void *value, bool full)
{
	const HoldoutSummary *s = value;

	if (VARSIZE(s) < HoldoutSize(0) ||
		s->version < 1 || s->version > HOLDOUT_FORMAT_VERSION ||
		(s->version < 2 && s->calibration_periods != 0) || s->bins != HOLDOUT_BINS ||
		s->periods < 0 || s->calibration_periods < 0 ||
		s->periods > HOLDOUT_MAX_PERIODS ||
		s->calibration_periods > HOLDOUT_MAX_PERIODS - s->periods ||
		VARSIZE(s) != HoldoutSize(HoldoutTracked(s)))
		return false;
	return !full || HoldoutError(s) == NULL;
}

static const KpiSummaryType HoldoutType = {"holdout_summary", -1, HoldoutValid};

/* An empty summary of C calibration and P holdout periods of length L */
static HoldoutSummary *
HoldoutCreate(int calibration_periods, int periods, double period_length)
{
	HoldoutSummary *s = palloc0(HoldoutSize(calibration_periods + periods));

	SET_VARSIZE(s, HoldoutSize(calibration_periods + periods));
	s->version = HOLDOUT_FORMAT_VERSION;
	s->bins = HOLDOUT_BINS;
	s->periods = periods;
	s->calibration_periods = calibration_periods;
	s->period_length = period_length;
	return s;
}

/* s with other periods: a new copy (s has no customers) */
static HoldoutSummary *
HoldoutWithPeriods(const HoldoutSummary *s, int calibration_periods, int periods,
				   double period_length)
{
	HoldoutSummary *t = HoldoutCreate(calibration_periods, periods, period_length);

	memcpy(t->bin, s->bin, sizeof(s->bin));
	t->customers = s->customers;
	t->actual = s->actual;
	t->predicted = s->predicted;
	return t;
}

/* The bin of a calibration frequency */
static inline int
HoldoutBinOf(int64 frequency)
{
	return frequency < HOLDOUT_EXACT_BINS ? (int) frequency : HOLDOUT_EXACT_BINS;
}


/*
 * Text: {"version":2,"bins":[[0,1411,334,221.3],[1,439,306,257.5],...]}:
 * the non-empty bins in increasing frequency, each [frequency, customers,
 * actual purchases, predicted purchases]; frequency 101 stands for all
 * frequencies above 100.  A tracked summary goes on with
 * ,"period_length":1,"calibration_periods":0,"periods":[[12,10.5],...]:
 * per period (the C calibration periods first) its purchases and the
 * cumulative expected purchases at its end.  Binary: int8 version, int32
 * number of bins, then per bin int32 frequency, int64 customers, int64
 * actual, float8 predicted; float8 period length, int32 calibration periods,
 * int32 number of periods (calibration and holdout), then per period int64
 * purchases, float8 expectation.  Format 1 is the same without the
 * calibration periods (text key and binary field), which it has none of.
 */
Datum
holdout_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	KpiScanner	scan = {str};
	const char *problem = "Expected {\"version\":2,\"bins\":[[frequency,customers,actual,predicted],...]} and optionally ,\"period_length\":L,\"calibration_periods\":C,\"periods\":[[actual,expected],...].";
	HoldoutBin	bin[HOLDOUT_BINS];
	HoldoutPeriod *period = NULL;
	HoldoutSummary *s;
	double		period_length = 0;
	int			periods = 0,
				version;
	int64		calibration_periods = 0,
				last = -1;

	memset(bin, 0, sizeof(bin));
	if (!KpiScanVersionRange(&scan, 1, HOLDOUT_FORMAT_VERSION, &version, &problem) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "bins") ||
		!KpiScanToken(&scan, "["))
		KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
	if (!KpiScanToken(&scan, "]"))
	{
		do
		{
			int64		frequency,
						customers,
						actual;
			double		predicted;

			if (!(KpiScanToken(&scan, "[") && KpiScanInt64(&scan, &frequency) &&
				  KpiScanToken(&scan, ",") && KpiScanInt64(&scan, &customers) &&
				  KpiScanToken(&scan, ",") && KpiScanInt64(&scan, &actual) &&
				  KpiScanToken(&scan, ",") && KpiScanFloat8(&scan, &predicted) &&
				  KpiScanToken(&scan, "]")))
				KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
			if (frequency <= last || frequency > HOLDOUT_EXACT_BINS)
			{
				problem = "The bins' frequencies must increase, from 0 to 101.";
				KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
			}
			if (customers == 0)
			{
				problem = "A listed bin must have customers.";
				KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
			}
			bin[frequency].customers = customers;
			bin[frequency].actual = actual;
			bin[frequency].predicted.sum = predicted;
			last = frequency;
		} while (KpiScanToken(&scan, ","));
		if (!KpiScanToken(&scan, "]"))
			KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
	}
	if (KpiScanToken(&scan, ","))
	{
		if (!KpiScanKey(&scan, "period_length") || !KpiScanFloat8(&scan, &period_length) ||
			!KpiScanToken(&scan, ",") ||
			(version >= 2 &&
			 !(KpiScanKey(&scan, "calibration_periods") &&
			   KpiScanInt64(&scan, &calibration_periods) && KpiScanToken(&scan, ","))) ||
			!KpiScanKey(&scan, "periods") ||
			!KpiScanToken(&scan, "["))
			KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
		period = palloc(sizeof(HoldoutPeriod) * HOLDOUT_MAX_PERIODS);
		do
		{
			if (periods == HOLDOUT_MAX_PERIODS)
			{
				problem = psprintf("A summary tracks at most %d periods.", HOLDOUT_MAX_PERIODS);
				KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
			}
			period[periods].expected.comp = 0;
			if (!(KpiScanToken(&scan, "[") && KpiScanInt64(&scan, &period[periods].actual) &&
				  KpiScanToken(&scan, ",") && KpiScanFloat8(&scan, &period[periods].expected.sum) &&
				  KpiScanToken(&scan, "]")))
				KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
			periods++;
		} while (KpiScanToken(&scan, ","));
		if (!KpiScanToken(&scan, "]"))
			KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
		if (!(period_length > 0))
		{
			problem = "The period length must be positive and finite.";
			KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
		}
		if (calibration_periods < 0 || calibration_periods >= periods)
		{
			problem = psprintf("The %d periods must include a holdout period after " INT64_FORMAT " calibration periods.",
							   periods, calibration_periods);
			KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
		}
	}
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
	s = HoldoutCreate((int) calibration_periods, periods - (int) calibration_periods, period_length);
	memcpy(s->bin, bin, sizeof(bin));
	if (periods > 0)
		memcpy(s->period, period, sizeof(HoldoutPeriod) * periods);
	if ((problem = HoldoutSetTotals(s)) != NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, HoldoutType.name, str, problem);
	PG_RETURN_POINTER(s);
}

Datum
holdout_summary_out(PG_FUNCTION_ARGS)
{
	HoldoutSummary *s = KpiSummaryArg(fcinfo, 0, &HoldoutType);
	StringInfoData buf;
	bool		first = true;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,\"bins\":[", HOLDOUT_FORMAT_VERSION);
	for (i = 0; i < HOLDOUT_BINS; i++)
	{
		const HoldoutBin *b = &s->bin[i];

		if (b->customers == 0)
			continue;
		appendStringInfo(&buf, "%s[%d," INT64_FORMAT "," INT64_FORMAT ",",
						 first ? "" : ",", i, b->customers, b->actual);
		KpiAppendFloat8(&buf, HoldoutPredicted(b));
		appendStringInfoChar(&buf, ']');
		first = false;
	}
	appendStringInfoChar(&buf, ']');
	if (s->periods > 0)
	{
		appendStringInfoString(&buf, ",\"period_length\":");
		KpiAppendFloat8(&buf, s->period_length);
		appendStringInfo(&buf, ",\"calibration_periods\":%d,\"periods\":[", s->calibration_periods);
		for (i = 0; i < HoldoutTracked(s); i++)
		{
			appendStringInfo(&buf, "%s[" INT64_FORMAT ",", i > 0 ? "," : "", s->period[i].actual);
			KpiAppendFloat8(&buf, KpiSumValue(&s->period[i].expected));
			appendStringInfoChar(&buf, ']');
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

Datum
holdout_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	HoldoutBin	bin[HOLDOUT_BINS];
	HoldoutSummary *s;
	const char *problem;
	double		period_length;
	int			n,
				i,
				periods,
				calibration_periods = 0,
				version,
				last = -1;

	memset(bin, 0, sizeof(bin));
	version = KpiRecvVersionRange(buf, HoldoutType.name, 1, HOLDOUT_FORMAT_VERSION);
	n = (int) KpiRecvCount(buf, HoldoutType.name, 4, HOLDOUT_BINS, 28);
	KpiRecvNeed(buf, HoldoutType.name, (int64) n * 28 + (version >= 2 ? 16 : 12), false);
	for (i = 0; i < n; i++)
	{
		int			frequency = pq_getmsgint(buf, 4);
		HoldoutBin *b;

		if (frequency <= last || frequency > HOLDOUT_EXACT_BINS)
			KpiBinaryInputError(HoldoutType.name,
								"The bins' frequencies must increase, from 0 to 101.");
		b = &bin[frequency];
		b->customers = pq_getmsgint64(buf);
		b->actual = pq_getmsgint64(buf);
		b->predicted.sum = pq_getmsgfloat8(buf);
		if (b->customers == 0)
			KpiBinaryInputError(HoldoutType.name, "A listed bin must have customers.");
		last = frequency;
	}
	period_length = pq_getmsgfloat8(buf);
	if (version >= 2)
		calibration_periods = pq_getmsgint(buf, 4);
	periods = (int) KpiRecvCount(buf, HoldoutType.name, 4, HOLDOUT_MAX_PERIODS, 16);
	KpiRecvNeed(buf, HoldoutType.name, (int64) periods * 16, true);
	if (periods > 0 ? !(period_length > 0 && isfinite(period_length)) : period_length != 0)
		KpiBinaryInputError(HoldoutType.name, "The period length %g does not fit %d periods.",
							period_length, periods);
	if (periods == 0)
		period_length = 0;		/* not -0, which the text form cannot carry */
	if (calibration_periods < 0 || (periods > 0 && calibration_periods >= periods) ||
		(periods == 0 && calibration_periods != 0))
		KpiBinaryInputError(HoldoutType.name,
							"The %d periods must include a holdout period after %d calibration periods.",
							periods, calibration_periods);
	s = HoldoutCreate(calibration_periods, periods - calibration_periods, period_length);
	memcpy(s->bin, bin, sizeof(bin));
	for (i = 0; i < periods; i++)
	{
		s->period[i].actual = pq_getmsgint64(buf);
		s->period[i].expected.sum = pq_getmsgfloat8(buf);
	}
	KpiRecvEnd(buf, HoldoutType.name);
	if ((problem = HoldoutSetTotals(s)) != NULL)
		KpiBinaryInputError(HoldoutType.name, "%s", problem);
	PG_RETURN_POINTER(s);
}

Datum
holdout_summary_send(PG_FUNCTION_ARGS)
{
	HoldoutSummary *s = KpiSummaryArg(fcinfo, 0, &HoldoutType);
	StringInfoData buf;
	int			n = 0,
				i;

	for (i = 0; i < HOLDOUT_BINS; i++)
		n += s->bin[i].customers > 0;
	KpiSendVersion(&buf, HOLDOUT_FORMAT_VERSION);
	pq_sendint32(&buf, n);
	for (i = 0; i < HOLDOUT_BINS; i++)
	{
		const HoldoutBin *b = &s->bin[i];

		if (b->customers == 0)
			continue;
		pq_sendint32(&buf, i);
		pq_sendint64(&buf, b->customers);
		pq_sendint64(&buf, b->actual);
		pq_sendfloat8(&buf, HoldoutPredicted(b));
	}
	pq_sendfloat8(&buf, s->period_length);
	pq_sendint32(&buf, s->calibration_periods);
	pq_sendint32(&buf, HoldoutTracked(s));
	for (i = 0; i < HoldoutTracked(s); i++)
	{
		pq_sendint64(&buf, s->period[i].actual);
		pq_sendfloat8(&buf, KpiSumValue(&s->period[i].expected));
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/*
 * holdout_agg(model, calibration rfm_summary, holdout_purchases bigint,
 *			   holdout_length float8): one customer's row added to the bin
 * of its calibration frequency: the customer, the actual holdout purchases
 * and the model's E[X(holdout_length) | x, t_x, T].  Strict, with the empty
 * summary as INITCOND: rows with a NULL argument are skipped.
 *
 * holdout_agg(model, calibration, holdout_times float8[], period_length,
 *			   periods): the same over a holdout of periods x period_length,
 * the purchases being the times (after the calibration end) within it, and
 * each period's purchases and cumulative expectation tracked too.
 */

/*
 * Add a customer of frequency x to the bins: the totals bound every bin, so
 * checking them is enough, and a row costs no loop over the bins.
 */
static void
HoldoutAddCustomer(HoldoutSummary *s, int64 frequency, int64 purchases, double predicted)
{
	HoldoutBin *b = &s->bin[HoldoutBinOf(frequency)];

	if (pg_add_s64_overflow(s->customers, 1, &s->customers) ||
		pg_add_s64_overflow(s->actual, purchases, &s->actual) ||
		!(s->predicted + predicted <= HOLDOUT_MAX_PREDICTED))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("holdout_summary totals are out of range")));
	s->predicted += predicted;
	b->customers++;
	b->actual += purchases;
	(void) KpiSumAdd(&b->predicted, predicted);
}

static Datum
HoldoutAccum(FunctionCallInfo fcinfo, const HoldoutModel *model)
{
	HoldoutSummary *s = KpiSummaryState(fcinfo, 0, &HoldoutType);
	RfmSummary *c = RfmGetArg(fcinfo, 2);
	int64		purchases = PG_GETARG_INT64(3);
	double		length = PG_GETARG_FLOAT8(4);
	ModelValues m;

	ClvModelReadForPrediction(model->kind, PG_GETARG_POINTER(1), &m);
	if (purchases < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of holdout purchases " INT64_FORMAT " is negative", purchases)));
	if (!isfinite(length) || !(length > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("holdout length %g is invalid", length),
				 errhint("The holdout length is a positive number of the RFM summary's time units.")));
	if (s->periods > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot add a holdout purchase count to a summary that tracks periods")));
	HoldoutAddCustomer(s, c->frequency, purchases, model->expectation(&m, c, length));
	PG_RETURN_POINTER(s);
}

Datum
holdout_summary_accum(PG_FUNCTION_ARGS)
{
	return HoldoutAccum(fcinfo, &HoldoutBgnbd);
}

/* Purchase times: a one-dimensional array without NULL */
static void
HoldoutCheckTimes(ArrayType *times, const char *period)
{
	if (ARR_NDIM(times) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s purchase times must be a one-dimensional array", period)));
	if (ARR_HASNULL(times))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s purchase times must not contain NULL", period)));
}

/*
 * The state, tracking the row's periods: the first row (or an empty state)
 * sets the periods; later rows keep them.
 */
static HoldoutSummary *
HoldoutKeepPeriods(HoldoutSummary *s, int calibration_periods, int periods, double length)
{
	if (s->calibration_periods == calibration_periods && s->periods == periods &&
		s->period_length == length)
		return s;
	if (s->customers > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("holdout periods changed within one aggregate"),
				 errdetail("The summary tracks %d calibration and %d holdout periods of %g, the row %d and %d periods of %g.",
						   s->calibration_periods, s->periods, s->period_length,
						   calibration_periods, periods, length)));
	return HoldoutWithPeriods(s, calibration_periods, periods, length);
}

static Datum
HoldoutAccumTimes(FunctionCallInfo fcinfo, const HoldoutModel *model)
{
	HoldoutSummary *s = KpiSummaryState(fcinfo, 0, &HoldoutType);
	RfmSummary *c = RfmGetArg(fcinfo, 2);
	ArrayType  *times = PG_GETARG_ARRAYTYPE_P(3);
	double		length = PG_GETARG_FLOAT8(4);
	int32		periods = PG_GETARG_INT32(5);
	double		end;
	const double *t;
	int64		purchases = 0;
	int			n,
				i,
				k;
	ModelValues m;

	ClvModelReadForPrediction(model->kind, PG_GETARG_POINTER(1), &m);
	if (!isfinite(length) || !(length > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("holdout period length %g is invalid", length),
				 errhint("The period length is a positive number of the RFM summary's time units.")));
	if (periods < 1 || periods > HOLDOUT_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of holdout periods %d is out of range", periods),
				 errhint("A holdout is tracked over 1 to %d periods.", HOLDOUT_MAX_PERIODS)));
	end = length * periods;
	if (!isfinite(end))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("holdout of %d periods of %g is out of range", periods, length)));
	HoldoutCheckTimes(times, "holdout");

	s = HoldoutKeepPeriods(s, 0, periods, length);
	n = ARR_NDIM(times) == 0 ? 0 : ARR_DIMS(times)[0];
	t = (const double *) ARR_DATA_PTR(times);
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		if (!isfinite(t[i]) || !(t[i] > 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("holdout purchase time %g is invalid", t[i]),
					 errhint("Times are positive offsets from the calibration end, in the RFM summary's time units.")));
		if (t[i] > end)
			continue;			/* after the holdout, as rfm_agg ignores later purchases */
		k = (int) Min(ceil(t[i] / length), (double) periods);
		s->period[Max(k, 1) - 1].actual++;
		purchases++;
	}

	/* the cumulative expectations; the last one is the bins' prediction */
	for (k = 1; k <= periods; k++)
	{
		double		e = model->expectation(&m, c, k < periods ? k * length : end);

		if (!KpiSumAdd(&s->period[k - 1].expected, e))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("holdout_summary expectation of period %d is out of range", k)));
		if (k == periods)
			HoldoutAddCustomer(s, c->frequency, purchases, e);
		CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(s);
}

Datum
holdout_summary_accum_times(PG_FUNCTION_ARGS)
{
	return HoldoutAccumTimes(fcinfo, &HoldoutBgnbd);
}

/* The transition functions of holdout_agg over a pareto_nbd_model */
Datum
holdout_summary_accum_pareto_nbd(PG_FUNCTION_ARGS)
{
	return HoldoutAccum(fcinfo, &HoldoutParetoNbd);
}

Datum
holdout_summary_accum_times_pareto_nbd(PG_FUNCTION_ARGS)
{
	return HoldoutAccumTimes(fcinfo, &HoldoutParetoNbd);
}

/*
 * E[X(u)] of a customer u time units after the first purchase: the
 * unconditional expectation (FHL 2005 eq. 9; the Pareto/NBD note, eq. 9),
 * what expected_purchases(model, u) returns; 0 before the first purchase.
 */
static double
HoldoutUnconditional(const HoldoutModel *model, const ModelValues *m, double u)
{
	return u > 0 ? model->unconditional(m, u) : 0;
}

/*----
 * holdout_agg(model, calibration, calibration_times float8[], holdout_times,
 *			   period_length, calibration_periods, periods): holdout_agg over
 * the holdout times, tracked over the calibration period too, as BTYD's
 * bgnbd.PlotTrackingCum / bgnbd.ExpectedCumulativeTransactions do.  The
 * tracked span is C calibration periods k = 1 - C .. 0 and P holdout periods
 * k = 1 .. P, period k being ((k - 1) L, k L] from the calibration end.  The
 * calibration times are the customer's repeat purchases, offsets from the
 * calibration end in [-T, 0]; times at or before -C L are outside the span
 * and skipped, as holdout times after P L are.  Each period keeps the repeat
 * purchases made in it and the cumulative expectation at its end, over the
 * customers sum_i [E[X(k L + T_i)] - E[X(-C L + T_i)]], E[X(u)] the
 * unconditional expectation of a customer u after the first purchase (0 for
 * u <= 0): the repeat purchases expected since the span's start of
 * customers born at -T_i.  When the span starts at or before every
 * customer's first purchase (BTYD's case), it is the expectation since
 * birth.  The bins keep the conditional expectation over the holdout, as
 * the other forms.
 */
static Datum
HoldoutAccumTracked(FunctionCallInfo fcinfo, const HoldoutModel *model)
{
	HoldoutSummary *s = KpiSummaryState(fcinfo, 0, &HoldoutType);
	RfmSummary *c = RfmGetArg(fcinfo, 2);
	ArrayType  *before = PG_GETARG_ARRAYTYPE_P(3);
	ArrayType  *after = PG_GETARG_ARRAYTYPE_P(4);
	double		length = PG_GETARG_FLOAT8(5);
	int32		calibration_periods = PG_GETARG_INT32(6);
	int32		periods = PG_GETARG_INT32(7);
	double		start,
				end,
				offset;
	const double *t;
	int64		purchases = 0;
	int			n,
				i,
				k;
	ModelValues m;

	ClvModelReadForPrediction(model->kind, PG_GETARG_POINTER(1), &m);
	if (!isfinite(length) || !(length > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("holdout period length %g is invalid", length),
				 errhint("The period length is a positive number of the RFM summary's time units.")));
	if (periods < 1 || periods >= HOLDOUT_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of holdout periods %d is out of range", periods),
				 errhint("A summary tracks 1 to %d periods in all.", HOLDOUT_MAX_PERIODS)));
	if (calibration_periods < 1 || calibration_periods > HOLDOUT_MAX_PERIODS - periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of calibration periods %d is out of range", calibration_periods),
				 errhint("A summary tracks 1 to %d periods in all.", HOLDOUT_MAX_PERIODS)));
	start = -length * calibration_periods;
	end = length * periods;
	if (!isfinite(start) || !isfinite(end) || !isfinite(end - start + c->age))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tracking %d calibration and %d holdout periods of %g is out of range",
						calibration_periods, periods, length)));
	HoldoutCheckTimes(before, "calibration");
	HoldoutCheckTimes(after, "holdout");
	s = HoldoutKeepPeriods(s, calibration_periods, periods, length);

	n = ARR_NDIM(before) == 0 ? 0 : ARR_DIMS(before)[0];
	t = (const double *) ARR_DATA_PTR(before);
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		if (!isfinite(t[i]) || t[i] > 0 || t[i] < -c->age)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("calibration purchase time %g is invalid", t[i]),
					 errhint("Times are offsets from the calibration end in [-T, 0], T = %g the customer's age.",
							 c->age)));
		k = (int) ceil(t[i] / length);
		if (t[i] <= start || k < 1 - calibration_periods)
			continue;			/* before the tracked span */
		s->period[calibration_periods + k - 1].actual++;
	}
	n = ARR_NDIM(after) == 0 ? 0 : ARR_DIMS(after)[0];
	t = (const double *) ARR_DATA_PTR(after);
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		if (!isfinite(t[i]) || !(t[i] > 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("holdout purchase time %g is invalid", t[i]),
					 errhint("Times are positive offsets from the calibration end, in the RFM summary's time units.")));
		if (t[i] > end)
			continue;			/* after the holdout, as rfm_agg ignores later purchases */
		k = (int) Min(ceil(t[i] / length), (double) periods);
		s->period[calibration_periods + Max(k, 1) - 1].actual++;
		purchases++;
	}

	/* the unconditional expectations since the span's start, by period */
	offset = HoldoutUnconditional(model, &m, start + c->age);
	for (k = 1 - calibration_periods; k <= periods; k++)
	{
		double		at = k < periods ? k * length : end,
					e = Max(HoldoutUnconditional(model, &m, at + c->age) - offset, 0);

		if (!KpiSumAdd(&s->period[calibration_periods + k - 1].expected, e))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("holdout_summary expectation of period %d is out of range", k)));
		CHECK_FOR_INTERRUPTS();
	}
	HoldoutAddCustomer(s, c->frequency, purchases, model->expectation(&m, c, end));
	PG_RETURN_POINTER(s);
}

/* The transition functions of holdout_agg tracked over the calibration period */
Datum
holdout_summary_accum_tracked(PG_FUNCTION_ARGS)
{
	return HoldoutAccumTracked(fcinfo, &HoldoutBgnbd);
}

Datum
holdout_summary_accum_tracked_pareto_nbd(PG_FUNCTION_ARGS)
{
	return HoldoutAccumTracked(fcinfo, &HoldoutParetoNbd);
}

/* Combine function of holdout_agg, transition function of rollup: a + b */
Datum
holdout_summary_combine(PG_FUNCTION_ARGS)
{
	HoldoutSummary *a = KpiSummaryMergeState(fcinfo, 0, &HoldoutType);
	HoldoutSummary *b = KpiSummaryArg(fcinfo, 1, &HoldoutType);
	int			i;

	if (a->periods != b->periods || a->calibration_periods != b->calibration_periods ||
		a->period_length != b->period_length)
	{
		/* a summary of no customers takes the other's periods */
		if (b->customers == 0)
			PG_RETURN_POINTER(a);
		if (a->customers > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot merge holdout summaries of different tracking periods"),
					 errdetail("One tracks %d calibration and %d holdout periods of %g, the other %d and %d periods of %g.",
							   a->calibration_periods, a->periods, a->period_length,
							   b->calibration_periods, b->periods, b->period_length)));
		a = HoldoutWithPeriods(a, b->calibration_periods, b->periods, b->period_length);
	}
	if (pg_add_s64_overflow(a->customers, b->customers, &a->customers) ||
		pg_add_s64_overflow(a->actual, b->actual, &a->actual) ||
		!(a->predicted + b->predicted <= HOLDOUT_MAX_PREDICTED))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("holdout_summary totals are out of range")));
	a->predicted += b->predicted;
	/* within the totals: no bin or period count overflows */
	for (i = 0; i < HOLDOUT_BINS; i++)
	{
		a->bin[i].customers += b->bin[i].customers;
		a->bin[i].actual += b->bin[i].actual;
		(void) KpiSumMerge(&a->bin[i].predicted, &b->bin[i].predicted);
	}
	for (i = 0; i < HoldoutTracked(a); i++)
	{
		if (pg_add_s64_overflow(a->period[i].actual, b->period[i].actual, &a->period[i].actual) ||
			!KpiSumMerge(&a->period[i].expected, &b->period[i].expected))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("holdout_summary purchases or expectation of period %d are out of range",
							i - a->calibration_periods + 1)));
	}
	KpiCheckProduced(HoldoutType.name, HoldoutError(a));
	PG_RETURN_POINTER(a);
}


/* The max_frequency argument: the last row holds it and all above */
static int
HoldoutMaxFrequency(FunctionCallInfo fcinfo, int argno)
{
	int32		k = PG_GETARG_INT32(argno);

	if (k < 0 || k > HOLDOUT_EXACT_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_frequency %d is out of range", k),
				 errhint("The calibration table has rows for frequencies 0 to at most %d.",
						 HOLDOUT_EXACT_BINS)));
	return k;
}

/* Bin i of the table with rows 0 .. k: the sums of bins i, or k and above */
static HoldoutBin
HoldoutRow(const HoldoutSummary *s, int i, int k)
{
	HoldoutBin	row = s->bin[i];
	int			j;

	if (i == k)
		for (j = k + 1; j < HOLDOUT_BINS; j++)
		{
			/* in range: the validator checked the totals over all bins */
			row.customers += s->bin[j].customers;
			row.actual += s->bin[j].actual;
			(void) KpiSumMerge(&row.predicted, &s->bin[j].predicted);
		}
	return row;
}

/*----
 * calibration_table(summary, max_frequency DEFAULT 7):
 * SETOF (frequency, customers, actual, predicted), one row per calibration
 * frequency 0 .. max_frequency, the last for max_frequency or more; actual
 * and predicted are the means per customer (NULL for a row of no
 * customers), as BTYD and lifetimes plot them.
 */
Datum
calibration_table(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	HoldoutSummary *s;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		funcctx->user_fctx = KpiSummaryCopy(fcinfo, 0, &HoldoutType);
		funcctx->max_calls = HoldoutMaxFrequency(fcinfo, 1) + 1;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (HoldoutSummary *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			i = (int) funcctx->call_cntr;
		HoldoutBin	row = HoldoutRow(s, i, (int) funcctx->max_calls - 1);
		Datum		values[4];
		bool		nulls[4] = {false, false, row.customers == 0, row.customers == 0};

		values[0] = Int32GetDatum(i);
		values[1] = Int64GetDatum(row.customers);
		values[2] = Float8GetDatum((double) row.actual / row.customers);
		values[3] = Float8GetDatum(HoldoutPredicted(&row) / row.customers);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/*----
 * holdout_totals(summary, max_frequency DEFAULT 7, OUT customers,
 * OUT actual, OUT predicted, OUT mean_absolute_error): all customers'
 * actual and predicted holdout purchases, and the mean absolute error of
 * the calibration table's rows weighted by their customers,
 *		sum_rows n_i |actual mean_i - predicted mean_i| / N
 *			= sum_rows |A_i - P_i| / N
 * (NULL for no customers), in purchases per customer.
 */
Datum
holdout_totals(PG_FUNCTION_ARGS)
{
	HoldoutSummary *s = KpiSummaryArg(fcinfo, 0, &HoldoutType);
	int			k = HoldoutMaxFrequency(fcinfo, 1);
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	int64		customers = 0,
				actual = 0;
	KpiSum		predicted = {0, 0},
				error = {0, 0};
	int			i;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	for (i = 0; i <= k; i++)
	{
		HoldoutBin	row = HoldoutRow(s, i, k);

		customers += row.customers;
		actual += row.actual;
		(void) KpiSumMerge(&predicted, &row.predicted);
		(void) KpiSumAdd(&error, fabs((double) row.actual - HoldoutPredicted(&row)));
	}
	values[0] = Int64GetDatum(customers);
	values[1] = Int64GetDatum(actual);
	values[2] = Float8GetDatum(KpiSumValue(&predicted));
	if (!isfinite(KpiSumValue(&error)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("holdout mean absolute error is out of range")));
	values[3] = Float8GetDatum(customers > 0 ? KpiSumValue(&error) / customers : 0);
	nulls[3] = customers == 0;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*----
 * holdout_tracking(summary): SETOF (period, actual, expected,
 * actual_cumulative, expected_cumulative), one row per tracked period
 * k = 1 .. periods: the purchases made in ((k - 1) L, k L] after the
 * calibration end and their expectation sum_i (E_i(k L) - E_i((k - 1) L)),
 * and both cumulated from the calibration end (BTYD's PlotTrackingInc and
 * PlotTrackingCum over the holdout).  A summary tracked over the calibration
 * period too has first the rows k = 1 - C .. 0 of the calibration periods,
 * and the unconditional expectations (HoldoutAccumTracked) cumulated from
 * the start of the span.  No rows for a summary of no customers; 22023 for
 * one built from purchase counts, which tracks nothing.
 */
typedef struct HoldoutTrackingRows
{
	HoldoutSummary *s;
	int64		actual_cumulative;
	double		previous;
} HoldoutTrackingRows;

Datum
holdout_tracking(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	HoldoutTrackingRows *rows;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		HoldoutSummary *s;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		s = KpiSummaryCopy(fcinfo, 0, &HoldoutType);
		if (s->periods == 0 && s->customers > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("holdout summary tracks no periods"),
					 errhint("Build it with holdout_agg(model, calibration, holdout_times, period_length, periods).")));
		rows = palloc0(sizeof(HoldoutTrackingRows));
		rows->s = s;
		funcctx->user_fctx = rows;
		funcctx->max_calls = HoldoutTracked(s);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	rows = (HoldoutTrackingRows *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			k = (int) funcctx->call_cntr;
		const HoldoutPeriod *p = &rows->s->period[k];
		double		cumulative = KpiSumValue(&p->expected);
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		/* within the total purchases, validated */
		rows->actual_cumulative += p->actual;
		values[0] = Int32GetDatum(k - rows->s->calibration_periods + 1);
		values[1] = Int64GetDatum(p->actual);
		values[2] = Float8GetDatum(cumulative - rows->previous);
		values[3] = Int64GetDatum(rows->actual_cumulative);
		values[4] = Float8GetDatum(cumulative);
		rows->previous = cumulative;
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
