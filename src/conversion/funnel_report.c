/*-------------------------------------------------------------------------
 *
 * funnel_report.c
 *	  The accessors of funnel_summary: funnel_entities, funnel_reached,
 *	  funnel_conversion_proportion, funnel_median_time,
 *	  funnel_time_quantile, funnel_time_is_exact and funnel_steps.
 *
 * Times between steps are exact while the summary keeps them exactly
 * (funnel_summary.h): the quantiles are then percentile_cont's of the same
 * times; beyond that, the same formula over the histogram's buckets, each
 * within 1 % of the times in it.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "funnel.h"
#include "funnel_summary.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(funnel_entities);
PG_FUNCTION_INFO_V1(funnel_reached);
PG_FUNCTION_INFO_V1(funnel_conversion_proportion);
KPI_FORMER_SYMBOL(funnel_conversion, funnel_conversion_proportion);
PG_FUNCTION_INFO_V1(funnel_median_time);
PG_FUNCTION_INFO_V1(funnel_time_quantile);
PG_FUNCTION_INFO_V1(funnel_time_is_exact);
PG_FUNCTION_INFO_V1(funnel_steps);

static int
FunnelStepArg(FunctionCallInfo fcinfo, const FunnelSummary *s, int argno)
{
	int32		step = PG_GETARG_INT32(argno);

	if (step < 1 || step > s->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step %d is out of range for a funnel of %d steps",
						step, s->nsteps)));
	return step;
}

/* Entities that reached at least step "step" (1-based); 0 means all */
static int64
FunnelReachedOf(const FunnelSummary *s, int step)
{
	return step == 0 ? s->entities : FUNNEL_REACHED(s)[step - 1];
}

/* The time of 0-based rank r of a histogram pair, as its bucket reads back */
static double
FunnelRankValue(const FunnelPair *pair, int64 r)
{
	int64		cum = 0,
				j;

	for (j = 0; j < pair->nbins - 1; j++)
	{
		cum += pair->bins[j].count;
		if (cum > r)
			break;
	}
	return FunnelBucketValue(pair->bins[j].bucket);
}

/*
 * The quantile "fraction" (0..1) of the times from step - 1 to step (2..N)
 * over the entities that reached both and whose times are known, as
 * percentile_cont(fraction) defines it: the value at position
 * fraction * (n - 1) of the sorted times, interpolated between the two
 * ranks around it (the mean of the middle two for the median of an even
 * count).  Exact times give percentile_cont's interval to the microsecond:
 * the difference times the fraction is rounded as interval_mul rounds it.
 * A histogram gives the same formula over its buckets' values.  False when
 * there are no times.
 */
static bool
FunnelQuantile(const FunnelSummary *s, int step, double fraction, int64 *us)
{
	FunnelPair	pair;
	int64		n = 0,
				lo,
				j;
	double		pos,
				frac,
				lo_value,
				hi_value;

	FunnelPairOf(s, step, &pair);
	if (pair.ntimes >= 0)
		n = pair.ntimes;
	else
		for (j = 0; j < pair.nbins; j++)
			n += pair.bins[j].count;	/* <= reached, checked */
	if (n == 0)
		return false;
	pos = fraction * (double) (n - 1);
	lo = (int64) floor(pos);
	frac = pos - (double) lo;
	if (pair.ntimes >= 0)
	{
		/* in integers: a double holds no time beyond 2^53 us exactly */
		int64		a = pair.times[lo];

		*us = a;
		if (frac > 0.0)			/* lo < n - 1: rank lo + 1 exists */
			*us = a + (int64) rint((double) (pair.times[lo + 1] - a) * frac);
		return true;
	}
	lo_value = FunnelRankValue(&pair, lo);
	hi_value = frac > 0.0 ? FunnelRankValue(&pair, lo + 1) : lo_value;
	lo_value += frac * (hi_value - lo_value);
	/* (double) PG_INT64_MAX is 2^63, which no int64 holds */
	*us = lo_value >= (double) PG_INT64_MAX ? PG_INT64_MAX : (int64) rint(lo_value);
	return true;
}

/* Are the times from step - 1 to step (2..N) exact? */
static bool
FunnelTimesExact(const FunnelSummary *s, int step)
{
	FunnelPair	pair;

	FunnelPairOf(s, step, &pair);
	return pair.ntimes >= 0;
}

Datum
funnel_entities(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(FunnelSummaryGetArg(fcinfo, 0)->entities);
}

/* funnel_reached(s, step): entities that reached at least that step */
Datum
funnel_reached(PG_FUNCTION_ARGS)
{
	FunnelSummary *s = FunnelSummaryGetArg(fcinfo, 0);

	PG_RETURN_INT64(FunnelReachedOf(s, FunnelStepArg(fcinfo, s, 1)));
}

/*
 * funnel_conversion_proportion(s, from_step, to_step): the entities that
 * reached to_step (default: the last) out of those that reached from_step
 * (default 1; 0 = all entities), as a proportion_summary for rate(),
 * rate_ci() and proportion_compare().
 */
Datum
funnel_conversion_proportion(PG_FUNCTION_ARGS)
{
	FunnelSummary *s;
	int32		from,
				to;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = FunnelSummaryGetArg(fcinfo, 0);
	from = PG_ARGISNULL(1) ? 1 : PG_GETARG_INT32(1);
	to = PG_ARGISNULL(2) ? s->nsteps : PG_GETARG_INT32(2);

	if (from < 0 || to < 1 || from > to || to > s->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel conversion from step %d to step %d is out of range for a funnel of %d steps",
						from, to, s->nsteps),
				 errhint("Steps run from 1 to the number of steps, from_step <= to_step; from_step 0 means all entities.")));
	PG_RETURN_DATUM(KpiProportionDatum(FunnelReachedOf(s, to), FunnelReachedOf(s, from)));
}

