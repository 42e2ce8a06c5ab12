/*-------------------------------------------------------------------------
 *
 * funnel_summary.c
 *	  Funnels across entities: funnel_summary, funnel_agg and the funnel
 *	  report accessors (funnel_steps, funnel_conversion, median_time).
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
 * reads back within 1 % of every d in it.  Buckets 0..2207 cover every
 * int64 duration.
 */
#define FUNNEL_SUMMARY_VERSION	1
#define FUNNEL_NBUCKETS			2208

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
#define FUNNEL_PAIRS(s)		((s)->data + 2 * (s)->nsteps - 1)

/* Aggregation state (internal): dense histograms, allocated when needed */
typedef struct FunnelAgg
{
	int32		nsteps;
	int64		entities;
	int64	   *reached;		/* [nsteps] */
	int64	  **hist;			/* [nsteps - 1], each NULL or [FUNNEL_NBUCKETS] */
} FunnelAgg;

PG_FUNCTION_INFO_V1(funnel_summary_in);
PG_FUNCTION_INFO_V1(funnel_summary_out);
PG_FUNCTION_INFO_V1(funnel_summary_recv);
PG_FUNCTION_INFO_V1(funnel_summary_send);
PG_FUNCTION_INFO_V1(funnel_agg_path_accum);
PG_FUNCTION_INFO_V1(funnel_agg_level_accum);
PG_FUNCTION_INFO_V1(funnel_agg_summary_accum);
PG_FUNCTION_INFO_V1(funnel_agg_combine);
PG_FUNCTION_INFO_V1(funnel_agg_serialize);
PG_FUNCTION_INFO_V1(funnel_agg_deserialize);
PG_FUNCTION_INFO_V1(funnel_agg_final);
PG_FUNCTION_INFO_V1(funnel_entities);
PG_FUNCTION_INFO_V1(funnel_reached);
PG_FUNCTION_INFO_V1(funnel_conversion);
PG_FUNCTION_INFO_V1(funnel_median_time);
PG_FUNCTION_INFO_V1(funnel_steps);

/* Bucket 0 holds zero durations; bucket i >= 1 is sketch key i - 1 */
static int
FunnelBucket(int64 us)
{
	Assert(us >= 0);
	return us == 0 ? 0 : 1 + KpiSketchKey((double) us);
}

static double
FunnelBucketValue(int i)
{
	return i == 0 ? 0.0 : KpiSketchValue(i - 1);
}

static void
FunnelCountOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("funnel_summary count overflows")));
}

static FunnelAgg *
FunnelAggCreate(int32 nsteps)
{
	FunnelAgg  *agg = palloc0(sizeof(FunnelAgg));

	FunnelCheckSteps(nsteps);
	agg->nsteps = nsteps;
	agg->reached = palloc0(sizeof(int64) * nsteps);
	agg->hist = palloc0(sizeof(int64 *) * nsteps);
	return agg;
}

