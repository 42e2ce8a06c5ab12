/*-------------------------------------------------------------------------
 *
 * pipeline.c
 *	  Sales pipeline KPIs, pipeline coverage, and new-customer business
 *	  (CAC, payback, LTV:CAC).
 *
 * One summary type, pipeline_summary, is the state of pipeline_agg() over
 * deals (amount, probability, created, closed, outcome): deal counts and
 * compensated money sums per outcome, the summed length of the sales cycles
 * of won deals, and two relative-error sketches (sizes and cycle lengths of
 * won deals) for the medians.  Counts and sums merge by addition and the
 * sketches by adding bucket counts, so summaries roll up across days, teams
 * or parallel workers; every KPI is an accessor.
 *
 * Money sums are float8 with Neumaier compensation (KpiSum): exact numeric
 * sums would cost several times more per row, and the compensated sum of
 * amounts in cents is correct to the cent far beyond any pipeline's size.
 * The sums are not bit-identical across merge orders (a serial and a
 * parallel plan may differ in the last unit of the last place).
 *
 * Medians cannot be exact in a bounded mergeable summary; the sketches are
 * logarithmic histograms (KpiSketchKey, after DDSketch) with 1 % relative
 * accuracy: bucket k holds the values in (gamma^(k-1), gamma^k] and reads
 * back within 1 % of every value in it.  Zeros are counted apart.  Exact medians are one percentile_cont() away (see
 * doc/pipeline.md).
 *
 * Definitions (doc/pipeline.md has the full reference):
 *	win rate		= won / (won + lost), closed deals only
 *	deal size		= amount of won deals
 *	sales cycle		= closed_at - created_at of won deals, in days
 *	velocity		= open deals * win rate * average deal size / average cycle
 *	coverage		= open (or weighted) pipeline / quota
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/float.h"
#include "utils/timestamp.h"

#define PIPELINE_FORMAT_VERSION 1


/*
 * Keys of positive finite doubles: log(DBL_MAX) / log(gamma) < 35500 and
 * log(4.9e-324) / log(gamma) > -37300, so every key lies within +/- 40000.
 */
#define PIPELINE_MAX_KEY	40000

/* A sketch: values equal to zero, and buckets (key, count) sorted by key */
typedef struct PipelineSketchHead
{
	int64		zeros;
	int32		nbuckets;		/* in use */
	int32		capacity;		/* allocated */
} PipelineSketchHead;

#define PIPELINE_SIZE		0	/* sketch of won deal sizes */
#define PIPELINE_CYCLE		1	/* sketch of won deals' cycle lengths */

/*
 * The in-memory and on-disk form.  The text and binary forms are independent
 * of it and never carry the spare capacity of the bucket arrays (which grow
 * by doubling as an aggregate runs).  The buckets are stored as arrays of
 * counts and of keys, so that the binary search of a row's key reads 4-byte
 * keys only (with one summary per group, cache misses dominate).
 */
typedef struct PipelineSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* PIPELINE_FORMAT_VERSION */
	uint8		reserved[3];	/* zero */
	int64		open_deals;
	int64		won_deals;
	int64		lost_deals;
	int64		cycle_deals;	/* won deals with a close date */
	KpiSum		open_amount;
	KpiSum		weighted_amount;	/* open deals' amount * probability */
	KpiSum		won_amount;
	KpiSum		lost_amount;
	KpiSum		cycle_days;		/* won deals' cycle lengths */
	PipelineSketchHead sketch[2];
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* int64 counts of sketch 0,
												 * then of 1; int32 keys of
												 * sketch 0, then of 1 */
} PipelineSummary;

#define PIPELINE_BYTES(cap0, cap1) \
	(offsetof(PipelineSummary, data) + \
	 (sizeof(int64) + sizeof(int32)) * ((Size) (cap0) + (cap1)))

/* The bucket counts of sketch i */
static inline int64 *
SketchCounts(PipelineSummary *s, int i)
{
	return s->data + (i == 0 ? 0 : s->sketch[0].capacity);
}

/* The bucket keys of sketch i */
static inline int32 *
SketchKeys(PipelineSummary *s, int i)
{
	int32	   *keys = (int32 *) (s->data + s->sketch[0].capacity + s->sketch[1].capacity);

	return keys + (i == 0 ? 0 : s->sketch[0].capacity);
}

PG_FUNCTION_INFO_V1(pipeline_summary_in);
PG_FUNCTION_INFO_V1(pipeline_summary_out);
PG_FUNCTION_INFO_V1(pipeline_summary_recv);
PG_FUNCTION_INFO_V1(pipeline_summary_send);
PG_FUNCTION_INFO_V1(pipeline_summary_accum);
KPI_FORMER_SYMBOL(pipeline_accum, pipeline_summary_accum);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_date);
KPI_FORMER_SYMBOL(pipeline_date_accum, pipeline_summary_accum_date);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_numeric);
KPI_FORMER_SYMBOL(pipeline_numeric_accum, pipeline_summary_accum_numeric);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_numeric_date);
KPI_FORMER_SYMBOL(pipeline_numeric_date_accum, pipeline_summary_accum_numeric_date);
PG_FUNCTION_INFO_V1(pipeline_summary_combine);
KPI_FORMER_SYMBOL(pipeline_combine, pipeline_summary_combine);
PG_FUNCTION_INFO_V1(pipeline_open_deals);
PG_FUNCTION_INFO_V1(pipeline_won_deals);
PG_FUNCTION_INFO_V1(pipeline_lost_deals);
PG_FUNCTION_INFO_V1(pipeline_open_pipeline);
PG_FUNCTION_INFO_V1(pipeline_weighted_pipeline);
PG_FUNCTION_INFO_V1(pipeline_won_amount);
PG_FUNCTION_INFO_V1(pipeline_lost_amount);
PG_FUNCTION_INFO_V1(pipeline_win_rate);
PG_FUNCTION_INFO_V1(pipeline_win_rate_ci);
PG_FUNCTION_INFO_V1(pipeline_win_proportion);
PG_FUNCTION_INFO_V1(pipeline_average_deal_size);
PG_FUNCTION_INFO_V1(pipeline_median_deal_size);
PG_FUNCTION_INFO_V1(pipeline_deal_size_quantile);
PG_FUNCTION_INFO_V1(pipeline_average_sales_cycle);
PG_FUNCTION_INFO_V1(pipeline_median_sales_cycle);
PG_FUNCTION_INFO_V1(pipeline_sales_cycle_quantile);
PG_FUNCTION_INFO_V1(pipeline_velocity);
PG_FUNCTION_INFO_V1(pipeline_coverage);
PG_FUNCTION_INFO_V1(customer_acquisition_cost);
PG_FUNCTION_INFO_V1(cac_payback_months);
PG_FUNCTION_INFO_V1(customer_lifetime_value);
PG_FUNCTION_INFO_V1(ltv_cac_ratio);
PG_FUNCTION_INFO_V1(acquisition_spend_ratio);


