/*-------------------------------------------------------------------------
 *
 * pipeline.c
 *	  Sales pipeline KPIs and pipeline coverage; the new-customer business
 *	  functions (CAC, payback, LTV:CAC) are in pipeline_business.c.
 *
 * One summary type, pipeline_summary, is the state of pipeline_agg() over
 * deals (amount, probability, created, closed, outcome): deal counts and
 * exact money sums per outcome, the summed length of the sales cycles of
 * won deals, and the two distributions of won deals (sizes and cycle
 * lengths) for the medians, exact up to 10,000 values and then within 1 %
 * (pipeline_quantiles.c).  Counts and sums merge by addition, so summaries
 * roll up across days, teams or parallel workers; every KPI is an
 * accessor.
 *
 * Money sums are exact sums of the doubles added (pipeline.h): integers of
 * 2^-1074 units in a window of 64-bit limbs, so a summary is the same,
 * to the last bit and byte, whatever the order of its rows and the merges
 * of a parallel plan or a rollup.  A row adds a double with two integer
 * additions; exact numeric sums would cost several times more.  The
 * aggregates' final function stores every sum and distribution in its
 * canonical layout (windows and arrays without spare room, exact values
 * sorted), so equal summaries are equal bytes.
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
#include "pipeline.h"

#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"
#include "parser/scansup.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/date.h"
#include "utils/float.h"
#include "utils/timestamp.h"

/*
 * The stored form of format 1 (1.1.0), read only: compensated sums
 * (sum + comp), then the sketches as in format 2.
 */
typedef struct PipelineSummaryV1
{
	int32		vl_len_;
	uint8		version;		/* PIPELINE_FORMAT_V1 */
	uint8		reserved[3];
	int64		open_deals;
	int64		won_deals;
	int64		lost_deals;
	int64		cycle_deals;
	double		sums[PIPELINE_NSUMS_V2][2];	/* sum, compensation */
	PipelineSketchHead sketch[2];
	int64		data[FLEXIBLE_ARRAY_MEMBER];
} PipelineSummaryV1;

#define PIPELINE_V1_BYTES(cap0, cap1) \
	(offsetof(PipelineSummaryV1, data) + \
	 (sizeof(int64) + sizeof(int32)) * ((Size) (cap0) + (cap1)))

/*
 * The stored form of format 2 (1.2.0), read only: format 3 without the
 * count and the sum of the open deals without a probability.
 */
typedef struct PipelineSummaryV2
{
	int32		vl_len_;
	uint8		version;		/* PIPELINE_FORMAT_V2 */
	uint8		reserved[3];
	int64		open_deals;
	int64		won_deals;
	int64		lost_deals;
	int64		cycle_deals;
	PipelineSketchHead sketch[2];
	PipelineSumHead sums[PIPELINE_NSUMS_V2];
	int32		reserved2;
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* limbs, counts, keys as in
												 * format 3 */
} PipelineSummaryV2;

#define PIPELINE_V2_BYTES(limbs, cap0, cap1) \
	(offsetof(PipelineSummaryV2, data) + sizeof(uint64) * (Size) (limbs) + \
	 (sizeof(int64) + sizeof(int32)) * ((Size) (cap0) + (cap1)))

/*
 * The stored form of format 3 (a 1.3.0 development version), read only:
 * format 4 without the exact values.
 */
typedef struct PipelineSummaryV3
{
	int32		vl_len_;
	uint8		version;		/* PIPELINE_FORMAT_V3 */
	uint8		reserved[3];
	int64		open_deals;
	int64		won_deals;
	int64		lost_deals;
	int64		cycle_deals;
	int64		unweighted_deals;
	PipelineSketchHead sketch[2];
	PipelineSumHead sums[PIPELINE_NSUMS];
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* limbs, counts, keys as in
												 * format 2 */
} PipelineSummaryV3;

PG_FUNCTION_INFO_V1(pipeline_summary_accum);
KPI_FORMER_SYMBOL(pipeline_accum, pipeline_summary_accum);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_date);
KPI_FORMER_SYMBOL(pipeline_date_accum, pipeline_summary_accum_date);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_numeric);
KPI_FORMER_SYMBOL(pipeline_numeric_accum, pipeline_summary_accum_numeric);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_numeric_date);
KPI_FORMER_SYMBOL(pipeline_numeric_date_accum, pipeline_summary_accum_numeric_date);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_bool);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_bool_date);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_bool_numeric);
PG_FUNCTION_INFO_V1(pipeline_summary_accum_bool_numeric_date);
PG_FUNCTION_INFO_V1(pipeline_summary_combine);
KPI_FORMER_SYMBOL(pipeline_combine, pipeline_summary_combine);
PG_FUNCTION_INFO_V1(pipeline_summary_final);
PG_FUNCTION_INFO_V1(pipeline_open_deals);
PG_FUNCTION_INFO_V1(pipeline_won_deals);
PG_FUNCTION_INFO_V1(pipeline_lost_deals);
PG_FUNCTION_INFO_V1(pipeline_open_pipeline_float8);
KPI_FORMER_SYMBOL(pipeline_open_pipeline, pipeline_open_pipeline_float8);
PG_FUNCTION_INFO_V1(pipeline_weighted_pipeline_float8);
KPI_FORMER_SYMBOL(pipeline_weighted_pipeline, pipeline_weighted_pipeline_float8);
PG_FUNCTION_INFO_V1(pipeline_won_amount_float8);
KPI_FORMER_SYMBOL(pipeline_won_amount, pipeline_won_amount_float8);
PG_FUNCTION_INFO_V1(pipeline_lost_amount_float8);
KPI_FORMER_SYMBOL(pipeline_lost_amount, pipeline_lost_amount_float8);
PG_FUNCTION_INFO_V1(open_pipeline);
PG_FUNCTION_INFO_V1(weighted_pipeline);
PG_FUNCTION_INFO_V1(won_amount);
PG_FUNCTION_INFO_V1(lost_amount);
PG_FUNCTION_INFO_V1(average_deal_size);
PG_FUNCTION_INFO_V1(open_deals_without_probability);
PG_FUNCTION_INFO_V1(open_pipeline_without_probability);
PG_FUNCTION_INFO_V1(pipeline_win_rate);
PG_FUNCTION_INFO_V1(pipeline_win_rate_ci);
PG_FUNCTION_INFO_V1(pipeline_win_proportion);
PG_FUNCTION_INFO_V1(pipeline_average_deal_size_float8);
KPI_FORMER_SYMBOL(pipeline_average_deal_size, pipeline_average_deal_size_float8);
PG_FUNCTION_INFO_V1(pipeline_average_sales_cycle);
PG_FUNCTION_INFO_V1(pipeline_velocity);
PG_FUNCTION_INFO_V1(pipeline_coverage);


