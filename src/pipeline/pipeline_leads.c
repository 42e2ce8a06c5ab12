/*-------------------------------------------------------------------------
 *
 * pipeline_leads.c
 *	  Lead-side KPIs, "leads at what effort": lead_summary, the mergeable
 *	  summary of leads of one source (channel, campaign, period): how many
 *	  became opportunities and how many of those were won, how fast they
 *	  got a first response (speed to lead), and how many activities the
 *	  deals took.  doc/pipeline.md, "Lead KPIs".
 *
 * A summary holds six counts and two distributions, each a sorted list of
 * (value, count) pairs: the response times in microseconds of the leads
 * with a first response, and the activity counts of the opportunities.  A
 * distribution is exact while it has at most LEAD_MAX_EXACT distinct
 * values, and so are its median and quantiles (percentile_cont's); past
 * that its values become the representatives of 1 %-relative-error buckets
 * (KpiSketchKey, the sketch of pipeline_summary), so quantiles stay within
 * 1 %.  Two summaries merge by adding counts and merging the lists.
 *
 * lead_agg's state is a lead_summary kept as an expanded object (pattern (b)
 * of doc/conventions.md): the lists, and a buffer of values not yet sorted
 * into them, compacted every LEAD_BATCH values, so a row costs an append;
 * it is flattened (compacted first) only when a flat value is needed.
 * rollup(lead_summary) and the combine function merge flat summaries.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#define LEAD_FORMAT_VERSION	1
#define LEAD_MAX_EXACT		10000	/* distinct values kept exactly */
#define LEAD_BATCH			4096	/* values buffered before a compaction */

#define LEAD_SPEED			0	/* response times, microseconds */
#define LEAD_ACTIVITY		1	/* activities per opportunity */
#define LEAD_NDISTS			2

/* Counts, in text and binary order */
#define LEAD_LEADS			0
#define LEAD_OPPORTUNITIES	1
#define LEAD_WINS			2
#define LEAD_RESPONDED		3
#define LEAD_ACTIVITY_DEALS	4
#define LEAD_ACTIVITY_SUM	5
#define LEAD_NCOUNTS		6

static const char *const LeadCountNames[LEAD_NCOUNTS] = {
	"leads", "opportunities", "wins", "responded", "activity_deals", "activity_sum"
};
static const char *const LeadDistNames[LEAD_NDISTS] = {"speed_to_lead", "activities"};

/* A distribution being built: sorted pairs, and unsorted values pending */
typedef struct LeadDist
{
	bool		sketched;
	int32		npairs;
	int32		cpairs;
	double	   *values;
	int64	   *counts;
	int32		npending;
	double	   *pending;		/* LEAD_BATCH values, once one is added */
} LeadDist;

/*
 * A summary being built: an expanded object (hdr) while it is an aggregate's
 * state, else a plain struct (hdr unused) for input, output and merges
 */
typedef struct LeadState
{
	ExpandedObjectHeader hdr;
	MemoryContext cxt;			/* of its arrays */
	int64		counts[LEAD_NCOUNTS];
	LeadDist	dists[LEAD_NDISTS];
} LeadState;

/*
 * The stored form: a header, then per distribution npairs[i] values
 * (float8) and npairs[i] counts (int64).  The text and binary forms do not
 * depend on it.
 */
typedef struct LeadSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* LEAD_FORMAT_VERSION */
	uint8		sketched;		/* bit i: distribution i is sketched */
	int16		reserved;		/* zero */
	int32		npairs[LEAD_NDISTS];
	int32		reserved2;		/* zero */
	int64		counts[LEAD_NCOUNTS];
	int64		data[FLEXIBLE_ARRAY_MEMBER];
} LeadSummary;

#define LEAD_BYTES(n0, n1) \
	(offsetof(LeadSummary, data) + 16 * ((Size) (n0) + (Size) (n1)))

static inline double *
LeadValues(const LeadSummary *s, int i)
{
	return (double *) (s->data + (i == 0 ? 0 : 2 * (Size) s->npairs[0]));
}

static inline int64 *
LeadCounts(const LeadSummary *s, int i)
{
	return (int64 *) s->data + (i == 0 ? 0 : 2 * (Size) s->npairs[0]) + s->npairs[i];
}