/* An empty summary with room for cap0 and cap1 buckets */
static PipelineSummary *
PipelineCreate(int32 cap0, int32 cap1)
{
	Size		size = PIPELINE_BYTES(cap0, cap1);
	PipelineSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = PIPELINE_FORMAT_VERSION;
	s->sketch[0].capacity = cap0;
	s->sketch[1].capacity = cap1;
	return s;
}

/* A copy of s with the given capacities (at least what s uses) */
static PipelineSummary *
PipelineResize(PipelineSummary *s, int32 cap0, int32 cap1)
{
	PipelineSummary *r = PipelineCreate(cap0, cap1);
	int			i;

	memcpy(r, s, offsetof(PipelineSummary, data));
	SET_VARSIZE(r, PIPELINE_BYTES(cap0, cap1));
	r->sketch[0].capacity = cap0;
	r->sketch[1].capacity = cap1;
	for (i = 0; i < 2; i++)
	{
		memcpy(SketchCounts(r, i), SketchCounts(s, i), sizeof(int64) * s->sketch[i].nbuckets);
		memcpy(SketchKeys(r, i), SketchKeys(s, i), sizeof(int32) * s->sketch[i].nbuckets);
	}
	return r;
}

/*
 * Why the counts and sums of s are inconsistent, or NULL if they are not.
 * This part reads no bucket, so the producers run it on every value they
 * return.
 */
static const char *
PipelineTotalsError(PipelineSummary *s)
{
	const KpiSum *sums[] = {&s->open_amount, &s->weighted_amount, &s->won_amount,
	&s->lost_amount, &s->cycle_days};
	int64		total;
	int			i;

	if (s->open_deals < 0 || s->won_deals < 0 || s->lost_deals < 0 ||
		s->cycle_deals < 0 || s->sketch[0].zeros < 0 || s->sketch[1].zeros < 0)
		return "A count is negative.";
	if (pg_add_s64_overflow(s->open_deals, s->won_deals, &total) ||
		pg_add_s64_overflow(total, s->lost_deals, &total))
		return "The number of deals exceeds the bigint range.";
	if (s->cycle_deals > s->won_deals)
		return "More cycle lengths than won deals.";
	for (i = 0; i < (int) lengthof(sums); i++)
	{
		if (!isfinite(sums[i]->sum) || !isfinite(sums[i]->comp) ||
			!isfinite(KpiSumValue(sums[i])) || KpiSumValue(sums[i]) < 0.0)
			return "A sum is negative or not finite.";
	}
	return NULL;
}

/* Why s is not a valid summary (totals and sketches), or NULL if it is */
static const char *
PipelineCountsError(PipelineSummary *s)
{
	const char *problem = PipelineTotalsError(s);
	int			i,
				j;

	if (problem)
		return problem;
	for (i = 0; i < 2; i++)
	{
		int64	   *counts = SketchCounts(s, i);
		int32	   *keys = SketchKeys(s, i);
		int64		n = s->sketch[i].zeros;

		for (j = 0; j < s->sketch[i].nbuckets; j++)
		{
			if (keys[j] < -PIPELINE_MAX_KEY || keys[j] > PIPELINE_MAX_KEY ||
				(j > 0 && keys[j] <= keys[j - 1]))
				return "Sketch keys must be increasing integers within +/-40000.";
			if (counts[j] <= 0 || pg_add_s64_overflow(n, counts[j], &n))
				return "Sketch counts must be positive and add up within the bigint range.";
		}
		if (n != (i == PIPELINE_SIZE ? s->won_deals : s->cycle_deals))
			return i == PIPELINE_SIZE ?
				"The deal size sketch does not count the won deals." :
				"The cycle sketch does not count the cycle lengths.";
	}
	return NULL;
}

/*
 * PipelineValid
 *		Is a stored value what this code writes?  The header must describe
 *		the value's own size; with "full" the counts and sums must be
 *		consistent too.
 */
static bool
PipelineValid(const void *value, bool full)
{
	PipelineSummary *s = (PipelineSummary *) value;

	if (VARSIZE(s) < offsetof(PipelineSummary, data) ||
		s->version != PIPELINE_FORMAT_VERSION ||
		s->sketch[0].nbuckets < 0 || s->sketch[1].nbuckets < 0 ||
		s->sketch[0].nbuckets > s->sketch[0].capacity ||
		s->sketch[1].nbuckets > s->sketch[1].capacity ||
		VARSIZE(s) != PIPELINE_BYTES(s->sketch[0].capacity, s->sketch[1].capacity))
		return false;
	return !full || PipelineCountsError(s) == NULL;
}