void
PipelineLayoutOf(PipelineSummary *s, PipelineLayout *layout)
{
	memcpy(layout->sums, s->sums, sizeof(layout->sums));
	layout->capacity[0] = s->sketch[0].capacity;
	layout->capacity[1] = s->sketch[1].capacity;
	layout->exact_capacity[0] = s->exact_capacity[0];
	layout->exact_capacity[1] = s->exact_capacity[1];
}

/* An empty summary: no limbs, no buckets, no exact values (all of none) */
PipelineSummary *
PipelineCreate(void)
{
	Size		size = PIPELINE_BYTES(0, 0, 0, 0, 0);
	PipelineSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = PIPELINE_FORMAT_VERSION;
	s->amount_scale = PIPELINE_SCALE_NONE;
	return s;
}

/*
 * A copy of s in another layout: each new window must hold every nonzero
 * limb of its sum, each capacity the buckets or exact values in use.
 */
PipelineSummary *
PipelineRelayout(PipelineSummary *s, const PipelineLayout *layout)
{
	int			limbs = 0;
	Size		size;
	PipelineSummary *r;
	int			i;

	for (i = 0; i < PIPELINE_NSUMS; i++)
		limbs += layout->sums[i].n;
	size = PIPELINE_BYTES(limbs, layout->capacity[0], layout->capacity[1],
						  layout->exact_capacity[0], layout->exact_capacity[1]);
	r = palloc0(size);
	memcpy(r, s, offsetof(PipelineSummary, data));
	SET_VARSIZE(r, size);
	memcpy(r->sums, layout->sums, sizeof(r->sums));
	for (i = 0; i < PIPELINE_NSUMS; i++)
	{
		int			from = Max(s->sums[i].lo, r->sums[i].lo);
		int			to = Min(s->sums[i].lo + s->sums[i].n, r->sums[i].lo + r->sums[i].n);

		if (to > from)
			memcpy(SumLimbs(r, i) + (from - r->sums[i].lo),
				   SumLimbs(s, i) + (from - s->sums[i].lo), sizeof(uint64) * (to - from));
	}
	for (i = 0; i < 2; i++)
	{
		Assert(layout->capacity[i] >= s->sketch[i].nbuckets);
		Assert(layout->exact_capacity[i] >= s->exact[i]);
		r->sketch[i].capacity = layout->capacity[i];
		r->exact_capacity[i] = layout->exact_capacity[i];
	}
	for (i = 0; i < 2; i++)
	{
		memcpy(SketchCounts(r, i), SketchCounts(s, i), sizeof(int64) * s->sketch[i].nbuckets);
		memcpy(SketchKeys(r, i), SketchKeys(s, i), sizeof(int32) * s->sketch[i].nbuckets);
		if (s->exact[i] > 0)
			memcpy(ExactValues(r, i), ExactValues(s, i), sizeof(double) * s->exact[i]);
	}
	return r;
}

/*
 * The canonical form of s, a new value: each window from the lowest to the
 * highest nonzero limb, arrays without spare room, exact values sorted.
 * Equal summaries have equal canonical forms, byte for byte.
 */
PipelineSummary *
PipelineCanonical(PipelineSummary *s)
{
	PipelineLayout layout;
	int			i;

	for (i = 0; i < PIPELINE_NSUMS; i++)
	{
		uint64	   *limbs = SumLimbs(s, i);
		int			first = 0,
					last = s->sums[i].n - 1;

		while (last >= 0 && limbs[last] == 0)
			last--;
		while (first < last && limbs[first] == 0)
			first++;
		layout.sums[i].lo = last < 0 ? 0 : s->sums[i].lo + first;
		layout.sums[i].n = last < 0 ? 0 : last - first + 1;
	}
	for (i = 0; i < 2; i++)
	{
		layout.capacity[i] = s->sketch[i].nbuckets;
		layout.exact_capacity[i] = Max(s->exact[i], 0);
	}
	s = PipelineRelayout(s, &layout);
	PipelineExactSort(s);
	return s;
}

