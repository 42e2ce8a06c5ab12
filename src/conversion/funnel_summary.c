/*-------------------------------------------------------------------------
 *
 * funnel_summary.c
 *	  Funnels across entities: funnel_summary, funnel_agg and the funnel
 *	  report accessors (funnel_steps, funnel_conversion_proportion,
 *	  funnel_median_time, ...).
 *
 * The per-entity aggregates (window_funnel, funnel_path) are in funnel.c;
 * funnel_agg takes funnel_path's result for each entity.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "funnel.h"

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

/*
 * Across entities: funnel_summary
 *
 * For each step k, the entities that reached at least step k, and for each
 * pair of consecutive steps a histogram of the time between them over the
 * entities that reached both.  Histogram bucket 0 holds zero durations;
 * bucket i >= 1 holds the durations d (microseconds) of sketch key i - 1
 * (KpiSketchKey: gamma^(i-2) < d <= gamma^(i-1), gamma = 1.01 / 0.99), and
 * reads back within 1 % of every d in it.  The longest duration, PG_INT64_MAX
 * microseconds, is in bucket FUNNEL_MAX_BUCKET: no higher bucket can hold a
 * duration, so none is accepted, and that last bucket reads back clamped to
 * PG_INT64_MAX, which is still within 1 % of every duration in it.
 */
#define FUNNEL_SUMMARY_VERSION	1
#define FUNNEL_MAX_BUCKET		2185	/* FunnelBucket(PG_INT64_MAX) */
#define FUNNEL_NBUCKETS			(FUNNEL_MAX_BUCKET + 1)

/* A non-empty histogram bucket; also the layout of the on-disk pairs */
typedef struct FunnelBin
{
	int64		bucket;
	int64		count;
} FunnelBin;

/*
 * On-disk form: the counts, then for each pair of consecutive steps its
 * number of non-empty buckets, then all (bucket, count) pairs in order.
 */
typedef struct FunnelSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* FUNNEL_SUMMARY_VERSION */
	uint8		reserved[3];	/* zero */
	int32		nsteps;
	int32		npairs;			/* (bucket, count) pairs in all */
	int64		entities;
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* reached[nsteps],
												 * nbuckets[nsteps - 1],
												 * pairs[npairs][2] */
} FunnelSummary;

#define FUNNEL_SUMMARY_SIZE(nsteps, npairs) \
	(offsetof(FunnelSummary, data) + \
	 sizeof(int64) * ((int64) 2 * (nsteps) - 1 + 2 * (int64) (npairs)))
#define FUNNEL_REACHED(s)	((s)->data)
#define FUNNEL_NBUCKETS_OF(s)	((s)->data + (s)->nsteps)
#define FUNNEL_PAIRS(s)		((FunnelBin *) ((s)->data + 2 * (s)->nsteps - 1))

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
PG_FUNCTION_INFO_V1(funnel_entities);
PG_FUNCTION_INFO_V1(funnel_reached);
PG_FUNCTION_INFO_V1(funnel_conversion_proportion);
KPI_FORMER_SYMBOL(funnel_conversion, funnel_conversion_proportion);
PG_FUNCTION_INFO_V1(funnel_median_time);
PG_FUNCTION_INFO_V1(funnel_steps);

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
static double
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

/* a += b */
static void
FunnelHistMergeHist(const FunnelAgg *agg, FunnelHist *a, const FunnelHist *b)
{
	int64		i;

	if (b->dense == NULL)
	{
		FunnelHistMerge(agg, a, b->bins, b->n);
		return;
	}
	for (i = 0; i < FUNNEL_NBUCKETS; i++)
		if (b->dense[i] != 0)
			FunnelHistAdd(agg, a, i, b->dense[i]);
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
 * and binary input, of stored values, and of every value produced.
 */
static const char *
FunnelSummaryError(const FunnelSummary *s)
{
	const int64 *reached = FUNNEL_REACHED(s);
	const int64 *nb = FUNNEL_NBUCKETS_OF(s);
	const FunnelBin *bin = FUNNEL_PAIRS(s);
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
		for (j = 0; j < nb[k]; j++, bin++)
		{
			if (bin->bucket <= last || bin->bucket > FUNNEL_MAX_BUCKET)
				return "Buckets must be increasing integers from 0 to 2185.";
			if (bin->count <= 0 || pg_add_s64_overflow(total, bin->count, &total))
				return "Bucket counts must be positive.";
			last = bin->bucket;
		}
		if (total > reached[k + 1])
			return "A step pair has more times than entities that reached its second step.";
		used += nb[k];
	}
	if (used != s->npairs)
		return "The bucket counts do not match the pairs.";
	return NULL;
}

