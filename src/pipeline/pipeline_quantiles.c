/*-------------------------------------------------------------------------
 *
 * pipeline_quantiles.c
 *	  The two distributions of won deals in pipeline_summary, deal sizes and
 *	  sales cycle lengths: their sketches, their exact values, and the
 *	  median and quantile accessors.
 *
 * A distribution always has a sketch, a logarithmic histogram (KpiSketchKey,
 * after DDSketch) with 1 % relative accuracy: bucket k holds the values in
 * (gamma^(k-1), gamma^k] and reads back within 1 % of every value in it;
 * zeros are counted apart.  While it holds at most PIPELINE_MAX_EXACT values
 * it keeps them too, and its quantiles are exactly percentile_cont()'s: a
 * daily, weekly or per-team summary is exact, a rollup past 10,000 won
 * deals is within 1 %.  Whether a merge stays exact depends only on the
 * counts merged, so a summary of the same deals is exact or not whatever
 * the plan.  The sketch is kept while exact so that dropping the values is
 * free and the sketch of a merge never needs rebuilding.
 *
 *-------------------------------------------------------------------------
 */
#include "pipeline.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "miscadmin.h"

PG_FUNCTION_INFO_V1(pipeline_median_deal_size);
PG_FUNCTION_INFO_V1(pipeline_deal_size_quantile);
PG_FUNCTION_INFO_V1(pipeline_median_sales_cycle);
PG_FUNCTION_INFO_V1(pipeline_sales_cycle_quantile);
PG_FUNCTION_INFO_V1(deal_size_is_exact);
PG_FUNCTION_INFO_V1(sales_cycle_is_exact);


/* Sketches */

/*
 * Why the n buckets (counts, keys) and zeros of a sketch do not count
 * exactly "expected" values, or NULL if they do
 */
static const char *
SketchError(const int64 *counts, const int32 *keys, const PipelineSketchHead *head,
			int64 expected, const char *mismatch)
{
	int64		n = head->zeros;
	int			j;

	for (j = 0; j < head->nbuckets; j++)
	{
		if (keys[j] < -PIPELINE_MAX_KEY || keys[j] > PIPELINE_MAX_KEY ||
			(j > 0 && keys[j] <= keys[j - 1]))
			return "Sketch keys must be increasing integers within +/-40000.";
		if (counts[j] <= 0 || pg_add_s64_overflow(n, counts[j], &n))
			return "Sketch counts must be positive and add up within the bigint range.";
	}
	return n == expected ? NULL : mismatch;
}

/*
 * Add count values of key (or zeros, key ignored) to sketch i of s; returns
 * s, or a larger copy when the bucket array is full.
 */
PipelineSummary *
PipelineSketchAdd(PipelineSummary *s, int i, bool zero, int32 key, int64 count)
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
		PipelineLayout layout;

		PipelineLayoutOf(s, &layout);
		layout.capacity[i] = Max(8, 2 * s->sketch[i].capacity);
		s = PipelineRelayout(s, &layout);
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
 * The q-quantile of distribution i as percentile_cont() defines it: rank
 * h = q (n - 1), interpolated between the values of ranks floor(h) and
 * ceil(h).  Exact values give percentile_cont's result to the bit.  From
 * the sketch each rank's value is within alpha of the true one, so the
 * interpolation is within alpha of the exact percentile_cont().  False for
 * no values.
 */
static bool
DistributionQuantile(PipelineSummary *s, int i, double q, double *result)
{
	int64		n = DistributionCount(s, i);
	double		frac,
				lo_value;
	int64		lo;

	KpiCheckQuantileFraction(q);
	if (n == 0)
		return false;
	if (s->exact[i] >= 0)
	{
		Assert(s->exact[i] == n);
		*result = KpiPercentileCont(ExactValues(PipelineSorted(s), i), n, q);
		return true;
	}
	lo = QuantileRank(q, n, &frac);
	lo_value = SketchRankValue(s, i, lo);
	/* a fraction means h < n - 1, so rank lo + 1 exists */
	if (frac > 0.0)
		*result = lo_value + frac * (SketchRankValue(s, i, lo + 1) - lo_value);
	else
		*result = lo_value;
	return true;
}


/* Exact values */

/* s without the exact values of distribution i: the sketch alone from now */
static PipelineSummary *
ExactDrop(PipelineSummary *s, int i)
{
	PipelineLayout layout;

	s->exact[i] = -1;
	PipelineLayoutOf(s, &layout);
	layout.exact_capacity[i] = 0;
	return PipelineRelayout(s, &layout);
}

/*
 * Append x to the exact values of distribution i, whose count has already
 * been raised by one; past PIPELINE_MAX_EXACT values they are dropped.
 * Returns s, or a copy when the array grows (by doubling: a row allocates
 * nothing in the common case).
 */