static const KpiSummaryType PipelineType = {"pipeline_summary", -1, PipelineValid};

/* A pipeline_summary argument to read */
#define PipelineGetArg(fcinfo, argno) \
	((PipelineSummary *) KpiSummaryArg(fcinfo, argno, &PipelineType))

static void
PipelineOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("pipeline_summary sum or count overflows")));
}

/* *count += n, or a 22003 error */
static void
PipelineCount(int64 *count, int64 n)
{
	if (pg_add_s64_overflow(*count, n, count))
		PipelineOverflow();
}

/*
 * The value a transition or combine function returns: its sketches are
 * consistent by construction (each bucket count was added to its total
 * first), the totals are checked here, so that nothing is returned that
 * pipeline_summary_in would reject.
 */
static Datum
PipelineReturn(PipelineSummary *s)
{
	if (PipelineTotalsError(s) != NULL)
		PipelineOverflow();
	return PointerGetDatum(s);
}


/* Sketches */

/*
 * Add count values of key (or zeros, key ignored) to sketch i of s; returns
 * s, or a larger copy when the bucket array is full.
 */
static PipelineSummary *
SketchAdd(PipelineSummary *s, int i, bool zero, int32 key, int64 count)
{
	int32	   *keys;
	int64	   *counts;
	int			lo = 0,
				hi,
				n = s->sketch[i].nbuckets;

	if (zero)
	{
		s->sketch[i].zeros += count;
		return s;
	}
	keys = SketchKeys(s, i);
	hi = n;
	/* the common case: a key already there, found by binary search */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && keys[lo] == key)
	{
		SketchCounts(s, i)[lo] += count;
		return s;
	}
	if (n == s->sketch[i].capacity)
	{
		int32		grown = Max(8, 2 * s->sketch[i].capacity);

		s = PipelineResize(s, i == 0 ? grown : s->sketch[0].capacity,
						   i == 1 ? grown : s->sketch[1].capacity);
		keys = SketchKeys(s, i);
	}
	counts = SketchCounts(s, i);
	memmove(&keys[lo + 1], &keys[lo], sizeof(int32) * (n - lo));
	memmove(&counts[lo + 1], &counts[lo], sizeof(int64) * (n - lo));
	keys[lo] = key;
	counts[lo] = count;
	s->sketch[i].nbuckets++;
	return s;
}

/*
 * The value of rank r (0-based, r < n) of sketch i, n values in all: zeros
 * first, then the buckets in key order.
 */
static double
SketchRankValue(PipelineSummary *s, int i, int64 r)
{
	int64	   *counts = SketchCounts(s, i);
	int64		seen = s->sketch[i].zeros;
	int			j;

	if (r < seen)
		return 0.0;
	for (j = 0; j < s->sketch[i].nbuckets; j++)
	{
		seen += counts[j];
		if (r < seen)
			return KpiSketchValue(SketchKeys(s, i)[j]);
	}
	elog(ERROR, "rank " INT64_FORMAT " is beyond the sketch", r);
	return 0.0;					/* keep compiler quiet */
}

/*----------
 * The rank h = q (n - 1) of percentile_cont(), exactly: returns floor(h)
 * and sets *frac to h - floor(h) (0 exactly when h is an integer).  A
 * double product would round h by up to 1024 ranks once n passes 2^53 (and
 * past the last rank); instead q = m / 2^shift with an integer m < 2^53,
 * and h is the 116-bit product m (n - 1) shifted right.
 *----------
 */
static int64
QuantileRank(double q, int64 n, double *frac)
{
	int			e;
	uint64		m = (uint64) ldexp(frexp(q, &e), 53);
	int			shift = 53 - e; /* >= 52, since q <= 1 */
	uint64		b = (uint64) (n - 1);
	uint64		p0 = (m & 0xFFFFFFFF) * (b & 0xFFFFFFFF),
				p1 = (m & 0xFFFFFFFF) * (b >> 32),
				p2 = (m >> 32) * (b & 0xFFFFFFFF),
				p3 = (m >> 32) * (b >> 32),
				mid = (p0 >> 32) + (p1 & 0xFFFFFFFF) + (p2 & 0xFFFFFFFF),
				lo = (p0 & 0xFFFFFFFF) | (mid << 32),
				hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
	uint64		rank,
				rem_hi,
				rem_lo;

	Assert(q >= 0.0 && q <= 1.0 && n > 0);
	if (m == 0)
	{
		*frac = 0.0;
		return 0;
	}
	if (shift >= 128)
	{
		rank = 0;
		rem_hi = hi;
		rem_lo = lo;
	}
	else if (shift >= 64)
	{
		rank = hi >> (shift - 64);
		rem_hi = hi & ((UINT64CONST(1) << (shift - 64)) - 1);
		rem_lo = lo;
	}
	else
	{
		rank = (hi << (64 - shift)) | (lo >> shift);
		rem_hi = 0;
		rem_lo = lo & ((UINT64CONST(1) << shift) - 1);
	}
	*frac = (rem_hi == 0 && rem_lo == 0) ? 0.0 :
		Max(ldexp((double) rem_hi, 64 - shift) + ldexp((double) rem_lo, -shift),
			DBL_MIN);
	return (int64) rank;
}

/*
 * The q-quantile of sketch i as percentile_cont() defines it: rank
 * h = q (n - 1), interpolated between the values of ranks floor(h) and
 * ceil(h).  Each is within alpha of the true value of its rank, so the
 * interpolation is within alpha of the exact percentile_cont().  NULL
 * (false) for an empty sketch.
 */