PG_FUNCTION_INFO_V1(lead_summary_in);
PG_FUNCTION_INFO_V1(lead_summary_out);
PG_FUNCTION_INFO_V1(lead_summary_recv);
PG_FUNCTION_INFO_V1(lead_summary_send);
PG_FUNCTION_INFO_V1(lead_summary_accum);
PG_FUNCTION_INFO_V1(lead_summary_combine);
PG_FUNCTION_INFO_V1(lead_leads);
PG_FUNCTION_INFO_V1(lead_opportunities);
PG_FUNCTION_INFO_V1(lead_won_opportunities);
PG_FUNCTION_INFO_V1(lead_responded_leads);
PG_FUNCTION_INFO_V1(lead_lead_to_opportunity);
PG_FUNCTION_INFO_V1(lead_opportunity_to_win);
PG_FUNCTION_INFO_V1(lead_lead_to_win);
PG_FUNCTION_INFO_V1(lead_response_rate);
PG_FUNCTION_INFO_V1(lead_median_speed_to_lead);
PG_FUNCTION_INFO_V1(lead_speed_to_lead_quantile);
PG_FUNCTION_INFO_V1(lead_speed_to_lead_is_exact);
PG_FUNCTION_INFO_V1(lead_average_activities_per_deal);
PG_FUNCTION_INFO_V1(lead_median_activities_per_deal);
PG_FUNCTION_INFO_V1(lead_activities_per_deal_quantile);


static void
LeadOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("lead_summary count overflows")));
}

/* The bucket representative of x >= 0 (0 stays 0) */
static inline double
LeadSketchOf(double x)
{
	return x > 0.0 ? KpiSketchValue(KpiSketchKey(x)) : 0.0;
}


/* Distributions */

static void
LeadDistInit(LeadDist *d)
{
	memset(d, 0, sizeof(*d));
}

static void
LeadDistReserve(LeadDist *d, MemoryContext cxt, int32 n)
{
	int32		c;

	if (n <= d->cpairs)
		return;
	c = Max(Max(16, n), 2 * d->cpairs);
	if (d->values == NULL)
	{
		d->values = MemoryContextAlloc(cxt, sizeof(double) * c);
		d->counts = MemoryContextAlloc(cxt, sizeof(int64) * c);
	}
	else
	{
		d->values = repalloc(d->values, sizeof(double) * c);
		d->counts = repalloc(d->counts, sizeof(int64) * c);
	}
	d->cpairs = c;
}

/*
 * Merges the sorted pairs (values, counts, n) into d's: a new list, built
 * in cxt, adding the counts of equal values
 */
