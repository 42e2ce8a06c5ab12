/*-------------------------------------------------------------------------
 *
 * funnel_summary.c
 *	  Funnels across entities: the funnel_summary format, its I/O, and the
 *	  aggregates funnel_agg and rollup(funnel_summary).  The accessors are
 *	  in funnel_report.c.
 *
 * The per-entity aggregates (window_funnel, funnel_path) are in funnel.c;
 * funnel_agg takes funnel_path's result for each entity.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "funnel.h"
#include "funnel_summary.h"

#include <math.h>

#include "common/int.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/* The format: funnel_summary.h */

/*
 * A histogram being aggregated.  Few buckets are kept sparse: the non-empty
 * ones in increasing order, found by binary search.  From FUNNEL_DENSE_MIN
 * non-empty buckets on, a dense array indexed by bucket (17.5 kB) is at most
 * four times the sparse one and adds a time in constant time, so the
 * histogram switches to it.  Either way memory follows the buckets used.
 */
#define FUNNEL_DENSE_MIN		(FUNNEL_NBUCKETS / 8)

typedef struct FunnelHist
{
	int32		n;				/* non-empty buckets */
	int32		capacity;		/* of bins */
	FunnelBin  *bins;			/* sparse: NULL until the first bucket */
	int64	   *dense;			/* dense: [FUNNEL_NBUCKETS], or NULL */
	/* the exact times too, unless approximate (unsorted while aggregating) */
	bool		approximate;
	int32		ntimes;
	int32		tcapacity;		/* of times */
	int64	   *times;			/* NULL until the first time */
} FunnelHist;

/*
 * funnel_summary expanded (src/common/expanded.c): the transition state of
 * funnel_agg and rollup(funnel_summary), updated in place by the aggregate
 * and flattened to a FunnelSummary only when a flat value is needed.  The
 * 1.1.0 support functions, whose state is internal, use the same struct.
 */
typedef struct FunnelAgg
{
	ExpandedObjectHeader hdr;
	int32		nsteps;
	int64		entities;
	int64	   *reached;		/* [nsteps] */
	FunnelHist *hist;			/* [nsteps - 1] */
} FunnelAgg;

PG_FUNCTION_INFO_V1(funnel_summary_in);
PG_FUNCTION_INFO_V1(funnel_summary_out);
PG_FUNCTION_INFO_V1(funnel_summary_recv);
PG_FUNCTION_INFO_V1(funnel_summary_send);
PG_FUNCTION_INFO_V1(funnel_summary_accum_path);
PG_FUNCTION_INFO_V1(funnel_summary_accum_level);
PG_FUNCTION_INFO_V1(funnel_summary_combine);
PG_FUNCTION_INFO_V1(funnel_agg_path_accum);
PG_FUNCTION_INFO_V1(funnel_agg_level_accum);
PG_FUNCTION_INFO_V1(funnel_agg_summary_accum);
PG_FUNCTION_INFO_V1(funnel_agg_combine);
PG_FUNCTION_INFO_V1(funnel_agg_serialize);
PG_FUNCTION_INFO_V1(funnel_agg_deserialize);
PG_FUNCTION_INFO_V1(funnel_agg_final);

/* Bucket 0 holds zero durations; bucket i >= 1 is sketch key i - 1 */
static int
FunnelBucket(int64 us)
{
	int			bucket;

	Assert(us >= 0);
	bucket = us == 0 ? 0 : 1 + KpiSketchKey((double) us);
	Assert(bucket <= FUNNEL_MAX_BUCKET);
	return bucket;
}

/* What bucket i reads back as, in microseconds: at most PG_INT64_MAX */
double
FunnelBucketValue(int64 i)
{
	Assert(i >= 0 && i <= FUNNEL_MAX_BUCKET);
	return i == 0 ? 0.0 : Min(KpiSketchValue((int32) i - 1), (double) PG_INT64_MAX);
}

static void
FunnelCountOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("funnel_summary count overflows")));
}

static Size FunnelAggFlatSize(ExpandedObjectHeader *eoh);
static void FunnelAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size);

static const ExpandedObjectMethods FunnelAggMethods = {
	FunnelAggFlatSize,
	FunnelAggFlattenInto
};

/* An empty state, for fcinfo (KpiExpandedCreateState; NULL: in the current context) */
static FunnelAgg *
FunnelAggCreate(FunctionCallInfo fcinfo, int32 nsteps)
{
	FunnelAgg  *agg;

	FunnelCheckSteps(nsteps);
	agg = (FunnelAgg *) KpiExpandedCreateState(fcinfo, sizeof(FunnelAgg), &FunnelAggMethods);
	agg->nsteps = nsteps;
	agg->reached = MemoryContextAllocZero(agg->hdr.eoh_context, sizeof(int64) * nsteps);
	agg->hist = MemoryContextAllocZero(agg->hdr.eoh_context, sizeof(FunnelHist) * nsteps);
	return agg;
}

/* Room for n more buckets in sparse h, in the state's memory context */
static void
FunnelHistReserve(const FunnelAgg *agg, FunnelHist *h, int32 n)
{
	int32		need = h->n + n;

	if (need <= h->capacity)
		return;
	h->capacity = Max(need, Max(h->capacity * 2, 4));
	if (h->bins == NULL)
		h->bins = MemoryContextAlloc(agg->hdr.eoh_context,
									 sizeof(FunnelBin) * h->capacity);
	else
		h->bins = repalloc(h->bins, sizeof(FunnelBin) * h->capacity);
}

/* Switches h to the dense form once it has enough buckets for it */
static void
FunnelHistMaybeDense(const FunnelAgg *agg, FunnelHist *h)
{
	int32		j;

	if (h->dense != NULL || h->n < FUNNEL_DENSE_MIN)
		return;
	h->dense = MemoryContextAllocZero(agg->hdr.eoh_context,
									  sizeof(int64) * FUNNEL_NBUCKETS);
	for (j = 0; j < h->n; j++)
		h->dense[h->bins[j].bucket] = h->bins[j].count;
	pfree(h->bins);
	h->bins = NULL;
	h->capacity = 0;
}

