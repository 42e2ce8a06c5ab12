/*-------------------------------------------------------------------------
 *
 * funnel_summary.h
 *	  The flat form of funnel_summary, shared by funnel_summary.c (format,
 *	  I/O, aggregates) and funnel_report.c (accessors).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_FUNNEL_SUMMARY_H
#define CRM_KPI_FUNNEL_SUMMARY_H

#include "datatype/timestamp.h"
#include "utils/array.h"

/*
 * For each step k, the entities that reached at least step k, and for each
 * pair of consecutive steps the times between them over the entities that
 * reached both: exactly (the sorted microseconds) while a pair has at most
 * FUNNEL_EXACT_MAX of them, else as a histogram.  Histogram bucket 0 holds
 * zero durations; bucket i >= 1 holds the durations d (microseconds) of
 * sketch key i - 1 (KpiSketchKey: gamma^(i-2) < d <= gamma^(i-1), gamma =
 * 1.01 / 0.99), and reads back within 1 % of every d in it.  The longest
 * duration, PG_INT64_MAX microseconds, is in bucket FUNNEL_MAX_BUCKET: no
 * higher bucket can hold a duration, so none is accepted, and that last
 * bucket reads back clamped to PG_INT64_MAX, which is still within 1 % of
 * every duration in it.
 *
 * Format 1 (1.0.0 to 1.2.0) had histograms only; it is read as format 2
 * with every pair a histogram, except that a pair without times is an exact
 * empty one (FunnelSummaryFromV1).
 */
#define FUNNEL_SUMMARY_V1		1
#define FUNNEL_SUMMARY_VERSION	2
#define FUNNEL_MAX_BUCKET		2185	/* FunnelBucket(PG_INT64_MAX) */
#define FUNNEL_NBUCKETS			(FUNNEL_MAX_BUCKET + 1)

/*
 * Exact times a step pair keeps (80 kB); a pair with more, or merged from a
 * histogram, is a histogram.  Whether a merge is exact depends only on the
 * inputs, not on the order of the merge: the sum of the counts of times
 * decides it.  Part of the format (the validator rejects more).
 */
#define FUNNEL_EXACT_MAX		10000

/* A non-empty histogram bucket; also the layout of the on-disk pairs */
typedef struct FunnelBin
{
	int64		bucket;
	int64		count;
} FunnelBin;

/*
 * On-disk form: the counts; for each pair of consecutive steps its number of
 * non-empty buckets; for each pair its number of exact times, or -1 for a
 * histogram (an exact pair has no buckets); then all (bucket, count) pairs
 * in order; then all exact times, each pair's in increasing order.
 * Format 1 had no ntimes[] nor times[] (FUNNEL_SUMMARY_V1_SIZE).
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
												 * ntimes[nsteps - 1],
												 * pairs[npairs][2],
												 * times[] */
} FunnelSummary;

#define FUNNEL_SUMMARY_V1_SIZE(nsteps, npairs) \
	(offsetof(FunnelSummary, data) + \
	 sizeof(int64) * ((int64) 2 * (nsteps) - 1 + 2 * (int64) (npairs)))
#define FUNNEL_SUMMARY_SIZE(nsteps, npairs, ntimes) \
	(offsetof(FunnelSummary, data) + \
	 sizeof(int64) * ((int64) 3 * (nsteps) - 2 + 2 * (int64) (npairs) + (int64) (ntimes)))
#define FUNNEL_REACHED(s)	((s)->data)
#define FUNNEL_NBUCKETS_OF(s)	((s)->data + (s)->nsteps)
#define FUNNEL_NTIMES_OF(s)	((s)->data + 2 * (s)->nsteps - 1)
#define FUNNEL_PAIRS(s)		((FunnelBin *) ((s)->data + 3 * (s)->nsteps - 2))
#define FUNNEL_TIMES(s)		((s)->data + 3 * (s)->nsteps - 2 + 2 * (int64) (s)->npairs)

/* The times of one step pair: exact (ntimes >= 0) or a histogram */
typedef struct FunnelPair
{
	const FunnelBin *bins;
	int64		nbins;
	const int64 *times;
	int64		ntimes;			/* -1: a histogram */
} FunnelPair;

/* A funnel_summary argument, read-only, checked, in format 2 */
extern FunnelSummary *FunnelSummaryGetArg(FunctionCallInfo fcinfo, int argno);

/* The times from step - 1 to step (2..nsteps) */
extern void FunnelPairOf(const FunnelSummary *s, int step, FunnelPair *pair);

/* What histogram bucket i reads back as, in microseconds */
extern double FunnelBucketValue(int64 i);

/*
 * The checks of a funnel path (one-dimensional; the timestamps of the steps
 * reached, finite and in order, then NULLs): the number of steps reached,
 * and *ts the timestamps
 */
extern int	FunnelPathLevel(ArrayType *path, const TimestampTz **ts);

/* Adds one entity of a two-step funnel to the state argument 0: funnel_time.c */
extern Datum FunnelAccumPair(FunctionCallInfo fcinfo, int level, int64 time);

#endif							/* CRM_KPI_FUNNEL_SUMMARY_H */