/* Reject a stored value that is not what this code wrote */
static void
FunnelSummaryCheck(const FunnelSummary *s)
{
	if (VARSIZE(s) < offsetof(FunnelSummary, data) ||
		s->version != FUNNEL_SUMMARY_VERSION ||
		s->nsteps < 1 || s->nsteps > FUNNEL_MAX_STEPS || s->npairs < 0 ||
		VARSIZE(s) != FUNNEL_SUMMARY_SIZE(s->nsteps, s->npairs) ||
		FunnelSummaryError(s) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("funnel_summary value is corrupt")));
}

/* Fetch a funnel_summary argument, read-only and checked */
static FunnelSummary *
FunnelSummaryGetArg(FunctionCallInfo fcinfo, int argno)
{
	FunnelSummary *s = (FunnelSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	FunnelSummaryCheck(s);
	return s;
}

/*
 * A summary of nsteps steps with room for "capacity" pairs, being built by
 * the input functions, which append pairs
 */
static FunnelSummary *
FunnelSummaryStart(int32 nsteps, int64 entities, int64 capacity)
{
	FunnelSummary *s = palloc0(FUNNEL_SUMMARY_SIZE(nsteps, capacity));

	s->version = FUNNEL_SUMMARY_VERSION;
	s->nsteps = nsteps;
	s->entities = entities;
	SET_VARSIZE(s, FUNNEL_SUMMARY_SIZE(nsteps, 0));
	return s;
}

/* Room for n more pairs after s->npairs, out of *capacity */
static FunnelSummary *
FunnelSummaryReserve(FunnelSummary *s, int64 *capacity, int64 n)
{
	int64		need = (int64) s->npairs + n;

	if (need <= *capacity)
		return s;
	*capacity = Max(need, *capacity * 2);
	return repalloc(s, FUNNEL_SUMMARY_SIZE(s->nsteps, *capacity));
}

/* Sets the size of a built summary; its problem, or NULL if it is valid */
static const char *
FunnelSummaryFinish(FunnelSummary *s)
{
	SET_VARSIZE(s, FUNNEL_SUMMARY_SIZE(s->nsteps, s->npairs));
	return FunnelSummaryError(s);
}

/* The size of a state's flat form (EOM_get_flat_size_method) */
static Size
FunnelAggFlatSize(ExpandedObjectHeader *eoh)
{
	const FunnelAgg *agg = (const FunnelAgg *) eoh;
	int64		npairs = 0;
	int			k;

	for (k = 0; k < agg->nsteps - 1; k++)
		npairs += agg->hist[k].n;
	return FUNNEL_SUMMARY_SIZE(agg->nsteps, npairs);
}

/*
 * The flat form of a state, a funnel_summary, into result
 * (EOM_flatten_into_method).  It goes through the validator, as every value
 * produced does; a state of valid inputs always passes.
 */
static void
FunnelAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size)
{
	const FunnelAgg *agg = (const FunnelAgg *) eoh;
	FunnelSummary *s = (FunnelSummary *) result;
	int			k;

	Assert(size == FunnelAggFlatSize(eoh));
	memset(s, 0, offsetof(FunnelSummary, data));
	s->version = FUNNEL_SUMMARY_VERSION;
	s->nsteps = agg->nsteps;
	s->entities = agg->entities;
	memcpy(FUNNEL_REACHED(s), agg->reached, sizeof(int64) * agg->nsteps);
	for (k = 0; k < agg->nsteps - 1; k++)
	{
		const FunnelHist *h = &agg->hist[k];

		CHECK_FOR_INTERRUPTS();
		FUNNEL_NBUCKETS_OF(s)[k] = h->n;
		FunnelHistCopy(h, FUNNEL_PAIRS(s) + s->npairs);
		s->npairs += h->n;
	}
	KpiCheckProduced("funnel_summary", FunnelSummaryFinish(s));
	Assert(VARSIZE(s) == size);
}

/* agg += s; agg NULL creates it for fcinfo */
static FunnelAgg *
FunnelAggMerge(FunnelAgg *agg, FunctionCallInfo fcinfo, const FunnelSummary *s)
{
	const FunnelBin *bin = FUNNEL_PAIRS(s);
	int			k;

	if (agg == NULL)
		agg = FunnelAggCreate(fcinfo, s->nsteps);
	FunnelCheckSameSteps(agg->nsteps, s->nsteps);
	FunnelAggAddCounts(agg, s->entities, FUNNEL_REACHED(s));
	for (k = 0; k < s->nsteps - 1; k++)
	{
		int32		n = (int32) FUNNEL_NBUCKETS_OF(s)[k];

		CHECK_FOR_INTERRUPTS();
		FunnelHistMerge(agg, &agg->hist[k], bin, n);
		bin += n;
	}
	return agg;
}


