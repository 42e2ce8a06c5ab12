/*-------------------------------------------------------------------------
 *
 * funnel_time.c
 *	  Time to convert: the two-step funnel between any two steps of the
 *	  funnel paths (funnel_agg(path, from_step, to_step)), the histogram of
 *	  the times from one step to the next (funnel_time_histogram) and the
 *	  share converted within a time (funnel_converted_within).
 *
 * The histogram follows PostHog's time-to-convert insight
 * (posthog/hogql_queries/insights/funnels/funnel_time_to_convert.py):
 * bins + 1 half-open bins of a whole number of seconds from the shortest
 * time, floored to the second; doc/conversion.md, "Time to convert".
 * Exact times are binned exactly; a histogram pair (more than
 * FUNNEL_EXACT_MAX times) bins each log bucket by the value it reads back
 * as, within 1 % of the times in it.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "funnel.h"
#include "funnel_summary.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* PostHog's limits on the number of bins: given (1..90), automatic (..60) */
#define FUNNEL_TIME_MAX_BINS		90
#define FUNNEL_TIME_MAX_AUTO_BINS	60
/* Rows of a histogram by bin width: a limit on the result, not a format */
#define FUNNEL_TIME_MAX_WIDTH_BINS	10000
/* PostHog's bin width when all times are within the same second */
#define FUNNEL_TIME_FALLBACK_WIDTH	(60 * USECS_PER_SEC)

PG_FUNCTION_INFO_V1(funnel_summary_accum_pair);
PG_FUNCTION_INFO_V1(funnel_time_histogram);
PG_FUNCTION_INFO_V1(funnel_converted_within);

/*
 * funnel_summary_accum_pair(funnel_summary, path timestamptz[], from_step,
 * to_step): the transition function of funnel_agg(path, from_step,
 * to_step).  Each non-NULL path is one entity of the two-step funnel
 * from_step -> to_step: it reached step 1 if the path reached from_step,
 * step 2 if it reached to_step, with the time between them.  The path
 * passes the checks of funnel_agg(path).
 */
Datum
funnel_summary_accum_pair(PG_FUNCTION_ARGS)
{
	ArrayType  *path;
	const TimestampTz *ts;
	int32		from,
				to;
	int			nsteps,
				level,
				pair_level;
	int64		time = 0;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the funnel steps must not be null")));
	from = PG_GETARG_INT32(2);
	to = PG_GETARG_INT32(3);
	path = PG_GETARG_ARRAYTYPE_P(1);
	level = FunnelPathLevel(path, &ts);
	nsteps = ARR_DIMS(path)[0];
	if (from < 1 || to <= from || to > nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel steps %d to %d are out of range for a path of %d steps",
						from, to, nsteps),
				 errhint("Steps run from 1 to the number of steps, from_step < to_step.")));
	pair_level = level >= to ? 2 : level >= from ? 1 : 0;
	/* a time beyond the longest interval is a 22008 error, as in SQL */
	if (pair_level == 2)
		time = KpiTimeDiff(ts[to - 1], ts[from - 1]);
	return FunnelAccumPair(fcinfo, pair_level, time);
}

/* The step argument: 2..nsteps (step 1 has no times) */
static int
FunnelTimeStepArg(const FunnelSummary *s, int32 step)
{
	if (step < 2 || step > s->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step %d is out of range for the times of a funnel of %d steps",
						step, s->nsteps),
				 errhint("Times run from step - 1 to step: step is 2 to the number of steps.")));
	return step;
}

/* A duration argument in microseconds: no months, a day is 24 hours */
static int64
FunnelTimeArg(Interval *span, const char *what)
{
	int64		us;

	if (span->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" has a month part", what,
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(span)))),
				 errhint("Months differ in length: give it in days, e.g. interval '30 days'.")));
	if (pg_mul_s64_overflow(span->day, USECS_PER_DAY, &us) ||
		pg_add_s64_overflow(us, span->time, &us))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", what)));
	return us;
}

/* The number of items of a pair: exact times, or non-empty buckets */
static int64
FunnelPairItems(const FunnelPair *pair)
{
	return pair->ntimes >= 0 ? pair->ntimes : pair->nbins;
}