static bool
SketchQuantile(PipelineSummary *s, int i, int64 n, double q, double *result)
{
	double		frac,
				lo_value;
	int64		lo;

	if (isnan(q) || q < 0.0 || q > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile fraction %g is out of range", q),
				 errhint("The fraction must lie between 0 and 1, e.g. 0.5 for the median.")));
	if (n == 0)
		return false;
	lo = QuantileRank(q, n, &frac);
	lo_value = SketchRankValue(s, i, lo);
	/* a fraction means h < n - 1, so rank lo + 1 exists */
	if (frac > 0.0)
		*result = lo_value + frac * (SketchRankValue(s, i, lo + 1) - lo_value);
	else
		*result = lo_value;
	return true;
}


/*
 * Text and binary I/O
 *
 * Text (JSON; sums are [sum, compensation] pairs, so that a value reads back
 * exactly; sketches are {"zeros":z,"buckets":[[key,count],...]}):
 *	{"version":1,"open_deals":n,"open_amount":[s,c],"weighted_amount":[s,c],
 *	 "won_deals":n,"won_amount":[s,c],"lost_deals":n,"lost_amount":[s,c],
 *	 "cycle_deals":n,"cycle_days":[s,c],"deal_size_sketch":{...},
 *	 "cycle_sketch":{...}}
 * Binary: int8 version, the four counts as int64, the five sums as two
 * float8 each, then each sketch as int64 zeros, int32 number of buckets and
 * (int32 key, int64 count) per bucket.
 */

static const char *const PipelineSumNames[] = {"open_amount", "weighted_amount",
"won_amount", "lost_amount", "cycle_days"};

/* The sums of s in text and binary order */
static void
PipelineSums(PipelineSummary *s, KpiSum **sums)
{
	sums[0] = &s->open_amount;
	sums[1] = &s->weighted_amount;
	sums[2] = &s->won_amount;
	sums[3] = &s->lost_amount;
	sums[4] = &s->cycle_days;
}

static bool
ScanKey(KpiScanner *scan, const char *key)
{
	return KpiScanToken(scan, ",") && KpiScanKey(scan, key);
}

static bool
ScanCount(KpiScanner *scan, const char *key, int64 *count)
{
	return ScanKey(scan, key) && KpiScanInt64(scan, count);
}

static bool
ScanSum(KpiScanner *scan, const char *key, KpiSum *sum)
{
	return ScanKey(scan, key) && KpiScanToken(scan, "[") &&
		KpiScanFloat8(scan, &sum->sum) && KpiScanToken(scan, ",") &&
		KpiScanFloat8(scan, &sum->comp) && KpiScanToken(scan, "]");
}

/* Parse one sketch into sketch i of *s (which may grow) */
static bool
ScanSketch(KpiScanner *scan, const char *key, PipelineSummary **s, int i,
		   const char **problem)
{
	int64		zeros;

	if (!ScanKey(scan, key) || !KpiScanToken(scan, "{") ||
		!KpiScanKey(scan, "zeros") ||
		!KpiScanInt64(scan, &zeros) || !ScanKey(scan, "buckets") ||
		!KpiScanToken(scan, "["))
		return false;
	if (zeros < 0)
	{
		*problem = "A count is negative.";
		return false;
	}
	(*s)->sketch[i].zeros = zeros;
	if (!KpiScanToken(scan, "]"))
	{
		int32		last = PG_INT32_MIN;

		do
		{
			int64		k,
						count;

			if (!KpiScanToken(scan, "[") || !KpiScanInt64(scan, &k) ||
				!KpiScanToken(scan, ",") || !KpiScanInt64(scan, &count) ||
				!KpiScanToken(scan, "]"))
				return false;
			if (k < -PIPELINE_MAX_KEY || k > PIPELINE_MAX_KEY || k <= last ||
				count <= 0)
			{
				*problem = "Sketch buckets must be [key,count] pairs with increasing keys within +/-40000 and positive counts.";
				return false;
			}
			last = (int32) k;
			*s = SketchAdd(*s, i, false, (int32) k, count);
		} while (KpiScanToken(scan, ","));
		if (!KpiScanToken(scan, "]"))
			return false;
	}
	return KpiScanToken(scan, "}");
}

static PipelineSummary *
PipelineParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	PipelineSummary *s;
	KpiSum	   *sums[5];

	*problem = "Expected {\"version\":1,\"open_deals\":n,\"open_amount\":[sum,compensation],...} as pipeline_summary writes it.";
	if (!KpiScanVersion(&scan, PIPELINE_FORMAT_VERSION, problem))
		return NULL;
	s = PipelineCreate(0, 0);
	PipelineSums(s, sums);
	if (!ScanCount(&scan, "open_deals", &s->open_deals) ||
		!ScanSum(&scan, "open_amount", sums[0]) ||
		!ScanSum(&scan, "weighted_amount", sums[1]) ||
		!ScanCount(&scan, "won_deals", &s->won_deals) ||
		!ScanSum(&scan, "won_amount", sums[2]) ||
		!ScanCount(&scan, "lost_deals", &s->lost_deals) ||
		!ScanSum(&scan, "lost_amount", sums[3]) ||
		!ScanCount(&scan, "cycle_deals", &s->cycle_deals) ||
		!ScanSum(&scan, "cycle_days", sums[4]) ||
		!ScanSketch(&scan, "deal_size_sketch", &s, PIPELINE_SIZE, problem) ||
		!ScanSketch(&scan, "cycle_sketch", &s, PIPELINE_CYCLE, problem) ||
		!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	/* sketch counts add up without overflow only if the totals match */
	if ((*problem = PipelineCountsError(s)) != NULL)
		return NULL;
	return PipelineResize(s, s->sketch[0].nbuckets, s->sketch[1].nbuckets);
}