/* count (> 0) more times in bucket of h */
static void
FunnelHistAdd(const FunnelAgg *agg, FunnelHist *h, int64 bucket, int64 count)
{
	int32		lo = 0,
				hi = h->n;

	Assert(bucket >= 0 && bucket <= FUNNEL_MAX_BUCKET && count > 0);
	if (h->dense != NULL)
	{
		if (h->dense[bucket] == 0)
			h->n++;
		if (pg_add_s64_overflow(h->dense[bucket], count, &h->dense[bucket]))
			FunnelCountOverflow();
		return;
	}
	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (h->bins[mid].bucket < bucket)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->n && h->bins[lo].bucket == bucket)
	{
		if (pg_add_s64_overflow(h->bins[lo].count, count, &h->bins[lo].count))
			FunnelCountOverflow();
		return;
	}
	FunnelHistReserve(agg, h, 1);
	memmove(&h->bins[lo + 1], &h->bins[lo], sizeof(FunnelBin) * (h->n - lo));
	h->bins[lo].bucket = bucket;
	h->bins[lo].count = count;
	h->n++;
	FunnelHistMaybeDense(agg, h);
}

/*
 * h += the n increasing buckets src.  Sparse: a merge join, written from the
 * back into h's own array, then closed up where buckets coincided.
 */
static void
FunnelHistMerge(const FunnelAgg *agg, FunnelHist *h, const FunnelBin *src, int32 n)
{
	int32		i,
				j,
				w;

	if (n == 0)
		return;
	if (h->dense != NULL)
	{
		for (j = 0; j < n; j++)
			FunnelHistAdd(agg, h, src[j].bucket, src[j].count);
		return;
	}
	FunnelHistReserve(agg, h, n);
	i = h->n - 1;
	j = n - 1;
	w = h->n + n - 1;
	while (j >= 0)
	{
		if (i >= 0 && h->bins[i].bucket > src[j].bucket)
			h->bins[w--] = h->bins[i--];
		else if (i >= 0 && h->bins[i].bucket == src[j].bucket)
		{
			if (pg_add_s64_overflow(h->bins[i].count, src[j].count, &h->bins[w].count))
				FunnelCountOverflow();
			h->bins[w--].bucket = src[j--].bucket;
			i--;
		}
		else
			h->bins[w--] = src[j--];
	}
	/* w - i is the number of coinciding buckets */
	if (w > i)
		memmove(&h->bins[i + 1], &h->bins[w + 1],
				sizeof(FunnelBin) * (h->n + n - (w + 1)));
	h->n += n - (w - i);
	FunnelHistMaybeDense(agg, h);
}

/* h's exact times are gone: h is a histogram from now on */
static void
FunnelHistDropTimes(FunnelHist *h)
{
	if (h->times != NULL)
		pfree(h->times);
	h->times = NULL;
	h->ntimes = 0;
	h->tcapacity = 0;
	h->approximate = true;
}

/*
 * The n exact times t into h's exact times, if h still has them; past
 * FUNNEL_EXACT_MAX h keeps its histogram only.  The caller adds the times
 * to the histogram.
 */
static void
FunnelHistAppendTimes(const FunnelAgg *agg, FunnelHist *h, const int64 *t, int64 n)
{
	if (h->approximate || n == 0)
		return;
	if (h->ntimes + n > FUNNEL_EXACT_MAX)
	{
		FunnelHistDropTimes(h);
		return;
	}
	if (h->ntimes + n > h->tcapacity)
	{
		h->tcapacity = Min(Max(h->ntimes + (int32) n, Max(h->tcapacity * 2, 8)),
						   FUNNEL_EXACT_MAX);
		if (h->times == NULL)
			h->times = MemoryContextAlloc(agg->hdr.eoh_context,
										  sizeof(int64) * h->tcapacity);
		else
			h->times = repalloc(h->times, sizeof(int64) * h->tcapacity);
	}
	memcpy(h->times + h->ntimes, t, sizeof(int64) * n);
	h->ntimes += (int32) n;
}

/* One time (microseconds, >= 0) into h */
static void
FunnelHistAddTime(const FunnelAgg *agg, FunnelHist *h, int64 us)
{
	FunnelHistAdd(agg, h, FunnelBucket(us), 1);
	FunnelHistAppendTimes(agg, h, &us, 1);
}

/* The n increasing exact times t into h, histogram and exact times */
static void
FunnelHistAddSorted(const FunnelAgg *agg, FunnelHist *h, const int64 *t, int64 n)
{
	int64		j = 0;

	/* equal buckets are consecutive: one histogram update per bucket */
	while (j < n)
	{
		int			bucket = FunnelBucket(t[j]);
		int64		run = 1;

		while (j + run < n && FunnelBucket(t[j + run]) == bucket)
			run++;
		FunnelHistAdd(agg, h, bucket, run);
		j += run;
	}
	FunnelHistAppendTimes(agg, h, t, n);
}

/* a += b */
static void
FunnelHistMergeHist(const FunnelAgg *agg, FunnelHist *a, const FunnelHist *b)
{
	int64		i;

	if (b->dense == NULL)
		FunnelHistMerge(agg, a, b->bins, b->n);
	else
		for (i = 0; i < FUNNEL_NBUCKETS; i++)
			if (b->dense[i] != 0)
				FunnelHistAdd(agg, a, i, b->dense[i]);
	if (b->approximate)
		FunnelHistDropTimes(a);
	else
		FunnelHistAppendTimes(agg, a, b->times, b->ntimes);
}