PipelineSummary *
PipelineExactAdd(PipelineSummary *s, int i, double x)
{
	if (s->exact[i] < 0)
		return s;
	if (s->exact[i] == PIPELINE_MAX_EXACT)
		return ExactDrop(s, i);
	if (s->exact[i] == s->exact_capacity[i])
	{
		PipelineLayout layout;

		PipelineLayoutOf(s, &layout);
		layout.exact_capacity[i] = Min(Max(8, 2 * s->exact_capacity[i]), PIPELINE_MAX_EXACT);
		s = PipelineRelayout(s, &layout);
	}
	ExactValues(s, i)[s->exact[i]++] = x;
	return s;
}

/*
 * Add one value x >= 0 (finite, not -0) to distribution i, whose count has
 * already been raised by one: its sketch bucket, and its exact value.
 */
PipelineSummary *
PipelineValueAdd(PipelineSummary *s, int i, double x)
{
	s = PipelineSketchAdd(s, i, x == 0.0, x == 0.0 ? 0 : KpiSketchKey(x), 1);
	return PipelineExactAdd(s, i, x);
}

/*
 * Add sketch i of b to that of a.  Both bucket arrays are in key order, so
 * one walk adds the counts of the keys a has and counts the keys it lacks,
 * which a merge from the end then inserts: linear in the buckets, where a
 * binary search per bucket of b spent most of a rollup's time on
 * mispredicted branches.
 */
static PipelineSummary *
SketchMerge(PipelineSummary *a, PipelineSummary *b, int i)
{
	const int32 *bkeys = SketchKeys(b, i);
	const int64 *bcounts = SketchCounts(b, i);
	int			na = a->sketch[i].nbuckets,
				nb = b->sketch[i].nbuckets,
				nnew = 0,
				ia = 0,
				jb,
				w;
	int32	   *keys = SketchKeys(a, i);
	int64	   *counts = SketchCounts(a, i);

	a->sketch[i].zeros += b->sketch[i].zeros;
	for (jb = 0; jb < nb; jb++)
	{
		while (ia < na && keys[ia] < bkeys[jb])
			ia++;
		if (ia < na && keys[ia] == bkeys[jb])
			counts[ia] += bcounts[jb];
		else
			nnew++;
	}
	if (nnew == 0)
		return a;
	if (na + nnew > a->sketch[i].capacity)
	{
		PipelineLayout layout;

		PipelineLayoutOf(a, &layout);
		while (layout.capacity[i] < na + nnew)
			layout.capacity[i] = Max(8, 2 * layout.capacity[i]);
		a = PipelineRelayout(a, &layout);
		keys = SketchKeys(a, i);
		counts = SketchCounts(a, i);
	}
	/* from the end: b's new keys into place, a's keys moved up (counts added above) */
	ia = na - 1;
	for (jb = nb - 1, w = na + nnew - 1; jb >= 0; w--)
	{
		if (ia >= 0 && keys[ia] >= bkeys[jb])
		{
			if (keys[ia] == bkeys[jb])
				jb--;
			keys[w] = keys[ia];
			counts[w] = counts[ia];
			ia--;
		}
		else
		{
			keys[w] = bkeys[jb];
			counts[w] = bcounts[jb];
			jb--;
		}
	}
	a->sketch[i].nbuckets = na + nnew;
	return a;
}

/*
 * Add distribution i of b to that of a, whose count already includes b's:
 * bucket counts add up; the exact values are appended while both are exact
 * and there are at most PIPELINE_MAX_EXACT of them, else dropped.
 */
PipelineSummary *
PipelineDistributionMerge(PipelineSummary *a, PipelineSummary *b, int i)
{
	CHECK_FOR_INTERRUPTS();
	a = SketchMerge(a, b, i);
	if (a->exact[i] < 0 || b->exact[i] == 0)
		return a;
	if (b->exact[i] < 0 || a->exact[i] + b->exact[i] > PIPELINE_MAX_EXACT)
		return ExactDrop(a, i);
	if (a->exact[i] + b->exact[i] > a->exact_capacity[i])
	{
		PipelineLayout layout;

		PipelineLayoutOf(a, &layout);
		layout.exact_capacity[i] = a->exact[i] + b->exact[i];
		a = PipelineRelayout(a, &layout);
	}
	memcpy(ExactValues(a, i) + a->exact[i], ExactValues(b, i), sizeof(double) * b->exact[i]);
	a->exact[i] += b->exact[i];
	return a;
}

/*
 * Sort n doubles, each finite and at least +0, in increasing order: their
 * bit patterns then order as unsigned integers, so an LSD radix sort by
 * bytes does it in linear time (the final function sorts up to 10,000
 * values per group, where qsort's comparisons dominated), skipping the
 * bytes all values share (the high ones, for amounts of one magnitude).
 */
