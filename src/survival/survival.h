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

/*
 * Two stored formats: version 1 has no entries (every subject at risk from
 * duration 0), version 2 adds the subjects entering late (left truncation).
 * A summary is written in version 1 whenever it has no entries, so that the
 * values of 1.2.0 and every summary without delayed entry stay as they were.
 */
#define SURVIVAL_FORMAT_VERSION 1
#define SURVIVAL_FORMAT_ENTRY	2
#define SURVIVAL_MAX_TIMES	((int) (MaxAllocSize / (4 * sizeof(int64))))

/*
 * The in-memory and on-disk form: ntimes strictly increasing non-negative
 * times, then the events and the censorings at each, and in version 2 the
 * subjects entering (becoming at risk just after) each.  Every time has at
 * least one of these counts, so a summary has one form only.
 */
typedef struct SurvivalSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* SURVIVAL_FORMAT_VERSION or _ENTRY */
	uint8		reserved[3];	/* zero */
	int32		ntimes;
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* double times[ntimes], then
												 * int64 events[ntimes],
												 * int64 censored[ntimes],
												 * version 2: int64
												 * entered[ntimes] */
} SurvivalSummary;

/* Arrays of a format: times, events, censored (, entered) */
#define SURVIVAL_ARRAYS(version)	((version) == SURVIVAL_FORMAT_ENTRY ? 4 : 3)
#define SURVIVAL_SIZE_V(n, version) \
	(offsetof(SurvivalSummary, data) + (Size) (n) * SURVIVAL_ARRAYS(version) * sizeof(int64))
#define SURVIVAL_SIZE(n)	SURVIVAL_SIZE_V(n, SURVIVAL_FORMAT_VERSION)
#define SURVIVAL_TIMES(s)	((s)->data)
#define SURVIVAL_EVENTS(s)	((int64 *) ((s)->data + (s)->ntimes))
#define SURVIVAL_CENSORED(s) ((int64 *) ((s)->data + 2 * (s)->ntimes))
/* the entries of a version 2 summary; NULL in version 1 (no entries) */
#define SURVIVAL_ENTERED(s) \
	((s)->version == SURVIVAL_FORMAT_ENTRY ? (int64 *) ((s)->data + 3 * (s)->ntimes) : NULL)

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

/*
 * The risk sets of a summary, walked in time order: every accessor reads
 * the summary through this, so that each is right under delayed entry.  A
 * subject counts as at risk at time u when it entered before u and had not
 * left before u: with entry e (0 when not entered late) and exit t, at risk
 * at u when e < u <= t, or 0 <= u <= t for a subject observed from 0 (so an
 * event and a censoring at the same time count the censored subject as at
 * risk, and a subject entering at u is not yet at risk at u, as in R's
 * Surv(start, stop]).
 *
 *		SurvivalWalk w;
 *		SurvivalStep p;
 *
 *		SurvivalWalkStart(&w, s);
 *		while (SurvivalWalkNext(&w, &p))
 *			... p.time, p.at_risk, p.events, p.censored, p.entered ...
 *
 * gives every stored time, including times where subjects only enter
 * (events = censored = 0, entered > 0: skip those where only exits matter).
 * Between steps, w.at_risk is the number at risk at any time after the last
 * step's time up to and including the next one's (SurvivalWalkPeek), as the
 * log-rank test needs for a group without a time of its own.
 */
typedef struct SurvivalWalk
{
	const SurvivalSummary *s;
	int			next;			/* index of the next time */
	int64		at_risk;		/* at risk after the last step */
} SurvivalWalk;

typedef struct SurvivalStep
{
	double		time;
	int64		at_risk;		/* at risk at time: before its exits */
	int64		events;
	int64		censored;
	int64		entered;		/* at risk only after time */
} SurvivalStep;

extern void SurvivalWalkStart(SurvivalWalk *w, const SurvivalSummary *s);
extern bool SurvivalWalkNext(SurvivalWalk *w, SurvivalStep *p);
/* The next step's time; false at the end */
extern bool SurvivalWalkPeek(const SurvivalWalk *w, double *time);

#endif							/* CRM_KPI_SURVIVAL_H */