/*
 * Text and binary I/O of funnel_summary
 *
 * Text: {"version":1,"steps":N,"entities":E,"reached":[r1,...,rN],
 *        "times":[[[bucket,count],...],...]} with N - 1 lists of pairs.
 * Binary: int8 version, int32 steps, int64 entities, int64 reached[N], then
 * per step pair int32 nbuckets and int32 bucket + int64 count pairs.
 * Both build the summary as they read, in memory proportional to what the
 * input carries, and accept exactly what FunnelSummaryError accepts.
 */

static FunnelSummary *
FunnelSummaryParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		nsteps,
				entities,
				capacity = 16;
	FunnelSummary *s;
	int64		k;

	*problem = "Expected {\"version\":1,\"steps\":N,\"entities\":E,\"reached\":[...],\"times\":[...]}.";
	if (!KpiScanVersion(&scan, FUNNEL_SUMMARY_VERSION, problem))
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
	s = FunnelSummaryStart((int32) nsteps, entities, capacity);
	if (!KpiScanInt64List(&scan, FUNNEL_REACHED(s), nsteps))
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
		int64		nb = 0;

		CHECK_FOR_INTERRUPTS();
		if ((k > 0 && !KpiScanToken(&scan, ",")) || !KpiScanToken(&scan, "["))
		{
			*problem = "Expected a list of [bucket,count] pairs for each pair of consecutive steps.";
			return NULL;
		}
		while (!KpiScanToken(&scan, "]"))
		{
			FunnelBin  *bin;

			/* more buckets than there are cannot be increasing: stop here */
			if (nb == FUNNEL_NBUCKETS)
			{
				*problem = "Buckets must be increasing integers from 0 to 2185.";
				return NULL;
			}
			s = FunnelSummaryReserve(s, &capacity, 1);
			bin = FUNNEL_PAIRS(s) + s->npairs;
			if ((nb > 0 && !KpiScanToken(&scan, ",")) || !KpiScanToken(&scan, "[") ||
				!KpiScanInt64(&scan, &bin->bucket) || !KpiScanToken(&scan, ",") ||
				!KpiScanInt64(&scan, &bin->count) || !KpiScanToken(&scan, "]"))
			{
				*problem = "Expected [bucket,count] pairs of integers.";
				return NULL;
			}
			s->npairs++;
			nb++;
		}
		FUNNEL_NBUCKETS_OF(s)[k] = nb;
	}
	if (!KpiScanToken(&scan, "]") || !KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
	{
		*problem = "Expected N - 1 lists of pairs, a closing } and nothing after it.";
		return NULL;
	}
	if ((*problem = FunnelSummaryFinish(s)) != NULL)
		return NULL;
	return s;
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
		int64		j;

		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&buf, k > 0 ? ",[" : "[");
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
	int64		capacity = 16;
	FunnelSummary *s;
	const char *problem;
	int			k;

	if (buf->len - buf->cursor < 13)
		FunnelBinaryError("too short");
	version = pq_getmsgbyte(buf);
	if (version != FUNNEL_SUMMARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported funnel_summary binary format version %d", version)));
	nsteps = pq_getmsgint(buf, 4);
	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS)
		FunnelBinaryError("the number of steps is out of range");
	/* every field read below is length-checked first */
	if (buf->len - buf->cursor < 8 * (nsteps + 1) + 4 * (nsteps - 1))
		FunnelBinaryError("too short");
	s = FunnelSummaryStart(nsteps, pq_getmsgint64(buf), capacity);
	for (k = 0; k < nsteps; k++)
		FUNNEL_REACHED(s)[k] = pq_getmsgint64(buf);
	for (k = 0; k < nsteps - 1; k++)
	{
		int32		nb,
					j;
		FunnelBin  *bin;

		CHECK_FOR_INTERRUPTS();
		if (buf->len - buf->cursor < 4)
			FunnelBinaryError("too short");
		nb = pq_getmsgint(buf, 4);
		if (nb < 0 || nb > FUNNEL_NBUCKETS || buf->len - buf->cursor < 12 * nb)
			FunnelBinaryError("bad number of buckets");
		s = FunnelSummaryReserve(s, &capacity, nb);
		bin = FUNNEL_PAIRS(s) + s->npairs;
		for (j = 0; j < nb; j++, bin++)
		{
			bin->bucket = (int32) pq_getmsgint(buf, 4);
			bin->count = pq_getmsgint64(buf);
		}
		FUNNEL_NBUCKETS_OF(s)[k] = nb;
		s->npairs += nb;
	}
	if (buf->cursor != buf->len)
		FunnelBinaryError("trailing bytes");
	if ((problem = FunnelSummaryFinish(s)) != NULL)
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
		int64		j;

		CHECK_FOR_INTERRUPTS();
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
 * One entity's path as funnel_path returns it (the timestamps of the steps
 * reached, then NULLs) into agg; agg NULL creates it for fcinfo.
 */