static int
FunnelCompareTimes(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* The buckets of h, in increasing order, to out[h->n] */
static void
FunnelHistCopy(const FunnelHist *h, FunnelBin *out)
{
	int64		i;

	if (h->dense == NULL)
	{
		if (h->n > 0)
			memcpy(out, h->bins, sizeof(FunnelBin) * h->n);
		return;
	}
	for (i = 0; i < FUNNEL_NBUCKETS; i++)
		if (h->dense[i] != 0)
		{
			out->bucket = i;
			out->count = h->dense[i];
			out++;
		}
}

/* One entity that reached "level" steps (counts only) */
static void
FunnelAggAddEntity(FunnelAgg *agg, int level)
{
	int			k;

	if (pg_add_s64_overflow(agg->entities, 1, &agg->entities))
		FunnelCountOverflow();
	for (k = 0; k < level; k++)
		agg->reached[k]++;		/* <= entities */
}

/* a += the counts (entities, reached) of b, with as many steps */
static void
FunnelAggAddCounts(FunnelAgg *a, int64 entities, const int64 *reached)
{
	int			k;

	if (pg_add_s64_overflow(a->entities, entities, &a->entities))
		FunnelCountOverflow();
	for (k = 0; k < a->nsteps; k++)
		if (pg_add_s64_overflow(a->reached[k], reached[k], &a->reached[k]))
			FunnelCountOverflow();
}

static void
FunnelCheckSameSteps(int32 a, int32 b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge funnel summaries with %d and %d steps", a, b)));
}

/*
 * Why a summary is not a valid one, or NULL: the one validator of the text
 * and binary input, of stored values, and of every value produced.  The
 * sizes are consistent (FunnelSummaryCheck, FunnelBuildFinish).
 */
static const char *
FunnelSummaryError(const FunnelSummary *s)
{
	const int64 *reached = FUNNEL_REACHED(s);
	const int64 *nb = FUNNEL_NBUCKETS_OF(s);
	const int64 *nt = FUNNEL_NTIMES_OF(s);
	const FunnelBin *bin = FUNNEL_PAIRS(s);
	const int64 *t = FUNNEL_TIMES(s);
	int64		used = 0;
	int			k;

	if (s->entities < 0)
		return "The number of entities must not be negative.";
	for (k = 0; k < s->nsteps; k++)
		if (reached[k] < 0 || reached[k] > (k == 0 ? s->entities : reached[k - 1]))
			return "Each step must be reached by no more entities than the step before (step 1: than entities), and by none less than zero.";
	for (k = 0; k < s->nsteps - 1; k++)
	{
		int64		total = 0;
		int64		last = -1;
		int64		j;

		CHECK_FOR_INTERRUPTS();
		if (nb[k] < 0 || nb[k] > FUNNEL_NBUCKETS || used + nb[k] > s->npairs)
			return "The bucket counts do not match the pairs.";
		if (nt[k] < -1 || nt[k] > FUNNEL_EXACT_MAX)
			return "A step pair has at most 10000 exact times.";
		if (nt[k] >= 0 && nb[k] > 0)
			return "A step pair has exact times or buckets, not both.";
		if (nt[k] < 0 && nb[k] == 0)
			return "A step pair without times is an exact one.";
		for (j = 0; j < nb[k]; j++, bin++)
		{
			if (bin->bucket <= last || bin->bucket > FUNNEL_MAX_BUCKET)
				return "Buckets must be increasing integers from 0 to 2185.";
			if (bin->count <= 0 || pg_add_s64_overflow(total, bin->count, &total))
				return "Bucket counts must be positive.";
			last = bin->bucket;
		}
		for (j = 0, last = 0; j < nt[k]; j++, t++)
		{
			if (*t < last)
				return "Exact times must be microseconds from 0 up, in increasing order.";
			last = *t;
			total++;
		}
		if (total > reached[k + 1])
			return "A step pair has more times than entities that reached its second step.";
		used += nb[k];
	}
	if (used != s->npairs)
		return "The bucket counts do not match the pairs.";
	return NULL;
}

static void
FunnelCorrupt(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("funnel_summary value is corrupt")));
}

/* Reject a stored value that is not what this code wrote */
static void
FunnelSummaryCheck(const FunnelSummary *s)
{
	int64		ntimes = 0;
	int			k;

	if (VARSIZE(s) < offsetof(FunnelSummary, data) ||
		s->version != FUNNEL_SUMMARY_VERSION ||
		s->nsteps < 1 || s->nsteps > FUNNEL_MAX_STEPS || s->npairs < 0 ||
		VARSIZE(s) < FUNNEL_SUMMARY_SIZE(s->nsteps, 0, 0))
		FunnelCorrupt();
	for (k = 0; k < s->nsteps - 1; k++)
	{
		int64		n = FUNNEL_NTIMES_OF(s)[k];

		if (n < -1 || n > FUNNEL_EXACT_MAX)
			FunnelCorrupt();
		ntimes += Max(n, 0);
	}
	if (VARSIZE(s) != FUNNEL_SUMMARY_SIZE(s->nsteps, s->npairs, ntimes) ||
		FunnelSummaryError(s) != NULL)
		FunnelCorrupt();
}

/*
 * A stored format-1 value in format 2: every pair a histogram, but one
 * without times, which is exactly empty
 */
static FunnelSummary *
FunnelSummaryFromV1(const FunnelSummary *v1)
{
	FunnelSummary *s;
	int			k;

	if (VARSIZE(v1) < offsetof(FunnelSummary, data) ||
		v1->nsteps < 1 || v1->nsteps > FUNNEL_MAX_STEPS || v1->npairs < 0 ||
		VARSIZE(v1) != FUNNEL_SUMMARY_V1_SIZE(v1->nsteps, v1->npairs))
		FunnelCorrupt();
	s = palloc0(FUNNEL_SUMMARY_SIZE(v1->nsteps, v1->npairs, 0));
	SET_VARSIZE(s, FUNNEL_SUMMARY_SIZE(v1->nsteps, v1->npairs, 0));
	s->version = FUNNEL_SUMMARY_VERSION;
	s->nsteps = v1->nsteps;
	s->npairs = v1->npairs;
	s->entities = v1->entities;
	/* reached[nsteps], nbuckets[nsteps - 1] */
	memcpy(s->data, v1->data, sizeof(int64) * (2 * v1->nsteps - 1));
	for (k = 0; k < s->nsteps - 1; k++)
		FUNNEL_NTIMES_OF(s)[k] = FUNNEL_NBUCKETS_OF(s)[k] == 0 ? 0 : -1;
	memcpy(FUNNEL_PAIRS(s), v1->data + 2 * v1->nsteps - 1,
		   sizeof(FunnelBin) * v1->npairs);
	return s;
}

