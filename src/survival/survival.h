/*-------------------------------------------------------------------------
 *
 * survival.h
 *	  The survival_summary type, shared by survival.c (the type, its I/O and
 *	  aggregates) and survival_curve.c (Kaplan-Meier, medians, log-rank).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_SURVIVAL_H
#define CRM_KPI_SURVIVAL_H

#include "fmgr.h"

#define SURVIVAL_FORMAT_VERSION 1
#define SURVIVAL_MAX_TIMES	((int) (MaxAllocSize / (4 * sizeof(int64))))

/*
 * The in-memory and on-disk form: ntimes strictly increasing non-negative
 * durations, then the events and the censorings at each.  Every time has at
 * least one of either, so a summary has one form only.
 */
typedef struct SurvivalSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* SURVIVAL_FORMAT_VERSION */
	uint8		reserved[3];	/* zero */
	int32		ntimes;
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* double times[ntimes], then
												 * int64 events[ntimes],
												 * int64 censored[ntimes] */
} SurvivalSummary;

#define SURVIVAL_SIZE(n)	(offsetof(SurvivalSummary, data) + (Size) (n) * 3 * sizeof(int64))
#define SURVIVAL_TIMES(s)	((s)->data)
#define SURVIVAL_EVENTS(s)	((int64 *) ((s)->data + (s)->ntimes))
#define SURVIVAL_CENSORED(s) ((int64 *) ((s)->data + 2 * (s)->ntimes))

/* A survival_summary argument, read-only, checked */
extern SurvivalSummary *SurvivalGetArg(FunctionCallInfo fcinfo, int argno);

/* Reject a stored value that is not what this code wrote (XX001) */
extern void SurvivalCheck(const SurvivalSummary *s);

/* Subjects in the summary: all events and censorings */
extern int64 SurvivalTotal(const SurvivalSummary *s);

/*
 * Solve a x = b in place (b becomes x) for the n x n row-major matrix a of a
 * log-rank variance, by Gaussian elimination with partial pivoting; false if
 * a is singular (survival_curve.c, also used by survival_tests.c)
 */
extern bool SurvivalSolveSymmetric(double *a, double *b, int n);

#endif							/* CRM_KPI_SURVIVAL_H */