static void
LeadDistMergePairs(LeadDist *d, MemoryContext cxt, const double *values,
				   const int64 *counts, int32 n)
{
	double	   *mv;
	int64	   *mc;
	int32		i = 0,
				j = 0,
				k = 0,
				cap = d->npairs + n;

	if (n == 0)
		return;
	mv = MemoryContextAlloc(cxt, sizeof(double) * Max(cap, 16));
	mc = MemoryContextAlloc(cxt, sizeof(int64) * Max(cap, 16));
	while (i < d->npairs || j < n)
	{
		if (j >= n || (i < d->npairs && d->values[i] < values[j]))
		{
			mv[k] = d->values[i];
			mc[k++] = d->counts[i++];
		}
		else if (i >= d->npairs || values[j] < d->values[i])
		{
			mv[k] = values[j];
			mc[k++] = counts[j++];
		}
		else
		{
			mv[k] = d->values[i];
			if (unlikely(pg_add_s64_overflow(d->counts[i], counts[j], &mc[k])))
				LeadOverflow();
			k++, i++, j++;
		}
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (d->values != NULL)
	{
		pfree(d->values);
		pfree(d->counts);
	}
	d->values = mv;
	d->counts = mc;
	d->npairs = k;
	d->cpairs = Max(cap, 16);
}

/* Values become bucket representatives; equal ones merge */
static void
LeadDistSketch(LeadDist *d)
{
	int32		i,
				k = 0;

	for (i = 0; i < d->npairs; i++)
	{
		double		v = LeadSketchOf(d->values[i]);

		/* representatives are non-decreasing in the value */
		if (k > 0 && d->values[k - 1] == v)
		{
			if (unlikely(pg_add_s64_overflow(d->counts[k - 1], d->counts[i], &d->counts[k - 1])))
				LeadOverflow();
		}
		else
		{
			d->values[k] = v;
			d->counts[k++] = d->counts[i];
		}
	}
	d->npairs = k;
	d->sketched = true;
}

/* Sorts the pending values into the pairs */
static void
LeadDistCompact(LeadDist *d, MemoryContext cxt)
{
	double	   *p = d->pending;
	int32		n = d->npending,
				i,
				k = 0;
	int64	   *runs;

	if (n == 0)
		return;
	if (d->sketched)
		for (i = 0; i < n; i++)
			p[i] = LeadSketchOf(p[i]);
	qsort(p, n, sizeof(double), KpiCompareDoubles);
	/* scratch in the state's context: a flatten may run in a bump context */
	runs = MemoryContextAlloc(cxt, sizeof(int64) * n);
	for (i = 0; i < n; i++)
	{
		if (k > 0 && p[k - 1] == p[i])
			runs[k - 1]++;
		else
		{
			p[k] = p[i];
			runs[k++] = 1;
		}
	}
	d->npending = 0;
	LeadDistMergePairs(d, cxt, p, runs, k);
	pfree(runs);
	if (!d->sketched && d->npairs > LEAD_MAX_EXACT)
		LeadDistSketch(d);
}

static void
LeadDistAdd(LeadDist *d, MemoryContext cxt, double x)
{
	if (unlikely(d->pending == NULL))
		d->pending = MemoryContextAlloc(cxt, sizeof(double) * LEAD_BATCH);
	d->pending[d->npending++] = x;
	if (d->npending == LEAD_BATCH)
		LeadDistCompact(d, cxt);
}

/* a += b, both compacted */
static void
LeadDistMerge(LeadDist *a, MemoryContext cxt, LeadDist *b)
{
	if (a->sketched && !b->sketched)
		LeadDistSketch(b);
	else if (b->sketched && !a->sketched)
		LeadDistSketch(a);
	LeadDistMergePairs(a, cxt, b->values, b->counts, b->npairs);
	if (!a->sketched && a->npairs > LEAD_MAX_EXACT)
		LeadDistSketch(a);
}

/* An empty plain state in cxt */
static LeadState *
LeadStateCreate(MemoryContext cxt)
{
	LeadState  *st = MemoryContextAllocZero(cxt, sizeof(LeadState));
	int			i;

	st->cxt = cxt;
	for (i = 0; i < LEAD_NDISTS; i++)
		LeadDistInit(&st->dists[i]);
	return st;
}

static void
LeadStateCompact(LeadState *st)
{
	int			i;

	for (i = 0; i < LEAD_NDISTS; i++)
		LeadDistCompact(&st->dists[i], st->cxt);
}

/* a += b */
static void
LeadStateMerge(LeadState *a, LeadState *b)
{
	int			i;

	for (i = 0; i < LEAD_NCOUNTS; i++)
		if (unlikely(pg_add_s64_overflow(a->counts[i], b->counts[i], &a->counts[i])))
			LeadOverflow();
	LeadStateCompact(a);
	LeadStateCompact(b);
	for (i = 0; i < LEAD_NDISTS; i++)
		LeadDistMerge(&a->dists[i], a->cxt, &b->dists[i]);
}


/*
 * Validation: why counts and pairs are not a summary this code writes, or
 * NULL.  Each distribution: strictly increasing finite values >= 0 (never
 * -0), positive counts adding up to its records (responded leads;
 * opportunities with activities), at most LEAD_MAX_EXACT pairs when exact,
 * bucket representatives when sketched; activities whole numbers.
 */
static const char *
LeadError(const int64 *counts, const double *const *values, const int64 *const *pcounts,
		  const int32 *npairs, const bool *sketched)
{
	int			i;

	for (i = 0; i < LEAD_NCOUNTS; i++)
		if (counts[i] < 0)
			return "Counts must not be negative.";
	if (counts[LEAD_OPPORTUNITIES] > counts[LEAD_LEADS] ||
		counts[LEAD_WINS] > counts[LEAD_OPPORTUNITIES] ||
		counts[LEAD_RESPONDED] > counts[LEAD_LEADS] ||
		counts[LEAD_ACTIVITY_DEALS] > counts[LEAD_OPPORTUNITIES])
		return "wins <= opportunities <= leads, responded <= leads, activity_deals <= opportunities.";
	for (i = 0; i < LEAD_NDISTS; i++)
	{
		int64		total = 0;
		int32		j;

		if (npairs[i] < 0 || (!sketched[i] && npairs[i] > LEAD_MAX_EXACT))
			return "An exact distribution has at most 10000 values.";
		for (j = 0; j < npairs[i]; j++)
		{
			double		v = values[i][j];

			if (!isfinite(v) || v < 0.0 || (v == 0.0 && signbit(v)) ||
				(j > 0 && !(v > values[i][j - 1])))
				return "Values must be finite, at least 0 and strictly increasing.";
			if (sketched[i] && v != LeadSketchOf(v))
				return "A sketched value must be a bucket representative.";
			if (!sketched[i] && i == LEAD_ACTIVITY && v != floor(v))
				return "Activity counts must be whole numbers.";
			if (pcounts[i][j] <= 0 || pg_add_s64_overflow(total, pcounts[i][j], &total))
				return "Counts of values must be positive and add up within bigint.";
		}
		if (total != counts[i == LEAD_SPEED ? LEAD_RESPONDED : LEAD_ACTIVITY_DEALS])
			return "A distribution must count exactly its records (responded, activity_deals).";
		if (i == LEAD_ACTIVITY && !sketched[i])
		{
			int64		sum = 0,
						term;

			/* whole activity counts below 2^31: exact as doubles */
			for (j = 0; j < npairs[i]; j++)
				if (values[i][j] > (double) PG_INT32_MAX ||
					pg_mul_s64_overflow((int64) values[i][j], pcounts[i][j], &term) ||
					pg_add_s64_overflow(sum, term, &sum))
					return "Activity counts must be below 2^31 and add up within bigint.";
			if (sum != counts[LEAD_ACTIVITY_SUM])
				return "activity_sum must be the sum of the exact activity counts.";
		}
	}
	return NULL;
}

static const char *
LeadSummaryError(const LeadSummary *s)
{
	const double *values[LEAD_NDISTS] = {LeadValues(s, 0), LeadValues(s, 1)};
	const int64 *counts[LEAD_NDISTS] = {LeadCounts(s, 0), LeadCounts(s, 1)};
	bool		sketched[LEAD_NDISTS] = {(s->sketched & 1) != 0, (s->sketched & 2) != 0};

	if (s->sketched & ~3)
		return "Unknown flags.";
	return LeadError(s->counts, values, counts, s->npairs, sketched);
}

static bool
LeadValid(const void *value, bool full)
{
	const LeadSummary *s = value;

	if (VARSIZE(s) < LEAD_BYTES(0, 0) || s->version != LEAD_FORMAT_VERSION ||
		s->npairs[0] < 0 || s->npairs[1] < 0 || s->npairs[0] > (int32) (MaxAllocSize / 16) ||
		s->npairs[1] > (int32) (MaxAllocSize / 16) ||
		VARSIZE(s) != LEAD_BYTES(s->npairs[0], s->npairs[1]))
		return false;
	return !full || LeadSummaryError(s) == NULL;
}

static const KpiSummaryType LeadType = {"lead_summary", -1, LeadValid};

#define LeadGetArg(fcinfo, argno) \
	((LeadSummary *) KpiSummaryArg(fcinfo, argno, &LeadType))

/* The size of the stored form of a state, compacted first */
static Size
LeadFlatSizeOf(LeadState *st)
{
	LeadStateCompact(st);
	return LEAD_BYTES(st->dists[0].npairs, st->dists[1].npairs);
}

/* Writes the stored form of a compacted state into s (LeadFlatSizeOf bytes) */
static void
LeadWriteFlat(LeadState *st, LeadSummary *s)
{
	int			i;

	memset(s, 0, LEAD_BYTES(st->dists[0].npairs, st->dists[1].npairs));
	SET_VARSIZE(s, LEAD_BYTES(st->dists[0].npairs, st->dists[1].npairs));
	s->version = LEAD_FORMAT_VERSION;
	memcpy(s->counts, st->counts, sizeof(s->counts));
	for (i = 0; i < LEAD_NDISTS; i++)
	{
		s->npairs[i] = st->dists[i].npairs;
		s->sketched |= st->dists[i].sketched ? (1 << i) : 0;
	}
	for (i = 0; i < LEAD_NDISTS; i++)
	{
		if (s->npairs[i] == 0)
			continue;			/* the state may have no arrays */
		memcpy(LeadValues(s, i), st->dists[i].values, sizeof(double) * s->npairs[i]);
		memcpy(LeadCounts(s, i), st->dists[i].counts, sizeof(int64) * s->npairs[i]);
	}
	KpiCheckProduced(LeadType.name, LeadSummaryError(s));
}

/* The stored form of a state, in the current memory context */
static LeadSummary *
LeadFlatten(LeadState *st)
{
	LeadSummary *s = palloc(LeadFlatSizeOf(st));

	LeadWriteFlat(st, s);
	return s;
}

/* Loads a stored summary into an empty state */
static void
LeadLoad(LeadState *st, const LeadSummary *s)
{
	MemoryContext cxt = st->cxt;
	int			i;

	memcpy(st->counts, s->counts, sizeof(st->counts));
	for (i = 0; i < LEAD_NDISTS; i++)
	{
		LeadDist   *d = &st->dists[i];

		d->sketched = (s->sketched & (1 << i)) != 0;
		if (s->npairs[i] == 0)
			continue;
		LeadDistReserve(d, cxt, s->npairs[i]);
		memcpy(d->values, LeadValues(s, i), sizeof(double) * s->npairs[i]);
		memcpy(d->counts, LeadCounts(s, i), sizeof(int64) * s->npairs[i]);
		d->npairs = s->npairs[i];
	}
}

/* A plain state (in cxt) holding a stored summary */
static LeadState *
LeadUnflatten(const LeadSummary *s, MemoryContext cxt)
{
	LeadState  *st = LeadStateCreate(cxt);

	LeadLoad(st, s);
	return st;
}

/* The expanded-object methods of an aggregate's state */
static Size
LeadEohFlatSize(ExpandedObjectHeader *eoh)
{
	return LeadFlatSizeOf((LeadState *) eoh);
}

static void
LeadEohFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size)
{
	LeadState  *st = (LeadState *) eoh;

	Assert(size == LeadFlatSizeOf(st));
	LeadWriteFlat(st, (LeadSummary *) result);
}