/* The value of sum i, rounded to the nearest double */
static double
SumValue(PipelineSummary *s, int i)
{
	return PipelineLimbsRound(SumLimbs(s, i), s->sums[i].lo, s->sums[i].n);
}

/*
 * Why the counts and sums of s are inconsistent, or NULL if they are not.
 * This part reads no bucket and, unless a sum reaches the top limbs, no
 * limb, so the producers run it on every value they return.
 */
static const char *
PipelineTotalsError(PipelineSummary *s)
{
	int64		total;
	int			i;

	if (s->open_deals < 0 || s->won_deals < 0 || s->lost_deals < 0 ||
		s->cycle_deals < 0 || s->unweighted_deals < 0 ||
		s->sketch[0].zeros < 0 || s->sketch[1].zeros < 0)
		return "A count is negative.";
	if (pg_add_s64_overflow(s->open_deals, s->won_deals, &total) ||
		pg_add_s64_overflow(total, s->lost_deals, &total))
		return "The number of deals exceeds the bigint range.";
	if (s->cycle_deals > s->won_deals)
		return "More cycle lengths than won deals.";
	if (s->unweighted_deals > s->open_deals)
		return "More open deals without a probability than open deals.";
	if (s->amount_scale < PIPELINE_SCALE_DOUBLE || s->amount_scale > PIPELINE_MAX_SCALE ||
		(s->amount_scale == PIPELINE_SCALE_NONE) != (total == 0))
		return "The amount scale must be none without deals, else double or 0 to 18 decimals.";
	/* a window below limb 32 holds less than 2^974 */
	for (i = 0; i < PIPELINE_NSUMS; i++)
		if (s->sums[i].lo + s->sums[i].n > 32 &&
			!PipelineLimbsFinite(SumLimbs(s, i), s->sums[i].lo, s->sums[i].n))
			return "A sum is not finite.";
	return NULL;
}

/*
 * Why a canonical s is not a valid summary (totals and distributions), or
 * NULL if it is
 */
const char *
PipelineCountsError(PipelineSummary *s)
{
	const char *problem = PipelineTotalsError(s);

	if (problem == NULL)
		problem = PipelineDistributionError(s, PIPELINE_SIZE);
	if (problem == NULL)
		problem = PipelineDistributionError(s, PIPELINE_CYCLE);
	return problem;
}

/*
 * What a summary of an older format did not keep: its distributions had
 * sketches alone (exact only when empty), its amounts no type (doubles, as
 * they were added, unless there are none)
 */
void
PipelineFromOldDefaults(PipelineSummary *s)
{
	int			i;

	for (i = 0; i < 2; i++)
		s->exact[i] = DistributionCount(s, i) == 0 ? 0 : -1;
	s->amount_scale = s->open_deals == 0 && s->won_deals == 0 && s->lost_deals == 0 ?
		PIPELINE_SCALE_NONE : PIPELINE_SCALE_DOUBLE;
}

/* The value of the sum of terms, in a summary of no limbs for it yet */
PipelineSummary *
PipelineSumSetTerms(PipelineSummary *s, int i, const double *terms, int nterms,
			const char **problem)
{
	uint64		limbs[PIPELINE_LIMBS];
	PipelineLayout layout;
	int			first = 0,
				last = PIPELINE_LIMBS - 1;

	Assert(s->sums[i].n == 0);
	if (!PipelineLimbsFromTerms(terms, nterms, limbs))
	{
		*problem = "A sum is negative.";
		return NULL;
	}
	if (!PipelineLimbsFinite(limbs, 0, PIPELINE_LIMBS))
	{
		*problem = "A sum is not finite.";
		return NULL;
	}
	while (last >= 0 && limbs[last] == 0)
		last--;
	if (last < 0)
		return s;
	while (limbs[first] == 0)
		first++;
	PipelineLayoutOf(s, &layout);
	layout.sums[i].lo = first;
	layout.sums[i].n = last - first + 1;
	s = PipelineRelayout(s, &layout);
	memcpy(SumLimbs(s, i), limbs + first, sizeof(uint64) * (last - first + 1));
	return s;
}

/*
 * A stored value of format 1 (1.1.0) in format 4: each compensated pair is
 * the exact sum sum + comp (which its accessors rounded).  Validated fully
 * by the caller's PipelineValid.
 */
static PipelineSummary *
PipelineFromV1(const void *value)
{
	const PipelineSummaryV1 *v1 = value;
	PipelineSummary *s = PipelineCreate();
	const int64 *counts[2];
	const int32 *keys[2];
	const char *problem = NULL;
	PipelineLayout layout;
	int			i;

	counts[0] = v1->data;
	counts[1] = v1->data + v1->sketch[0].capacity;
	keys[0] = (const int32 *) (v1->data + v1->sketch[0].capacity + v1->sketch[1].capacity);
	keys[1] = keys[0] + v1->sketch[0].capacity;

	s->open_deals = v1->open_deals;
	s->won_deals = v1->won_deals;
	s->lost_deals = v1->lost_deals;
	s->cycle_deals = v1->cycle_deals;
	for (i = 0; i < PIPELINE_NSUMS_V2; i++)
		if ((s = PipelineSumSetTerms(s, i, v1->sums[i], 2, &problem)) == NULL)
			KpiSummaryCorrupt("pipeline_summary");
	PipelineLayoutOf(s, &layout);
	layout.capacity[0] = v1->sketch[0].nbuckets;
	layout.capacity[1] = v1->sketch[1].nbuckets;
	s = PipelineRelayout(s, &layout);
	for (i = 0; i < 2; i++)
	{
		s->sketch[i].zeros = v1->sketch[i].zeros;
		s->sketch[i].nbuckets = v1->sketch[i].nbuckets;
		memcpy(SketchCounts(s, i), counts[i], sizeof(int64) * v1->sketch[i].nbuckets);
		memcpy(SketchKeys(s, i), keys[i], sizeof(int32) * v1->sketch[i].nbuckets);
	}
	PipelineFromOldDefaults(s);
	return s;
}