/* Item j's time (microseconds) and count; items are in increasing order */
static int64
FunnelPairItem(const FunnelPair *pair, int64 j, int64 *count)
{
	double		value;

	if (pair->ntimes >= 0)
	{
		*count = 1;
		return pair->times[j];
	}
	*count = pair->bins[j].count;
	value = FunnelBucketValue(pair->bins[j].bucket);
	/* (double) PG_INT64_MAX is 2^63, which no int64 holds */
	return value >= (double) PG_INT64_MAX ? PG_INT64_MAX : (int64) rint(value);
}

/* The number of times of a pair */
static int64
FunnelPairCount(const FunnelPair *pair)
{
	int64		n = 0,
				count,
				j;

	for (j = 0; j < FunnelPairItems(pair); j++)
	{
		(void) FunnelPairItem(pair, j, &count);
		n += count;				/* <= reached, checked */
	}
	return n;
}

static void
FunnelTimeOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("funnel time histogram bin is out of the range of an interval")));
}

/* What funnel_time_histogram keeps between its calls */
typedef struct FunnelTimeBins
{
	int64		n;				/* times */
	int64		start;			/* lower bound of bin 1, microseconds */
	int64		width;			/* microseconds */
	int64		nbins;
	int64	   *counts;			/* [nbins] */
	int64		cumulative;		/* times in the bins returned so far */
} FunnelTimeBins;

/*
 * The bins of a pair with n > 0 times, PostHog's way when width_us is 0:
 * bins (0: automatic, ceil(cbrt(n)) clamped to 1..60) of a whole number of
 * seconds, ceil((ceil(max) - floor(min)) / bins) seconds or 60 s if that is
 * 0, from floor(min) to the second, plus one more bin so that the longest
 * time, in a half-open bin, always has one.  With width_us > 0: bins of
 * that width aligned at 0, from the one holding the shortest time to the
 * one holding the longest.
 */
static void
FunnelTimeLayout(const FunnelPair *pair, int64 n, int32 bins, int64 width_us,
				 FunnelTimeBins *b)
{
	int64		count,
				min = FunnelPairItem(pair, 0, &count),
				max = FunnelPairItem(pair, FunnelPairItems(pair) - 1, &count);

	b->n = n;
	if (width_us > 0)
	{
		b->width = width_us;
		b->start = (min / width_us) * width_us;
		b->nbins = max / width_us - min / width_us + 1;
		if (b->nbins > FUNNEL_TIME_MAX_WIDTH_BINS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel time histogram would have " INT64_FORMAT " bins, more than %d",
							b->nbins, FUNNEL_TIME_MAX_WIDTH_BINS),
					 errhint("Give a wider bin width.")));
	}
	else
	{
		int64		from_s = min / USECS_PER_SEC,
					to_s = max / USECS_PER_SEC + (max % USECS_PER_SEC != 0),
					width_s;

		/*
		 * cbrt rounded to 9 decimals before ceil, as PostHog does, so that a
		 * perfect cube (27) does not tip over to the next count on a float
		 * error
		 */
		if (bins == 0)
			bins = (int32) Min(FUNNEL_TIME_MAX_AUTO_BINS,
							   Max(1.0, ceil(rint(cbrt((double) n) * 1e9) / 1e9)));
		width_s = (to_s - from_s) / bins + ((to_s - from_s) % bins != 0);
		if (width_s == 0)
			b->width = FUNNEL_TIME_FALLBACK_WIDTH;
		else if (pg_mul_s64_overflow(width_s, USECS_PER_SEC, &b->width))
			FunnelTimeOverflow();	/* times near the longest interval */
		b->start = from_s * USECS_PER_SEC;
		b->nbins = (int64) bins + 1;
	}
}

