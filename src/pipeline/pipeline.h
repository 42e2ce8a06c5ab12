/*-------------------------------------------------------------------------
 *
 * pipeline.h
 *	  The pipeline summary's layout, shared by pipeline.c (aggregates and
 *	  accessors), pipeline_io.c (text and binary forms) and pipeline_sum.c
 *	  (its exact sums).
 *
 * A sum of non-negative doubles is kept exactly as a fixed-point integer N:
 * the value is N * 2^-1074, 2^-1074 being the smallest subnormal double, of
 * which every double is an integer multiple.  N is held in 64-bit limbs,
 * limb j weighing 2^(64 j - 1074); 33 limbs reach 2^1038, beyond any sum
 * that rounds to a finite double plus one more finite double.  A summary
 * stores only a window of consecutive limbs of each sum.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include "crm_kpi.h"

#define PIPELINE_LIMBS		33	/* limbs of the whole fixed-point range */

/*
 * Terms of a sum in the text and binary forms: the canonical expansion has
 * at most 41 (each term takes 53 bits off the 2098 of the range), a literal
 * may have up to 64.
 */
#define PIPELINE_MAX_TERMS	64

#define PIPELINE_MANTISSA_MASK	((UINT64CONST(1) << 52) - 1)
#define PIPELINE_HIDDEN_BIT		(UINT64CONST(1) << 52)

/*
 * A finite double x >= 0 as an integer of 2^-1074 units: its 53-bit mantissa
 * shifted to its bit, which spans limbs *k (the low 64 bits, *lo) and *k + 1
 * (*hi).  False for 0.
 */
static inline bool
PipelineSplitDouble(double x, int *k, uint64 *lo, uint64 *hi)
{
	uint64		bits,
				m;
	int			b,
				pos;

	memcpy(&bits, &x, sizeof(bits));
	if (bits == 0)
		return false;
	b = (int) (bits >> 52);		/* x >= 0: no sign bit */
	m = bits & PIPELINE_MANTISSA_MASK;
	if (b > 0)
		m |= PIPELINE_HIDDEN_BIT;
	pos = b > 0 ? b - 1 : 0;	/* the bit of the mantissa's lowest bit */
	*k = pos >> 6;
	*lo = m << (pos & 63);
	*hi = (m >> 1) >> (63 - (pos & 63));
	return true;
}

/*
 * The window's value (limbs lo .. lo + n - 1) rounded to the nearest double,
 * ties to even: what a sum in exact arithmetic would read; +Infinity past
 * the double range.
 */
extern double PipelineLimbsRound(const uint64 *limbs, int lo, int n);

/* Whether the window's value (limb lo first) rounds to a finite double */
extern bool PipelineLimbsFinite(const uint64 *limbs, int lo, int n);

/*
 * The window's value times 10^scale (scale 0 to PIPELINE_MAX_SCALE), rounded
 * to the nearest integer (halves up), into *units; false if that is 2^62 or
 * more
 */
extern bool PipelineLimbsScaled(const uint64 *limbs, int lo, int n, int scale, uint64 *units);

/*
 * The canonical expansion of the window's value into terms (at least one,
 * at most PIPELINE_MAX_TERMS): the nearest double, then the nearest double
 * to each remainder, until none is left.  It depends on the value alone.
 */
extern int	PipelineLimbsExpansion(const uint64 *limbs, int lo, int n, double *terms);

/*
 * The exact sum of finite terms (at most PIPELINE_MAX_TERMS) into all
 * PIPELINE_LIMBS limbs; false if it is negative.
 */
extern bool PipelineLimbsFromTerms(const double *terms, int nterms, uint64 *limbs);

/*
 * Format 4 (1.3.0) keeps the exact sizes and cycle lengths of up to
 * PIPELINE_MAX_EXACT won deals; format 3 (a 1.3.0 development version)
 * counted the open deals without a probability and summed their amounts;
 * format 2 (1.2.0) kept exact sums; format 1 (1.1.0) kept compensated float
 * pairs.  Values of formats 1 to 3, stored or written, are still read.
 */
#define PIPELINE_FORMAT_VERSION 4
#define PIPELINE_FORMAT_V3	3
#define PIPELINE_FORMAT_V2	2
#define PIPELINE_FORMAT_V1	1