/* The header check of a format 1 value, and with full its contents */
static bool
PipelineValidV1(const PipelineSummaryV1 *v1, bool full)
{
	int			i;

	if (VARSIZE(v1) < offsetof(PipelineSummaryV1, data) ||
		v1->sketch[0].nbuckets < 0 || v1->sketch[1].nbuckets < 0 ||
		v1->sketch[0].nbuckets > v1->sketch[0].capacity ||
		v1->sketch[1].nbuckets > v1->sketch[1].capacity ||
		VARSIZE(v1) != PIPELINE_V1_BYTES(v1->sketch[0].capacity, v1->sketch[1].capacity))
		return false;
	if (!full)
		return true;
	/* what 1.1.0 checked of the sums: finite parts, a finite total >= 0 */
	for (i = 0; i < PIPELINE_NSUMS_V2; i++)
		if (!isfinite(v1->sums[i][0]) || !isfinite(v1->sums[i][1]) ||
			!isfinite(v1->sums[i][0] + v1->sums[i][1]) ||
			v1->sums[i][0] + v1->sums[i][1] < 0.0)
			return false;
	/* the counts and sketches as format 4 checks them */
	return PipelineCountsError(PipelineFromV1(v1)) == NULL;
}

/*
 * A summary of format 4 from the parts of a format 2 or 3 value, whose
 * data are laid out alike: the limbs of nsums sums, then the bucket counts
 * and keys of each sketch in arrays of its capacity.  The bucket arrays
 * lose their spare room.  Validated fully by the caller's PipelineValid.
 */
static PipelineSummary *
PipelineFromParts(const int64 deals[5], const PipelineSketchHead sketch[2],
				  const PipelineSumHead *sums, int nsums, const int64 *data)
{
	int			limbs = 0;
	const int64 *counts;
	const int32 *keys;
	Size		size;
	PipelineSummary *s;
	int			i;

	for (i = 0; i < nsums; i++)
		limbs += sums[i].n;
	counts = data + limbs;
	keys = (const int32 *) (counts + sketch[0].capacity + sketch[1].capacity);
	size = PIPELINE_BYTES(limbs, sketch[0].nbuckets, sketch[1].nbuckets, 0, 0);
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->version = PIPELINE_FORMAT_VERSION;
	s->open_deals = deals[0];
	s->won_deals = deals[1];
	s->lost_deals = deals[2];
	s->cycle_deals = deals[3];
	s->unweighted_deals = deals[4];
	memcpy(s->sums, sums, sizeof(PipelineSumHead) * nsums);
	memcpy(s->data, data, sizeof(uint64) * limbs);
	for (i = 0; i < 2; i++)
	{
		s->sketch[i].zeros = sketch[i].zeros;
		s->sketch[i].nbuckets = s->sketch[i].capacity = sketch[i].nbuckets;
	}
	for (i = 0; i < 2; i++)
	{
		memcpy(SketchCounts(s, i), counts + (i == 0 ? 0 : sketch[0].capacity),
			   sizeof(int64) * sketch[i].nbuckets);
		memcpy(SketchKeys(s, i), keys + (i == 0 ? 0 : sketch[0].capacity),
			   sizeof(int32) * sketch[i].nbuckets);
	}
	PipelineFromOldDefaults(s);
	return s;
}

/*
 * A stored value of format 2 (1.2.0) in format 4: no open deal without a
 * probability (1.2.0 rejected them).
 */
static PipelineSummary *
PipelineFromV2(const void *value)
{
	const PipelineSummaryV2 *v2 = value;
	const int64 deals[5] = {v2->open_deals, v2->won_deals, v2->lost_deals, v2->cycle_deals, 0};

	return PipelineFromParts(deals, v2->sketch, v2->sums, PIPELINE_NSUMS_V2, v2->data);
}

/* A stored value of format 3 in format 4 */
static PipelineSummary *
PipelineFromV3(const void *value)
{
	const PipelineSummaryV3 *v3 = value;
	const int64 deals[5] = {v3->open_deals, v3->won_deals, v3->lost_deals, v3->cycle_deals,
	v3->unweighted_deals};

	return PipelineFromParts(deals, v3->sketch, v3->sums, PIPELINE_NSUMS, v3->data);
}

/* A stored value of an older format in format 4 */
PipelineSummary *
PipelineFromOld(const void *value)
{
	switch (((const PipelineSummary *) value)->version)
	{
		case PIPELINE_FORMAT_V3:
			return PipelineFromV3(value);
		case PIPELINE_FORMAT_V2:
			return PipelineFromV2(value);
		default:
			return PipelineFromV1(value);
	}
}

/*
 * Whether the header of a format 2 or 3 value (its sketches and nsums sums,
 * its data at offset data) describes the value's own size
 */