Datum
pipeline_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	PipelineSummary *s = PipelineParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, PipelineType.name, str, problem);
	PG_RETURN_POINTER(s);
}

static void
AppendSketch(StringInfo buf, PipelineSummary *s, int i)
{
	int64	   *counts = SketchCounts(s, i);
	int32	   *keys = SketchKeys(s, i);
	int			j;

	appendStringInfo(buf, "{\"zeros\":" INT64_FORMAT ",\"buckets\":[", s->sketch[i].zeros);
	for (j = 0; j < s->sketch[i].nbuckets; j++)
		appendStringInfo(buf, "%s[%d," INT64_FORMAT "]", j > 0 ? "," : "",
						 keys[j], counts[j]);
	appendStringInfoString(buf, "]}");
}

Datum
pipeline_summary_out(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineGetArg(fcinfo, 0);
	const int64 counts[] = {s->open_deals, -1, s->won_deals, s->lost_deals, s->cycle_deals};
	const char *const count_names[] = {"open_deals", NULL, "won_deals", "lost_deals", "cycle_deals"};
	KpiSum	   *sums[5];
	StringInfoData buf;
	int			i;

	PipelineSums(s, sums);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d", s->version);
	for (i = 0; i < 5; i++)
	{
		if (count_names[i])
			appendStringInfo(&buf, ",\"%s\":" INT64_FORMAT, count_names[i], counts[i]);
		appendStringInfo(&buf, ",\"%s\":[", PipelineSumNames[i]);
		KpiAppendFloat8(&buf, sums[i]->sum);
		appendStringInfoChar(&buf, ',');
		KpiAppendFloat8(&buf, sums[i]->comp);
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoString(&buf, ",\"deal_size_sketch\":");
	AppendSketch(&buf, s, PIPELINE_SIZE);
	appendStringInfoString(&buf, ",\"cycle_sketch\":");
	AppendSketch(&buf, s, PIPELINE_CYCLE);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

Datum
pipeline_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PipelineSummary *s;
	KpiSum	   *sums[5];
	const char *problem;
	int			i,
				j;

	KpiRecvVersion(buf, PipelineType.name, PIPELINE_FORMAT_VERSION);
	/* 4 counts, 5 sums */
	KpiRecvNeed(buf, PipelineType.name, 4 * 8 + 5 * 16, false);
	s = PipelineCreate(0, 0);
	s->open_deals = pq_getmsgint64(buf);
	s->won_deals = pq_getmsgint64(buf);
	s->lost_deals = pq_getmsgint64(buf);
	s->cycle_deals = pq_getmsgint64(buf);
	PipelineSums(s, sums);
	for (i = 0; i < 5; i++)
	{
		sums[i]->sum = pq_getmsgfloat8(buf);
		sums[i]->comp = pq_getmsgfloat8(buf);
	}
	for (i = 0; i < 2; i++)
	{
		int64		zeros;
		int32		n,
					last = PG_INT32_MIN;

		KpiRecvNeed(buf, PipelineType.name, 8, false);
		zeros = pq_getmsgint64(buf);
		if (zeros < 0)
			KpiBinaryInputError(PipelineType.name, "A count is negative.");
		/* (int32 key, int64 count) per bucket */
		n = (int32) KpiRecvCount(buf, PipelineType.name, 4, 2 * PIPELINE_MAX_KEY + 1, 12);
		s->sketch[i].zeros = zeros;
		for (j = 0; j < n; j++)
		{
			int32		key = pq_getmsgint(buf, 4);
			int64		count = pq_getmsgint64(buf);

			if (key < -PIPELINE_MAX_KEY || key > PIPELINE_MAX_KEY ||
				key <= last || count <= 0)
				KpiBinaryInputError(PipelineType.name, "Sketch buckets must have increasing keys within +/-40000 and positive counts.");
			last = key;
			s = SketchAdd(s, i, false, key, count);
		}
	}
	KpiRecvEnd(buf, PipelineType.name);
	if ((problem = PipelineCountsError(s)) != NULL)
		KpiBinaryInputError(PipelineType.name, "%s", problem);
	PG_RETURN_POINTER(PipelineResize(s, s->sketch[0].nbuckets, s->sketch[1].nbuckets));
}

Datum
pipeline_summary_send(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineGetArg(fcinfo, 0);
	KpiSum	   *sums[5];
	StringInfoData buf;
	int			i,
				j;

	PipelineSums(s, sums);
	KpiSendVersion(&buf, s->version);
	pq_sendint64(&buf, s->open_deals);
	pq_sendint64(&buf, s->won_deals);
	pq_sendint64(&buf, s->lost_deals);
	pq_sendint64(&buf, s->cycle_deals);
	for (i = 0; i < 5; i++)
	{
		pq_sendfloat8(&buf, sums[i]->sum);
		pq_sendfloat8(&buf, sums[i]->comp);
	}
	for (i = 0; i < 2; i++)
	{
		int64	   *counts = SketchCounts(s, i);
		int32	   *keys = SketchKeys(s, i);

		pq_sendint64(&buf, s->sketch[i].zeros);
		pq_sendint32(&buf, s->sketch[i].nbuckets);
		for (j = 0; j < s->sketch[i].nbuckets; j++)
		{
			pq_sendint32(&buf, keys[j]);
			pq_sendint64(&buf, counts[j]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/*
 * Aggregate support
 *
 * pipeline_agg starts from an empty summary (INITCOND).  Its transition
 * functions are not strict, since an open deal needs no close date and a
 * closed one no probability; a deal whose amount, outcome or creation is
 * NULL is skipped.
 */

typedef enum DealOutcome
{
	DEAL_OPEN,
	DEAL_WON,
	DEAL_LOST
} DealOutcome;

static DealOutcome
PipelineOutcome(text *outcome)
{
	const char *p = VARDATA_ANY(outcome);
	int			len = VARSIZE_ANY_EXHDR(outcome);

	if (len == 3 && pg_strncasecmp(p, "won", 3) == 0)
		return DEAL_WON;
	if (len == 4 && pg_strncasecmp(p, "open", 4) == 0)
		return DEAL_OPEN;
	if (len == 4 && pg_strncasecmp(p, "lost", 4) == 0)
		return DEAL_LOST;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("deal outcome \"%s\" is not recognized", text_to_cstring(outcome)),
			 errhint("The outcome is \"open\", \"won\" or \"lost\" (in any case).")));
	return DEAL_OPEN;			/* keep compiler quiet */
}

/*
 * Add one deal.  cycle_days is the length of its sales cycle, or NaN when
 * it has no close date; it is read only for won deals.
 */
static PipelineSummary *
PipelineAdd(FunctionCallInfo fcinfo, PipelineSummary *s, double amount,
			DealOutcome outcome, double cycle_days)
{
	if (!isfinite(amount) || amount < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("deal amount %g is out of range", amount),
				 errhint("Amounts are finite and not negative.")));

	switch (outcome)
	{
		case DEAL_OPEN:
			{
				double		p;

				if (PG_ARGISNULL(2))
					ereport(ERROR,
							(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							 errmsg("open deal has no probability"),
							 errhint("Give open deals the probability of their stage, or coalesce(probability, 0).")));
				p = PG_GETARG_FLOAT8(2);
				if (isnan(p) || p < 0.0 || p > 1.0)
					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("deal probability %g is out of range", p),
							 errhint("Probabilities are fractions from 0 to 1: divide percentages by 100.")));
				PipelineCount(&s->open_deals, 1);
				if (!KpiSumAdd(&s->open_amount, amount) ||
					!KpiSumAdd(&s->weighted_amount, amount * p))
					PipelineOverflow();
				break;
			}
		case DEAL_LOST:
			PipelineCount(&s->lost_deals, 1);
			if (!KpiSumAdd(&s->lost_amount, amount))
				PipelineOverflow();
			break;
		case DEAL_WON:
			PipelineCount(&s->won_deals, 1);
			if (!KpiSumAdd(&s->won_amount, amount))
				PipelineOverflow();
			s = SketchAdd(s, PIPELINE_SIZE, amount == 0.0,
						  amount == 0.0 ? 0 : KpiSketchKey(amount), 1);
			if (!isnan(cycle_days))
			{
				if (cycle_days < 0.0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("deal closed %g days before it was created", -cycle_days)));
				PipelineCount(&s->cycle_deals, 1);
				if (!KpiSumAdd(&s->cycle_days, cycle_days))
					PipelineOverflow();
				s = SketchAdd(s, PIPELINE_CYCLE, cycle_days == 0.0,
							  cycle_days == 0.0 ? 0 : KpiSketchKey(cycle_days), 1);
			}
			break;
	}
	return s;
}