/*
 * The amounts a summary has added: none yet, a double one (or one of an
 * older format, which did not say), or numeric ones only, of at most
 * amount_scale decimals (0 to PIPELINE_MAX_SCALE: the money accessors then
 * return those decimals exactly).  A numeric amount of more decimals counts
 * as a double.
 */
#define PIPELINE_SCALE_NONE		(-1)
#define PIPELINE_SCALE_DOUBLE	(-2)
#define PIPELINE_MAX_SCALE		18

/* The amount_scale of a summary that merges summaries of scales a and b */
static inline int16
PipelineMergeScale(int16 a, int16 b)
{
	if (a == PIPELINE_SCALE_NONE)
		return b;
	if (b == PIPELINE_SCALE_NONE)
		return a;
	if (a == PIPELINE_SCALE_DOUBLE || b == PIPELINE_SCALE_DOUBLE)
		return PIPELINE_SCALE_DOUBLE;
	return Max(a, b);
}

/*
 * Exact values a distribution keeps (80 kB of doubles), as funnel_summary
 * keeps exact times: a summary of more values, or merged from summaries
 * whose values add up to more, has the sketch alone.
 */
#define PIPELINE_MAX_EXACT	10000


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

/*
 * The two distributions of won deals, each with a sketch and, while there
 * are at most PIPELINE_MAX_EXACT values, the values themselves
 */
#define PIPELINE_SIZE		0	/* won deal sizes */
#define PIPELINE_CYCLE		1	/* won deals' cycle lengths */

/* The sums, in text and binary order */
#define PIPELINE_NSUMS		6
#define PIPELINE_NSUMS_V2	5	/* the sums of formats 1 and 2 */
#define SUM_OPEN			0
#define SUM_WEIGHTED		1	/* open deals' amount * probability */
#define SUM_WON				2
#define SUM_LOST			3
#define SUM_CYCLE			4	/* won deals' cycle lengths in days */
#define SUM_UNWEIGHTED		5	/* open deals without a probability */

/*
 * An exact sum: limbs lo .. lo + n - 1 of its fixed-point value (the others
 * are zero).  While an aggregate runs the window grows with some room; the
 * canonical window holds exactly the limbs from the lowest to the highest
 * nonzero one (none, with lo 0, for a zero sum).
 */
typedef struct PipelineSumHead
{
	int16		lo;
	int16		n;
} PipelineSumHead;

/*
 * The in-memory and on-disk form.  The text and binary forms are independent
 * of it.  The buckets are stored as arrays of counts and of keys, so that
 * the binary search of a row's key reads 4-byte keys only (with one summary
 * per group, cache misses dominate).  The exact values of distribution i
 * number exact[i] (its count of values) or -1 when the sketch alone holds
 * them; they are in increasing order in canonical values, in arrival order
 * while an aggregate runs.  The bucket and value arrays grow by doubling
 * while an aggregate runs; canonical values have no spare room.
 */
typedef struct PipelineSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* PIPELINE_FORMAT_VERSION */
	uint8		reserved;		/* zero */
	int16		amount_scale;	/* PIPELINE_SCALE_*, or the numeric scale */
	int64		open_deals;
	int64		won_deals;
	int64		lost_deals;
	int64		cycle_deals;	/* won deals with a close date */
	int64		unweighted_deals;	/* open deals without a probability */
	PipelineSketchHead sketch[2];
	PipelineSumHead sums[PIPELINE_NSUMS];
	int32		exact[2];		/* exact values, or -1 */
	int32		exact_capacity[2];	/* allocated */
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* uint64 limbs of sum 0 to 5;
												 * int64 counts of sketch 0,
												 * then of 1; double exact
												 * values of 0, then of 1;
												 * int32 keys of sketch 0,
												 * then of 1 */
} PipelineSummary;

#define PIPELINE_BYTES(limbs, cap0, cap1, ecap0, ecap1) \
	(offsetof(PipelineSummary, data) + sizeof(uint64) * (Size) (limbs) + \
	 (sizeof(int64) + sizeof(int32)) * ((Size) (cap0) + (cap1)) + \
	 sizeof(double) * ((Size) (ecap0) + (ecap1)))