static bool
PipelineOldHeaderValid(const void *value, Size data, const PipelineSketchHead sketch[2],
					   const PipelineSumHead *sums, int nsums)
{
	int			limbs = 0;
	int			i;

	if (VARSIZE(value) < data ||
		sketch[0].nbuckets < 0 || sketch[1].nbuckets < 0 ||
		sketch[0].nbuckets > sketch[0].capacity ||
		sketch[1].nbuckets > sketch[1].capacity)
		return false;
	for (i = 0; i < nsums; i++)
	{
		if (sums[i].lo < 0 || sums[i].n < 0 || sums[i].lo + sums[i].n > PIPELINE_LIMBS)
			return false;
		limbs += sums[i].n;
	}
	return VARSIZE(value) == data + sizeof(uint64) * (Size) limbs +
		(sizeof(int64) + sizeof(int32)) * ((Size) sketch[0].capacity + sketch[1].capacity);
}

/*
 * PipelineValid
 *		Is a stored value what this code (or an older version's) writes?  The
 *		header must describe the value's own size; with "full" the counts,
 *		sums and distributions must be consistent too.
 */
static bool
PipelineValid(const void *value, bool full)
{
	PipelineSummary *s = (PipelineSummary *) value;
	int			i;

	if (VARSIZE(s) < offsetof(PipelineSummary, version) + 1)
		return false;
	switch (s->version)
	{
		case PIPELINE_FORMAT_V1:
			return PipelineValidV1((const PipelineSummaryV1 *) value, full);
		case PIPELINE_FORMAT_V2:
			{
				const PipelineSummaryV2 *v2 = value;

				if (!PipelineOldHeaderValid(value, offsetof(PipelineSummaryV2, data),
											v2->sketch, v2->sums, PIPELINE_NSUMS_V2))
					return false;
				return !full || PipelineCountsError(PipelineFromV2(value)) == NULL;
			}
		case PIPELINE_FORMAT_V3:
			{
				const PipelineSummaryV3 *v3 = value;

				if (!PipelineOldHeaderValid(value, offsetof(PipelineSummaryV3, data),
											v3->sketch, v3->sums, PIPELINE_NSUMS))
					return false;
				return !full || PipelineCountsError(PipelineFromV3(value)) == NULL;
			}
		case PIPELINE_FORMAT_VERSION:
			break;
		default:
			return false;
	}
	if (VARSIZE(s) < offsetof(PipelineSummary, data))
		return false;
	for (i = 0; i < 2; i++)
		if (s->sketch[i].nbuckets < 0 || s->sketch[i].nbuckets > s->sketch[i].capacity ||
			s->exact[i] < -1 || s->exact[i] > s->exact_capacity[i] ||
			s->exact_capacity[i] > PIPELINE_MAX_EXACT)
			return false;
	for (i = 0; i < PIPELINE_NSUMS; i++)
		if (s->sums[i].lo < 0 || s->sums[i].n < 0 ||
			s->sums[i].lo + s->sums[i].n > PIPELINE_LIMBS)
			return false;
	if (VARSIZE(s) != PIPELINE_BYTES(LimbsTotal(s), s->sketch[0].capacity,
									 s->sketch[1].capacity, s->exact_capacity[0],
									 s->exact_capacity[1]))
		return false;
	return !full || PipelineCountsError(s) == NULL;
}

const KpiSummaryType PipelineType = {"pipeline_summary", -1, PipelineValid};

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
 * pipeline_summary_in would reject.  Called directly, outside an aggregate,
 * it returns the canonical form.
 */
static Datum
PipelineReturn(FunctionCallInfo fcinfo, PipelineSummary *s)
{
	if (PipelineTotalsError(s) != NULL)
		PipelineOverflow();
	if (!AggCheckCallContext(fcinfo, NULL))
		s = PipelineCanonical(s);
	return PointerGetDatum(s);
}


/* Exact sums */

/*
 * A copy of s whose window of sum i holds limbs from .. to (within the
 * range) and one more above for carries, the rest as it was.
 */
static PipelineSummary *
SumReserve(PipelineSummary *s, int i, int from, int to)
{
	PipelineLayout layout;
	int			lo = s->sums[i].lo,
				top = s->sums[i].lo + s->sums[i].n - 1;

	if (s->sums[i].n == 0)
	{
		lo = from;
		top = to;
	}
	lo = Min(lo, from);
	top = Min(Max(top, to) + 1, PIPELINE_LIMBS - 1);
	PipelineLayoutOf(s, &layout);
	layout.sums[i].lo = lo;
	layout.sums[i].n = top - lo + 1;
	return PipelineRelayout(s, &layout);
}

/*
 * Add a carry to limb k of sum i and up: rare, when limb k - 1 overflowed.
 * The value stays within the range (below 2^1025 after one addition to a
 * finite sum), so the carry stops within it.
 */
static pg_noinline PipelineSummary *
SumCarry(PipelineSummary *s, int i, int k)
{
	for (;; k++)
	{
		uint64	   *limb;

		Assert(k < PIPELINE_LIMBS);
		if (k >= s->sums[i].lo + s->sums[i].n)
			s = SumReserve(s, i, k, k);
		limb = SumLimbs(s, i) + (k - s->sums[i].lo);
		if (++(*limb) != 0)
			return s;
	}
}

/*
 * Add a finite x >= 0 to sum i of s, exactly: its 53-bit mantissa, shifted
 * to its bit, is added to the two limbs it spans.  Returns s, or a larger
 * copy when the window must grow (a sum seldom spans more than three
 * limbs, and the window keeps what it grew to).  The caller checks that
 * the sum stays finite.
 */