/*
 * funnel_median_time(s, step): median time from step - 1 to step, as
 * percentile_cont(0.5); NULL for step 1 or without times
 */
Datum
funnel_median_time(PG_FUNCTION_ARGS)
{
	FunnelSummary *s = FunnelSummaryGetArg(fcinfo, 0);
	int			step = FunnelStepArg(fcinfo, s, 1);
	int64		us;

	if (step < 2 || !FunnelQuantile(s, step, 0.5, &us))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(KpiIntervalDatum(us));
}

/*
 * funnel_time_quantile(s, step, fraction): the time from step - 1 to step
 * below which that fraction of the entities are, as percentile_cont
 */
Datum
funnel_time_quantile(PG_FUNCTION_ARGS)
{
	FunnelSummary *s = FunnelSummaryGetArg(fcinfo, 0);
	int			step = FunnelStepArg(fcinfo, s, 1);
	double		fraction = PG_GETARG_FLOAT8(2);
	int64		us;

	KpiCheckQuantileFraction(fraction);
	if (step < 2 || !FunnelQuantile(s, step, fraction, &us))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(KpiIntervalDatum(us));
}

/*
 * funnel_time_is_exact(s, step): whether funnel_median_time and
 * funnel_time_quantile of that step are exact; NULL for step 1
 */
Datum
funnel_time_is_exact(PG_FUNCTION_ARGS)
{
	FunnelSummary *s = FunnelSummaryGetArg(fcinfo, 0);
	int			step = FunnelStepArg(fcinfo, s, 1);

	if (step < 2)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(FunnelTimesExact(s, step));
}

/* What funnel_steps keeps between its calls */
typedef struct FunnelStepsContext
{
	FunnelSummary *s;
	double		z;
	Datum	   *names;			/* [nsteps], or NULL without step names */
} FunnelStepsContext;

/* The step names argument: one non-NULL name per step */
static Datum *
FunnelStepNames(ArrayType *names, int nsteps)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	if (ARR_NDIM(names) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("step names must be a one-dimensional array")));
	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n != nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%d step names given for a funnel of %d steps", n, nsteps),
				 errhint("Give one name per step, in the order of the steps.")));
	for (i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the name of step %d is null", i + 1)));
	return elems;
}

/*
 * funnel_steps(s, level) and funnel_steps(s, step_names, level): one row
 * per step: step (and its name), entities, conversion from the previous
 * step and from step 1 with Wilson intervals, median time from the
 * previous step (and whether it is exact).  Step 1's "previous" is all
 * entities.
 */
Datum
funnel_steps(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	FunnelStepsContext *ctx;
	bool		named = PG_NARGS() == 3;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		FunnelSummary *s;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		ctx = palloc0(sizeof(FunnelStepsContext));
		s = FunnelSummaryGetArg(fcinfo, 0);
		ctx->s = palloc(VARSIZE(s));
		memcpy(ctx->s, s, VARSIZE(s));
		ctx->z = KpiConfidenceZ(PG_GETARG_FLOAT8(named ? 2 : 1));
		if (named)
			ctx->names = FunnelStepNames(PG_GETARG_ARRAYTYPE_P_COPY(1), s->nsteps);
		funcctx->user_fctx = ctx;
		funcctx->max_calls = s->nsteps;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	ctx = (FunnelStepsContext *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		const FunnelSummary *s = ctx->s;
		int			step = (int) funcctx->call_cntr + 1;
		int64		reached = FunnelReachedOf(s, step);
		int64		previous = FunnelReachedOf(s, step - 1);
		int64		first = FunnelReachedOf(s, 1);
		Datum		values[11];
		bool		nulls[11] = {false};
		int			c = 0;
		double		lo,
					hi;
		int64		us;

		values[c++] = Int32GetDatum(step);
		if (named)
			values[c++] = ctx->names[step - 1];
		values[c++] = Int64GetDatum(reached);
		if (previous > 0)
		{
			KpiWilsonInterval(reached, previous, ctx->z, &lo, &hi);
			values[c++] = Float8GetDatum((double) reached / previous);
			values[c++] = Float8GetDatum(lo);
			values[c++] = Float8GetDatum(hi);
		}
		else
		{
			nulls[c] = nulls[c + 1] = nulls[c + 2] = true;
			c += 3;
		}
		if (first > 0)
		{
			KpiWilsonInterval(reached, first, ctx->z, &lo, &hi);
			values[c++] = Float8GetDatum((double) reached / first);
			values[c++] = Float8GetDatum(lo);
			values[c++] = Float8GetDatum(hi);
		}
		else
		{
			nulls[c] = nulls[c + 1] = nulls[c + 2] = true;
			c += 3;
		}
		if (step >= 2 && FunnelQuantile(s, step, 0.5, &us))
			values[c] = KpiIntervalDatum(us);
		else
			nulls[c] = true;
		c++;
		if (named)
		{
			if (step >= 2)
				values[c] = BoolGetDatum(FunnelTimesExact(s, step));
			else
				nulls[c] = true;
			c++;
		}
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
