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

/* Returns an internal aggregate state, which is SQL NULL until a row makes it */
#define FUNNEL_RETURN_STATE(state) \
	do { \
		if ((state) == NULL) \
			PG_RETURN_NULL(); \
		PG_RETURN_POINTER(state); \
	} while (0)

#endif							/* CRM_KPI_FUNNEL_H */