static inline PipelineSummary *
SumAdd(PipelineSummary *s, int i, double x)
{
	/* set only for x > 0, but some compilers cannot tell once inlined */
	uint64		lo = 0,
				hi = 0;
	uint64	   *limb;
	int			k;

	if (!PipelineSplitDouble(x, &k, &lo, &hi))
		return s;
	if (unlikely(k < s->sums[i].lo || k + 1 >= s->sums[i].lo + s->sums[i].n))
		s = SumReserve(s, i, k, k + 1);
	limb = SumLimbs(s, i) + (k - s->sums[i].lo);
	limb[0] += lo;
	hi += limb[0] < lo;
	limb[1] += hi;
	if (unlikely(limb[1] < hi))
		s = SumCarry(s, i, k + 2);
	return s;
}

/* Add sum i of b to sum i of a (which may grow) */
static PipelineSummary *
SumMerge(PipelineSummary *a, PipelineSummary *b, int i)
{
	uint64	   *from = SumLimbs(b, i);
	int			first = 0,
				last = b->sums[i].n - 1,
				k;
	uint64	   *to;
	uint64		carry = 0;

	while (last >= 0 && from[last] == 0)
		last--;
	if (last < 0)
		return a;
	while (from[first] == 0)
		first++;
	first += b->sums[i].lo;
	last += b->sums[i].lo;
	if (first < a->sums[i].lo || a->sums[i].n == 0 ||
		last >= a->sums[i].lo + a->sums[i].n)
		a = SumReserve(a, i, first, last);
	to = SumLimbs(a, i);
	for (k = first; k <= last; k++)
	{
		uint64		t = from[k - b->sums[i].lo] + carry;
		uint64	   *limb = &to[k - a->sums[i].lo];

		carry = t < carry;
		*limb += t;
		carry += *limb < t;
	}
	return carry ? SumCarry(a, i, last + 1) : a;
}


/*
 * Aggregate support
 *
 * pipeline_agg starts from an empty summary (INITCOND).  Its transition
 * functions are not strict, since an open deal needs no close date and a
 * closed one no probability; a deal whose amount, outcome or creation is
 * NULL is skipped.  An open deal without a probability is counted apart
 * (unweighted_deals, SUM_UNWEIGHTED) and left out of the weighted pipeline.
 */

/*
 * The outcome a text names: "open", "won" or "lost" in any case, with any
 * leading and trailing white space (CRM exports pad picklist values), else
 * a 22023 error naming it (pipeline_changes.c reads snapshot statuses so)
 */
DealOutcome
PipelineOutcome(text *outcome)
{
	const char *p = VARDATA_ANY(outcome);
	int			len = VARSIZE_ANY_EXHDR(outcome);

	while (len > 0 && scanner_isspace(p[0]))
	{
		p++;
		len--;
	}
	while (len > 0 && scanner_isspace(p[len - 1]))
		len--;
	if (len == 3 && pg_strncasecmp(p, "won", 3) == 0)
		return DEAL_WON;
	if (len == 4 && pg_strncasecmp(p, "open", 4) == 0)
		return DEAL_OPEN;
	if (len == 4 && pg_strncasecmp(p, "lost", 4) == 0)
		return DEAL_LOST;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("deal outcome \"%s\" is not recognized", text_to_cstring(outcome)),
			 errhint("The outcome is \"open\", \"won\" or \"lost\" (in any case, white space around it ignored).")));
	return DEAL_OPEN;			/* keep compiler quiet */
}

/*
 * The outcome of the boolean form (is_closed, is_won), as Salesforce's
 * IsClosed and IsWon store it: not closed is open, closed is won or lost.
 * False when the outcome is unknown (is_closed NULL, or a closed deal with
 * is_won NULL): the deal is skipped, as a NULL text outcome is.  An open
 * deal marked won is a 22023 error.
 */
static bool
PipelineOutcomeBool(FunctionCallInfo fcinfo, DealOutcome *outcome)
{
	if (PG_ARGISNULL(5))
		return false;
	if (!PG_GETARG_BOOL(5))
	{
		if (!PG_ARGISNULL(6) && PG_GETARG_BOOL(6))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("deal outcome is_closed false, is_won true is not recognized"),
					 errhint("A won deal is closed: is_closed true, is_won true.")));
		*outcome = DEAL_OPEN;
		return true;
	}
	if (PG_ARGISNULL(6))
		return false;
	*outcome = PG_GETARG_BOOL(6) ? DEAL_WON : DEAL_LOST;
	return true;
}

/*
 * Add x >= 0 to sum i; a 22003 error when the sum no longer rounds to a
 * finite double (checked only once its window reaches the top limbs).
 */