static const ExpandedObjectMethods LeadMethods = {
	LeadEohFlatSize,
	LeadEohFlattenInto
};


/*
 * Text and binary I/O
 *
 * Text (valid JSON):
 *   {"version":1,"leads":n,"opportunities":n,"wins":n,"responded":n,
 *    "activity_deals":n,"activity_sum":n,
 *    "speed_to_lead":{"sketched":false,"values":[[v,c],...]},
 *    "activities":{"sketched":false,"values":[[v,c],...]}}
 * speed_to_lead values in microseconds.  Binary: int8 version, the six
 * counts as int64, then per distribution int8 sketched, int32 pairs and
 * (float8 value, int64 count) per pair.  Both forms are read into a state,
 * validated, then flattened.
 */

static bool
LeadScanBool(KpiScanner *scan, bool *result)
{
	if (KpiScanToken(scan, "true"))
		*result = true;
	else if (KpiScanToken(scan, "false"))
		*result = false;
	else
		return false;
	return true;
}

/* The state's validation, as LeadError reads it */
static const char *
LeadStateError(LeadState *st)
{
	const double *values[LEAD_NDISTS] = {st->dists[0].values, st->dists[1].values};
	const int64 *counts[LEAD_NDISTS] = {st->dists[0].counts, st->dists[1].counts};
	int32		npairs[LEAD_NDISTS] = {st->dists[0].npairs, st->dists[1].npairs};
	bool		sketched[LEAD_NDISTS] = {st->dists[0].sketched, st->dists[1].sketched};

	return LeadError(st->counts, values, counts, npairs, sketched);
}