static void
FunnelAggAddTime(FunnelAgg *agg, int t, int bucket, int64 count)
{
	if (agg->hist[t] == NULL)
		agg->hist[t] = MemoryContextAllocZero(GetMemoryChunkContext(agg),
											  sizeof(int64) * FUNNEL_NBUCKETS);
	if (pg_add_s64_overflow(agg->hist[t][bucket], count, &agg->hist[t][bucket]))
		FunnelCountOverflow();
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

static void
FunnelCheckSameSteps(int32 a, int32 b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge funnel summaries with %d and %d steps", a, b)));
}

/* Why the counts of a summary are inconsistent, or NULL */
static const char *
FunnelSummaryError(const FunnelSummary *s)
{
	const int64 *reached = FUNNEL_REACHED(s);
	const int64 *nb = FUNNEL_NBUCKETS_OF(s);
	const int64 *pair = FUNNEL_PAIRS(s);
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

		if (nb[k] < 0 || nb[k] > FUNNEL_NBUCKETS || used + nb[k] > s->npairs)
			return "The bucket counts do not match the pairs.";
		for (j = 0; j < nb[k]; j++, pair += 2)
		{
			if (pair[0] <= last || pair[0] >= FUNNEL_NBUCKETS)
				return "Buckets must be increasing integers from 0 to 2207.";
			if (pair[1] <= 0 || pg_add_s64_overflow(total, pair[1], &total))
				return "Bucket counts must be positive.";
			last = pair[0];
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

/* The summary of an aggregation state, in the current memory context */
static FunnelSummary *
FunnelAggFlatten(const FunnelAgg *agg)
{
	int64		npairs = 0;
	FunnelSummary *s;
	int64	   *pair;
	Size		size;
	int			k,
				i;

	for (k = 0; k < agg->nsteps - 1; k++)
		if (agg->hist[k])
			for (i = 0; i < FUNNEL_NBUCKETS; i++)
				npairs += agg->hist[k][i] != 0;
	size = FUNNEL_SUMMARY_SIZE(agg->nsteps, npairs);
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->version = FUNNEL_SUMMARY_VERSION;
	s->nsteps = agg->nsteps;
	s->npairs = (int32) npairs;
	s->entities = agg->entities;
	memcpy(FUNNEL_REACHED(s), agg->reached, sizeof(int64) * agg->nsteps);
	pair = FUNNEL_PAIRS(s);
	for (k = 0; k < agg->nsteps - 1; k++)
	{
		int64		n = 0;

		if (agg->hist[k])
			for (i = 0; i < FUNNEL_NBUCKETS; i++)
				if (agg->hist[k][i] != 0)
				{
					*pair++ = i;
					*pair++ = agg->hist[k][i];
					n++;
				}
		FUNNEL_NBUCKETS_OF(s)[k] = n;
	}
	return s;
}

/* agg += s; agg NULL creates it */
static FunnelAgg *
FunnelAggMerge(FunnelAgg *agg, const FunnelSummary *s)
{
	const int64 *pair = FUNNEL_PAIRS(s);
	int			k;

	if (agg == NULL)
		agg = FunnelAggCreate(s->nsteps);
	FunnelCheckSameSteps(agg->nsteps, s->nsteps);
	if (pg_add_s64_overflow(agg->entities, s->entities, &agg->entities))
		FunnelCountOverflow();
	for (k = 0; k < s->nsteps; k++)
		agg->reached[k] += FUNNEL_REACHED(s)[k];	/* <= entities */
	for (k = 0; k < s->nsteps - 1; k++)
	{
		int64		j;

		for (j = 0; j < FUNNEL_NBUCKETS_OF(s)[k]; j++, pair += 2)
			FunnelAggAddTime(agg, k, (int) pair[0], pair[1]);
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
 */

static FunnelSummary *
FunnelSummaryParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		nsteps,
				entities;
	FunnelAgg  *agg;
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
	agg = FunnelAggCreate((int32) nsteps);
	agg->entities = entities;
	if (!KpiScanInt64List(&scan, agg->reached, nsteps))
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
		int64		last = -1;
		bool		first = true;

		if ((k > 0 && !KpiScanToken(&scan, ",")) || !KpiScanToken(&scan, "["))
		{
			*problem = "Expected a list of [bucket,count] pairs for each pair of consecutive steps.";
			return NULL;
		}
		while (!KpiScanToken(&scan, "]"))
		{
			int64		bucket,
						count;

			if ((!first && !KpiScanToken(&scan, ",")) || !KpiScanToken(&scan, "[") ||
				!KpiScanInt64(&scan, &bucket) || !KpiScanToken(&scan, ",") ||
				!KpiScanInt64(&scan, &count) || !KpiScanToken(&scan, "]"))
			{
				*problem = "Expected [bucket,count] pairs of integers.";
				return NULL;
			}
			if (bucket <= last || bucket >= FUNNEL_NBUCKETS || count <= 0)
			{
				*problem = "Buckets must be increasing integers from 0 to 2207, with positive counts.";
				return NULL;
			}
			FunnelAggAddTime(agg, (int) k, (int) bucket, count);
			last = bucket;
			first = false;
		}
	}
	if (!KpiScanToken(&scan, "]") || !KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
	{
		*problem = "Expected N - 1 lists of pairs, a closing } and nothing after it.";
		return NULL;
	}
	{
		FunnelSummary *s = FunnelAggFlatten(agg);

		if ((*problem = FunnelSummaryError(s)) != NULL)
			return NULL;
		return s;
	}
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
	const int64 *pair = FUNNEL_PAIRS(s);
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

		appendStringInfoString(&buf, k > 0 ? ",[" : "[");
		for (j = 0; j < FUNNEL_NBUCKETS_OF(s)[k]; j++, pair += 2)
			appendStringInfo(&buf, j > 0 ? ",[" INT64_FORMAT "," INT64_FORMAT "]" : "[" INT64_FORMAT "," INT64_FORMAT "]",
							 pair[0], pair[1]);
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
	FunnelAgg  *agg;
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
	agg = FunnelAggCreate(nsteps);
	agg->entities = pq_getmsgint64(buf);
	for (k = 0; k < nsteps; k++)
		agg->reached[k] = pq_getmsgint64(buf);
	for (k = 0; k < nsteps - 1; k++)
	{
		int32		nb,
					j,
					last = -1;

		if (buf->len - buf->cursor < 4)
			FunnelBinaryError("too short");
		nb = pq_getmsgint(buf, 4);
		if (nb < 0 || nb > FUNNEL_NBUCKETS || buf->len - buf->cursor < 12 * nb)
			FunnelBinaryError("bad number of buckets");
		for (j = 0; j < nb; j++)
		{
			int32		bucket = pq_getmsgint(buf, 4);
			int64		count = pq_getmsgint64(buf);

			if (bucket <= last || bucket >= FUNNEL_NBUCKETS || count <= 0)
				FunnelBinaryError("buckets must be increasing, with positive counts");
			FunnelAggAddTime(agg, k, bucket, count);
			last = bucket;
		}
	}
	if (buf->cursor != buf->len)
		FunnelBinaryError("trailing bytes");
	s = FunnelAggFlatten(agg);
	if ((problem = FunnelSummaryError(s)) != NULL)
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
	const int64 *pair = FUNNEL_PAIRS(s);
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

		pq_sendint32(&buf, (int32) FUNNEL_NBUCKETS_OF(s)[k]);
		for (j = 0; j < FUNNEL_NBUCKETS_OF(s)[k]; j++, pair += 2)
		{
			pq_sendint32(&buf, (int32) pair[0]);
			pq_sendint64(&buf, pair[1]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/* Aggregate support of funnel_agg and rollup(funnel_summary) */

static FunnelAgg *
FunnelAggState(FunctionCallInfo fcinfo, MemoryContext *aggcontext)
{
	if (!AggCheckCallContext(fcinfo, aggcontext))
		elog(ERROR, "funnel aggregate called in non-aggregate context");
	return PG_ARGISNULL(0) ? NULL : (FunnelAgg *) PG_GETARG_POINTER(0);
}

/*
 * funnel_agg_path_accum(state, path timestamptz[]): one entity's path as
 * funnel_path returns it: the timestamps of the steps reached, then NULLs.
 */
Datum
funnel_agg_path_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	FunnelAgg  *agg = FunnelAggState(fcinfo, &aggcontext);
	ArrayType  *path;
	const TimestampTz *ts;
	const bits8 *nulls;
	int			nsteps,
				level,
				k;

	if (PG_ARGISNULL(1))
		FUNNEL_RETURN_STATE(agg);
	path = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(path) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a funnel path must be a one-dimensional array")));
	nsteps = ARR_DIMS(path)[0];
	if (agg == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		agg = FunnelAggCreate(nsteps);
		MemoryContextSwitchTo(old);
	}
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
	for (k = 1; k < level; k++)
	{
		if (TIMESTAMP_NOT_FINITE(ts[k]) || TIMESTAMP_NOT_FINITE(ts[k - 1]) ||
			ts[k] < ts[k - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel path step %d at %s is not at or after step %d at %s",
							k + 1, pstrdup(timestamptz_to_str(ts[k])), k,
							timestamptz_to_str(ts[k - 1]))));
	}
	FunnelAggAddEntity(agg, level);
	for (k = 1; k < level; k++)
		FunnelAggAddTime(agg, k - 1, FunnelBucket(ts[k] - ts[k - 1]), 1);
	FUNNEL_RETURN_STATE(agg);
}

/* funnel_agg_level_accum(state, level integer, steps integer): counts only */
Datum
funnel_agg_level_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	FunnelAgg  *agg = FunnelAggState(fcinfo, &aggcontext);
	int32		level,
				nsteps;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the number of funnel steps must not be null")));
	if (PG_ARGISNULL(1))
		FUNNEL_RETURN_STATE(agg);
	level = PG_GETARG_INT32(1);
	nsteps = PG_GETARG_INT32(2);
	if (agg == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		agg = FunnelAggCreate(nsteps);
		MemoryContextSwitchTo(old);
	}
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
	FUNNEL_RETURN_STATE(agg);
}

/* funnel_agg_summary_accum(state, funnel_summary): rollup's transition */
Datum
funnel_agg_summary_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	FunnelAgg  *agg = FunnelAggState(fcinfo, &aggcontext);
	FunnelSummary *s;
	MemoryContext old;

	if (PG_ARGISNULL(1))
		FUNNEL_RETURN_STATE(agg);
	s = FunnelSummaryGetArg(fcinfo, 1);
	old = MemoryContextSwitchTo(aggcontext);
	agg = FunnelAggMerge(agg, s);
	MemoryContextSwitchTo(old);
	FUNNEL_RETURN_STATE(agg);
}

Datum
funnel_agg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	FunnelAgg  *a = FunnelAggState(fcinfo, &aggcontext);
	FunnelAgg  *b = PG_ARGISNULL(1) ? NULL : (FunnelAgg *) PG_GETARG_POINTER(1);
	MemoryContext old;
	int			k,
				i;

	if (b == NULL)
		FUNNEL_RETURN_STATE(a);
	old = MemoryContextSwitchTo(aggcontext);
	if (a == NULL)
		a = FunnelAggCreate(b->nsteps);
	FunnelCheckSameSteps(a->nsteps, b->nsteps);
	if (pg_add_s64_overflow(a->entities, b->entities, &a->entities))
		FunnelCountOverflow();
	for (k = 0; k < a->nsteps; k++)
		a->reached[k] += b->reached[k];
	for (k = 0; k < a->nsteps - 1; k++)
		if (b->hist[k])
			for (i = 0; i < FUNNEL_NBUCKETS; i++)
				if (b->hist[k][i])
					FunnelAggAddTime(a, k, i, b->hist[k][i]);
	MemoryContextSwitchTo(old);
	FUNNEL_RETURN_STATE(a);
}

/* Parallel workers ship the state as a funnel_summary (its own format) */
Datum
funnel_agg_serialize(PG_FUNCTION_ARGS)
{
	FunnelAgg  *agg = (FunnelAgg *) PG_GETARG_POINTER(0);

	PG_RETURN_BYTEA_P((bytea *) FunnelAggFlatten(agg));
}

Datum
funnel_agg_deserialize(PG_FUNCTION_ARGS)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "funnel_agg_deserialize called in non-aggregate context");
	PG_RETURN_POINTER(FunnelAggMerge(NULL, FunnelSummaryGetArg(fcinfo, 0)));
}