static inline PipelineSummary *
PipelineSumAdd(PipelineSummary *s, int i, double x)
{
	s = SumAdd(s, i, x);
	if (unlikely(s->sums[i].lo + s->sums[i].n > 32) &&
		!PipelineLimbsFinite(SumLimbs(s, i), s->sums[i].lo, s->sums[i].n))
		PipelineOverflow();
	return s;
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
	/* -0 adds nothing, and is not a bit pattern of the sums */
	amount += 0.0;

	switch (outcome)
	{
		case DEAL_OPEN:
			{
				double		p;

				PipelineCount(&s->open_deals, 1);
				s = PipelineSumAdd(s, SUM_OPEN, amount);

				/*
				 * Without a probability the deal is in the open pipeline but
				 * not in the weighted one; unweighted_deals says how many.
				 */
				if (PG_ARGISNULL(2))
				{
					PipelineCount(&s->unweighted_deals, 1);
					s = PipelineSumAdd(s, SUM_UNWEIGHTED, amount);
					break;
				}
				p = PG_GETARG_FLOAT8(2);
				if (isnan(p) || p < 0.0 || p > 1.0)
					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("deal probability %g is out of range", p),
							 errhint("Probabilities are fractions from 0 to 1: divide percentages by 100.")));
				s = PipelineSumAdd(s, SUM_WEIGHTED, amount * p + 0.0);
				break;
			}
		case DEAL_LOST:
			PipelineCount(&s->lost_deals, 1);
			s = PipelineSumAdd(s, SUM_LOST, amount);
			break;
		case DEAL_WON:
			PipelineCount(&s->won_deals, 1);
			s = PipelineSumAdd(s, SUM_WON, amount);
			s = PipelineValueAdd(s, PIPELINE_SIZE, amount);
			if (!isnan(cycle_days))
			{
				if (cycle_days < 0.0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("deal closed %g days before it was created", -cycle_days)));
				PipelineCount(&s->cycle_deals, 1);
				s = PipelineSumAdd(s, SUM_CYCLE, cycle_days + 0.0);
				s = PipelineValueAdd(s, PIPELINE_CYCLE, cycle_days + 0.0);
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
 * created, closed, outcome text) or, with booleans, (..., closed, is_closed,
 * is_won); amount float8 or numeric, created and closed timestamptz or
 * date.
 */
static Datum
PipelineAccum(FunctionCallInfo fcinfo, bool numeric, bool dates, bool booleans)
{
	PipelineSummary *s;
	DealOutcome outcome;
	double		amount;
	int16		scale;

	/* not strict: a direct call with a NULL summary has nothing to add to */
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = PipelineCurrent(KpiSummaryState(fcinfo, 0, &PipelineType));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(s);
	if (booleans)
	{
		if (!PipelineOutcomeBool(fcinfo, &outcome))
			PG_RETURN_POINTER(s);
	}
	else
	{
		if (PG_ARGISNULL(5))
			PG_RETURN_POINTER(s);
		outcome = PipelineOutcome(PG_GETARG_TEXT_PP(5));
	}
	if (numeric)
	{
		int			dscale;

		amount = KpiNumericToFloat8(PG_GETARG_NUMERIC(1), &dscale);
		scale = dscale <= PIPELINE_MAX_SCALE ? dscale : PIPELINE_SCALE_DOUBLE;
	}
	else
	{
		amount = PG_GETARG_FLOAT8(1);
		scale = PIPELINE_SCALE_DOUBLE;
	}
	s = PipelineAdd(fcinfo, s, amount, outcome,
					outcome == DEAL_WON ? CycleDays(fcinfo, dates) : 0.0);
	s->amount_scale = PipelineMergeScale(s->amount_scale, scale);
	return PipelineReturn(fcinfo, s);
}

Datum
pipeline_summary_accum(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, false, false, false);
}

Datum
pipeline_summary_accum_date(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, false, true, false);
}

Datum
pipeline_summary_accum_numeric(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, true, false, false);
}

Datum
pipeline_summary_accum_numeric_date(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, true, true, false);
}

Datum
pipeline_summary_accum_bool(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, false, false, true);
}

Datum
pipeline_summary_accum_bool_date(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, false, true, true);
}

Datum
pipeline_summary_accum_bool_numeric(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, true, false, true);
}

Datum
pipeline_summary_accum_bool_numeric_date(PG_FUNCTION_ARGS)
{
	return PipelineAccum(fcinfo, true, true, true);
}

/*
 * pipeline_summary_combine(a, b): a + b, the combine function of pipeline_agg
 * and the transition function of rollup().  Strict.
 */
Datum
pipeline_summary_combine(PG_FUNCTION_ARGS)
{
	PipelineSummary *a = PipelineCurrent(KpiSummaryMergeState(fcinfo, 0, &PipelineType));
	PipelineSummary *b = PipelineGetArg(fcinfo, 1);
	int			i;

	PipelineCount(&a->open_deals, b->open_deals);
	PipelineCount(&a->won_deals, b->won_deals);
	PipelineCount(&a->lost_deals, b->lost_deals);
	PipelineCount(&a->cycle_deals, b->cycle_deals);
	PipelineCount(&a->unweighted_deals, b->unweighted_deals);
	a->amount_scale = PipelineMergeScale(a->amount_scale, b->amount_scale);
	for (i = 0; i < PIPELINE_NSUMS; i++)
		a = SumMerge(a, b, i);
	if (PipelineTotalsError(a) != NULL)
		PipelineOverflow();
	/* sketch counts cannot overflow now: they add up to the deal counts */
	for (i = 0; i < 2; i++)
		a = PipelineDistributionMerge(a, b, i);
	return PipelineReturn(fcinfo, a);
}

/*
 * pipeline_summary_final(s): the final function of pipeline_agg and of
 * rollup(pipeline_summary): the state in its canonical form, so that a
 * summary of the same deals is the same bytes whatever the plan (what
 * REFRESH MATERIALIZED VIEW CONCURRENTLY compares).  Strict, read-only.
 */
Datum
pipeline_summary_final(PG_FUNCTION_ARGS)
{
	/* in an aggregate, the state this code built: its header is checked */
	PG_RETURN_POINTER(PipelineCanonical(PipelineCurrent(KpiSummaryMergeState(fcinfo, 0,
																		   &PipelineType))));
}