static LeadSummary *
LeadParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	LeadState  *st = LeadStateCreate(CurrentMemoryContext);
	int			i;

	*problem = "Expected {\"version\":1,\"leads\":n,\"opportunities\":n,\"wins\":n,\"responded\":n,\"activity_deals\":n,\"activity_sum\":n,\"speed_to_lead\":{\"sketched\":b,\"values\":[[v,c],...]},\"activities\":{...}}.";
	if (!KpiScanVersion(&scan, LEAD_FORMAT_VERSION, problem))
		return NULL;
	for (i = 0; i < LEAD_NCOUNTS; i++)
		if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, LeadCountNames[i]) ||
			!KpiScanInt64(&scan, &st->counts[i]))
			return NULL;
	for (i = 0; i < LEAD_NDISTS; i++)
	{
		LeadDist   *d = &st->dists[i];

		if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, LeadDistNames[i]) ||
			!KpiScanToken(&scan, "{") || !KpiScanKey(&scan, "sketched") ||
			!LeadScanBool(&scan, &d->sketched) || !KpiScanToken(&scan, ",") ||
			!KpiScanKey(&scan, "values") || !KpiScanToken(&scan, "["))
			return NULL;
		if (!KpiScanToken(&scan, "]"))
		{
			do
			{
				if (d->npairs >= (int32) (MaxAllocSize / 16))
					return NULL;
				LeadDistReserve(d, CurrentMemoryContext, d->npairs + 1);
				if (!KpiScanToken(&scan, "[") || !KpiScanFloat8(&scan, &d->values[d->npairs]) ||
					!KpiScanToken(&scan, ",") || !KpiScanInt64(&scan, &d->counts[d->npairs]) ||
					!KpiScanToken(&scan, "]"))
					return NULL;
				d->npairs++;
				if ((d->npairs & 0xFFFF) == 0)
					CHECK_FOR_INTERRUPTS();
			} while (KpiScanToken(&scan, ","));
			if (!KpiScanToken(&scan, "]"))
				return NULL;
		}
		if (!KpiScanToken(&scan, "}"))
			return NULL;
	}
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	if ((*problem = LeadStateError(st)) != NULL)
		return NULL;
	return LeadFlatten(st);
}