/* Fetch a funnel_summary argument, read-only, checked, in format 2 */
FunnelSummary *
FunnelSummaryGetArg(FunctionCallInfo fcinfo, int argno)
{
	FunnelSummary *s = (FunnelSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (VARSIZE(s) > offsetof(FunnelSummary, version) &&
		s->version == FUNNEL_SUMMARY_V1)
		s = FunnelSummaryFromV1(s);
	FunnelSummaryCheck(s);
	return s;
}

/* The times from step - 1 to step (2..nsteps) of a checked summary */
void
FunnelPairOf(const FunnelSummary *s, int step, FunnelPair *pair)
{
	const FunnelBin *bin = FUNNEL_PAIRS(s);
	const int64 *t = FUNNEL_TIMES(s);
	int			k;

	Assert(step >= 2 && step <= s->nsteps);
	for (k = 0; k < step - 2; k++)
	{
		bin += FUNNEL_NBUCKETS_OF(s)[k];
		t += Max(FUNNEL_NTIMES_OF(s)[k], 0);
	}
	pair->bins = bin;
	pair->nbins = FUNNEL_NBUCKETS_OF(s)[step - 2];
	pair->times = t;
	pair->ntimes = FUNNEL_NTIMES_OF(s)[step - 2];
}

/*
 * A summary being read by the input functions: the counts, then the pairs'
 * buckets and times appended as they come, assembled by FunnelBuildFinish
 */
typedef struct FunnelBuild
{
	int32		nsteps;
	int64		entities;
	int64	   *reached;		/* [nsteps] */
	int64	   *nbuckets;		/* [nsteps - 1] */
	int64	   *ntimes;			/* [nsteps - 1] */
	FunnelBin  *bins;
	int64		nbins,
				bcapacity;
	int64	   *times;
	int64		ntotal,
				tcapacity;
} FunnelBuild;

static void
FunnelBuildStart(FunnelBuild *b, int32 nsteps, int64 entities)
{
	b->nsteps = nsteps;
	b->entities = entities;
	b->reached = palloc0(sizeof(int64) * nsteps);
	b->nbuckets = palloc0(sizeof(int64) * nsteps);
	b->ntimes = palloc0(sizeof(int64) * nsteps);
	b->nbins = b->ntotal = 0;
	b->bcapacity = b->tcapacity = 16;
	b->bins = palloc(sizeof(FunnelBin) * b->bcapacity);
	b->times = palloc(sizeof(int64) * b->tcapacity);
}

/* Room for n more buckets after b->nbins; where they go */
static FunnelBin *
FunnelBuildBins(FunnelBuild *b, int64 n)
{
	if (b->nbins + n > b->bcapacity)
	{
		b->bcapacity = Max(b->nbins + n, b->bcapacity * 2);
		b->bins = repalloc_huge(b->bins, sizeof(FunnelBin) * b->bcapacity);
	}
	return b->bins + b->nbins;
}

/* Room for n more times after b->ntotal; where they go */
static int64 *
FunnelBuildTimes(FunnelBuild *b, int64 n)
{
	if (b->ntotal + n > b->tcapacity)
	{
		b->tcapacity = Max(b->ntotal + n, b->tcapacity * 2);
		b->times = repalloc_huge(b->times, sizeof(int64) * b->tcapacity);
	}
	return b->times + b->ntotal;
}

/* The summary built, or NULL with *problem */
static FunnelSummary *
FunnelBuildFinish(FunnelBuild *b, const char **problem)
{
	FunnelSummary *s;
	Size		size;

	if (b->nbins > PG_INT32_MAX)
	{
		*problem = "Buckets must be increasing integers from 0 to 2185.";
		return NULL;
	}
	size = FUNNEL_SUMMARY_SIZE(b->nsteps, b->nbins, b->ntotal);
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->version = FUNNEL_SUMMARY_VERSION;
	s->nsteps = b->nsteps;
	s->npairs = (int32) b->nbins;
	s->entities = b->entities;
	memcpy(FUNNEL_REACHED(s), b->reached, sizeof(int64) * b->nsteps);
	memcpy(FUNNEL_NBUCKETS_OF(s), b->nbuckets, sizeof(int64) * (b->nsteps - 1));
	memcpy(FUNNEL_NTIMES_OF(s), b->ntimes, sizeof(int64) * (b->nsteps - 1));
	memcpy(FUNNEL_PAIRS(s), b->bins, sizeof(FunnelBin) * b->nbins);
	memcpy(FUNNEL_TIMES(s), b->times, sizeof(int64) * b->ntotal);
	if ((*problem = FunnelSummaryError(s)) != NULL)
		return NULL;
	return s;
}

/* The size of a state's flat form (EOM_get_flat_size_method) */
static Size
FunnelAggFlatSize(ExpandedObjectHeader *eoh)
{
	const FunnelAgg *agg = (const FunnelAgg *) eoh;
	int64		npairs = 0,
				ntimes = 0;
	int			k;

	for (k = 0; k < agg->nsteps - 1; k++)
	{
		if (agg->hist[k].approximate)
			npairs += agg->hist[k].n;
		else
			ntimes += agg->hist[k].ntimes;
	}
	return FUNNEL_SUMMARY_SIZE(agg->nsteps, npairs, ntimes);
}

/*
 * The flat form of a state, a funnel_summary, into result
 * (EOM_flatten_into_method): a pair's exact times if it still has them
 * (sorted here: sorting them does not change the state), else its
 * histogram.  It goes through the validator, as every value produced does;
 * a state of valid inputs always passes.
 */
static void
FunnelAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size)
{
	const FunnelAgg *agg = (const FunnelAgg *) eoh;
	FunnelSummary *s = (FunnelSummary *) result;
	FunnelBin  *bin;
	int64	   *t;
	int64		npairs = 0;
	int			k;

	Assert(size == FunnelAggFlatSize(eoh));
	memset(s, 0, offsetof(FunnelSummary, data));
	SET_VARSIZE(s, size);
	s->version = FUNNEL_SUMMARY_VERSION;
	s->nsteps = agg->nsteps;
	s->entities = agg->entities;
	memcpy(FUNNEL_REACHED(s), agg->reached, sizeof(int64) * agg->nsteps);
	for (k = 0; k < agg->nsteps - 1; k++)
		if (agg->hist[k].approximate)
			npairs += agg->hist[k].n;
	s->npairs = (int32) npairs;
	bin = FUNNEL_PAIRS(s);
	t = FUNNEL_TIMES(s);
	for (k = 0; k < agg->nsteps - 1; k++)
	{
		FunnelHist *h = &agg->hist[k];

		CHECK_FOR_INTERRUPTS();
		if (h->approximate)
		{
			FUNNEL_NBUCKETS_OF(s)[k] = h->n;
			FUNNEL_NTIMES_OF(s)[k] = -1;
			FunnelHistCopy(h, bin);
			bin += h->n;
		}
		else
		{
			FUNNEL_NBUCKETS_OF(s)[k] = 0;
			FUNNEL_NTIMES_OF(s)[k] = h->ntimes;
			if (h->ntimes > 1)
				qsort(h->times, h->ntimes, sizeof(int64), FunnelCompareTimes);
			if (h->ntimes > 0)
				memcpy(t, h->times, sizeof(int64) * h->ntimes);
			t += h->ntimes;
		}
	}
	KpiCheckProduced("funnel_summary", FunnelSummaryError(s));
}