/*
 * The length in days of the sales cycle of a won deal from created (arg 3)
 * to closed (arg 4), timestamps or dates; NaN when it has no close date.
 * Infinite dates have no length; timestamps more than an interval apart
 * are a 22008 error (KpiTimeDiff).
 */
static void
CycleNotFinite(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("deal dates must be finite")));
}

static double
CycleDays(FunctionCallInfo fcinfo, bool dates)
{
	if (PG_ARGISNULL(4))
		return get_float8_nan();
	if (dates)
	{
		DateADT		created = PG_GETARG_DATEADT(3);
		DateADT		closed = PG_GETARG_DATEADT(4);

		if (DATE_NOT_FINITE(created) || DATE_NOT_FINITE(closed))
			CycleNotFinite();
		return (double) ((int64) closed - (int64) created);
	}
	else
	{
		TimestampTz created = PG_GETARG_TIMESTAMPTZ(3);
		TimestampTz closed = PG_GETARG_TIMESTAMPTZ(4);

		if (TIMESTAMP_NOT_FINITE(created) || TIMESTAMP_NOT_FINITE(closed))
			CycleNotFinite();
		return (double) KpiTimeDiff(closed, created) / (double) USECS_PER_DAY;
	}
}

/*
 * The transition of every pipeline_agg: (state, amount, probability,
 * created, closed, outcome), amount float8 or numeric, created and closed
 * timestamptz or date.
 */
static Datum
PipelineAccum(FunctionCallInfo fcinfo, bool numeric, bool dates)
{
	PipelineSummary *s;
	DealOutcome outcome;
	double		amount;

	/* not strict: a direct call with a NULL summary has nothing to add to */
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = KpiSummaryState(fcinfo, 0, &PipelineType);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || PG_ARGISNULL(5))
		PG_RETURN_POINTER(s);
	outcome = PipelineOutcome(PG_GETARG_TEXT_PP(5));
	amount = numeric ? KpiNumericToFloat8(PG_GETARG_NUMERIC(1)) : PG_GETARG_FLOAT8(1);
	return PipelineReturn(PipelineAdd(fcinfo, s, amount, outcome,
									  outcome == DEAL_WON ? CycleDays(fcinfo, dates) : 0.0));
}

Datum
pipeline_summary_accum(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, false, false);
}

Datum
pipeline_summary_accum_date(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, false, true);
}

Datum
pipeline_summary_accum_numeric(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, true, false);
}

Datum
pipeline_summary_accum_numeric_date(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, true, true);
}

/*
 * pipeline_summary_combine(a, b): a + b, the combine function of pipeline_agg
 * and the transition function of rollup().  Strict.
 */