Datum
lead_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	LeadSummary *s = LeadParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, LeadType.name, str, problem);
	PG_RETURN_POINTER(s);
}

Datum
lead_summary_out(PG_FUNCTION_ARGS)
{
	LeadSummary *s = LeadGetArg(fcinfo, 0);
	StringInfoData buf;
	int			i;
	int32		j;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d", s->version);
	for (i = 0; i < LEAD_NCOUNTS; i++)
		appendStringInfo(&buf, ",\"%s\":" INT64_FORMAT, LeadCountNames[i], s->counts[i]);
	for (i = 0; i < LEAD_NDISTS; i++)
	{
		appendStringInfo(&buf, ",\"%s\":{\"sketched\":%s,\"values\":[", LeadDistNames[i],
						 (s->sketched & (1 << i)) ? "true" : "false");
		for (j = 0; j < s->npairs[i]; j++)
		{
			appendStringInfoString(&buf, j > 0 ? ",[" : "[");
			KpiAppendFloat8(&buf, LeadValues(s, i)[j]);
			appendStringInfo(&buf, "," INT64_FORMAT "]", LeadCounts(s, i)[j]);
		}
		appendStringInfoString(&buf, "]}");
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

static void
LeadSend(StringInfo buf, int version, const int64 *counts, LeadDist *dists)
{
	int			i;
	int32		j;

	KpiSendVersion(buf, version);
	for (i = 0; i < LEAD_NCOUNTS; i++)
		pq_sendint64(buf, counts[i]);
	for (i = 0; i < LEAD_NDISTS; i++)
	{
		pq_sendint8(buf, dists[i].sketched ? 1 : 0);
		pq_sendint32(buf, dists[i].npairs);
		for (j = 0; j < dists[i].npairs; j++)
		{
			pq_sendfloat8(buf, dists[i].values[j]);
			pq_sendint64(buf, dists[i].counts[j]);
		}
	}
}

/* Reads the binary form (after the version byte) into a state in cxt */
static LeadState *
LeadRecv(StringInfo buf, const char *name, MemoryContext cxt)
{
	LeadState  *st = LeadStateCreate(cxt);
	const char *problem;
	int			i;
	int32		j;

	KpiRecvNeed(buf, name, 8 * LEAD_NCOUNTS, false);
	for (i = 0; i < LEAD_NCOUNTS; i++)
		st->counts[i] = pq_getmsgint64(buf);
	for (i = 0; i < LEAD_NDISTS; i++)
	{
		LeadDist   *d = &st->dists[i];
		int			flag;
		int32		n;

		KpiRecvNeed(buf, name, 1, false);
		flag = pq_getmsgint(buf, 1);
		if (flag != 0 && flag != 1)
			KpiBinaryInputError(name, "The sketched flag must be 0 or 1.");
		d->sketched = flag == 1;
		n = (int32) KpiRecvCount(buf, name, 4, MaxAllocSize / 16, 16);
		LeadDistReserve(d, cxt, n);
		for (j = 0; j < n; j++)
		{
			d->values[j] = pq_getmsgfloat8(buf);
			d->counts[j] = pq_getmsgint64(buf);
		}
		d->npairs = n;
	}
	KpiRecvEnd(buf, name);
	if ((problem = LeadStateError(st)) != NULL)
		KpiBinaryInputError(name, "%s", problem);
	return st;
}

Datum
lead_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	KpiRecvVersion(buf, LeadType.name, LEAD_FORMAT_VERSION);
	PG_RETURN_POINTER(LeadFlatten(LeadRecv(buf, LeadType.name, CurrentMemoryContext)));
}

Datum
lead_summary_send(PG_FUNCTION_ARGS)
{
	LeadSummary *s = LeadGetArg(fcinfo, 0);
	LeadState  *st = LeadUnflatten(s, CurrentMemoryContext);
	StringInfoData buf;

	LeadSend(&buf, s->version, st->counts, st->dists);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/*
 * lead_summary_accum(state, created_at, first_response_at,
 * became_opportunity, won, activities): one lead, into the aggregate's own
 * expanded state in place, else into an expanded copy of the state given
 * (the INITCOND, a call outside an aggregate).  NULL booleans are false; a
 * response needs both times; activities count for opportunities only, NULL
 * ones not at all.
 */
Datum
lead_summary_accum(PG_FUNCTION_ARGS)
{
	LeadState  *st = (LeadState *) KpiExpandedInPlace(fcinfo, 0, &LeadMethods);
	bool		opportunity = !PG_ARGISNULL(3) && PG_GETARG_BOOL(3);
	bool		won = !PG_ARGISNULL(4) && PG_GETARG_BOOL(4);

	if (st == NULL)
	{
		LeadSummary *given;

		if (PG_ARGISNULL(0))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("lead_summary state must not be null")));
		given = LeadGetArg(fcinfo, 0);
		st = (LeadState *) KpiExpandedCreateState(fcinfo, sizeof(LeadState), &LeadMethods);
		st->cxt = st->hdr.eoh_context;
		LeadLoad(st, given);
	}
	if (won && !opportunity)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a lead won without becoming an opportunity"),
				 errhint("A won lead is an opportunity: pass became_opportunity true for it.")));
	if (unlikely(st->counts[LEAD_LEADS] == PG_INT64_MAX))
		LeadOverflow();
	st->counts[LEAD_LEADS]++;
	st->counts[LEAD_OPPORTUNITIES] += opportunity;
	st->counts[LEAD_WINS] += won;
	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		TimestampTz created = PG_GETARG_TIMESTAMPTZ(1);
		TimestampTz responded = PG_GETARG_TIMESTAMPTZ(2);
		int64		usecs;

		if (responded < created)
		{
			/* timestamptz_to_str returns a static buffer */
			char	   *r = pstrdup(timestamptz_to_str(responded));
			char	   *c = pstrdup(timestamptz_to_str(created));

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("first response at %s precedes the lead's creation at %s", r, c)));
		}
		usecs = KpiTimeDiff(responded, created);
		st->counts[LEAD_RESPONDED]++;
		LeadDistAdd(&st->dists[LEAD_SPEED], st->cxt, (double) usecs);
	}
	if (opportunity && !PG_ARGISNULL(5))
	{
		int32		activities = PG_GETARG_INT32(5);

		if (activities < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("activities %d is negative", activities)));
		st->counts[LEAD_ACTIVITY_DEALS]++;
		if (unlikely(pg_add_s64_overflow(st->counts[LEAD_ACTIVITY_SUM], activities,
										 &st->counts[LEAD_ACTIVITY_SUM])))
			LeadOverflow();
		LeadDistAdd(&st->dists[LEAD_ACTIVITY], st->cxt, (double) activities);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}