/* agg += s; agg NULL creates it for fcinfo */
static FunnelAgg *
FunnelAggMerge(FunnelAgg *agg, FunctionCallInfo fcinfo, const FunnelSummary *s)
{
	const FunnelBin *bin = FUNNEL_PAIRS(s);
	const int64 *t = FUNNEL_TIMES(s);
	int			k;

	if (agg == NULL)
		agg = FunnelAggCreate(fcinfo, s->nsteps);
	FunnelCheckSameSteps(agg->nsteps, s->nsteps);
	FunnelAggAddCounts(agg, s->entities, FUNNEL_REACHED(s));
	for (k = 0; k < s->nsteps - 1; k++)
	{
		int32		nb = (int32) FUNNEL_NBUCKETS_OF(s)[k];
		int64		nt = FUNNEL_NTIMES_OF(s)[k];

		CHECK_FOR_INTERRUPTS();
		if (nt >= 0)
		{
			FunnelHistAddSorted(agg, &agg->hist[k], t, nt);
			t += nt;
		}
		else
		{
			FunnelHistMerge(agg, &agg->hist[k], bin, nb);
			FunnelHistDropTimes(&agg->hist[k]);
			bin += nb;
		}
	}
	return agg;
}


/*
 * Text and binary I/O of funnel_summary
 *
 * Text: {"version":2,"steps":N,"entities":E,"reached":[r1,...,rN],
 *        "times":[P1,...]} with N - 1 step pairs P, each either a
 * histogram [[bucket,count],...] or exact times {"exact":[us,...]}.
 * Format 1 had histograms only.
 * Binary: int8 version, int32 steps, int64 entities, int64 reached[N], then
 * per step pair int32 ntimes and either (ntimes -1) int32 nbuckets and
 * int32 bucket + int64 count pairs, or ntimes int64 times.  Format 1 had
 * the int32 nbuckets and pairs only.
 * Both build the summary as they read, in memory proportional to what the
 * input carries, and accept exactly what FunnelSummaryError accepts.
 */

/* A histogram [[bucket,count],...] after its "[" into pair k of b */
static bool
FunnelParseBins(KpiScanner *scan, FunnelBuild *b, int k, const char **problem)
{
	int64		nb = 0;

	while (!KpiScanToken(scan, "]"))
	{
		FunnelBin  *bin;

		/* more buckets than there are cannot be increasing: stop here */
		if (nb == FUNNEL_NBUCKETS)
		{
			*problem = "Buckets must be increasing integers from 0 to 2185.";
			return false;
		}
		bin = FunnelBuildBins(b, 1);
		if ((nb > 0 && !KpiScanToken(scan, ",")) || !KpiScanToken(scan, "[") ||
			!KpiScanInt64(scan, &bin->bucket) || !KpiScanToken(scan, ",") ||
			!KpiScanInt64(scan, &bin->count) || !KpiScanToken(scan, "]"))
		{
			*problem = "Expected [bucket,count] pairs of integers.";
			return false;
		}
		b->nbins++;
		nb++;
	}
	b->nbuckets[k] = nb;
	return true;
}

/* Exact times "exact":[us,...]} after the "{" into pair k of b */
static bool
FunnelParseTimes(KpiScanner *scan, FunnelBuild *b, int k, const char **problem)
{
	int64		nt = 0;

	*problem = "Expected {\"exact\":[...]} with times in microseconds.";
	if (!KpiScanKey(scan, "exact") || !KpiScanToken(scan, "["))
		return false;
	while (!KpiScanToken(scan, "]"))
	{
		int64	   *t;

		if (nt == FUNNEL_EXACT_MAX)
		{
			*problem = "A step pair has at most 10000 exact times.";
			return false;
		}
		t = FunnelBuildTimes(b, 1);
		if ((nt > 0 && !KpiScanToken(scan, ",")) || !KpiScanInt64(scan, t))
			return false;
		b->ntotal++;
		nt++;
	}
	if (!KpiScanToken(scan, "}"))
		return false;
	b->ntimes[k] = nt;
	return true;
}