Datum
funnel_agg_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(FunnelAggFlatten((FunnelAgg *) PG_GETARG_POINTER(0)));
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
	const int64 *pair = FUNNEL_PAIRS(s);
	int64		n = 0,
				rank,
				cum = 0,
				j;
	int			k;

	Assert(step >= 2 && step <= s->nsteps);
	for (k = 0; k < step - 2; k++)
		pair += 2 * FUNNEL_NBUCKETS_OF(s)[k];
	for (j = 0; j < FUNNEL_NBUCKETS_OF(s)[step - 2]; j++)
		n += pair[2 * j + 1];
	if (n == 0)
		return false;
	rank = (n + 1) / 2;
	for (j = 0;; j++)
	{
		cum += pair[2 * j + 1];
		if (cum >= rank)
			break;
	}
	*us = FunnelBucketValue((int) pair[2 * j]);
	return true;
}

static Datum
FunnelIntervalDatum(double us)
{
	Interval   *result = palloc0(sizeof(Interval));

	result->time = (int64) rint(us);
	return IntervalPGetDatum(result);
}

Datum
funnel_entities(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(FunnelSummaryGetArg(fcinfo, 0)->entities);
}

/* reached(s, step): entities that reached at least that step */
Datum
funnel_reached(PG_FUNCTION_ARGS)
{
	FunnelSummary *s = FunnelSummaryGetArg(fcinfo, 0);

	PG_RETURN_INT64(FunnelReachedOf(s, FunnelStepArg(fcinfo, s, 1)));
}

/*
 * funnel_conversion(s, from_step, to_step): the entities that reached
 * to_step (default: the last) out of those that reached from_step (default
 * 1; 0 = all entities), as a proportion_summary for rate(), rate_ci() and
 * proportion_compare().
 */
Datum
funnel_conversion(PG_FUNCTION_ARGS)
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

/* median_time(s, step): median time from step - 1 to step; NULL if none */
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