/* lead_summary_combine(a, b): a + b, rollup()'s step and combine function */
Datum
lead_summary_combine(PG_FUNCTION_ARGS)
{
	LeadSummary *a = LeadGetArg(fcinfo, 0);
	LeadSummary *b = LeadGetArg(fcinfo, 1);
	LeadState  *sa = LeadUnflatten(a, CurrentMemoryContext);
	LeadState  *sb = LeadUnflatten(b, CurrentMemoryContext);

	LeadStateMerge(sa, sb);
	PG_RETURN_POINTER(LeadFlatten(sa));
}


/* Accessors */

Datum
lead_leads(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(LeadGetArg(fcinfo, 0)->counts[LEAD_LEADS]);
}

Datum
lead_opportunities(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(LeadGetArg(fcinfo, 0)->counts[LEAD_OPPORTUNITIES]);
}

Datum
lead_won_opportunities(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(LeadGetArg(fcinfo, 0)->counts[LEAD_WINS]);
}

Datum
lead_responded_leads(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(LeadGetArg(fcinfo, 0)->counts[LEAD_RESPONDED]);
}

Datum
lead_lead_to_opportunity(PG_FUNCTION_ARGS)
{
	LeadSummary *s = LeadGetArg(fcinfo, 0);

	return KpiProportionDatum(s->counts[LEAD_OPPORTUNITIES], s->counts[LEAD_LEADS]);
}