/* Counts the times of pair into the bins of b */
static void
FunnelTimeCount(const FunnelPair *pair, FunnelTimeBins *b)
{
	int64		j,
				count,
				value,
				bin;

	b->counts = palloc0(sizeof(int64) * b->nbins);
	for (j = 0; j < FunnelPairItems(pair); j++)
	{
		if ((j & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		value = FunnelPairItem(pair, j, &count);
		bin = (value - b->start) / b->width;	/* value >= start */
		Assert(bin >= 0 && bin < b->nbins);
		b->counts[bin] += count;	/* <= n */
	}
}

/*
 * funnel_time_histogram(s, step, bins integer DEFAULT NULL) and
 * funnel_time_histogram(s, step, bin_width interval): the times from
 * step - 1 to step as tidy rows: bin (1, 2, ...), lower and upper bound
 * (lower <= time < upper), the entities in the bin, their share of the
 * entities with a time and the cumulative share.  No rows without times.
 * Empty bins are rows, as in PostHog.
 */
Datum
funnel_time_histogram(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	FunnelTimeBins *b;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		FunnelSummary *s;
		FunnelPair	pair;
		Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, 2);
		int32		bins = 0;
		int64		width_us = 0;
		int			step;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (argtype != INT4OID && argtype != INTERVALOID)
			elog(ERROR, "funnel_time_histogram: cannot determine the type of its third argument");
		b = palloc0(sizeof(FunnelTimeBins));
		funcctx->user_fctx = b;
		if (!PG_ARGISNULL(2))
		{
			if (argtype == INTERVALOID)
			{
				width_us = FunnelTimeArg(PG_GETARG_INTERVAL_P(2), "funnel time histogram bin width");
				if (width_us <= 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("funnel time histogram bin width \"%s\" is not positive",
									DatumGetCString(DirectFunctionCall1(interval_out,
																		PG_GETARG_DATUM(2))))));
			}
			else
			{
				bins = PG_GETARG_INT32(2);
				if (bins < 1 || bins > FUNNEL_TIME_MAX_BINS)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("funnel time histogram bins %d is out of range", bins),
							 errhint("Give 1 to %d bins (PostHog's limit), or NULL for ceil(cbrt(times)) up to %d.",
									 FUNNEL_TIME_MAX_BINS, FUNNEL_TIME_MAX_AUTO_BINS)));
			}
		}
		if (!PG_ARGISNULL(0) && !PG_ARGISNULL(1))
		{
			s = FunnelSummaryGetArg(fcinfo, 0);
			step = FunnelTimeStepArg(s, PG_GETARG_INT32(1));
			FunnelPairOf(s, step, &pair);
			b->n = FunnelPairCount(&pair);
			if (b->n > 0)
			{
				FunnelTimeLayout(&pair, b->n, bins, width_us, b);
				FunnelTimeCount(&pair, b);
			}
		}
		funcctx->max_calls = b->nbins;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	b = (FunnelTimeBins *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int64		i = (int64) funcctx->call_cntr;
		int64		lower,
					upper;
		Datum		values[6];
		bool		nulls[6] = {false};

		if (pg_mul_s64_overflow(i, b->width, &lower) ||
			pg_add_s64_overflow(lower, b->start, &lower) ||
			pg_add_s64_overflow(lower, b->width, &upper))
			FunnelTimeOverflow();
		b->cumulative += b->counts[i];
		values[0] = Int32GetDatum((int32) (i + 1));
		values[1] = KpiIntervalDatum(lower);
		values[2] = KpiIntervalDatum(upper);
		values[3] = Int64GetDatum(b->counts[i]);
		values[4] = Float8GetDatum((double) b->counts[i] / (double) b->n);
		values[5] = Float8GetDatum((double) b->cumulative / (double) b->n);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/*
 * funnel_converted_within(s, step, within): of the entities that reached
 * step - 1, those that reached step at most "within" after it, as a
 * proportion_summary for rate(), rate_ci() and proportion_compare().
 * Every entity that reached step needs its time: a summary from
 * funnel_agg(level, steps) has none.
 */
Datum
funnel_converted_within(PG_FUNCTION_ARGS)
{
	FunnelSummary *s = FunnelSummaryGetArg(fcinfo, 0);
	int			step = FunnelTimeStepArg(s, PG_GETARG_INT32(1));
	int64		within = FunnelTimeArg(PG_GETARG_INTERVAL_P(2), "funnel conversion time");
	FunnelPair	pair;
	int64		n,
				converted = 0,
				j,
				count;

	if (within < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel conversion time \"%s\" is negative",
						DatumGetCString(DirectFunctionCall1(interval_out,
															PG_GETARG_DATUM(2))))));
	FunnelPairOf(s, step, &pair);
	n = FunnelPairCount(&pair);
	if (n != FUNNEL_REACHED(s)[step - 1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel summary has times for " INT64_FORMAT " of the " INT64_FORMAT " entities that reached step %d",
						n, FUNNEL_REACHED(s)[step - 1], step),
				 errhint("Times come from funnel_agg(path); funnel_agg(level, steps) keeps none.")));
	/* the items are in increasing order of time */
	for (j = 0; j < FunnelPairItems(&pair); j++)
	{
		if ((j & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (FunnelPairItem(&pair, j, &count) > within)
			break;
		converted += count;
	}
	PG_RETURN_DATUM(KpiProportionDatum(converted, FUNNEL_REACHED(s)[step - 2]));
}