/* The limbs of all sums */
static inline int
LimbsTotal(const PipelineSummary *s)
{
	return s->sums[0].n + s->sums[1].n + s->sums[2].n + s->sums[3].n + s->sums[4].n +
		s->sums[5].n;
}

/* The window of sum i */
static inline uint64 *
SumLimbs(PipelineSummary *s, int i)
{
	int			offset = 0;
	int			j;

	for (j = 0; j < i; j++)
		offset += s->sums[j].n;
	return (uint64 *) s->data + offset;
}

/* The bucket counts of sketch i */
static inline int64 *
SketchCounts(PipelineSummary *s, int i)
{
	return s->data + LimbsTotal(s) + (i == 0 ? 0 : s->sketch[0].capacity);
}

/* The exact values of distribution i */
static inline double *
ExactValues(PipelineSummary *s, int i)
{
	double	   *values = (double *) (s->data + LimbsTotal(s) + s->sketch[0].capacity +
									 s->sketch[1].capacity);

	return values + (i == 0 ? 0 : s->exact_capacity[0]);
}

/* The bucket keys of sketch i */
static inline int32 *
SketchKeys(PipelineSummary *s, int i)
{
	int32	   *keys = (int32 *) (ExactValues(s, 0) + s->exact_capacity[0] +
								  s->exact_capacity[1]);

	return keys + (i == 0 ? 0 : s->sketch[0].capacity);
}

/* The number of values of distribution i: won deals, or those with a cycle */
static inline int64
DistributionCount(const PipelineSummary *s, int i)
{
	return i == PIPELINE_SIZE ? s->won_deals : s->cycle_deals;
}

/* The windows of the sums and the capacities of the arrays of a summary */
typedef struct PipelineLayout
{
	PipelineSumHead sums[PIPELINE_NSUMS];
	int32		capacity[2];
	int32		exact_capacity[2];
} PipelineLayout;

/* A deal's outcome */
typedef enum DealOutcome
{
	DEAL_OPEN,
	DEAL_WON,
	DEAL_LOST
} DealOutcome;

/* pipeline.c */
extern DealOutcome PipelineOutcome(text *outcome);
extern const KpiSummaryType PipelineType;
extern PipelineSummary *PipelineCreate(void);
extern void PipelineLayoutOf(PipelineSummary *s, PipelineLayout *layout);
extern PipelineSummary *PipelineRelayout(PipelineSummary *s, const PipelineLayout *layout);
extern PipelineSummary *PipelineCanonical(PipelineSummary *s);
extern PipelineSummary *PipelineFromOld(const void *value);
extern void PipelineFromOldDefaults(PipelineSummary *s);
extern const char *PipelineCountsError(PipelineSummary *s);
extern PipelineSummary *PipelineSumSetTerms(PipelineSummary *s, int i, const double *terms,
											int nterms, const char **problem);
extern double PipelineRatio(double value, const char *what);

/* pipeline_quantiles.c */
extern PipelineSummary *PipelineSketchAdd(PipelineSummary *s, int i, bool zero, int32 key,
										  int64 count);
extern PipelineSummary *PipelineValueAdd(PipelineSummary *s, int i, double x);
extern PipelineSummary *PipelineExactAdd(PipelineSummary *s, int i, double x);
extern PipelineSummary *PipelineDistributionMerge(PipelineSummary *a, PipelineSummary *b, int i);
extern void PipelineExactSort(PipelineSummary *s);
extern PipelineSummary *PipelineSorted(PipelineSummary *s);
extern const char *PipelineDistributionError(PipelineSummary *s, int i);

/* A summary of format 4: s itself, or s of an older format converted */
static inline PipelineSummary *
PipelineCurrent(PipelineSummary *s)
{
	if (likely(s->version == PIPELINE_FORMAT_VERSION))
		return s;
	return PipelineFromOld(s);
}

/* A pipeline_summary argument to read */
#define PipelineGetArg(fcinfo, argno) \
	PipelineCurrent((PipelineSummary *) KpiSummaryArg(fcinfo, argno, &PipelineType))

#endif							/* PIPELINE_H */
