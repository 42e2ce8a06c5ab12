/*-------------------------------------------------------------------------
 *
 * mrr_cohort.c
 *	  Net and gross revenue retention by cohort: mrr_cohort_table() over a
 *	  customer_mrr_summary, which keeps each customer's MRR per period.
 *
 * A customer's cohort is its first paying period in the summary (MRR > 0).
 * For cohort c and each period k >= c, over the customers of the cohort:
 *
 *	starting MRR	S = sum_i MRR_i(c)
 *	MRR				M(k) = sum_i MRR_i(k)
 *	NRR				M(k) / S				(expansion counts)
 *	GRR				sum_i min(MRR_i(k), MRR_i(c)) / S
 *					(each customer capped at its starting MRR: churn and
 *					contraction count, expansion does not; <= 1)
 *
 * as cohort revenue retention is defined by ChartMogul's cohort charts
 * (net MRR retention of a cohort relative to its first month) and, for the
 * gross figure, by the capped "gross dollar retention" of SaaS filings.  A
 * customer who leaves and comes back counts again from its return (its MRR
 * at k), in its first cohort.  Cohort 0 holds every customer already paying
 * in period 0, whenever it started: the summary cannot tell signups before
 * the origin apart.
 *
 * The sums are exact integers of 1/10000 of the currency unit, overflow
 * checked; the rates are their quotients.
 *
 *-------------------------------------------------------------------------
 */
#include "customer_mrr.h"

#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(mrr_cohort_table);

/*
 * The sums of the cohorts, a triangle: cohort c's periods c..N-1 from
 * CohortCell(n, c, c).  Cohorts with no customer print no row.
 */
typedef struct CohortSums
{
	const CustomerMrr *summary; /* for the periods' starts */
	int32		periods;
	int64	   *customers;		/* of the cohort paying at k */
	int64	   *mrr;			/* their MRR at k */
	int64	   *capped;			/* sum of min(MRR at k, MRR at c) */
	/* the cursor of the rows */
	int32		cohort;
	int32		period;
} CohortSums;

static inline Size
CohortCell(int32 n, int32 c, int32 k)
{
	/* cohorts 0..c-1 take n + (n - 1) + ... + (n - c + 1) cells */
	return (Size) c * n - (Size) c * (c - 1) / 2 + (Size) (k - c);
}

static void
CohortAdd(int64 *sum, int64 v)
{
	if (pg_add_s64_overflow(*sum, v, sum))
		MrrOverflow();
}

static CohortSums *
CohortSumsBuild(const CustomerMrr *s)
{
	int32		n = s->periods;
	Size		cells = (Size) n * (n + 1) / 2;
	CohortSums *sums = palloc0(sizeof(CohortSums));
	int32		i;

	sums->summary = s;
	sums->periods = n;
	sums->customers = palloc0(sizeof(int64) * cells);
	sums->mrr = palloc0(sizeof(int64) * cells);
	sums->capped = palloc0(sizeof(int64) * cells);
	for (i = 0; i < s->customers; i++)
	{
		const int64 *row = CM_ROW(s, i);
		int32		c,
					k;

		CHECK_FOR_INTERRUPTS();
		for (c = 0; c < n && row[c] == 0; c++)
			;
		/* a customer that never pays is of no cohort */
		for (k = c; k < n; k++)
		{
			Size		cell = CohortCell(n, c, k);

			if (row[k] == 0)
				continue;
			sums->customers[cell]++;
			CohortAdd(&sums->mrr[cell], row[k]);
			CohortAdd(&sums->capped[cell], Min(row[k], row[c]));
		}
	}
	return sums;
}

/* The next (cohort, period) of a cohort with customers; false at the end */
static bool
CohortNext(CohortSums *sums)
{
	int32		n = sums->periods;

	while (sums->cohort < n)
	{
		if (sums->customers[CohortCell(n, sums->cohort, sums->cohort)] > 0 &&
			sums->period < n)
			return true;
		sums->cohort++;
		sums->period = sums->cohort;
	}
	return false;
}

#define COHORT_COLUMNS 10

/*
 * mrr_cohort_table(s): one row per cohort with customers and period from
 * the cohort's: cohort, cohort_start, period, period_start,
 * cohort_customers, customers, starting_mrr, mrr, net_revenue_retention,
 * gross_revenue_retention
 */
Datum
mrr_cohort_table(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	CohortSums *sums;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		CustomerMrr *s;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		s = KpiSummaryCopy(fcinfo, 0, &CustomerMrrType);
		sums = CohortSumsBuild(s);
		funcctx->user_fctx = sums;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	sums = (CohortSums *) funcctx->user_fctx;
	if (CohortNext(sums))
	{
		const CustomerMrr *s = sums->summary;
		RetentionPeriod p = CmPeriod(s);
		int32		n = sums->periods,
					c = sums->cohort,
					k = sums->period;
		Size		start = CohortCell(n, c, c),
					cell = CohortCell(n, c, k);
		Datum		values[COHORT_COLUMNS];
		bool		nulls[COHORT_COLUMNS] = {false};

		values[0] = Int32GetDatum(c);
		values[1] = TimestampTzGetDatum(RetentionPeriodStart(&p, s->origin, c));
		values[2] = Int32GetDatum(k);
		values[3] = TimestampTzGetDatum(RetentionPeriodStart(&p, s->origin, k));
		values[4] = Int64GetDatum(sums->customers[start]);
		values[5] = Int64GetDatum(sums->customers[cell]);
		values[6] = MrrNumeric(sums->mrr[start]);
		values[7] = MrrNumeric(sums->mrr[cell]);
		/* the starting MRR is positive: every customer of the cohort pays */
		values[8] = Float8GetDatum((double) sums->mrr[cell] / (double) sums->mrr[start]);
		values[9] = Float8GetDatum((double) sums->capped[cell] / (double) sums->mrr[start]);
		sums->period++;
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