static FunnelAgg *
FunnelAggAddPath(FunnelAgg *agg, FunctionCallInfo fcinfo, ArrayType *path)
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
	if (agg == NULL)
		agg = FunnelAggCreate(fcinfo, nsteps);
	else if (nsteps != agg->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel path has %d steps, earlier paths had %d", nsteps, agg->nsteps)));

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
	FunnelAggAddEntity(agg, level);
	/* a time beyond the longest interval is a 22008 error, as in SQL */
	for (k = 1; k < level; k++)
		FunnelHistAdd(agg, &agg->hist[k - 1], FunnelBucket(KpiTimeDiff(ts[k], ts[k - 1])), 1);
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


/* Accessors */

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

/*
 * Median time from step - 1 to step (2..N) over the entities that reached
 * both and whose times are known, as the histogram estimates it: the value
 * of rank ceil(n / 2), as percentile_disc(0.5) defines the median.  False
 * when there is none.
 */
static bool
FunnelMedian(const FunnelSummary *s, int step, double *us)
{
	const FunnelBin *bin = FUNNEL_PAIRS(s);
	int64		n = 0,
				rank,
				cum = 0,
				nb,
				j;
	int			k;

	Assert(step >= 2 && step <= s->nsteps);
	for (k = 0; k < step - 2; k++)
		bin += FUNNEL_NBUCKETS_OF(s)[k];
	nb = FUNNEL_NBUCKETS_OF(s)[step - 2];
	for (j = 0; j < nb; j++)
		n += bin[j].count;		/* <= reached, checked */
	if (n == 0)
		return false;
	rank = (n + 1) / 2;
	for (j = 0; j < nb - 1; j++)
	{
		cum += bin[j].count;
		if (cum >= rank)
			break;
	}
	*us = FunnelBucketValue(bin[j].bucket);
	return true;
}

static Datum
FunnelIntervalDatum(double us)
{
	Interval   *result = palloc0(sizeof(Interval));

	/* (double) PG_INT64_MAX is 2^63, which no int64 holds */
	result->time = us >= (double) PG_INT64_MAX ? PG_INT64_MAX : (int64) rint(us);
	return IntervalPGetDatum(result);
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

/* funnel_median_time(s, step): median time from step - 1 to step; NULL if none */
Datum
funnel_median_time(PG_FUNCTION_ARGS)
{
	FunnelSummary *s = FunnelSummaryGetArg(fcinfo, 0);
	int			step = FunnelStepArg(fcinfo, s, 1);
	double		us;

	if (step < 2 || !FunnelMedian(s, step, &us))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(FunnelIntervalDatum(us));
}

/*
 * funnel_steps(s, level): one row per step: step, entities, conversion from
 * the previous step and from step 1 with Wilson intervals, median time from
 * the previous step.  Step 1's "previous" is all entities.
 */
Datum
funnel_steps(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	FunnelSummary *s;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		double	   *z;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		s = (FunnelSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		FunnelSummaryCheck(s);
		z = palloc(sizeof(double));
		*z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
		funcctx->user_fctx = list_make2(s, z);
		funcctx->max_calls = s->nsteps;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (FunnelSummary *) linitial((List *) funcctx->user_fctx);
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		double		z = *(double *) lsecond((List *) funcctx->user_fctx);
		int			step = (int) funcctx->call_cntr + 1;
		int64		reached = FunnelReachedOf(s, step);
		int64		previous = FunnelReachedOf(s, step - 1);
		int64		first = FunnelReachedOf(s, 1);
		Datum		values[9];
		bool		nulls[9] = {false};
		double		lo,
					hi,
					us;

		values[0] = Int32GetDatum(step);
		values[1] = Int64GetDatum(reached);
		if (previous > 0)
		{
			KpiWilsonInterval(reached, previous, z, &lo, &hi);
			values[2] = Float8GetDatum((double) reached / previous);
			values[3] = Float8GetDatum(lo);
			values[4] = Float8GetDatum(hi);
		}
		else
			nulls[2] = nulls[3] = nulls[4] = true;
		if (first > 0)
		{
			KpiWilsonInterval(reached, first, z, &lo, &hi);
			values[5] = Float8GetDatum((double) reached / first);
			values[6] = Float8GetDatum(lo);
			values[7] = Float8GetDatum(hi);
		}
		else
			nulls[5] = nulls[6] = nulls[7] = true;
		if (step >= 2 && FunnelMedian(s, step, &us))
			values[8] = FunnelIntervalDatum(us);
		else
			nulls[8] = true;
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