Datum
lead_opportunity_to_win(PG_FUNCTION_ARGS)
{
	LeadSummary *s = LeadGetArg(fcinfo, 0);

	return KpiProportionDatum(s->counts[LEAD_WINS], s->counts[LEAD_OPPORTUNITIES]);
}

Datum
lead_lead_to_win(PG_FUNCTION_ARGS)
{
	LeadSummary *s = LeadGetArg(fcinfo, 0);

	return KpiProportionDatum(s->counts[LEAD_WINS], s->counts[LEAD_LEADS]);
}

Datum
lead_response_rate(PG_FUNCTION_ARGS)
{
	LeadSummary *s = LeadGetArg(fcinfo, 0);

	return KpiProportionDatum(s->counts[LEAD_RESPONDED], s->counts[LEAD_LEADS]);
}

/*
 * percentile_cont(q) of distribution i, as PostgreSQL computes it: the
 * position q (n - 1), the values at its floor and ceiling, a linear
 * interpolation between them.  False when the distribution is empty.
 */
static bool
LeadQuantile(const LeadSummary *s, int i, double q, double *result)
{
	const double *values = LeadValues(s, i);
	const int64 *counts = LeadCounts(s, i);
	int64		n = s->counts[i == LEAD_SPEED ? LEAD_RESPONDED : LEAD_ACTIVITY_DEALS];
	double		pos,
				lo = 0.0,
				hi = 0.0;
	int64		first,
				second,
				seen = 0;
	int32		j;
	bool		have_lo = false;

	KpiCheckQuantileFraction(q);
	if (n == 0)
		return false;
	pos = q * (double) (n - 1);
	first = (int64) floor(pos);
	second = (int64) ceil(pos);
	for (j = 0; j < s->npairs[i]; j++)
	{
		seen += counts[j];
		if (!have_lo && first < seen)
		{
			lo = values[j];
			have_lo = true;
		}
		if (second < seen)
		{
			hi = values[j];
			break;
		}
	}
	*result = first == second ? lo : lo + (hi - lo) * (pos - (double) first);
	return true;
}

/* microseconds as an interval (days and months zero, as justify_* leaves them to the caller) */
static Datum
LeadInterval(double usecs)
{
	double		r = rint(usecs);

	if (!(r >= 0.0 && r < 9.2e18))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	return KpiIntervalDatum((int64) r);
}

Datum
lead_median_speed_to_lead(PG_FUNCTION_ARGS)
{
	double		v;

	if (!LeadQuantile(LeadGetArg(fcinfo, 0), LEAD_SPEED, 0.5, &v))
		PG_RETURN_NULL();
	return LeadInterval(v);
}

Datum
lead_speed_to_lead_quantile(PG_FUNCTION_ARGS)
{
	double		v;

	if (!LeadQuantile(LeadGetArg(fcinfo, 0), LEAD_SPEED, PG_GETARG_FLOAT8(1), &v))
		PG_RETURN_NULL();
	return LeadInterval(v);
}

Datum
lead_speed_to_lead_is_exact(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL((LeadGetArg(fcinfo, 0)->sketched & 1) == 0);
}

Datum
lead_average_activities_per_deal(PG_FUNCTION_ARGS)
{
	LeadSummary *s = LeadGetArg(fcinfo, 0);

	if (s->counts[LEAD_ACTIVITY_DEALS] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) s->counts[LEAD_ACTIVITY_SUM] / (double) s->counts[LEAD_ACTIVITY_DEALS]);
}

Datum
lead_median_activities_per_deal(PG_FUNCTION_ARGS)
{
	double		v;

	if (!LeadQuantile(LeadGetArg(fcinfo, 0), LEAD_ACTIVITY, 0.5, &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

Datum
lead_activities_per_deal_quantile(PG_FUNCTION_ARGS)
{
	double		v;

	if (!LeadQuantile(LeadGetArg(fcinfo, 0), LEAD_ACTIVITY, PG_GETARG_FLOAT8(1), &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}