Datum
pipeline_summary_combine(PG_FUNCTION_ARGS)
{
	PipelineSummary *a = KpiSummaryMergeState(fcinfo, 0, &PipelineType);
	PipelineSummary *b = PipelineGetArg(fcinfo, 1);
	KpiSum	   *sa[5],
			   *sb[5];
	int			i,
				j;

	PipelineCount(&a->open_deals, b->open_deals);
	PipelineCount(&a->won_deals, b->won_deals);
	PipelineCount(&a->lost_deals, b->lost_deals);
	PipelineCount(&a->cycle_deals, b->cycle_deals);
	PipelineSums(a, sa);
	PipelineSums(b, sb);
	for (i = 0; i < 5; i++)
		if (!KpiSumMerge(sa[i], sb[i]))
			PipelineOverflow();
	if (PipelineTotalsError(a) != NULL)
		PipelineOverflow();
	/* sketch counts cannot overflow now: they add up to the deal counts */
	for (i = 0; i < 2; i++)
	{
		int64	   *counts = SketchCounts(b, i);
		int32	   *keys = SketchKeys(b, i);

		a = SketchAdd(a, i, true, 0, b->sketch[i].zeros);
		for (j = 0; j < b->sketch[i].nbuckets; j++)
		{
			CHECK_FOR_INTERRUPTS();
			a = SketchAdd(a, i, false, keys[j], counts[j]);
		}
	}
	return PipelineReturn(a);
}


/* Accessors: counts and sums */

Datum
pipeline_open_deals(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PipelineGetArg(fcinfo, 0)->open_deals);
}

Datum
pipeline_won_deals(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PipelineGetArg(fcinfo, 0)->won_deals);
}

Datum
pipeline_lost_deals(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PipelineGetArg(fcinfo, 0)->lost_deals);
}

Datum
pipeline_open_pipeline(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(KpiSumValue(&PipelineGetArg(fcinfo, 0)->open_amount));
}

Datum
pipeline_weighted_pipeline(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(KpiSumValue(&PipelineGetArg(fcinfo, 0)->weighted_amount));
}

Datum
pipeline_won_amount(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(KpiSumValue(&PipelineGetArg(fcinfo, 0)->won_amount));
}

Datum
pipeline_lost_amount(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(KpiSumValue(&PipelineGetArg(fcinfo, 0)->lost_amount));
}


/* Accessors: win rate, deal size, cycle, velocity, coverage */

/* win_rate(s): won / (won + lost), a fraction; NULL with no closed deal */
Datum
pipeline_win_rate(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineGetArg(fcinfo, 0);

	if (s->won_deals + s->lost_deals == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) s->won_deals / (double) (s->won_deals + s->lost_deals));
}

/*
 * win_rate_ci(s, level): Wilson score interval of the win rate, as
 * rate_ci(win_proportion(s), level) gives it (the same shared helper)
 */
Datum
pipeline_win_rate_ci(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineGetArg(fcinfo, 0);
	double		z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
	double		bounds[2] = {0.0, 0.0};
	bool		nulls[2] = {true, true};

	if (s->won_deals + s->lost_deals > 0)
	{
		KpiWilsonInterval(s->won_deals, s->won_deals + s->lost_deals, z,
						  &bounds[0], &bounds[1]);
		nulls[0] = nulls[1] = false;
	}
	return KpiFloat8Record(fcinfo, bounds, nulls, 2);
}

/*
 * win_proportion(s): the win rate as a proportion_summary (won, won + lost),
 * for rate_ci(), proportion_compare() and rollup() of proportions
 */
Datum
pipeline_win_proportion(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineGetArg(fcinfo, 0);

	PG_RETURN_DATUM(KpiProportionDatum(s->won_deals, s->won_deals + s->lost_deals));
}

/*
 * A ratio the caller returns: a finite double, or a 22003 error where a
 * huge numerator over a tiny denominator overflows (never a silent
 * Infinity).
 */
static double
PipelineRatio(double value, const char *what)
{
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", what),
				 errdetail("It exceeds the double precision range.")));
	return value;
}

/* Average won deal size; false with no won deal */
static bool
AverageDealSize(PipelineSummary *s, double *result)
{
	if (s->won_deals == 0)
		return false;
	*result = KpiSumValue(&s->won_amount) / (double) s->won_deals;
	return true;
}

/* Average sales cycle in days; false with no cycle */
static bool
AverageCycle(PipelineSummary *s, double *result)
{
	if (s->cycle_deals == 0)
		return false;
	*result = KpiSumValue(&s->cycle_days) / (double) s->cycle_deals;
	return true;
}

