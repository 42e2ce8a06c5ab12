/*-------------------------------------------------------------------------
 *
 * funnel.h
 *	  What funnel.c (per entity) and funnel_summary.c (across entities)
 *	  share.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_FUNNEL_H
#define CRM_KPI_FUNNEL_H

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"

/* Steps of a funnel: a limit on memory (a chain's state per step), not a format */
#define FUNNEL_MAX_STEPS	10000

/* Errors unless 1 <= nsteps <= FUNNEL_MAX_STEPS */
extern void FunnelCheckSteps(int64 nsteps);

/*
 * Boolean conditions passed as VARIADIC "any" or VARIADIC boolean[] from
 * argument first_step on (funnel.c; also sequence.c): whether they come in
 * one array, and the bits of a row's conditions (-1 for a NULL array).
 */
extern bool FunnelStepsInArray(FunctionCallInfo fcinfo, int first_step,
							   const char *step, const char *steps);
extern int64 FunnelReadSteps(FunctionCallInfo fcinfo, bool in_array, int first_step,
							 uint64 *mask, int nwords, const char *steps);

/*
 * funnel_breakdown (funnel_breakdown.c): each event's property, by row, in
 * one growing buffer (data) with an offset and a size per row (-1 for a
 * NULL property), and the attribution.  A FunnelState (funnel.c) holds one
 * in its props field, NULL for the other funnel aggregates.
 */
#define FUNNEL_FIRST_TOUCH	(-1)
#define FUNNEL_LAST_TOUCH	(-2)

typedef struct FunnelProps
{
	int32		attribution;	/* FUNNEL_FIRST_TOUCH, FUNNEL_LAST_TOUCH or a step 1..N */
	int64		len;			/* bytes of data used */
	int64		cap;			/* bytes of data allocated */
	char	   *data;
	int64	   *off;			/* per row: its bytes in data */
	int32	   *size;			/* per row: their number, -1 for NULL */
} FunnelProps;

extern FunnelProps *FunnelPropsCreate(int32 attribution, int64 capacity);
extern int32 FunnelAttribution(text *attribution, int32 nsteps);
extern void FunnelPropsResize(FunnelProps *p, int64 capacity);
extern void FunnelPropsSet(FunnelProps *p, int32 row, const text *value);
extern void FunnelPropsAppend(FunnelProps *a, int64 na, const FunnelProps *b, int64 nb);
extern void FunnelPropsSend(StringInfo buf, const FunnelProps *p, int64 nevents);
extern FunnelProps *FunnelPropsRecv(StringInfo buf, int64 nevents, int32 nsteps, int64 capacity);
extern void FunnelPropsFree(FunnelProps *p);

/* What funnel_breakdown reads of a per-entity state (funnel.c) */
struct FunnelState;
extern Datum FunnelAccum(FunctionCallInfo fcinfo, int mode_arg, int ts_arg, int exclude_arg,
						 int attr_arg, int prop_arg, int first_step);
extern FunnelProps *FunnelStateProps(const struct FunnelState *st);
extern int	FunnelStateSteps(const struct FunnelState *st);
extern int64 FunnelStateEvents(const struct FunnelState *st);
extern int	FunnelBestChain(struct FunnelState *st, TimestampTz *step_ts, int32 *step_of);
extern bool FunnelEventMatches(const struct FunnelState *st, int64 i, int k,
							   TimestampTz *ts, int32 *row);

/* Returns an internal aggregate state, which is SQL NULL until a row makes it */
#define FUNNEL_RETURN_STATE(state) \
	do { \
		if ((state) == NULL) \
			PG_RETURN_NULL(); \
		PG_RETURN_POINTER(state); \
	} while (0)

#endif							/* CRM_KPI_FUNNEL_H */