static FunnelSummary *
FunnelSummaryParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		nsteps,
				entities;
	int			version;
	FunnelBuild b;
	int64		k;

	*problem = "Expected {\"version\":2,\"steps\":N,\"entities\":E,\"reached\":[...],\"times\":[...]}.";
	if (!KpiScanVersionRange(&scan, FUNNEL_SUMMARY_V1, FUNNEL_SUMMARY_VERSION,
							 &version, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "steps") ||
		!KpiScanInt64(&scan, &nsteps) || !KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "entities") ||
		!KpiScanInt64(&scan, &entities) || !KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "reached") ||
		!KpiScanToken(&scan, "["))
		return NULL;
	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS)
	{
		*problem = "A funnel has 1 to 10000 steps.";
		return NULL;
	}
	/* N counts take at least 2N characters ("0," each, or "0]") */
	if ((int64) strlen(scan.pos) < 2 * nsteps)
	{
		*problem = "Expected one count of entities for each step.";
		return NULL;
	}
	FunnelBuildStart(&b, (int32) nsteps, entities);
	if (!KpiScanInt64List(&scan, b.reached, nsteps))
	{
		*problem = "Expected one count of entities for each step.";
		return NULL;
	}
	if (!KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "times") ||
		!KpiScanToken(&scan, "["))
		return NULL;
	for (k = 0; k < nsteps - 1; k++)
	{
		CHECK_FOR_INTERRUPTS();
		if (k > 0 && !KpiScanToken(&scan, ","))
		{
			*problem = "Expected a list of times for each pair of consecutive steps.";
			return NULL;
		}
		if (version > FUNNEL_SUMMARY_V1 && KpiScanToken(&scan, "{"))
		{
			if (!FunnelParseTimes(&scan, &b, k, problem))
				return NULL;
			continue;
		}
		if (!KpiScanToken(&scan, "["))
		{
			*problem = version == FUNNEL_SUMMARY_V1 ?
				"Expected a list of [bucket,count] pairs for each pair of consecutive steps." :
				"Expected a list of [bucket,count] pairs or {\"exact\":[...]} for each pair of consecutive steps.";
			return NULL;
		}
		if (!FunnelParseBins(&scan, &b, k, problem))
			return NULL;
		/* format 1: a pair without times is exactly empty (FunnelSummaryFromV1) */
		b.ntimes[k] = (version == FUNNEL_SUMMARY_V1 && b.nbuckets[k] == 0) ? 0 : -1;
	}
	if (!KpiScanToken(&scan, "]") || !KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
	{
		*problem = "Expected N - 1 lists of times, a closing } and nothing after it.";
		return NULL;
	}
	return FunnelBuildFinish(&b, problem);
}

Datum
funnel_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	FunnelSummary *s = FunnelSummaryParse(str, &problem);

	if (s == NULL)
		CRM_INPUT_ERROR(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s: \"%s\"",
								"funnel_summary", str),
						 errdetail("%s", problem)));
	PG_RETURN_POINTER(s);
}