static void
SortNonNegativeDoubles(double *values, int n)
{
	uint64	   *keys = (uint64 *) values;
	uint64	   *buffer = palloc(sizeof(uint64) * n);
	uint64	   *from = keys,
			   *to = buffer;
	int			shift;

	StaticAssertStmt(sizeof(double) == sizeof(uint64), "doubles are 64-bit");
	for (shift = 0; shift < 64; shift += 8)
	{
		int			count[256] = {0};
		int			start = 0;
		int			b,
					j;
		uint64	   *swap;

		for (j = 0; j < n; j++)
			count[(from[j] >> shift) & 0xFF]++;
		if (count[(from[0] >> shift) & 0xFF] == n)
			continue;			/* every value has this byte */
		for (b = 0; b < 256; b++)
		{
			int			c = count[b];

			count[b] = start;
			start += c;
		}
		for (j = 0; j < n; j++)
			to[count[(from[j] >> shift) & 0xFF]++] = from[j];
		swap = from;
		from = to;
		to = swap;
	}
	if (from != keys)
		memcpy(keys, from, sizeof(uint64) * n);
	pfree(buffer);
}

/* Put the exact values of s in their canonical, increasing order */
void
PipelineExactSort(PipelineSummary *s)
{
	int			i;

	for (i = 0; i < 2; i++)
		if (s->exact[i] > 1)
			SortNonNegativeDoubles(ExactValues(s, i), s->exact[i]);
}

/*
 * Why distribution i of s is inconsistent, or NULL if it is not: its sketch
 * must count exactly its values; exact values must be as many, finite and
 * at least 0 (never -0), in any order (a partial state from a parallel
 * worker is unsorted).  Whether they fill the sketch's buckets is not
 * checked here, on every read (it would cost a logarithm per value): the
 * input functions build the sketch from the values.
 */
const char *
PipelineDistributionError(PipelineSummary *s, int i)
{
	const double *values = ExactValues(s, i);
	int			j;
	const char *problem;

	if (s->exact[i] >= 0 && s->exact[i] != DistributionCount(s, i))
		return i == PIPELINE_SIZE ?
			"The number of exact deal sizes is not won_deals." :
			"The number of exact cycle lengths is not cycle_deals.";
	problem = SketchError(SketchCounts(s, i), SketchKeys(s, i), &s->sketch[i],
						  DistributionCount(s, i),
						  i == PIPELINE_SIZE ?
						  "The deal size sketch does not count the won deals." :
						  "The cycle sketch does not count the cycle lengths.");
	if (problem != NULL)
		return problem;
	if (s->exact[i] < 0)
		return DistributionCount(s, i) == 0 ? "An empty distribution is exact." : NULL;
	for (j = 0; j < s->exact[i]; j++)
		if (!isfinite(values[j]) || signbit(values[j]))
			return "Exact values must be finite numbers from 0 up.";
	return NULL;
}

/*
 * s with its exact values in increasing order: s itself when they are (a
 * canonical value), else a canonical copy (the partial state of an
 * aggregate, or the result of a combine function called by another)
 */
PipelineSummary *
PipelineSorted(PipelineSummary *s)
{
	int			i,
				j;

	for (i = 0; i < 2; i++)
		for (j = 1; j < s->exact[i]; j++)
			if (ExactValues(s, i)[j] < ExactValues(s, i)[j - 1])
				return PipelineCanonical(s);
	return s;
}

/* Accessors */

/* The q-quantile of distribution i of argument 0 */
static Datum
PipelineQuantile(FunctionCallInfo fcinfo, int i, double q)
{
	double		result;

	if (!DistributionQuantile(PipelineGetArg(fcinfo, 0), i, q, &result))
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
pipeline_median_sales_cycle(PG_FUNCTION_ARGS)
{
	return PipelineQuantile(fcinfo, PIPELINE_CYCLE, 0.5);
}

Datum
pipeline_sales_cycle_quantile(PG_FUNCTION_ARGS)
{
	return PipelineQuantile(fcinfo, PIPELINE_CYCLE, PG_GETARG_FLOAT8(1));
}

/*
 * deal_size_is_exact(s), sales_cycle_is_exact(s): whether the medians and
 * quantiles of the distribution are exact (at most PIPELINE_MAX_EXACT
 * values, all kept), rather than within 1 %
 */
Datum
deal_size_is_exact(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PipelineGetArg(fcinfo, 0)->exact[PIPELINE_SIZE] >= 0);
}

Datum
sales_cycle_is_exact(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PipelineGetArg(fcinfo, 0)->exact[PIPELINE_CYCLE] >= 0);
}