/* Accessors: counts and sums */

/* A double as numeric: its shortest decimal, which reads back as it */
static Numeric
DoubleNumeric(double x)
{
	char		digits[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(x, digits);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(digits),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/*----------
 * Sum i of s as numeric.  With numeric amounts of at most k decimals, the
 * exact sum of their doubles rounds to the exact decimal sum at k decimals:
 * each double is within 2^-53 (relative) of its amount, so the two sums
 * differ by less than half a unit of the k-th decimal while the sum is
 * below 2^51 units of it (2.2 * 10^13 at 2 decimals).  A sum of amounts
 * (what names it) past that is a 22003 error, never a number that may be a
 * unit off; the weighted pipeline (what NULL), a sum of products of amounts
 * and probabilities, is rounded to k decimals (past 2^62 units, written as
 * its double).  Double amounts give the double their sum rounds to.
 *----------
 */
static Numeric
MoneySum(PipelineSummary *s, int i, const char *what)
{
	uint64		units;
	uint64		p = 1;
	char		text[48];
	int			k;

	if (s->amount_scale < 0)	/* double amounts, or none */
		return DoubleNumeric(SumValue(s, i));
	if (!PipelineLimbsScaled(SumLimbs(s, i), s->sums[i].lo, s->sums[i].n, s->amount_scale,
							 &units) ||
		(what != NULL && units >= (UINT64CONST(1) << 51)))
	{
		if (what == NULL)
			return DoubleNumeric(SumValue(s, i));
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of the range of exact numeric sums", what),
				 errdetail("Amounts of %d decimals add up exactly below 2^51 units of the last decimal.",
						   s->amount_scale),
				 errhint("%s_float8() returns it as double precision; sum() of the amounts, exactly.",
						 what)));
	}
	for (k = 0; k < s->amount_scale; k++)
		p *= 10;
	if (s->amount_scale == 0)
		snprintf(text, sizeof(text), UINT64_FORMAT, units);
	else
		snprintf(text, sizeof(text), UINT64_FORMAT ".%0*llu", units / p,
				 (int) s->amount_scale, (unsigned long long) (units % p));
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

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
pipeline_open_pipeline_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(SumValue(PipelineGetArg(fcinfo, 0), SUM_OPEN));
}

Datum
pipeline_weighted_pipeline_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(SumValue(PipelineGetArg(fcinfo, 0), SUM_WEIGHTED));
}

Datum
pipeline_won_amount_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(SumValue(PipelineGetArg(fcinfo, 0), SUM_WON));
}

Datum
pipeline_lost_amount_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(SumValue(PipelineGetArg(fcinfo, 0), SUM_LOST));
}

/* Open deals without a probability, left out of the weighted pipeline */
Datum
open_deals_without_probability(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PipelineGetArg(fcinfo, 0)->unweighted_deals);
}

Datum
open_pipeline_without_probability(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(MoneySum(PipelineGetArg(fcinfo, 0), SUM_UNWEIGHTED,
							   "open_pipeline_without_probability"));
}

/*
 * The money accessors as numeric (MoneySum): sums of numeric amounts exact
 * in their decimals, the weighted pipeline rounded to them; sums of double
 * amounts as the doubles the _float8 accessors return, written out
 */
Datum
open_pipeline(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(MoneySum(PipelineGetArg(fcinfo, 0), SUM_OPEN, "open_pipeline"));
}

Datum
weighted_pipeline(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(MoneySum(PipelineGetArg(fcinfo, 0), SUM_WEIGHTED, NULL));
}

Datum
won_amount(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(MoneySum(PipelineGetArg(fcinfo, 0), SUM_WON, "won_amount"));
}

Datum
lost_amount(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(MoneySum(PipelineGetArg(fcinfo, 0), SUM_LOST, "lost_amount"));
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
double
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
	*result = SumValue(s, SUM_WON) / (double) s->won_deals;
	return true;
}

/* Average sales cycle in days; false with no cycle */
static bool
AverageCycle(PipelineSummary *s, double *result)
{
	if (s->cycle_deals == 0)
		return false;
	*result = SumValue(s, SUM_CYCLE) / (double) s->cycle_deals;
	return true;
}

Datum
pipeline_average_deal_size_float8(PG_FUNCTION_ARGS)
{
	double		result;

	if (!AverageDealSize(PipelineGetArg(fcinfo, 0), &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/*
 * average_deal_size(s) as numeric: the won amount over the won deals as
 * numeric division divides it (avg() of the numeric amounts), or the double
 * average of double amounts written out; NULL without won deals
 */
Datum
average_deal_size(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineGetArg(fcinfo, 0);
	double		result;

	if (!AverageDealSize(s, &result))
		PG_RETURN_NULL();
	if (s->amount_scale < 0)
		PG_RETURN_NUMERIC(DoubleNumeric(result));
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_div,
										NumericGetDatum(MoneySum(s, SUM_WON, "won_amount")),
										DirectFunctionCall1(int8_numeric,
															Int64GetDatum(s->won_deals))));
}

Datum
pipeline_average_sales_cycle(PG_FUNCTION_ARGS)
{
	double		result;

	if (!AverageCycle(PipelineGetArg(fcinfo, 0), &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
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
	PG_RETURN_FLOAT8(PipelineRatio(SumValue(s, weighted ? SUM_WEIGHTED : SUM_OPEN) / quota,
								   "pipeline coverage"));
}