Datum
funnel_summary_out(PG_FUNCTION_ARGS)
{
	FunnelSummary *s = FunnelSummaryGetArg(fcinfo, 0);
	const FunnelBin *bin = FUNNEL_PAIRS(s);
	const int64 *t = FUNNEL_TIMES(s);
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,\"steps\":%d,\"entities\":" INT64_FORMAT ",\"reached\":[",
					 s->version, s->nsteps, s->entities);
	for (k = 0; k < s->nsteps; k++)
		appendStringInfo(&buf, k > 0 ? "," INT64_FORMAT : INT64_FORMAT, FUNNEL_REACHED(s)[k]);
	appendStringInfoString(&buf, "],\"times\":[");
	for (k = 0; k < s->nsteps - 1; k++)
	{
		int64		nt = FUNNEL_NTIMES_OF(s)[k];
		int64		j;

		CHECK_FOR_INTERRUPTS();
		if (k > 0)
			appendStringInfoChar(&buf, ',');
		if (nt >= 0)
		{
			appendStringInfoString(&buf, "{\"exact\":[");
			for (j = 0; j < nt; j++, t++)
				appendStringInfo(&buf, j > 0 ? "," INT64_FORMAT : INT64_FORMAT, *t);
			appendStringInfoString(&buf, "]}");
			continue;
		}
		appendStringInfoChar(&buf, '[');
		for (j = 0; j < FUNNEL_NBUCKETS_OF(s)[k]; j++, bin++)
			appendStringInfo(&buf, j > 0 ? ",[" INT64_FORMAT "," INT64_FORMAT "]" : "[" INT64_FORMAT "," INT64_FORMAT "]",
							 bin->bucket, bin->count);
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

static void
FunnelBinaryError(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid funnel_summary binary input: %s", what)));
}

Datum
funnel_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int32		nsteps;
	FunnelBuild b;
	FunnelSummary *s;
	const char *problem;
	int			k;

	if (buf->len - buf->cursor < 13)
		FunnelBinaryError("too short");
	version = pq_getmsgbyte(buf);
	if (version != FUNNEL_SUMMARY_V1 && version != FUNNEL_SUMMARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported funnel_summary binary format version %d", version)));
	nsteps = pq_getmsgint(buf, 4);
	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS)
		FunnelBinaryError("the number of steps is out of range");
	/* every field read below is length-checked first */
	if (buf->len - buf->cursor < 8 * (nsteps + 1) + 4 * (nsteps - 1))
		FunnelBinaryError("too short");
	FunnelBuildStart(&b, nsteps, pq_getmsgint64(buf));
	for (k = 0; k < nsteps; k++)
		b.reached[k] = pq_getmsgint64(buf);
	for (k = 0; k < nsteps - 1; k++)
	{
		int32		nb,
					nt = -1,
					j;

		CHECK_FOR_INTERRUPTS();
		if (version > FUNNEL_SUMMARY_V1)
		{
			if (buf->len - buf->cursor < 4)
				FunnelBinaryError("too short");
			nt = pq_getmsgint(buf, 4);
			if (nt < -1 || nt > FUNNEL_EXACT_MAX || buf->len - buf->cursor < 8 * (int64) nt)
				FunnelBinaryError("bad number of exact times");
			if (nt >= 0)
			{
				int64	   *t = FunnelBuildTimes(&b, nt);

				for (j = 0; j < nt; j++)
					t[j] = pq_getmsgint64(buf);
				b.ntotal += nt;
				b.ntimes[k] = nt;
				continue;
			}
		}
		if (buf->len - buf->cursor < 4)
			FunnelBinaryError("too short");
		nb = pq_getmsgint(buf, 4);
		if (nb < 0 || nb > FUNNEL_NBUCKETS || buf->len - buf->cursor < 12 * nb)
			FunnelBinaryError("bad number of buckets");
		{
			FunnelBin  *bin = FunnelBuildBins(&b, nb);

			for (j = 0; j < nb; j++, bin++)
			{
				bin->bucket = (int32) pq_getmsgint(buf, 4);
				bin->count = pq_getmsgint64(buf);
			}
		}
		b.nbins += nb;
		b.nbuckets[k] = nb;
		/* format 1: a pair without times is exactly empty (FunnelSummaryFromV1) */
		b.ntimes[k] = (version == FUNNEL_SUMMARY_V1 && nb == 0) ? 0 : -1;
	}
	if (buf->cursor != buf->len)
		FunnelBinaryError("trailing bytes");
	if ((s = FunnelBuildFinish(&b, &problem)) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid funnel_summary counts in binary input"),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(s);
}

Datum
funnel_summary_send(PG_FUNCTION_ARGS)
{
	FunnelSummary *s = FunnelSummaryGetArg(fcinfo, 0);
	const FunnelBin *bin = FUNNEL_PAIRS(s);
	const int64 *t = FUNNEL_TIMES(s);
	StringInfoData buf;
	int			k;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, s->version);
	pq_sendint32(&buf, s->nsteps);
	pq_sendint64(&buf, s->entities);
	for (k = 0; k < s->nsteps; k++)
		pq_sendint64(&buf, FUNNEL_REACHED(s)[k]);
	for (k = 0; k < s->nsteps - 1; k++)
	{
		int64		nt = FUNNEL_NTIMES_OF(s)[k];
		int64		j;

		CHECK_FOR_INTERRUPTS();
		pq_sendint32(&buf, (int32) nt);
		if (nt >= 0)
		{
			for (j = 0; j < nt; j++, t++)
				pq_sendint64(&buf, *t);
			continue;
		}
		pq_sendint32(&buf, (int32) FUNNEL_NBUCKETS_OF(s)[k]);
		for (j = 0; j < FUNNEL_NBUCKETS_OF(s)[k]; j++, bin++)
		{
			pq_sendint32(&buf, (int32) bin->bucket);
			pq_sendint64(&buf, bin->count);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/* Aggregate support of funnel_agg and rollup(funnel_summary) */

/*
 * The checks every funnel path passes (funnel_summary.h): returns the number
 * of steps reached; *ts the path's timestamps.
 */
int
FunnelPathLevel(ArrayType *path, const TimestampTz **ts_out)
{
	const TimestampTz *ts;
	const bits8 *nulls;
	int			nsteps,
				level,
				k;

	if (ARR_NDIM(path) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a funnel path must be a one-dimensional array")));
	nsteps = ARR_DIMS(path)[0];

	/* the reached steps are a prefix: with a NULL, data holds the others */
	ts = (const TimestampTz *) ARR_DATA_PTR(path);
	nulls = ARR_NULLBITMAP(path);
	for (level = 0; level < nsteps; level++)
		if (nulls && !(nulls[level / 8] & (1 << (level % 8))))
			break;
	for (k = level; k < nsteps; k++)
		if (!nulls || (nulls[k / 8] & (1 << (k % 8))))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel path has step %d without step %d", k + 1, level + 1),
					 errhint("A path holds the timestamps of the steps reached, in order, then NULLs, as funnel_path returns it.")));
	for (k = 0; k < level; k++)
	{
		if (TIMESTAMP_NOT_FINITE(ts[k]))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("funnel path step %d is %s, not a finite timestamp",
							k + 1, timestamptz_to_str(ts[k]))));
		if (k > 0 && ts[k] < ts[k - 1])
		{
			/* timestamptz_to_str returns a static buffer */
			char	   *later = pstrdup(timestamptz_to_str(ts[k]));

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel path step %d at %s is not at or after step %d at %s",
							k + 1, later, k, timestamptz_to_str(ts[k - 1]))));
		}
	}
	*ts_out = ts;
	return level;
}

/*
 * One entity's path as funnel_path returns it (the timestamps of the steps
 * reached, then NULLs) into agg; agg NULL creates it for fcinfo.
 */
static FunnelAgg *
FunnelAggAddPath(FunnelAgg *agg, FunctionCallInfo fcinfo, ArrayType *path)
{
	const TimestampTz *ts;
	int			nsteps,
				level,
				k;

	level = FunnelPathLevel(path, &ts);
	nsteps = ARR_DIMS(path)[0];
	if (agg == NULL)
		agg = FunnelAggCreate(fcinfo, nsteps);
	else if (nsteps != agg->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel path has %d steps, earlier paths had %d", nsteps, agg->nsteps)));
	FunnelAggAddEntity(agg, level);
	/* a time beyond the longest interval is a 22008 error, as in SQL */
	for (k = 1; k < level; k++)
		FunnelHistAddTime(agg, &agg->hist[k - 1], KpiTimeDiff(ts[k], ts[k - 1]));
	return agg;
}

/*
 * One entity's window_funnel level into agg (counts only); agg NULL creates
 * it for fcinfo.  The number of steps must not be NULL.
 */
static FunnelAgg *
FunnelAggAddLevel(FunctionCallInfo fcinfo, FunnelAgg *agg)
{
	int32		level,
				nsteps;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the number of funnel steps must not be null")));
	if (PG_ARGISNULL(1))
		return agg;
	level = PG_GETARG_INT32(1);
	nsteps = PG_GETARG_INT32(2);
	if (agg == NULL)
		agg = FunnelAggCreate(fcinfo, nsteps);
	else if (nsteps != agg->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the number of funnel steps changed from %d to %d within one aggregate",
						agg->nsteps, nsteps)));
	if (level < 0 || level > nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("funnel level %d is out of range for %d steps", level, nsteps)));
	FunnelAggAddEntity(agg, level);
	return agg;
}

/*
 * The funnel_summary state argument (0) to update: the aggregate's own
 * read/write expanded state in place, else an expanded copy (NULL if NULL)
 */