Datum
pipeline_average_deal_size(PG_FUNCTION_ARGS)
{
	double		result;

	if (!AverageDealSize(PipelineGetArg(fcinfo, 0), &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/* The q-quantile of sketch i of argument 0 */
static Datum
PipelineQuantile(FunctionCallInfo fcinfo, int i, double q)
{
	PipelineSummary *s = PipelineGetArg(fcinfo, 0);
	double		result;

	if (!SketchQuantile(s, i, i == PIPELINE_SIZE ? s->won_deals : s->cycle_deals,
						q, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

Datum
pipeline_median_deal_size(PG_FUNCTION_ARGS)
{
	return PipelineQuantile(fcinfo, PIPELINE_SIZE, 0.5);
}

Datum
pipeline_deal_size_quantile(PG_FUNCTION_ARGS)
{
	return PipelineQuantile(fcinfo, PIPELINE_SIZE, PG_GETARG_FLOAT8(1));
}

Datum
pipeline_average_sales_cycle(PG_FUNCTION_ARGS)
{
	double		result;

	if (!AverageCycle(PipelineGetArg(fcinfo, 0), &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

Datum
pipeline_median_sales_cycle(PG_FUNCTION_ARGS)
{
	return PipelineQuantile(fcinfo, PIPELINE_CYCLE, 0.5);
}

Datum
pipeline_sales_cycle_quantile(PG_FUNCTION_ARGS)
{
	return PipelineQuantile(fcinfo, PIPELINE_CYCLE, PG_GETARG_FLOAT8(1));
}

/*----------
 * pipeline_velocity(s): expected revenue per day from the open pipeline
 * (Ooligo, Triblio):
 *
 *		open deals * win rate * average won deal size / average cycle days
 *
 * NULL when a factor is undefined (no closed deal, no won deal, no cycle)
 * or the average cycle is 0 days.
 *----------
 */
Datum
pipeline_velocity(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineGetArg(fcinfo, 0);
	double		size,
				cycle;

	if (s->won_deals + s->lost_deals == 0 || !AverageDealSize(s, &size) ||
		!AverageCycle(s, &cycle) || cycle <= 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(PipelineRatio((double) s->open_deals *
								   ((double) s->won_deals / (double) (s->won_deals + s->lost_deals)) *
								   size / cycle, "pipeline velocity"));
}

/*
 * pipeline_coverage(s, quota, weighted): open (or weighted) pipeline /
 * quota, as a multiple (3.0 = "3x coverage").  The quota must be positive.
 */
Datum
pipeline_coverage(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineGetArg(fcinfo, 0);
	double		quota = PG_GETARG_FLOAT8(1);
	bool		weighted = PG_GETARG_BOOL(2);

	if (!(quota > 0.0) || isinf(quota))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quota %g is not positive", quota),
				 errhint("Coverage is the pipeline divided by a positive, finite quota.")));
	PG_RETURN_FLOAT8(PipelineRatio(KpiSumValue(weighted ? &s->weighted_amount : &s->open_amount) / quota,
								   "pipeline coverage"));
}


/*
 * New-customer business: scalar functions on figures the caller aggregates
 * (spend and revenue in one currency, ARPA per month, margins and churn as
 * fractions).  A negative amount or a fraction outside 0..1 is an error;
 * a zero denominator gives NULL (the ratio is undefined, not infinite).
 */

static void
CheckNotNegative(double value, const char *what)
{
	if (isnan(value) || value < 0.0 || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is negative or not finite", what, value)));
}

static void
CheckFraction(double value, const char *what)
{
	if (isnan(value) || value < 0.0 || value > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is out of range", what, value),
				 errhint("Give it as a fraction from 0 to 1, e.g. 0.75 for 75 %%.")));
}

/* customer_acquisition_cost(spend, new_customers): spend per new customer */
Datum
customer_acquisition_cost(PG_FUNCTION_ARGS)
{
	double		spend = PG_GETARG_FLOAT8(0);
	int64		customers = PG_GETARG_INT64(1);

	CheckNotNegative(spend, "acquisition spend");
	if (customers < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of new customers " INT64_FORMAT " is negative", customers)));
	if (customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(spend / (double) customers);
}

/*
 * cac_payback_months(cac, arpa, gross_margin): months of gross margin a new
 * customer takes to repay its acquisition cost, CAC / (ARPA * margin)
 * (Klipfolio; Skok, SaaS Metrics 2.0).  NULL when ARPA * margin is 0.
 */
Datum
cac_payback_months(PG_FUNCTION_ARGS)
{
	double		cac = PG_GETARG_FLOAT8(0);
	double		arpa = PG_GETARG_FLOAT8(1);
	double		margin = PG_GETARG_FLOAT8(2);

	CheckNotNegative(cac, "customer acquisition cost");
	CheckNotNegative(arpa, "monthly revenue per account");
	CheckFraction(margin, "gross margin");
	if (arpa * margin == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(PipelineRatio(cac / (arpa * margin), "CAC payback"));
}

/*
 * customer_lifetime_value(arpa, gross_margin, monthly_churn): the simple
 * LTV = ARPA * margin / churn (Skok), the margin of the expected lifetime
 * 1 / churn months.  NULL when churn is 0 (no finite lifetime).
 */
Datum
customer_lifetime_value(PG_FUNCTION_ARGS)
{
	double		arpa = PG_GETARG_FLOAT8(0);
	double		margin = PG_GETARG_FLOAT8(1);
	double		churn = PG_GETARG_FLOAT8(2);

	CheckNotNegative(arpa, "monthly revenue per account");
	CheckFraction(margin, "gross margin");
	CheckFraction(churn, "monthly churn rate");
	if (churn == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(PipelineRatio(arpa * margin / churn, "customer lifetime value"));
}

/* ltv_cac_ratio(ltv, cac): LTV / CAC; NULL when CAC is 0 */
Datum
ltv_cac_ratio(PG_FUNCTION_ARGS)
{
	double		ltv = PG_GETARG_FLOAT8(0);
	double		cac = PG_GETARG_FLOAT8(1);

	CheckNotNegative(ltv, "customer lifetime value");
	CheckNotNegative(cac, "customer acquisition cost");
	if (cac == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(PipelineRatio(ltv / cac, "LTV:CAC ratio"));
}

/*
 * acquisition_spend_ratio(spend, new_customer_revenue): acquisition spend
 * per unit of the new customers' net revenue (0.5: 50 cents spent per
 * dollar won).  NULL when that revenue is 0.
 */
Datum
acquisition_spend_ratio(PG_FUNCTION_ARGS)
{
	double		spend = PG_GETARG_FLOAT8(0);
	double		revenue = PG_GETARG_FLOAT8(1);

	CheckNotNegative(spend, "acquisition spend");
	CheckNotNegative(revenue, "net revenue of new customers");
	if (revenue == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(PipelineRatio(spend / revenue, "acquisition spend ratio"));
}