static FunnelAgg *
FunnelStateArg(FunctionCallInfo fcinfo)
{
	FunnelAgg  *agg = (FunnelAgg *) KpiExpandedInPlace(fcinfo, 0, &FunnelAggMethods);

	if (agg != NULL || PG_ARGISNULL(0))
		return agg;
	return FunnelAggMerge(NULL, fcinfo, FunnelSummaryGetArg(fcinfo, 0));
}

#define FUNNEL_RETURN_EXPANDED(agg) \
	do { \
		if ((agg) == NULL) \
			PG_RETURN_NULL(); \
		PG_RETURN_DATUM(EOHPGetRWDatum(&(agg)->hdr)); \
	} while (0)

/*
 * funnel_summary_accum_path(funnel_summary, path timestamptz[]): the
 * transition function of funnel_agg(path).  Not strict: the first path
 * gives the number of steps.  A NULL path leaves the state as it is.
 */
Datum
funnel_summary_accum_path(PG_FUNCTION_ARGS)
{
	FunnelAgg  *agg;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	agg = FunnelStateArg(fcinfo);
	agg = FunnelAggAddPath(agg, fcinfo, PG_GETARG_ARRAYTYPE_P(1));
	FUNNEL_RETURN_EXPANDED(agg);
}

/*
 * One entity of a two-step funnel that reached "level" (0..2) of its steps,
 * the second "time" microseconds after the first (level 2 only), into the
 * funnel_summary state argument 0: the transition of funnel_agg(path,
 * from_step, to_step) (funnel_time.c).  Returns the state.
 */
Datum
FunnelAccumPair(FunctionCallInfo fcinfo, int level, int64 time)
{
	FunnelAgg  *agg = FunnelStateArg(fcinfo);

	Assert(level >= 0 && level <= 2);
	if (agg == NULL)
		agg = FunnelAggCreate(fcinfo, 2);
	else
		FunnelCheckSameSteps(agg->nsteps, 2);
	FunnelAggAddEntity(agg, level);
	if (level == 2)
		FunnelHistAddTime(agg, &agg->hist[0], time);
	FUNNEL_RETURN_EXPANDED(agg);
}

/*
 * funnel_summary_accum_level(funnel_summary, level integer, steps integer):
 * the transition function of funnel_agg(level, steps)
 */
Datum
funnel_summary_accum_level(PG_FUNCTION_ARGS)
{
	FunnelAgg  *agg;

	if (PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	agg = FunnelStateArg(fcinfo);
	agg = FunnelAggAddLevel(fcinfo, agg);
	FUNNEL_RETURN_EXPANDED(agg);
}

/*
 * funnel_summary_combine(a, b): a + b.  The transition and combine function
 * of rollup(funnel_summary) and the combine function of funnel_agg; strict,
 * so the executor starts from a copy of the first non-NULL value.
 */
Datum
funnel_summary_combine(PG_FUNCTION_ARGS)
{
	FunnelAgg  *a = FunnelStateArg(fcinfo);

	a = FunnelAggMerge(a, NULL, FunnelSummaryGetArg(fcinfo, 1));
	FUNNEL_RETURN_EXPANDED(a);
}


/*
 * The support functions of 1.1.0, whose state is internal (a FunnelAgg
 * pointer), for databases not yet updated (ALTER EXTENSION crm_kpi UPDATE)
 */

static FunnelAgg *
FunnelAggState(FunctionCallInfo fcinfo)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "funnel aggregate called in non-aggregate context");
	return PG_ARGISNULL(0) ? NULL : (FunnelAgg *) PG_GETARG_POINTER(0);
}

Datum
funnel_agg_path_accum(PG_FUNCTION_ARGS)
{
	FunnelAgg  *agg = FunnelAggState(fcinfo);

	if (!PG_ARGISNULL(1))
		agg = FunnelAggAddPath(agg, fcinfo, PG_GETARG_ARRAYTYPE_P(1));
	FUNNEL_RETURN_STATE(agg);
}

Datum
funnel_agg_level_accum(PG_FUNCTION_ARGS)
{
	FunnelAgg  *agg = FunnelAggState(fcinfo);

	agg = FunnelAggAddLevel(fcinfo, agg);
	FUNNEL_RETURN_STATE(agg);
}

Datum
funnel_agg_summary_accum(PG_FUNCTION_ARGS)
{
	FunnelAgg  *agg = FunnelAggState(fcinfo);

	if (!PG_ARGISNULL(1))
		agg = FunnelAggMerge(agg, fcinfo, FunnelSummaryGetArg(fcinfo, 1));
	FUNNEL_RETURN_STATE(agg);
}

Datum
funnel_agg_combine(PG_FUNCTION_ARGS)
{
	FunnelAgg  *a = FunnelAggState(fcinfo);
	FunnelAgg  *b = PG_ARGISNULL(1) ? NULL : (FunnelAgg *) PG_GETARG_POINTER(1);
	int			k;

	if (b == NULL)
		FUNNEL_RETURN_STATE(a);
	if (a == NULL)
		a = FunnelAggCreate(fcinfo, b->nsteps);
	FunnelCheckSameSteps(a->nsteps, b->nsteps);
	FunnelAggAddCounts(a, b->entities, b->reached);
	for (k = 0; k < a->nsteps - 1; k++)
	{
		CHECK_FOR_INTERRUPTS();
		FunnelHistMergeHist(a, &a->hist[k], &b->hist[k]);
	}
	FUNNEL_RETURN_STATE(a);
}

Datum
funnel_agg_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(KpiExpandedFlatten((ExpandedObjectHeader *) PG_GETARG_POINTER(0)));
}

Datum
funnel_agg_deserialize(PG_FUNCTION_ARGS)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "funnel_agg_deserialize called in non-aggregate context");
	PG_RETURN_POINTER(FunnelAggMerge(NULL, NULL, FunnelSummaryGetArg(fcinfo, 0)));
}

Datum
funnel_agg_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(KpiExpandedFlatten((ExpandedObjectHeader *) PG_GETARG_POINTER(0)));
}
